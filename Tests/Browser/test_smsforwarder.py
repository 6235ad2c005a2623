"""The free listener end to end: a buyer on a phone waits on the pay page, SmsForwarder forwards
WeChat's "money received" notification to the channel's webhook exactly as the app sends it (a
form, its sign encoded twice), the store reads the amount, and the buyer's page shows the goods."""
import base64
import hashlib
import hmac
import time
import urllib.parse
import urllib.request

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as expected
from selenium.webdriver.support.ui import WebDriverWait

from conftest import LISTENER_SECRET, screenshot, start_server, stop_server
from test_buyer_flow import api
from test_channels import upload


@pytest.fixture(scope="module")
def server():
    process, url, workdir = start_server({"QRSTORE_SITE_NAME": "小林的数字商店"})
    yield {"url": url}
    stop_server(process, workdir)


def forward(url, channel, secret, package, text, title):
    """One notification as SmsForwarder's Webhook sender posts it without a template."""
    timestamp = str(int(time.time() * 1000))
    digest = hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()
    sign = urllib.parse.quote(base64.b64encode(digest).decode(), safe="")  # the app's own URL-encoding
    # The app's default text for an app notification: package, text, title, UID, time, device.
    content = f"{package}\n{text}\n{title}\nUID：10210\n2026-12-01 12:00:00\n小米手机"
    body = urllib.parse.urlencode({"from": package, "content": content, "timestamp": timestamp, "sign": sign})
    request = urllib.request.Request(f"{url}/listener/smsforwarder/{channel}", data=body.encode(), method="POST",
                                     headers={"Content-Type": "application/x-www-form-urlencoded"})
    with urllib.request.urlopen(request) as response:
        return response.status, response.read().decode()


def test_a_forwarded_wechat_notification_pays_the_waiting_buyer(server, phone_zh):
    url = server["url"]
    goods = api(url, "/admin/api/goods", {"name": "设计素材包", "price": "1.00", "delivery": "下载：https://example.com/pack"})
    assert upload(url, "png_gray8.png", {"amount": "1.00"})["imported"] == 1

    phone_zh.get(url + "/goods/" + goods["id"])
    phone_zh.find_element(By.CSS_SELECTOR, "input[value=wechat]").click()
    phone_zh.find_element(By.CSS_SELECTOR, "form.buy button").click()
    WebDriverWait(phone_zh, 10).until(expected.url_contains("/pay/"))
    amount = phone_zh.find_element(By.CSS_SELECTOR, ".pay-amount").text.replace("¥", "").strip()
    assert amount == "1.00"

    status, answer = forward(url, 1, LISTENER_SECRET, "com.tencent.mm", f"微信支付收款{amount}元(朋友到店)", "微信支付")
    assert status == 200 and answer == '{"code":0,"msg":"ok"}'
    WebDriverWait(phone_zh, 3).until(expected.visibility_of_element_located((By.ID, "delivery")))
    assert "https://example.com/pack" in phone_zh.find_element(By.ID, "delivery").text
    screenshot(phone_zh, "smsforwarder-paid")

    # Another app's notification, and a wrong secret, pay nothing.
    assert forward(url, 1, LISTENER_SECRET, "com.example.shop", "成功收款1.00元", "优惠")[0] == 200
    with pytest.raises(urllib.error.HTTPError) as refused:
        forward(url, 1, "not-the-channel-secret-0123456789", "com.tencent.mm", "微信支付收款0.99元", "微信支付")
    assert refused.value.code == 401
