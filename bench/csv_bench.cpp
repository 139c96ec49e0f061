// CSV import and export throughput on the SQL benchmark's table t (bench_data.hpp: 10 M rows,
// about 780 MB as CSV), at 1 and 2 workers. tools/bench_sql.sh runs DuckDB's and SQLite's load of
// the same file in the same run (tools/bench_sql_peers.js).
//   csv_bench --write-data=DIR   only writes t.csv and d.csv into DIR (tools/gen_bench_data)
#include <benchmark/benchmark.h>

#include <cstring>
#include <filesystem>
#include <memory>

#include "bench_data.hpp"
#include "visiondb/common/parallel.hpp"
#include "visiondb/io/csv_reader.hpp"
#include "visiondb/io/csv_writer.hpp"

namespace {

using namespace visiondb;

bench::BenchDataDir& data_dir() {
  static std::unique_ptr<bench::BenchDataDir> dir = std::make_unique<bench::BenchDataDir>();
  return *dir;
}

void BM_Csv_Load(benchmark::State& state) {
  const int threads = static_cast<int>(state.range(0));
  const std::string path = data_dir().path() + "/t.csv";
  const auto bytes = static_cast<int64_t>(std::filesystem::file_size(path));
  TaskArena arena(threads);
  size_t rows = 0;
  for (auto _ : state) {
    io::CsvData d = arena.execute([&] { return io::read_csv_file(path); });
    rows = d.data->rows;
    benchmark::DoNotOptimize(d.data.get());
  }
  state.SetBytesProcessed(state.iterations() * bytes);
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(rows));
  state.counters["MB"] = static_cast<double>(bytes) / 1e6;
  state.SetLabel("threads=" + std::to_string(threads) + " rows=" + std::to_string(rows));
}
BENCHMARK(BM_Csv_Load)->Arg(1)->Arg(2)->ArgName("threads")->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(2.0);

void BM_Csv_Write(benchmark::State& state) {
  const int threads = static_cast<int>(state.range(0));
  TaskArena arena(threads);
  // The first million rows of t, written back out.
  io::CsvReadOptions o;
  o.skip_leading_rows = 1;
  o.schema = Schema({{"id", LogicalType::int64()}, {"k", LogicalType::int64()}, {"cat", LogicalType::string()},
                     {"path", LogicalType::string()}, {"x", LogicalType::float64()}, {"y", LogicalType::int64()}});
  const std::string dir = data_dir().path();
  const std::string small = dir + "/t_1m.csv";
  if (!std::filesystem::exists(small)) bench::write_t_csv_rows(dir, "t_1m.csv", 1'000'000);
  io::CsvData d = arena.execute([&] { return io::read_csv_file(small, o); });
  std::vector<std::string> names;
  for (const auto& c : d.schema.columns()) names.push_back(c.name);
  const std::string out = dir + "/export.csv";
  io::CsvWriteOptions w;
  w.overwrite = true;
  for (auto _ : state) arena.execute([&] { io::write_csv(out, names, d.schema.types(), d.data->chunks, w); });
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(std::filesystem::file_size(out)));
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(d.data->rows));
  state.SetLabel("threads=" + std::to_string(threads));
  std::filesystem::remove(out);
}
BENCHMARK(BM_Csv_Write)->Arg(1)->Arg(2)->ArgName("threads")->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    constexpr const char* kFlag = "--write-data=";
    if (std::strncmp(argv[i], kFlag, std::strlen(kFlag)) == 0) {
      const std::string dir = argv[i] + std::strlen(kFlag);
      std::filesystem::create_directories(dir);
      bench::write_t_csv(dir, bench::t_rows());
      bench::write_d_csv(dir);
      std::printf("wrote %s/t.csv (%lld rows) and %s/d.csv\n", dir.c_str(), static_cast<long long>(bench::t_rows()),
                  dir.c_str());
      return 0;
    }
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
