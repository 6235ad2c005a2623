"""A shop that pays through the store, on a phone: the shop's checkout posts its signed 易支付 form
to submit.php, the buyer sees the store's pay page, the listener reports the money, and the buyer
lands back on the shop's return page with parameters the shop verifies."""
import os
import re
import sys
import urllib.parse

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as expected
from selenium.webdriver.support.ui import WebDriverWait

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "Gateway"))
from conftest import LISTENER_SECRET, screenshot, start_server, stop_server  # noqa: E402
from merchant_server import KEY, Merchant, epay_sign  # noqa: E402
from test_buyer_flow import api  # noqa: E402
from test_channels import notify, upload  # noqa: E402


@pytest.fixture(scope="module")
def server():
    process, url, workdir = start_server(
        {"QRSTORE_SITE_NAME": "小林的数字商店", "QRSTORE_GATEWAY_ALLOW_PRIVATE_NOTIFY_URLS": "true"})
    yield {"url": url}
    stop_server(process, workdir)


def test_shop_checkout_pays_through_the_store_and_returns(server, phone_zh):
    url = server["url"]
    api(url, "/admin/api/merchants", {"name": "小店", "key": KEY})
    assert upload(url, "jpeg_baseline.jpg", {"amount": "1.00"})["imported"] == 1
    merchant = Merchant(store_url=url)
    try:
        phone_zh.get(merchant.url + "/checkout?order=S20261201")
        screenshot(phone_zh, "gateway-1-shop-checkout")
        phone_zh.find_element(By.ID, "pay").click()
        WebDriverWait(phone_zh, 10).until(expected.url_contains(url + "/pay/"))
        page = phone_zh.find_element(By.ID, "pay")
        assert "VIP 会员" in page.text and "支付宝" in page.text
        amount = re.search(r"\d+\.\d\d", phone_zh.find_element(By.CSS_SELECTOR, ".pay-amount").text).group(0)
        assert amount == "1.00"
        assert phone_zh.find_element(By.CSS_SELECTOR, ".pay-qr").get_attribute("naturalWidth") != "0"
        screenshot(phone_zh, "gateway-2-pay-page")

        assert notify(url, amount, "alipay", LISTENER_SECRET)["code"] == 1
        WebDriverWait(phone_zh, 5).until(expected.url_contains(merchant.url + "/return"))
        assert phone_zh.find_element(By.ID, "result").text == "支付成功，订单已完成"
        assert phone_zh.find_element(By.ID, "order").text == "S20261201"
        returned = merchant.returns[-1]
        assert returned["sign"] == epay_sign(returned) and returned["money"] == "1.00"
        assert returned["pid"] == "1001" and returned["type"] == "alipay" and returned["name"] == "VIP 会员"
        screenshot(phone_zh, "gateway-3-back-at-the-shop")

        notified = merchant.wait_for_notifications(1, timeout=10)
        fields = dict(urllib.parse.parse_qsl(notified[0][0].partition("?")[2], keep_blank_values=True))
        assert fields["trade_no"] == returned["trade_no"] and fields["sign"] == epay_sign(fields)
    finally:
        merchant.close()
