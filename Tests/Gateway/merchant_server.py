"""A merchant's shop on loopback, as shop software would run it: its notify endpoint answers from a
script and keeps every request; its return endpoint checks the signed parameters; its checkout
page posts a signed 易支付 form to the store."""
import hashlib
import html
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

KEY = "vmq-example-Key-0123456789abcdef"


def md5(text):
    return hashlib.md5(text.encode()).hexdigest()


def epay_sign(fields, key=KEY):
    """The 易支付 V1 rule: no sign, sign_type or empty values; sorted by key; raw values; key appended."""
    kept = sorted((k, v) for k, v in fields.items() if k not in ("sign", "sign_type") and v != "")
    return md5("&".join(f"{k}={v}" for k, v in kept) + key)


def vmq_notification_sign(fields, key=KEY):
    return md5(fields["payId"] + fields["param"] + fields["type"] + fields["price"] + fields["reallyPrice"] + key)


class Merchant:
    """The shop. `answers` are (status, body, delay seconds) for the notify endpoint, in turn; after
    them it answers `success`."""

    def __init__(self, answers=(), store_url=None, key=KEY):
        self.answers = list(answers)
        self.store_url = store_url
        self.key = key
        self.notifications = []
        self.returns = []
        self.lock = threading.Lock()
        merchant = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *arguments):
                pass

            def do_GET(self):
                path, _, query = self.path.partition("?")
                fields = dict(urllib.parse.parse_qsl(query, keep_blank_values=True))
                if path == "/notify":
                    with merchant.lock:
                        merchant.notifications.append((self.path, time.monotonic()))
                        status, body, delay = merchant.answers.pop(0) if merchant.answers else (200, "success", 0)
                    time.sleep(delay)
                    self.answer(status, body)
                elif path == "/return":
                    merchant.returns.append(fields)
                    good = fields.get("sign") == epay_sign(fields, merchant.key)
                    paid = fields.get("trade_status") == "TRADE_SUCCESS"
                    self.answer(200, "<!doctype html><meta charset=utf-8><title>Shop</title>"
                                f"<h1 id=result>{'支付成功，订单已完成' if good and paid else '签名错误'}</h1>"
                                f"<p id=order>{html.escape(fields.get('out_trade_no', ''))}</p>", "text/html")
                elif path == "/checkout":
                    self.answer(200, merchant.checkout(fields.get("order", "S1")), "text/html")
                else:
                    self.answer(404, "not found")

            def answer(self, status, body, kind="text/plain"):
                data = body.encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", f"{kind}; charset=utf-8")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the store gave up waiting (the timeout answer)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def checkout(self, order):
        """A checkout page as 彩虹易支付 clients make it: a signed form, posted to submit.php."""
        fields = {"pid": "1001", "type": "alipay", "out_trade_no": order, "notify_url": self.url + "/notify",
                  "return_url": self.url + "/return", "name": "VIP 会员", "money": "1.00", "sitename": "小店"}
        fields["sign"] = epay_sign(fields, self.key)
        fields["sign_type"] = "MD5"
        inputs = "".join(f'<input type=hidden name="{k}" value="{html.escape(v)}">' for k, v in fields.items())
        return ("<!doctype html><meta charset=utf-8><meta name=viewport content='width=device-width'>"
                "<title>小店结账</title><h1>VIP 会员 ¥1.00</h1>"
                f"<form method=post action='{self.store_url}/submit.php'>{inputs}"
                "<button id=pay>用支付宝付款</button></form>")

    def wait_for_notifications(self, count, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if len(self.notifications) >= count:
                    return list(self.notifications)
            time.sleep(0.05)
        with self.lock:
            return list(self.notifications)

    def close(self):
        self.server.shutdown()
