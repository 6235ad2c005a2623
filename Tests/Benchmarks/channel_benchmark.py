#!/usr/bin/env python3
"""Channels on a release build: how many buyers can pay one price with one wallet at once (1, 2 and
4 channels of 11 fixed amounts each, or of one generic code each), and purchases per second with
4 channels against 1 (the choice among more (channel, amount) pairs must stay cheap).

    python3 Tests/Benchmarks/channel_benchmark.py --qrstore .build-release/release/qrstore --out bench-output/channels

Codes are made with segno and imported with `qrstore codes import --channel N [--generic]`;
channels are added with `qrstore channels add`.
"""
import argparse
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import tempfile
import threading

import segno

from order_benchmark import REPOSITORY, TOKEN, Client, parallel


def codes(folder, channel, amounts, generic=False):
    """WeChat codes of `channel`: one per amount (fen), or a single generic one."""
    os.makedirs(folder, exist_ok=True)
    for fen in ([None] if generic else amounts):
        name = "any.png" if fen is None else f"wechat_{fen // 100}.{fen % 100:02d}.png"
        path = os.path.join(folder, name)
        if not os.path.exists(path):
            segno.make(f"wxp://f2f0ch{channel}{'any' if fen is None else fen:>05}", error="m").save(path, scale=4)
    return folder


# The settings a benchmark sets for its stores; every other QRSTORE_ variable is left out.
PASSED_ON = {"QRSTORE_DISCOUNT_MAX", "QRSTORE_GATEWAY_ALLOW_PRIVATE_NOTIFY_URLS"}


def environment():
    env = {k: v for k, v in os.environ.items() if not k.startswith("QRSTORE_") or k in PASSED_ON}
    env.update({"QRSTORE_ADMIN_API_TOKEN": TOKEN, "QRSTORE_HTTP_TRUSTED_PROXIES": "127.0.0.1",
                "QRSTORE_LISTENER_SECRET": "bench-listener-secret-0123456789"})
    return env


def prepare(binary, channels, stock):
    """A store's folder with `channels` channels, each with the codes `stock(channel)` makes."""
    workdir = tempfile.mkdtemp(prefix="qrstore-channels-")
    database = ["--database-path", os.path.join(workdir, "db.sqlite"),
                "--uploads-path", os.path.join(workdir, "Uploads")]
    for channel in range(2, channels + 1):
        subprocess.run([binary, "channels", "add", f"phone {channel}"] + database, env=environment(), check=True,
                       stdout=subprocess.DEVNULL)
    for channel in range(1, channels + 1):
        folder, generic = stock(channel)
        subprocess.run([binary, "codes", "import", "--channel", str(channel)] + (["--generic"] if generic else [])
                       + database + [folder], env=environment(), check=True, stdout=subprocess.DEVNULL)
    return workdir


class Store:
    """A server on a copy of a prepared store's folder."""

    def __init__(self, binary, prepared):
        self.workdir = tempfile.mkdtemp(prefix="qrstore-channels-run-")
        shutil.copytree(prepared, self.workdir, dirs_exist_ok=True)
        database = ["--database-path", os.path.join(self.workdir, "db.sqlite"),
                    "--uploads-path", os.path.join(self.workdir, "Uploads")]
        self.env = environment()
        self.process = subprocess.Popen(
            [binary, "serve", "--http-port", "0", "--templates-path", os.path.join(REPOSITORY, "Templates"),
             "--static-path", os.path.join(REPOSITORY, "Static"),
             "--strings-path", os.path.join(REPOSITORY, "Config", "strings")] + database,
            env=self.env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        for line in self.process.stdout:
            match = re.search(r"running at http://127\.0\.0\.1:(\d+)", line)
            if match:
                self.port = int(match.group(1))
                return
        raise SystemExit("the server did not start")

    def goods(self, price):
        status, body = Client(self.port).request(
            "POST", "/admin/api/goods", json.dumps({"name": f"G{price}", "price": price}),
            {"Content-Type": "application/json", "Authorization": f"Bearer {TOKEN}"})
        return json.loads(body)["id"]

    def close(self):
        self.process.send_signal(signal.SIGINT)
        self.process.wait(timeout=10)
        shutil.rmtree(self.workdir, ignore_errors=True)


def capacity(binary, out, channels, generic):
    """Pending orders at 1.00 with WeChat until the store answers 503."""
    stock = lambda channel: (codes(os.path.join(out, f"cap-{'g' if generic else 'f'}{channel}"), channel,  # noqa: E731
                                   range(90, 101), generic), generic)
    prepared = prepare(binary, channels, stock)
    store = Store(binary, prepared)
    try:
        goods, client, pairs = store.goods("1.00"), Client(store.port), set()
        while True:
            status, body = client.order(goods, "wechat")
            if status != 201:
                assert status == 503, (status, body)
                return len(pairs)
            pairs.add((body["channel"], body["amount"]))
            assert len(pairs) <= 11 * channels, "more orders than slots"
    finally:
        store.close()
        shutil.rmtree(prepared, ignore_errors=True)


def purchases_per_second(binary, prepared, threads, prices, count=900):
    """`count` purchases spread over goods at each of `prices`."""
    store = Store(binary, prepared)
    try:
        goods = [store.goods(f"{price}.00") for price in prices]
        made, lock, per_thread = [], threading.Lock(), count // threads

        def buy(index):
            client = Client(store.port)
            for n in range(per_thread):
                status, body = client.order(goods[(index * per_thread + n) % len(goods)], "wechat")
                assert status == 201, (status, body)
                with lock:
                    made.append((body["channel"], body["amount"]))
        seconds = parallel(threads, buy)
        assert len(set(made)) == len(made), "two orders share a slot"
        return len(made) / seconds
    finally:
        store.close()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--qrstore", required=True)
    parser.add_argument("--out", default="bench-output/channels")
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    os.environ["QRSTORE_DISCOUNT_MAX"] = "0.10"
    results = {"capacity": {}, "generic_capacity": {}}
    for channels in (1, 2, 4):
        results["capacity"][channels] = capacity(args.qrstore, args.out, channels, generic=False)
        results["generic_capacity"][channels] = capacity(args.qrstore, args.out, channels, generic=True)
    # Interleaved rounds, the median of each: the machine's noise hits both alike. Two stores:
    # the default discount.max (0.10) with one generic code per channel and 100 prices (10 pairs
    # per channel and purchase), and discount.max 0.99 with fixed codes 0.01 … 10.00 and 10
    # prices (100 pairs per channel and purchase, the worst case).
    scenarios = {
        "generic, discount 0.10": ("0.10", range(1, 101), lambda channel: (
            codes(os.path.join(args.out, f"rate-g{channel}"), channel, [], generic=True), True)),
        "fixed, discount 0.99": ("0.99", range(1, 11), lambda channel: (
            codes(os.path.join(args.out, f"rate{channel}"), channel, range(1, 1001)), False)),
    }
    results["purchases_per_second"] = {}
    for name, (discount, prices, stock) in scenarios.items():
        os.environ["QRSTORE_DISCOUNT_MAX"] = discount
        prepared = {channels: prepare(args.qrstore, channels, stock) for channels in (1, 4)}
        rates = {1: [], 4: []}
        for _ in range(args.rounds):
            for channels in (1, 4):
                rates[channels].append(purchases_per_second(args.qrstore, prepared[channels], args.threads, prices))
        for folder in prepared.values():
            shutil.rmtree(folder, ignore_errors=True)
        results["purchases_per_second"][name] = {
            "median": {channels: statistics.median(values) for channels, values in rates.items()}, "rounds": rates}

    print(f"\nChannels on a release build, {os.cpu_count()} cores, {args.threads} client threads, loopback\n")
    print("| channels | buyers paying 1.00 by WeChat at once, 11 fixed codes each | with one generic code each |")
    print("|---|---|---|")
    for channels in (1, 2, 4):
        print(f"| {channels} | {results['capacity'][channels]} | {results['generic_capacity'][channels]} |")
    print(f"\n| purchases/s, 900 orders, median of {args.rounds} | 1 channel | 4 channels | change |")
    print("|---|---|---|---|")
    for name, measured in results["purchases_per_second"].items():
        one, four = measured["median"][1], measured["median"][4]
        print(f"| {name} | {one:.0f}/s | {four:.0f}/s | {(four / one - 1) * 100:+.1f} % |")
    json.dump(results, open(os.path.join(args.out, "results.json"), "w"), indent=1)


if __name__ == "__main__":
    main()
