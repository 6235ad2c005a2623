"""Email through a real SMTP server on loopback (aiosmtpd), from a real `qrstore serve`: STARTTLS
with AUTH PLAIN and a first attempt the server refuses, implicit TLS with AUTH LOGIN, and the
order lookup by email."""
import json
import os
import re
import ssl
import subprocess
import sys
import tempfile
import urllib.parse
import urllib.request

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "Browser"))
from conftest import FIXTURES, start_server, stop_server  # noqa: E402
from mailbox_server import Mailbox, free_port  # noqa: E402
from test_buyer_flow import api, notify  # noqa: E402

SMTP_USER, SMTP_PASSWORD = "shop", "smtp password 123"


@pytest.fixture(scope="module")
def certificate():
    """A self-signed certificate for localhost, which the store is told to trust (mail.caFile)."""
    folder = tempfile.mkdtemp(prefix="qrstore-smtp-")
    key, cert = os.path.join(folder, "key.pem"), os.path.join(folder, "cert.pem")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "1",
         "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
        check=True, capture_output=True)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return cert, context


def authenticator(server, session, envelope, mechanism, auth_data):
    return AuthResult(success=isinstance(auth_data, LoginPassword)
                      and auth_data.login == SMTP_USER.encode() and auth_data.password == SMTP_PASSWORD.encode())


def mail_environment(port, security, cert):
    return {
        "QRSTORE_MAIL_HOST": "localhost", "QRSTORE_MAIL_PORT": str(port), "QRSTORE_MAIL_SECURITY": security,
        "QRSTORE_MAIL_USERNAME": SMTP_USER, "QRSTORE_MAIL_PASSWORD": SMTP_PASSWORD,
        "QRSTORE_MAIL_FROM": "小林的店 <shop@example.com>", "QRSTORE_MAIL_CA_FILE": cert,
        "QRSTORE_HTTP_BASE_URL": "https://pay.example.com",
        # The schedule shortened by configuration: a retry after one second instead of 15.
        "QRSTORE_OUTBOX_RETRY_SCHEDULE": "1,1,1",
    }


def stock_goods(url, price, keys):
    goods = api(url, "/admin/api/goods", {"name": "一个月会员", "price": price, "deliveryMode": "cardKeys",
                                          "emailRequired": True, "delivery": "兑换："})
    assert api(url, f"/admin/api/goods/{goods['id']}/keys", {"keys": keys})["added"] == len(keys)
    with open(os.path.join(FIXTURES, "jpeg_baseline.jpg"), "rb") as image:
        assert api(url, "/admin/api/codes", files=[(f"alipay_{price}.jpg", image.read())])["imported"] == 1
    return goods


def buy(url, goods, address, language="zh-CN"):
    request = urllib.request.Request(
        url + "/api/orders", data=json.dumps({"goods": goods["id"], "type": "alipay", "email": address}).encode(),
        headers={"Content-Type": "application/json", "Accept-Language": language}, method="POST")
    with urllib.request.urlopen(request) as response:
        return json.load(response)


def text_of(message):
    return message.get_body(("plain",)).get_content()


def test_starttls_plain_auth_and_a_refused_first_attempt(certificate):
    cert, context = certificate
    mailbox = Mailbox(refusals=1)
    port = free_port()
    smtp = Controller(mailbox, hostname="127.0.0.1", port=port, tls_context=context, require_starttls=True,
                      authenticator=authenticator, auth_require_tls=True)
    smtp.start()
    process, url, workdir = start_server(mail_environment(port, "starttls", cert))
    try:
        goods = stock_goods(url, "2.00", ["VIP-7F3K-2Q9M", "VIP-8H2L-5R1N"])
        order = buy(url, goods, "Buyer@Example.com")
        assert notify(url, order["amount"], "alipay")["code"] == 1

        received = mailbox.wait(1)
        assert mailbox.recipients_seen == 2, "the refused attempt was retried"
        assert received["to"] == ["buyer@example.com"] and received["from"] == "shop@example.com"
        assert received["authenticated"] and received["tls"]
        message = received["message"]
        assert message["To"] == "buyer@example.com"
        assert message["Subject"] == f"商店：订单 {order['id']} 已支付"
        body = text_of(message)
        assert "VIP-7F3K-2Q9M" in body and "VIP-8H2L-5R1N" not in body
        assert f"https://pay.example.com/pay/{order['id']}" in body

        # The lookup form, with its CSRF cookie and token as a browser sends them (by hand: the
        # cookies are Secure, for the https address, and this client talks plain http).
        with urllib.request.urlopen(url + "/orders") as response:
            token = re.search(r'name="_csrf" value="([^"]+)"', response.read().decode()).group(1)
            cookies = "; ".join(header.split(";")[0] for header in response.headers.get_all("Set-Cookie"))
        form = urllib.parse.urlencode({"email": "buyer@example.com", "_csrf": token}).encode()
        request = urllib.request.Request(url + "/orders", data=form, method="POST", headers={"Cookie": cookies})
        with urllib.request.urlopen(request) as response:
            page = response.read().decode()
        assert order["id"] not in page
        lookup = mailbox.wait(2)["message"]
        assert f"https://pay.example.com/pay/{order['id']}" in text_of(lookup)
    finally:
        stop_server(process, workdir)
        smtp.stop()


def test_implicit_tls_with_auth_login(certificate):
    cert, context = certificate
    mailbox = Mailbox()
    port = free_port()
    smtp = Controller(mailbox, hostname="127.0.0.1", port=port, ssl_context=context, authenticator=authenticator,
                      auth_require_tls=False, auth_exclude_mechanism=["PLAIN"])
    smtp.start()
    process, url, workdir = start_server(mail_environment(port, "tls", cert))
    try:
        goods = stock_goods(url, "3.00", ["KEY-LOGIN-1"])
        order = buy(url, goods, "reader@example.com", language="en")
        assert notify(url, order["amount"], "alipay")["code"] == 1
        received = mailbox.wait(1)
        assert received["authenticated"] and received["tls"]
        assert received["message"]["Subject"].endswith("is paid")
        assert "KEY-LOGIN-1" in text_of(received["message"])
    finally:
        stop_server(process, workdir)
        smtp.stop()
