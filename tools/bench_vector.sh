#!/usr/bin/env bash
# The embeddings benchmark, both sides in one run: bench/vector_bench (visiondb, 2 threads) and
# tools/bench_vector_peers.js (DuckDB, 2 threads) on the same generated N x 2048 vectors.
# Prints each side's times and answers (the answers must agree); docs/performance.md quotes them.
#   tools/bench_vector.sh [BUILD_DIR] [ROWS]      (defaults: build, 100000)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
rows=${2:-100000}
if [ ! -d tools/peers/node_modules/@duckdb ]; then
  echo "bench_vector: installing DuckDB (npm @duckdb/node-api) into tools/peers/node_modules" >&2
  (cd tools/peers && npm install --no-audit --no-fund --loglevel=error)
fi
cmake --build "$build" -j2 -t vector_bench
echo "== visiondb ($rows rows)"
VISIONDB_VECTOR_ROWS=$rows "$build/bench/vector_bench" --benchmark_min_time=0.5 --benchmark_repetitions=3 \
  --benchmark_report_aggregates_only=true 2>&1 | grep -E "median|^Run|CPU|threads" | grep -v "^\*"
echo "== DuckDB ($rows rows; VECTOR_SEARCH over the first 10000)"
node tools/bench_vector_peers.js --rows "$rows" --search-rows 10000 --repeat 3 2>&1 | grep -E "^duckdb|\"version\""
