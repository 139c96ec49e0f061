#include "visiondb/storage/types.hpp"

#include <gtest/gtest.h>

#include "visiondb/storage/value.hpp"

using namespace visiondb;

TEST(LogicalType, SpellsTypesAsBigQuery) {
  auto s = LogicalType::structure({{"a", LogicalType::int64()}, {"b", LogicalType::array(LogicalType::string())}});
  EXPECT_EQ(s.to_string(), "STRUCT<a INT64, b ARRAY<STRING>>");
  EXPECT_EQ(LogicalType::array(LogicalType::float64()).to_string(), "ARRAY<FLOAT64>");
  EXPECT_EQ(s.field_index("B"), 1);
  EXPECT_EQ(s.field_index("c"), -1);
  EXPECT_EQ(LogicalType::object("IMAGE").to_string(), "IMAGE");
}

TEST(LogicalType, ComparesStructurally) {
  EXPECT_EQ(LogicalType::array(LogicalType::int64()), LogicalType::array(LogicalType::int64()));
  EXPECT_NE(LogicalType::array(LogicalType::int64()), LogicalType::array(LogicalType::float64()));
  EXPECT_NE(LogicalType::structure({{"a", LogicalType::int64()}}), LogicalType::structure({{"b", LogicalType::int64()}}));
  EXPECT_NE(LogicalType::object("IMAGE"), LogicalType::object("TENSOR"));
}

TEST(Value, PrintsAndQuotes) {
  EXPECT_EQ(Value::float64(0.1).to_string(), "0.1");
  EXPECT_EQ(Value::float64(1e300).to_string(), "1e+300");
  EXPECT_EQ(Value::float64(2.0).to_sql(), "2.0");
  EXPECT_EQ(Value::string("it's").to_sql(), "'it\\'s'");
  EXPECT_EQ(Value::timestamp(0).to_string(), "1970-01-01 00:00:00+00");
  EXPECT_EQ(Value::timestamp(1714564800123000).to_string(), "2024-05-01 12:00:00.123+00");
  EXPECT_EQ(Value::timestamp(-1).to_string(), "1969-12-31 23:59:59.999999+00");
  EXPECT_EQ(Value::date(19844).to_string(), "2024-05-01");
  auto arr = Value::array(LogicalType::int64(), {Value::int64(1), Value::null(LogicalType::int64())});
  EXPECT_EQ(arr.to_string(), "[1, NULL]");
  auto st = Value::structure(LogicalType::structure({{"a", LogicalType::int64()}, {"b", LogicalType::string()}}),
                             {Value::int64(1), Value::string("x")});
  EXPECT_EQ(st.to_string(), "{a: 1, b: x}");
  EXPECT_EQ(st.to_sql(), "STRUCT(1 AS a, 'x' AS b)");
  EXPECT_EQ(Value::null(LogicalType::int64()).to_sql(), "CAST(NULL AS INT64)");
}
