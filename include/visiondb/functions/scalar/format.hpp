// FORMAT(format_string, ...): printf-style formatting with BigQuery's specifiers and rules
// (GoogleSQL FORMAT; ZetaSQL's functions/string_format.cc is the reference): %d %i %o %x %X
// (INT64), %f %F %e %E %g %G (FLOAT64), %s (STRING), %t / %T (any type, as text / as a literal),
// %%; flags - + space # 0 and ' (digit grouping), width and precision (also as * arguments).
// A NULL argument makes the result NULL, except under %t / %T where it prints NULL. A constant
// format string is parsed once per call site.
#pragma once

#include <vector>

#include "visiondb/functions/function.hpp"

namespace visiondb::fn {

struct FormatFunction {
  static constexpr std::string_view name = "format",
                                    doc = "FORMAT(format_string, value, ...): printf-style text (%d %s %f %g %t %T %%)";
  static sql::ResolvedScalar resolve(const std::vector<LogicalType>& args, SourceSpan span);
};

}  // namespace visiondb::fn

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/functions/detail/format_impl.hpp"
#endif
