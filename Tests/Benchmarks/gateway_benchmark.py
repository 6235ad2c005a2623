#!/usr/bin/env python3
"""The payment gateway on a release build: merchant `createOrder` (V免签) and `mapi.php` (易支付)
requests per second, and the latency from a listener push being answered to the merchant's
receiver getting its notification (p50 and p99 over 200 orders, one at a time).

    python3 Tests/Benchmarks/gateway_benchmark.py --qrstore .build-release/release/qrstore --out bench-output/gateway

The store has one generic WeChat and one generic Alipay code; every request asks a price of its
own window (P, P−0.01 … P−0.10, disjoint from the others), so no request waits for a slot. The
merchant's receiver is a Python HTTP server on loopback (`gateway.allowPrivateNotifyUrls`).
"""
import argparse
import hashlib
import json
import os
import subprocess
import sys
import time
import urllib.parse

import segno

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "Gateway"))
from channel_benchmark import Store, codes, prepare  # noqa: E402
from merchant_server import KEY, Merchant  # noqa: E402
from order_benchmark import TOKEN, Client, parallel, percentile  # noqa: E402

SECRET = "bench-listener-secret-0123456789"


def md5(text):
    return hashlib.md5(text.encode()).hexdigest()


def price(index):
    """The index-th price whose window of 11 amounts no other index shares: 1.00, 1.11, 1.22, …"""
    fen = 100 + 11 * index
    return f"{fen // 100}.{fen % 100:02d}"


def create_order(client, pay_id, amount, notify_url=""):
    query = urllib.parse.urlencode({"payId": pay_id, "type": "1", "price": amount,
                                    "sign": md5(pay_id + "1" + amount + KEY), "notifyUrl": notify_url})
    status, body = client.request("GET", "/createOrder?" + query)
    answer = json.loads(body)
    assert status == 200 and answer["code"] == 1, answer
    return answer["data"]


def mapi(client, number, amount, notify_url):
    fields = {"pid": "1001", "type": "alipay", "out_trade_no": number, "notify_url": notify_url,
              "name": "VIP", "money": amount, "clientip": "10.0.0.1"}
    kept = sorted((k, v) for k, v in fields.items() if v != "")
    fields["sign"] = md5("&".join(f"{k}={v}" for k, v in kept) + KEY)
    fields["sign_type"] = "MD5"
    status, body = client.request("POST", "/mapi.php", urllib.parse.urlencode(fields),
                                  {"Content-Type": "application/x-www-form-urlencoded"})
    answer = json.loads(body)
    assert status == 200 and answer["code"] == 1, answer
    return answer


def rate(port, threads, count, work):
    """`count` calls of work(client, index) over `threads` connections; calls per second."""
    per_thread = count // threads

    def run(thread):
        client = Client(port)
        for n in range(per_thread):
            work(client, thread * per_thread + n)
    return per_thread * threads / parallel(threads, run)


def generic_alipay(folder):
    """A folder with one generic Alipay code."""
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, "alipay.png")
    if not os.path.exists(path):
        segno.make("https://qr.alipay.com/fkxbenchgeneric", error="m").save(path, scale=4)
    return folder


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--qrstore", required=True)
    parser.add_argument("--out", default="bench-output/gateway")
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--orders", type=int, default=200)
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    os.environ["QRSTORE_DISCOUNT_MAX"] = "0.10"
    prepared = prepare(args.qrstore, 1, lambda channel: (codes(os.path.join(args.out, "generic"), 1, [], True), True))
    subprocess.run([args.qrstore, "codes", "import", "--generic", "--database-path",
                    os.path.join(prepared, "db.sqlite"), "--uploads-path", os.path.join(prepared, "Uploads"),
                    generic_alipay(os.path.join(args.out, "generic-alipay"))], check=True, stdout=subprocess.DEVNULL)
    os.environ["QRSTORE_GATEWAY_ALLOW_PRIVATE_NOTIFY_URLS"] = "true"
    store = Store(args.qrstore, prepared)
    merchant = Merchant()
    try:
        admin = Client(store.port)
        status, _ = admin.request("POST", "/admin/api/merchants", json.dumps({"name": "bench", "key": KEY}),
                                  {"Content-Type": "application/json", "Authorization": f"Bearer {TOKEN}"})
        assert status == 201
        notify_url = merchant.url + "/notify"
        create_rate = rate(store.port, args.threads, args.requests,
                           lambda client, i: create_order(client, f"C{i}", price(i), notify_url))
        mapi_rate = rate(store.port, args.threads, args.requests,
                         lambda client, i: mapi(client, f"M{i}", price(i), notify_url))

        # Latency: one order at a time, paid by a push; from the push's answer to the notification.
        client, latencies = Client(store.port), []
        for n in range(args.orders):
            data = create_order(client, f"L{n}", price(args.requests + n), notify_url)
            before = len(merchant.notifications)
            query = urllib.parse.urlencode({"sign": md5(md5(data["reallyPrice"] + "wechat") + SECRET),
                                            "price": data["reallyPrice"], "type": "wechat"})
            status, body = client.request("GET", f"/addons/pay/api/notify?{query}")
            answered = time.monotonic()
            assert json.loads(body)["code"] == 1
            arrived = merchant.wait_for_notifications(before + 1, timeout=10)
            assert len(arrived) == before + 1, "a notification did not arrive"
            latencies.append((arrived[-1][1] - answered) * 1000)
    finally:
        store.close()
        merchant.close()

    results = {"createOrder_per_second": create_rate, "mapi_per_second": mapi_rate,
               "notification_latency_ms": {"p50": percentile(latencies, 0.5), "p99": percentile(latencies, 0.99),
                                           "max": max(latencies)}}
    print(f"\nThe gateway on a release build, {os.cpu_count()} cores, {args.threads} client threads, loopback\n")
    print(f"| V免签 createOrder, {args.requests} orders | 易支付 mapi.php, {args.requests} orders |")
    print("|---|---|")
    print(f"| {create_rate:.0f}/s | {mapi_rate:.0f}/s |")
    latency = results["notification_latency_ms"]
    print(f"\n| push answered → merchant notified, {args.orders} orders | p50 | p99 | max |")
    print("|---|---|---|---|")
    print(f"| one at a time | {latency['p50']:.1f} ms | {latency['p99']:.1f} ms | {latency['max']:.1f} ms |")
    json.dump(results, open(os.path.join(args.out, "results.json"), "w"), indent=1)


if __name__ == "__main__":
    main()
