// + - * / and unary minus with BigQuery's rules: INT64 arithmetic raises an error on overflow,
// `/` always returns FLOAT64, and division by zero is an error (SAFE_DIVIDE / SAFE. give NULL).
#pragma once

#include <string>

#include "visiondb/functions/function.hpp"
#include "visiondb/storage/detail/format.hpp"

namespace visiondb::fn {

namespace detail {
inline std::string int_error(const char* op, int64_t a, int64_t b) {
  return std::string("int64 overflow: ") + std::to_string(a) + " " + op + " " + std::to_string(b);
}
inline std::string num(double d) { return visiondb::detail::format_double(d); }
}  // namespace detail

struct AddIntOp {
  static bool apply(int64_t a, int64_t b, int64_t& r) { return !__builtin_add_overflow(a, b, &r); }
  static std::string error(int64_t a, int64_t b) { return detail::int_error("+", a, b); }
};
struct SubIntOp {
  static bool apply(int64_t a, int64_t b, int64_t& r) { return !__builtin_sub_overflow(a, b, &r); }
  static std::string error(int64_t a, int64_t b) { return detail::int_error("-", a, b); }
};
struct MulIntOp {
  static bool apply(int64_t a, int64_t b, int64_t& r) { return !__builtin_mul_overflow(a, b, &r); }
  static std::string error(int64_t a, int64_t b) { return detail::int_error("*", a, b); }
};
struct AddDoubleOp {
  static double apply(double a, double b) { return a + b; }
};
struct SubDoubleOp {
  static double apply(double a, double b) { return a - b; }
};
struct MulDoubleOp {
  static double apply(double a, double b) { return a * b; }
};
struct DivDoubleOp {
  static bool apply(double a, double b, double& r) {
    if (b == 0) return false;
    r = a / b;
    return true;
  }
  static std::string error(double a, double b) { return "division by zero: " + detail::num(a) + " / " + detail::num(b); }
};
struct NegIntOp {
  static bool apply(int64_t a, int64_t& r) { return !__builtin_sub_overflow(int64_t{0}, a, &r); }
  static std::string error(int64_t a) { return "int64 overflow: -(" + std::to_string(a) + ")"; }
};
struct NegDoubleOp {
  static double apply(double a) { return -a; }
};

struct AddFunction {
  static constexpr std::string_view name = "+", doc = "x + y: sum; INT64 overflow is an error";
  static FunctionSet overloads() {
    return {binary<int64_t, int64_t, int64_t, AddIntOp>(), binary<double, double, double, AddDoubleOp>()};
  }
};
struct SubtractFunction {
  static constexpr std::string_view name = "-", doc = "x - y: difference; INT64 overflow is an error";
  static FunctionSet overloads() {
    return {binary<int64_t, int64_t, int64_t, SubIntOp>(), binary<double, double, double, SubDoubleOp>(),
            unary<int64_t, int64_t, NegIntOp>(), unary<double, double, NegDoubleOp>()};
  }
};
struct MultiplyFunction {
  static constexpr std::string_view name = "*", doc = "x * y: product; INT64 overflow is an error";
  static FunctionSet overloads() {
    return {binary<int64_t, int64_t, int64_t, MulIntOp>(), binary<double, double, double, MulDoubleOp>()};
  }
};
struct DivideFunction {
  static constexpr std::string_view name = "/", doc = "x / y: FLOAT64 quotient; division by zero is an error";
  static FunctionSet overloads() { return {binary<double, double, double, DivDoubleOp>()}; }
};

}  // namespace visiondb::fn
