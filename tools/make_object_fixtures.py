#!/usr/bin/env python3
"""Writes tests/data/objects/: a small folder tree of images (JPEG, PNG, BMP, GIF), a text file, a
PNG named .jpg and broken files, for the object-table and image-function SQL tests
(tests/sql/objects/*.test). Prints every file's size and md5 (hex and base64, the form of an object
table's md5_hash) for the expected values of those tests.

    /usr/bin/python3 tools/make_object_fixtures.py

Deterministic: the same bytes on every run (Pillow 9.4, Debian 12)."""

import base64
import hashlib
import os
import shutil

from PIL import Image

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "data", "objects")


def pattern(w, h, seed):
    """An RGB gradient with a few sharp edges, different per seed."""
    img = Image.new("RGB", (w, h))
    px = img.load()
    for y in range(h):
        for x in range(w):
            r = (x * 255 // max(w - 1, 1) + seed * 40) % 256
            g = (y * 255 // max(h - 1, 1) + seed * 90) % 256
            b = ((x // 4 + y // 4) % 2) * 200 + seed * 7 % 56
            px[x, y] = (r, g, b)
    return img


def save(rel, img, **kw):
    path = os.path.join(ROOT, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    img.save(path, **kw)


def write(rel, data):
    path = os.path.join(ROOT, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def main():
    shutil.rmtree(ROOT, ignore_errors=True)
    save("poses/downdog/d1.jpg", pattern(16, 12, 1), format="JPEG", quality=90)
    save("poses/downdog/d2.png", pattern(10, 7, 2), format="PNG")
    save("poses/tree/t1.jpg", pattern(20, 15, 3), format="JPEG", quality=85)
    save("poses/tree/t2.bmp", pattern(9, 5, 4), format="BMP")
    save("poses/tree/t3.gif", pattern(8, 6, 5).convert("P", palette=Image.ADAPTIVE, colors=16), format="GIF")
    write("poses/tree/notes.txt", b"tree pose: stand on one leg\n")
    # A PNG whose name says JPEG: content_type comes from the signature.
    save("poses/mislabeled.jpg", pattern(6, 4, 6), format="PNG")
    # Broken files: half a JPEG, an empty PNG, text named .jpg.
    full = os.path.join(ROOT, "poses/tree/t1.jpg")
    with open(full, "rb") as f:
        data = f.read()
    write("broken/truncated.jpg", data[: len(data) // 2])
    write("broken/empty.png", b"")
    write("broken/text.jpg", b"this is not an image\n")

    for dirpath, _, files in sorted(os.walk(ROOT)):
        for name in sorted(files):
            path = os.path.join(dirpath, name)
            with open(path, "rb") as f:
                data = f.read()
            digest = hashlib.md5(data).digest()
            print(f"{os.path.relpath(path, ROOT)}\t{len(data)}\t{digest.hex()}\t{base64.b64encode(digest).decode()}")


if __name__ == "__main__":
    main()
