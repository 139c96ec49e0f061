#include "visiondb/storage/column.hpp"

#include <gtest/gtest.h>

using namespace visiondb;

namespace {
Value int_array(std::vector<int64_t> xs) {
  std::vector<Value> vs;
  for (auto x : xs) vs.push_back(Value::int64(x));
  return Value::array(LogicalType::int64(), std::move(vs));
}
}  // namespace

TEST(Column, FixedWidthWithNulls) {
  Column c(LogicalType::int64());
  for (int i = 0; i < 200; ++i) (i % 7 == 0) ? c.append_null() : c.append_int64(i);
  ASSERT_EQ(c.size(), 200u);
  EXPECT_TRUE(c.is_null(0));
  EXPECT_TRUE(c.is_null(7));
  EXPECT_EQ(c.data<int64_t>()[8], 8);
  EXPECT_EQ(c.validity().count_valid(200), 200u - 29u);
  EXPECT_EQ(c.get(9), Value::int64(9));
  EXPECT_EQ(c.get(14), Value::null(LogicalType::int64()));
}

TEST(Column, AllValidColumnsHaveNoBitmap) {
  Column c(LogicalType::float64());
  c.resize(5000);
  EXPECT_TRUE(c.validity().all_valid());
  EXPECT_EQ(c.validity().data(), nullptr);
  c.set_null(4999);
  EXPECT_FALSE(c.validity().all_valid());
  EXPECT_TRUE(c.is_valid(4998));
  EXPECT_TRUE(c.is_null(4999));
}

TEST(Column, StringsUseArrowOffsets) {
  Column c(LogicalType::string());
  c.append_string("ab");
  c.append_null();
  c.append_string("");
  c.append_string("héllo");
  EXPECT_EQ(c.size(), 4u);
  const int64_t* off = c.offsets();
  EXPECT_EQ(off[0], 0);
  EXPECT_EQ(off[1], 2);
  EXPECT_EQ(off[2], 2);
  EXPECT_EQ(off[3], 2);
  EXPECT_EQ(off[4], 8);
  EXPECT_EQ(c.string_at(3), "héllo");
  EXPECT_TRUE(c.is_null(1));
  EXPECT_EQ(c.get(2), Value::string(""));
}

TEST(Column, NestedArraysAndStructsRoundTripThroughValues) {
  auto st_type = LogicalType::structure({{"label", LogicalType::string()}, {"probs", LogicalType::array(LogicalType::float64())}});
  Column c(LogicalType::array(st_type));
  auto st = [&](std::string l, std::vector<double> ps) {
    std::vector<Value> vs;
    for (double p : ps) vs.push_back(Value::float64(p));
    return Value::structure(st_type, {Value::string(std::move(l)), Value::array(LogicalType::float64(), vs)});
  };
  Value row0 = Value::array(st_type, {st("cat", {0.25, 0.75}), st("dog", {})});
  Value row2 = Value::array(st_type, {});
  c.append(row0);
  c.append_null();
  c.append(row2);
  ASSERT_EQ(c.size(), 3u);
  EXPECT_EQ(c.get(0), row0);
  EXPECT_TRUE(c.get(1).is_null());
  EXPECT_EQ(c.get(2), row2);
  EXPECT_EQ(c.array_length(0), 2u);
  EXPECT_EQ(c.child().field(1).child().size(), 2u);  // the flat float buffer of all probs
}

TEST(Column, GatherSliceAndAppendRangeKeepValuesAndNulls) {
  Column a(LogicalType::array(LogicalType::int64()));
  a.append(int_array({1, 2}));
  a.append_null();
  a.append(int_array({3}));
  a.append(int_array({}));
  a.append(int_array({4, 5, 6}));
  std::vector<uint32_t> rows{4, 1, 0};
  Column g = a.gather(rows);
  ASSERT_EQ(g.size(), 3u);
  EXPECT_EQ(g.get(0), int_array({4, 5, 6}));
  EXPECT_TRUE(g.is_null(1));
  EXPECT_EQ(g.get(2), int_array({1, 2}));
  Column s = a.slice(2, 3);
  EXPECT_EQ(s.get(0), int_array({3}));
  EXPECT_EQ(s.get(2), int_array({4, 5, 6}));
  EXPECT_EQ(s.offsets()[0], 0);

  Column f(LogicalType::float64());
  for (int i = 0; i < 10; ++i) i == 3 ? f.append_null() : f.append_float64(i * 0.5);
  Column h = f.gather(std::vector<uint32_t>{3, 9});
  EXPECT_TRUE(h.is_null(0));
  EXPECT_EQ(h.get(1), Value::float64(4.5));
}

TEST(Column, ConstantRepeatsAValue) {
  Column c = Column::constant(Value::string("x"), 3);
  EXPECT_EQ(c.size(), 3u);
  EXPECT_EQ(c.get(2), Value::string("x"));
  Column n = Column::constant(Value::null(LogicalType::int64()), 2);
  EXPECT_TRUE(n.is_null(1));
}
