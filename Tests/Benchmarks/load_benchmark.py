#!/usr/bin/env python3
"""The server under wrk, on a release build: /healthz as the machine's ceiling, the product page,
order status reads, purchases and durable signed notifies; peak memory; then purchases, notifies
and status reads again with 1,000,000 orders and 1,000,000 payments in the database.

    python3 Tests/Benchmarks/load_benchmark.py --qrstore .build-release/release/qrstore --out bench-output/load

The database is seeded in SQL: goods at 1.00 … 200.00 (discount.max 0.99) and a WeChat and an
Alipay code for every amount 0.01 … 200.00, so 40,000 slots are free for the purchase runs. Every
purchase comes from a new buyer (no cookie) at a random address forwarded by a trusted proxy
(loopback), so the per-address limits stay at their defaults and are exercised, not switched off.
"""
import argparse
import hashlib
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time

SECRET = "bench-listener-secret-0123456789"
REPOSITORY = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
LUA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "wrk", "load.lua")
GOODS = 200


def md5(text):
    return hashlib.md5(text.encode()).hexdigest()


def money(fen):
    return f"{fen // 100}.{fen % 100:02d}"


def seed_catalog(path):
    """Goods and codes written straight into a migrated database."""
    db = sqlite3.connect(path)
    now = time.strftime("%Y-%m-%d %H:%M:%S.000", time.gmtime())
    goods = []
    with db:
        for yuan in range(1, GOODS + 1):
            goods_id = f"benchgoods{yuan:011d}"
            goods.append(goods_id)
            db.execute("INSERT INTO goods (id, name, description, priceFen, delivery, enabled, createdAt, updatedAt) "
                       "VALUES (?, ?, '', ?, 'the delivery', 1, ?, ?)", (goods_id, f"Goods {yuan}", yuan * 100, now, now))
        rows = []
        for fen in range(1, GOODS * 100 + 1):
            for kind, prefix in (("wechat", "wxp://f2f0bench"), ("alipay", "https://qr.alipay.com/fkxbench")):
                rows.append((kind, fen, f"{prefix}{fen:06d}", "a" * 64, "png", f"{kind}_{money(fen)}.png", "b" * 64, now))
        db.executemany("INSERT INTO payCode (channelId, type, amountFen, payload, originalDigest, originalFormat, originalName, "
                       "renderedDigest, enabled, createdAt) VALUES (1, ?, ?, ?, ?, ?, ?, ?, 1, ?)", rows)
    db.close()
    return goods


def seed_history(path, count):
    """`count` old paid orders, each with its matched payment, as a store has after years of sales.
    Their buyer tokens start with `token`. The benchmark's own orders so far are ended too, so
    that their slots are free again."""
    db = sqlite3.connect(path)
    with db:
        db.execute("UPDATE \"order\" SET status = 'expired', holdsSlot = 0 WHERE status = 'pending'")
        db.execute(f"""
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {count})
            INSERT INTO "order" (id, goodsId, type, priceFen, amountFen, payCodeId, status, holdsSlot, slotReleaseAt,
                buyerToken, buyerAddress, buyerEmail, createdAt, expiresAt, paidAt, paidLate, closedAt, flagged)
            SELECT printf('Z%020d', i), 'benchgoods00000000001', CASE i % 2 WHEN 0 THEN 'wechat' ELSE 'alipay' END,
                100, 100 - i % 10, NULL, 'paid', 0,
                strftime('%Y-%m-%d %H:%M:%f', 'now', printf('-%d seconds', 86400 + i * 2)),
                printf('token%037d', i), printf('10.%d.%d.%d', i / 65536 % 256, i / 256 % 256, i % 256), NULL,
                strftime('%Y-%m-%d %H:%M:%f', 'now', printf('-%d seconds', 86400 + i * 2)),
                strftime('%Y-%m-%d %H:%M:%f', 'now', printf('-%d seconds', 86100 + i * 2)),
                strftime('%Y-%m-%d %H:%M:%f', 'now', printf('-%d seconds', 86300 + i * 2)), 0, NULL, 0
            FROM n""")
        db.execute(f"""
            INSERT INTO payment (type, amountFen, rawAmount, source, rawRequest, remoteAddress, receivedAt, outcome,
                orderId, flagged)
            SELECT type, amountFen, printf('%d.%02d', amountFen / 100, amountFen % 100), 'notify',
                'GET /addons/pay/api/notify?sign=***', '127.0.0.1', paidAt, 'matched', id, 0
            FROM "order" WHERE buyerToken LIKE 'token%'""")
    counts = db.execute("SELECT (SELECT COUNT(*) FROM \"order\"), (SELECT COUNT(*) FROM payment)").fetchone()
    db.close()
    return counts


def start_server(binary, workdir, env_extra=None, prefix=()):
    env = {k: v for k, v in os.environ.items() if not k.startswith("QRSTORE_")}
    env.update({"QRSTORE_LISTENER_SECRET": SECRET, "QRSTORE_DISCOUNT_MAX": "0.99",
                "QRSTORE_HTTP_TRUSTED_PROXIES": "127.0.0.1"})
    env.update(env_extra or {})
    process = subprocess.Popen(
        list(prefix) + [binary, "serve", "--http-port", "0", "--database-path", os.path.join(workdir, "db.sqlite"),
                        "--uploads-path", os.path.join(workdir, "Uploads"),
                        "--templates-path", os.path.join(REPOSITORY, "Templates"),
                        "--static-path", os.path.join(REPOSITORY, "Static"),
         "--strings-path", os.path.join(REPOSITORY, "Config", "strings")],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    for line in process.stdout:
        match = re.search(r"running at http://127\.0\.0\.1:(\d+)", line)
        if match:
            return process, int(match.group(1))
    raise SystemExit("the server did not start")


def stop(process):
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=20)


def peak_rss_mb(process):
    with open(f"/proc/{process.pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def wrk(port, mode, items, workdir, seconds, name):
    listing = os.path.join(workdir, f"{name}.txt")
    with open(listing, "w") as out:
        out.write("\n".join(items) + "\n")
    run = subprocess.run(["wrk", "-t2", "-c32", f"-d{seconds}s", "--latency", "-s", LUA,
                          f"http://127.0.0.1:{port}", "--", mode, listing], capture_output=True, text=True)
    statuses = dict((int(k), int(v)) for k, v in re.findall(r"(\d+)=(\d+)", re.search(r"STATUS(.*)", run.stdout).group(1)))
    duration = float(re.search(r"requests in ([\d.]+)(m?s)", run.stdout).group(1))
    if re.search(r"requests in [\d.]+ms", run.stdout):
        duration /= 1000
    p99_ms = int(re.search(r"P99_US (\d+)", run.stdout).group(1)) / 1000
    return {"statuses": statuses, "seconds": duration, "p99_ms": p99_ms,
            "requests_per_second": float(re.search(r"Requests/sec:\s+([\d.]+)", run.stdout).group(1))}


def good_per_second(result, status):
    return result["statuses"].get(status, 0) / result["seconds"]


def signed_notifies(count):
    paths = []
    for n in range(count):
        fen, kind = 1 + n % (GOODS * 100), ("wechat", "alipay")[n % 2]
        price = money(fen)
        paths.append(f"/addons/pay/api/notify?sign={md5(md5(price + kind) + SECRET)}&price={price}&type={kind}")
    return paths


def fsyncs_per_second(folder, count=2000):
    path = os.path.join(folder, "fsync-probe")
    with open(path, "wb") as probe:
        start = time.perf_counter()
        for _ in range(count):
            probe.write(b"x")
            os.fsync(probe.fileno())
        return count / (time.perf_counter() - start)


def order_ids(path):
    db = sqlite3.connect(path)
    ids = [row[0] for row in db.execute("SELECT id FROM \"order\" WHERE buyerToken NOT LIKE 'token%' LIMIT 20000")]
    db.close()
    return ids


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--qrstore", required=True)
    parser.add_argument("--out", default="bench-output/load")
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--history", type=int, default=1_000_000)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed (apt-get install wrk)")
    os.makedirs(args.out, exist_ok=True)
    workdir = tempfile.mkdtemp(prefix="qrstore-load-")
    database = os.path.join(workdir, "db.sqlite")
    results = {"fsyncs_per_second": fsyncs_per_second(workdir)}
    # A first start creates and migrates the database; then the catalog goes in by SQL.
    process, _ = start_server(args.qrstore, workdir)
    stop(process)
    goods = seed_catalog(database)
    try:
        process, port = start_server(args.qrstore, workdir)
        empty = {}
        empty["healthz"] = wrk(port, "paths", ["/healthz"], workdir, args.seconds, "healthz")
        empty["product_page"] = wrk(port, "paths", [f"/goods/{g}" for g in goods], workdir, args.seconds, "goods")
        empty["purchases"] = wrk(port, "orders", goods, workdir, args.seconds, "orders")
        empty["status_reads"] = wrk(port, "paths", [f"/api/orders/{i}" for i in order_ids(database)], workdir,
                                    args.seconds, "status")
        empty["notifies"] = wrk(port, "paths", signed_notifies(5000), workdir, args.seconds, "notify")
        results["peak_rss_mb"] = peak_rss_mb(process)
        stop(process)
        results["empty"] = empty

        # What the durable commit costs: the same notifies with fsync made a no-op (eatmydata).
        if shutil.which("eatmydata"):
            process, port = start_server(args.qrstore, workdir, prefix=["eatmydata"])
            results["notifies_without_fsync"] = wrk(port, "paths", signed_notifies(5000), workdir, args.seconds,
                                                    "notify-nosync")
            stop(process)

        started = time.perf_counter()
        results["seeded_rows"] = seed_history(database, args.history)
        results["seed_seconds"] = time.perf_counter() - started
        process, port = start_server(args.qrstore, workdir)
        full = {}
        full["purchases"] = wrk(port, "orders", goods, workdir, args.seconds, "orders-full")
        full["notifies"] = wrk(port, "paths", signed_notifies(5000), workdir, args.seconds, "notify-full")
        ids = order_ids(database) + [f"Z{n:020d}" for n in range(1, args.history, max(1, args.history // 20000))]
        full["status_reads"] = wrk(port, "paths", [f"/api/orders/{i}" for i in ids], workdir, args.seconds,
                                   "status-full")
        results["peak_rss_mb_full"] = peak_rss_mb(process)
        stop(process)
        results["full"] = full
    finally:
        if process.poll() is None:
            process.kill()
        shutil.rmtree(workdir, ignore_errors=True)

    ceiling = results["empty"]["healthz"]["requests_per_second"]
    rows = [("GET /healthz (ceiling)", "healthz", 200), ("product page", "product_page", 200),
            ("order status read", "status_reads", 200), ("purchases (201 Created)", "purchases", 201),
            ("signed notifies (durable payment rows)", "notifies", 200)]
    print(f"\nLoad on a release build, wrk -t2 -c32 -d{args.seconds}s, {os.cpu_count()} cores, loopback\n")
    print("| request | empty database | p99 | vs /healthz | with 1M orders + 1M payments | change |")
    print("|---|---|---|---|---|---|")
    for label, key, status in rows:
        result = results["empty"][key]
        rate = good_per_second(result, status)
        line = f"| {label} | {rate:,.0f}/s | {result['p99_ms']:.1f} ms | {rate / ceiling:.2f} |"
        if key in results["full"]:
            full_rate = good_per_second(results["full"][key], status)
            line += f" {full_rate:,.0f}/s (p99 {results['full'][key]['p99_ms']:.1f} ms) | {100 * (full_rate / rate - 1):+.0f}% |"
        else:
            line += " | |"
        print(line)
    if "notifies_without_fsync" in results:
        print(f"\nNotifies with fsync made a no-op (eatmydata): "
              f"{good_per_second(results['notifies_without_fsync'], 200):,.0f}/s")
    print(f"Disk: {results['fsyncs_per_second']:,.0f} fsyncs/s. Peak RSS: {results['peak_rss_mb']:.0f} MB "
          f"(empty), {results['peak_rss_mb_full']:.0f} MB (1M rows). Seeding took {results['seed_seconds']:.0f} s.")
    print("Other statuses:", {k: v["statuses"] for k, v in list(results["empty"].items()) + list(results["full"].items())})
    json.dump(results, open(os.path.join(args.out, "results.json"), "w"), indent=1)


if __name__ == "__main__":
    main()
