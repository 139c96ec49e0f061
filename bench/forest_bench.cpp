// Random-forest benchmarks: training and prediction on the three data sets of docs/performance.md
// (covertype-like 500k x 54, classification 100k x 50, embeddings 2k x 2048), 100 trees.
//   forest_bench [--threads=2] [google benchmark flags]      the Google Benchmark cases
//   forest_bench --run=<set> [--threads=2] [--trees=100] [--exact-node-rows=N]
//                                                              one train + predict, one summary line
//   forest_bench --run=<set> --save=<file>                     ... and save the trained model
//   forest_bench --run=<set> --load=<file> [--repeat=N]        predict with a saved model (no training)
//   forest_bench --dump=<dir> --set=<set>                      write the set for the peers
//                                                              (tools/bench_forest_peers.py)
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <string>

#include "visiondb/common/parallel.hpp"
#include "visiondb/ml/forest/serialize.hpp"
#include "visiondb/ml/forest/synthetic_data.hpp"
#include "visiondb/ml/forest/trainer.hpp"
#include "visiondb/ml/metrics.hpp"

using namespace visiondb::ml;

namespace {

struct BenchSet {
  SyntheticData data;
  size_t train = 0;
};

BenchSet make_set(const std::string& name) {
  BenchSet s;
  if (name == "covertype500k") {
    s.data = make_covertype_like({600000, 5});
    s.train = 500000;
  } else if (name == "classification100k") {
    ClassificationSpec c;
    c.rows = 120000;
    c.features = 50;
    c.informative = 12;
    c.redundant = 6;
    c.classes = 5;
    c.flip_y = 0.03;
    c.seed = 1;
    s.data = make_classification_like(c);
    s.train = 100000;
  } else if (name == "embedding2k") {
    s.data = make_embedding_like({3000, 2048, 10, 0.6, 0.1, 3});
    s.train = 2000;
  } else {
    std::fprintf(stderr, "unknown set \"%s\": expected covertype500k, classification100k or embedding2k\n", name.c_str());
    std::exit(2);
  }
  return s;
}

const BenchSet& cached_set(const std::string& name) {
  static std::map<std::string, std::unique_ptr<BenchSet>> sets;
  auto& p = sets[name];
  if (!p) p = std::make_unique<BenchSet>(make_set(name));
  return *p;
}

struct Split {
  FeatureTable train, test;
  Labels labels;
  std::vector<int32_t> truth;
};

Split split_of(const BenchSet& s) {
  const SyntheticData& d = s.data;
  std::span<const float> all(d.x);
  Split out;
  out.train.add_array("x", all.subspan(0, s.train * d.cols), d.cols);
  out.test.add_array("x", all.subspan(s.train * d.cols), d.cols);
  std::vector<int64_t> y(d.label.begin(), d.label.begin() + static_cast<ptrdiff_t>(s.train));
  out.labels = Labels::classes("y", y);
  out.truth.assign(d.label.begin() + static_cast<ptrdiff_t>(s.train), d.label.end());
  return out;
}

int g_trees = 100;  // --trees=N: fewer trees for quick comparisons of training changes

// scikit-learn's defaults (bootstrap, sqrt(features) per node, unlimited depth, leaves of one row).
int g_exact_node_rows = -1;  // --exact-node-rows=N: ForestParams::exact_node_rows (else the default)

ForestParams bench_params() {
  ForestParams p = ForestParams::sklearn_defaults(ForestTask::Classification);
  p.num_trees = g_trees;
  p.seed = 1;
  if (g_exact_node_rows >= 0) p.exact_node_rows = g_exact_node_rows;
  return p;
}

int g_threads = 2;
int g_repeat = 1;

void BM_Forest_Train(benchmark::State& state, std::string set) {
  const BenchSet& s = cached_set(set);
  Split sp = split_of(s);
  double acc = 0;
  size_t nodes = 0;
  for (auto _ : state) {
    Forest f = train_forest(sp.train, sp.labels, bench_params());
    state.PauseTiming();
    acc = classification_metrics(sp.truth, f.predict_class(sp.test), f.num_classes()).accuracy;
    nodes = f.info.nodes;
    state.ResumeTiming();
  }
  state.counters["accuracy"] = acc;
  state.counters["nodes"] = static_cast<double>(nodes);
  state.counters["threads"] = g_threads;
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * s.train));
}

void BM_Forest_Predict(benchmark::State& state, std::string set) {
  const BenchSet& s = cached_set(set);
  Split sp = split_of(s);
  Forest f = train_forest(sp.train, sp.labels, bench_params());
  for (auto _ : state) {
    std::vector<float> p = f.predict_proba(sp.test);
    benchmark::DoNotOptimize(p.data());
  }
  state.counters["threads"] = g_threads;
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * sp.truth.size()));
}

void BM_Forest_Binning(benchmark::State& state, std::string set) {
  const BenchSet& s = cached_set(set);
  Split sp = split_of(s);
  FeatureBinner b = FeatureBinner::fit(sp.train, &sp.labels, 255);
  for (auto _ : state) {
    BinnedMatrix m = b.transform(sp.train);
    benchmark::DoNotOptimize(m.bins.data());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * s.train));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * s.train * s.data.cols * sizeof(float)));
}

void register_benchmarks() {
  for (const char* set : {"embedding2k", "classification100k", "covertype500k"}) {
    benchmark::RegisterBenchmark((std::string("BM_Forest_Train/") + set).c_str(), BM_Forest_Train, std::string(set))
        ->Iterations(1)
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime();
    benchmark::RegisterBenchmark((std::string("BM_Forest_Predict/") + set).c_str(), BM_Forest_Predict, std::string(set))
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime();
    benchmark::RegisterBenchmark((std::string("BM_Forest_Binning/") + set).c_str(), BM_Forest_Binning, std::string(set))
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime();
  }
}

void write_file(const std::string& path, const void* data, size_t bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(static_cast<const char*>(data), static_cast<std::streamsize>(bytes));
  if (!out) {
    std::fprintf(stderr, "cannot write %s\n", path.c_str());
    std::exit(1);
  }
}

int dump(const std::string& dir, const std::string& set) {
  BenchSet s = make_set(set);
  const SyntheticData& d = s.data;
  const size_t test = d.rows - s.train;
  write_file(dir + "/x_train.f32", d.x.data(), s.train * d.cols * sizeof(float));
  write_file(dir + "/x_test.f32", d.x.data() + s.train * d.cols, test * d.cols * sizeof(float));
  write_file(dir + "/y_train.i32", d.label.data(), s.train * sizeof(int32_t));
  write_file(dir + "/y_test.i32", d.label.data() + s.train, test * sizeof(int32_t));
  std::ofstream meta(dir + "/meta.txt");
  meta << s.train << " " << d.cols << " " << test << " " << d.classes << "\n";
  return 0;
}

// CPU seconds of the whole process (all threads): robust to a machine shared with other jobs.
double process_cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) * 1e-6;
}

double max_rss_mb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) / 1024.0;
}

// The process's resident memory (VmRSS) or its peak since the last reset (VmHWM), in MB, from
// /proc/self/status; reset_peak_rss() starts a new peak (Linux: clear_refs 5).
double proc_status_mb(const char* key) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind(key, 0) == 0) return std::stod(line.substr(std::strlen(key))) / 1024.0;
  return 0;
}

void reset_peak_rss() { std::ofstream("/proc/self/clear_refs") << "5"; }

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "cannot read %s\n", path.c_str());
    std::exit(1);
  }
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// One training and one prediction, timed like the peers (tools/bench_forest_peers.py). With a
// model file, training is replaced by loading it (load) or followed by saving it (save): the
// prediction of a big set can then be measured again without training again.
int run_once(const std::string& set, const std::string& save, const std::string& load) {
  BenchSet s = make_set(set);
  Split sp = split_of(s);
  auto t0 = std::chrono::steady_clock::now();
  double c0 = process_cpu_seconds();
  Forest f;
  if (!load.empty()) {
    f = deserialize_forest(read_file(load), load);
  } else {
    f = train_forest(sp.train, sp.labels, bench_params());
  }
  auto t1 = std::chrono::steady_clock::now();
  double c1 = process_cpu_seconds();
  const double rss_trained = max_rss_mb();  // peak so far: data, training and the model
  if (!save.empty()) {
    std::string bytes = serialize_forest(f);
    write_file(save, bytes.data(), bytes.size());
  }
  // With a loaded model, the prediction's own peak above the model and data is measured too. Not
  // after training: resetting the peak would hide training's from /usr/bin/time (the peers' script).
  const double rss_model = proc_status_mb("VmRSS:");
  if (!load.empty()) reset_peak_rss();
  auto t2 = std::chrono::steady_clock::now();
  double c2 = process_cpu_seconds();
  std::vector<int32_t> pred = f.predict_class(sp.test);
  auto t3 = std::chrono::steady_clock::now();
  double c3 = process_cpu_seconds();
  // More predictions (--repeat=N): the fastest is reported, on a machine shared with other jobs.
  for (int r = 1; r < g_repeat; ++r) {
    auto u2 = std::chrono::steady_clock::now();
    double d2 = process_cpu_seconds();
    pred = f.predict_class(sp.test);
    auto u3 = std::chrono::steady_clock::now();
    double d3 = process_cpu_seconds();
    if (d3 - d2 < c3 - c2) {
      t2 = u2, t3 = u3, c2 = d2, c3 = d3;
    }
  }
  double acc = classification_metrics(sp.truth, pred, f.num_classes()).accuracy;
  // FNV-1a over every node and leaf value: equal hashes mean the same trees (a check that a
  // training change moved work, not results).
  uint64_t hash = 1469598103934665603ull;
  auto mix = [&hash](const void* p, size_t n) {
    for (size_t i = 0; i < n; ++i) hash = (hash ^ static_cast<const uint8_t*>(p)[i]) * 1099511628211ull;
  };
  for (const Tree& t : f.trees) {
    mix(t.nodes.data(), t.nodes.size() * sizeof(TreeNode));
    mix(t.values.data(), t.values.size() * sizeof(float));
  }
  std::printf("visiondb %s %s_s %.3f predict_s %.3f %s_cpu_s %.3f predict_cpu_s %.3f accuracy %.4f nodes %zu threads %d "
              "model %016llx rss_before_predict_mb %.0f rss_mb %.0f",
              set.c_str(), load.empty() ? "train" : "load", std::chrono::duration<double>(t1 - t0).count(),
              std::chrono::duration<double>(t3 - t2).count(), load.empty() ? "train" : "load", c1 - c0, c3 - c2, acc,
              f.info.nodes, g_threads, static_cast<unsigned long long>(hash), rss_trained, max_rss_mb());
  if (!load.empty()) std::printf(" predict_peak_over_model_mb %.0f", proc_status_mb("VmHWM:") - rss_model);
  std::printf("\n");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::string dump_dir, set, run, save, load;
  std::vector<char*> rest;
  for (int i = 0; i < argc; ++i) {
    std::string a = argv[i];
    if (a.rfind("--threads=", 0) == 0)
      g_threads = std::stoi(a.substr(10));
    else if (a.rfind("--dump=", 0) == 0)
      dump_dir = a.substr(7);
    else if (a.rfind("--set=", 0) == 0)
      set = a.substr(6);
    else if (a.rfind("--exact-node-rows=", 0) == 0)
      g_exact_node_rows = std::stoi(a.substr(18));
    else if (a.rfind("--trees=", 0) == 0)
      g_trees = std::stoi(a.substr(8));
    else if (a.rfind("--run=", 0) == 0)
      run = a.substr(6);
    else if (a.rfind("--repeat=", 0) == 0)
      g_repeat = std::max(1, std::stoi(a.substr(9)));
    else if (a.rfind("--save=", 0) == 0)
      save = a.substr(7);
    else if (a.rfind("--load=", 0) == 0)
      load = a.substr(7);
    else
      rest.push_back(argv[i]);
  }
  if (!dump_dir.empty()) return dump(dump_dir, set);
  visiondb::GlobalThreadLimit limit(g_threads);
  std::printf("forest_bench: %d threads\n", g_threads);
  if (!run.empty()) return run_once(run, save, load);
  int n = static_cast<int>(rest.size());
  benchmark::Initialize(&n, rest.data());
  register_benchmarks();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
