#!/usr/bin/env bash
# The SQL benchmark, side by side: visiondb (bench/sql_bench, bench/csv_bench), DuckDB
# (@duckdb/node-api, installed here into tools/peers/node_modules, git-ignored) and SQLite (the
# sqlite3 CLI), on the same generated data, in the same run. Writes the table into the "SQL"
# section of docs/performance.md and the raw JSON into docs/perf/ (and build/bench-results/).
# Usage: tools/bench_sql.sh        (VISIONDB_BENCH_ROWS=1000000 for a quick smaller run)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source tools/lib/packages.sh
visiondb_install_packages "${VISIONDB_BUILD_PACKAGES[@]}"
command -v node >/dev/null && command -v npm >/dev/null || visiondb_install_packages nodejs npm
if [ ! -d tools/peers/node_modules/@duckdb/node-api ]; then
  echo "bench_sql: installing DuckDB (npm @duckdb/node-api) into tools/peers/node_modules" >&2
  (cd tools/peers && npm install --no-audit --no-fund --loglevel=error)
fi

[ -f build/CMakeCache.txt ] || cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release
targets=(csv_bench)
if cmake --build build --target help | grep -q '^sql_bench:'; then targets+=(sql_bench); fi
cmake --build build --parallel "$(nproc)" -t "${targets[@]}"

data=${VISIONDB_BENCH_DATA_DIR:-build/bench-data}
out=build/bench-results
mkdir -p "$out"
tools/gen_bench_data "$data"
export VISIONDB_BENCH_DATA_DIR=$data
export VISIONDB_BENCH_ROWS=$(cat "$data/rows")

echo "start $(cut -d' ' -f1-3 /proc/loadavg)" > "$out/loadavg.txt"
echo "bench_sql: visiondb CSV load" >&2
build/bench/csv_bench --benchmark_filter=BM_Csv_Load --benchmark_out="$out/csv.json" --benchmark_out_format=json
if [ -x build/bench/sql_bench ]; then
  echo "bench_sql: visiondb queries" >&2
  build/bench/sql_bench --benchmark_out="$out/sql.json" --benchmark_out_format=json
else
  echo "bench_sql: sql_bench is not built (the engine's Database is missing): queries run for the peers only" >&2
  rm -f "$out/sql.json"
fi
echo "bench_sql: DuckDB and SQLite" >&2
node tools/bench_sql_peers.js --data "$data" --out "$out/peers.json"
echo "end $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out/loadavg.txt"
node tools/bench_sql_report.js --results "$out" --doc docs/performance.md
# The raw figures of the run the table shows, kept beside it [STYLE §8].
mkdir -p docs/perf
cp "$out/csv.json" docs/perf/csv_bench.json
cp "$out/peers.json" docs/perf/sql_peers.json
cp "$out/loadavg.txt" docs/perf/sql_loadavg.txt
[ -f "$out/sql.json" ] && cp "$out/sql.json" docs/perf/sql_bench.json
echo "bench_sql: wrote docs/performance.md (SQL section), docs/perf/ and $out/" >&2
