// REGEXP_CONTAINS(value, regexp) with RE2 (BigQuery's regular-expression engine). A constant
// pattern is compiled once per call site; a pattern without metacharacters becomes a plain
// substring search. A bad pattern is an error naming it.
#pragma once

#include <string>
#include <string_view>

#include "visiondb/functions/function.hpp"

namespace visiondb::fn {

FunctionSet regexp_contains_overloads();

/// The longest literal every match of the RE2 pattern contains ("" when unsure): strings without
/// it are rejected before RE2 runs.
std::string regexp_required_literal(std::string_view pattern);

struct RegexpContainsFunction {
  static constexpr std::string_view name = "regexp_contains",
                                    doc = "REGEXP_CONTAINS(value, regexp): TRUE when value has a match of the RE2 regexp";
  static FunctionSet overloads() { return regexp_contains_overloads(); }
};

}  // namespace visiondb::fn

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/functions/detail/regexp_impl.hpp"
#endif
