#!/usr/bin/env bash
# Writes tests/data/yoga/torch_top3_generated.csv: PyTorch's top 3 classes (PIL decode +
# torchvision's ResNet-50 preprocessing + torchvision's resnet50 holding the generated weights,
# seed 1) for each image of the generated yoga folder that tests/yoga/yoga_flow_test.cpp uses
# (visiondb-demo-data images DIR --per-class 3 --classes downdog,goddess,plank,tree,warrior2,lotus).
# The test checks that examples/yoga.sql's top 3 per image are PyTorch's.
# Usage: tools/make_yoga_fixtures.sh   (needs Debian's python3-torch and python3-torchvision)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
[ -f build/CMakeCache.txt ] || cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build --parallel "$(nproc)" -t visiondb-demo-data >/dev/null
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
build/tools/visiondb-demo-data images "$tmp/images" --per-class 3 --classes downdog,goddess,plank,tree,warrior2,lotus
mkdir -p tests/data/yoga
OPENBLAS_NUM_THREADS=1 /usr/bin/python3 tools/bench_e2e_torch.py --images "$tmp/images" --threads 1 --passes 1 \
  --variants serial --topk 3 --topk-csv "$tmp/top3.csv"
{
  echo "# PyTorch $(/usr/bin/python3 -c 'import torch; print(torch.__version__)') top-3 classes per generated image (tools/make_yoga_fixtures.sh)"
  cat "$tmp/top3.csv"
} > tests/data/yoga/torch_top3_generated.csv
echo "wrote tests/data/yoga/torch_top3_generated.csv ($(wc -l < "$tmp/top3.csv") images)"
