// Numeric functions with BigQuery's semantics: ABS, SIGN, ROUND (half away from zero, with
// digits), TRUNC, CEIL / CEILING, FLOOR, SQRT, POW / POWER, EXP, LN, LOG, LOG10, MOD, DIV,
// IEEE_DIVIDE, IS_NAN, IS_INF. Domain errors (SQRT of a negative, LN of 0, MOD by 0) are errors;
// SAFE. turns them into NULL.
#pragma once

#include <cmath>
#include <string>

#include "visiondb/functions/function.hpp"
#include "visiondb/storage/detail/format.hpp"

namespace visiondb::fn {

namespace detail {
inline std::string show(double d) { return visiondb::detail::format_double(d); }
}  // namespace detail

struct AbsIntOp {
  static bool apply(int64_t a, int64_t& r) {
    if (a == INT64_MIN) return false;
    r = a < 0 ? -a : a;
    return true;
  }
  static std::string error(int64_t a) { return "int64 overflow: ABS(" + std::to_string(a) + ")"; }
};
struct AbsDoubleOp {
  static double apply(double a) { return std::fabs(a); }
};
struct SignIntOp {
  static int64_t apply(int64_t a) { return (a > 0) - (a < 0); }
};
struct SignDoubleOp {
  static double apply(double a) { return std::isnan(a) ? a : static_cast<double>((a > 0) - (a < 0)); }
};
struct RoundOp {
  static double apply(double a) { return std::round(a); }
};
struct RoundDigitsOp {
  static double apply(double a, int64_t n) {
    if (n > 300 || n < -300 || !std::isfinite(a)) return n < -300 ? 0.0 * a : a;
    double scale = std::pow(10.0, static_cast<double>(n));
    double r = std::round(a * scale) / scale;
    return std::isfinite(r) ? r : a;
  }
};
struct TruncOp {
  static double apply(double a) { return std::trunc(a); }
};
struct TruncDigitsOp {
  static double apply(double a, int64_t n) {
    if (n > 300 || n < -300 || !std::isfinite(a)) return a;
    double scale = std::pow(10.0, static_cast<double>(n));
    return std::trunc(a * scale) / scale;
  }
};
struct CeilOp {
  static double apply(double a) { return std::ceil(a); }
};
struct FloorOp {
  static double apply(double a) { return std::floor(a); }
};
struct SqrtOp {
  static bool apply(double a, double& r) {
    if (a < 0) return false;
    r = std::sqrt(a);
    return true;
  }
  static std::string error(double a) { return "argument to SQRT cannot be negative: " + detail::show(a); }
};
struct PowOp {
  static bool apply(double a, double b, double& r) {
    r = std::pow(a, b);
    if (std::isfinite(a) && std::isfinite(b) && !std::isfinite(r)) return false;
    return true;
  }
  static std::string error(double a, double b) {
    return (a == 0 && b < 0 ? "division by zero: POW(" : "floating point overflow: POW(") + detail::show(a) + ", " +
           detail::show(b) + ")";
  }
};
struct ExpOp {
  static bool apply(double a, double& r) {
    r = std::exp(a);
    return std::isfinite(r) || !std::isfinite(a);
  }
  static std::string error(double a) { return "floating point overflow: EXP(" + detail::show(a) + ")"; }
};
struct LnOp {
  static bool apply(double a, double& r) {
    if (a <= 0) return false;
    r = std::log(a);
    return true;
  }
  static std::string error(double a) { return "argument to LN must be positive: " + detail::show(a); }
};
struct Log10Op {
  static bool apply(double a, double& r) {
    if (a <= 0) return false;
    r = std::log10(a);
    return true;
  }
  static std::string error(double a) { return "argument to LOG10 must be positive: " + detail::show(a); }
};
struct LogBaseOp {
  static bool apply(double a, double b, double& r) {
    if (a <= 0 || b <= 0 || b == 1) return false;
    r = std::log(a) / std::log(b);
    return true;
  }
  static std::string error(double a, double b) {
    return "LOG(" + detail::show(a) + ", " + detail::show(b) + ") is undefined: both arguments must be positive and the base not 1";
  }
};
struct ModOp {
  static bool apply(int64_t a, int64_t b, int64_t& r) {
    if (b == 0) return false;
    r = b == -1 ? 0 : a % b;  // the sign of the dividend, as BigQuery
    return true;
  }
  static std::string error(int64_t a, int64_t b) { return "division by zero: MOD(" + std::to_string(a) + ", " + std::to_string(b) + ")"; }
};
struct ModDoubleOp {
  static bool apply(double a, double b, double& r) {
    if (b == 0) return false;
    r = std::fmod(a, b);
    return true;
  }
  static std::string error(double a, double b) { return "division by zero: MOD(" + detail::show(a) + ", " + detail::show(b) + ")"; }
};
struct DivOp {
  static bool apply(int64_t a, int64_t b, int64_t& r) {
    if (b == 0 || (a == INT64_MIN && b == -1)) return false;
    r = a / b;  // rounds toward zero, as BigQuery
    return true;
  }
  static std::string error(int64_t a, int64_t b) {
    return (b == 0 ? "division by zero: DIV(" : "int64 overflow: DIV(") + std::to_string(a) + ", " + std::to_string(b) + ")";
  }
};
struct IeeeDivideOp {
  static double apply(double a, double b) { return a / b; }
};
struct IsNanOp {
  static bool apply(double a) { return std::isnan(a); }
};
struct IsInfOp {
  static bool apply(double a) { return std::isinf(a); }
};

struct AbsFunction {
  static constexpr std::string_view name = "abs", doc = "ABS(x): absolute value";
  static FunctionSet overloads() { return {unary<int64_t, int64_t, AbsIntOp>(), unary<double, double, AbsDoubleOp>()}; }
};
struct SignFunction {
  static constexpr std::string_view name = "sign", doc = "SIGN(x): -1, 0 or 1";
  static FunctionSet overloads() { return {unary<int64_t, int64_t, SignIntOp>(), unary<double, double, SignDoubleOp>()}; }
};
struct RoundFunction {
  static constexpr std::string_view name = "round", doc = "ROUND(x [, n]): x rounded half away from zero to n decimal places";
  static FunctionSet overloads() { return {unary<double, double, RoundOp>(), binary<double, int64_t, double, RoundDigitsOp>()}; }
};
struct TruncFunction {
  static constexpr std::string_view name = "trunc", doc = "TRUNC(x [, n]): x rounded toward zero to n decimal places";
  static FunctionSet overloads() { return {unary<double, double, TruncOp>(), binary<double, int64_t, double, TruncDigitsOp>()}; }
};
struct CeilFunction {
  static constexpr std::string_view name = "ceil", doc = "CEIL(x) (also CEILING): the smallest integral value >= x";
  static FunctionSet overloads() { return {unary<double, double, CeilOp>()}; }
};
struct CeilingFunction {
  static constexpr std::string_view name = "ceiling", doc = "CEILING(x): CEIL(x)";
  static FunctionSet overloads() { return {unary<double, double, CeilOp>()}; }
};
struct FloorFunction {
  static constexpr std::string_view name = "floor", doc = "FLOOR(x): the largest integral value <= x";
  static FunctionSet overloads() { return {unary<double, double, FloorOp>()}; }
};
struct SqrtFunction {
  static constexpr std::string_view name = "sqrt", doc = "SQRT(x): square root; negative x is an error";
  static FunctionSet overloads() { return {unary<double, double, SqrtOp>()}; }
};
struct PowFunction {
  static constexpr std::string_view name = "pow", doc = "POW(x, y) (also POWER): x to the power y";
  static FunctionSet overloads() { return {binary<double, double, double, PowOp>()}; }
};
struct PowerFunction {
  static constexpr std::string_view name = "power", doc = "POWER(x, y): POW(x, y)";
  static FunctionSet overloads() { return {binary<double, double, double, PowOp>()}; }
};
struct ExpFunction {
  static constexpr std::string_view name = "exp", doc = "EXP(x): e to the power x";
  static FunctionSet overloads() { return {unary<double, double, ExpOp>()}; }
};
struct LnFunction {
  static constexpr std::string_view name = "ln", doc = "LN(x): natural logarithm; x <= 0 is an error";
  static FunctionSet overloads() { return {unary<double, double, LnOp>()}; }
};
struct LogFunction {
  static constexpr std::string_view name = "log", doc = "LOG(x [, base]): natural logarithm, or to the given base";
  static FunctionSet overloads() { return {unary<double, double, LnOp>(), binary<double, double, double, LogBaseOp>()}; }
};
struct Log10Function {
  static constexpr std::string_view name = "log10", doc = "LOG10(x): base-10 logarithm";
  static FunctionSet overloads() { return {unary<double, double, Log10Op>()}; }
};
struct ModFunction {
  static constexpr std::string_view name = "mod", doc = "MOD(x, y): remainder of x / y with the sign of x; y = 0 is an error";
  static FunctionSet overloads() {
    return {binary<int64_t, int64_t, int64_t, ModOp>(), binary<double, double, double, ModDoubleOp>()};
  }
};
struct DivFunction {
  static constexpr std::string_view name = "div", doc = "DIV(x, y): integer division rounding toward zero; y = 0 is an error";
  static FunctionSet overloads() { return {binary<int64_t, int64_t, int64_t, DivOp>()}; }
};
struct IeeeDivideFunction {
  static constexpr std::string_view name = "ieee_divide", doc = "IEEE_DIVIDE(x, y): x / y with IEEE results (inf, nan) instead of errors";
  static FunctionSet overloads() { return {binary<double, double, double, IeeeDivideOp>()}; }
};
struct IsNanFunction {
  static constexpr std::string_view name = "is_nan", doc = "IS_NAN(x): TRUE for NaN";
  static FunctionSet overloads() { return {unary<double, bool, IsNanOp>()}; }
};
struct IsInfFunction {
  static constexpr std::string_view name = "is_inf", doc = "IS_INF(x): TRUE for +inf or -inf";
  static FunctionSet overloads() { return {unary<double, bool, IsInfOp>()}; }
};

}  // namespace visiondb::fn
