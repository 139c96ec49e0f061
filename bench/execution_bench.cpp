// Micro-benchmarks of the executor's hot paths on generated tables, through the Database (so the
// planner's choices are part of what is measured): a filtered scan, hash aggregation with few and
// many groups (key-indexed and hashed), hash joins (key-indexed, hashed, and feeding a GROUP BY
// on a build-side string), top-N and a full sort. Rates are input rows per second; the
// worker count is the benchmark's `threads` argument.
//   build/bench/execution_bench --benchmark_filter=Aggregate
#include <benchmark/benchmark.h>

#include <memory>
#include <string>

#include "visiondb/api/database.hpp"
#include "visiondb/common/parallel.hpp"
#include "visiondb/storage/table.hpp"

namespace {

using namespace visiondb;

constexpr int64_t kRows = 4'000'000;
constexpr int64_t kDimRows = 400'000;

// t(id, k, g, x, ks): k has 1 M values, g 64 string values, ks = k * 1000003 (the same keys spread
// out, too wide for the key-indexed join and GROUP BY: they hash); d(k, w, ks, grp): one row per
// k < kDimRows, grp one of 100 strings.
Database& database() {
  static std::unique_ptr<Database> db = [] {
    auto d = std::make_unique<Database>(DatabaseOptions{2});
    auto make = [&](const std::string& name, Schema schema, int64_t rows, auto fill) {
      const size_t chunks = static_cast<size_t>((rows + kVectorSize - 1) / kVectorSize);
      auto data = std::make_shared<TableData>();
      data->chunks.resize(chunks);
      data->rows = static_cast<size_t>(rows);
      const auto types = schema.types();
      parallel_for_each_index(0, chunks, [&](size_t c) {
        const int64_t first = static_cast<int64_t>(c * kVectorSize);
        const size_t n = static_cast<size_t>(std::min<int64_t>(kVectorSize, rows - first));
        std::vector<Column> cols;
        for (const auto& t : types) cols.emplace_back(t);
        fill(first, n, cols);
        std::vector<ColumnPtr> ptrs;
        for (auto& col : cols) ptrs.push_back(std::make_shared<const Column>(std::move(col)));
        data->chunks[c] = std::make_shared<const Chunk>(std::move(ptrs), n);
      });
      auto table = std::make_shared<Table>(QualifiedName{"main", name}, std::move(schema));
      table->commit(std::move(data));
      d->catalog().create(std::move(table), true);
    };
    make("t",
         Schema({{"id", LogicalType::int64()}, {"k", LogicalType::int64()}, {"g", LogicalType::string()},
                 {"x", LogicalType::float64()}, {"ks", LogicalType::int64()}}),
         kRows, [](int64_t first, size_t n, std::vector<Column>& c) {
           c[0].resize(n);
           c[1].resize(n);
           c[3].resize(n);
           c[4].resize(n);
           for (size_t r = 0; r < n; ++r) {
             const int64_t i = first + static_cast<int64_t>(r);
             c[0].data<int64_t>()[r] = i;
             c[1].data<int64_t>()[r] = (i * 2654435761LL) % 1000000;
             c[2].append_string("group_" + std::to_string((i * 7919) % 64));
             c[3].data<double>()[r] = static_cast<double>((i * 48271) % 2147483647) / 2147483647.0;
             c[4].data<int64_t>()[r] = c[1].data<int64_t>()[r] * 1000003;
           }
         });
    make("d",
         Schema({{"k", LogicalType::int64()}, {"w", LogicalType::float64()}, {"ks", LogicalType::int64()},
                 {"grp", LogicalType::string()}}),
         kDimRows, [](int64_t first, size_t n, std::vector<Column>& c) {
           c[0].resize(n);
           c[1].resize(n);
           c[2].resize(n);
           for (size_t r = 0; r < n; ++r) {
             const int64_t k = first + static_cast<int64_t>(r);
             c[0].data<int64_t>()[r] = k;
             c[1].data<double>()[r] = static_cast<double>(k % 97);
             c[2].data<int64_t>()[r] = k * 1000003;
             c[3].append_string("grp_" + std::to_string(k % 100));
           }
         });
    return d;
  }();
  return *db;
}

void run(benchmark::State& state, const char* sql) {
  Database& db = database();
  db.set_threads(static_cast<int>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(db.query(sql).row_count());
  state.SetItemsProcessed(state.iterations() * kRows);
  state.counters["threads"] = static_cast<double>(state.range(0));
}

void BM_Exec_FilterCount(benchmark::State& s) { run(s, "SELECT COUNT(*) FROM t WHERE x < 0.25 AND k > 1000"); }
void BM_Exec_Aggregate_64Groups(benchmark::State& s) { run(s, "SELECT g, SUM(x), COUNT(*) FROM t GROUP BY g"); }
void BM_Exec_Aggregate_1MGroups(benchmark::State& s) { run(s, "SELECT k, SUM(x) FROM t GROUP BY k"); }
void BM_Exec_CountDistinct(benchmark::State& s) { run(s, "SELECT COUNT(DISTINCT k) FROM t"); }
void BM_Exec_Aggregate_1MSparseGroups(benchmark::State& s) { run(s, "SELECT ks, SUM(x) FROM t GROUP BY ks"); }
void BM_Exec_HashJoin(benchmark::State& s) { run(s, "SELECT SUM(t.x * d.w) FROM t JOIN d ON t.k = d.k"); }
void BM_Exec_HashJoin_SparseKeys(benchmark::State& s) { run(s, "SELECT SUM(t.x * d.w) FROM t JOIN d ON t.ks = d.ks"); }
void BM_Exec_HashJoin_GroupByBuildString(benchmark::State& s) {
  run(s, "SELECT d.grp, COUNT(*), SUM(t.x * d.w) FROM t JOIN d ON t.k = d.k GROUP BY d.grp");
}
void BM_Exec_TopN(benchmark::State& s) { run(s, "SELECT id, x FROM t ORDER BY x DESC LIMIT 100"); }
void BM_Exec_Sort(benchmark::State& s) { run(s, "SELECT COUNT(*) FROM (SELECT id FROM t WHERE k < 100000 ORDER BY x)"); }

}  // namespace

BENCHMARK(BM_Exec_FilterCount)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Exec_Aggregate_64Groups)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Exec_Aggregate_1MGroups)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Exec_CountDistinct)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Exec_Aggregate_1MSparseGroups)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Exec_HashJoin)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Exec_HashJoin_SparseKeys)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Exec_HashJoin_GroupByBuildString)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Exec_TopN)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Exec_Sort)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

BENCHMARK_MAIN();
