// Object tables: listing 10 k and 100 k files (warm: after a first listing), beside the serial
// glob of the CSV path (io::expand_glob + stat) and a std::filesystem walk, in the same run; and a
// query whose filter keeps 1% of 10 k image files, beside the same query keeping them all. The
// files are created at start in a temporary folder (removed at exit):
//   list_flat_N/    N empty files in one folder
//   list_tree_N/    N empty files in 100 folders
//   images_10k/     10,000 copies of a 114-byte PNG (tests/data/objects/poses/downdog/d2.png)
// Workers: 2 (the machine's cores), fixed by a TaskArena and printed in each label.
#include <benchmark/benchmark.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>

#include "visiondb/api/database.hpp"
#include "visiondb/common/parallel.hpp"
#include "visiondb/functions/ml/decode_image.hpp"
#include "visiondb/io/glob.hpp"
#include "visiondb/io/object_listing.hpp"
#include "visiondb/io/object_table.hpp"

namespace {

using namespace visiondb;
namespace fs = std::filesystem;

constexpr int kThreads = 2;

class BenchFolders {
 public:
  BenchFolders() {
    root_ = fs::temp_directory_path() / ("visiondb_objects_bench_" + std::to_string(::getpid()));
    fs::create_directories(root_);
  }
  ~BenchFolders() {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }
  // N empty files, flat or in 100 folders; made once.
  std::string files(int n, bool tree) {
    const std::string name = std::string(tree ? "list_tree_" : "list_flat_") + std::to_string(n);
    const fs::path dir = root_ / name;
    if (!fs::exists(dir)) {
      for (int i = 0; i < n; ++i) {
        char rel[64];
        if (tree) std::snprintf(rel, sizeof rel, "d%02d/f%06d.jpg", i % 100, i);
        else std::snprintf(rel, sizeof rel, "f%06d.jpg", i);
        const fs::path p = dir / rel;
        if (tree && i < 100) fs::create_directories(p.parent_path());
        if (!tree && i == 0) fs::create_directories(dir);
        const int fd = ::open(p.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd >= 0) ::close(fd);
      }
    }
    return dir.string();
  }
  // 10,000 copies of a small PNG.
  std::string images() {
    const fs::path dir = root_ / "images_10k";
    if (!fs::exists(dir)) {
      fs::create_directories(dir);
      std::ifstream in(std::string(VISIONDB_SOURCE_DIR) + "/tests/data/objects/poses/downdog/d2.png", std::ios::binary);
      const std::string png((std::istreambuf_iterator<char>(in)), {});
      if (png.empty()) throw std::runtime_error("missing tests/data/objects/poses/downdog/d2.png");
      for (int i = 0; i < 10000; ++i) {
        char rel[32];
        std::snprintf(rel, sizeof rel, "img%05d.png", i);
        std::ofstream(dir / rel, std::ios::binary) << png;
      }
    }
    return dir.string();
  }

 private:
  fs::path root_;
};

BenchFolders& folders() {
  static std::unique_ptr<BenchFolders> f = std::make_unique<BenchFolders>();
  return *f;
}

std::string label(int n, bool tree) {
  return std::string(tree ? "100 folders" : "1 folder") + " files=" + std::to_string(n) + " threads=" + std::to_string(kThreads);
}

// io::list_objects: the object tables' parallel listing; stat = 0 is what opening an object table
// does (names from the folders only: sizes and times are read when a query uses them), stat = 1
// also reads every file's size and time, as the peers below do.
void BM_Objects_List(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  const bool tree = state.range(1) != 0;
  const bool with_stat = state.range(2) != 0;
  io::MountTable mounts;
  mounts.mount("gs://bench", folders().files(n, tree));
  TaskArena arena(kThreads);
  const std::vector<std::string> uris{"gs://bench/*.jpg"};
  size_t listed = arena.execute([&] { return io::list_objects(uris, mounts, nullptr, with_stat).size(); });  // warm
  for (auto _ : state) {
    auto objs = arena.execute([&] { return io::list_objects(uris, mounts, nullptr, with_stat); });
    listed = objs.size();
    benchmark::DoNotOptimize(objs.data());
  }
  if (listed != size_t(n)) state.SkipWithError("wrong number of files listed");
  state.SetItemsProcessed(state.iterations() * n);
  state.SetLabel(label(n, tree) + (with_stat ? " with stat" : ""));
}
BENCHMARK(BM_Objects_List)
    ->Args({10000, 0, 0})
    ->Args({100000, 0, 0})
    ->Args({10000, 1, 0})
    ->Args({100000, 1, 0})
    ->Args({10000, 0, 1})
    ->Args({100000, 0, 1})
    ->Args({10000, 1, 1})
    ->Args({100000, 1, 1})
    ->ArgNames({"files", "tree", "stat"})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// Peer: the CSV path's serial glob (one folder walk, a stat per match), then a stat per file for
// size and time as a listing needs.
void BM_Objects_ListPeerExpandGlob(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  const bool tree = state.range(1) != 0;
  const std::string dir = folders().files(n, tree);
  const std::string pattern = dir + (tree ? "/**/*.jpg" : "/*.jpg");
  io::expand_glob(pattern);  // warm
  for (auto _ : state) {
    auto files = io::expand_glob(pattern);
    int64_t total = 0;
    for (const auto& f : files) {
      struct stat st;
      if (::stat(f.c_str(), &st) == 0) total += st.st_size + st.st_mtim.tv_nsec;
    }
    benchmark::DoNotOptimize(total);
    if (files.size() != size_t(n)) state.SkipWithError("wrong number of files");
  }
  state.SetItemsProcessed(state.iterations() * n);
  state.SetLabel(label(n, tree) + " (serial)");
}
BENCHMARK(BM_Objects_ListPeerExpandGlob)
    ->Args({10000, 0})
    ->Args({100000, 0})
    ->Args({10000, 1})
    ->Args({100000, 1})
    ->ArgNames({"files", "tree"})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// Peer: std::filesystem::recursive_directory_iterator with file_size and last_write_time.
void BM_Objects_ListPeerStdFilesystem(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  const bool tree = state.range(1) != 0;
  const std::string dir = folders().files(n, tree);
  for (auto _ : state) {
    size_t count = 0;
    int64_t total = 0;
    for (const auto& e : fs::recursive_directory_iterator(dir)) {
      if (!e.is_regular_file() || e.path().extension() != ".jpg") continue;
      total += static_cast<int64_t>(e.file_size()) + e.last_write_time().time_since_epoch().count();
      ++count;
    }
    benchmark::DoNotOptimize(total);
    if (count != size_t(n)) state.SkipWithError("wrong number of files");
  }
  state.SetItemsProcessed(state.iterations() * n);
  state.SetLabel(label(n, tree) + " (serial)");
}
BENCHMARK(BM_Objects_ListPeerStdFilesystem)
    ->Args({10000, 0})
    ->Args({100000, 0})
    ->Args({10000, 1})
    ->Args({100000, 1})
    ->ArgNames({"files", "tree"})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// SELECT over 10,000 image files: a filter on uri that keeps 1% (keep = 1) or all of them
// (keep = 100), reading data (decode = 0) or decoding it (decode = 1). Counters: files listed,
// files read and images decoded per query.
void BM_Objects_FilteredScan(benchmark::State& state) {
  const int keep = static_cast<int>(state.range(0));
  const bool decode = state.range(1) != 0;
  DatabaseOptions o;
  o.threads = kThreads;
  Database db(o);
  db.mount("gs://bench", folders().images());
  db.query("CREATE EXTERNAL TABLE t OPTIONS (object_metadata = 'SIMPLE', uris = ['gs://bench/*.png'])");
  const std::string what = decode ? "ML.DECODE_IMAGE(data) IS NOT NULL" : "LENGTH(data)";
  const std::string where = keep == 1 ? " WHERE uri LIKE '%00.png'" : "";
  const std::string sql = "SELECT uri, " + what + " FROM t" + where;
  db.query(sql);  // warm
  const auto io_before = io::object_io_totals();
  const uint64_t decoded_before = fn::images_decoded_total();
  size_t rows = 0;
  for (auto _ : state) {
    auto r = db.query(sql);
    rows = r.row_count();
    benchmark::DoNotOptimize(r.chunks().data());
  }
  const auto io_after = io::object_io_totals();
  const double runs = static_cast<double>(state.iterations());
  state.counters["files_listed"] = static_cast<double>(io_after.files_listed - io_before.files_listed) / runs;
  state.counters["files_read"] = static_cast<double>(io_after.files_opened - io_before.files_opened) / runs;
  state.counters["decoded"] = static_cast<double>(fn::images_decoded_total() - decoded_before) / runs;
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(rows));
  state.SetLabel("10000 files, " + std::to_string(rows) + " kept, threads=" + std::to_string(kThreads) + ": " + sql);
}
BENCHMARK(BM_Objects_FilteredScan)
    ->Args({1, 0})
    ->Args({100, 0})
    ->Args({1, 1})
    ->Args({100, 1})
    ->ArgNames({"keep_percent", "decode"})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
