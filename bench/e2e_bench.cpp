// End to end: the BigQuery blog's prediction over a folder of images through SQL, everything
// included (listing, reading the files, decoding, ResNet-50's preprocessing, the network, the top
// label or the top 3 by UNNEST + ROW_NUMBER; the top label with ML.DECODE_IMAGE(data) as the blog
// writes it, and with the bytes themselves as the input). tools/bench_e2e.sh runs it beside the PyTorch peer
// (tools/bench_e2e_torch.py) on the same images and weights, and reports the ratio.
//
//   VISIONDB_E2E_IMAGES=DIR VISIONDB_E2E_WEIGHTS=resnet50.vdbw build/bench/e2e_bench
//
// DIR's images (*.jpg, *.png, at any depth) are the rows; the model is created once, outside the
// timing. Items are images: items_per_second is images/s. Without the variables the cases skip.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <string>

#include "visiondb/api/database.hpp"

namespace {

using namespace visiondb;

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr ? v : "";
}

// The top label of each image (the model's label output).
constexpr const char* kTopLabel =
    "SELECT uri, predicted_label FROM ML.PREDICT(MODEL e2e.resnet, "
    "(SELECT uri, ML.DECODE_IMAGE(data) AS input_1 FROM e2e.images))";

// The same with the encoded bytes as the input: ML.PREDICT decodes batch k+1 while the network
// runs batch k.
constexpr const char* kTopLabelBytes =
    "SELECT uri, predicted_label FROM ML.PREDICT(MODEL e2e.resnet, "
    "(SELECT uri, data AS input_1 FROM e2e.images))";

// The blog's flattening and the top 3 per image by ROW_NUMBER.
constexpr const char* kTop3 =
    "SELECT uri, label_i, score FROM ("
    "  SELECT uri, i AS label_i, score, ROW_NUMBER() OVER (PARTITION BY uri ORDER BY score DESC) AS rank"
    "  FROM ML.PREDICT(MODEL e2e.resnet, (SELECT uri, ML.DECODE_IMAGE(data) AS input_1 FROM e2e.images)),"
    "       UNNEST(activation_49) AS score WITH OFFSET i)"
    " WHERE rank <= 3";

void run_flow(benchmark::State& state, const char* query) {
  const std::string images = env("VISIONDB_E2E_IMAGES"), weights = env("VISIONDB_E2E_WEIGHTS");
  if (images.empty() || weights.empty()) {
    state.SkipWithError("set VISIONDB_E2E_IMAGES (a folder of images) and VISIONDB_E2E_WEIGHTS (a ResNet-50 .vdbw)");
    return;
  }
  const int threads = static_cast<int>(state.range(0));
  Database db({.threads = threads});
  db.mount("gs://e2e_images", images);
  db.query("CREATE SCHEMA e2e");
  db.query(
      "CREATE EXTERNAL TABLE e2e.images OPTIONS (object_metadata = 'SIMPLE', "
      "uris = ['gs://e2e_images/*.jpg', 'gs://e2e_images/*.png'])");
  try {
    db.query("CREATE MODEL e2e.resnet OPTIONS (model_type = 'RESNET50', model_path = '" + weights +
             "', input_column = 'input_1', probabilities_column = 'activation_49')");
  } catch (const Error& e) {
    state.SkipWithError(e.what());
    return;
  }
  const int64_t count = db.query("SELECT COUNT(*) FROM e2e.images").get_as<int64_t>(0, 0);
  int64_t rows = 0;
  for (auto _ : state) {
    const QueryResult r = db.query(query);
    rows += static_cast<int64_t>(r.row_count());
    benchmark::DoNotOptimize(r.row_count());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * count);
  state.counters["images"] = static_cast<double>(count);
  state.counters["threads"] = threads;
  state.counters["rows"] = static_cast<double>(rows) / static_cast<double>(state.iterations());
}

void BM_E2E_TopLabel(benchmark::State& state) { run_flow(state, kTopLabel); }
void BM_E2E_TopLabelBytesInput(benchmark::State& state) { run_flow(state, kTopLabelBytes); }
void BM_E2E_Top3RowNumber(benchmark::State& state) { run_flow(state, kTop3); }

BENCHMARK(BM_E2E_TopLabel)->ArgName("threads")->Arg(2)->Iterations(2)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_E2E_TopLabelBytesInput)->ArgName("threads")->Arg(2)->Iterations(2)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_E2E_Top3RowNumber)->ArgName("threads")->Arg(2)->Iterations(2)->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
