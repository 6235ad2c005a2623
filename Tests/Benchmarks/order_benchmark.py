#!/usr/bin/env python3
"""Orders under load, on a release build: purchases per second, notify requests per second, and
how soon a waiting buyer hears "paid" after a notify is answered (load_benchmark.py runs wrk).

    python3 Tests/Benchmarks/order_benchmark.py --qrstore .build/release/qrstore --out bench-output/orders

A fresh server gets 2 × 1000 pay codes (every amount 0.01 … 10.00 of both wallets, made with segno
and imported with `qrstore codes import`) and goods at 1.00, 2.00 … 10.00 with discount.max 0.99, so
each price has 100 free amounts per wallet.
"""
import argparse
import hashlib
import http.client
import io
import json
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

import segno

SECRET = "bench-listener-secret-0123456789"
TOKEN = "bench-api-token"
REPOSITORY = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def md5(text):
    return hashlib.md5(text.encode()).hexdigest()


class Client:
    """One keep-alive HTTP connection."""

    def __init__(self, port):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def request(self, method, path, body=None, headers=None):
        self.connection.request(method, path, body=body, headers=headers or {})
        response = self.connection.getresponse()
        return response.status, response.read()

    def order(self, goods, kind):
        # A new buyer each time (no cookie), at its own address behind the trusted proxy (loopback).
        address = f"10.{random.randrange(256)}.{random.randrange(256)}.{random.randrange(1, 255)}"
        status, body = self.request("POST", "/api/orders", json.dumps({"goods": goods, "type": kind}),
                                    {"Content-Type": "application/json", "X-Forwarded-For": address})
        return status, json.loads(body)

    def notify(self, price, kind):
        query = urllib.parse.urlencode({"sign": md5(md5(price + kind) + SECRET), "price": price, "type": kind})
        status, body = self.request("GET", f"/addons/pay/api/notify?{query}")
        return json.loads(body)


def make_codes(folder):
    os.makedirs(folder, exist_ok=True)
    if len(os.listdir(folder)) >= 2000:
        return
    for fen in range(1, 1001):
        amount = f"{fen // 100}.{fen % 100:02d}"
        for kind, prefix in (("wechat", "wxp://f2f0bench"), ("alipay", "https://qr.alipay.com/fkxbench")):
            segno.make(f"{prefix}{kind}{fen:04d}", error="m").save(os.path.join(folder, f"{kind}_{amount}.png"), scale=4)


def start_server(binary, workdir, codes):
    env = {k: v for k, v in os.environ.items() if not k.startswith("QRSTORE_")}
    # Paid slots are freed at once (no duplicate window), so that the latency run finds free amounts.
    env.update({"QRSTORE_LISTENER_SECRET": SECRET, "QRSTORE_ADMIN_API_TOKEN": TOKEN, "QRSTORE_DISCOUNT_MAX": "0.99",
                "QRSTORE_HTTP_TRUSTED_PROXIES": "127.0.0.1", "QRSTORE_LISTENER_DUPLICATE_WINDOW": "0"})
    subprocess.run([binary, "codes", "import", "--database-path", os.path.join(workdir, "db.sqlite"),
                    "--uploads-path", os.path.join(workdir, "Uploads"), codes],
                   env=env, check=True, stdout=subprocess.DEVNULL)
    process = subprocess.Popen(
        [binary, "serve", "--http-port", "0", "--database-path", os.path.join(workdir, "db.sqlite"),
         "--uploads-path", os.path.join(workdir, "Uploads"), "--templates-path", os.path.join(REPOSITORY, "Templates"),
         "--static-path", os.path.join(REPOSITORY, "Static"),
         "--strings-path", os.path.join(REPOSITORY, "Config", "strings")],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    for line in process.stdout:
        match = re.search(r"running at http://127\.0\.0\.1:(\d+)", line)
        if match:
            return process, int(match.group(1))
    raise SystemExit("the server did not start")


def parallel(count, work):
    """Runs work(index) for every index on `count` threads; returns the wall time."""
    threads = [threading.Thread(target=work, args=(index,)) for index in range(count)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - start


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--qrstore", required=True)
    parser.add_argument("--out", default="bench-output/orders")
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    codes = os.path.join(args.out, "codes")
    make_codes(codes)
    workdir = tempfile.mkdtemp(prefix="qrstore-bench-")
    process, port = start_server(args.qrstore, workdir, codes)
    results = {}
    try:
        admin = Client(port)
        goods = []
        for price in range(1, 11):
            status, body = admin.request("POST", "/admin/api/goods", json.dumps({"name": f"G{price}", "price": f"{price}.00"}),
                                         {"Content-Type": "application/json", "Authorization": f"Bearer {TOKEN}"})
            goods.append(json.loads(body)["id"])

        # Purchases: 2000 orders fill every slot of every price and wallet.
        orders = []
        lock = threading.Lock()
        per_thread = 2000 // args.threads

        def buy(index):
            client = Client(port)
            for n in range(per_thread):
                slot = index * per_thread + n
                status, body = client.order(goods[slot % 10], "wechat" if (slot // 10) % 2 == 0 else "alipay")
                assert status == 201, (status, body)
                with lock:
                    orders.append(body)
        seconds = parallel(args.threads, buy)
        results["purchases"] = {"count": len(orders), "seconds": seconds, "per_second": len(orders) / seconds}
        assert len({(o["type"], o["amount"]) for o in orders}) == len(orders), "two orders share a slot"

        # Notifies: one per order, each marking it paid.
        chunks = [orders[i::args.threads] for i in range(args.threads)]

        def pay(index):
            client = Client(port)
            for order in chunks[index]:
                answer = client.notify(order["amount"], order["type"])
                assert answer["code"] == 1 and "paid" in answer["msg"], answer
        seconds = parallel(args.threads, pay)
        results["notifies"] = {"count": len(orders), "seconds": seconds, "per_second": len(orders) / seconds}

        # Latency: 200 buyers wait on their order; each notify's answer to that buyer's "paid".
        fresh = []
        client = Client(port)
        for n in range(200):
            status, body = client.order(goods[n % 10], "wechat" if n % 20 < 10 else "alipay")
            assert status == 201, body
            fresh.append(body)
        received = {}

        def wait(index):
            order = fresh[index]
            status, body = Client(port).request("GET", f"/api/orders/{order['id']}?wait=30")
            received[order["id"]] = (time.perf_counter(), json.loads(body)["status"])
        waiters = [threading.Thread(target=wait, args=(i,)) for i in range(len(fresh))]
        for thread in waiters:
            thread.start()
        time.sleep(1.0)  # every buyer is waiting
        answered = {}
        for order in fresh:
            client.notify(order["amount"], order["type"])
            answered[order["id"]] = time.perf_counter()
        for thread in waiters:
            thread.join()
        assert all(status == "paid" for _, status in received.values()), "a buyer did not hear paid"
        latencies = [max(0.0, (received[o["id"]][0] - answered[o["id"]]) * 1000) for o in fresh]
        results["latency_ms"] = {"orders": len(latencies), "p50": percentile(latencies, 0.5), "p99": percentile(latencies, 0.99),
                                 "max": max(latencies)}

    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=10)
        shutil.rmtree(workdir, ignore_errors=True)

    print(f"\nOrders on a release build, {os.cpu_count()} cores, {args.threads} client threads, loopback\n")
    print("| measure | result |")
    print("|---|---|")
    p = results["purchases"]
    print(f"| purchases (POST /api/orders) | {p['per_second']:.0f}/s ({p['count']} in {p['seconds']:.2f} s) |")
    n = results["notifies"]
    print(f"| matched notifies (/addons/pay/api/notify) | {n['per_second']:.0f}/s ({n['count']} in {n['seconds']:.2f} s) |")
    l = results["latency_ms"]
    print(f"| notify answered → waiting buyer has \"paid\" ({l['orders']} orders) | p50 {l['p50']:.1f} ms, p99 {l['p99']:.1f} ms, max {l['max']:.1f} ms |")
    json.dump(results, open(os.path.join(args.out, "results.json"), "w"), indent=1)


if __name__ == "__main__":
    main()
