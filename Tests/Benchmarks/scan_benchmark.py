#!/usr/bin/env python3
"""Scanning throughput: `qrstore codes scan` beside `zbarimg`, on the same generated batch.

The batch (made once, then reused) has small PNG codes, 1080×2400 phone screenshots and
3000×4000 JPEG photos, each named like wechat_0.99.png and listed with its payload in
manifest.json. Each tool scans the whole batch in one process, several times; the median
wall time counts, and every file's result is checked against the manifest.

    python3 Tests/Benchmarks/scan_benchmark.py --qrstore .build/release/qrstore --out bench-output/scan
"""
import argparse
import io
import json
import os
import random
import statistics
import subprocess
import sys
import time
import xml.etree.ElementTree as ET

import segno
from PIL import Image, ImageDraw, ImageFilter

CATEGORIES = {"small": 24, "screenshot": 16, "photo": 12}


def payload(rnd, kind):
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz0123456789"
    tail = "".join(rnd.choice(alphabet) for _ in range(24))
    return f"wxp://f2f0{tail}" if kind == "wechat" else f"https://qr.alipay.com/fkx{tail.lower()}"


def code_image(text, box):
    out = io.BytesIO()
    segno.make(text, error="m", micro=False).save(out, kind="png", scale=10, border=4)
    img = Image.open(io.BytesIO(out.getvalue())).convert("RGB")
    return img.resize((box, box), Image.Resampling.NEAREST if box % img.width == 0 else Image.Resampling.BILINEAR)


def small(rnd, text):
    return code_image(text, rnd.choice([240, 300, 360, 420])), "png"


def screenshot(rnd, text):
    """A pay screen: coloured header, text bars, the code in a white card."""
    img = Image.new("RGB", (1080, 2400), (237, 237, 237))
    draw = ImageDraw.Draw(img)
    header = (7, 193, 96) if text.startswith("wxp") else (22, 119, 255)
    draw.rectangle((0, 0, 1080, 260), fill=header)
    for y in range(1500, 2300, 90):
        draw.rectangle((90, y, 90 + rnd.randint(300, 900), y + 40), fill=(190, 190, 190))
    draw.rounded_rectangle((90, 420, 990, 1380), radius=30, fill="white")
    img.paste(code_image(text, 680), (200, 560))
    return img, "png"


def photo(rnd, text):
    """A phone photo of a printed code: lit paper, noise, slight blur and tilt."""
    width, height = 3000, 4000
    grad = Image.linear_gradient("L").resize((width, height)).point(lambda v: 120 + v // 3)
    img = Image.merge("RGB", (grad, grad.point(lambda v: v * 95 // 100), grad.point(lambda v: v * 85 // 100)))
    side = rnd.randint(900, 1500)
    code = code_image(text, side).rotate(rnd.uniform(-12, 12), expand=True, fillcolor=(245, 245, 240))
    img.paste(code, (rnd.randint(200, width - code.width - 200), rnd.randint(300, height - code.height - 300)))
    noise = Image.effect_noise((width, height), 25).convert("RGB")
    img = Image.blend(img, noise, 0.12).filter(ImageFilter.GaussianBlur(1.2))
    return img, "jpg"


def make_batch(out):
    manifest_path = os.path.join(out, "manifest.json")
    if os.path.exists(manifest_path):
        return json.load(open(manifest_path))
    os.makedirs(out, exist_ok=True)
    rnd = random.Random(20261123)
    makers = {"small": small, "screenshot": screenshot, "photo": photo}
    manifest = {}
    for category, count in CATEGORIES.items():
        for index in range(count):
            kind = "wechat" if index % 2 == 0 else "alipay"
            text = payload(rnd, kind)
            img, ext = makers[category](rnd, text)
            amount = f"{1 - (index % 11) / 100:.2f}"
            name = f"{category}-{index:02d}-{kind}_{amount}.{ext}"
            if ext == "jpg":
                img.save(os.path.join(out, name), quality=85)
            else:
                img.save(os.path.join(out, name))
            manifest[name] = {"category": category, "payload": text}
            print(f"  made {name}", file=sys.stderr)
    json.dump(manifest, open(manifest_path, "w"), indent=1)
    return manifest


def run_qrstore(binary, files, pin_one_core):
    command = ([ "taskset", "-c", "0"] if pin_one_core else []) + [binary, "codes", "scan", *files]
    start = time.perf_counter()
    run = subprocess.run(command, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    found = {}
    for line in run.stdout.splitlines():
        result = json.loads(line)
        found[os.path.basename(result["file"])] = [result["payload"]] if "payload" in result else []
    return elapsed, found


def run_zbarimg(files):
    command = ["zbarimg", "--xml", "-q", "-Sdisable", "-Sqrcode.enable", *files]
    start = time.perf_counter()
    run = subprocess.run(command, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    found = {os.path.basename(f): [] for f in files}
    root = ET.fromstring(run.stdout)
    for source in root.iter():
        if source.tag.endswith("source"):
            name = os.path.basename(source.get("href"))
            found[name] = [d.text for d in source.iter() if d.tag.endswith("data")]
    return elapsed, found


def measure(label, runner, files, manifest, repeats):
    times, found = [], {}
    for _ in range(repeats):
        elapsed, found = runner(files)
        times.append(elapsed)
    median = statistics.median(times)
    correct = sum(1 for f in files if found.get(os.path.basename(f)) == [manifest[os.path.basename(f)]["payload"]])
    return {"tool": label, "images": len(files), "correct": correct, "seconds": median,
            "per_second": len(files) / median, "mean_ms": median * 1000 / len(files)}


def time_bombs(binary, repeats):
    """Wall time of one `codes scan` process refusing both pixel bombs, process start included."""
    fixtures = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Fixtures", "images")
    bombs = [os.path.join(fixtures, n) for n in ("bomb_30000x30000.png", "bomb_65500x65500.jpg")]
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run = subprocess.run([binary, "codes", "scan", *bombs], capture_output=True, text=True)
        times.append(time.perf_counter() - start)
        reasons = [json.loads(line).get("reason") for line in run.stdout.splitlines()]
        if reasons != ["too_large", "too_large"]:
            sys.exit(f"bombs were not refused: {run.stdout}")
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--qrstore", required=True)
    parser.add_argument("--out", default="bench-output/scan")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    batch = os.path.join(args.out, "batch")
    manifest = make_batch(batch)
    names = sorted(manifest)
    tools = [
        ("qrstore codes scan", lambda fs: run_qrstore(args.qrstore, fs, False)),
        ("qrstore codes scan, 1 core", lambda fs: run_qrstore(args.qrstore, fs, True)),
        ("zbarimg (QR only)", run_zbarimg),
    ]
    rows = []
    groups = [("all", names)] + [(c, [n for n in names if manifest[n]["category"] == c]) for c in CATEGORIES]
    for group, members in groups:
        files = [os.path.join(batch, n) for n in members]
        for label, runner in tools:
            row = measure(label, runner, files, manifest, args.repeats)
            row["batch"] = group
            rows.append(row)
    print(f"\nScanning {len(names)} images ({', '.join(f'{n} {c}' for c, n in CATEGORIES.items())}), "
          f"median of {args.repeats} runs, {os.cpu_count()} cores\n")
    print("| batch | tool | correct | images/s | mean ms/image |")
    print("|---|---|---|---|---|")
    for row in rows:
        print(f"| {row['batch']} | {row['tool']} | {row['correct']}/{row['images']} | "
              f"{row['per_second']:.1f} | {row['mean_ms']:.1f} |")
    overall = {row["tool"]: row for row in rows if row["batch"] == "all"}
    speedup = overall["zbarimg (QR only)"]["seconds"] / overall["qrstore codes scan"]["seconds"]
    speedup_one = overall["zbarimg (QR only)"]["seconds"] / overall["qrstore codes scan, 1 core"]["seconds"]
    print(f"\nqrstore is {speedup:.1f}× faster than zbarimg overall ({speedup_one:.1f}× on one core).")
    bombs = time_bombs(args.qrstore, args.repeats)
    print(f"Both pixel bombs (30000×30000 PNG, 65500×65500 JPEG header) refused in {bombs * 1000:.0f} ms, "
          "one process, start-up included.")
    json.dump(rows, open(os.path.join(args.out, "results.json"), "w"), indent=1)
    if overall["qrstore codes scan"]["correct"] != len(names):
        sys.exit("qrstore missed codes")


if __name__ == "__main__":
    main()
