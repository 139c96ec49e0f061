// Split criteria. A split's quality is the decrease of weighted impurity, W*I(parent) -
// W_L*I(left) - W_R*I(right), which for Gini and variance reduces to sums of squares:
//   Gini:      sum_k L_k^2 / W_L + sum_k R_k^2 / W_R - sum_k T_k^2 / W   (L_k: class weights left)
//   variance:  S_L^2 / W_L + S_R^2 / W_R - S^2 / W                       (S: weighted target sums)
// so the scan over thresholds keeps running sums of squares instead of recomputing impurities.
#pragma once

#include <cstddef>

namespace visiondb::ml {

/// Gini impurity 1 - sum_k (c_k / W)^2 of class weights c (k entries).
inline double gini_impurity(const double* c, size_t k) noexcept {
  double w = 0, sq = 0;
  for (size_t j = 0; j < k; ++j) {
    w += c[j];
    sq += c[j] * c[j];
  }
  return w > 0 ? 1.0 - sq / (w * w) : 0.0;
}

/// Weighted variance from weight W, sum S and sum of squares Q.
inline double weighted_variance(double w, double s, double q) noexcept {
  if (w <= 0) return 0.0;
  double m = s / w;
  double v = q / w - m * m;
  return v > 0 ? v : 0.0;
}

}  // namespace visiondb::ml
