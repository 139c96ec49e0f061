// Out-of-line parts of scalar/math.hpp.
#pragma once

#include <cfloat>
#include <cmath>
#include <string>

#include "visiondb/config.hpp"
#include "visiondb/functions/scalar/arithmetic.hpp"
#include "visiondb/functions/scalar/math.hpp"
#include "visiondb/storage/detail/format.hpp"

namespace visiondb::fn::detail {

inline std::string call_text(const char* fn, double a) { return std::string(fn) + "(" + num(a) + ")"; }
inline std::string call_text(const char* fn, double a, double b) {
  return std::string(fn) + "(" + num(a) + ", " + num(b) + ")";
}

struct AbsIntOp {
  static bool apply(int64_t v, int64_t& r) {
    if (v == INT64_MIN) return false;
    r = v < 0 ? -v : v;
    return true;
  }
  static std::string error(int64_t v) { return "int64 overflow: ABS(" + std::to_string(v) + ")"; }
};
struct AbsDoubleOp {
  static double apply(double v) { return std::fabs(v); }
};
struct SignIntOp {
  static int64_t apply(int64_t v) { return (v > 0) - (v < 0); }
};
struct SignDoubleOp {
  static double apply(double v) { return std::isnan(v) ? v : static_cast<double>((v > 0) - (v < 0)); }
};
struct RoundOp {
  static double apply(double v) { return std::round(v); }
};
struct TruncOp {
  static double apply(double v) { return std::trunc(v); }
};
struct CeilOp {
  static double apply(double v) { return std::ceil(v); }
};
struct FloorOp {
  static double apply(double v) { return std::floor(v); }
};

// ROUND(x, d) / TRUNC(x, d) as ZetaSQL's RoundDecimal: x / 10^-d rounded, times 10^-d, in long
// double; powers of ten by repeated multiplication so whole numbers round exactly.
inline long double pow10l_exact(int e) {
  long double p = 1;
  for (int k = 0; k < (e < 0 ? -e : e); ++k) p *= 10;
  return e < 0 ? 1 / p : p;
}
template <bool Round>
struct RoundDigitsOp {
  static bool apply(double v, int64_t digits, double& r) {
    constexpr int kMaxExp = 308, kMinExp = -307 - 15 - 1;  // double's decimal exponent range
    if (digits < -kMaxExp) {
      r = 0.0;
      return true;
    }
    if (digits > -kMinExp || !std::isfinite(v)) {
      r = v;
      return true;
    }
    const long double scale = pow10l_exact(static_cast<int>(-digits));
    const long double x = static_cast<long double>(v) / scale;
    const long double out = (Round ? roundl(x) : truncl(x)) * scale;
    if (out > static_cast<long double>(DBL_MAX) || out < -static_cast<long double>(DBL_MAX)) return false;
    r = static_cast<double>(out);
    return true;
  }
  static std::string error(double v, int64_t digits) {
    return "floating point overflow in function: " + std::string(Round ? "ROUND" : "TRUNC") + "(" + num(v) + ", " +
           std::to_string(digits) + ")";
  }
};

struct SqrtOp {
  static bool apply(double v, double& r) {
    if (v < 0) return false;
    r = std::sqrt(v);
    return true;
  }
  static std::string error(double v) { return "argument to SQRT cannot be negative: " + num(v); }
};

// A FLOAT64 function that is an error when a finite input gives a non-finite result.
#define VISIONDB_CHECKED_UNARY(Op, sql, expr, kind)                                     \
  struct Op {                                                                           \
    static bool apply(double v, double& r) {                                            \
      r = expr;                                                                         \
      return std::isfinite(r) || !std::isfinite(v);                                     \
    }                                                                                   \
    static std::string error(double v) { return "floating point " kind " in function: " + call_text(sql, v); } \
  };
VISIONDB_CHECKED_UNARY(ExpOp, "EXP", std::exp(v), "error")
VISIONDB_CHECKED_UNARY(LnOp, "LN", std::log(v), "error")
VISIONDB_CHECKED_UNARY(Log10Op, "LOG10", std::log10(v), "error")
VISIONDB_CHECKED_UNARY(AcosOp, "ACOS", std::acos(v), "error")
VISIONDB_CHECKED_UNARY(AsinOp, "ASIN", std::asin(v), "error")
VISIONDB_CHECKED_UNARY(AcoshOp, "ACOSH", std::acosh(v), "error")
VISIONDB_CHECKED_UNARY(AtanhOp, "ATANH", std::atanh(v), "error")
VISIONDB_CHECKED_UNARY(CoshOp, "COSH", std::cosh(v), "overflow")
VISIONDB_CHECKED_UNARY(SinhOp, "SINH", std::sinh(v), "overflow")
VISIONDB_CHECKED_UNARY(TanOp, "TAN", std::tan(v), "overflow")
#undef VISIONDB_CHECKED_UNARY

#define VISIONDB_PLAIN_UNARY(Op, expr) \
  struct Op {                          \
    static double apply(double v) { return expr; } \
  };
VISIONDB_PLAIN_UNARY(CbrtOp, std::cbrt(v))
VISIONDB_PLAIN_UNARY(CosOp, std::cos(v))
VISIONDB_PLAIN_UNARY(SinOp, std::sin(v))
VISIONDB_PLAIN_UNARY(AtanOp, std::atan(v))
VISIONDB_PLAIN_UNARY(TanhOp, std::tanh(v))
VISIONDB_PLAIN_UNARY(AsinhOp, std::asinh(v))
#undef VISIONDB_PLAIN_UNARY

struct PowOp {
  static bool apply(double a, double b, double& r) {
    r = std::pow(a, b);
    return std::isfinite(r) || !std::isfinite(a) || !std::isfinite(b);
  }
  static std::string error(double a, double b) { return "floating point error in function: " + call_text("POW", a, b); }
};
struct LogBaseOp {
  static bool apply(double a, double b, double& r) {
    r = std::isfinite(b) && b > 0 ? std::log(a) / std::log(b) : NAN;
    return std::isfinite(r) || !std::isfinite(a) || !std::isfinite(b);
  }
  static std::string error(double a, double b) { return "floating point error in function: " + call_text("LOG", a, b); }
};
struct Atan2Op {
  static bool apply(double a, double b, double& r) {
    r = std::atan2(a, b);
    return std::isfinite(r) || !std::isfinite(a) || !std::isfinite(b);
  }
  static std::string error(double a, double b) { return "floating point error in function: " + call_text("ATAN2", a, b); }
};
struct IeeeDivideOp {
  static double apply(double a, double b) { return a / b; }
};
struct IsNanOp {
  static bool apply(double v) { return std::isnan(v); }
};
struct IsInfOp {
  static bool apply(double v) { return std::isinf(v); }
};

struct ModOp {
  static bool apply(int64_t a, int64_t b, int64_t& r) {
    if (b == 0) return false;
    r = b == -1 ? 0 : a % b;  // INT64_MIN % -1 is 0, not a trap
    return true;
  }
  static std::string error(int64_t a, int64_t b) {
    return "division by zero: MOD(" + std::to_string(a) + ", " + std::to_string(b) + ")";
  }
};
struct DivOp {
  static bool apply(int64_t a, int64_t b, int64_t& r) {
    if (b == 0 || (a == INT64_MIN && b == -1)) return false;
    r = a / b;
    return true;
  }
  static std::string error(int64_t a, int64_t b) {
    return std::string(b == 0 ? "division by zero" : "int64 overflow") + ": DIV(" + std::to_string(a) + ", " +
           std::to_string(b) + ")";
  }
};

/// Runs another overload with SAFE. always on (SAFE_ADD is SAFE.(+)).
class AlwaysSafeFunction final : public ScalarFunction {
 public:
  explicit AlwaysSafeFunction(std::shared_ptr<ScalarFunction> inner)
      : ScalarFunction("", inner->arg_types(), inner->return_type()), inner_(std::move(inner)) {}
  void execute(std::span<const ColumnView> args, size_t rows, Column& out, const FunctionContext& ctx) const override {
    FunctionContext safe = ctx;
    safe.safe = true;
    inner_->execute(args, rows, out, safe);
  }

 private:
  std::shared_ptr<ScalarFunction> inner_;
};
inline FunctionSet always_safe(FunctionSet set) {
  for (auto& f : set) f = std::make_shared<AlwaysSafeFunction>(f);
  return set;
}

}  // namespace visiondb::fn::detail

namespace visiondb::fn {

#define VISIONDB_DOUBLE_UNARY(Type, Op) \
  VISIONDB_INLINE FunctionSet Type::overloads() { return {unary<double, double, detail::Op>()}; }
VISIONDB_DOUBLE_UNARY(CeilFunction, CeilOp)
VISIONDB_DOUBLE_UNARY(CeilingFunction, CeilOp)
VISIONDB_DOUBLE_UNARY(FloorFunction, FloorOp)
VISIONDB_DOUBLE_UNARY(SqrtFunction, SqrtOp)
VISIONDB_DOUBLE_UNARY(CbrtFunction, CbrtOp)
VISIONDB_DOUBLE_UNARY(ExpFunction, ExpOp)
VISIONDB_DOUBLE_UNARY(LnFunction, LnOp)
VISIONDB_DOUBLE_UNARY(Log10Function, Log10Op)
VISIONDB_DOUBLE_UNARY(CosFunction, CosOp)
VISIONDB_DOUBLE_UNARY(SinFunction, SinOp)
VISIONDB_DOUBLE_UNARY(TanFunction, TanOp)
VISIONDB_DOUBLE_UNARY(AcosFunction, AcosOp)
VISIONDB_DOUBLE_UNARY(AsinFunction, AsinOp)
VISIONDB_DOUBLE_UNARY(AtanFunction, AtanOp)
VISIONDB_DOUBLE_UNARY(CoshFunction, CoshOp)
VISIONDB_DOUBLE_UNARY(SinhFunction, SinhOp)
VISIONDB_DOUBLE_UNARY(TanhFunction, TanhOp)
VISIONDB_DOUBLE_UNARY(AcoshFunction, AcoshOp)
VISIONDB_DOUBLE_UNARY(AsinhFunction, AsinhOp)
VISIONDB_DOUBLE_UNARY(AtanhFunction, AtanhOp)
#undef VISIONDB_DOUBLE_UNARY

VISIONDB_INLINE FunctionSet AbsFunction::overloads() {
  return {unary<int64_t, int64_t, detail::AbsIntOp>(), unary<double, double, detail::AbsDoubleOp>()};
}
VISIONDB_INLINE FunctionSet SignFunction::overloads() {
  return {unary<int64_t, int64_t, detail::SignIntOp>(), unary<double, double, detail::SignDoubleOp>()};
}
VISIONDB_INLINE FunctionSet RoundFunction::overloads() {
  return {unary<double, double, detail::RoundOp>(), binary<double, int64_t, double, detail::RoundDigitsOp<true>>()};
}
VISIONDB_INLINE FunctionSet TruncFunction::overloads() {
  return {unary<double, double, detail::TruncOp>(), binary<double, int64_t, double, detail::RoundDigitsOp<false>>()};
}
VISIONDB_INLINE FunctionSet PowFunction::overloads() { return {binary<double, double, double, detail::PowOp>()}; }
VISIONDB_INLINE FunctionSet PowerFunction::overloads() { return PowFunction::overloads(); }
VISIONDB_INLINE FunctionSet LogFunction::overloads() {
  return {unary<double, double, detail::LnOp>(), binary<double, double, double, detail::LogBaseOp>()};
}
VISIONDB_INLINE FunctionSet Atan2Function::overloads() { return {binary<double, double, double, detail::Atan2Op>()}; }
VISIONDB_INLINE FunctionSet ModFunction::overloads() { return {binary<int64_t, int64_t, int64_t, detail::ModOp>()}; }
VISIONDB_INLINE FunctionSet DivFunction::overloads() { return {binary<int64_t, int64_t, int64_t, detail::DivOp>()}; }
VISIONDB_INLINE FunctionSet IeeeDivideFunction::overloads() {
  return {binary<double, double, double, detail::IeeeDivideOp>()};
}
VISIONDB_INLINE FunctionSet IsNanFunction::overloads() { return {unary<double, bool, detail::IsNanOp>()}; }
VISIONDB_INLINE FunctionSet IsInfFunction::overloads() { return {unary<double, bool, detail::IsInfOp>()}; }
VISIONDB_INLINE FunctionSet SafeAddFunction::overloads() { return detail::always_safe(AddFunction::overloads()); }
VISIONDB_INLINE FunctionSet SafeSubtractFunction::overloads() {
  FunctionSet set = SubtractFunction::overloads();
  set.resize(2);  // the binary overloads; unary minus is SAFE_NEGATE
  return detail::always_safe(std::move(set));
}
VISIONDB_INLINE FunctionSet SafeMultiplyFunction::overloads() { return detail::always_safe(MultiplyFunction::overloads()); }
VISIONDB_INLINE FunctionSet SafeNegateFunction::overloads() {
  FunctionSet set = SubtractFunction::overloads();
  return detail::always_safe({set[2], set[3]});
}

}  // namespace visiondb::fn
