// Robustness: random, often ill-typed queries over a table with every basic type and NULLs must
// give a result or a visiondb::Error that is not an internal error: never a crash, never another
// exception, never an "internal error".
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "visiondb/api/database.hpp"

namespace {

struct Gen {
  std::mt19937 rng;
  explicit Gen(uint32_t seed) : rng(seed) {}
  size_t pick(size_t n) { return static_cast<size_t>(rng() % n); }
  template <class T>
  const T& of(const std::vector<T>& xs) { return xs[pick(xs.size())]; }

  std::string column() { return of(std::vector<std::string>{"i", "f", "s", "b", "d", "ts", "i2", "s2"}); }
  std::string literal() {
    return of(std::vector<std::string>{"1", "0", "-7", "2.5", "'abc'", "''", "NULL", "TRUE", "FALSE", "DATE '2024-01-02'",
                                       "TIMESTAMP '2024-01-02 03:04:05'", "9223372036854775807", "CAST('nan' AS FLOAT64)"});
  }
  std::string expr(int depth) {
    if (depth <= 0 || pick(4) == 0) return pick(2) ? column() : literal();
    switch (pick(16)) {
      case 0: return "(" + expr(depth - 1) + " " + of(std::vector<std::string>{"+", "-", "*", "/", "||"}) + " " + expr(depth - 1) + ")";
      case 1: return "(" + expr(depth - 1) + " " + of(std::vector<std::string>{"=", "!=", "<", ">=", "<>"}) + " " + expr(depth - 1) + ")";
      case 2: return "(" + expr(depth - 1) + " " + of(std::vector<std::string>{"AND", "OR"}) + " " + expr(depth - 1) + ")";
      case 3: return "(NOT " + expr(depth - 1) + ")";
      case 4: return "(" + expr(depth - 1) + " IS " + of(std::vector<std::string>{"NULL", "NOT NULL", "TRUE", "NOT FALSE"}) + ")";
      case 5: return "CASE WHEN " + expr(depth - 1) + " THEN " + expr(depth - 1) + " ELSE " + expr(depth - 1) + " END";
      case 6: return "COALESCE(" + expr(depth - 1) + ", " + expr(depth - 1) + ")";
      case 7: return "IF(" + expr(depth - 1) + ", " + expr(depth - 1) + ", " + expr(depth - 1) + ")";
      case 8: return of(std::vector<std::string>{"CAST", "SAFE_CAST"}) + "(" + expr(depth - 1) + " AS " +
                     of(std::vector<std::string>{"INT64", "FLOAT64", "STRING", "BOOL", "DATE", "TIMESTAMP", "BYTES"}) + ")";
      case 9: return "(" + expr(depth - 1) + " IN (" + expr(depth - 1) + ", " + literal() + "))";
      case 10: return "(" + expr(depth - 1) + " BETWEEN " + expr(depth - 1) + " AND " + expr(depth - 1) + ")";
      case 11: return "(" + expr(depth - 1) + " LIKE " + of(std::vector<std::string>{"'a%'", "'%_'", "s2", "NULL"}) + ")";
      case 12: return of(std::vector<std::string>{"ABS", "LENGTH", "ROUND", "SQRT", "UPPER", "NULLIF", "IFNULL", "MOD"}) + "(" +
                      expr(depth - 1) + (pick(2) ? ", " + expr(depth - 1) : std::string()) + ")";
      case 13: return "(SELECT " + expr(depth - 1) + " FROM t AS x WHERE x.i = t.i LIMIT 1)";
      case 14: return "(" + expr(depth - 1) + " IN (SELECT " + column() + " FROM t))";
      default: return "EXISTS (SELECT 1 FROM t AS y WHERE " + expr(depth - 1) + ")";
    }
  }
  std::string query() {
    switch (pick(6)) {
      case 0: return "SELECT " + expr(3) + " FROM t";
      case 1: return "SELECT i, " + expr(2) + " FROM t WHERE " + expr(3);
      case 2:
        return "SELECT " + column() + ", " + of(std::vector<std::string>{"COUNT", "SUM", "MIN", "MAX", "AVG", "ANY_VALUE"}) + "(" +
               expr(2) + ") FROM t GROUP BY 1";
      case 3: return "SELECT " + expr(2) + " AS a FROM t ORDER BY " + expr(2) + " LIMIT 3";
      case 4: return "SELECT t.i, u.s FROM t JOIN t AS u ON " + expr(2);
      default: return "SELECT " + expr(2) + " UNION ALL SELECT " + expr(2);
    }
  }
};

}  // namespace

TEST(RandomQueries, NeverCrashOrFailInternally) {
  visiondb::Database db(visiondb::DatabaseOptions{2});
  db.query("CREATE TABLE t (i INT64, f FLOAT64, s STRING, b BOOL, d DATE, ts TIMESTAMP, i2 INT64, s2 STRING)");
  db.query(
      "INSERT INTO t VALUES (1, 1.5, 'a', TRUE, DATE '2024-01-01', TIMESTAMP '2024-01-01 00:00:00', 0, 'a%'), "
      "(2, NULL, 'abc', FALSE, NULL, NULL, 5, '_'), (NULL, -0.0, NULL, NULL, DATE '1999-12-31', TIMESTAMP '2000-01-01 "
      "12:00:00', NULL, NULL), (4, 1e300, '', TRUE, DATE '2024-02-29', TIMESTAMP '2024-02-29 23:59:59.999999', -3, 'x')");
  Gen gen(20240601);
  int ok = 0, errors = 0;
  for (int k = 0; k < 1500; ++k) {
    std::string q = gen.query();
    try {
      db.query(q);
      ++ok;
    } catch (const visiondb::Error& e) {
      ++errors;
      if (std::getenv("VISIONDB_SHOW_ERRORS")) std::printf("%s\n  -> %s\n", q.c_str(), e.message().c_str());
      ASSERT_NE(e.kind(), visiondb::ErrorKind::Internal) << q << "\n" << e.what();
      ASSERT_EQ(std::string(e.what()).find("internal error"), std::string::npos) << q << "\n" << e.what();
    } catch (const std::exception& e) {
      FAIL() << "not a visiondb::Error: " << e.what() << "\n" << q;
    }
  }
  // Both outcomes occur: the generator reaches the executor, not only the binder's type errors.
  std::printf("random queries: %d ran, %d errors\n", ok, errors);
  EXPECT_GT(ok, 100);
  EXPECT_GT(errors, 100);
}
