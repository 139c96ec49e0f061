#!/usr/bin/python3
"""The peer of bench/image_bench.cpp: PIL's decode and torchvision's classification preprocessing
(Resize(256|342) on a PIL image, CenterCrop(224|299), ToTensor, Normalize) on the same JPEGs, one
thread. Prints wall and CPU milliseconds per image and images/s (by CPU time, as Google Benchmark's
items_per_second), so both can be read side by side on a busy machine.

Usage: OPENBLAS_NUM_THREADS=1 /usr/bin/python3 tools/bench_image_peers.py [--data-dir DIR] [--seconds S]
"""
import argparse
import glob
import io
import os
import time

import torch
from PIL import Image
from torchvision import transforms

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def corpus(data_dir):
    files = sorted(glob.glob(os.path.join(data_dir, "images", "samples", "imagenet_samples", "*.JPEG")))
    if not files:
        files = [os.path.join(ROOT, "tests", "data", "image", "bench_500x375.jpg")]
    return files, [open(f, "rb").read() for f in files]


def measure(label, fn, n_items, seconds):
    fn()  # warm-up
    wall0, cpu0, reps = time.perf_counter(), time.process_time(), 0
    while time.perf_counter() - wall0 < seconds:
        fn()
        reps += 1
    wall = (time.perf_counter() - wall0) / (reps * n_items)
    cpu = (time.process_time() - cpu0) / (reps * n_items)
    print(f"{label:<44} wall {wall * 1e3:7.2f} ms  cpu {cpu * 1e3:7.2f} ms  {1 / cpu:8.1f} images/s (cpu)")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data-dir", default=os.path.join(ROOT, "..", "shared", "data"))
    ap.add_argument("--seconds", type=float, default=3.0)
    args = ap.parse_args()
    torch.set_num_threads(1)
    names, blobs = corpus(os.path.abspath(args.data_dir))
    print(f"PIL {Image.__version__}, torch {torch.__version__}, {len(blobs)} JPEG(s) from {os.path.dirname(names[0])}")

    def decode(b):
        im = Image.open(io.BytesIO(b))
        return im.convert("RGB")  # convert() forces the full decode

    decoded = [decode(b) for b in blobs]
    norm = transforms.Normalize(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225])
    presets = {"resnet50": transforms.Compose([transforms.Resize(256), transforms.CenterCrop(224),
                                               transforms.ToTensor(), norm]),
               "inception_v3": transforms.Compose([transforms.Resize(342), transforms.CenterCrop(299),
                                                   transforms.ToTensor(), norm])}
    measure("PIL decode (JPEG -> RGB)", lambda: [decode(b) for b in blobs], len(blobs), args.seconds)
    for name, t in presets.items():
        measure(f"torchvision preprocess ({name})", lambda: [t(im) for im in decoded], len(blobs), args.seconds)
    for name, t in presets.items():
        measure(f"PIL decode + preprocess ({name})", lambda: [t(decode(b)) for b in blobs], len(blobs), args.seconds)


if __name__ == "__main__":
    main()
