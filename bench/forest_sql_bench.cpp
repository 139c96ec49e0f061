// Forests from SQL against the C++ API on the same rows, same options, same threads: training
// (CREATE MODEL vs train_forest) and prediction (ML.PREDICT consumed by an aggregate vs
// Forest::predict_proba). The difference is the SQL layer's cost: reading the query's chunks,
// converting columns to doubles, the split bookkeeping, the in-sample loss, building the output
// columns. Two sets of make_classification_like / make_embedding_like (synthetic_data.hpp):
//   cls20k:  20 000 rows x 50 FLOAT64 columns, 5 classes (ordinary columns)
//   emb2k:    2 000 rows, one ARRAY<FLOAT64> column of 2048 elements, 10 classes (CNN embeddings)
// 20 trees, BigQuery's defaults otherwise (colsample_bynode 0.03 on emb2k), NO_SPLIT.  forest_sql_bench [--threads=2]
#include <benchmark/benchmark.h>

#include <cstdio>
#include <map>
#include <memory>
#include <string>

#include "visiondb/api/database.hpp"
#include "visiondb/common/parallel.hpp"
#include "visiondb/ml/forest/synthetic_data.hpp"
#include "visiondb/ml/forest/trainer.hpp"
#include "visiondb/storage/catalog.hpp"
#include "visiondb/storage/table.hpp"

using namespace visiondb;

namespace {

int g_threads = 2;

struct Set {
  ml::SyntheticData data;
  bool as_array = false;
  std::unique_ptr<Database> db;
  ml::FeatureTable features;  // views of data.x, for the C++ API
};

ml::SyntheticData make_data(const std::string& name) {
  if (name == "cls20k") {
    ml::ClassificationSpec c;
    c.rows = 20000;
    c.features = 50;
    c.informative = 12;
    c.redundant = 6;
    c.classes = 5;
    c.seed = 1;
    return ml::make_classification_like(c);
  }
  return ml::make_embedding_like({2000, 2048, 10, 0.6, 0.1, 3});
}

// The rows as a SQL table `d`: label STRING ('c0'...), then f0..f49 FLOAT64, or emb ARRAY<FLOAT64>.
void load_table(Set& s) {
  const auto& d = s.data;
  std::string ddl = "CREATE TABLE d (label STRING";
  std::vector<LogicalType> types = {LogicalType::string()};
  if (s.as_array) {
    ddl += ", emb ARRAY<FLOAT64>";
    types.push_back(LogicalType::array(LogicalType::float64()));
  } else {
    for (size_t f = 0; f < d.cols; ++f) {
      ddl += ", f" + std::to_string(f) + " FLOAT64";
      types.push_back(LogicalType::float64());
    }
  }
  s.db->query(ddl + ")");
  auto data = std::make_shared<TableData>();
  for (size_t r0 = 0; r0 < d.rows; r0 += 2048) {
    const size_t n = std::min<size_t>(2048, d.rows - r0);
    std::vector<Column> cols;
    for (const auto& t : types) cols.emplace_back(t);
    for (size_t i = r0; i < r0 + n; ++i) {
      cols[0].append_string("c" + std::to_string(d.label[i]));
      if (s.as_array) {
        for (size_t f = 0; f < d.cols; ++f) cols[1].child().append_float64(d.x[i * d.cols + f]);
        cols[1].close_array_row();
      } else {
        for (size_t f = 0; f < d.cols; ++f) cols[1 + f].append_float64(d.x[i * d.cols + f]);
      }
    }
    std::vector<ColumnPtr> ptrs;
    for (auto& c : cols) ptrs.push_back(std::make_shared<const Column>(std::move(c)));
    data->chunks.push_back(std::make_shared<const Chunk>(std::move(ptrs), n));
    data->rows += n;
  }
  auto table = std::dynamic_pointer_cast<Table>(
      s.db->catalog().find(CatalogEntryKind::Table, QualifiedName{Catalog::kDefaultDataset, "d"}));
  table->commit(data);
}

Set& cached(const std::string& name) {
  static std::map<std::string, std::unique_ptr<Set>> sets;
  auto& p = sets[name];
  if (!p) {
    p = std::make_unique<Set>();
    p->data = make_data(name);
    p->as_array = name == "emb2k";
    DatabaseOptions o;
    o.threads = g_threads;
    p->db = std::make_unique<Database>(o);
    load_table(*p);
    // Row-major floats viewed in place: one feature per column, strided (no copy).
    p->features.add_array("x", std::span<const float>(p->data.x), p->data.cols);
  }
  return *p;
}

// 20 trees; on the 2048-wide embeddings 3% of the features per node (about sqrt(2048)), as
// BigQuery's default 0.8 would make each node scan 1638 features.
double colsample(const std::string& set) { return set == "emb2k" ? 0.03 : 0.8; }

std::string create_sql(const std::string& set) {
  return "CREATE OR REPLACE MODEL m OPTIONS(model_type = 'RANDOM_FOREST_CLASSIFIER', num_parallel_tree = 20, seed = 1, "
         "colsample_bynode = " + std::to_string(colsample(set)) + ", data_split_method = 'NO_SPLIT') AS SELECT * FROM d";
}

ml::ForestParams direct_params(const std::string& set) {
  ml::ForestParams p = ml::ForestParams::bigquery_defaults(ml::ForestTask::Classification);
  p.num_trees = 20;
  p.colsample_bynode = colsample(set);
  p.seed = 1;
  return p;
}

void BM_ForestSql_CreateModel(benchmark::State& state, std::string set) {
  Set& s = cached(set);
  for (auto _ : state) s.db->query(create_sql(set));
  state.counters["threads"] = g_threads;
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * s.data.rows));
}

void BM_ForestSql_TrainDirect(benchmark::State& state, std::string set) {
  Set& s = cached(set);
  std::vector<int64_t> classes(s.data.label.begin(), s.data.label.end());
  ml::Labels labels = ml::Labels::classes("label", classes);
  for (auto _ : state) {
    ml::Forest f = ml::train_forest(s.features, labels, direct_params(set));
    benchmark::DoNotOptimize(f.trees.data());
  }
  state.counters["threads"] = g_threads;
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * s.data.rows));
}

void BM_ForestSql_Predict(benchmark::State& state, std::string set) {
  Set& s = cached(set);
  s.db->query(create_sql(set));
  for (auto _ : state) {
    auto r = s.db->query("SELECT COUNTIF(predicted_label = label) FROM ML.PREDICT(MODEL m, TABLE d)");
    benchmark::DoNotOptimize(r.row_count());
  }
  state.counters["threads"] = g_threads;
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * s.data.rows));
}

void BM_ForestSql_PredictDirect(benchmark::State& state, std::string set) {
  Set& s = cached(set);
  std::vector<int64_t> classes(s.data.label.begin(), s.data.label.end());
  ml::Forest f = ml::train_forest(s.features, ml::Labels::classes("label", classes), direct_params(set));
  for (auto _ : state) {
    std::vector<int32_t> c = f.predict_class(s.features);
    benchmark::DoNotOptimize(c.data());
  }
  state.counters["threads"] = g_threads;
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * s.data.rows));
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<char*> rest;
  for (int i = 0; i < argc; ++i) {
    std::string a = argv[i];
    if (a.rfind("--threads=", 0) == 0) g_threads = std::stoi(a.substr(10));
    else rest.push_back(argv[i]);
  }
  visiondb::GlobalThreadLimit limit(g_threads);
  std::printf("forest_sql_bench: %d threads\n", g_threads);
  for (const char* set : {"cls20k", "emb2k"}) {
    const std::string s = set;
    benchmark::RegisterBenchmark(("BM_ForestSql_CreateModel/" + s).c_str(), BM_ForestSql_CreateModel, s)
        ->Unit(benchmark::kMillisecond)->MeasureProcessCPUTime()->UseRealTime();
    benchmark::RegisterBenchmark(("BM_ForestSql_TrainDirect/" + s).c_str(), BM_ForestSql_TrainDirect, s)
        ->Unit(benchmark::kMillisecond)->MeasureProcessCPUTime()->UseRealTime();
    benchmark::RegisterBenchmark(("BM_ForestSql_Predict/" + s).c_str(), BM_ForestSql_Predict, s)
        ->Unit(benchmark::kMillisecond)->MeasureProcessCPUTime()->UseRealTime();
    benchmark::RegisterBenchmark(("BM_ForestSql_PredictDirect/" + s).c_str(), BM_ForestSql_PredictDirect, s)
        ->Unit(benchmark::kMillisecond)->MeasureProcessCPUTime()->UseRealTime();
  }
  int n = static_cast<int>(rest.size());
  benchmark::Initialize(&n, rest.data());
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
