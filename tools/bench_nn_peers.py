#!/usr/bin/python3
"""Side-by-side inference benchmark: visiondb's nn_bench, PyTorch and ONNX Runtime, in one run.

For each network (ResNet-50 224x224, Inception-v3 299x299), batch and thread count, it times, one
after the other so that they see the same machine load:
  - visiondb      build/bench/nn_bench (BM_Nn_ResNet50 / BM_Nn_InceptionV3), logits only; with --gemm
                  also with Winograd off (BM_Nn_*_Gemm), with --bf16 also the bf16 option
  - torch eager   model.eval() under torch.inference_mode(), NCHW and channels_last
  - torch script  torch.jit.trace + torch.jit.freeze, NCHW and channels_last
  - onnxruntime   npm onnxruntime-node (MLAS), graph optimisation 'all', intra-op threads = threads
All on the same generated weights (tools/make_nn_fixtures.py's generator). Each figure is the median
of several timed batches after warm-up, with the best batch shown too (the machine is shared).

Run with Debian's interpreter and one OpenBLAS thread (else OpenBLAS busy-waits on the 2nd core):
    OPENBLAS_NUM_THREADS=1 /usr/bin/python3 tools/bench_nn_peers.py --visiondb-bench build/bench/nn_bench \
        --ort-dir /tmp/ortpeer --out bench/results/nn_peers.json --markdown bench/results/nn_peers.md
--ort-dir names a folder where `ONNXRUNTIME_NODE_INSTALL=skip npm install onnxruntime-node` was run
(outside the repository); without it ONNX Runtime is skipped.

With --layer-profile (needs --visiondb-bench and --ort-dir) it compares the convolutions layer by
layer instead, at batch 1 and the first --threads value: ONNX Runtime's per-node profile
(enableProfiling) against visiondb's BM_Nn_*_LayerProfile (exact fp32 path), each layer's fastest
time over the runs, grouped by shape (input channels and size, output channels, kernel, output size)
and sorted by visiondb's loss.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_nn_fixtures as fx  # noqa: E402

INPUT_HW = {"resnet50": 224, "inception_v3": 299}
BENCH_NAME = {"resnet50": "BM_Nn_ResNet50", "inception_v3": "BM_Nn_InceptionV3"}


def time_runs(fn, min_seconds, min_runs=3, warmup=2):
    for _ in range(warmup):
        fn()
    times = []
    start = time.perf_counter()
    while len(times) < min_runs or time.perf_counter() - start < min_seconds:
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
        if len(times) >= 200:
            break
    return times


def summary(times, batch):
    med = statistics.median(times)
    best = min(times)
    return {"median_ms": med * 1e3, "best_ms": best * 1e3, "images_per_s": batch / med,
            "best_images_per_s": batch / best, "runs": len(times)}


def run_visiondb(binary, arch, batch, threads, min_seconds, suffix=""):
    filt = f"^{BENCH_NAME[arch]}{suffix}/batch:{batch}/threads:{threads}/"
    reps = 5
    cmd = [binary, f"--benchmark_filter={filt}", "--benchmark_format=json", f"--benchmark_repetitions={reps}",
           f"--benchmark_min_time={max(min_seconds / reps, 0.05)}", "--benchmark_report_aggregates_only=false"]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    doc = json.loads(out[out.index("{"):])
    times = [b["real_time"] / 1e3 for b in doc["benchmarks"] if b.get("run_type") == "iteration"]
    if not times:
        raise RuntimeError("nn_bench ran nothing for " + filt)
    return summary(times, batch)


def torch_variants(arch, batch, threads, min_seconds, seed, layouts, eager):
    import torch

    torch.set_num_threads(threads)
    model = fx.build(arch)
    fx.fill_model(model, seed)
    model.eval()
    hw = INPUT_HW[arch]
    x = torch.from_numpy(fx.generated_input([batch, 3, hw, hw], seed))
    results = {}
    for layout in layouts:
        m = model
        xi = x
        if layout == "channels_last":
            m = model.to(memory_format=torch.channels_last)
            xi = x.contiguous(memory_format=torch.channels_last)
        if eager:
            with torch.inference_mode():
                results[f"torch eager {layout}"] = summary(time_runs(lambda: m(xi), min_seconds), batch)
        with torch.no_grad():
            traced = torch.jit.freeze(torch.jit.trace(m, xi, check_trace=False).eval())
            results[f"torch script {layout}"] = summary(time_runs(lambda: traced(xi), min_seconds), batch)
    return results


def export_onnx(arch, folder, seed):
    import torch

    path = os.path.join(folder, f"{arch}.onnx")
    if os.path.exists(path):
        return path
    model = fx.build(arch)
    fx.fill_model(model, seed)
    model.eval()
    hw = INPUT_HW[arch]
    x = torch.from_numpy(fx.generated_input([1, 3, hw, hw], seed))
    with torch.no_grad():
        torch.onnx.export(model, x, path, input_names=["input"], output_names=["logits"],
                          dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}}, opset_version=13)
    return path


ORT_JS = r"""
const ort = require(process.argv[2] + '/node_modules/onnxruntime-node');
const [model, batch, threads, hw, minSeconds] = [process.argv[3], +process.argv[4], +process.argv[5], +process.argv[6], +process.argv[7]];
(async () => {
  const session = await ort.InferenceSession.create(model, {
    intraOpNumThreads: threads, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all'});
  const data = new Float32Array(batch * 3 * hw * hw);
  for (let i = 0; i < data.length; ++i) data[i] = Math.sin(i) * 1.7;
  const feeds = {input: new ort.Tensor('float32', data, [batch, 3, hw, hw])};
  for (let i = 0; i < 2; ++i) await session.run(feeds);
  const times = [];
  const start = process.hrtime.bigint();
  while (times.length < 3 || Number(process.hrtime.bigint() - start) / 1e9 < minSeconds) {
    const t0 = process.hrtime.bigint();
    await session.run(feeds);
    times.push(Number(process.hrtime.bigint() - t0) / 1e9);
    if (times.length >= 200) break;
  }
  console.log(JSON.stringify({times, version: require(process.argv[2] + '/node_modules/onnxruntime-node/package.json').version}));
})();
"""


def run_ort(ort_dir, onnx_path, arch, batch, threads, min_seconds, scratch):
    js = os.path.join(scratch, "ort_bench.js")
    with open(js, "w") as f:
        f.write(ORT_JS)
    out = subprocess.run(["node", js, os.path.abspath(ort_dir), onnx_path, str(batch), str(threads),
                          str(INPUT_HW[arch]), str(min_seconds)], capture_output=True, text=True, check=True).stdout
    doc = json.loads(out.strip().splitlines()[-1])
    s = summary(doc["times"], batch)
    s["version"] = doc["version"]
    return s


ORT_PROFILE_JS = r"""
const ort = require(process.argv[2] + '/node_modules/onnxruntime-node');
const [model, threads, hw, runs, prefix] = [process.argv[3], +process.argv[4], +process.argv[5], +process.argv[6], process.argv[7]];
(async () => {
  const session = await ort.InferenceSession.create(model, {
    intraOpNumThreads: threads, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all',
    enableProfiling: true, profileFilePrefix: prefix});
  const data = new Float32Array(3 * hw * hw);
  for (let i = 0; i < data.length; ++i) data[i] = Math.sin(i) * 1.7;
  const feeds = {input: new ort.Tensor('float32', data, [1, 3, hw, hw])};
  for (let i = 0; i < runs; ++i) await session.run(feeds);
  console.log(session.endProfiling());
})();
"""


def ort_conv_layers(ort_dir, onnx_path, arch, threads, runs, scratch):
    """{shape: total ms} of ONNX Runtime's Conv nodes, each node's fastest run."""
    js = os.path.join(scratch, "ort_profile.js")
    with open(js, "w") as f:
        f.write(ORT_PROFILE_JS)
    prefix = os.path.join(scratch, f"ort_profile_{arch}")
    out = subprocess.run(["node", js, os.path.abspath(ort_dir), onnx_path, str(threads), str(INPUT_HW[arch]),
                          str(runs), prefix], capture_output=True, text=True, check=True).stdout.strip().splitlines()
    path = out[-1] if out and os.path.exists(out[-1]) else max(
        (os.path.join(scratch, f) for f in os.listdir(scratch) if f.startswith(f"ort_profile_{arch}")), key=os.path.getmtime)
    with open(path) as f:
        events = json.load(f)
    best, shape = {}, {}
    for e in events:
        a = e.get("args", {})
        if e.get("cat") != "Node" or not e["name"].endswith("_kernel_time") or a.get("op_name") != "Conv":
            continue
        x, w = [list(t.values())[0] for t in a["input_type_shape"][:2]]
        y = list(a["output_type_shape"][0].values())[0]
        shape[e["name"]] = (w[1], x[-2], x[-1], w[0], w[2], w[3], y[-2], y[-1])
        best[e["name"]] = min(best.get(e["name"], 1e30), e["dur"] / 1e3)
    layers = {}
    for name, ms in best.items():
        layers[shape[name]] = layers.get(shape[name], 0.0) + ms
    return layers


def visiondb_conv_layers(binary, arch, threads, min_seconds, scratch):
    """{shape: total ms} of visiondb's convolutions (BM_Nn_*_LayerProfile), each call's fastest."""
    path = os.path.join(scratch, f"visiondb_profile_{arch}.tsv")
    filt = f"^{BENCH_NAME[arch]}_LayerProfile/batch:1/threads:{threads}/"
    subprocess.run([binary, f"--benchmark_filter={filt}", f"--benchmark_min_time={min_seconds}"],
                   env={**os.environ, "VISIONDB_NN_PROFILE": path}, capture_output=True, text=True, check=True)
    layers = {}
    with open(path) as f:
        for line in f:
            v = line.split("\t")
            cin, h, w, cout, kh, kw, _stride, oh, ow = map(int, v[1:10])
            key = (cin, h, w, cout, kh, kw, oh, ow)
            layers[key] = layers.get(key, 0.0) + float(v[10])
    return layers


def layer_profile(args, onnx, scratch):
    threads = args.threads[0]
    for arch in args.arch:
        ort = ort_conv_layers(args.ort_dir, onnx[arch], arch, threads, 30, scratch)
        vdb = visiondb_conv_layers(args.visiondb_bench, arch, threads, max(args.seconds, 2.0), scratch)
        keys = sorted(set(ort) | set(vdb), key=lambda k: -(vdb.get(k, 0) - ort.get(k, 0)))
        print(f"\n{arch}, batch 1, {threads} thread(s): convolutions, fastest run per layer, summed per shape")
        print("| in_ch, h x w | out_ch | kernel | out h x w | ONNX Runtime ms | visiondb ms | visiondb - ORT |")
        print("|---|---:|---|---|---:|---:|---:|")
        for k in keys:
            o, v = ort.get(k, 0.0), vdb.get(k, 0.0)
            print(f"| {k[0]}, {k[1]}x{k[2]} | {k[3]} | {k[4]}x{k[5]} | {k[6]}x{k[7]} | {o:.3f} | {v:.3f} | {v - o:+.3f} |")
        print(f"| all | | | | {sum(ort.values()):.2f} | {sum(vdb.values()):.2f} | "
              f"{sum(vdb.values()) - sum(ort.values()):+.2f} |")


def aggregate(rows):
    """One row per (network, batch, threads, runtime) over the rounds: the median of the rounds'
    medians and the best batch of all."""
    groups = {}
    for r in rows:
        groups.setdefault((r["arch"], r["batch"], r["threads"], r["runtime"]), []).append(r)
    out = []
    for (arch, batch, threads, runtime), rs in groups.items():
        med_ms = statistics.median(r["median_ms"] for r in rs)
        best_ms = min(r["best_ms"] for r in rs)
        out.append({"arch": arch, "batch": batch, "threads": threads, "runtime": runtime, "median_ms": med_ms,
                    "best_ms": best_ms, "images_per_s": batch / med_ms * 1e3,
                    "best_images_per_s": batch / best_ms * 1e3, "rounds": len(rs)})
    return out


def markdown(rows):
    lines = ["| network | batch | threads | runtime | images/s (median) | ms/batch (median) | images/s (best) |",
             "|---|---:|---:|---|---:|---:|---:|"]
    for r in rows:
        lines.append(f"| {r['arch']} | {r['batch']} | {r['threads']} | {r['runtime']} | {r['images_per_s']:.1f} | "
                     f"{r['median_ms']:.1f} | {r['best_images_per_s']:.1f} |")
    return "\n".join(lines) + "\n"


def run_config(args, add, arch, batch, threads, onnx_path, scratch):
    if args.visiondb_bench:
        add(arch, batch, threads, "visiondb", run_visiondb(args.visiondb_bench, arch, batch, threads, args.seconds))
        if args.gemm:
            add(arch, batch, threads, "visiondb, Winograd off",
                run_visiondb(args.visiondb_bench, arch, batch, threads, args.seconds, "_Gemm"))
        if args.bf16:
            add(arch, batch, threads, "visiondb bf16 (option)",
                run_visiondb(args.visiondb_bench, arch, batch, threads, args.seconds, "_Bf16"))
    if not args.no_torch:
        for name, s in torch_variants(arch, batch, threads, args.seconds, args.seed, args.torch_layouts,
                                      not args.no_eager).items():
            add(arch, batch, threads, name, s)
    if args.ort_dir:
        s = run_ort(args.ort_dir, onnx_path, arch, batch, threads, args.seconds, scratch)
        add(arch, batch, threads, f"onnxruntime {s.pop('version')}", s)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--visiondb-bench", default=None, help="path of build/bench/nn_bench")
    ap.add_argument("--ort-dir", default=None, help="folder holding node_modules/onnxruntime-node")
    ap.add_argument("--arch", nargs="+", default=["resnet50", "inception_v3"])
    ap.add_argument("--batch", nargs="+", type=int, default=[1, 8])
    ap.add_argument("--threads", nargs="+", type=int, default=[1, 2])
    ap.add_argument("--seconds", type=float, default=3.0, help="minimum timed seconds per figure")
    ap.add_argument("--no-torch", action="store_true")
    ap.add_argument("--torch-layouts", nargs="+", default=["nchw", "channels_last"])
    ap.add_argument("--no-eager", action="store_true", help="TorchScript only")
    ap.add_argument("--bf16", action="store_true", help="also visiondb's bf16 option")
    ap.add_argument("--gemm", action="store_true", help="also visiondb with Winograd off (GEMM path only)")
    ap.add_argument("--out", default=None, help="JSON results")
    ap.add_argument("--markdown", default=None, help="markdown table")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--layer-profile", action="store_true",
                    help="compare the convolutions layer by layer with ONNX Runtime's profile instead (batch 1)")
    ap.add_argument("--rounds", type=int, default=1,
                    help="repeat the whole sweep, so that every runtime sees the machine's load at several times")
    args = ap.parse_args()
    if os.environ.get("OPENBLAS_NUM_THREADS") != "1":
        print("warning: set OPENBLAS_NUM_THREADS=1 (OpenBLAS busy-waits on idle cores)", file=sys.stderr)
    rows = []
    scratch = tempfile.mkdtemp(prefix="visiondb_nn_peers_")

    def add(arch, batch, threads, runtime, s):
        row = {"arch": arch, "batch": batch, "threads": threads, "runtime": runtime, **s}
        rows.append(row)
        print(f"{arch:13s} batch {batch:2d} threads {threads} {runtime:28s} {s['images_per_s']:7.2f} images/s "
              f"(median {s['median_ms']:8.1f} ms, best {s['best_images_per_s']:7.2f} images/s, {s['runs']} runs)",
              flush=True)

    onnx = {arch: export_onnx(arch, scratch, args.seed) if args.ort_dir else None for arch in args.arch}
    if args.layer_profile:
        if not (args.visiondb_bench and args.ort_dir):
            ap.error("--layer-profile needs --visiondb-bench and --ort-dir")
        layer_profile(args, onnx, scratch)
        return 0
    for _ in range(args.rounds):
        for arch in args.arch:
            for batch in args.batch:
                for threads in args.threads:
                    run_config(args, add, arch, batch, threads, onnx[arch], scratch)
    if args.out:
        os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
        with open(args.out, "w") as f:
            json.dump({"time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "load_average": os.getloadavg(),
                   "rows": rows, "summary": aggregate(rows)}, f, indent=1)
    table = markdown(aggregate(rows))
    if args.markdown:
        os.makedirs(os.path.dirname(os.path.abspath(args.markdown)), exist_ok=True)
        with open(args.markdown, "w") as f:
            f.write(table)
    print(table)


if __name__ == "__main__":
    sys.exit(main())
