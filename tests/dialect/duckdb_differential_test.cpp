// Replays tests/data/dialect/duckdb_differential.json (written by tools/make_duckdb_differential.js:
// a few hundred generated queries where BigQuery's and DuckDB's semantics agree, with DuckDB's
// answers) in visiondb and compares: row multisets, or row lists for ORDER BY queries; numbers to
// 10 significant digits. Every mismatch is listed with its SQL.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "visiondb/api/database.hpp"

namespace {

using Json = nlohmann::json;

std::string fixture_path() {
  const char* env = std::getenv("VISIONDB_SOURCE_DIR");
  return std::string(env ? env : VISIONDB_SOURCE_DIR) + "/tests/data/dialect/duckdb_differential.json";
}

std::string number(double d) {
  if (std::isnan(d)) return "nan";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.10g", d);
  std::string s = buf;
  return s == "-0" ? "0" : s;
}

std::string canonical(const Json& v) {
  if (v.is_null()) return "NULL";
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (v.is_number()) return number(v.get<double>());
  if (v.is_string()) return "'" + v.get<std::string>() + "'";
  return v.dump();
}

std::string canonical(const visiondb::Value& v) {
  using visiondb::TypeId;
  if (v.is_null()) return "NULL";
  switch (v.type().id()) {
    case TypeId::Bool: return v.as_bool() ? "true" : "false";
    case TypeId::Int64: return number(static_cast<double>(v.as_int64()));
    case TypeId::Float64: return number(v.as_float64());
    case TypeId::String: return "'" + v.as_string() + "'";
    default: return v.to_string();
  }
}

std::string join_row(const std::vector<std::string>& row) {
  std::string out;
  for (size_t i = 0; i < row.size(); ++i) out += (i ? " | " : "") + row[i];
  return out;
}

void replay(int threads) {
  std::ifstream in(fixture_path());
  ASSERT_TRUE(in) << "missing " << fixture_path() << " (tools/make_duckdb_differential.js writes it)";
  Json fixture = Json::parse(in);
  visiondb::Database db;
  db.set_threads(threads);
  for (const auto& stmt : fixture["setup"]) db.query(stmt.get<std::string>());
  std::vector<std::string> failures;
  for (const auto& q : fixture["queries"]) {
    const std::string sql = q["sql"].get<std::string>();
    std::vector<std::string> want, got;
    for (const auto& row : q["rows"]) {
      std::vector<std::string> r;
      for (const auto& v : row) r.push_back(canonical(v));
      want.push_back(join_row(r));
    }
    try {
      auto result = db.query(sql);
      for (size_t i = 0; i < result.row_count(); ++i) {
        std::vector<std::string> r;
        for (size_t c = 0; c < result.column_count(); ++c) r.push_back(canonical(result.get(i, c)));
        got.push_back(join_row(r));
      }
    } catch (const std::exception& e) {
      failures.push_back(sql + "\n  error: " + e.what());
      continue;
    }
    if (!q["ordered"].get<bool>()) {
      std::sort(want.begin(), want.end());
      std::sort(got.begin(), got.end());
    }
    if (want != got) {
      std::string msg = sql + "\n  DuckDB (" + std::to_string(want.size()) + " rows) vs visiondb (" + std::to_string(got.size()) + " rows):";
      for (size_t i = 0; i < std::max(want.size(), got.size()); ++i) {
        const std::string w = i < want.size() ? want[i] : "-", g = i < got.size() ? got[i] : "-";
        if (w != g) msg += "\n    row " + std::to_string(i) + ": " + w + "  vs  " + g;
      }
      failures.push_back(msg);
    }
  }
  std::string all;
  for (const auto& f : failures) all += f + "\n";
  EXPECT_TRUE(failures.empty()) << failures.size() << " of " << fixture["queries"].size() << " queries differ at "
                                << threads << " threads:\n" << all;
  EXPECT_GE(fixture["queries"].size(), 200u);
}

TEST(DuckDbDifferential, GeneratedQueriesAgreeOneThread) { replay(1); }
TEST(DuckDbDifferential, GeneratedQueriesAgreeFourThreads) { replay(4); }

}  // namespace
