// Forest prediction: rows in blocks, in parallel; each block walks every tree in order, so the
// sums are the same whatever the thread count.
#pragma once

#include <algorithm>

#include "visiondb/common/error.hpp"
#include "visiondb/common/parallel.hpp"
#include "visiondb/ml/forest/forest.hpp"

namespace visiondb::ml {

VISIONDB_INLINE std::vector<float> Forest::predict_binned(const BinnedMatrix& m) const {
  const size_t n = m.rows, width = outputs();
  std::vector<float> out(n * width, 0.0f);
  if (trees.empty() || n == 0) return out;
  const float scale = 1.0f / static_cast<float>(trees.size());
  constexpr size_t kBlock = 64;
  visiondb::parallel_for(0, (n + kBlock - 1) / kBlock, 1, [&](size_t b0, size_t b1) {
    for (size_t blk = b0; blk < b1; ++blk) {
      const size_t r0 = blk * kBlock, r1 = std::min(n, r0 + kBlock);
      float* acc = out.data() + r0 * width;
      for (const Tree& t : trees) {
        if (width == 1) {
          for (size_t i = r0; i < r1; ++i) acc[i - r0] += *t.leaf_values(m.row(i));
        } else {
          for (size_t i = r0; i < r1; ++i) {
            const float* v = t.leaf_values(m.row(i));
            float* a = acc + (i - r0) * width;
            for (size_t k = 0; k < width; ++k) a[k] += v[k];
          }
        }
      }
      for (size_t j = 0; j < (r1 - r0) * width; ++j) acc[j] *= scale;
    }
  });
  return out;
}

VISIONDB_INLINE std::vector<float> Forest::predict_proba(const FeatureTable& table) const {
  if (task != ForestTask::Classification)
    visiondb::detail::throw_invalid_argument("class probabilities need a classifier; this model is a regressor");
  return predict_binned(binner.transform(table));
}

VISIONDB_INLINE std::vector<int32_t> Forest::predict_class(const FeatureTable& table) const {
  std::vector<float> p = predict_proba(table);
  const size_t k = num_classes(), n = table.rows();
  std::vector<int32_t> out(n);
  for (size_t i = 0; i < n; ++i) {
    const float* r = p.data() + i * k;
    out[i] = static_cast<int32_t>(std::max_element(r, r + k) - r);
  }
  return out;
}

VISIONDB_INLINE std::vector<double> Forest::predict_value(const FeatureTable& table) const {
  if (task != ForestTask::Regression)
    visiondb::detail::throw_invalid_argument("numeric predictions need a regressor; this model is a classifier");
  std::vector<float> p = predict_binned(binner.transform(table));
  return std::vector<double>(p.begin(), p.end());
}

VISIONDB_INLINE std::vector<FeatureImportance> Forest::feature_importance() const {
  std::vector<FeatureImportance> out(binner.features());
  for (size_t f = 0; f < out.size(); ++f) {
    out[f].feature = binner.feature(f).name;
    if (f < split_count.size()) {
      out[f].weight = split_count[f];
      out[f].gain = split_gain[f];
      out[f].cover = split_cover[f];
    }
  }
  return out;
}

}  // namespace visiondb::ml
