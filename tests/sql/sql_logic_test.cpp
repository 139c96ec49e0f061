// Runs every tests/sql/**/*.test file, sqllogictest style [DuckDB]:
//   statement ok               the next lines (up to a blank line) must run
//   statement error <text>     ... must fail with an error whose message contains <text>
//   query <types> [rowsort|valuesort|nosort]
//   <sql>
//   ----
//   <rows: values separated by tabs (or spaces when no tab); NULL; (empty) for ''>
// __TEST_DIR__ in SQL is a scratch directory; __SOURCE_DIR__ (SQL and expected rows) the source tree.
// Each file runs twice, with 1 and with 4 worker threads, and must pass both times.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

#include "visiondb/api/database.hpp"

namespace {

namespace fs = std::filesystem;

std::string source_dir() {
  const char* env = std::getenv("VISIONDB_SOURCE_DIR");
  return env ? env : VISIONDB_SOURCE_DIR;
}

std::vector<std::string> test_files() {
  std::vector<std::string> out;
  fs::path root = fs::path(source_dir()) / "tests" / "sql";
  if (!fs::exists(root)) return out;
  for (const auto& e : fs::recursive_directory_iterator(root))
    if (e.is_regular_file() && e.path().extension() == ".test") out.push_back(fs::relative(e.path(), root).string());
  std::sort(out.begin(), out.end());
  return out;
}

std::string format_value(const visiondb::Value& v) {
  using visiondb::TypeId;
  if (v.is_null()) return "NULL";
  if (v.type().id() == TypeId::Float64) {
    double d = v.as_float64();
    if (std::isnan(d)) return "nan";
    if (std::isinf(d)) return d > 0 ? "inf" : "-inf";
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.10g", d);
    std::string s = buf;
    if (s == "-0") s = "0";
    return s;
  }
  std::string s = v.to_string();
  if (s.empty()) return "(empty)";
  return s;
}

std::vector<std::string> split_values(const std::string& line) {
  std::vector<std::string> out;
  if (line.find('\t') != std::string::npos) {
    std::stringstream ss(line);
    std::string item;
    while (std::getline(ss, item, '\t')) out.push_back(item);
    return out;
  }
  std::stringstream ss(line);
  std::string item;
  while (ss >> item) out.push_back(item);
  return out;
}

struct Record {
  enum Kind { StatementOk, StatementError, Query } kind;
  int line = 0;
  std::string sql;
  std::string error;  // StatementError
  std::string types;  // Query
  std::string sort;   // Query
  std::vector<std::string> expected;  // Query: lines
};

std::vector<Record> parse_file(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string l; std::getline(in, l);) {
    if (!l.empty() && l.back() == '\r') l.pop_back();
    lines.push_back(l);
  }
  std::vector<Record> out;
  size_t i = 0;
  auto blank = [&](size_t k) { return k >= lines.size() || lines[k].find_first_not_of(" \t") == std::string::npos; };
  while (i < lines.size()) {
    const std::string& l = lines[i];
    if (blank(i) || l[0] == '#') {
      ++i;
      continue;
    }
    Record r;
    r.line = static_cast<int>(i + 1);
    if (l.rfind("statement ok", 0) == 0) {
      r.kind = Record::StatementOk;
    } else if (l.rfind("statement error", 0) == 0) {
      r.kind = Record::StatementError;
      r.error = l.size() > 16 ? l.substr(16) : "";
    } else if (l.rfind("query", 0) == 0) {
      r.kind = Record::Query;
      std::stringstream ss(l.substr(5));
      ss >> r.types >> r.sort;
    } else {
      ADD_FAILURE() << path << ":" << i + 1 << ": unknown record: " << l;
      ++i;
      continue;
    }
    ++i;
    std::string sql;
    while (!blank(i) && lines[i] != "----") sql += lines[i++] + "\n";
    r.sql = sql;
    if (r.kind == Record::Query && i < lines.size() && lines[i] == "----") {
      ++i;
      while (!blank(i)) r.expected.push_back(lines[i++]);
    }
    out.push_back(std::move(r));
  }
  return out;
}

// A scratch directory per file run, written as __TEST_DIR__ in the SQL.
struct TempDir {
  fs::path path;
  explicit TempDir(const std::string& tag) {
    static int counter = 0;
    path = fs::temp_directory_path() / ("visiondb_sqltest_" + std::to_string(::getpid()) + "_" + std::to_string(counter++) + "_" + tag);
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

void run_file(const std::string& rel, int threads) {
  std::string path = (fs::path(source_dir()) / "tests" / "sql" / rel).string();
  auto records = parse_file(path);
  TempDir tmp(std::to_string(threads));
  for (auto& r : records) {
    for (size_t p = r.sql.find("__TEST_DIR__"); p != std::string::npos; p = r.sql.find("__TEST_DIR__", p))
      r.sql.replace(p, 12, tmp.path.string());
    // __SOURCE_DIR__: the source tree (fixtures under tests/data).
    for (size_t p = r.sql.find("__SOURCE_DIR__"); p != std::string::npos; p = r.sql.find("__SOURCE_DIR__", p))
      r.sql.replace(p, 14, source_dir());
    for (auto& line : r.expected)
      for (size_t p = line.find("__SOURCE_DIR__"); p != std::string::npos; p = line.find("__SOURCE_DIR__", p))
        line.replace(p, 14, source_dir());
  }
  visiondb::DatabaseOptions options;
  options.threads = threads;
  visiondb::Database db(options);
  for (const auto& r : records) {
    std::string where = rel + ":" + std::to_string(r.line) + " (threads=" + std::to_string(threads) + ")";
    if (r.kind == Record::StatementOk) {
      try {
        db.query(r.sql);
      } catch (const visiondb::Error& e) {
        ADD_FAILURE() << where << ": statement failed:\n" << r.sql << e.what();
      }
      continue;
    }
    if (r.kind == Record::StatementError) {
      try {
        db.query(r.sql);
        ADD_FAILURE() << where << ": statement should have failed with \"" << r.error << "\":\n" << r.sql;
      } catch (const visiondb::Error& e) {
        std::string what = e.what();
        if (what.find(r.error) == std::string::npos)
          ADD_FAILURE() << where << ": error does not contain \"" << r.error << "\":\n" << what;
      } catch (const std::exception& e) {
        ADD_FAILURE() << where << ": not a visiondb::Error: " << e.what();
      }
      continue;
    }
    visiondb::QueryResult result;
    try {
      result = db.query(r.sql);
    } catch (const visiondb::Error& e) {
      ADD_FAILURE() << where << ": query failed:\n" << r.sql << e.what();
      continue;
    }
    if (result.column_count() != r.types.size()) {
      ADD_FAILURE() << where << ": expected " << r.types.size() << " columns, got " << result.column_count() << "\n" << r.sql;
      continue;
    }
    std::vector<std::vector<std::string>> rows;
    for (size_t row = 0; row < result.row_count(); ++row) {
      std::vector<std::string> vals;
      for (size_t c = 0; c < result.column_count(); ++c) vals.push_back(format_value(result.get(row, c)));
      rows.push_back(std::move(vals));
    }
    std::vector<std::vector<std::string>> expected;
    for (const auto& line : r.expected) {
      if (r.types.size() == 1) {
        // One column: the whole line is the value (EXPLAIN lines keep their indentation).
        std::string v = line;
        while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.pop_back();
        expected.push_back({v});
      } else {
        expected.push_back(split_values(line));
      }
    }
    if (r.sort == "rowsort") {
      std::sort(rows.begin(), rows.end());
      std::sort(expected.begin(), expected.end());
    } else if (r.sort == "valuesort") {
      std::vector<std::string> a, b;
      for (auto& x : rows) a.insert(a.end(), x.begin(), x.end());
      for (auto& x : expected) b.insert(b.end(), x.begin(), x.end());
      std::sort(a.begin(), a.end());
      std::sort(b.begin(), b.end());
      rows = {a};
      expected = {b};
    }
    if (rows != expected) {
      std::string got, want;
      for (const auto& x : rows) {
        for (size_t k = 0; k < x.size(); ++k) got += (k ? "\t" : "") + x[k];
        got += "\n";
      }
      for (const auto& x : expected) {
        for (size_t k = 0; k < x.size(); ++k) want += (k ? "\t" : "") + x[k];
        want += "\n";
      }
      ADD_FAILURE() << where << ": wrong result for\n" << r.sql << "expected:\n" << want << "got:\n" << got;
    }
  }
}

class SqlLogicTest : public ::testing::TestWithParam<std::string> {};

TEST_P(SqlLogicTest, OneThread) { run_file(GetParam(), 1); }
TEST_P(SqlLogicTest, FourThreads) { run_file(GetParam(), 4); }

std::string test_name(const ::testing::TestParamInfo<std::string>& info) {
  std::string n = info.param;
  for (char& c : n)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return n;
}

INSTANTIATE_TEST_SUITE_P(Files, SqlLogicTest, ::testing::ValuesIn(test_files()), test_name);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(SqlLogicTest);

}  // namespace
