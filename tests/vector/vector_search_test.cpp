// VECTOR_SEARCH and ML.DISTANCE through SQL against an independent brute force written here with
// plain loops (long double): several chunks of base rows (so several morsels and workers), NULL
// vectors, exact duplicates across chunks (ties go to the row read first), every distance type,
// top_k of 1, 5 and more than the table, at 1 and 4 threads with bit-identical answers.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "visiondb/api/database.hpp"
#include "visiondb/storage/table.hpp"

namespace {

using namespace visiondb;

constexpr size_t kDim = 37;
constexpr size_t kBaseRows = 5000;
constexpr size_t kQueries = 40;  // more than one range of 16 queries: parallel over queries too

struct Data {
  std::vector<std::vector<double>> base;  // empty: NULL
  std::vector<std::vector<double>> queries;
};

Data make_data() {
  std::mt19937 rng(42);
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  Data d;
  d.base.resize(kBaseRows);
  for (size_t i = 0; i < kBaseRows; ++i) {
    if (i % 97 == 5) continue;  // NULL vector
    d.base[i].resize(kDim);
    for (double& x : d.base[i]) x = u(rng);
  }
  // Exact duplicates in other chunks: ties.
  d.base[2100] = d.base[10];
  d.base[4500] = d.base[10];
  for (size_t j = 0; j < kQueries; ++j) {
    std::vector<double> q(kDim);
    for (double& x : q) x = u(rng);
    d.queries.push_back(q);
  }
  d.queries[2] = d.base[10];
  return d;
}

void add_vectors(Database& db, const std::string& name, const std::string& id_name,
                 const std::vector<std::vector<double>>& vectors) {
  Schema schema({{id_name, LogicalType::int64()}, {"emb", LogicalType::array(LogicalType::float64())}});
  auto data = std::make_shared<TableData>();
  for (size_t first = 0; first < vectors.size(); first += kVectorSize) {
    const size_t n = std::min(kVectorSize, vectors.size() - first);
    Column ids(LogicalType::int64()), emb(LogicalType::array(LogicalType::float64()));
    for (size_t r = first; r < first + n; ++r) {
      ids.append_int64(static_cast<int64_t>(r));
      if (vectors[r].empty()) {
        emb.append_null();
        continue;
      }
      for (double x : vectors[r]) emb.child().append_float64(x);
      emb.close_array_row();
    }
    std::vector<ColumnPtr> cols{std::make_shared<const Column>(std::move(ids)), std::make_shared<const Column>(std::move(emb))};
    data->chunks.push_back(std::make_shared<const Chunk>(std::move(cols), n));
  }
  data->rows = vectors.size();
  auto table = std::make_shared<Table>(QualifiedName{Catalog::kDefaultDataset, name}, std::move(schema));
  table->commit(std::move(data));
  db.catalog().create(std::move(table), /*replace=*/true);
}

long double reference(const std::string& type, const std::vector<double>& a, const std::vector<double>& b) {
  long double s = 0, na = 0, nb = 0;
  for (size_t k = 0; k < a.size(); ++k) {
    long double x = a[k], y = b[k];
    if (type == "EUCLIDEAN") s += (x - y) * (x - y);
    else if (type == "MANHATTAN") s += std::fabs(x - y);
    else {
      s += x * y;
      na += x * x;
      nb += y * y;
    }
  }
  if (type == "EUCLIDEAN") return std::sqrt(s);
  if (type == "MANHATTAN") return s;
  if (type == "COSINE") return 1 - s / std::sqrt(na * nb);
  return -s;
}

using Row = std::tuple<int64_t, int64_t, double>;  // query id, base id, distance

std::vector<Row> run_search(Database& db, const std::string& type, size_t k) {
  auto r = db.query("SELECT query.qid, base.id, distance FROM VECTOR_SEARCH(TABLE base_t, 'emb', TABLE query_t, top_k => " +
                    std::to_string(k) + ", distance_type => '" + type + "')");
  std::vector<Row> rows;
  for (size_t i = 0; i < r.row_count(); ++i)
    rows.emplace_back(r.get(i, 0).as_int64(), r.get(i, 1).as_int64(), r.get(i, 2).as_float64());
  return rows;
}

std::vector<Row> expected_search(const Data& d, const std::string& type, size_t k) {
  std::vector<Row> out;
  for (size_t j = 0; j < d.queries.size(); ++j) {
    std::vector<std::pair<long double, int64_t>> all;
    for (size_t i = 0; i < d.base.size(); ++i)
      if (!d.base[i].empty()) all.emplace_back(reference(type, d.base[i], d.queries[j]), static_cast<int64_t>(i));
    std::sort(all.begin(), all.end());
    for (size_t t = 0; t < std::min(k, all.size()); ++t)
      out.emplace_back(static_cast<int64_t>(j), all[t].second, static_cast<double>(all[t].first));
  }
  return out;
}

class VectorSearchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    data_ = make_data();
    add_vectors(db_, "base_t", "id", data_.base);
    add_vectors(db_, "query_t", "qid", data_.queries);
  }
  Data data_;
  Database db_;
};

TEST_F(VectorSearchTest, MatchesBruteForceAtOneAndFourThreads) {
  for (const std::string type : {"EUCLIDEAN", "COSINE", "DOT_PRODUCT"}) {
    for (size_t k : {size_t{1}, size_t{5}}) {
      db_.set_threads(1);
      std::vector<Row> one = run_search(db_, type, k);
      db_.set_threads(4);
      std::vector<Row> four = run_search(db_, type, k);
      EXPECT_EQ(one, four) << type << " top_k " << k << ": the answer depends on the thread count";
      std::vector<Row> want = expected_search(data_, type, k);
      ASSERT_EQ(one.size(), want.size()) << type;
      for (size_t i = 0; i < want.size(); ++i) {
        EXPECT_EQ(std::get<0>(one[i]), std::get<0>(want[i])) << type << " row " << i;
        EXPECT_EQ(std::get<1>(one[i]), std::get<1>(want[i])) << type << " row " << i;
        EXPECT_NEAR(std::get<2>(one[i]), std::get<2>(want[i]), 1e-12 * (1 + std::fabs(std::get<2>(want[i]))))
            << type << " row " << i;
      }
    }
  }
}

TEST_F(VectorSearchTest, TiesAcrossChunksGoToTheRowReadFirst) {
  // Query 2 equals base rows 10, 2100 and 4500.
  for (int threads : {1, 4}) {
    db_.set_threads(threads);
    auto r = db_.query(
        "SELECT base.id, distance FROM VECTOR_SEARCH(TABLE base_t, 'emb', (SELECT emb FROM query_t WHERE qid = 2), "
        "top_k => 2)");
    ASSERT_EQ(r.row_count(), 2u);
    EXPECT_EQ(r.get(0, 0).as_int64(), 10);
    EXPECT_EQ(r.get(1, 0).as_int64(), 2100);
    EXPECT_EQ(r.get(0, 1).as_float64(), 0.0);
    EXPECT_EQ(r.get(1, 1).as_float64(), 0.0);
  }
}

TEST_F(VectorSearchTest, TopKBeyondTheTableGivesEveryNonNullRow) {
  auto r = db_.query("SELECT COUNT(*), COUNT(DISTINCT base.id) FROM VECTOR_SEARCH(TABLE base_t, 'emb', "
                     "(SELECT emb FROM query_t WHERE qid = 0), top_k => 100000)");
  size_t non_null = 0;
  for (const auto& v : data_.base) non_null += !v.empty();
  EXPECT_EQ(r.get(0, 0).as_int64(), static_cast<int64_t>(non_null));
  EXPECT_EQ(r.get(0, 1).as_int64(), static_cast<int64_t>(non_null));
}

TEST_F(VectorSearchTest, MlDistanceOverAColumnMatchesBruteForce) {
  for (const std::string type : {"EUCLIDEAN", "MANHATTAN", "COSINE"}) {
    auto r = db_.query("SELECT b.id, ML.DISTANCE(b.emb, q.emb, '" + type +
                       "') FROM base_t AS b, query_t AS q WHERE q.qid = 4 ORDER BY b.id");
    ASSERT_EQ(r.row_count(), kBaseRows);
    for (size_t i = 0; i < kBaseRows; ++i) {
      if (data_.base[i].empty()) {
        EXPECT_TRUE(r.is_null(i, 1)) << i;
        continue;
      }
      double want = static_cast<double>(reference(type, data_.base[i], data_.queries[4]));
      EXPECT_NEAR(r.get(i, 1).as_float64(), want, 1e-12 * (1 + std::fabs(want))) << type << " row " << i;
    }
  }
}

TEST_F(VectorSearchTest, ExplainShowsTheTableFunction) {
  auto r = db_.query("EXPLAIN SELECT * FROM VECTOR_SEARCH(TABLE base_t, 'emb', TABLE query_t)");
  std::string text;
  for (size_t i = 0; i < r.row_count(); ++i) text += r.get(i, 0).to_string() + "\n";
  EXPECT_NE(text.find("VECTOR_SEARCH"), std::string::npos) << text;
}

}  // namespace
