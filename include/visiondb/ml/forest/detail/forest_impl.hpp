// Forest prediction: rows in blocks, in parallel; each block walks every tree in order, so the
// sums are the same whatever the thread count.
#pragma once

#include <algorithm>

#include "visiondb/common/error.hpp"
#include "visiondb/common/parallel.hpp"
#include "visiondb/ml/forest/forest.hpp"

namespace visiondb::ml {

VISIONDB_INLINE void Forest::predict_encoded(const float* rows, size_t count, float* out) const {
  const size_t width = outputs(), p = binner.features();
  std::fill(out, out + count * width, 0.0f);
  if (trees.empty()) return;
  // Groups of rows descend one level at a time, so that their node loads (cache misses in deep
  // trees) overlap instead of following one another.
  constexpr size_t kGroup = 16;  // 32 measured no better
  for (const Tree& t : trees) {
    const TreeNode* nodes = t.nodes.data();
    const float* values = t.values.data();
    for (size_t g0 = 0; g0 < count; g0 += kGroup) {
      const size_t g = std::min(kGroup, count - g0);
      int32_t at[kGroup] = {};
      bool moving = true;
      while (moving) {
        moving = false;
        for (size_t j = 0; j < g; ++j) {
          const TreeNode& n = nodes[at[j]];
          if (n.left < 0) continue;
          // Branch-free: which child a row takes is a coin toss the predictor cannot learn.
          const float v = rows[(g0 + j) * p + static_cast<size_t>(n.feature)];
          const int right = static_cast<int>(!(v <= n.threshold)) & ~(static_cast<int>(n.missing_left) & static_cast<int>(v != v));
          at[j] = n.left + right;
          moving = true;
        }
      }
      for (size_t j = 0; j < g; ++j) {
        const float* v = values + nodes[at[j]].feature;
        float* a = out + (g0 + j) * width;
        for (size_t k = 0; k < width; ++k) a[k] += v[k];
      }
    }
  }
  const float scale = 1.0f / static_cast<float>(trees.size());
  for (size_t j = 0; j < count * width; ++j) out[j] *= scale;
}

VISIONDB_INLINE std::vector<float> Forest::predict_raw(const FeatureTable& table) const {
  const size_t n = table.rows(), width = outputs(), p = binner.features();
  RowEncoder encoder(binner, table);
  std::vector<float> out(n * width, 0.0f);
  // Blocks of rows walk every tree in order: the same sums at any thread count. A block is about
  // 1 MB of encoded rows, so that each tree is loaded once per many rows.
  const size_t block = std::clamp<size_t>((size_t{1} << 20) / (std::max<size_t>(p, 1) * sizeof(float)), 64, 8192);
  const size_t blocks = (n + block - 1) / block;
  visiondb::parallel_for_each_index(0, blocks, [&](size_t blk) {
    const size_t r0 = blk * block, r1 = std::min(n, r0 + block);
    std::vector<float> rows((r1 - r0) * p);
    encoder.encode(r0, r1, rows.data());
    predict_encoded(rows.data(), r1 - r0, out.data() + r0 * width);
  });
  return out;
}

VISIONDB_INLINE std::vector<float> Forest::predict_proba(const FeatureTable& table) const {
  if (task != ForestTask::Classification)
    visiondb::detail::throw_invalid_argument("class probabilities need a classifier; this model is a regressor");
  return predict_raw(table);
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
  std::vector<float> p = predict_raw(table);
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
