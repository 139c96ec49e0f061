#!/usr/bin/python3
"""Reference fixtures for visiondb's networks, computed by PyTorch on generated weights.

Builds torchvision's ResNet-50 and Inception-v3 (transform_input=True, as torchvision loads
pretrained weights), fills every tensor from the counter-based generator that
include/visiondb/nn/generated_weights.hpp re-implements bit for bit, runs a generated input batch
and writes logits, pooled embeddings and a few intermediate activations to tests/data/nn/*.json.

Run with Debian's interpreter and one BLAS thread:
    OPENBLAS_NUM_THREADS=1 /usr/bin/python3 tools/make_nn_fixtures.py
Optional:
    --stats                 print per-stage activation statistics (checks the generator's scaling)
    --weights-out DIR       also write resnet50_generated.safetensors, inception_v3_generated.safetensors
                            and a torchvision-style resnet50_generated.pth there (never commit them)
"""
import argparse
import json
import math
import os
import struct
import sys

import numpy as np

MASK64 = (1 << 64) - 1
GOLDEN = 0x9E3779B97F4A7C15


def fnv1a64(text):
    h = 0xCBF29CE484222325
    for b in text.encode("utf-8"):
        h ^= b
        h = (h * 0x100000001B3) & MASK64
    return h


def uniform_pm1(key, count):
    """float32 values in [-1, 1): splitmix64(key + (i + 1) * golden), top 24 bits, exact."""
    with np.errstate(over="ignore"):
        i = np.arange(1, count + 1, dtype=np.uint64)
        x = np.uint64(key) + i * np.uint64(GOLDEN)
        z = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z = z ^ (z >> np.uint64(31))
    top = (z >> np.uint64(40)).astype(np.int64) - (1 << 23)
    return top.astype(np.float32) * np.float32(1.0 / (1 << 23))


def generate(name, shape, scale, offset, seed):
    """value = float32(double(u) * double(float32(scale)) + double(float32(offset)))."""
    key = fnv1a64(name) ^ ((seed * GOLDEN) & MASK64)
    count = int(np.prod(shape)) if len(shape) else 1
    u = uniform_pm1(key, count).astype(np.float64)
    s = np.float64(np.float32(scale))
    o = np.float64(np.float32(offset))
    return (u * s + o).astype(np.float32).reshape(shape)


def tensor_law(name, shape, residual_gamma):
    """(scale, offset) of a tensor, from its name and shape; mirrored in generated_weights_impl.hpp."""
    leaf = name.rsplit(".", 1)[-1]
    if leaf == "weight" and len(shape) == 4:  # conv: He-uniform, keeps E[x^2] through conv + ReLU
        fan_in = shape[1] * shape[2] * shape[3]
        return math.sqrt(6.0 / fan_in), 0.0
    if leaf == "weight" and len(shape) == 2:  # fc: unit-variance logits from a unit-RMS embedding
        return math.sqrt(3.0 / shape[1]), 0.0
    if leaf == "bias" and len(shape) == 1 and not is_bn(name):
        return 0.01, 0.0
    if leaf == "weight":  # batch-norm gamma; smaller on the last BN of a residual branch
        return (0.1, residual_gamma) if is_residual_bn(name) else (0.2, 1.0)
    if leaf == "bias":
        return 0.1, 0.0
    if leaf == "running_mean":
        return 0.1, 0.0
    if leaf == "running_var":
        return 0.25, 1.0
    raise ValueError("no generation law for " + name)


def is_bn(name):
    parts = name.split(".")
    return len(parts) >= 2 and (parts[-2].startswith("bn") or parts[-2] == "1" and "downsample" in name)


def is_residual_bn(name):
    parts = name.split(".")
    return len(parts) >= 2 and parts[-2] == "bn3"


RESIDUAL_GAMMA = 0.3
INPUT_SCALE = 1.7


def fill_model(model, seed):
    sd = model.state_dict()
    out = {}
    import torch

    for name, t in sd.items():
        if name.endswith("num_batches_tracked"):
            out[name] = t.clone()
            continue
        scale, offset = tensor_law(name, list(t.shape), RESIDUAL_GAMMA)
        out[name] = torch.from_numpy(generate(name, list(t.shape), scale, offset, seed))
    model.load_state_dict(out)
    return out


def generated_input(shape, seed):
    return generate("input", shape, INPUT_SCALE, 0.0, seed)


def build(arch):
    import torchvision

    if arch == "resnet50":
        return torchvision.models.resnet50()
    return torchvision.models.inception_v3(init_weights=False, aux_logits=True, transform_input=True)


STAGES = {
    "resnet50": ["relu", "maxpool", "layer1", "layer2", "layer3", "layer4", "avgpool"],
    "inception_v3": ["Conv2d_1a_3x3", "maxpool1", "Conv2d_4a_3x3", "Mixed_5b", "Mixed_5d", "Mixed_6a",
                     "Mixed_6e", "Mixed_7a", "Mixed_7c", "avgpool"],
}
INPUT_HW = {"resnet50": 224, "inception_v3": 299}


def run(arch, batch, seed, stats):
    import torch

    model = build(arch)
    fill_model(model, seed)
    model.eval()
    acts = {}
    hooks = []
    for stage in STAGES[arch]:
        mod = dict(model.named_modules())[stage]
        hooks.append(mod.register_forward_hook(lambda m, i, o, s=stage: acts.__setitem__(s, o.detach().clone())))
    hw = INPUT_HW[arch]
    x = torch.from_numpy(generated_input([batch, 3, hw, hw], seed))
    with torch.inference_mode():
        logits = model(x)
    for h in hooks:
        h.remove()
    embedding = torch.flatten(acts["avgpool"], 1)
    if stats:
        print(f"{arch}: input std {x.std().item():.3f}")
        for s in STAGES[arch]:
            a = acts[s]
            print(f"  {s:14s} shape {list(a.shape)} mean {a.mean().item():8.4f} std {a.std().item():8.4f} "
                  f"max {a.abs().max().item():8.3f}")
        print(f"  logits std {logits.std().item():.4f} max {logits.abs().max().item():.3f}")
        top = torch.topk(logits, 6, dim=1).values
        print(f"  top-6 logits {top.tolist()}")
    return model, logits.numpy(), embedding.numpy(), acts


def slice_of(act, channels, size):
    # [N, C, H, W] -> first `channels` channels, top-left size x size window, every image.
    return act[:, :channels, :size, :size].numpy()


def as_entry(a):
    a = np.asarray(a, dtype=np.float32)
    return {"shape": list(a.shape), "data": [float(v) for v in a.reshape(-1)]}


def write_fixture(path, arch, batch, seed, logits, embedding, acts, model):
    # The first values the generator gives, so that the C++ twin can be checked bit for bit.
    sd = model.state_dict()
    first = next(iter(sd))
    check = {first: as_entry(sd[first].reshape(-1)[:8]), "fc.bias": as_entry(sd["fc.bias"][:8]),
             "input": as_entry(generated_input([1, 3, 2, 4], seed).reshape(-1))}
    inter = {}
    for stage in STAGES[arch]:
        if stage == "avgpool":
            continue
        a = acts[stage]
        inter[stage] = {
            "shape": list(a.shape),
            "channel_mean": as_entry(a.mean(dim=(0, 2, 3)).numpy()),
            "slice": as_entry(slice_of(a, 4, 5)),
        }
    doc = {
        "generator": {"seed": seed, "residual_gamma": RESIDUAL_GAMMA, "input_scale": INPUT_SCALE},
        "arch": arch,
        "batch": batch,
        "input_shape": [batch, 3, INPUT_HW[arch], INPUT_HW[arch]],
        "logits": as_entry(logits),
        "embedding": as_entry(embedding),
        "top5": np.argsort(-logits, axis=1, kind="stable")[:, :5].tolist(),
        "intermediate": inter,
        "generator_check": check,
    }
    with open(path, "w") as f:
        json.dump(doc, f, separators=(",", ":"))
    print(f"wrote {path} ({os.path.getsize(path)} bytes)")


def write_safetensors(path, state):
    import torch

    header = {}
    blobs = []
    offset = 0
    for name, t in state.items():
        if t.dtype == torch.float32:
            dtype, data = "F32", t.contiguous().numpy().astype("<f4").tobytes()
        elif t.dtype == torch.int64:
            dtype, data = "I64", t.contiguous().numpy().astype("<i8").tobytes()
        else:
            raise ValueError(f"{name}: unsupported dtype {t.dtype}")
        header[name] = {"dtype": dtype, "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    hdr = json.dumps(header, separators=(",", ":")).encode("utf-8")
    hdr += b" " * ((8 - len(hdr) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(hdr)))
        f.write(hdr)
        for b in blobs:
            f.write(b)
    print(f"wrote {path} ({os.path.getsize(path)} bytes)")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "..", "tests", "data", "nn"))
    ap.add_argument("--batch", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--stats", action="store_true")
    ap.add_argument("--weights-out", default=None)
    ap.add_argument("--arch", choices=["resnet50", "inception_v3", "all"], default="all")
    args = ap.parse_args()
    import torch

    torch.set_num_threads(1)
    os.makedirs(args.out, exist_ok=True)
    archs = ["resnet50", "inception_v3"] if args.arch == "all" else [args.arch]
    for arch in archs:
        model, logits, embedding, acts = run(arch, args.batch, args.seed, args.stats)
        write_fixture(os.path.join(args.out, f"{arch}_generated.json"), arch, args.batch, args.seed, logits,
                      embedding, acts, model)
        if args.weights_out:
            os.makedirs(args.weights_out, exist_ok=True)
            state = model.state_dict()
            write_safetensors(os.path.join(args.weights_out, f"{arch}_generated.safetensors"), state)
            if arch == "resnet50":
                pth = os.path.join(args.weights_out, "resnet50_generated.pth")
                torch.save(state, pth)
                print(f"wrote {pth} ({os.path.getsize(pth)} bytes)")


if __name__ == "__main__":
    sys.exit(main())
