// Benchmarks of the nn module: the convolution GEMM on every ResNet-50 layer shape (GFLOP/s and
// % of the 117 GFLOP/s-per-core fp32 FMA peak), both networks end to end (images/s, latency),
// and weight loading. Threads are fixed per case with a task arena and printed in the name.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "visiondb/common/parallel.hpp"
#include "visiondb/common/simd.hpp"
#include "visiondb/models/inception_v3.hpp"
#include "visiondb/models/resnet50.hpp"
#include "visiondb/nn/generated_weights.hpp"
#include "visiondb/nn/kernels/gemm_bf16.hpp"
#include "visiondb/nn/layers/conv2d.hpp"
#include "visiondb/nn/weights_file.hpp"

namespace {

using namespace visiondb;

constexpr double kPeakGflopsPerCore = 117.0;

struct ConvShape {
  const char* name;
  int in_ch, out_ch, k, stride, pad, in_hw;
};

// Every distinct convolution of ResNet-50 at 224 x 224 (batch 1 per image), plus the classifier.
const ConvShape kResNetShapes[] = {
    {"conv1_7x7s2", 3, 64, 7, 2, 3, 224},
    {"l1_1x1_64_64", 64, 64, 1, 1, 0, 56},
    {"l1_3x3_64", 64, 64, 3, 1, 1, 56},
    {"l1_1x1_64_256", 64, 256, 1, 1, 0, 56},
    {"l1_1x1_256_64", 256, 64, 1, 1, 0, 56},
    {"l2_1x1_256_128", 256, 128, 1, 1, 0, 56},
    {"l2_3x3s2_128", 128, 128, 3, 2, 1, 56},
    {"l2_ds_256_512s2", 256, 512, 1, 2, 0, 56},
    {"l2_1x1_128_512", 128, 512, 1, 1, 0, 28},
    {"l2_1x1_512_128", 512, 128, 1, 1, 0, 28},
    {"l2_3x3_128", 128, 128, 3, 1, 1, 28},
    {"l3_1x1_512_256", 512, 256, 1, 1, 0, 28},
    {"l3_3x3s2_256", 256, 256, 3, 2, 1, 28},
    {"l3_ds_512_1024s2", 512, 1024, 1, 2, 0, 28},
    {"l3_1x1_256_1024", 256, 1024, 1, 1, 0, 14},
    {"l3_1x1_1024_256", 1024, 256, 1, 1, 0, 14},
    {"l3_3x3_256", 256, 256, 3, 1, 1, 14},
    {"l4_1x1_1024_512", 1024, 512, 1, 1, 0, 14},
    {"l4_3x3s2_512", 512, 512, 3, 2, 1, 14},
    {"l4_ds_1024_2048s2", 1024, 2048, 1, 2, 0, 14},
    {"l4_1x1_512_2048", 512, 2048, 1, 1, 0, 7},
    {"l4_1x1_2048_512", 2048, 512, 1, 1, 0, 7},
    {"l4_3x3_512", 512, 512, 3, 1, 1, 7},
};

// Times one convolution of shape `s` (BN folded, epilogue on) through Conv2d::forward, with
// Winograd F(tile) when tile > 0; GFLOP/s counts the direct convolution's flops, so that the
// paths compare by time. Returns the output's pixels (the GEMM's rows).
int64_t run_conv(benchmark::State& state, const ConvShape& s, int batch, int threads, int tile) {
  nn::Conv2dParams p;
  p.in_ch = s.in_ch;
  p.out_ch = s.out_ch;
  p.kh = p.kw = s.k;
  p.stride_h = p.stride_w = s.stride;
  p.pad_h = p.pad_w = s.pad;
  const nn::ConvBnNames names{"c.weight", "bn", 1e-5};
  nn::GeneratedWeights weights(nn::Conv2d::tensor_specs(p, names));
  nn::WeightLoader loader(weights, "bench");
  nn::Conv2d conv(p);
  conv.load(loader, names);
  if (tile > 0) conv.set_winograd(tile);
  const int oh = conv.out_h(s.in_hw), ow = conv.out_w(s.in_hw);
  AlignedBuffer<float> in(static_cast<std::size_t>(batch) * s.in_hw * s.in_hw * s.in_ch);
  AlignedBuffer<float> out(static_cast<std::size_t>(batch) * oh * ow * s.out_ch);
  for (std::size_t i = 0; i < in.size(); ++i) in[i] = static_cast<float>((i * 7919) % 1000) * 1e-3f - 0.5f;
  const auto x = nn::make_nhwc(in.data(), batch, s.in_hw, s.in_hw, s.in_ch);
  const auto y = nn::make_nhwc(out.data(), batch, oh, ow, s.out_ch);
  TaskArena arena(threads);
  for (auto _ : state) {
    arena.execute([&] { conv.forward(x, y); });
    benchmark::DoNotOptimize(out.data());
  }
  const double flops = conv.flops_per_pixel() * y.pixels();
  state.counters["GFLOP/s"] = benchmark::Counter(flops * 1e-9, benchmark::Counter::kIsIterationInvariantRate);
  return static_cast<int64_t>(y.pixels());
}

void BM_Nn_ConvGemm(benchmark::State& state, ConvShape s) {
  const int batch = static_cast<int>(state.range(0)), threads = static_cast<int>(state.range(1));
  state.counters["rows"] = static_cast<double>(run_conv(state, s, batch, threads, 0));
  state.counters["K"] = s.in_ch * s.k * s.k;
  state.counters["N"] = s.out_ch;
  state.SetLabel("threads=" + std::to_string(threads));
}

// Every 3 x 3 stride-1 convolution of both networks (input size as the layer sees it).
const ConvShape kWinogradShapes[] = {
    {"r50_l1_3x3_64", 64, 64, 3, 1, 1, 56},
    {"r50_l2_3x3_128", 128, 128, 3, 1, 1, 28},
    {"r50_l3_3x3_256", 256, 256, 3, 1, 1, 14},
    {"r50_l4_3x3_512", 512, 512, 3, 1, 1, 7},
    {"inc_2a_3x3_32_32", 32, 32, 3, 1, 0, 149},
    {"inc_2b_3x3_32_64", 32, 64, 3, 1, 1, 147},
    {"inc_4a_3x3_80_192", 80, 192, 3, 1, 0, 73},
    {"inc_5x_3x3_64_96", 64, 96, 3, 1, 1, 35},
    {"inc_5x_3x3_96_96", 96, 96, 3, 1, 1, 35},
    {"inc_7x_3x3_448_384", 448, 384, 3, 1, 1, 8},
};

// One 3 x 3 stride-1 convolution by the GEMM path (winograd:0) or Winograd F(2x2) / F(4x4); the
// GFLOP/s counter counts the direct convolution's flops, so that the paths compare by time.
void BM_Nn_Conv3x3(benchmark::State& state, ConvShape s) {
  const int batch = static_cast<int>(state.range(0)), threads = static_cast<int>(state.range(1));
  const int tile = static_cast<int>(state.range(2));
  run_conv(state, s, batch, threads, tile);
  state.SetLabel(std::string(tile ? "winograd F" + std::to_string(tile) : "gemm") + " threads=" + std::to_string(threads));
}

// The FMA peak of this machine, measured: independent register-only FMA chains on the same xsimd
// architecture the GEMM uses, one chain set per thread. The GEMM's "% of peak" is read against it.
void BM_Nn_FmaPeak(benchmark::State& state) {
  using V = xsimd::batch<float, simd::default_arch>;
  const int threads = static_cast<int>(state.range(0));
  constexpr long kSteps = 1 << 22;
  TaskArena arena(threads);
  for (auto _ : state) {
    arena.execute([&] {
      parallel_for_each_index(0, static_cast<std::size_t>(threads), [&](std::size_t t) {
        V acc[12];
        for (int i = 0; i < 12; ++i) acc[i] = V(static_cast<float>(i + t) * 1e-3f);
        const V m(0.9999f), c(1e-4f);
        for (long step = 0; step < kSteps; ++step) {
#pragma GCC unroll 12
          for (int i = 0; i < 12; ++i) acc[i] = xsimd::fma(acc[i], m, c);
        }
        V sum = acc[0];
        for (int i = 1; i < 12; ++i) sum += acc[i];
        benchmark::DoNotOptimize(sum);
      });
    });
  }
  const double flops = 2.0 * V::size * 12 * kSteps * threads;
  state.counters["GFLOP/s"] = benchmark::Counter(flops * 1e-9, benchmark::Counter::kIsIterationInvariantRate);
  state.SetLabel("threads=" + std::to_string(threads));
}

void BM_Nn_Classifier(benchmark::State& state) {
  const int batch = static_cast<int>(state.range(0)), threads = static_cast<int>(state.range(1));
  nn::GeneratedWeights weights(nn::Dense::tensor_specs(2048, 1000, "fc"));
  nn::WeightLoader loader(weights, "bench");
  nn::Dense fc(2048, 1000);
  fc.load(loader, "fc");
  std::vector<float> x(static_cast<std::size_t>(batch) * 2048, 0.5f), y(static_cast<std::size_t>(batch) * 1000);
  TaskArena arena(threads);
  for (auto _ : state) {
    arena.execute([&] { fc.forward(x.data(), 2048, batch, y.data(), 1000); });
    benchmark::DoNotOptimize(y.data());
  }
  state.counters["GFLOP/s"] = benchmark::Counter(2.0 * batch * 2048 * 1000 * 1e-9, benchmark::Counter::kIsIterationInvariantRate);
  state.SetLabel("threads=" + std::to_string(threads));
}

template <class Net, models::Precision P = models::Precision::Fp32, bool Winograd = true>
void BM_Nn_Network(benchmark::State& state) {
  const int batch = static_cast<int>(state.range(0)), threads = static_cast<int>(state.range(1));
  static Net& net = [&]() -> Net& {
    static nn::GeneratedWeights weights(Net::tensor_specs(), 1);
    static Net n(weights);
    n.set_precision(P);
    n.set_winograd(Winograd);
    return n;
  }();
  const int s = Net::default_preprocessing().input_size;
  const auto input = nn::generated_input(batch, 3, s, s, 1);
  nn::Workspace ws;
  TaskArena arena(threads);
  const models::OutputRequest what{true, false, false};
  arena.execute([&] { benchmark::DoNotOptimize(net.run(input, batch, what, ws)); });  // warm the workspace
  for (auto _ : state) {
    arena.execute([&] { benchmark::DoNotOptimize(net.run(input, batch, what, ws)); });
  }
  state.SetItemsProcessed(state.iterations() * batch);
  state.counters["images/s"] = benchmark::Counter(batch, benchmark::Counter::kIsIterationInvariantRate);
  state.counters["ms/batch"] = benchmark::Counter(1e-3, benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
  state.SetLabel(std::string(net.name()) + (P == models::Precision::Bf16 ? " bf16" : " fp32") +
                 (Winograd ? "" : " no-winograd") + " threads=" + std::to_string(threads));
}

// Per-layer profile of a network's exact fp32 path: every convolution's wall time (the fastest
// over the iterations, call by call), written as tab-separated lines to the file named by the
// environment variable VISIONDB_NN_PROFILE (or stdout), to compare with ONNX Runtime's per-node
// profile. Each line: call index, in_ch, in_h, in_w, out_ch, kh, kw, stride, out_h, out_w, ms, GFLOP/s.
struct LayerRecord {
  int in_ch, in_h, in_w, out_ch, kh, kw, stride, out_h, out_w;
  double flops, best = 1e30;
};
std::vector<LayerRecord> g_layer_records;
std::size_t g_layer_call = 0;
double g_layer_sum = 0;  // this iteration's convolution seconds

void record_layer(const nn::Conv2d& layer, const nn::TensorView& in, const nn::TensorView& out, double seconds) {
  const auto& p = layer.params();
  if (g_layer_call >= g_layer_records.size())
    g_layer_records.push_back({p.in_ch, in.h, in.w, p.out_ch, p.kh, p.kw, p.stride_h, out.h, out.w,
                               layer.flops_per_pixel() * static_cast<double>(out.pixels())});
  LayerRecord& r = g_layer_records[g_layer_call++];
  r.best = std::min(r.best, seconds);
  g_layer_sum += seconds;
}

template <class Net>
void BM_Nn_LayerProfile(benchmark::State& state) {
  const int batch = static_cast<int>(state.range(0)), threads = static_cast<int>(state.range(1));
  static Net& net = [&]() -> Net& {
    static nn::GeneratedWeights weights(Net::tensor_specs(), 1);
    static Net n(weights);
    return n;
  }();
  const int s = Net::default_preprocessing().input_size;
  const auto input = nn::generated_input(batch, 3, s, s, 1);
  nn::Workspace ws;
  TaskArena arena(threads);
  // One group of images (a stage observer keeps the batch whole), so that layers time in order.
  net.set_stage_observer([](std::string_view, const nn::TensorView&) {});
  const models::OutputRequest what{true, false, false};
  arena.execute([&] { benchmark::DoNotOptimize(net.run(input, batch, what, ws)); });
  g_layer_records.clear();
  nn::conv_profile_hook() = &record_layer;
  double best_run = 1e30, best_rest = 1e30;  // fastest call, least time outside the convolutions
  for (auto _ : state) {
    g_layer_call = 0;
    g_layer_sum = 0;
    const auto start = std::chrono::steady_clock::now();
    arena.execute([&] { benchmark::DoNotOptimize(net.run(input, batch, what, ws)); });
    const double run = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    best_run = std::min(best_run, run);
    best_rest = std::min(best_rest, run - g_layer_sum);
  }
  nn::conv_profile_hook() = nullptr;
  net.set_stage_observer(nullptr);
  const char* path = std::getenv("VISIONDB_NN_PROFILE");
  std::FILE* f = path ? std::fopen(path, "w") : stdout;
  if (!f) return;
  double total = 0;
  for (std::size_t i = 0; i < g_layer_records.size(); ++i) {
    const LayerRecord& r = g_layer_records[i];
    total += r.best;
    std::fprintf(f, "%zu\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%.4f\t%.1f\n", i, r.in_ch, r.in_h, r.in_w, r.out_ch, r.kh,
                 r.kw, r.stride, r.out_h, r.out_w, r.best * 1e3, r.flops / r.best * 1e-9);
  }
  if (f != stdout) std::fclose(f);
  state.counters["conv_ms"] = total * 1e3;  // sum of each layer's fastest time
  state.counters["best_ms"] = best_run * 1e3;
  state.counters["other_ms"] = best_rest * 1e3;  // pooling, layout, classifier, hook
  state.SetLabel(std::string(net.name()) + " per-layer profile threads=" + std::to_string(threads));
}

void BM_Nn_LoadResNet50(benchmark::State& state) {
  static const nn::GeneratedWeights weights(models::ResNet50::tensor_specs(), 1);
  for (auto _ : state) {
    models::ResNet50 net(weights);
    net.set_winograd(true);
    benchmark::DoNotOptimize(&net);
  }
  state.SetLabel("fold BN + pack + Winograd transforms, from memory");
}

// End to end from a converted file: open (checksums verified) + fold + pack + Winograd transforms.
void BM_Nn_LoadResNet50FromVdbw(benchmark::State& state) {
  static const std::string path = [] {
    const nn::GeneratedWeights generated(models::ResNet50::tensor_specs(), 1);
    std::vector<nn::WeightsTensorToWrite> tensors;
    for (const auto& spec : models::ResNet50::tensor_specs())
      tensors.push_back({spec.name, spec.shape, generated.tensor(spec.name, spec.shape)});
    const std::string p = (std::filesystem::temp_directory_path() / "visiondb_nn_bench_resnet50.vdbw").string();
    nn::write_weights_file(p, nn::WeightsMetadata::for_architecture("resnet50"), tensors);
    return p;
  }();
  const int threads = static_cast<int>(state.range(0));
  TaskArena arena(threads);
  for (auto _ : state) {
    arena.execute([&] {
      const nn::WeightsFile file(path);
      models::ResNet50 net(file);
      net.set_winograd(true);
      benchmark::DoNotOptimize(&net);
    });
  }
  state.SetLabel("open .vdbw + verify + fold + pack + Winograd, threads=" + std::to_string(threads));
}

int register_all() {
  for (const ConvShape& s : kResNetShapes)
    for (int batch : {1, 8})
      for (int threads : {1, 2})
      {
        auto* b = benchmark::RegisterBenchmark((std::string("BM_Nn_ConvGemm/") + s.name).c_str(), BM_Nn_ConvGemm, s)
                      ->Args({batch, threads})
                      ->ArgNames({"batch", "threads"})
                      ->Unit(benchmark::kMicrosecond);
        // One thread: CPU time, which a busy shared machine disturbs less; two: wall time.
        if (threads > 1) b->UseRealTime();
      }
  for (const ConvShape& s : kWinogradShapes)
    for (int batch : {1, 8})
      for (int threads : {1, 2})
        for (int tile : {0, 2, 4}) {
          auto* b = benchmark::RegisterBenchmark((std::string("BM_Nn_Conv3x3/") + s.name).c_str(), BM_Nn_Conv3x3, s)
                        ->Args({batch, threads, tile})
                        ->ArgNames({"batch", "threads", "winograd"})
                        ->Unit(benchmark::kMicrosecond);
          if (threads > 1) b->UseRealTime();
        }
  // CPU time: the peak of a core while it runs, whatever else the shared machine does.
  benchmark::RegisterBenchmark("BM_Nn_FmaPeak", BM_Nn_FmaPeak)->Arg(1)->ArgName("threads");
  benchmark::RegisterBenchmark("BM_Nn_Classifier", BM_Nn_Classifier)
      ->Args({1, 1})->Args({8, 2})->ArgNames({"batch", "threads"})->Unit(benchmark::kMicrosecond)->UseRealTime();
  for (int batch : {1, 8, 32})
    for (int threads : {1, 2}) {
      benchmark::RegisterBenchmark("BM_Nn_ResNet50", BM_Nn_Network<models::ResNet50>)
          ->Args({batch, threads})->ArgNames({"batch", "threads"})->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(2.0);
      benchmark::RegisterBenchmark("BM_Nn_InceptionV3", BM_Nn_Network<models::InceptionV3>)
          ->Args({batch, threads})->ArgNames({"batch", "threads"})->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(2.0);
      // Winograd off: every convolution on the im2col / implicit GEMM path.
      benchmark::RegisterBenchmark("BM_Nn_ResNet50_Gemm", BM_Nn_Network<models::ResNet50, models::Precision::Fp32, false>)
          ->Args({batch, threads})->ArgNames({"batch", "threads"})->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(2.0);
      benchmark::RegisterBenchmark("BM_Nn_InceptionV3_Gemm", BM_Nn_Network<models::InceptionV3, models::Precision::Fp32, false>)
          ->Args({batch, threads})->ArgNames({"batch", "threads"})->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(2.0);
    }
  for (int batch : {1, 4, 8})
    for (int threads : {1, 2}) {
      benchmark::RegisterBenchmark("BM_Nn_ResNet50_LayerProfile", BM_Nn_LayerProfile<models::ResNet50>)
          ->Args({batch, threads})->ArgNames({"batch", "threads"})->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(2.0);
      benchmark::RegisterBenchmark("BM_Nn_InceptionV3_LayerProfile", BM_Nn_LayerProfile<models::InceptionV3>)
          ->Args({batch, threads})->ArgNames({"batch", "threads"})->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(2.0);
    }
  if (nn::bf16_gemm_available())
    for (int batch : {1, 8, 32})
      for (int threads : {1, 2}) {
        benchmark::RegisterBenchmark("BM_Nn_ResNet50_Bf16", BM_Nn_Network<models::ResNet50, models::Precision::Bf16>)
            ->Args({batch, threads})->ArgNames({"batch", "threads"})->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(2.0);
        benchmark::RegisterBenchmark("BM_Nn_InceptionV3_Bf16", BM_Nn_Network<models::InceptionV3, models::Precision::Bf16>)
            ->Args({batch, threads})->ArgNames({"batch", "threads"})->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(2.0);
      }
  benchmark::RegisterBenchmark("BM_Nn_LoadResNet50", BM_Nn_LoadResNet50)->Unit(benchmark::kMillisecond)->UseRealTime();
  benchmark::RegisterBenchmark("BM_Nn_LoadResNet50FromVdbw", BM_Nn_LoadResNet50FromVdbw)
      ->Arg(1)->Arg(2)->ArgName("threads")->Unit(benchmark::kMillisecond)->UseRealTime();
  std::printf("fp32 FMA peak assumed: %.0f GFLOP/s per core; threads fixed per case by a task arena\n",
              kPeakGflopsPerCore);
  return 0;
}
const int registered = register_all();

}  // namespace

BENCHMARK_MAIN();
