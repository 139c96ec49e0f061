#include "visiondb/functions/scalar/cast.hpp"

#include <gtest/gtest.h>

#include <cmath>

using namespace visiondb;

TEST(Cast, ParsesNumbersAsBigQueryDoes) {
  EXPECT_EQ(fn::parse_int64("42"), 42);
  EXPECT_EQ(fn::parse_int64(" -9223372036854775808 "), INT64_MIN);
  EXPECT_FALSE(fn::parse_int64("9223372036854775808"));
  EXPECT_EQ(fn::parse_int64("0x10"), 16);
  EXPECT_FALSE(fn::parse_int64("1.5"));
  EXPECT_EQ(fn::parse_float64("1e3"), 1000.0);
  EXPECT_TRUE(std::isinf(*fn::parse_float64("-inf")));
  EXPECT_TRUE(std::isnan(*fn::parse_float64("NaN")));
  EXPECT_FALSE(fn::parse_float64("1e999"));
  EXPECT_FALSE(fn::parse_float64("abc"));
}

TEST(Cast, ParsesDatesAndTimestamps) {
  EXPECT_EQ(fn::parse_date("1970-01-02"), 1);
  EXPECT_EQ(fn::parse_date("2024-02-29"), 19782);
  EXPECT_FALSE(fn::parse_date("2023-02-29"));
  EXPECT_EQ(fn::parse_timestamp("1970-01-01 00:00:01"), 1000000);
  EXPECT_EQ(fn::parse_timestamp("1970-01-01T01:00:00+01:00"), 0);
  EXPECT_EQ(fn::parse_timestamp("1970-01-01 00:00:00.25 UTC"), 250000);
  EXPECT_FALSE(fn::parse_timestamp("1970-01-01 25:00:00"));
}

TEST(Cast, FloatToIntRoundsHalfAwayFromZero) {
  EXPECT_EQ(fn::cast_value(Value::float64(2.5), LogicalType::int64()), Value::int64(3));
  EXPECT_EQ(fn::cast_value(Value::float64(-2.5), LogicalType::int64()), Value::int64(-3));
  EXPECT_THROW(fn::cast_value(Value::float64(NAN), LogicalType::int64()), SqlError);
  EXPECT_TRUE(fn::cast_value(Value::float64(1e300), LogicalType::int64(), true).is_null());
}

TEST(Cast, ArraysElementByElement) {
  Value a = Value::array(LogicalType::int64(), {Value::int64(1), Value::null(LogicalType::int64())});
  Value b = fn::cast_value(a, LogicalType::array(LogicalType::float64()));
  ASSERT_EQ(b.children().size(), 2u);
  EXPECT_EQ(b.children()[0], Value::float64(1.0));
  EXPECT_TRUE(b.children()[1].is_null());
  EXPECT_TRUE(fn::can_cast(LogicalType::array(LogicalType::int64()), LogicalType::array(LogicalType::string())));
  EXPECT_FALSE(fn::can_cast(LogicalType::date(), LogicalType::int64()));
}
