#!/usr/bin/python3
"""End-to-end reference on real photos: PIL decode + torchvision preprocessing + torchvision network.

For a few photos of the shared data dir (../shared/data/images/samples, see its README), it runs
torchvision's classification presets (Image.open().convert('RGB'), Resize(256 | 342) with PIL's
antialiased bilinear filter, CenterCrop(224 | 299), ToTensor, Normalize(ImageNet)) and torchvision's
ResNet-50 and Inception-v3 filled with the project's generated weights (tools/make_nn_fixtures.py),
and writes tests/data/nn/real_images.json. Only derived numbers are written, never pixels: the file's
sha256 (to check the test reads the same photo), a CRC-32 of the uint8 crop (for the lossless PNGs,
where visiondb's decode must be exact), the top-10 classes with their logits, 32 logits at fixed
indices, and statistics of the 2048-wide embedding (mean, RMS, max, L2 norm and 16 values).

Run with Debian's interpreter and one BLAS thread:
    OPENBLAS_NUM_THREADS=1 /usr/bin/python3 tools/make_nn_image_fixtures.py [--data-dir ../shared/data]
"""
import argparse
import hashlib
import json
import os
import sys
import zlib

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_nn_fixtures as fx  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
OUT = os.path.join(ROOT, "tests", "data", "nn", "real_images.json")

# Lossless PNGs (RGB and 8-bit gray) first: there visiondb's decode equals Pillow's bit for bit. Then
# JPEGs of every kind the decoder meets: baseline, progressive, gray, Adobe CMYK, a large one, real
# ImageNet photos.
PHOTOS = [
    "cat_chelsea.png", "coffee.png", "astronaut.png", "camera_gray.png",
    "grace_hopper.jpg", "samoyed_dog.jpg", "bald_eagle.jpg", "puppies_progressive.jpg", "concert_gray.jpg",
    "cmyk_no_icc.jpg", "imagenet_samples/n02099601_golden_retriever.JPEG",
    "imagenet_samples/n02123045_tabby.JPEG", "imagenet_samples/n03594945_jeep.JPEG",
    "imagenet_samples/n07742313_Granny_Smith.JPEG",
]
PRESETS = {"resnet50": (256, 224), "inception_v3": (342, 299)}
MEAN = [0.485, 0.456, 0.406]
STD = [0.229, 0.224, 0.225]
FIXED_LOGITS = [int(i) for i in np.linspace(0, 999, 32).round()]
EMBEDDING_VALUES = 16


def preprocess(path, resize, crop):
    from PIL import Image
    from torchvision import transforms

    with Image.open(path) as im:
        rgb = im.convert("RGB")
    u8 = transforms.Compose([transforms.Resize(resize), transforms.CenterCrop(crop), transforms.PILToTensor()])(rgb)
    x = transforms.Compose([transforms.Resize(resize), transforms.CenterCrop(crop), transforms.ToTensor(),
                            transforms.Normalize(MEAN, STD)])(rgb)
    return u8.numpy().astype(np.uint8), x


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data-dir", default=os.path.join(ROOT, "..", "shared", "data"))
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", default=OUT)
    args = ap.parse_args()
    import torch

    torch.set_num_threads(1)
    samples = os.path.join(os.path.abspath(args.data_dir), "images", "samples")
    if not os.path.isdir(samples):
        sys.exit(f"no sample photos at {samples}")
    doc = {"source": "images/samples of the shared data dir", "seed": args.seed, "mean": MEAN, "std": STD,
           "fixed_logit_indices": FIXED_LOGITS, "networks": {}}
    for arch, (resize, crop) in PRESETS.items():
        model = fx.build(arch)
        fx.fill_model(model, args.seed)
        model.eval()
        pooled = {}
        model.avgpool.register_forward_hook(lambda m, i, o: pooled.__setitem__("e", torch.flatten(o, 1).clone()))
        rows = []
        for rel in PHOTOS:
            path = os.path.join(samples, rel)
            with open(path, "rb") as f:
                sha = hashlib.sha256(f.read()).hexdigest()
            u8, x = preprocess(path, resize, crop)
            with torch.inference_mode():
                logits = model(x.unsqueeze(0))[0].double().numpy()
            emb = pooled["e"][0].double().numpy()
            order = np.argsort(-logits, kind="stable")
            rows.append({
                "file": rel, "sha256": sha, "lossless": rel.endswith(".png"),
                "crop_crc32": zlib.crc32(u8.tobytes()) & 0xFFFFFFFF,
                "top10": [int(i) for i in order[:10]],
                "top10_logits": [float(logits[i]) for i in order[:10]],
                "logit_max_abs": float(np.abs(logits).max()),
                "fixed_logits": [float(logits[i]) for i in FIXED_LOGITS],
                "embedding": {"mean": float(emb.mean()), "rms": float(np.sqrt((emb ** 2).mean())),
                              "max": float(emb.max()), "l2": float(np.linalg.norm(emb)),
                              "first": [float(v) for v in emb[:EMBEDDING_VALUES]]},
            })
            gaps = np.diff(logits[order[:6]])
            print(f"{arch:12s} {rel:48s} top5 {order[:5].tolist()} min gap in top-6 {-gaps.max():.4f} "
                  f"max|logit| {np.abs(logits).max():.2f}")
        doc["networks"][arch] = {"resize": resize, "crop": crop, "photos": rows}
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w") as f:
        json.dump(doc, f, indent=1)
    print(f"wrote {args.out} ({os.path.getsize(args.out)} bytes)")


if __name__ == "__main__":
    main()
