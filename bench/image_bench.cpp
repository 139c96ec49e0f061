// Image and weight-loading benchmarks: decode (stb_image), resize + crop + normalise (Pillow-exact
// resampling), both together per image and in parallel batches, and opening a ResNet-50-sized
// converted weights file. Inputs: the JPEGs of ../shared/data/images/samples/imagenet_samples when
// present (real photos, mostly 500x375), else tests/data/image/bench_500x375.jpg.
// tools/bench_image_peers.py times PIL + torchvision on the same files.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "visiondb/common/parallel.hpp"
#include "visiondb/image/decode.hpp"
#include "visiondb/image/preprocess.hpp"
#include "visiondb/nn/weights_file.hpp"

namespace fs = std::filesystem;
namespace vi = visiondb::img;
namespace vn = visiondb::nn;

namespace {

struct Corpus {
  std::vector<std::string> names;
  std::vector<std::vector<uint8_t>> files;
  std::vector<vi::Image> decoded;
  std::string source;
};

const Corpus& corpus() {
  static const Corpus c = [] {
    Corpus c;
    const char* env = std::getenv("VISIONDB_DATA_DIR");
    const std::string data = env && *env ? env : std::string(VISIONDB_SOURCE_DIR) + "/../shared/data";
    const std::string dir = data + "/images/samples/imagenet_samples";
    if (fs::is_directory(dir)) {
      for (const auto& e : fs::directory_iterator(dir))
        if (e.path().extension() == ".JPEG" || e.path().extension() == ".jpg") c.names.push_back(e.path().string());
      std::sort(c.names.begin(), c.names.end());
      c.source = dir;
    }
    if (c.names.empty()) {
      c.names.push_back(std::string(VISIONDB_SOURCE_DIR) + "/tests/data/image/bench_500x375.jpg");
      c.source = c.names[0];
    }
    uint64_t pixels = 0;
    for (const auto& n : c.names) {
      c.files.push_back(vi::read_file_bytes(n, uint64_t{1} << 30));
      c.decoded.push_back(vi::decode_image(c.files.back(), n));
      pixels += uint64_t(c.decoded.back().width()) * c.decoded.back().height();
    }
    std::fprintf(stderr, "image corpus: %zu JPEG(s) from %s, mean %.0f pixels\n", c.names.size(), c.source.c_str(),
                 double(pixels) / c.names.size());
    return c;
  }();
  return c;
}

vi::PreprocessParams preset(int which) {
  return which == 0 ? vi::PreprocessParams::resnet50() : vi::PreprocessParams::inception_v3();
}

void BM_Image_Decode(benchmark::State& state) {
  const Corpus& c = corpus();
  visiondb::GlobalThreadLimit limit(1);
  size_t i = 0, bytes = 0;
  for (auto _ : state) {
    vi::Image img = vi::decode_image(c.files[i], c.names[i]);
    benchmark::DoNotOptimize(img.u8());
    bytes += c.files[i].size();
    i = (i + 1) % c.files.size();
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
}
BENCHMARK(BM_Image_Decode)->Name("BM_Image_Decode/jpeg/threads:1")->Unit(benchmark::kMillisecond);

void BM_Image_Preprocess(benchmark::State& state) {
  const Corpus& c = corpus();
  visiondb::GlobalThreadLimit limit(1);
  const auto p = preset(static_cast<int>(state.range(0)));
  std::vector<float> out(p.output_size());
  size_t i = 0;
  for (auto _ : state) {
    vi::preprocess_image(c.decoded[i], p, out);
    benchmark::DoNotOptimize(out.data());
    i = (i + 1) % c.decoded.size();
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Image_Preprocess)->ArgName("preset(0=resnet50,1=inception_v3)")->Arg(0)->Arg(1)
    ->Unit(benchmark::kMillisecond);

void BM_Image_DecodeAndPreprocess(benchmark::State& state) {
  const Corpus& c = corpus();
  visiondb::GlobalThreadLimit limit(1);
  const auto p = preset(static_cast<int>(state.range(0)));
  std::vector<float> out(p.output_size());
  size_t i = 0;
  for (auto _ : state) {
    vi::decode_and_preprocess(c.files[i], c.names[i], p, out);
    benchmark::DoNotOptimize(out.data());
    i = (i + 1) % c.files.size();
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Image_DecodeAndPreprocess)->ArgName("preset(0=resnet50,1=inception_v3)")->Arg(0)->Arg(1)
    ->Unit(benchmark::kMillisecond);

// A batch of 32 encoded images decoded and preprocessed in parallel into one NCHW buffer.
void BM_Image_DecodeAndPreprocessBatch(benchmark::State& state) {
  const Corpus& c = corpus();
  const int threads = static_cast<int>(state.range(0));
  visiondb::GlobalThreadLimit limit(threads);
  const auto p = vi::PreprocessParams::resnet50();
  constexpr size_t kBatch = 32;
  std::vector<vi::EncodedImage> batch;
  for (size_t k = 0; k < kBatch; ++k) batch.push_back({c.files[k % c.files.size()], c.names[k % c.files.size()]});
  std::vector<float> out(kBatch * p.output_size());
  for (auto _ : state) {
    auto errors = vi::decode_and_preprocess_batch(batch, p, out);
    benchmark::DoNotOptimize(errors.data());
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * kBatch));
  state.counters["threads"] = threads;
}
BENCHMARK(BM_Image_DecodeAndPreprocessBatch)->ArgName("threads")->Arg(1)->Arg(2)->UseRealTime()
    ->Unit(benchmark::kMillisecond);

// A ResNet-50-sized converted file (torchvision's 320 state_dict tensors, 102 MB), written once.
const std::string& resnet50_weights_path() {
  static const std::string path = [] {
    const std::string p = (fs::temp_directory_path() / "visiondb_bench_resnet50.vdbw").string();
    std::ifstream in(std::string(VISIONDB_SOURCE_DIR) + "/tests/data/weights/resnet50_manifest.json");
    const auto manifest = nlohmann::json::parse(in);
    std::vector<std::vector<float>> values;
    std::vector<vn::WeightsTensorToWrite> tensors;
    for (const auto& t : manifest["tensors"]) {
      if (t["dtype"] != "F32") continue;
      std::vector<int64_t> shape = t["shape"];
      int64_t n = 1;
      for (auto d : shape) n *= d;
      values.emplace_back(static_cast<size_t>(n), 0.01f * static_cast<float>(values.size() % 7));
      tensors.push_back({t["name"], shape, values.back()});
    }
    auto meta = vn::WeightsMetadata::for_architecture("resnet50");
    meta.num_classes = 1000;
    meta.source_format = "generated";
    vn::write_weights_file(p, meta, tensors);
    std::fprintf(stderr, "weights file: %s, %zu tensors, %.1f MB\n", p.c_str(), tensors.size(),
                 double(fs::file_size(p)) / 1e6);
    return p;
  }();
  return path;
}

void BM_Weights_Open(benchmark::State& state) {
  const std::string& path = resnet50_weights_path();
  const int threads = static_cast<int>(state.range(1));
  visiondb::GlobalThreadLimit limit(threads);
  vn::WeightsOpenOptions options;
  options.verify_checksums = state.range(0) != 0;
  for (auto _ : state) {
    vn::WeightsFile f(path, options);
    // Touch one value per page, as a network's load would read every tensor.
    float sum = 0;
    for (const auto& info : f.tensor_infos()) {
      auto d = f.data(info.name);
      for (size_t k = 0; k < d.size(); k += 1024) sum += d[k];
    }
    benchmark::DoNotOptimize(sum);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * fs::file_size(path)));
}
BENCHMARK(BM_Weights_Open)->ArgNames({"verify", "threads"})->Args({1, 1})->Args({1, 2})->Args({0, 1})
    ->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
