// The expression executor on hand-built chunks: NULL propagation, lazy CASE, selections.
#include <gtest/gtest.h>

#include "visiondb/execution/expression_executor.hpp"
#include "visiondb/functions/registry.hpp"

using namespace visiondb;
using namespace visiondb::exec;

namespace {
ExprUPtr call(const std::string& name, ExprUPtr a, ExprUPtr b) {
  auto r = fn::Registry::builtins()->resolve_scalar(name, {a->type, b->type}, {});
  auto e = std::make_unique<Expr>();
  e->kind = BoundExprKind::Function;
  e->type = r.function->return_type();
  e->function = r.function;
  e->children.push_back(std::move(a));
  e->children.push_back(std::move(b));
  return e;
}
Chunk ints(std::vector<std::optional<int64_t>> xs) {
  Column c(LogicalType::int64());
  for (auto x : xs) x ? c.append_int64(*x) : c.append_null();
  size_t n = xs.size();
  return Chunk({std::make_shared<const Column>(std::move(c))}, n);
}
}  // namespace

TEST(ExpressionExecutor, ArithmeticPropagatesNullsAndRaisesOverflow) {
  Chunk in = ints({1, std::nullopt, 3});
  auto e = call("+", make_column_expr(0, LogicalType::int64()), make_constant_expr(Value::int64(10)));
  Vec v = ExpressionExecutor::evaluate(*e, in, nullptr, 3);
  EXPECT_EQ(v.view().get(0), Value::int64(11));
  EXPECT_TRUE(v.view().is_null(1));
  Chunk big = ints({INT64_MAX});
  auto o = call("+", make_column_expr(0, LogicalType::int64()), make_constant_expr(Value::int64(1)));
  EXPECT_THROW(ExpressionExecutor::evaluate(*o, big, nullptr, 1), SqlError);
}

TEST(ExpressionExecutor, CaseEvaluatesBranchesOnlyWhereTheyApply) {
  // CASE WHEN x = 0 THEN -1 ELSE 100 / x END: the division never sees the zero.
  Chunk in = ints({0, 4, std::nullopt, 5});
  auto when = call("=", make_column_expr(0, LogicalType::int64()), make_constant_expr(Value::int64(0)));
  auto r = fn::Registry::builtins()->resolve_scalar("/", {LogicalType::float64(), LogicalType::float64()}, {});
  auto cast = fn::Registry::builtins()->resolve_cast(LogicalType::int64(), LogicalType::float64(), {});
  auto as_double = [&](ExprUPtr x) {
    auto c = std::make_unique<Expr>();
    c->kind = BoundExprKind::Cast;
    c->type = LogicalType::float64();
    c->function = cast;
    c->children.push_back(std::move(x));
    return c;
  };
  auto div = std::make_unique<Expr>();
  div->kind = BoundExprKind::Function;
  div->type = LogicalType::float64();
  div->function = r.function;
  div->children.push_back(as_double(make_constant_expr(Value::int64(100))));
  div->children.push_back(as_double(make_column_expr(0, LogicalType::int64())));
  auto e = std::make_unique<Expr>();
  e->kind = BoundExprKind::Case;
  e->type = LogicalType::float64();
  e->children.push_back(std::move(when));
  e->children.push_back(make_constant_expr(Value::float64(-1)));
  e->children.push_back(std::move(div));
  Vec v = ExpressionExecutor::evaluate(*e, in, nullptr, 4);
  ColumnPtr c = ExpressionExecutor::flatten(v, 4);
  EXPECT_EQ(c->get(0), Value::float64(-1));
  EXPECT_EQ(c->get(1), Value::float64(25));
  EXPECT_TRUE(c->is_null(2));
  EXPECT_EQ(c->get(3), Value::float64(20));
}

TEST(ExpressionExecutor, SelectHonoursTheChunkSelection) {
  Chunk in = ints({5, 1, 7, std::nullopt, 9});
  in.set_selection(std::make_shared<SelectionVector>(SelectionVector{0, 2, 3, 4}));
  auto e = call(">", make_column_expr(0, LogicalType::int64()), make_constant_expr(Value::int64(6)));
  std::vector<uint32_t> out;
  ExpressionExecutor::select(*e, in, nullptr, in.size(), out);
  EXPECT_EQ(out, (std::vector<uint32_t>{1, 3}));  // logical rows holding 7 and 9
}
