#!/usr/bin/python3
"""The PyTorch peer of the end-to-end benchmark (tools/bench_e2e.sh): the BigQuery blog's
prediction over a folder of images, the way a PyTorch user writes it. For every image file (the
same sorted list visiondb's object table gives): read the bytes, decode with PIL (convert('RGB')),
torchvision's ResNet-50 preprocessing (Resize(256), CenterCrop(224), ToTensor, Normalize), batches
through torchvision's resnet50 holding the generated weights of tools/make_nn_fixtures.py (the
bits of visiondb-demo-data's .vdbw), softmax, and the top-k classes per image.

Two variants, each timed over whole passes of the folder after one warm-up batch:
  serial      decode and preprocess in the main process, then the network (torch threads = --threads)
  dataloader  torch.utils.data.DataLoader with --threads worker processes decoding and preprocessing
              the next batches while the network runs (the idiomatic pipeline; it uses more
              processes than --threads, so it is the peer's best case on a machine of that many cores)

It prints images/s per variant, writes them as JSON (--out), and writes each image's top-k class
indices as CSV (--topk-csv: path relative to the folder, then the k indices best first) so that the
caller can check visiondb's answers against PyTorch's.

Run with Debian's interpreter and one OpenBLAS thread:
    OPENBLAS_NUM_THREADS=1 /usr/bin/python3 tools/bench_e2e_torch.py --images DIR [--limit N] [--threads 2]
"""
import argparse
import io
import json
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_nn_fixtures as fx  # noqa: E402

EXTENSIONS = (".jpg", ".jpeg", ".png")


def list_images(root, limit):
    # Sorted by the path below the folder, as the object table lists gs://bucket/<path>.
    files = []
    for dirpath, _, names in os.walk(root, followlinks=False):
        for n in names:
            if n.lower().endswith(EXTENSIONS):
                files.append(os.path.relpath(os.path.join(dirpath, n), root))
    files.sort()
    return files[:limit] if limit else files


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--images", required=True)
    ap.add_argument("--limit", type=int, default=0, help="the first N images of the sorted list (0: all)")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--topk", type=int, default=3)
    ap.add_argument("--passes", type=int, default=2, help="timed passes over the folder per variant")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--variants", default="serial,dataloader")
    ap.add_argument("--out", default=None)
    ap.add_argument("--topk-csv", default=None)
    args = ap.parse_args()

    import torch
    import torchvision
    from PIL import Image
    from torchvision import transforms

    torch.set_num_threads(args.threads)
    root = os.path.abspath(args.images)
    files = list_images(root, args.limit)
    if not files:
        sys.exit(f"bench_e2e_torch: no images under {root}")

    t0 = time.perf_counter()
    model = fx.build("resnet50")
    fx.fill_model(model, args.seed)
    model.eval()
    print(f"torch {torch.__version__}, torchvision {torchvision.__version__}, PIL {Image.__version__}; "
          f"{len(files)} images from {root}; threads {args.threads}, batch {args.batch}; "
          f"weights generated in {time.perf_counter() - t0:.1f} s", flush=True)

    preprocess = transforms.Compose([
        transforms.Resize(256), transforms.CenterCrop(224), transforms.ToTensor(),
        transforms.Normalize(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225])])

    def load(rel):
        with open(os.path.join(root, rel), "rb") as f:
            data = f.read()
        return preprocess(Image.open(io.BytesIO(data)).convert("RGB"))

    class Folder(torch.utils.data.Dataset):
        def __len__(self):
            return len(files)

        def __getitem__(self, i):
            return load(files[i])

    def classify(x):
        with torch.inference_mode():
            probs = torch.softmax(model(x), dim=1)
            return torch.topk(probs, args.topk, dim=1).indices

    def batches_serial():
        for s in range(0, len(files), args.batch):
            yield torch.stack([load(r) for r in files[s:s + args.batch]])

    def batches_dataloader():
        loader = torch.utils.data.DataLoader(Folder(), batch_size=args.batch, num_workers=args.threads,
                                             shuffle=False)
        yield from loader

    variants = {"serial": batches_serial, "dataloader": batches_dataloader}
    results = {"images": len(files), "threads": args.threads, "batch": args.batch, "torch": torch.__version__,
               "variants": {}}
    top = None
    classify(torch.stack([load(files[0])]))  # warm-up: first-call allocations and thread start
    for name in args.variants.split(","):
        times = []
        for _ in range(args.passes):
            start = time.perf_counter()
            got = [classify(x) for x in variants[name]()]
            times.append(time.perf_counter() - start)
            top = torch.cat(got).tolist()
        med = statistics.median(times)
        results["variants"][name] = {"seconds": times, "images_per_s": len(files) / med,
                                     "best_images_per_s": len(files) / min(times)}
        print(f"torch {name:<10} {len(files) / med:7.2f} images/s (median of {len(times)} passes; "
              f"best {len(files) / min(times):.2f})", flush=True)

    if args.out:
        with open(args.out, "w") as f:
            json.dump(results, f, indent=1)
    if args.topk_csv:
        with open(args.topk_csv, "w") as f:
            for rel, idx in zip(files, top):
                f.write(rel + "," + ",".join(str(i) for i in idx) + "\n")


if __name__ == "__main__":
    main()
