#!/usr/bin/python3
"""Writes the weight-file fixtures of tests/weights/ into tests/data/weights/ (re-run to regenerate).

Uses Debian's python3-torch / python3-torchvision; the tests themselves never need torch.
  state_dict.pth          torch.save of a real module's state_dict (with _metadata and an int64
                          num_batches_tracked) plus a transposed (non-contiguous) view, two views
                          into one storage at different offsets, fp16, bf16, fp64 and a scalar
  checkpoint.pth          {'epoch': 3, 'state_dict': {'module.<name>': tensor}} (DataParallel style)
  legacy.pth              the pre-1.6 non-zip format (must be refused with a clear message)
  malicious_reduce.pth    torch.save of an object whose __reduce__ calls os.system (must be refused)
  malicious_global.pth    a hand-written data.pkl: GLOBAL 'os system' + REDUCE (must be refused)
  tiny.safetensors        F32, F16, BF16 tensors and __metadata__, written by hand (the format is simple)
  expected.json           every tensor's name, shape, source dtype and fp32 values
  resnet50_manifest.json, inception_v3_manifest.json
                          torchvision's state_dict names and shapes (no values), so that tests and
                          benchmarks can build full-size files from generated values
Usage: /usr/bin/python3 tools/make_weight_fixtures.py
"""
import collections
import io
import json
import os
import struct
import zipfile

import numpy as np
import torch
import torchvision

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "tests", "data", "weights")


def values_of(t):
    return [float(v) for v in t.detach().to(torch.float32).reshape(-1).tolist()]


DTYPE_NAMES = {torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16", torch.float64: "F64",
               torch.int64: "I64"}


def describe(sd):
    return [{"name": k, "shape": list(v.shape), "dtype": DTYPE_NAMES[v.dtype], "values": values_of(v)}
            for k, v in sd.items()]


def state_dict_fixture():
    torch.manual_seed(7)
    m = torch.nn.Sequential(torch.nn.Conv2d(3, 4, 3), torch.nn.BatchNorm2d(4))
    m[1].running_mean.uniform_(-1, 1)
    m[1].running_var.uniform_(0.5, 2)
    m[1].num_batches_tracked.fill_(12345)
    sd = m.state_dict()  # an OrderedDict with _metadata
    base = torch.arange(20, dtype=torch.float32) * 0.25 - 2
    sd["fc.weight"] = torch.randn(5, 6).t()          # non-contiguous: stride (1, 6)
    sd["views.head"] = base[2:8].view(2, 3)           # storage offset 2, shared storage
    sd["views.tail"] = base[11:19:2]                  # offset 11, stride 2
    sd["half.weight"] = (torch.randn(3, 4) * 3).half()
    sd["half.weight"][0, 0] = 6.1e-5                  # subnormal-ish range of fp16
    sd["half.weight"][0, 1] = -65504.0
    sd["bf16.weight"] = torch.randn(2, 3).bfloat16()
    sd["double.bias"] = torch.randn(2, dtype=torch.float64)
    sd["scalar"] = torch.tensor(3.5)
    assert not sd["fc.weight"].is_contiguous() and sd["views.head"].storage_offset() == 2
    return sd


class Evil:
    def __reduce__(self):
        return (os.system, ("echo visiondb-must-never-run-this",))


def write_safetensors(path, tensors, metadata):
    header, blobs, offset = {"__metadata__": metadata}, [], 0
    for name, (dtype, arr) in tensors.items():
        raw = arr.tobytes()
        header[name] = {"dtype": dtype, "shape": list(arr.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + b"".join(blobs))


def main():
    os.makedirs(OUT, exist_ok=True)
    expected = {}

    sd = state_dict_fixture()
    torch.save(sd, os.path.join(OUT, "state_dict.pth"))
    expected["state_dict.pth"] = describe(sd)

    inner = collections.OrderedDict((f"module.layer.{i}.weight", torch.randn(2, 2) * i) for i in range(3))
    torch.save({"epoch": 3, "state_dict": inner, "note": "trained"}, os.path.join(OUT, "checkpoint.pth"))
    expected["checkpoint.pth"] = [dict(d, name=d["name"][len("module."):]) for d in describe(inner)]

    torch.save(collections.OrderedDict(w=torch.ones(2)), os.path.join(OUT, "legacy.pth"),
               _use_new_zipfile_serialization=False)
    torch.save(Evil(), os.path.join(OUT, "malicious_reduce.pth"))
    # A zip laid out as torch.save's, whose data.pkl is: GLOBAL os.system, ('echo pwned',), REDUCE.
    pkl = b"\x80\x02cos\nsystem\nq\x00X\n\x00\x00\x00echo pwnedq\x01\x85q\x02Rq\x03."
    with zipfile.ZipFile(os.path.join(OUT, "malicious_global.pth"), "w", zipfile.ZIP_STORED) as z:
        z.writestr("malicious_global/data.pkl", pkl)
        z.writestr("malicious_global/version", "3\n")

    rng = np.random.default_rng(3)
    f32 = rng.standard_normal((4, 3)).astype("<f4")
    f16 = (rng.standard_normal((5,)) * 4).astype("<f2")
    bf16_src = rng.standard_normal((2, 2)).astype("<f4")
    bf16 = (bf16_src.view("<u4") >> 16).astype("<u2")  # truncation, a valid bfloat16 pattern
    write_safetensors(os.path.join(OUT, "tiny.safetensors"),
                      {"conv1.weight": ("F32", f32), "bn1.bias": ("F16", f16), "fc.bias": ("BF16", bf16)},
                      {"format": "pt", "note": "visiondb fixture"})
    expected["tiny.safetensors"] = [
        {"name": "conv1.weight", "shape": [4, 3], "dtype": "F32", "values": [float(v) for v in f32.reshape(-1)]},
        {"name": "bn1.bias", "shape": [5], "dtype": "F16", "values": [float(v) for v in f16.astype("<f4")]},
        {"name": "fc.bias", "shape": [2, 2], "dtype": "BF16",
         "values": [float(v) for v in (bf16.astype("<u4") << 16).view("<f4").reshape(-1)]},
    ]
    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1)

    for arch, ctor in (("resnet50", torchvision.models.resnet50),
                       ("inception_v3", lambda: torchvision.models.inception_v3(init_weights=False, aux_logits=True))):
        model = ctor()
        manifest = [{"name": k, "shape": list(v.shape), "dtype": DTYPE_NAMES[v.dtype]} for k, v in model.state_dict().items()]
        with open(os.path.join(OUT, f"{arch}_manifest.json"), "w") as f:
            json.dump({"architecture": arch, "source": f"torchvision {torchvision.__version__} state_dict()",
                       "tensors": manifest}, f, separators=(",", ":"))

    for name in sorted(os.listdir(OUT)):
        print(f"{os.path.getsize(os.path.join(OUT, name)):8d}  {name}")


if __name__ == "__main__":
    main()
