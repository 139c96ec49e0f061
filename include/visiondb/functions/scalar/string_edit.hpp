// Strings rewritten: LOWER, UPPER, INITCAP, REPLACE, TRIM, LTRIM, RTRIM, LPAD, RPAD, REPEAT, with
// BigQuery's rules (GoogleSQL string_functions; ZetaSQL's functions/string.cc): STRING works on
// characters, BYTES on bytes (LOWER/UPPER of BYTES touch ASCII only); outputs of REPLACE, REPEAT,
// LPAD and RPAD are limited to 1 MB.
#pragma once

#include <string_view>

#include "visiondb/functions/function.hpp"

namespace visiondb::fn {

struct LowerFunction {
  static constexpr std::string_view name = "lower", doc = "LOWER(value): lower case (Unicode for STRING, ASCII for BYTES)";
  static FunctionSet overloads();
};
struct UpperFunction {
  static constexpr std::string_view name = "upper", doc = "UPPER(value): upper case (Unicode for STRING, ASCII for BYTES)";
  static FunctionSet overloads();
};
struct InitcapFunction {
  static constexpr std::string_view name = "initcap",
                                    doc = "INITCAP(value[, delimiters]): first character of each word upper case, the rest lower";
  static FunctionSet overloads();
};
struct ReplaceFunction {
  static constexpr std::string_view name = "replace",
                                    doc = "REPLACE(value, from, to): every occurrence of from replaced by to";
  static FunctionSet overloads();
};
struct TrimFunction {
  static constexpr std::string_view name = "trim",
                                    doc = "TRIM(value[, chars]): leading and trailing whitespace (or chars) removed";
  static FunctionSet overloads();
};
struct LtrimFunction {
  static constexpr std::string_view name = "ltrim", doc = "LTRIM(value[, chars]): leading whitespace (or chars) removed";
  static FunctionSet overloads();
};
struct RtrimFunction {
  static constexpr std::string_view name = "rtrim", doc = "RTRIM(value[, chars]): trailing whitespace (or chars) removed";
  static FunctionSet overloads();
};
struct LpadFunction {
  static constexpr std::string_view name = "lpad",
                                    doc = "LPAD(value, length[, pattern]): value left-padded (or cut) to length";
  static FunctionSet overloads();
};
struct RpadFunction {
  static constexpr std::string_view name = "rpad",
                                    doc = "RPAD(value, length[, pattern]): value right-padded (or cut) to length";
  static FunctionSet overloads();
};
struct RepeatFunction {
  static constexpr std::string_view name = "repeat", doc = "REPEAT(value, n): value repeated n times";
  static FunctionSet overloads();
};

}  // namespace visiondb::fn

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/functions/detail/string_edit_impl.hpp"
#endif
