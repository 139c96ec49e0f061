#!/usr/bin/python3
"""Random forests side by side: visiondb (bench/forest_bench), scikit-learn and ranger on the same
data, in the same run, 100 trees, the same thread count; training time, prediction time, test
accuracy and peak memory (max RSS from /usr/bin/time -v, so the data each process holds counts).

  /usr/bin/python3 tools/bench_forest_peers.py [--build build] [--threads 2] [--sets a,b,c] [--out FILE]
  /usr/bin/python3 tools/bench_forest_peers.py --sklearn DIR THREADS      (one scikit-learn run)

Needs python3-sklearn and r-cran-ranger (apt-get install python3-sklearn r-cran-ranger).
The data sets come from `forest_bench --dump` (include/visiondb/ml/forest/synthetic_data.hpp).
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile
import time

SETS = ["embedding2k", "classification100k", "covertype500k"]
SHAPES = {"embedding2k": "2k x 2048 embeddings (10 classes)",
          "classification100k": "100k x 50 classification (5 classes)",
          "covertype500k": "500k x 54 covertype-like (7 classes)"}


def sklearn_run(d, threads):
    import numpy as np
    from sklearn.ensemble import RandomForestClassifier
    n_train, p, n_test, _ = [int(v) for v in open(os.path.join(d, "meta.txt")).read().split()]
    x_train = np.fromfile(os.path.join(d, "x_train.f32"), dtype=np.float32).reshape(n_train, p)
    x_test = np.fromfile(os.path.join(d, "x_test.f32"), dtype=np.float32).reshape(n_test, p)
    y_train = np.fromfile(os.path.join(d, "y_train.i32"), dtype=np.int32)
    y_test = np.fromfile(os.path.join(d, "y_test.i32"), dtype=np.int32)
    m = RandomForestClassifier(n_estimators=100, n_jobs=threads, random_state=1)
    t0, c0 = time.perf_counter(), time.process_time()  # process_time: the process, all threads
    m.fit(x_train, y_train)
    t1, c1 = time.perf_counter(), time.process_time()
    pred = m.predict(x_test)
    t2, c2 = time.perf_counter(), time.process_time()
    acc = float((pred == y_test).mean())
    print(f"sklearn {os.path.basename(d)} train_s {t1 - t0:.3f} predict_s {t2 - t1:.3f} "
          f"train_cpu_s {c1 - c0:.3f} predict_cpu_s {c2 - c1:.3f} accuracy {acc:.4f}")


def timed(cmd):
    """Runs cmd under /usr/bin/time -v; returns (its summary line, max RSS in MB, user+sys seconds)."""
    r = subprocess.run(["/usr/bin/time", "-v"] + cmd, capture_output=True, text=True)
    if r.returncode != 0:
        sys.stderr.write(r.stdout + r.stderr)
        raise SystemExit(f"failed: {' '.join(cmd)}")
    line = [l for l in r.stdout.splitlines() if " train_s " in l][-1]
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", r.stderr).group(1)) / 1024
    user = float(re.search(r"User time \(seconds\): ([\d.]+)", r.stderr).group(1))
    sys_t = float(re.search(r"System time \(seconds\): ([\d.]+)", r.stderr).group(1))
    return line, rss, user + sys_t


def parse(line):
    f = line.split()
    return {k: float(f[f.index(tag) + 1]) for k, tag in
            [("train", "train_s"), ("predict", "predict_s"), ("train_cpu", "train_cpu_s"),
             ("predict_cpu", "predict_cpu_s"), ("accuracy", "accuracy")]}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sklearn", nargs=2, metavar=("DIR", "THREADS"))
    ap.add_argument("--build", default="build")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--sets", default=",".join(SETS))
    ap.add_argument("--out")
    a = ap.parse_args()
    if a.sklearn:
        sklearn_run(a.sklearn[0], int(a.sklearn[1]))
        return
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    bench = os.path.join(root, a.build, "bench", "forest_bench")
    rows = []
    load = open("/proc/loadavg").read().split()[0]
    for s in a.sets.split(","):
        with tempfile.TemporaryDirectory() as d:
            d = os.path.join(d, s)
            os.makedirs(d)
            subprocess.run([bench, f"--dump={d}", f"--set={s}"], check=True)
            res = {}
            for name, cmd in [("visiondb", [bench, f"--run={s}", f"--threads={a.threads}"]),
                              ("scikit-learn", [sys.executable, os.path.abspath(__file__), "--sklearn", d, str(a.threads)]),
                              ("ranger", ["Rscript", os.path.join(root, "tools", "bench_forest_ranger.R"), d, str(a.threads)])]:
                line, rss, cpu = timed(cmd)
                r = parse(line)
                r["rss"] = rss
                r["cpu"] = cpu
                res[name] = r
                print(f"{s:20s} {name:13s} train {r['train']:8.2f} s ({r['train_cpu']:8.2f} CPU s)  "
                      f"predict {r['predict']:7.3f} s ({r['predict_cpu']:7.3f} CPU s)  accuracy {r['accuracy']:.4f}  "
                      f"max RSS {rss:7.0f} MB  process CPU {cpu:7.1f} s", flush=True)
            rows.append((s, res))
    lines = ["| data set | library | training wall (s) | training CPU (s) | prediction wall (s) | prediction CPU (s) "
             "| test accuracy | peak RSS (MB) |",
             "|---|---|---:|---:|---:|---:|---:|---:|"]
    for s, res in rows:
        for name in ["visiondb", "scikit-learn", "ranger"]:
            r = res[name]
            lines.append(f"| {SHAPES[s]} | {name} | {r['train']:.2f} | {r['train_cpu']:.2f} | {r['predict']:.3f} | "
                         f"{r['predict_cpu']:.3f} | {r['accuracy']:.4f} | {r['rss']:.0f} |")
        v = res["visiondb"]
        peers = [res["scikit-learn"], res["ranger"]]
        ratio = lambda key: min(p[key] for p in peers) / max(v[key], 1e-9)
        lines.append(f"| | *faster peer / visiondb* | *{ratio('train'):.1f}x* | *{ratio('train_cpu'):.1f}x* | "
                     f"*{ratio('predict'):.1f}x* | *{ratio('predict_cpu'):.1f}x* | | "
                     f"*{min(p['rss'] for p in peers) / v['rss']:.1f}x* |")
    table = "\n".join(lines)
    print(f"\n{a.threads} threads, load average at start {load}\n")
    print(table)
    if a.out:
        with open(a.out, "w") as f:
            f.write(table + "\n")


if __name__ == "__main__":
    main()
