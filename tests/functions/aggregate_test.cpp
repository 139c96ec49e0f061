#include "visiondb/functions/aggregate/distinct.hpp"
#include "visiondb/functions/registry.hpp"

#include <gtest/gtest.h>

using namespace visiondb;

namespace {
Column ints(std::initializer_list<int64_t> xs) {
  Column c(LogicalType::int64());
  for (int64_t x : xs) c.append_int64(x);
  return c;
}
}  // namespace

TEST(Aggregates, GroupedUpdateAndCombine) {
  auto reg = fn::Registry::builtins();
  auto sum = reg->resolve_aggregate("sum", {LogicalType::int64()}, false, {}).function;
  auto a = sum->make_states();
  auto b = sum->make_states();
  a->resize(2);
  b->resize(3);
  Column x = ints({1, 2, 3, 4});
  ColumnView v(&x);
  uint32_t ga[] = {0, 1, 0, 1};
  uint32_t gb[] = {2, 2, 0, 1};
  a->update(std::span<const ColumnView>(&v, 1), 4, ga);
  b->update(std::span<const ColumnView>(&v, 1), 4, gb);
  // b's group 2 -> a's group 0; b's group 0 -> a's group 1.
  uint32_t src[] = {2, 0};
  uint32_t dst[] = {0, 1};
  a->combine(*b, src, dst, 2);
  Column out(LogicalType::int64());
  a->finalize(0, 2, out);
  EXPECT_EQ(out.get(0), Value::int64(1 + 3 + 1 + 2));
  EXPECT_EQ(out.get(1), Value::int64(2 + 4 + 3));
}

TEST(Aggregates, DistinctCountsEachValueOncePerGroupAcrossPartials) {
  auto reg = fn::Registry::builtins();
  auto cd = reg->resolve_aggregate("count", {LogicalType::int64()}, true, {}).function;
  auto a = cd->make_states();
  auto b = cd->make_states();
  a->resize(1);
  b->resize(1);
  Column x = ints({5, 5, 7});
  Column y = ints({7, 8, 8});
  ColumnView vx(&x), vy(&y);
  a->update(std::span<const ColumnView>(&vx, 1), 3, nullptr);
  b->update(std::span<const ColumnView>(&vy, 1), 3, nullptr);
  a->combine(*b, nullptr, nullptr, 1);
  Column out(LogicalType::int64());
  a->finalize(0, 1, out);
  EXPECT_EQ(out.get(0), Value::int64(3));  // 5, 7, 8
}

TEST(Aggregates, SumOverflowIsAnErrorOnlyForTheTotal) {
  auto reg = fn::Registry::builtins();
  auto sum = reg->resolve_aggregate("sum", {LogicalType::int64()}, false, {}).function;
  auto s = sum->make_states();
  s->resize(1);
  Column x = ints({INT64_MAX, 1, -2});
  ColumnView v(&x);
  s->update(std::span<const ColumnView>(&v, 1), 3, nullptr);
  Column out(LogicalType::int64());
  s->finalize(0, 1, out);
  EXPECT_EQ(out.get(0), Value::int64(INT64_MAX - 1));
  s->update(std::span<const ColumnView>(&v, 1), 2, nullptr);
  Column out2(LogicalType::int64());
  EXPECT_THROW(s->finalize(0, 1, out2), SqlError);
}

TEST(Registry, ResolvesWithCoercionAndReportsSignatures) {
  auto reg = fn::Registry::builtins();
  auto r = reg->resolve_scalar("+", {LogicalType::int64(), LogicalType::float64()}, {});
  EXPECT_EQ(r.function->return_type(), LogicalType::float64());
  EXPECT_EQ(r.arg_types[0], LogicalType::float64());
  try {
    reg->resolve_scalar("=", {LogicalType::string(), LogicalType::int64()}, {});
    FAIL();
  } catch (const SqlError& e) {
    EXPECT_NE(std::string(e.what()).find("no matching signature for operator = for argument types: STRING, INT64"),
              std::string::npos);
  }
  try {
    reg->resolve_scalar("lenght", {LogicalType::string()}, {});
    FAIL();
  } catch (const SqlError& e) {
    EXPECT_NE(std::string(e.what()).find("did you mean LENGTH?"), std::string::npos);
  }
}
