// Benchmarks of models in SQL: ML.PREDICT over N generated JPEGs (500 x 375, a typical photo) with
// ResNet-50 on generated weights, beside the same work done by calling the network directly
// (decode + preprocess + Network::run in batches of 16, no SQL), and the network alone on
// preprocessed floats. Images/s; 2 threads unless the name says otherwise.
#include <benchmark/benchmark.h>

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "visiondb/api/database.hpp"
#include "visiondb/common/parallel.hpp"
#include "visiondb/image/decode.hpp"
#include "visiondb/image/preprocess.hpp"
#include "visiondb/models/resnet50.hpp"
#include "visiondb/nn/generated_weights.hpp"
#include "visiondb/nn/weights_file.hpp"

#include "visiondb/image/encode.hpp"

namespace {

using namespace visiondb;

constexpr int kBatch = 16;

// The weights file and the image folder, written once per run and removed at exit.
struct Files {
  std::string dir, weights, images;
  int images_written = 0;
  Files() {
    dir = (std::filesystem::temp_directory_path() / ("visiondb_ml_sql_bench_" + std::to_string(::getpid()))).string();
    std::filesystem::create_directories(dir);
    weights = dir + "/resnet50.vdbw";
    images = dir + "/images";
    std::filesystem::create_directories(images);
    const auto specs = models::ResNet50::tensor_specs();
    const nn::GeneratedWeights generated(specs, 1);
    std::vector<nn::WeightsTensorToWrite> tensors;
    for (const auto& s : specs) tensors.push_back({s.name, s.shape, generated.tensor(s.name, s.shape)});
    nn::WeightsMetadata meta = nn::WeightsMetadata::for_architecture("resnet50");
    meta.num_classes = 1000;
    for (int i = 0; i < 1000; ++i) meta.labels.push_back("class_" + std::to_string(i));
    nn::write_weights_file(weights, meta, tensors);
  }
  ~Files() {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
  // The first n images of the folder exist (image i is images/img_<i>.jpg).
  void ensure_images(int n) {
    const int w = 500, h = 375;
    std::vector<uint8_t> px(size_t(w) * h * 3);
    for (; images_written < n; ++images_written) {
      uint32_t s = 2654435761u * static_cast<uint32_t>(images_written + 1);
      for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x)
          for (int c = 0; c < 3; ++c) {
            s = s * 1664525u + 1013904223u;
            px[(size_t(y) * w + x) * 3 + c] = static_cast<uint8_t>((x * (c + 1) + y * (3 - c) + (s >> 29) + images_written * 17) & 255);
          }
      char name[64];
      std::snprintf(name, sizeof name, "/img_%05d.jpg", images_written);
      visiondb::img::write_image_file(images + name, px.data(), w, h, 3, visiondb::img::ImageFileFormat::Jpeg);
    }
  }
  std::vector<std::string> paths(int n) const {
    std::vector<std::string> out;
    for (int i = 0; i < n; ++i) {
      char name[64];
      std::snprintf(name, sizeof name, "/img_%05d.jpg", i);
      out.push_back(images + name);
    }
    return out;
  }
};

Files& files() {
  static Files f;
  return f;
}

// SELECT uri, predicted_label FROM ML.PREDICT(...) over n files; input BYTES (decoded inside
// ML.PREDICT, overlapping the network) or IMAGE (ML.DECODE_IMAGE in the input query).
void BM_MlSql_Predict(benchmark::State& state, bool image_input) {
  const int n = static_cast<int>(state.range(0)), threads = static_cast<int>(state.range(1));
  Files& f = files();
  f.ensure_images(n);
  Database db(DatabaseOptions{.threads = threads});
  db.query("CREATE EXTERNAL TABLE imgs OPTIONS (object_metadata = 'SIMPLE', uris = ['" + f.images + "/*.jpg'])");
  db.query("CREATE MODEL m OPTIONS (model_type = 'RESNET50', model_path = '" + f.weights + "', input_column = 'input')");
  // The folder holds exactly the n images (every case uses the same n).
  const std::string input = image_input ? "(SELECT uri, ML.DECODE_IMAGE(data) AS input FROM imgs)" : "(SELECT uri, data AS input FROM imgs)";
  const std::string sql = "SELECT uri, predicted_label FROM ML.PREDICT(MODEL m, " + input + ")";
  for (auto _ : state) {
    auto r = db.query(sql);
    if (r.row_count() != static_cast<size_t>(n)) state.SkipWithError("wrong row count");
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations() * n);
  state.SetLabel(std::to_string(threads) + " threads, batch 16");
}

// The peer: the same images decoded, preprocessed and run by calling the library directly, in
// batches of 16, decode of a batch in parallel over the images (no overlap with the network).
void BM_MlSql_NetworkDirect(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0)), threads = static_cast<int>(state.range(1));
  Files& f = files();
  f.ensure_images(n);
  const nn::WeightsFile weights(f.weights);
  const models::ResNet50 net(weights);
  const img::PreprocessParams p = img::PreprocessParams::resnet50();
  const auto paths = f.paths(n);
  TaskArena arena(threads);
  std::vector<float> batch(kBatch * p.output_size());
  nn::Workspace ws;
  for (auto _ : state) {
    arena.execute([&] {
      for (int first = 0; first < n; first += kBatch) {
        const int count = std::min(kBatch, n - first);
        std::vector<std::vector<uint8_t>> bytes(count);
        std::vector<img::EncodedImage> encoded(count);
        for (int i = 0; i < count; ++i) {
          bytes[i] = img::read_file_bytes(paths[first + i], 1 << 28);
          encoded[i] = {bytes[i], paths[first + i]};
        }
        img::decode_and_preprocess_batch(encoded, p, std::span<float>(batch.data(), count * p.output_size()));
        auto out = net.run(std::span<const float>(batch.data(), count * p.output_size()), count, {.logits = true}, ws);
        benchmark::DoNotOptimize(out);
      }
    });
  }
  state.SetItemsProcessed(state.iterations() * n);
  state.SetLabel(std::to_string(threads) + " threads, batch 16");
}

// The network alone on already preprocessed images (the ceiling of both).
void BM_MlSql_NetworkOnly(benchmark::State& state) {
  const int threads = static_cast<int>(state.range(1));
  const nn::WeightsFile weights(files().weights);
  const models::ResNet50 net(weights);
  const std::vector<float> input = nn::generated_input(kBatch, 3, 224, 224);
  TaskArena arena(threads);
  nn::Workspace ws;
  for (auto _ : state) {
    arena.execute([&] {
      auto out = net.run(input, kBatch, {.logits = true}, ws);
      benchmark::DoNotOptimize(out);
    });
  }
  state.SetItemsProcessed(state.iterations() * kBatch);
  state.SetLabel(std::to_string(threads) + " threads, batch 16");
}

BENCHMARK_CAPTURE(BM_MlSql_Predict, bytes, false)->ArgNames({"images", "threads"})->Args({64, 2})->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(BM_MlSql_Predict, decode_image, true)->ArgNames({"images", "threads"})->Args({64, 2})->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_MlSql_NetworkDirect)->ArgNames({"images", "threads"})->Args({64, 2})->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_MlSql_NetworkOnly)->ArgNames({"batch", "threads"})->Args({16, 2})->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
