// Differential test: a few hundred generated queries (filters, aggregates, joins of every kind,
// subqueries, CTEs, set operations, ORDER BY / LIMIT) over generated tables, run by visiondb and
// by SQLite (Debian's libsqlite3), with the answers compared. The queries stay in the dialects'
// common ground (no integer `/`, no LIKE case questions, no float-to-int casts); where the
// spelling differs (INTERSECT DISTINCT, IF, type names) it is translated for SQLite.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "visiondb/api/database.hpp"

namespace {

struct Cell {
  bool null = true;
  bool is_number = false;
  double number = 0;
  std::string text;
  bool operator<(const Cell& o) const {
    if (null != o.null) return null;
    if (is_number != o.is_number) return is_number;
    if (is_number) return number < o.number;
    return text < o.text;
  }
};
using Row = std::vector<Cell>;

bool same(const Cell& a, const Cell& b) {
  if (a.null || b.null) return a.null == b.null;
  if (a.is_number != b.is_number) return false;
  if (!a.is_number) return a.text == b.text;
  double d = std::fabs(a.number - b.number);
  return d <= 1e-9 * std::max({1.0, std::fabs(a.number), std::fabs(b.number)});
}

std::string show(const std::vector<Row>& rows) {
  std::string out;
  size_t n = 0;
  for (const auto& r : rows) {
    if (++n > 12) {
      out += "... (" + std::to_string(rows.size()) + " rows)\n";
      break;
    }
    for (size_t i = 0; i < r.size(); ++i) {
      out += i ? " | " : "";
      if (r[i].null) out += "NULL";
      else if (r[i].is_number) {
        char buf[64];
        std::snprintf(buf, sizeof buf, "%.10g", r[i].number);
        out += buf;
      } else out += r[i].text;
    }
    out += "\n";
  }
  return out;
}

class Sqlite {
 public:
  Sqlite() { sqlite3_open(":memory:", &db_); }
  ~Sqlite() { sqlite3_close(db_); }
  void exec(const std::string& sql) {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      std::string msg = err ? err : "?";
      sqlite3_free(err);
      throw std::runtime_error("sqlite: " + msg + " in " + sql);
    }
  }
  std::vector<Row> query(const std::string& sql) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr) != SQLITE_OK)
      throw std::runtime_error(std::string("sqlite: ") + sqlite3_errmsg(db_) + " in " + sql);
    std::vector<Row> rows;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
      Row r;
      for (int c = 0; c < sqlite3_column_count(st); ++c) {
        Cell cell;
        switch (sqlite3_column_type(st, c)) {
          case SQLITE_NULL: break;
          case SQLITE_INTEGER:
          case SQLITE_FLOAT:
            cell.null = false;
            cell.is_number = true;
            cell.number = sqlite3_column_double(st, c);
            break;
          default:
            cell.null = false;
            cell.text = reinterpret_cast<const char*>(sqlite3_column_text(st, c));
        }
        r.push_back(cell);
      }
      rows.push_back(std::move(r));
    }
    std::string err = rc == SQLITE_DONE ? "" : sqlite3_errmsg(db_);
    sqlite3_finalize(st);
    if (!err.empty()) throw std::runtime_error("sqlite: " + err + " in " + sql);
    return rows;
  }

 private:
  sqlite3* db_ = nullptr;
};

std::vector<Row> visiondb_rows(const visiondb::QueryResult& r) {
  std::vector<Row> rows;
  for (size_t i = 0; i < r.row_count(); ++i) {
    Row row;
    for (size_t c = 0; c < r.column_count(); ++c) {
      visiondb::Value v = r.get(i, c);
      Cell cell;
      if (!v.is_null()) {
        cell.null = false;
        switch (v.type().id()) {
          case visiondb::TypeId::Int64:
          case visiondb::TypeId::Float64:
            cell.is_number = true;
            cell.number = v.to_double();
            break;
          case visiondb::TypeId::Bool:
            cell.is_number = true;
            cell.number = v.as_bool() ? 1 : 0;
            break;
          default: cell.text = v.to_string();
        }
      }
      row.push_back(cell);
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

// The SQLite spelling of a query written for visiondb.
std::string to_sqlite(std::string q) {
  auto replace_all = [&](const std::string& from, const std::string& to) {
    for (size_t p = q.find(from); p != std::string::npos; p = q.find(from, p + to.size())) q.replace(p, from.size(), to);
  };
  replace_all("INTERSECT DISTINCT", "INTERSECT");
  replace_all("EXCEPT DISTINCT", "EXCEPT");
  replace_all("UNION DISTINCT", "UNION");
  // IF( as a word (not the end of NULLIF( or IFNULL().
  for (size_t p = q.find("IF("); p != std::string::npos; p = q.find("IF(", p + 4))
    if (p == 0 || !std::isalnum(static_cast<unsigned char>(q[p - 1]))) q.replace(p, 3, "IIF(");
  replace_all("AS FLOAT64)", "AS REAL)");
  replace_all("AS INT64)", "AS INTEGER)");
  replace_all("AS STRING)", "AS TEXT)");
  return q;
}

class Generator {
 public:
  explicit Generator(uint32_t seed) : rng_(seed) {}
  int64_t uniform(int64_t lo, int64_t hi) { return std::uniform_int_distribution<int64_t>(lo, hi)(rng_); }
  bool chance(double p) { return std::uniform_real_distribution<double>(0, 1)(rng_) < p; }
  template <class T>
  const T& pick(const std::vector<T>& xs) {
    return xs[static_cast<size_t>(uniform(0, static_cast<int64_t>(xs.size()) - 1))];
  }

 private:
  std::mt19937 rng_;
};

const std::vector<std::string> kWords = {"ant", "bee", "cat", "dog", "eel", "fox", "gnu", "hen"};

// Both engines get the same rows.
void load(visiondb::Database& db, Sqlite& lite, Generator& gen) {
  const char* ddl1 = "CREATE TABLE t1 (id INT64, g INT64, v INT64, f FLOAT64, s STRING)";
  const char* ddl2 = "CREATE TABLE t2 (id INT64, t1_id INT64, w INT64, s STRING)";
  db.query(ddl1);
  db.query(ddl2);
  lite.exec("CREATE TABLE t1 (id INTEGER, g INTEGER, v INTEGER, f REAL, s TEXT)");
  lite.exec("CREATE TABLE t2 (id INTEGER, t1_id INTEGER, w INTEGER, s TEXT)");
  auto null_or = [&](double p, const std::string& v) { return gen.chance(p) ? std::string("NULL") : v; };
  std::string batch;
  auto flush = [&](const char* table) {
    if (batch.empty()) return;
    std::string sql = std::string("INSERT INTO ") + table + " VALUES " + batch;
    db.query(sql);
    lite.exec(sql);
    batch.clear();
  };
  for (int i = 1; i <= 3000; ++i) {
    char f[32];
    std::snprintf(f, sizeof f, "%.2f", static_cast<double>(gen.uniform(-10000, 10000)) / 100.0);
    std::string row = "(" + std::to_string(i) + ", " + null_or(0.05, std::to_string(gen.uniform(0, 9))) + ", " +
                      null_or(0.08, std::to_string(gen.uniform(-50, 50))) + ", " + null_or(0.08, f) + ", " +
                      null_or(0.1, "'" + gen.pick(kWords) + "'") + ")";
    batch += (batch.empty() ? "" : ", ") + row;
    if (i % 500 == 0) flush("t1");
  }
  flush("t1");
  for (int i = 1; i <= 1200; ++i) {
    std::string row = "(" + std::to_string(i) + ", " + null_or(0.05, std::to_string(gen.uniform(1, 3300))) + ", " +
                      null_or(0.05, std::to_string(gen.uniform(0, 100))) + ", " + null_or(0.1, "'" + gen.pick(kWords) + "'") +
                      ")";
    batch += (batch.empty() ? "" : ", ") + row;
    if (i % 400 == 0) flush("t2");
  }
  flush("t2");
  // Indexes keep SQLite's nested-loop joins quick; they change no answer.
  lite.exec("CREATE INDEX t1_id ON t1(id)");
  lite.exec("CREATE INDEX t2_t1_id ON t2(t1_id)");
}

// One random query; `ordered` says whether its ORDER BY fixes the row order completely.
std::string make_query(Generator& gen, bool& ordered) {
  ordered = false;
  auto k = [&](int64_t lo, int64_t hi) { return std::to_string(gen.uniform(lo, hi)); };
  auto word = [&]() { return "'" + gen.pick(kWords) + "'"; };
  auto cmp = [&]() { return gen.pick(std::vector<std::string>{"<", "<=", ">", ">=", "=", "<>"}); };
  auto pred = [&](const std::string& t) {
    switch (gen.uniform(0, 6)) {
      case 0: return t + "v " + cmp() + " " + k(-40, 40);
      case 1: return t + "s = " + word();
      case 2: return t + "g IN (" + k(0, 9) + ", " + k(0, 9) + ", " + k(0, 9) + ")";
      case 3: return t + "f BETWEEN " + k(-80, 0) + " AND " + k(0, 80);
      case 4: return t + "v IS NULL OR " + t + "g " + cmp() + " " + k(0, 9);
      case 5: return "NOT (" + t + "v " + cmp() + " " + k(-10, 10) + ")";
      default: return t + "s LIKE '" + gen.pick(kWords).substr(0, 1) + "%'";
    }
  };
  auto agg = [&](const std::string& t) {
    return gen.pick(std::vector<std::string>{"COUNT(*)", "COUNT(" + t + "v)", "SUM(" + t + "v)", "MIN(" + t + "v)",
                                             "MAX(" + t + "f)", "AVG(" + t + "v)", "COUNT(DISTINCT " + t + "s)",
                                             "SUM(" + t + "f)", "MIN(" + t + "s)", "MAX(" + t + "s)", "AVG(" + t + "f)",
                                             "SUM(DISTINCT " + t + "g)"});
  };
  switch (gen.uniform(0, 19)) {
    case 0: return "SELECT id, g, v, s FROM t1 WHERE " + pred("");
    case 1: return "SELECT g, " + agg("") + ", " + agg("") + " FROM t1 WHERE " + pred("") + " GROUP BY g";
    case 2: return "SELECT s, " + agg("") + " FROM t1 GROUP BY s HAVING COUNT(*) > " + k(300, 420);
    case 3:
      return "SELECT t1.id, t2.id, t2.w FROM t1 JOIN t2 ON t1.id = t2.t1_id WHERE t2.w " + cmp() + " " + k(0, 100);
    case 4: return "SELECT t1.id, t2.w FROM t1 LEFT JOIN t2 ON t1.id = t2.t1_id WHERE t1.id " + cmp() + " " + k(1, 3000);
    case 5: return "SELECT t1.id, t2.id FROM t1 RIGHT JOIN t2 ON t1.id = t2.t1_id AND t1.g = " + k(0, 9);
    case 6:
      return "SELECT t1.id, t2.id FROM t1 FULL JOIN t2 ON t1.id = t2.t1_id WHERE (t1.id IS NULL OR t1.id < 300) AND (t2.id IS "
             "NULL OR t2.id < 200)";
    case 7: return "SELECT t1.g, " + agg("t1.") + ", SUM(t2.w) FROM t1 JOIN t2 ON t1.id = t2.t1_id GROUP BY t1.g";
    case 8: return "SELECT COUNT(*) FROM t1 WHERE g IN (SELECT w - 90 FROM t2 WHERE s = " + word() + ")";
    case 9: return "SELECT id FROM t1 WHERE v > (SELECT AVG(w) - 60 FROM t2 WHERE t2.t1_id = t1.id)";
    case 10:
      return std::string("SELECT id, s FROM t1 WHERE ") + (gen.chance(0.5) ? "NOT " : "") +
             "EXISTS (SELECT 1 FROM t2 WHERE t2.t1_id = t1.id AND t2.w > " + k(0, 100) + ")";
    case 11:
      return "WITH x AS (SELECT g, SUM(v) AS sv, COUNT(*) AS n FROM t1 WHERE " + pred("") +
             " GROUP BY g) SELECT a.g, a.sv, b.n FROM x a JOIN x b ON a.g = b.g WHERE a.n > " + k(0, 300);
    case 12: {
      ordered = true;
      return "SELECT id, v, f FROM t1 WHERE " + pred("") + " ORDER BY " +
             gen.pick(std::vector<std::string>{"v DESC", "f", "s DESC", "g, v"}) + ", id LIMIT " + k(1, 40) +
             (gen.chance(0.3) ? " OFFSET " + k(0, 20) : "");
    }
    case 13:
      return "SELECT g FROM t1 WHERE " + pred("") + " " +
             gen.pick(std::vector<std::string>{"UNION ALL", "UNION DISTINCT", "INTERSECT DISTINCT", "EXCEPT DISTINCT"}) +
             " SELECT w - 95 FROM t2 WHERE s = " + word();
    case 14:
      return "SELECT id, CASE WHEN v > " + k(-20, 20) + " THEN v * 2 WHEN v IS NULL THEN -1 ELSE v - g END, COALESCE(s, 'none'), "
             "IFNULL(f, 0) + 1.5, NULLIF(g, " + k(0, 9) + ") FROM t1 WHERE id < " + k(50, 400);
    case 15: return "SELECT DISTINCT g, s FROM t1 WHERE " + pred("");
    case 16: return "SELECT g * 2 + 1 AS gg, COUNT(*), SUM(v * 3 - 1) FROM t1 GROUP BY g * 2 + 1";
    case 17: return "SELECT a.id, b.id FROM t1 a, t2 b WHERE a.id = b.t1_id AND a.v " + cmp() + " b.w - 50";
    case 18:
      return "SELECT id, v FROM t1 WHERE v " + cmp() + " (SELECT MIN(w) FROM t2) - " + k(0, 60) +
             " AND s IN (SELECT s FROM t2 WHERE w < " + k(0, 100) + ")";
    default: {
      ordered = true;
      return "SELECT s, g, COUNT(*) AS n, SUM(v) FROM t1 GROUP BY s, g ORDER BY n DESC, s, g LIMIT " + k(1, 30);
    }
  }
}

TEST(SqliteDifferential, GeneratedQueriesAgree) {
  for (int threads : {1, 3}) {
    visiondb::DatabaseOptions options;
    options.threads = threads;
    visiondb::Database db(options);
    Sqlite lite;
    Generator gen(20240501);
    load(db, lite, gen);
    int compared = 0;
    for (int i = 0; i < 300; ++i) {
      bool ordered = false;
      std::string q = make_query(gen, ordered);
      std::vector<Row> mine, theirs;
      auto t0 = std::chrono::steady_clock::now();
      try {
        mine = visiondb_rows(db.query(q));
      } catch (const visiondb::Error& e) {
        ADD_FAILURE() << "visiondb failed on query " << i << ": " << q << "\n" << e.what();
        continue;
      }
      auto t1 = std::chrono::steady_clock::now();
      theirs = lite.query(to_sqlite(q));
      auto t2 = std::chrono::steady_clock::now();
      if (getenv("VISIONDB_DIFF_TIMES"))
        std::fprintf(stderr, "%8.2f ms %8.2f ms  %s\n", std::chrono::duration<double, std::milli>(t1 - t0).count(),
                     std::chrono::duration<double, std::milli>(t2 - t1).count(), q.c_str());
      if (!ordered) {
        std::sort(mine.begin(), mine.end());
        std::sort(theirs.begin(), theirs.end());
      }
      bool equal = mine.size() == theirs.size();
      for (size_t r = 0; equal && r < mine.size(); ++r) {
        equal = mine[r].size() == theirs[r].size();
        for (size_t c = 0; equal && c < mine[r].size(); ++c) equal = same(mine[r][c], theirs[r][c]);
      }
      if (!equal)
        ADD_FAILURE() << "query " << i << " (threads=" << threads << ") differs: " << q << "\nvisiondb:\n"
                      << show(mine) << "sqlite:\n"
                      << show(theirs);
      ++compared;
    }
    EXPECT_EQ(compared, 300);
  }
}

}  // namespace
