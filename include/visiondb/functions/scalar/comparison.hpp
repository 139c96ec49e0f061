// = != < <= > >= over every orderable type. Strings and bytes compare by bytes (BigQuery's order
// for UTF-8 text is by code point, which is the same); FLOAT64 follows IEEE (NaN = NaN is false).
#pragma once

#include <string_view>

#include "visiondb/functions/function.hpp"

namespace visiondb::fn {

struct EqOp {
  template <class T> static bool apply(T a, T b) { return a == b; }
};
struct NeOp {
  template <class T> static bool apply(T a, T b) { return a != b; }
};
struct LtOp {
  template <class T> static bool apply(T a, T b) { return a < b; }
};
struct LeOp {
  template <class T> static bool apply(T a, T b) { return a <= b; }
};
struct GtOp {
  template <class T> static bool apply(T a, T b) { return a > b; }
};
struct GeOp {
  template <class T> static bool apply(T a, T b) { return a >= b; }
};

/// The overloads of one comparison over every orderable type.
template <class Op>
FunctionSet comparison_overloads() {
  const auto b = LogicalType::boolean();
  return {
      binary<int64_t, int64_t, bool, Op>(),
      binary<double, double, bool, Op>(),
      binary<std::string_view, std::string_view, bool, Op>(),
      binary<std::string_view, std::string_view, bool, Op>(LogicalType::bytes(), LogicalType::bytes(), b),
      binary<bool, bool, bool, Op>(b, b, b),
      binary<int64_t, int64_t, bool, Op>(LogicalType::timestamp(), LogicalType::timestamp(), b),
      binary<int32_t, int32_t, bool, Op>(LogicalType::date(), LogicalType::date(), b),
  };
}

struct EqualFunction {
  static constexpr std::string_view name = "=", doc = "x = y: equality (NULL when either side is NULL)";
  static FunctionSet overloads() { return comparison_overloads<EqOp>(); }
};
struct NotEqualFunction {
  static constexpr std::string_view name = "!=", doc = "x != y (also <>): inequality";
  static FunctionSet overloads() { return comparison_overloads<NeOp>(); }
};
struct LessFunction {
  static constexpr std::string_view name = "<", doc = "x < y";
  static FunctionSet overloads() { return comparison_overloads<LtOp>(); }
};
struct LessEqualFunction {
  static constexpr std::string_view name = "<=", doc = "x <= y";
  static FunctionSet overloads() { return comparison_overloads<LeOp>(); }
};
struct GreaterFunction {
  static constexpr std::string_view name = ">", doc = "x > y";
  static FunctionSet overloads() { return comparison_overloads<GtOp>(); }
};
struct GreaterEqualFunction {
  static constexpr std::string_view name = ">=", doc = "x >= y";
  static FunctionSet overloads() { return comparison_overloads<GeOp>(); }
};

}  // namespace visiondb::fn
