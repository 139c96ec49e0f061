#!/usr/bin/env bash
# End-to-end benchmark: the BigQuery blog's prediction over a folder of images (read the files,
# decode, ResNet-50's preprocessing, the network, the top label / top 3), visiondb SQL
# (bench/e2e_bench.cpp) beside PyTorch (tools/bench_e2e_torch.py: PIL + torchvision transforms +
# torchvision's resnet50) on the same images and the same generated weights, 2 threads each, in
# the same run (visiondb, PyTorch, visiondb again). Also checks that both give the same top labels.
#
# Usage: tools/bench_e2e.sh [IMAGES_DIR]
#   IMAGES_DIR  default ../shared/data/images/yoga_poses, else images from visiondb-demo-data
#   VISIONDB_E2E_LIMIT=N   the first N images (sorted by path) of the folder, default 64
# Results: build/bench-e2e/{visiondb_1,visiondb_2}.json, torch.json, torch_1thread.json, report.md
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
out=build/bench-e2e
limit=${VISIONDB_E2E_LIMIT:-64}
threads=2

[ -f build/CMakeCache.txt ] || cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build --parallel "$(nproc)" -t e2e_bench visiondb-demo-data visiondb_repl >/dev/null
mkdir -p "$out"

src=${1:-../shared/data/images/yoga_poses}
if [ ! -d "$src" ]; then
  src=$out/generated
  [ -d "$src" ] || build/tools/visiondb-demo-data images "$src" --per-class $(((limit + 4) / 5))
fi
src=$(cd "$src" && pwd)

# The same images for both: links to the first $limit files of the folder that the object table's
# uris (*.jpg, *.png) match.
rm -rf "$out/images"
mkdir -p "$out/images"
# (awk rather than head: head would close the pipe early, and pipefail would stop the script)
(cd "$src" && find . \( -type f -o -type l \) \( -name '*.jpg' -o -name '*.png' \) -printf '%P\n' | LC_ALL=C sort |
  awk -v n="$limit" 'NR <= n') | while read -r rel; do
  mkdir -p "$out/images/$(dirname "$rel")"
  ln -s "$src/$rel" "$out/images/$rel"
done
n=$(find "$out/images" -type l | wc -l)
images=$(cd "$out/images" && pwd)

weights=$out/resnet50.vdbw
[ -f "$weights" ] || build/tools/visiondb-demo-data weights "$weights" >/dev/null
weights=$(cd "$out" && pwd)/resnet50.vdbw

echo "bench_e2e: $n images from $src, $threads threads; $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
run_visiondb() {
  VISIONDB_E2E_IMAGES=$images VISIONDB_E2E_WEIGHTS=$weights build/bench/e2e_bench \
    --benchmark_format=json --benchmark_out="$out/$1.json" --benchmark_out_format=json >/dev/null
  grep -E '"(name|items_per_second)"' "$out/$1.json" | paste - - | sed 's/ *"name": /  visiondb /; s/"items_per_second": //'
}
run_visiondb visiondb_1
OPENBLAS_NUM_THREADS=1 /usr/bin/python3 tools/bench_e2e_torch.py --images "$images" --threads "$threads" \
  --out "$out/torch.json" --topk-csv "$out/torch_top3.csv"
# PyTorch at one thread too: on a busy machine its 2-thread OpenMP pool can be slower than 1 thread.
OPENBLAS_NUM_THREADS=1 /usr/bin/python3 tools/bench_e2e_torch.py --images "$images" --threads 1 \
  --variants serial --out "$out/torch_1thread.json"
run_visiondb visiondb_2

# visiondb's top 3 per image, to compare with PyTorch's.
build/visiondb --format csv --threads "$threads" --mount "gs://e2e_images=$images" -c "
CREATE EXTERNAL TABLE images OPTIONS (object_metadata = 'SIMPLE', uris = ['gs://e2e_images/*.jpg', 'gs://e2e_images/*.png']);
CREATE MODEL resnet OPTIONS (model_type = 'RESNET50', model_path = '$weights', probabilities_column = 'activation_49');
SELECT SUBSTR(uri, 17) AS file, STRING_AGG(CAST(label_i AS STRING), ',' ORDER BY rank) AS top3 FROM (
  SELECT uri, i AS label_i, ROW_NUMBER() OVER (PARTITION BY uri ORDER BY score DESC) AS rank
  FROM ML.PREDICT(MODEL resnet, (SELECT uri, ML.DECODE_IMAGE(data) AS image FROM images)),
       UNNEST(activation_49) AS score WITH OFFSET i)
WHERE rank <= 3 GROUP BY uri ORDER BY file;" | tail -n +2 > "$out/visiondb_top3.csv"

/usr/bin/python3 - "$out" "$n" "$src" <<'EOF'
import json, statistics, sys
out, n, src = sys.argv[1], int(sys.argv[2]), sys.argv[3]
def vdb(name):
    rates = {}
    for run in ("visiondb_1", "visiondb_2"):
        for b in json.load(open(f"{out}/{run}.json"))["benchmarks"]:
            if b["name"].startswith(name + "/"):
                rates.setdefault(name, []).append(b["items_per_second"])
    return rates[name]
top1 = vdb("BM_E2E_TopLabel")
top3 = vdb("BM_E2E_Top3RowNumber")
top1_bytes = vdb("BM_E2E_TopLabelBytesInput")
torch = json.load(open(f"{out}/torch.json"))["variants"]
ours = {}
for line in open(f"{out}/visiondb_top3.csv"):
    f, t = line.rstrip("\n").split(",", 1)
    ours[f] = t.strip('"').split(",")
same1 = same3 = total = 0
for line in open(f"{out}/torch_top3.csv"):
    parts = line.rstrip("\n").split(",")
    f, t = parts[0], parts[1:]
    total += 1
    o = ours.get(f)
    if o and o[0] == t[0]:
        same1 += 1
    if o and o == t:
        same3 += 1
rows = [
    ("visiondb SQL: top label (ML.PREDICT over ML.DECODE_IMAGE(data))", statistics.median(top1), top1),
    ("visiondb SQL: top label (ML.PREDICT over data, decoding overlapped)", statistics.median(top1_bytes), top1_bytes),
    ("visiondb SQL: top 3 (UNNEST + ROW_NUMBER)", statistics.median(top3), top3),
] + [(f"PyTorch {k} (PIL + torchvision, batch 16)", v["images_per_s"], v["seconds"]) for k, v in torch.items()]
one = json.load(open(f"{out}/torch_1thread.json"))["variants"]["serial"]
rows.append(("PyTorch serial, 1 thread", one["images_per_s"], one["seconds"]))
# The ratio is against PyTorch's best configuration in this run, whichever it was.
best_torch = max(rate for name, rate, _ in rows if name.startswith("PyTorch"))
lines = [f"{n} images from {src}, 2 threads each, in one run (visiondb, PyTorch, PyTorch 1 thread, visiondb).",
         "visiondb: mean of its 2 runs (each timing 2 passes over the images); PyTorch: median of 2 passes per variant.", "",
         "| pipeline | images/s | vs best PyTorch |", "|---|---|---|"]
for name, rate, _ in rows:
    lines.append(f"| {name} | {rate:.2f} | {rate / best_torch:.2f}x |")
lines += ["", f"Same top-1 class as PyTorch: {same1}/{total} images; same top-3 (in order): {same3}/{total}."]
text = "\n".join(lines)
open(f"{out}/report.md", "w").write(text + "\n")
print(text)
EOF
