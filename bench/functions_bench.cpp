// Function kernels on their own, chunk by chunk as the executor calls them: 1 M paths of the SQL
// benchmark's table t ('images/cat_N/img_I.jpg'), 2048 rows per call, one thread. Rates are rows
// per second. The SQL-level comparison with DuckDB and SQLite is in bench/sql_bench.cpp.
#include <benchmark/benchmark.h>

#include <memory>
#include <string>
#include <vector>

#include "bench_data.hpp"
#include "visiondb/functions/registry.hpp"

namespace {

using namespace visiondb;

constexpr size_t kRows = 1 << 20;
constexpr size_t kChunk = 2048;

// The paths in chunks of 2048 rows.
const std::vector<Column>& path_chunks() {
  static const std::vector<Column> chunks = [] {
    std::vector<Column> out;
    for (size_t first = 0; first < kRows; first += kChunk) {
      Column c(LogicalType::string());
      for (size_t r = first; r < first + kChunk; ++r) {
        const auto i = static_cast<int64_t>(r);
        c.append_string("images/" + bench::cat_name(bench::t_cat(i)) + "/img_" + std::to_string(i) + ".jpg");
      }
      out.push_back(std::move(c));
    }
    return out;
  }();
  return chunks;
}

// Runs `name` over every chunk with the given constant extra arguments (prepared once, as a query
// would); the path is argument `path_at` (0: first).
void run(benchmark::State& state, const std::string& name, std::vector<Value> constants, size_t path_at = 0) {
  auto reg = fn::Registry::builtins();
  std::vector<LogicalType> types;
  for (const auto& v : constants) types.push_back(v.type());
  types.insert(types.begin() + static_cast<std::ptrdiff_t>(path_at), LogicalType::string());
  auto f = reg->resolve_scalar(name, types, {}).function;
  std::vector<Column> const_cols;
  std::vector<const Value*> const_ptrs;
  for (const auto& v : constants) {
    const_cols.push_back(Column::constant(v, 1));
    const_ptrs.push_back(&v);
  }
  const_ptrs.insert(const_ptrs.begin() + static_cast<std::ptrdiff_t>(path_at), nullptr);
  auto prepared = f->prepare(const_ptrs);
  sql::FunctionContext ctx{prepared.get(), false};
  size_t rows = 0;
  for (auto _ : state) {
    for (const Column& chunk : path_chunks()) {
      std::vector<ColumnView> args;
      for (const Column& c : const_cols) args.emplace_back(&c, nullptr, true);
      args.insert(args.begin() + static_cast<std::ptrdiff_t>(path_at), ColumnView(&chunk));
      Column out(f->return_type());
      f->execute(args, chunk.size(), out, ctx);
      benchmark::DoNotOptimize(out.size());
      rows += chunk.size();
    }
  }
  state.SetItemsProcessed(static_cast<int64_t>(rows));
}

void BM_Fn_RegexpContains_Regex(benchmark::State& s) { run(s, "regexp_contains", {Value::string(R"(img_[0-9]*77\.jpg$)")}); }
void BM_Fn_RegexpContains_Literal(benchmark::State& s) { run(s, "regexp_contains", {Value::string("cat_7/")}); }
void BM_Fn_RegexpExtract(benchmark::State& s) { run(s, "regexp_extract", {Value::string(R"(img_([0-9]+))")}); }
void BM_Fn_RegexpReplace(benchmark::State& s) {
  run(s, "regexp_replace", {Value::string(R"(cat_(\d+))"), Value::string(R"(c\1)")});
}
void BM_Fn_Split(benchmark::State& s) { run(s, "split", {Value::string("/")}); }
void BM_Fn_Substr(benchmark::State& s) { run(s, "substr", {Value::int64(8), Value::int64(6)}); }
void BM_Fn_Strpos(benchmark::State& s) { run(s, "strpos", {Value::string("img_")}); }
void BM_Fn_Upper(benchmark::State& s) { run(s, "upper", {}); }
void BM_Fn_Replace(benchmark::State& s) { run(s, "replace", {Value::string("images/"), Value::string("")}); }
void BM_Fn_Format(benchmark::State& s) { run(s, "format", {Value::string("%s!")}, 1); }

BENCHMARK(BM_Fn_RegexpContains_Regex)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Fn_RegexpContains_Literal)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Fn_RegexpExtract)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Fn_RegexpReplace)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Fn_Split)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Fn_Substr)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Fn_Strpos)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Fn_Upper)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Fn_Replace)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Fn_Format)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
