#!/usr/bin/env python3
"""Reference outputs of the image functions, from independent implementations, for
tests/objects/image_functions_test.cpp:
  ML.RESIZE_IMAGE        torch.nn.functional.interpolate(mode='bilinear', align_corners=False,
                         antialias=False), the arithmetic of tf.image.resize(antialias=False)
  ML.CONVERT_COLOR_SPACE 'HSV': Python's colorsys.rgb_to_hsv
over the lossless fixtures of tests/data/objects (PIL decodes them to the same samples as stb).
Writes tests/data/objects_ref/image_functions.json (values rounded to 7 decimals).

    OPENBLAS_NUM_THREADS=1 /usr/bin/python3 tools/make_image_function_fixtures.py
"""

import colorsys
import json
import os

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.join(HERE, "..", "tests", "data", "objects")
OUT = os.path.join(HERE, "..", "tests", "data", "objects_ref", "image_functions.json")

FILES = ["poses/downdog/d2.png", "poses/tree/t2.bmp"]
SIZES = [(3, 4), (1, 1), (14, 20), (5, 13), (20, 9), (7, 10)]


def pixels(rel):
    img = Image.open(os.path.join(SRC, rel)).convert("RGB")
    return np.asarray(img, dtype=np.float32) / np.float32(255.0)  # H, W, 3 in [0, 1]


def main():
    torch.set_num_threads(1)
    out = {"files": []}
    for rel in FILES:
        hwc = pixels(rel)
        h, w, _ = hwc.shape
        entry = {"file": rel, "height": h, "width": w, "resize": [], "hsv": []}
        x = torch.from_numpy(np.ascontiguousarray(hwc.transpose(2, 0, 1)))[None]  # 1, 3, H, W
        for th, tw in SIZES:
            y = F.interpolate(x, size=(th, tw), mode="bilinear", align_corners=False, antialias=False)
            vals = y[0].permute(1, 2, 0).reshape(-1).tolist()  # HWC order
            entry["resize"].append({"height": th, "width": tw, "values": [round(v, 7) for v in vals]})
        for r, g, b in hwc.reshape(-1, 3).astype(np.float64):
            entry["hsv"].extend(round(v, 7) for v in colorsys.rgb_to_hsv(r, g, b))
        out["files"].append(entry)
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        json.dump(out, f, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {OUT} ({os.path.getsize(OUT)} bytes)")


if __name__ == "__main__":
    main()
