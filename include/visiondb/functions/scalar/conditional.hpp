// GREATEST(x, ...) and LEAST(x, ...): the largest / smallest of any number of values of one
// orderable type (INT64 and FLOAT64 mix as FLOAT64). As BigQuery: NULL if any argument is NULL,
// NaN if any FLOAT64 argument is NaN.
#pragma once

#include <vector>

#include "visiondb/functions/function.hpp"

namespace visiondb::fn {

struct GreatestFunction {
  static constexpr std::string_view name = "greatest", doc = "GREATEST(x, ...): the largest value; NULL if any is NULL";
  static sql::ResolvedScalar resolve(const std::vector<LogicalType>& args, SourceSpan span);
};
struct LeastFunction {
  static constexpr std::string_view name = "least", doc = "LEAST(x, ...): the smallest value; NULL if any is NULL";
  static sql::ResolvedScalar resolve(const std::vector<LogicalType>& args, SourceSpan span);
};

}  // namespace visiondb::fn

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/functions/detail/conditional_impl.hpp"
#endif
