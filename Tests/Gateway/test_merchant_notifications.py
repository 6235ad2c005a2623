"""Merchant notifications from a real `qrstore serve` to a real HTTP receiver on loopback: a
V免签 order paid by a listener push is notified with the right signature; a receiver that fails
three ways is retried until it answers success; a store killed between two attempts still
delivers, the same notification; a private notify address is refused without
gateway.allowPrivateNotifyUrls."""
import json
import os
import signal
import sys
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "Browser"))
from conftest import LISTENER_SECRET, start_server, stop_server  # noqa: E402
from merchant_server import KEY, Merchant, md5, vmq_notification_sign  # noqa: E402
from test_buyer_flow import api  # noqa: E402
from test_channels import notify, upload  # noqa: E402

# Short waits between attempts, instead of minutes; allowed to reach the loopback receiver.
QUICK = {"QRSTORE_OUTBOX_RETRY_SCHEDULE": "1,1,1,1,1", "QRSTORE_GATEWAY_ALLOW_PRIVATE_NOTIFY_URLS": "true"}


def get(url, path, fields):
    with urllib.request.urlopen(f"{url}{path}?{urllib.parse.urlencode(fields)}", timeout=30) as response:
        return json.load(response)


def create_order(url, pay_id, notify_url, price="1.00", param="order-7"):
    sign = md5(pay_id + param + "1" + price + KEY)
    return get(url, "/createOrder", {"payId": pay_id, "param": param, "type": "1", "price": price,
                                     "sign": sign, "notifyUrl": notify_url})


def stocked_store(environment):
    """A store with a merchant of the test key and one WeChat code for 1.00."""
    process, url, workdir = start_server(environment)
    api(url, "/admin/api/merchants", {"name": "shop", "key": KEY})
    assert upload(url, "png_gray8.png", {"amount": "1.00"})["imported"] == 1
    return process, url, workdir


def test_a_failing_merchant_is_retried_until_it_answers_success():
    # 500, then success but only after the store's 10 s deadline (a timeout: it must count as
    # failed), then a body that is not the success word.
    merchant = Merchant(answers=[(500, "error", 0), (200, "success", 11), (200, "fail", 0)])
    process, url, workdir = stocked_store(QUICK)
    try:
        created = create_order(url, "T1001", merchant.url + "/notify")
        assert created["code"] == 1, created
        order_id, amount = created["data"]["orderId"], created["data"]["reallyPrice"]
        assert notify(url, amount, "wechat", LISTENER_SECRET)["code"] == 1

        received = merchant.wait_for_notifications(4, timeout=40)
        assert len(received) == 4
        paths = {path for path, _ in received}
        assert len(paths) == 1, "every attempt sends the same notification"
        fields = dict(urllib.parse.parse_qsl(paths.pop().partition("?")[2], keep_blank_values=True))
        assert fields["payId"] == "T1001" and fields["param"] == "order-7" and fields["price"] == "1.00"
        assert fields["reallyPrice"] == amount and fields["sign"] == vmq_notification_sign(fields)

        state = get(url, "/getOrder", {"orderId": order_id})
        assert state["data"]["state"] == 1
        attempts = [n for n in api(url, "/admin/api/notifications") if n["orderId"]]
        assert attempts[0]["state"] == "delivered" and attempts[0]["attempts"] == 4
    finally:
        stop_server(process, workdir)
        merchant.close()


def test_a_notification_survives_the_store_being_killed_between_attempts():
    merchant = Merchant(answers=[(500, "not yet", 0)])
    process, url, workdir = stocked_store({**QUICK, "QRSTORE_OUTBOX_RETRY_SCHEDULE": "3"})
    try:
        created = create_order(url, "T2001", merchant.url + "/notify")
        assert notify(url, created["data"]["reallyPrice"], "wechat", LISTENER_SECRET)["code"] == 1
        assert len(merchant.wait_for_notifications(1, timeout=10)) == 1
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)

        process, url, _ = start_server({**QUICK, "QRSTORE_OUTBOX_RETRY_SCHEDULE": "3"}, workdir=workdir)
        received = merchant.wait_for_notifications(2, timeout=20)
        assert len(received) == 2 and received[0][0] == received[1][0]
        assert get(url, "/getOrder", {"orderId": created["data"]["orderId"]})["data"]["state"] == 1
    finally:
        stop_server(process, workdir)
        merchant.close()


def test_a_private_notify_address_is_refused_without_the_setting():
    merchant = Merchant()
    process, url, workdir = stocked_store({})
    try:
        refused = create_order(url, "T3001", merchant.url + "/notify")
        assert refused["code"] == -1 and "内网或本机" in refused["msg"], refused
        assert refused["data"] is None
        assert merchant.notifications == []
    finally:
        stop_server(process, workdir)
        merchant.close()
