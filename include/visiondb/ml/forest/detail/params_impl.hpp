// ForestParams::validate and the preset defaults.
#pragma once

#include <cmath>
#include <string>

#include "visiondb/common/error.hpp"
#include "visiondb/ml/forest/params.hpp"

namespace visiondb::ml {

namespace detail {
[[noreturn]] inline void bad_option(const char* name, const std::string& value, const char* expected) {
  visiondb::detail::throw_invalid_argument("random forest option " + std::string(name) + " = " + value +
                                           " is invalid: expected " + expected);
}
inline std::string num(double v) {
  std::string s = std::to_string(v);
  while (s.size() > 1 && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}
}  // namespace detail

VISIONDB_INLINE void ForestParams::validate() const {
  using detail::bad_option;
  using detail::num;
  if (num_trees < 1 || num_trees > 100000) bad_option("num_parallel_tree", num(num_trees), "an integer in [1, 100000]");
  if (max_depth < 0 || max_depth > 10000) bad_option("max_tree_depth", num(max_depth), "an integer in [0, 10000] (0: unlimited)");
  if (!(min_child_weight >= 0) || !std::isfinite(min_child_weight))
    bad_option("min_tree_child_weight", num(min_child_weight), "a finite number >= 0");
  if (!(subsample > 0 && subsample <= 1)) bad_option("subsample", num(subsample), "a number in (0, 1]");
  if (!(colsample_bynode > 0 && colsample_bynode <= 1))
    bad_option("colsample_bynode", num(colsample_bynode), "a number in (0, 1]");
  if (max_features < 0) bad_option("max_features", num(max_features), "an integer >= 0 (0: use colsample_bynode)");
  if (max_bins < 2 || max_bins > 255) bad_option("max_bins", num(max_bins), "an integer in [2, 255]");
  if (exact_node_rows < 0) bad_option("exact_node_rows", num(exact_node_rows), "an integer >= 0 (0: bins only)");
  if (num_threads < 0) bad_option("num_threads", num(num_threads), "an integer >= 0 (0: all)");
  if (task == ForestTask::Regression && class_weighting != ClassWeighting::None)
    visiondb::detail::throw_invalid_argument("random forest option class_weights/auto_class_weights applies to classifiers only");
  if (class_weighting == ClassWeighting::Custom) {
    if (class_weights.empty()) bad_option("class_weights", "[]", "at least one class and its weight");
    for (const auto& [name, w] : class_weights)
      if (!(w >= 0) || !std::isfinite(w))
        visiondb::detail::throw_invalid_argument("random forest option class_weights: weight of class \"" + name +
                                                 "\" is " + num(w) + ", expected a finite number >= 0");
  }
}

VISIONDB_INLINE ForestParams ForestParams::bigquery_defaults(ForestTask t) {
  ForestParams p;
  p.task = t;
  return p;
}

VISIONDB_INLINE ForestParams ForestParams::sklearn_defaults(ForestTask t) {
  ForestParams p;
  p.task = t;
  p.max_depth = 0;
  p.min_child_weight = 1.0;
  p.sampling = RowSampling::Bootstrap;
  p.subsample = 1.0;
  p.colsample_bynode = 1.0;
  p.sqrt_features = t == ForestTask::Classification;
  p.draw_policy = FeatureDrawPolicy::UntilValidSplit;
  return p;
}

VISIONDB_INLINE int32_t ForestParams::features_per_node(int32_t features) const noexcept {
  int32_t m = 0;
  if (max_features > 0)
    m = max_features;
  else if (sqrt_features)
    m = static_cast<int32_t>(std::sqrt(static_cast<double>(features)));
  else
    m = static_cast<int32_t>(std::floor(colsample_bynode * features));
  if (m < 1) m = 1;
  if (m > features) m = features;
  return m;
}

}  // namespace visiondb::ml
