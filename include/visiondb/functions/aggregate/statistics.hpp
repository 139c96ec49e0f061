// Statistical aggregates with BigQuery's rules (GoogleSQL statistical_aggregate_functions):
// VAR_SAMP / VARIANCE and STDDEV_SAMP / STDDEV (NULL below two values), VAR_POP and STDDEV_POP
// (NULL without values, 0 for one), COVAR_SAMP, COVAR_POP and CORR over the pairs where neither
// value is NULL (CORR is NULL below two pairs, NaN when a variance or the covariance is 0). Any
// NaN or infinite input makes the result NaN. Welford's update and Chan's merge keep the sums
// stable; partial results merge in a fixed association per thread count.
#pragma once

#include "visiondb/functions/aggregate/aggregate_states.hpp"

namespace visiondb::fn {

#define VISIONDB_STAT_AGGREGATE(Type, sql_name, text) \
  struct Type {                                        \
    static constexpr std::string_view name = sql_name, doc = text; \
    static AggregateSet overloads();                   \
  };
VISIONDB_STAT_AGGREGATE(VarSampFunction, "var_samp", "VAR_SAMP(x): sample variance; NULL below two values")
VISIONDB_STAT_AGGREGATE(VarianceFunction, "variance", "VARIANCE(x): VAR_SAMP")
VISIONDB_STAT_AGGREGATE(VarPopFunction, "var_pop", "VAR_POP(x): population variance")
VISIONDB_STAT_AGGREGATE(StddevSampFunction, "stddev_samp", "STDDEV_SAMP(x): sample standard deviation")
VISIONDB_STAT_AGGREGATE(StddevFunction, "stddev", "STDDEV(x): STDDEV_SAMP")
VISIONDB_STAT_AGGREGATE(StddevPopFunction, "stddev_pop", "STDDEV_POP(x): population standard deviation")
VISIONDB_STAT_AGGREGATE(CovarSampFunction, "covar_samp", "COVAR_SAMP(y, x): sample covariance of the pairs")
VISIONDB_STAT_AGGREGATE(CovarPopFunction, "covar_pop", "COVAR_POP(y, x): population covariance of the pairs")
VISIONDB_STAT_AGGREGATE(CorrFunction, "corr", "CORR(y, x): Pearson correlation coefficient of the pairs")
#undef VISIONDB_STAT_AGGREGATE

}  // namespace visiondb::fn

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/functions/detail/statistics_impl.hpp"
#endif
