"""A Chinese buyer on a phone, in a real browser: the store front with the shop's notice, the
goods' picture and the stock, the product page with the email field, the pay page, the paid page
with the buyer's own card key, the email with that key, and the order lookup by number and by
email, all in Chinese."""
import io
import os
import urllib.request

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as expected
from selenium.webdriver.support.ui import WebDriverWait

from aiosmtpd.controller import Controller
from PIL import Image, ImageDraw

from conftest import FIXTURES, screenshot, start_server, stop_server
from mailbox_server import Mailbox, free_port
from test_buyer_flow import API_TOKEN, api, notify


@pytest.fixture(scope="module")
def server():
    """The shop, mailing through a plain SMTP relay on loopback (as a relay on the same machine)."""
    mailbox = Mailbox()
    port = free_port()
    smtp = Controller(mailbox, hostname="127.0.0.1", port=port)
    smtp.start()
    process, url, workdir = start_server({
        "QRSTORE_SITE_NAME": "小林的数字商店", "QRSTORE_SITE_NOTICE": "新品上架：会员卡密，付款后立即发货。",
        "QRSTORE_MAIL_HOST": "127.0.0.1", "QRSTORE_MAIL_PORT": str(port), "QRSTORE_MAIL_SECURITY": "none",
        "QRSTORE_MAIL_FROM": "小林的数字商店 <shop@example.com>"})
    yield {"url": url, "workdir": workdir, "mailbox": mailbox}
    stop_server(process, workdir)
    smtp.stop()


def product_picture():
    """A colourful 1200 × 900 PNG, as a seller would photograph or draw one."""
    image = Image.new("RGB", (1200, 900), (255, 244, 230))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 1200, 300), fill=(230, 80, 60))
    draw.ellipse((400, 350, 800, 750), fill=(250, 190, 40))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def put_picture(url, goods, data):
    request = urllib.request.Request(
        f"{url}/admin/api/goods/{goods['id']}/picture", data=data, method="PUT",
        headers={"Authorization": f"Bearer {API_TOKEN}", "Content-Type": "image/png"})
    with urllib.request.urlopen(request) as response:
        assert response.status == 204


def test_chinese_buyer_gets_their_own_key(server, phone_zh):
    url = server["url"]
    goods = api(url, "/admin/api/goods", {"name": "一个月会员", "price": "2.00", "deliveryMode": "cardKeys",
                                          "description": "一个月的会员卡密。", "delivery": "在 example.com 兑换："})
    put_picture(url, goods, product_picture())
    added = api(url, f"/admin/api/goods/{goods['id']}/keys", {"keys": ["VIP-7F3K-2Q9M", "VIP-8H2L-5R1N"]})
    assert added["added"] == 2, added
    with open(os.path.join(FIXTURES, "jpeg_baseline.jpg"), "rb") as image:
        assert api(url, "/admin/api/codes", files=[("alipay_2.00.jpg", image.read())])["imported"] == 1

    phone_zh.get(url + "/")
    assert phone_zh.find_element(By.CSS_SELECTOR, ".brand").text == "小林的数字商店"
    assert "新品上架" in phone_zh.find_element(By.CSS_SELECTOR, ".announcement").text
    assert "库存 2" in phone_zh.find_element(By.CSS_SELECTOR, ".goods-grid").text
    picture = phone_zh.find_element(By.CSS_SELECTOR, ".goods-grid img.picture")
    assert phone_zh.execute_script("return arguments[0].complete && arguments[0].naturalWidth", picture) == 800
    screenshot(phone_zh, "zh-1-storefront")

    phone_zh.find_element(By.LINK_TEXT, "一个月会员").click()
    assert phone_zh.find_element(By.CSS_SELECTOR, "form.buy button").text == "购买"
    phone_zh.find_element(By.CSS_SELECTOR, "input[value=alipay]").click()
    phone_zh.find_element(By.NAME, "email").send_keys("buyer@example.com")
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

    # The same key, and the order's link, by email, in Chinese.
    mailed = server["mailbox"].wait(1)
    assert mailed["to"] == ["buyer@example.com"]
    assert mailed["message"]["Subject"] == f"小林的数字商店：订单 {order} 已支付"
    body = mailed["message"].get_body(("plain",)).get_content()
    assert "VIP-7F3K-2Q9M" in body and "VIP-8H2L-5R1N" not in body and f"/pay/{order}" in body

    phone_zh.get(url + "/orders")
    phone_zh.find_element(By.NAME, "order").send_keys(order)
    screenshot(phone_zh, "zh-5-lookup")
    phone_zh.find_element(By.CSS_SELECTOR, "form button").click()
    WebDriverWait(phone_zh, 5).until(expected.url_contains("/pay/" + order))
    assert phone_zh.find_element(By.ID, "delivery").text.endswith("VIP-7F3K-2Q9M")

    # By email: the page lists nothing, the links arrive by mail.
    phone_zh.get(url + "/orders")
    phone_zh.find_element(By.NAME, "email").send_keys("buyer@example.com")
    phone_zh.find_element(By.CSS_SELECTOR, "form[method=post] button").click()
    notice = WebDriverWait(phone_zh, 5).until(
        expected.visibility_of_element_located((By.CSS_SELECTOR, ".notice"))).text
    assert "订单链接已发送" in notice and order not in phone_zh.page_source
    screenshot(phone_zh, "zh-6-lookup-email")
    lookup = server["mailbox"].wait(2)["message"].get_body(("plain",)).get_content()
    assert f"/pay/{order}" in lookup
