// Embeddings: ML.DISTANCE over N rows of 2048 doubles against one constant vector, VECTOR_SEARCH of
// 100 queries over the same N rows (top_k 5, COSINE), the raw distance kernel, and a plain SIMD
// read of the same buffer (the machine's memory bandwidth, the ceiling of ML.DISTANCE). N is
// VISIONDB_VECTOR_ROWS (default 100000: 1.6 GB). The vectors come from the formula that
// tools/bench_vector_peers.js gives DuckDB, so the two answer the same question; the label of each
// SQL case holds its answer. Threads: 2 (DatabaseOptions), printed in the case name.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "visiondb/api/database.hpp"
#include "visiondb/common/parallel.hpp"
#include "visiondb/common/simd.hpp"
#include "visiondb/functions/ml/vector_distance.hpp"
#include "visiondb/storage/table.hpp"

namespace {

using namespace visiondb;

constexpr size_t kDim = 2048;
constexpr size_t kQueries = 100;
constexpr int kThreads = 2;

size_t base_rows() {
  const char* env = std::getenv("VISIONDB_VECTOR_ROWS");
  return env ? static_cast<size_t>(std::atoll(env)) : 100000;
}

// Element j of vector i, as tools/bench_vector_peers.js computes it in DuckDB.
double element(int64_t i, int64_t j) {
  return static_cast<double>((i * 7919 + j * 104729) % 1000003) / 1000003.0 - 0.5;
}

void add_vectors(Database& db, const std::string& name, const std::string& id, int64_t first_id, size_t rows) {
  const size_t chunks = (rows + kVectorSize - 1) / kVectorSize;
  auto data = std::make_shared<TableData>();
  data->chunks.resize(chunks);
  data->rows = rows;
  parallel_for_each_index(0, chunks, [&](size_t c) {
    const size_t first = c * kVectorSize, n = std::min(kVectorSize, rows - first);
    Column ids(LogicalType::int64()), emb(LogicalType::array(LogicalType::float64()));
    emb.child().reserve(n * kDim);
    for (size_t r = 0; r < n; ++r) {
      const int64_t i = first_id + static_cast<int64_t>(first + r);
      ids.append_int64(i);
      emb.child().resize((r + 1) * kDim);
      double* e = emb.child().data<double>() + r * kDim;
      for (size_t j = 0; j < kDim; ++j) e[j] = element(i, static_cast<int64_t>(j));
      emb.close_array_row();
    }
    std::vector<ColumnPtr> cols{std::make_shared<const Column>(std::move(ids)), std::make_shared<const Column>(std::move(emb))};
    data->chunks[c] = std::make_shared<const Chunk>(std::move(cols), n);
  });
  auto table = std::make_shared<Table>(QualifiedName{Catalog::kDefaultDataset, name}, Schema({{id, LogicalType::int64()}, {"emb", LogicalType::array(LogicalType::float64())}}));
  table->commit(std::move(data));
  db.catalog().create(std::move(table), /*replace=*/true);
}

Database& database() {
  static Database* db = [] {
    DatabaseOptions options;
    options.threads = kThreads;
    auto* d = new Database(options);
    add_vectors(*d, "emb_t", "id", 0, base_rows());
    add_vectors(*d, "q_t", "qid", 1000000, kQueries);
    return d;
  }();
  return *db;
}

std::string query_literal() {
  std::string s = "[";
  char buf[40];
  for (size_t j = 0; j < kDim; ++j) {
    std::snprintf(buf, sizeof buf, "%s%.17g", j ? ", " : "", element(1000000, static_cast<int64_t>(j)));
    s += buf;
  }
  return s + "]";
}

void BM_Vector_MlDistance(benchmark::State& state) {
  Database& db = database();
  const std::string sql = "SELECT SUM(ML.DISTANCE(emb, " + query_literal() + ", 'COSINE')) FROM emb_t";
  double answer = 0;
  for (auto _ : state) answer = db.query(sql).get(0, 0).as_float64();
  const size_t rows = base_rows();
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * rows));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * rows * kDim * sizeof(double)));
  char label[64];
  std::snprintf(label, sizeof label, "sum=%.9g", answer);
  state.SetLabel(label);
}

// VECTOR_SEARCH of the 100 queries over the first state.range(0) base rows (10000: the size DuckDB
// is timed on, see tools/bench_vector_peers.js; 0: all of them).
void BM_Vector_Search(benchmark::State& state) {
  Database& db = database();
  const size_t rows = state.range(0) > 0 ? std::min(base_rows(), static_cast<size_t>(state.range(0))) : base_rows();
  const std::string base = state.range(0) > 0 ? "(SELECT * FROM emb_t WHERE id < " + std::to_string(rows) + ")" : "TABLE emb_t";
  const std::string sql = "SELECT COUNT(*), SUM(base.id), SUM(distance) FROM VECTOR_SEARCH(" + base +
                          ", 'emb', TABLE q_t, top_k => 5, distance_type => 'COSINE')";
  std::string label;
  for (auto _ : state) {
    auto r = db.query(sql);
    char buf[128];
    std::snprintf(buf, sizeof buf, "rows=%lld sum_id=%lld sum_distance=%.9g", static_cast<long long>(r.get(0, 0).as_int64()),
                  static_cast<long long>(r.get(0, 1).as_int64()), r.get(0, 2).as_float64());
    label = buf;
  }
  const double pairs = static_cast<double>(rows) * kQueries;
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * pairs));
  state.counters["GFLOP/s"] =
      benchmark::Counter(2.0 * pairs * kDim * static_cast<double>(state.iterations()) / 1e9, benchmark::Counter::kIsRate);
  state.SetLabel(label);
}

// The kernel alone, one thread: 100 queries x 1024 base rows x 2048.
void BM_Vector_DistanceBlockKernel(benchmark::State& state) {
  const size_t nb = 1024;
  std::vector<double> q(kQueries * kDim), b(nb * kDim), qn(kQueries), bn(nb), out(nb * kQueries);
  for (size_t i = 0; i < q.size(); ++i) q[i] = element(1000000 + static_cast<int64_t>(i / kDim), static_cast<int64_t>(i % kDim));
  for (size_t i = 0; i < b.size(); ++i) b[i] = element(static_cast<int64_t>(i / kDim), static_cast<int64_t>(i % kDim));
  std::vector<const double*> base(nb);
  for (size_t i = 0; i < nb; ++i) {
    base[i] = b.data() + i * kDim;
    bn[i] = fn::squared_norm(base[i], kDim);
  }
  for (size_t j = 0; j < kQueries; ++j) qn[j] = fn::squared_norm(q.data() + j * kDim, kDim);
  for (auto _ : state) {
    fn::distance_block(fn::DistanceType::Cosine, q.data(), qn.data(), kQueries, base.data(), bn.data(), nb, kDim, out.data());
    benchmark::DoNotOptimize(out.data());
  }
  const double flops = 2.0 * kQueries * nb * kDim;
  state.counters["GFLOP/s"] = benchmark::Counter(flops * static_cast<double>(state.iterations()) / 1e9, benchmark::Counter::kIsRate);
}

// The ceiling of ML.DISTANCE: a SIMD sum over the same vectors, 2 threads, no SQL.
void BM_Vector_MemoryRead(benchmark::State& state) {
  Database& db = database();
  auto r = db.query("SELECT emb FROM emb_t");  // the table's chunks, shared
  std::vector<std::pair<const double*, size_t>> buffers;
  size_t total = 0;
  for (const auto& c : r.chunks()) {
    const Column& child = c->column(0).child();
    buffers.emplace_back(child.data<double>(), child.size());
    total += child.size();
  }
  using B = simd::batch<double, simd::default_arch>;
  for (auto _ : state) {
    std::vector<double> sums(buffers.size());
    parallel_for_each_index(0, buffers.size(), [&](size_t k) {
      const double* p = buffers[k].first;
      const size_t n = buffers[k].second;
      B a0(0.0), a1(0.0), a2(0.0), a3(0.0);
      size_t i = 0;
      for (; i + 4 * B::size <= n; i += 4 * B::size) {
        a0 += B::load_unaligned(p + i);
        a1 += B::load_unaligned(p + i + B::size);
        a2 += B::load_unaligned(p + i + 2 * B::size);
        a3 += B::load_unaligned(p + i + 3 * B::size);
      }
      alignas(64) double lanes[B::size];
      (a0 + a1 + a2 + a3).store_aligned(lanes);
      double s = 0;
      for (double l : lanes) s += l;
      for (; i < n; ++i) s += p[i];
      sums[k] = s;
    });
    benchmark::DoNotOptimize(sums.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * total * sizeof(double)));
}

}  // namespace

BENCHMARK(BM_Vector_MlDistance)->Name("BM_Vector_MlDistance/dim:2048/threads:2")->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Vector_Search)->Name("BM_Vector_Search/queries:100/dim:2048/top_k:5/threads:2")->ArgName("base_rows")->Arg(10000)->Arg(0)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Vector_DistanceBlockKernel)->Name("BM_Vector_DistanceBlockKernel/q:100/b:1024/dim:2048/threads:1")->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Vector_MemoryRead)->Name("BM_Vector_MemoryRead/threads:2")->Unit(benchmark::kMillisecond)->UseRealTime();

BENCHMARK_MAIN();
