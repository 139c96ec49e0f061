#include "visiondb/api/database.hpp"

#include <gtest/gtest.h>

using namespace visiondb;

TEST(Database, EndToEnd) {
  Database db;
  db.query("CREATE TABLE t (a INT64, b STRING)");
  db.query("INSERT INTO t VALUES (1, 'x'), (2, 'y'), (3, NULL)");
  auto r = db.query("SELECT a, b FROM t WHERE a >= 2 ORDER BY a DESC");
  ASSERT_EQ(r.row_count(), 2u);
  EXPECT_EQ(r.get_as<int64_t>(0, 0), 3);
  EXPECT_TRUE(r.is_null(0, 1));
  EXPECT_EQ(r.get_as<std::string>(1, 1), "y");
  auto s = db.query("SELECT COUNT(*), SUM(a), AVG(a) FROM t");
  EXPECT_EQ(s.get_as<int64_t>(0, 0), 3);
  EXPECT_EQ(s.get_as<int64_t>(0, 1), 6);
  EXPECT_DOUBLE_EQ(s.get_as<double>(0, 2), 2.0);
  EXPECT_EQ(s.column_name(0), "f0_");
}

TEST(Database, ScriptsReturnTheLastResultOrAll) {
  Database db;
  auto last = db.query("CREATE TABLE t (x INT64); INSERT INTO t VALUES (1), (2); SELECT SUM(x) AS s FROM t;");
  EXPECT_EQ(last.get_as<int64_t>(0, 0), 3);
  EXPECT_EQ(last.column_name(0), "s");
  auto all = db.query_all("INSERT INTO t VALUES (3); SELECT COUNT(*) FROM t");
  ASSERT_EQ(all.size(), 2u);
  EXPECT_FALSE(all[0].has_rows());
  EXPECT_EQ(all[0].status(), "INSERT");
  EXPECT_EQ(all[0].rows_affected(), 1u);
  EXPECT_EQ(all[1].get_as<int64_t>(0, 0), 3);
}

TEST(Database, PositionalParameters) {
  Database db;
  db.query("CREATE TABLE t (x INT64, s STRING)");
  db.query("INSERT INTO t VALUES (?, ?), (?, ?)", {Value::int64(1), Value::string("a"), Value::int64(2), Value::null()});
  auto r = db.query("SELECT COUNT(*) FROM t WHERE x >= ? AND s IS NULL", {Value::int64(2)});
  EXPECT_EQ(r.get_as<int64_t>(0, 0), 1);
}

TEST(Database, PreparedStatementsWithPositionalAndNamedParameters) {
  Database db;
  db.query("CREATE TABLE t (x INT64, s STRING)");
  auto insert = db.prepare("INSERT INTO t VALUES (?, @label)");
  EXPECT_EQ(insert.positional_count(), 1u);
  EXPECT_EQ(insert.parameter_names(), std::vector<std::string>{"label"});
  for (int i = 0; i < 5; ++i) insert.bind(0, Value::int64(i)).bind("label", Value::string("v" + std::to_string(i))).execute();
  auto select = db.prepare("SELECT s FROM t WHERE x = @x");
  EXPECT_EQ(select.bind("x", Value::int64(3)).execute().get_as<std::string>(0, 0), "v3");
  EXPECT_EQ(select.bind("@x", Value::int64(4)).execute().get_as<std::string>(0, 0), "v4");
  EXPECT_THROW(select.bind("nope", Value::int64(1)), InvalidArgument);
  auto missing = db.prepare("SELECT ? + 1");
  EXPECT_THROW(missing.execute(), InvalidArgument);
  EXPECT_EQ(missing.bind(0, Value::int64(41)).execute().get_as<int64_t>(0, 0), 42);
}

TEST(Database, ErrorsCarryKindPositionAndCaret) {
  Database db;
  db.query("CREATE TABLE people (name STRING)");
  try {
    db.query("SELECT 1;\nSELECT nmae FROM people");
    FAIL();
  } catch (const SqlError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Bind);
    EXPECT_TRUE(e.has_position());
    EXPECT_EQ(e.position().line, 2u);
    EXPECT_EQ(e.position().column, 8u);
    EXPECT_EQ(std::string(e.what()),
              "Binder Error: column \"nmae\" not found in table \"people\" (did you mean \"name\"?)\n"
              "LINE 2: SELECT nmae FROM people\n"
              "               ^~~~");
  }
  try {
    db.query("SELECT 1 / 0");
    FAIL();
  } catch (const SqlError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Execution);
    EXPECT_NE(std::string(e.what()).find("^"), std::string::npos);
  }
  EXPECT_THROW(db.query("SELEC 1"), SqlError);
}

TEST(Database, AFailedStatementChangesNothing) {
  Database db;
  db.query("CREATE TABLE t (x INT64)");
  db.query("INSERT INTO t VALUES (1), (0)");
  EXPECT_THROW(db.query("INSERT INTO t SELECT CAST(1 / x AS INT64) FROM t"), SqlError);
  EXPECT_THROW(db.query("CREATE TABLE u AS SELECT 1 / x AS y FROM t"), SqlError);
  EXPECT_EQ(db.query("SELECT COUNT(*) FROM t").get_as<int64_t>(0, 0), 2);
  EXPECT_THROW(db.query("SELECT * FROM u"), SqlError);
}

TEST(Database, ThreadsSettingGivesTheSameAnswers) {
  Database db(DatabaseOptions{1});
  db.query("CREATE TABLE t (k INT64, v FLOAT64)");
  db.query("INSERT INTO t VALUES (1, 0.5), (2, 1.5), (1, 2.0), (3, NULL)");
  for (int i = 0; i < 10; ++i) db.query("INSERT INTO t SELECT k + 3, v FROM t");
  auto one = db.query("SELECT k, COUNT(*), MIN(v) FROM t GROUP BY k ORDER BY k");
  EXPECT_EQ(db.threads(), 1);
  db.query("SET threads = 4");
  EXPECT_EQ(db.threads(), 4);
  auto four = db.query("SELECT k, COUNT(*), MIN(v) FROM t GROUP BY k ORDER BY k");
  ASSERT_EQ(one.row_count(), four.row_count());
  for (size_t r = 0; r < one.row_count(); ++r)
    for (size_t c = 0; c < 3; ++c) EXPECT_EQ(one.get(r, c), four.get(r, c));
  db.set_threads(2);
  EXPECT_EQ(db.threads(), 2);
}

TEST(Database, CatalogIsShared) {
  Database db;
  db.query("CREATE SCHEMA ds; CREATE TABLE ds.t (x INT64)");
  EXPECT_TRUE(db.catalog().has_dataset("ds"));
  EXPECT_NE(db.catalog().find(CatalogEntryKind::Table, {"ds", "t"}), nullptr);
}
