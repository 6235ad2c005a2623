"""Two channels in a real browser: a generic-code order's pay page on a Chinese phone (the exact
amount first, with its copy button) paid by the second phone's listener, and the seller's
channels page and per-channel coverage grid."""
import hashlib
import json
import os
import urllib.parse
import urllib.request

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as expected
from selenium.webdriver.support.ui import WebDriverWait

from conftest import FIXTURES, log_in, screenshot, start_server, stop_server
from test_buyer_flow import API_TOKEN, api


@pytest.fixture(scope="module")
def server():
    process, url, workdir = start_server({"QRSTORE_SITE_NAME": "小林的数字商店"})
    yield {"url": url}
    stop_server(process, workdir)


def upload(url, name, fields):
    """One image through the seller API, with the form's text fields."""
    boundary = "qrstore-channels-test"
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
             for key, value in fields.items()]
    with open(os.path.join(FIXTURES, name), "rb") as image:
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
                     "Content-Type: image/png\r\n\r\n".encode() + image.read() + b"\r\n")
    request = urllib.request.Request(
        url + "/admin/api/codes", data=b"".join(parts) + f"--{boundary}--\r\n".encode(), method="POST",
        headers={"Authorization": f"Bearer {API_TOKEN}",
                 "Content-Type": f"multipart/form-data; boundary={boundary}"})
    with urllib.request.urlopen(request) as response:
        return json.load(response)


def notify(url, price, kind, secret):
    md5 = lambda text: hashlib.md5(text.encode()).hexdigest()  # noqa: E731
    query = urllib.parse.urlencode({"sign": md5(md5(price + kind) + secret), "price": price, "type": kind})
    with urllib.request.urlopen(f"{url}/addons/pay/api/notify?{query}") as response:
        return json.load(response)


def test_generic_code_on_a_second_phone(server, phone_zh, browser):
    url = server["url"]
    goods = api(url, "/admin/api/goods", {"name": "一次咨询", "price": "1.00", "delivery": "预约链接：https://example.com/book"})
    second = api(url, "/admin/api/channels", {"name": "第二部手机"})
    assert upload(url, "png_gray8.png", {"channel": str(second["id"]), "generic": "true"})["imported"] == 1
    assert upload(url, "jpeg_baseline.jpg", {"amount": "1.00"})["imported"] == 1

    phone_zh.get(url + "/goods/" + goods["id"])
    phone_zh.find_element(By.CSS_SELECTOR, "input[value=wechat]").click()
    phone_zh.find_element(By.CSS_SELECTOR, "form.buy button").click()
    WebDriverWait(phone_zh, 10).until(expected.url_contains("/pay/"))
    box = phone_zh.find_element(By.CSS_SELECTOR, ".generic-amount")
    assert box.find_element(By.CSS_SELECTOR, ".pay-label").text == "扫码后请输入这个金额"
    amount = phone_zh.find_element(By.ID, "exact-amount").text
    assert amount != "1.00" and 90 <= round(float(amount) * 100) <= 99
    copy = phone_zh.find_element(By.CSS_SELECTOR, "[data-copy-amount]")
    assert copy.text == "复制金额" and copy.get_attribute("data-copy-amount") == amount
    assert "不要四舍五入" in box.text
    screenshot(phone_zh, "channels-1-generic-pay")

    # The second phone's listener reports it; the first phone's secret would not.
    assert notify(url, amount, "wechat", second["secret"])["code"] == 1
    WebDriverWait(phone_zh, 3).until(expected.visibility_of_element_located((By.ID, "delivery")))
    assert "https://example.com/book" in phone_zh.find_element(By.ID, "delivery").text

    log_in(browser, url, "/admin/channels")
    cards = browser.find_elements(By.CSS_SELECTOR, "section.channel")
    assert len(cards) == 2 and "第二部手机" in cards[1].text
    assert "online" in cards[1].text.lower() or "在线" in cards[1].text
    cards[1].find_element(By.TAG_NAME, "summary").click()
    screenshot(browser, "channels-2-page")
    browser.get(url + "/admin/coverage")
    titles = [title.text for title in browser.find_elements(By.CSS_SELECTOR, ".coverage h2")]
    assert any("#1" in title for title in titles) and any("#2" in title for title in titles)
    screenshot(browser, "channels-3-coverage")
