"""A buyer on a phone, in a real browser: open a product link, buy, pay, and see the purchase."""
import hashlib
import json
import os
import urllib.parse
import urllib.request

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as expected
from selenium.webdriver.support.ui import WebDriverWait

from conftest import FIXTURES, LISTENER_SECRET, screenshot

API_TOKEN = "browser-test-api-token"


def api(url, path, body=None, files=None):
    """Calls the seller API with the test token; JSON in, JSON out."""
    headers = {"Authorization": f"Bearer {API_TOKEN}"}
    data = None
    if files is not None:
        boundary = "qrstore-browser-test"
        parts = []
        for name, content in files:
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
                         "Content-Type: image/png\r\n\r\n".encode() + content + b"\r\n")
        data = b"".join(parts) + f"--{boundary}--\r\n".encode()
        headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
    elif body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    request = urllib.request.Request(url + path, data=data, headers=headers, method="POST" if data else "GET")
    with urllib.request.urlopen(request) as response:
        return json.load(response)


def md5(text):
    return hashlib.md5(text.encode()).hexdigest()


def notify(url, price, kind):
    """What the seller's listener app sends when the money arrives (protocol A)."""
    sign = md5(md5(price + kind) + LISTENER_SECRET)
    query = urllib.parse.urlencode({"sign": sign, "price": price, "type": kind})
    with urllib.request.urlopen(f"{url}/addons/pay/api/notify?{query}") as response:
        return json.load(response)


# The seller's delivery text: a download address inside a sentence, with HTML that must stay text.
DELIVERY = "Download: https://example.com/photos/7?key=abc. Code <b>42</b>"


def test_buyer_pays_and_sees_the_goods_at_once(server, phone):
    url = server["url"]
    goods = api(url, "/admin/api/goods", {"name": "Photo pack", "price": "2.00",
                                          "description": "Twelve photos.", "delivery": DELIVERY})
    with open(os.path.join(FIXTURES, "jpeg_baseline.jpg"), "rb") as image:
        result = api(url, "/admin/api/codes", files=[("alipay_2.00.jpg", image.read())])
    assert result["imported"] == 1, result

    phone.get(url + goods["url"])
    assert phone.find_element(By.CSS_SELECTOR, ".price.big").text == "¥ 2.00"
    phone.find_element(By.CSS_SELECTOR, "input[value=alipay]").click()
    screenshot(phone, "6-phone-product")
    phone.find_element(By.CSS_SELECTOR, "form.buy button").click()
    WebDriverWait(phone, 10).until(expected.url_contains("/pay/"))

    assert phone.find_element(By.CSS_SELECTOR, ".pay-amount").text == "¥ 2.00"
    qr = phone.find_element(By.CSS_SELECTOR, ".pay-qr")
    assert phone.execute_script("return arguments[0].naturalWidth", qr) > 0
    button = phone.find_element(By.LINK_TEXT, "Open Alipay")
    assert button.is_displayed()
    assert button.get_attribute("href").startswith("alipays://platformapi/startapp?saId=10000007&qrcode=https%3A%2F%2Fqr")
    assert phone.find_element(By.ID, "countdown").text.startswith(("4:", "5:"))
    screenshot(phone, "7-phone-pay")

    answer = notify(url, "2.00", "alipay")
    assert answer["code"] == 1, answer
    # No reload: the page's long-poll is woken by the payment.
    WebDriverWait(phone, 3).until(expected.visibility_of_element_located((By.ID, "delivery")))
    assert phone.find_element(By.ID, "delivery").text == DELIVERY
    # The address is a link (the full stop after it is not part of it); the rest stays text.
    link = phone.find_element(By.CSS_SELECTOR, "#delivery a")
    link_address = "https://example.com/photos/7?key=abc"
    assert link.get_attribute("href") == link_address
    assert link.get_attribute("rel") == "noopener noreferrer"
    assert not phone.find_elements(By.CSS_SELECTOR, "#delivery b")
    assert not phone.find_element(By.CSS_SELECTOR, ".state.pending").is_displayed()
    screenshot(phone, "8-phone-paid")

    # Coming back later: the page from the server shows the same, links included.
    phone.refresh()
    assert phone.find_element(By.ID, "delivery").text == DELIVERY
    assert phone.find_element(By.CSS_SELECTOR, "#delivery a").get_attribute("href") == link_address
    assert not phone.find_elements(By.CSS_SELECTOR, "#delivery b")
