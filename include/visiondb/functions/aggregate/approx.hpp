// Approximate aggregates (GoogleSQL approximate_aggregate_functions):
// APPROX_COUNT_DISTINCT(x) is HyperLogLog++ as BigQuery uses it: exact (a set of 64-bit hashes)
// up to 4096 distinct values, then 2^15 dense registers read with Ertl's improved estimator
// (about 0.6% standard error). APPROX_QUANTILES(x, n) returns n + 1 boundaries: the minimum, the
// values at ranks ceil(i * N / n) for i = 1..n-1, and the maximum. visiondb computes them exactly
// from the group's values, which is within any approximation BigQuery allows; NULLs are ignored.
#pragma once

#include "visiondb/functions/aggregate/aggregate_states.hpp"

namespace visiondb::fn {

struct ApproxCountDistinctFunction {
  static constexpr std::string_view name = "approx_count_distinct",
                                    doc = "APPROX_COUNT_DISTINCT(x): estimated number of distinct non-NULL values";
  static AggregateSet overloads();
};
struct ApproxQuantilesFunction {
  static constexpr std::string_view name = "approx_quantiles",
                                    doc = "APPROX_QUANTILES(x, n): ARRAY of the n + 1 quantile boundaries (min .. max)";
  static AggregateSet overloads();
};

}  // namespace visiondb::fn

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/functions/detail/approx_impl.hpp"
#endif
