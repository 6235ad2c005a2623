#!/usr/bin/env python3
"""Makes the image fixtures in images/ with tools independent of QRStore's own code.

segno draws the QR matrices, pypng writes every PNG colour type and bit depth (with tRNS,
alpha and Adam7 interlacing), Pillow writes the JPEG variants, python-barcode the EAN-13.
Run it again after changing it: `python3 Tests/Fixtures/make_fixtures.py`. Each fixture's
expected payload is listed in images/expected.json; where a fixture only means something if
zbarimg sees it a certain way, this script checks that with zbarimg when it is installed.
"""
import io
import json
import os
import random
import shutil
import struct
import subprocess
import zlib
import zipfile

import barcode
import png
import segno
from barcode.writer import ImageWriter
from PIL import Image, ImageDraw

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "images")
WECHAT = "wxp://f2f0Xq3JrJb7V2cO6Gmkp1b9QxY0Z3oN5cE"
ALIPAY = "https://qr.alipay.com/fkx17342kqtlbezmj0mvw3a"
OTHER = "wxp://f2f1AnotherCodeForMultiple000"
expected = {}


def matrix(payload, scale=6, border=4):
    """The QR code as rows of 0 (dark) / 1 (light), one entry per pixel."""
    code = segno.make(payload, error="m", micro=False)
    rows = []
    for row in code.matrix_iter(scale=scale, border=border):
        rows.append([0 if dark else 1 for dark in row])
    return rows


def write_png(name, rows, payload, **writer_args):
    channels = 1 if "palette" in writer_args else (
        (1 if writer_args.get("greyscale") else 3) + (1 if writer_args.get("alpha") else 0))
    height, width = len(rows), len(rows[0]) // channels
    with open(os.path.join(OUT, name), "wb") as f:
        png.Writer(width, height, **writer_args).write(f, rows)
    expected[name] = payload


def png_variants():
    base = matrix(WECHAT)
    # Grayscale at every bit depth; light modules at the depth's maximum.
    for depth in (1, 2, 4, 8, 16):
        top = (1 << depth) - 1
        rows = [[v * top for v in row] for row in base]
        write_png(f"png_gray{depth}.png", rows, WECHAT, greyscale=True, bitdepth=depth)
    write_png("png_gray1_interlaced.png", base, WECHAT, greyscale=True, bitdepth=1, interlace=True)
    # RGB 8 and 16 bit, with colour: dark navy on light yellow.
    for depth in (8, 16):
        top = (1 << depth) - 1
        dark, light = (0, 0, top // 3), (top, top, top * 7 // 10)
        rows = [sum((list(light if v else dark) for v in row), []) for row in base]
        write_png(f"png_rgb{depth}.png", rows, WECHAT, greyscale=False, bitdepth=depth)
        if depth == 8:
            write_png("png_rgb8_interlaced.png", rows, WECHAT, greyscale=False, bitdepth=8,
                      interlace=True)
    # Palettes at every depth; index 0 dark, 1 light.
    for depth in (1, 2, 4, 8):
        palette = [(20, 20, 60), (250, 250, 240)]
        write_png(f"png_palette{depth}.png", base, WECHAT, palette=palette, bitdepth=depth)
    # Transparency: the light modules are transparent *black*, so only compositing over white
    # (not over black, and not ignoring alpha) gives a readable code.
    palette_trns = [(0, 0, 0, 255), (0, 0, 0, 0)]
    write_png("png_palette_trns.png", base, WECHAT, palette=palette_trns, bitdepth=1)
    rows = [[0 if v else 1 for v in row] for row in base]  # 0 = transparent light, 1 = dark
    write_png("png_gray_trns.png", rows, WECHAT, greyscale=True, bitdepth=8, transparent=0)
    rows = [sum(([0, 0] if v else [0, 255] for v in row), []) for row in base]
    write_png("png_gray_alpha8.png", rows, WECHAT, greyscale=True, alpha=True, bitdepth=8)
    rows = [sum(([0, 0, 0, 0] if v else [0, 0, 0, 255] for v in row), []) for row in base]
    write_png("png_rgba8.png", rows, WECHAT, greyscale=False, alpha=True, bitdepth=8)
    write_png("png_rgba8_interlaced.png", rows, WECHAT, greyscale=False, alpha=True, bitdepth=8,
              interlace=True)
    rows = [sum(([0, 0, 0, 0] if v else [0, 0, 0, 65535] for v in row), []) for row in base]
    write_png("png_rgba16.png", rows, WECHAT, greyscale=False, alpha=True, bitdepth=16)


def qr_image(payload, scale=6, border=4, dark=0, light=255):
    code = segno.make(payload, error="m", micro=False)
    out = io.BytesIO()
    code.save(out, kind="png", scale=scale, border=border)
    img = Image.open(io.BytesIO(out.getvalue())).convert("L")
    if (dark, light) != (0, 255):
        img = img.point(lambda v: dark if v < 128 else light)
    return img


def save(img, name, payload, **args):
    img.save(os.path.join(OUT, name), **args)
    expected[name] = payload


def jpeg_variants():
    code = qr_image(ALIPAY).convert("RGB")
    save(code, "jpeg_baseline.jpg", ALIPAY, quality=90)
    save(code, "jpeg_progressive.jpg", ALIPAY, quality=90, progressive=True)
    save(code.convert("L"), "jpeg_gray.jpg", ALIPAY, quality=90)
    # Pillow writes CMYK inverted, with the Adobe APP14 marker, as Photoshop does.
    save(code.convert("CMYK"), "jpeg_cmyk_adobe.jpg", ALIPAY, quality=90)
    # A wide picture, code on the left, stored turned a quarter and tagged with orientation 6
    # (rotate 90° clockwise to display): upright it is 600 wide and 300 high.
    wide = Image.new("RGB", (600, 300), "white")
    small = qr_image(ALIPAY, scale=5, border=2).convert("RGB")
    wide.paste(small, (10, 10))
    wide.paste((0, 0, 0), (560, 260, 600, 300))  # a black block at the bottom right corner
    stored = wide.transpose(Image.Transpose.ROTATE_90)  # counter-clockwise, 300 × 600
    exif = Image.Exif()
    exif[0x0112] = 6
    save(stored, "jpeg_exif_orientation6.jpg", ALIPAY, quality=92, exif=exif.tobytes())


def photo(size, code_side, payload, seed, offset=None):
    """A phone-photo stand-in: a lit gradient with noise and the code printed somewhere."""
    rnd = random.Random(seed)
    width, height = size
    grad = Image.linear_gradient("L").resize((width, height)).point(lambda v: 90 + v // 3)
    img = Image.merge("RGB", (grad, grad.point(lambda v: v * 9 // 10), grad.point(lambda v: v * 8 // 10)))
    noise = Image.effect_noise((width, height), 18).convert("RGB")
    img = Image.blend(img, noise, 0.15)
    code = qr_image(payload, scale=max(2, code_side // 45), border=4).convert("RGB")
    code = code.resize((code_side, code_side), Image.Resampling.BILINEAR).rotate(
        rnd.uniform(-8, 8), expand=True, fillcolor=(255, 255, 255))
    x, y = offset or (rnd.randint(0, width - code.width), rnd.randint(0, height - code.height))
    img.paste(code, (x, y))
    return img


def scan_cases():
    save(qr_image(WECHAT, dark=255, light=0), "inverted.png", WECHAT)
    save(Image.linear_gradient("L").resize((400, 300)), "no_qr.png", None)
    # Two different codes, and the same code twice.
    two = Image.new("L", (600, 300), 255)
    two.paste(qr_image(WECHAT, scale=5, border=2), (10, 10))
    two.paste(qr_image(OTHER, scale=5, border=2), (310, 10))
    save(two, "multiple.png", [WECHAT, OTHER])
    twice = Image.new("L", (600, 300), 255)
    twice.paste(qr_image(WECHAT, scale=5, border=2), (10, 10))
    twice.paste(qr_image(WECHAT, scale=5, border=2), (310, 10))
    save(twice, "same_twice.png", WECHAT)
    # An EAN-13 beside the QR code: only the QR code counts.
    ean = io.BytesIO()
    barcode.get("ean13", "5901234123457", writer=ImageWriter()).write(ean)
    ean_img = Image.open(io.BytesIO(ean.getvalue())).convert("L")
    both = Image.new("L", (ean_img.width + 320, max(ean_img.height, 300)), 255)
    both.paste(ean_img, (0, 0))
    both.paste(qr_image(WECHAT, scale=5, border=2), (ean_img.width + 10, 10))
    save(both, "qr_and_ean13.png", WECHAT)
    # Photos: one where the reduced first pass is enough, one whose code is so small that only
    # the full-resolution pass reads it.
    save(photo((2000, 1500), 700, ALIPAY, 1), "photo.jpg", ALIPAY, quality=80)
    save(photo((1600, 1200), 100, WECHAT, 2, offset=(700, 500)), "photo_small_code.jpg", WECHAT,
         quality=85)


def rejects():
    code = qr_image(WECHAT)
    save(code, "not_supported.gif", None)
    save(code, "not_supported.webp", None)
    save(code, "not_supported.bmp", None)
    save(code, "not_supported.tiff", None)
    segno.make(WECHAT).save(os.path.join(OUT, "not_supported.svg"))
    expected["not_supported.svg"] = None
    with open(os.path.join(OUT, "not_supported.txt"), "w") as f:
        f.write(WECHAT + "\n")
    expected["not_supported.txt"] = None
    good_png = open(os.path.join(OUT, "png_gray8.png"), "rb").read()
    with open(os.path.join(OUT, "corrupt_truncated.png"), "wb") as f:
        f.write(good_png[: len(good_png) // 2])
    damaged = bytearray(good_png)
    idat = damaged.index(b"IDAT") + 20
    damaged[idat:idat + 16] = b"\xde\xad\xbe\xef" * 4  # the chunk CRC no longer matches
    with open(os.path.join(OUT, "corrupt_damaged.png"), "wb") as f:
        f.write(bytes(damaged))
    good_jpeg = open(os.path.join(OUT, "jpeg_baseline.jpg"), "rb").read()
    with open(os.path.join(OUT, "corrupt_header.jpg"), "wb") as f:
        f.write(good_jpeg[:200])  # cut inside the Huffman tables
    with open(os.path.join(OUT, "corrupt_truncated.jpg"), "wb") as f:
        f.write(good_jpeg[: len(good_jpeg) * 2 // 3])
    for name in ("corrupt_truncated.png", "corrupt_damaged.png", "corrupt_header.jpg",
                 "corrupt_truncated.jpg"):
        expected[name] = None


def bombs():
    # 30000 × 30000 1-bit gray: 900 megapixels announced in a file of a few KB. The IDAT holds
    # the first rows only; a decoder that trusts the header allocates before it notices.
    width = height = 30000
    raw = (b"\x00" + b"\xff" * (width // 8)) * 200
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")
    with open(os.path.join(OUT, "bomb_30000x30000.png"), "wb") as f:
        f.write(data)
    # A small JPEG whose frame header is patched to 65500 × 65500.
    jpeg = bytearray(open(os.path.join(OUT, "jpeg_gray.jpg"), "rb").read())
    sof = jpeg.index(b"\xff\xc0")
    jpeg[sof + 5:sof + 9] = struct.pack(">HH", 65500, 65500)
    with open(os.path.join(OUT, "bomb_65500x65500.jpg"), "wb") as f:
        f.write(bytes(jpeg))
    expected["bomb_30000x30000.png"] = None
    expected["bomb_65500x65500.jpg"] = None


def zips():
    """Batches: a good one, and one that tries to escape, hide and overflow."""
    def add(z, name, data):
        z.writestr(zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)), data)
    wechat_png = open(os.path.join(OUT, "png_gray8.png"), "rb").read()
    alipay_jpg = open(os.path.join(OUT, "jpeg_baseline.jpg"), "rb").read()
    other = io.BytesIO()
    qr_image(OTHER).save(other, format="PNG")
    with zipfile.ZipFile(os.path.join(OUT, "batch.zip"), "w", zipfile.ZIP_DEFLATED) as z:
        add(z, "codes/wechat_0.99.png", wechat_png)
        add(z, "codes/alipay-1.00.jpg", alipay_jpg)
        add(z, "codes/sub/0.98.png", other.getvalue())
        add(z, "__MACOSX/codes/._wechat_0.99.png", b"\x00\x05\x16\x07 resource fork")
        add(z, "codes/.DS_Store", b"Bud1 junk")
        add(z, "codes/empty-folder/", b"")
    with zipfile.ZipFile(os.path.join(OUT, "hostile.zip"), "w", zipfile.ZIP_DEFLATED) as z:
        add(z, "../../wechat_0.99.png", wechat_png)
        add(z, "/etc/wechat_0.98.png", other.getvalue())
        add(z, "notes.txt", b"hello")


def check_with_zbarimg():
    if not shutil.which("zbarimg"):
        print("zbarimg not installed: skipped the cross-checks")
        return
    def read(name):
        run = subprocess.run(["zbarimg", "-q", os.path.join(OUT, name)], capture_output=True, text=True)
        return run.stdout.splitlines()
    assert any(line.startswith("EAN-13:") for line in read("qr_and_ean13.png")), "EAN-13 not drawn"
    assert f"QR-Code:{WECHAT}" in read("png_gray8.png")
    assert f"QR-Code:{WECHAT}" in read("photo_small_code.jpg"), "small code unreadable even in full"
    # The small code must need full resolution, or it would not test the fallback.
    Image.open(os.path.join(OUT, "photo_small_code.jpg")).reduce(2).save(os.path.join(OUT, "half.png"))
    assert not any(line.startswith("QR-Code:") for line in read("half.png")), "small code read at 1/2"
    os.remove(os.path.join(OUT, "half.png"))


def main():
    shutil.rmtree(OUT, ignore_errors=True)
    os.makedirs(OUT)
    png_variants()
    jpeg_variants()
    scan_cases()
    rejects()
    bombs()
    zips()
    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1, sort_keys=True)
        f.write("\n")
    check_with_zbarimg()
    total = sum(os.path.getsize(os.path.join(OUT, n)) for n in os.listdir(OUT))
    print(f"{len(os.listdir(OUT))} files, {total // 1024} KiB in {OUT}")


if __name__ == "__main__":
    main()
