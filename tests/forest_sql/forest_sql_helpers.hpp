// Helpers of the forest SQL tests: small deterministic tables and error capture.
#pragma once

#include <cmath>
#include <cstdint>
#include <string>

#include "common/sql_error_text.hpp"
#include "visiondb/api/database.hpp"

namespace forest_sql_test {

using visiondb::test::error_of;

/// A deterministic pseudo-random number in [0, 1) from (i, salt).
inline double noise(uint64_t i, uint64_t salt) {
  uint64_t z = i * 0x9E3779B97F4A7C15ull + salt * 0xD1B54A32D192ED03ull + 1;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  z ^= z >> 31;
  return static_cast<double>(z >> 11) * 0x1.0p-53;
}

/// Table `name` with `rows` rows: id INT64, x FLOAT64, n INT64, flag BOOL, color STRING,
/// emb ARRAY<FLOAT64> (3 elements), label STRING ('a'/'b', mostly x > 0.5, some noise), y FLOAT64
/// (a regression target), grp INT64 (id % 10) and is_eval BOOL (id % 4 = 0).
inline void make_table(visiondb::Database& db, const std::string& name, int rows) {
  db.query("CREATE OR REPLACE TABLE " + name +
           " (id INT64, x FLOAT64, n INT64, flag BOOL, color STRING, emb ARRAY<FLOAT64>, label STRING, y FLOAT64,"
           " grp INT64, is_eval BOOL)");
  std::string sql;
  for (int i = 0; i < rows; ++i) {
    const double x = noise(i, 1), e0 = noise(i, 2), e1 = noise(i, 3);
    const int n = static_cast<int>(noise(i, 4) * 10);
    const bool flag = noise(i, 5) < 0.5;
    const char* color = (i % 3 == 0) ? "red" : (i % 3 == 1) ? "green" : "blue";
    const bool positive = (x > 0.5) != (noise(i, 6) < 0.1);
    const double y = 3 * x + (flag ? 1.0 : 0.0) + 0.1 * noise(i, 7);
    if (!sql.empty()) sql += ", ";
    sql += "(" + std::to_string(i) + ", " + std::to_string(x) + ", " + std::to_string(n) + ", " + (flag ? "TRUE" : "FALSE") +
           ", '" + color + "', [" + std::to_string(e0) + ", " + std::to_string(e1) + ", " + std::to_string(x * e0) + "], '" +
           (positive ? "b" : "a") + "', " + std::to_string(y) + ", " + std::to_string(i % 10) + ", " +
           (i % 4 == 0 ? "TRUE" : "FALSE") + ")";
    if (sql.size() > 200000 || i + 1 == rows) {
      db.query("INSERT INTO " + name + " VALUES " + sql);
      sql.clear();
    }
  }
}

}  // namespace forest_sql_test

#include "visiondb/functions/ml/forest_model.hpp"
#include "visiondb/storage/catalog.hpp"

namespace forest_sql_test {

/// The trained forest model `name` of the default dataset.
inline std::shared_ptr<const visiondb::fn::ForestModel> model_of(visiondb::Database& db, const std::string& name) {
  auto e = db.catalog().find(visiondb::CatalogEntryKind::Model,
                             visiondb::QualifiedName{visiondb::Catalog::kDefaultDataset, name});
  return std::dynamic_pointer_cast<const visiondb::fn::ForestModel>(e);
}

/// The number of rows ML.CONFUSION_MATRIX counts for model `m` without a table: its evaluation rows.
inline int64_t evaluated_rows(visiondb::Database& db, const std::string& m) {
  auto r = db.query("SELECT SUM(a + b) FROM ML.CONFUSION_MATRIX(MODEL " + m + ")");
  return r.get_as<int64_t>(0, 0);
}

}  // namespace forest_sql_test
