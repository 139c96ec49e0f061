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
}
