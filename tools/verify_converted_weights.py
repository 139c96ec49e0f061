#!/usr/bin/python3
"""Checks a converted weights file (.vdbw) against its source checkpoint with PyTorch: every tensor
of the state_dict (but num_batches_tracked) is present, with the same shape and bit-identical fp32
values, the per-tensor XXH64 is not re-checked here (the C++ reader does) but the header layout is
parsed independently of the C++ code, following docs/weights-format.md.

Usage: /usr/bin/python3 tools/verify_converted_weights.py SOURCE.pth|SOURCE.safetensors FILE.vdbw
       /usr/bin/python3 tools/verify_converted_weights.py --make-torchvision DIR
            (writes resnet50.pth / inception_v3.pth from torchvision's architectures with seeded
             random weights, and resnet50.safetensors with half of its tensors in F16/BF16)
"""
import json
import os
import struct
import sys

import numpy as np
import torch


def read_vdbw(path):
    with open(path, "rb") as f:
        data = f.read()
    assert data[:8] == b"\x89VDBW\r\n\x1a", "bad magic"
    version, header_size, file_size, meta_off, meta_size, table_off, table_size, checksum = struct.unpack_from(
        "<IIQQQQQQ", data, 8)
    assert version == 1 and header_size == 64 and file_size == len(data)
    meta = json.loads(data[meta_off:meta_off + meta_size])
    pos = table_off
    count, _ = struct.unpack_from("<II", data, pos)
    pos += 8
    tensors = {}
    for _ in range(count):
        (name_len,) = struct.unpack_from("<I", data, pos)
        pos += 4
        name = data[pos:pos + name_len].decode()
        pos += name_len
        dtype, ndim = data[pos], data[pos + 1]
        pos += 4
        shape = struct.unpack_from(f"<{ndim}q", data, pos)
        pos += 8 * ndim
        offset, nbytes, _xxh = struct.unpack_from("<QQQ", data, pos)
        pos += 24
        assert dtype == 1 and offset % 64 == 0
        tensors[name] = np.frombuffer(data, dtype="<f4", count=nbytes // 4, offset=offset).reshape(shape)
    assert pos == table_off + table_size
    return meta, tensors


def load_source(path):
    with open(path, "rb") as f:
        head = f.read(8)
    if head[:2] == b"PK":
        sd = torch.load(path, map_location="cpu")
        return {k: v.to(torch.float32).numpy() for k, v in sd.items() if not k.endswith("num_batches_tracked")}
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(n))
        blob = f.read()
    out = {}
    for k, v in header.items():
        if k == "__metadata__":
            continue
        b, e = v["data_offsets"]
        raw = np.frombuffer(blob[b:e], dtype="<u2" if v["dtype"] in ("F16", "BF16") else "<f4")
        if v["dtype"] == "F16":
            arr = raw.view("<f2").astype("<f4")
        elif v["dtype"] == "BF16":
            arr = (raw.astype("<u4") << 16).view("<f4")
        else:
            arr = raw
        out[k] = arr.reshape(v["shape"])
    return out


def make_torchvision(out_dir):
    import torchvision
    os.makedirs(out_dir, exist_ok=True)
    torch.manual_seed(0)
    r = torchvision.models.resnet50()
    torch.save(r.state_dict(), os.path.join(out_dir, "resnet50.pth"))
    torch.manual_seed(1)
    inc = torchvision.models.inception_v3(init_weights=True, aux_logits=True)
    torch.save(inc.state_dict(), os.path.join(out_dir, "inception_v3.pth"))
    # A safetensors file with mixed dtypes, written by hand (no safetensors module needed).
    header, blobs, offset = {}, [], 0
    for i, (k, v) in enumerate(r.state_dict().items()):
        if k.endswith("num_batches_tracked"):
            continue
        t = v.to([torch.float32, torch.float16, torch.bfloat16][i % 3])
        raw = t.view(torch.int16).numpy().tobytes() if t.dtype != torch.float32 else t.numpy().tobytes()
        header[k] = {"dtype": {torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16"}[t.dtype],
                     "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    h = json.dumps(header).encode()
    with open(os.path.join(out_dir, "resnet50.safetensors"), "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + b"".join(blobs))
    print("wrote", sorted(os.listdir(out_dir)))


def main():
    if sys.argv[1] == "--make-torchvision":
        make_torchvision(sys.argv[2])
        return
    src, vdbw = sys.argv[1], sys.argv[2]
    meta, got = read_vdbw(vdbw)
    want = load_source(src)
    assert set(got) == set(want), f"tensor sets differ: {set(got) ^ set(want)}"
    worst = 0.0
    for k, v in want.items():
        assert tuple(got[k].shape) == tuple(v.shape), (k, got[k].shape, v.shape)
        if not np.array_equal(got[k], v):
            worst = max(worst, float(np.max(np.abs(got[k] - v))))
    assert worst == 0.0, f"values differ, max abs diff {worst}"
    print(f"OK: {len(got)} tensors bit-identical; architecture {meta['architecture']}, "
          f"{meta['num_classes']} classes, source sha256 {meta['source']['sha256'][:16]}...")


if __name__ == "__main__":
    main()
