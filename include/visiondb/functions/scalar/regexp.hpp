// Regular expressions with RE2 (BigQuery's engine; ZetaSQL's functions/regexp.cc is the
// reference): REGEXP_CONTAINS, REGEXP_EXTRACT / REGEXP_SUBSTR, REGEXP_EXTRACT_ALL, REGEXP_REPLACE,
// REGEXP_INSTR, for STRING (UTF-8) and BYTES (Latin-1) values. A constant pattern is compiled
// once per call site; a pattern without metacharacters becomes a plain substring search in
// REGEXP_CONTAINS. A bad pattern is an error naming it (NULL under SAFE.).
#pragma once

#include <string>
#include <string_view>

#include "visiondb/functions/function.hpp"

namespace visiondb::fn {

/// The longest literal every match of the RE2 pattern contains ("" when unsure): REGEXP_CONTAINS
/// rejects strings without it before RE2 runs.
std::string regexp_required_literal(std::string_view pattern);

struct RegexpContainsFunction {
  static constexpr std::string_view name = "regexp_contains",
                                    doc = "REGEXP_CONTAINS(value, regexp): TRUE when value has a match of the RE2 regexp";
  static FunctionSet overloads();
};
struct RegexpExtractFunction {
  static constexpr std::string_view name = "regexp_extract",
                                    doc = "REGEXP_EXTRACT(value, regexp[, position[, occurrence]]): the match (or its group)";
  static FunctionSet overloads();
};
struct RegexpSubstrFunction {
  static constexpr std::string_view name = "regexp_substr", doc = "REGEXP_SUBSTR(value, regexp[, position[, occurrence]]): REGEXP_EXTRACT";
  static FunctionSet overloads();
};
struct RegexpExtractAllFunction {
  static constexpr std::string_view name = "regexp_extract_all",
                                    doc = "REGEXP_EXTRACT_ALL(value, regexp): ARRAY of every non-overlapping match";
  static FunctionSet overloads();
};
struct RegexpReplaceFunction {
  static constexpr std::string_view name = "regexp_replace",
                                    doc = "REGEXP_REPLACE(value, regexp, replacement): matches replaced; \\\\1 names a group";
  static FunctionSet overloads();
};
struct RegexpInstrFunction {
  static constexpr std::string_view name = "regexp_instr",
                                    doc = "REGEXP_INSTR(value, regexp[, position[, occurrence[, occurrence_position]]]): match position";
  static FunctionSet overloads();
};

}  // namespace visiondb::fn

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/functions/detail/regexp_impl.hpp"
#endif
