"""A Chinese buyer on a phone, in a real browser: the store front with the shop's notice and the
stock, the product page, the pay page, the paid page with the buyer's own card key, and the order
lookup, all in Chinese."""
import os

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as expected
from selenium.webdriver.support.ui import WebDriverWait

from conftest import FIXTURES, screenshot, start_server, stop_server
from test_buyer_flow import api, notify


@pytest.fixture(scope="module")
def server():
    process, url, workdir = start_server(
        {"QRSTORE_SITE_NAME": "小林的数字商店", "QRSTORE_SITE_NOTICE": "新品上架：会员卡密，付款后立即发货。"})
    yield {"url": url, "workdir": workdir}
    stop_server(process, workdir)


def test_chinese_buyer_gets_their_own_key(server, phone_zh):
    url = server["url"]
    goods = api(url, "/admin/api/goods", {"name": "一个月会员", "price": "2.00", "deliveryMode": "cardKeys",
                                          "description": "一个月的会员卡密。", "delivery": "在 example.com 兑换："})
    added = api(url, f"/admin/api/goods/{goods['id']}/keys", {"keys": ["VIP-7F3K-2Q9M", "VIP-8H2L-5R1N"]})
    assert added["added"] == 2, added
    with open(os.path.join(FIXTURES, "jpeg_baseline.jpg"), "rb") as image:
        assert api(url, "/admin/api/codes", files=[("alipay_2.00.jpg", image.read())])["imported"] == 1

    phone_zh.get(url + "/")
    assert phone_zh.find_element(By.CSS_SELECTOR, ".brand").text == "小林的数字商店"
    assert "新品上架" in phone_zh.find_element(By.CSS_SELECTOR, ".announcement").text
    assert "库存 2" in phone_zh.find_element(By.CSS_SELECTOR, ".goods-grid").text
    screenshot(phone_zh, "zh-1-storefront")

    phone_zh.find_element(By.LINK_TEXT, "一个月会员").click()
    assert phone_zh.find_element(By.CSS_SELECTOR, "form.buy button").text == "购买"
    phone_zh.find_element(By.CSS_SELECTOR, "input[value=alipay]").click()
    screenshot(phone_zh, "zh-2-product")
    phone_zh.find_element(By.CSS_SELECTOR, "form.buy button").click()
    WebDriverWait(phone_zh, 10).until(expected.url_contains("/pay/"))
    order = phone_zh.current_url.rsplit("/", 1)[1]
    assert phone_zh.find_element(By.CSS_SELECTOR, ".pay-label").text == "请支付准确金额"
    assert phone_zh.find_element(By.LINK_TEXT, "打开支付宝").is_displayed()
    screenshot(phone_zh, "zh-3-pay")

    assert notify(url, "2.00", "alipay")["code"] == 1
    WebDriverWait(phone_zh, 3).until(expected.visibility_of_element_located((By.ID, "delivery")))
    assert phone_zh.find_element(By.CSS_SELECTOR, ".state.paid h1").text == "支付成功，谢谢！"
    delivery = phone_zh.find_element(By.ID, "delivery").text
    assert delivery.startswith("在 example.com 兑换：") and delivery.endswith("VIP-7F3K-2Q9M")
    assert "VIP-8H2L-5R1N" not in delivery
    screenshot(phone_zh, "zh-4-paid")

    phone_zh.get(url + "/orders")
    phone_zh.find_element(By.NAME, "order").send_keys(order)
    screenshot(phone_zh, "zh-5-lookup")
    phone_zh.find_element(By.CSS_SELECTOR, "form button").click()
    WebDriverWait(phone_zh, 5).until(expected.url_contains("/pay/" + order))
    assert phone_zh.find_element(By.ID, "delivery").text.endswith("VIP-7F3K-2Q9M")
