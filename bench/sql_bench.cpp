// The SQL benchmark: the queries of bench/sql_bench_queries.json over t (10 M rows), d (1 M
// rows), pred (100 k rows of 1000-wide score arrays) and labels, generated in C++ at start with the
// formulas of bench_data.hpp, at 1 and 2 threads (DatabaseOptions / SET threads). Rates are rows of
// t per second (unnested elements for the UNNEST query). tools/bench_sql.sh runs the
// same queries in DuckDB and SQLite in the same run and writes docs/performance.md.
// The label of each case holds the first result row, so that answers can be compared with the peers'.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "bench_data.hpp"
#include "visiondb/api/database.hpp"
#include "visiondb/common/parallel.hpp"
#include "visiondb/storage/table.hpp"

namespace {

using namespace visiondb;

// Adds a table built chunk by chunk (in parallel) from fill(first_row, rows, columns).
template <class Fill>
void add_table(Database& db, const std::string& name, Schema schema, int64_t rows, Fill fill) {
  const size_t chunks = static_cast<size_t>((rows + kVectorSize - 1) / kVectorSize);
  auto data = std::make_shared<TableData>();
  data->chunks.resize(chunks);
  data->rows = static_cast<size_t>(rows);
  const std::vector<LogicalType> types = schema.types();
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
  auto table = std::make_shared<Table>(QualifiedName{Catalog::kDefaultDataset, name}, std::move(schema));
  table->commit(std::move(data));
  db.catalog().create(std::move(table), /*replace=*/true);
}

void generate(Database& db) {
  add_table(db, "t",
            Schema({{"id", LogicalType::int64()},
                    {"k", LogicalType::int64()},
                    {"cat", LogicalType::string()},
                    {"path", LogicalType::string()},
                    {"x", LogicalType::float64()},
                    {"y", LogicalType::int64()}}),
            bench::t_rows(), [](int64_t first, size_t n, std::vector<Column>& c) {
              for (auto* col : {&c[0], &c[1], &c[4], &c[5]}) col->resize(n);
              int64_t* id = c[0].data<int64_t>();
              int64_t* k = c[1].data<int64_t>();
              double* x = c[4].data<double>();
              int64_t* y = c[5].data<int64_t>();
              std::string path;
              for (size_t r = 0; r < n; ++r) {
                const int64_t i = first + static_cast<int64_t>(r);
                id[r] = i;
                k[r] = bench::t_k(i);
                x[r] = bench::t_x(i);
                y[r] = bench::t_y(i);
                const std::string cat = bench::cat_name(bench::t_cat(i));
                c[2].append_string(cat);
                path = "images/" + cat + "/img_" + std::to_string(i) + ".jpg";
                c[3].append_string(path);
              }
            });
  add_table(db, "d",
            Schema({{"k", LogicalType::int64()}, {"grp", LogicalType::string()}, {"w", LogicalType::float64()}}),
            bench::kDRows, [](int64_t first, size_t n, std::vector<Column>& c) {
              c[0].resize(n);
              c[2].resize(n);
              for (size_t r = 0; r < n; ++r) {
                const int64_t j = first + static_cast<int64_t>(r);
                c[0].data<int64_t>()[r] = j;
                c[1].append_string("grp_" + std::to_string(bench::d_grp(j)));
                c[2].data<double>()[r] = bench::d_w(j);
              }
            });
}

// pred and labels: the UNNEST benchmark's 1000-wide score arrays and their class names.
void generate_predictions(Database& db) {
  add_table(db, "pred", Schema({{"id", LogicalType::int64()}, {"scores", LogicalType::array(LogicalType::float64())}}),
            bench::pred_rows(), [](int64_t first, size_t n, std::vector<Column>& c) {
              c[0].resize(n);
              Column& elements = c[1].child();
              const size_t width = static_cast<size_t>(bench::kPredWidth);
              elements.reserve(n * width);
              for (size_t r = 0; r < n; ++r) {
                const int64_t i = first + static_cast<int64_t>(r);
                c[0].data<int64_t>()[r] = i;
                elements.resize((r + 1) * width);
                double* e = elements.data<double>() + r * width;
                for (size_t j = 0; j < width; ++j) e[j] = bench::pred_score(i, static_cast<int64_t>(j));
                c[1].close_array_row();
              }
            });
  add_table(db, "labels", Schema({{"i", LogicalType::int64()}, {"label", LogicalType::string()}}), 1000,
            [](int64_t first, size_t n, std::vector<Column>& c) {
              c[0].resize(n);
              for (size_t r = 0; r < n; ++r) {
                c[0].data<int64_t>()[r] = first + static_cast<int64_t>(r);
                c[1].append_string("label_" + std::to_string(first + static_cast<int64_t>(r)));
              }
            });
}

// The first row of a result, values separated by '|' (doubles with 10 significant digits).
std::string first_row(const QueryResult& r) {
  if (!r.has_rows() || r.row_count() == 0) return "";
  std::string out;
  for (size_t c = 0; c < r.column_count(); ++c) {
    if (c) out += '|';
    Value v = r.get(0, c);
    if (!v.is_null() && v.type().id() == TypeId::Float64) {
      char buf[40];
      std::snprintf(buf, sizeof buf, "%.10g", v.as_float64());
      out += buf;
    } else {
      out += v.to_string();
    }
  }
  return out;
}

struct Query {
  std::string name, sql;
  int64_t items = 0;  // what rows/s counts: t's rows, or the unnested elements of pred
};

std::vector<Query> load_queries() {
  std::ifstream in(VISIONDB_SOURCE_DIR "/bench/sql_bench_queries.json");
  if (!in) throw std::runtime_error("cannot read " VISIONDB_SOURCE_DIR "/bench/sql_bench_queries.json");
  nlohmann::json j = nlohmann::json::parse(in);
  std::vector<Query> out;
  for (const auto& q : j.at("queries")) {
    const std::string items = q.value("items", std::string("t_rows"));
    out.push_back({q.at("name").get<std::string>(), q.at("visiondb").get<std::string>(),
                   items == "pred_elements" ? bench::pred_rows() * bench::kPredWidth : bench::t_rows()});
  }
  return out;
}

Database& database() {
  static std::unique_ptr<Database> db = [] {
    auto d = std::make_unique<Database>(DatabaseOptions{2});
    generate(*d);
    generate_predictions(*d);
    return d;
  }();
  return *db;
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  for (const Query& q : load_queries()) {
    for (int threads : {1, 2}) {
      const std::string name = "BM_Sql/" + q.name + "/threads:" + std::to_string(threads);
      benchmark::RegisterBenchmark(name.c_str(), [q, threads](benchmark::State& state) {
        Database& db = database();
        db.set_threads(threads);
        std::string row;
        for (auto _ : state) {
          try {
            QueryResult r = db.query(q.sql);
            if (row.empty()) row = first_row(r);
            benchmark::DoNotOptimize(r.row_count());
          } catch (const std::exception& e) {
            state.SkipWithError(e.what());
            break;
          }
        }
        state.SetItemsProcessed(state.iterations() * q.items);
        state.SetLabel("first=" + row);
      })->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(1.0);
    }
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
