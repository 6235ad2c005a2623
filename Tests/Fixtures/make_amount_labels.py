#!/usr/bin/env python3
"""Amount labels for the OCR wrapper's tests, drawn by Pillow with Debian's fonts (fonts-dejavu-core,
fonts-wqy-microhei), independently of the code that reads them:

    .build-python/bin/python Tests/Fixtures/make_amount_labels.py

Each label is the amount as a wallet's saved code prints it above or below the symbol."""
import os

from PIL import Image, ImageDraw, ImageFont

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "images")
DEJAVU = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
WQY = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"

LABELS = [
    ("amount_label_yen.png", "¥0.99", DEJAVU, (255, 255, 255), (20, 20, 20)),
    ("amount_label_dark.png", "￥ 12.50", WQY, (25, 25, 25), (240, 240, 240)),
]


def main():
    for name, text, font_path, background, ink in LABELS:
        font = ImageFont.truetype(font_path, 64)
        left, top, right, bottom = font.getbbox(text)
        image = Image.new("RGB", (right - left + 80, bottom - top + 60), background)
        ImageDraw.Draw(image).text((40 - left, 30 - top), text, font=font, fill=ink)
        image.convert("L").save(os.path.join(OUT, name), optimize=True)
        print(name, image.size)


if __name__ == "__main__":
    main()
