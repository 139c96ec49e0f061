// Numeric functions with BigQuery's signatures and errors (GoogleSQL mathematical_functions;
// ZetaSQL's functions/math.h is the reference): ABS, SIGN, ROUND, TRUNC, CEIL/CEILING, FLOOR,
// SQRT, CBRT, POW/POWER, EXP, LN, LOG, LOG10, MOD, DIV, IEEE_DIVIDE, IS_NAN, IS_INF, the
// trigonometric and hyperbolic functions, and SAFE_ADD / SAFE_SUBTRACT / SAFE_MULTIPLY /
// SAFE_NEGATE. INT64 arguments of the FLOAT64-only functions are converted (ROUND(2) is 2.0).
#pragma once

#include "visiondb/functions/function.hpp"

namespace visiondb::fn {

#define VISIONDB_MATH_FUNCTION(Type, sql_name, text)                              \
  struct Type {                                                                   \
    static constexpr std::string_view name = sql_name, doc = text;               \
    static FunctionSet overloads();                                               \
  };
VISIONDB_MATH_FUNCTION(AbsFunction, "abs", "ABS(x): absolute value (INT64 or FLOAT64)")
VISIONDB_MATH_FUNCTION(SignFunction, "sign", "SIGN(x): -1, 0 or +1 (NaN for NaN)")
VISIONDB_MATH_FUNCTION(RoundFunction, "round", "ROUND(x[, digits]): rounded half away from zero")
VISIONDB_MATH_FUNCTION(TruncFunction, "trunc", "TRUNC(x[, digits]): rounded toward zero")
VISIONDB_MATH_FUNCTION(CeilFunction, "ceil", "CEIL(x): smallest integral FLOAT64 >= x")
VISIONDB_MATH_FUNCTION(CeilingFunction, "ceiling", "CEILING(x): CEIL")
VISIONDB_MATH_FUNCTION(FloorFunction, "floor", "FLOOR(x): largest integral FLOAT64 <= x")
VISIONDB_MATH_FUNCTION(SqrtFunction, "sqrt", "SQRT(x): square root; negative x is an error")
VISIONDB_MATH_FUNCTION(CbrtFunction, "cbrt", "CBRT(x): cube root")
VISIONDB_MATH_FUNCTION(PowFunction, "pow", "POW(x, y): x to the power y")
VISIONDB_MATH_FUNCTION(PowerFunction, "power", "POWER(x, y): POW")
VISIONDB_MATH_FUNCTION(ExpFunction, "exp", "EXP(x): e to the power x")
VISIONDB_MATH_FUNCTION(LnFunction, "ln", "LN(x): natural logarithm")
VISIONDB_MATH_FUNCTION(LogFunction, "log", "LOG(x[, base]): logarithm (natural without base)")
VISIONDB_MATH_FUNCTION(Log10Function, "log10", "LOG10(x): base-10 logarithm")
VISIONDB_MATH_FUNCTION(ModFunction, "mod", "MOD(x, y): remainder of integer division, with the sign of x")
VISIONDB_MATH_FUNCTION(DivFunction, "div", "DIV(x, y): integer division rounded toward zero")
VISIONDB_MATH_FUNCTION(IeeeDivideFunction, "ieee_divide", "IEEE_DIVIDE(x, y): x / y with IEEE rules (inf, NaN)")
VISIONDB_MATH_FUNCTION(IsNanFunction, "is_nan", "IS_NAN(x): TRUE for NaN")
VISIONDB_MATH_FUNCTION(IsInfFunction, "is_inf", "IS_INF(x): TRUE for +inf or -inf")
VISIONDB_MATH_FUNCTION(CosFunction, "cos", "COS(x): cosine of x radians")
VISIONDB_MATH_FUNCTION(SinFunction, "sin", "SIN(x): sine of x radians")
VISIONDB_MATH_FUNCTION(TanFunction, "tan", "TAN(x): tangent of x radians")
VISIONDB_MATH_FUNCTION(AcosFunction, "acos", "ACOS(x): arc cosine, in radians")
VISIONDB_MATH_FUNCTION(AsinFunction, "asin", "ASIN(x): arc sine, in radians")
VISIONDB_MATH_FUNCTION(AtanFunction, "atan", "ATAN(x): arc tangent, in radians")
VISIONDB_MATH_FUNCTION(Atan2Function, "atan2", "ATAN2(y, x): angle of the point (x, y), in radians")
VISIONDB_MATH_FUNCTION(CoshFunction, "cosh", "COSH(x): hyperbolic cosine")
VISIONDB_MATH_FUNCTION(SinhFunction, "sinh", "SINH(x): hyperbolic sine")
VISIONDB_MATH_FUNCTION(TanhFunction, "tanh", "TANH(x): hyperbolic tangent")
VISIONDB_MATH_FUNCTION(AcoshFunction, "acosh", "ACOSH(x): inverse hyperbolic cosine")
VISIONDB_MATH_FUNCTION(AsinhFunction, "asinh", "ASINH(x): inverse hyperbolic sine")
VISIONDB_MATH_FUNCTION(AtanhFunction, "atanh", "ATANH(x): inverse hyperbolic tangent")
VISIONDB_MATH_FUNCTION(SafeAddFunction, "safe_add", "SAFE_ADD(x, y): x + y, NULL on overflow")
VISIONDB_MATH_FUNCTION(SafeSubtractFunction, "safe_subtract", "SAFE_SUBTRACT(x, y): x - y, NULL on overflow")
VISIONDB_MATH_FUNCTION(SafeMultiplyFunction, "safe_multiply", "SAFE_MULTIPLY(x, y): x * y, NULL on overflow")
VISIONDB_MATH_FUNCTION(SafeNegateFunction, "safe_negate", "SAFE_NEGATE(x): -x, NULL on overflow")
#undef VISIONDB_MATH_FUNCTION

}  // namespace visiondb::fn

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/functions/detail/math_impl.hpp"
#endif
