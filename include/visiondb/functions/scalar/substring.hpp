// Positions and pieces of strings, BigQuery's rules (GoogleSQL string_functions; ZetaSQL's
// functions/string.cc is the reference implementation): SUBSTR/SUBSTRING, LEFT, RIGHT, STRPOS,
// INSTR, STARTS_WITH, ENDS_WITH, CONTAINS_SUBSTR, REVERSE. STRING positions count characters,
// BYTES positions count bytes; positions are 1-based and 0 means "not found".
#pragma once

#include <string>
#include <string_view>

#include "visiondb/functions/function.hpp"

namespace visiondb::fn {

// Each descriptor's overloads() lives in detail/substring_impl.hpp.
struct SubstrFunction {
  static constexpr std::string_view name = "substr",
                                    doc = "SUBSTR(value, position[, length]): part of a STRING (characters) or BYTES";
  static FunctionSet overloads();
};
struct SubstringFunction {
  static constexpr std::string_view name = "substring", doc = "SUBSTRING(value, position[, length]): SUBSTR";
  static FunctionSet overloads();
};
struct LeftFunction {
  static constexpr std::string_view name = "left", doc = "LEFT(value, length): the first length characters or bytes";
  static FunctionSet overloads();
};
struct RightFunction {
  static constexpr std::string_view name = "right", doc = "RIGHT(value, length): the last length characters or bytes";
  static FunctionSet overloads();
};
struct StrposFunction {
  static constexpr std::string_view name = "strpos",
                                    doc = "STRPOS(value, subvalue): 1-based position of the first occurrence, 0 if none";
  static FunctionSet overloads();
};
struct InstrFunction {
  static constexpr std::string_view name = "instr",
                                    doc = "INSTR(value, subvalue[, position[, occurrence]]): position of the n-th occurrence";
  static FunctionSet overloads();
};
struct StartsWithFunction {
  static constexpr std::string_view name = "starts_with", doc = "STARTS_WITH(value, prefix): TRUE when value starts with prefix";
  static FunctionSet overloads();
};
struct EndsWithFunction {
  static constexpr std::string_view name = "ends_with", doc = "ENDS_WITH(value, suffix): TRUE when value ends with suffix";
  static FunctionSet overloads();
};
struct ContainsSubstrFunction {
  static constexpr std::string_view name = "contains_substr",
                                    doc = "CONTAINS_SUBSTR(value, search): case-insensitive substring test";
  static FunctionSet overloads();
};
struct ReverseFunction {
  static constexpr std::string_view name = "reverse", doc = "REVERSE(value): characters (STRING) or bytes (BYTES) reversed";
  static FunctionSet overloads();
};

}  // namespace visiondb::fn

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/functions/detail/substring_impl.hpp"
#endif
