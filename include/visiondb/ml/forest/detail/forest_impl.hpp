// Forest prediction: rows in blocks, in parallel; each block walks every tree in order, so the
// sums are the same whatever the thread count.
#pragma once

#include <algorithm>
#include <cstring>

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

namespace detail {

// Prediction over many rows re-encodes the trees with 8-byte nodes (half the cache footprint of
// TreeNode): a threshold and one word holding the left child, the NULL direction and the
// feature; a leaf has word 0 and the offset of its outputs in place of the threshold.
struct CompactNode {
  float threshold;
  uint32_t word;
};

struct CompactForest {
  std::vector<std::vector<CompactNode>> trees;
  uint32_t feature_bits = 1;
};

// False when a tree has too many nodes for the word (the caller keeps TreeNode).
inline bool compact_forest(const std::vector<Tree>& trees, size_t features, CompactForest& out) {
  uint32_t fb = 1;
  while ((size_t{1} << fb) < features) ++fb;
  if (fb > 24) return false;
  for (const Tree& t : trees)
    if (t.nodes.size() >= (size_t{1} << (31 - fb))) return false;
  out.feature_bits = fb;
  out.trees.resize(trees.size());
  visiondb::parallel_for_each_index(0, trees.size(), [&](size_t i) {
    const std::vector<TreeNode>& src = trees[i].nodes;
    std::vector<CompactNode>& dst = out.trees[i];
    dst.resize(src.size());
    for (size_t j = 0; j < src.size(); ++j) {
      const TreeNode& n = src[j];
      if (n.left < 0) {
        const auto offset = static_cast<uint32_t>(n.feature);
        std::memcpy(&dst[j].threshold, &offset, sizeof offset);
        dst[j].word = 0;
      } else {
        dst[j].threshold = n.threshold;
        dst[j].word = (static_cast<uint32_t>(n.left) << (fb + 1)) | (static_cast<uint32_t>(n.missing_left != 0) << fb) |
                      static_cast<uint32_t>(n.feature);
      }
    }
  });
  return true;
}

// predict_encoded on the compact trees: the same walk, the same sums in the same order.
inline void predict_compact(const CompactForest& forest, const std::vector<Tree>& trees, const float* rows, size_t count,
                            size_t p, size_t width, float* out) {
  std::fill(out, out + count * width, 0.0f);
  const uint32_t fb = forest.feature_bits, fmask = (uint32_t{1} << fb) - 1;
  constexpr size_t kGroup = 16;
  for (size_t t = 0; t < trees.size(); ++t) {
    const CompactNode* nodes = forest.trees[t].data();
    const float* values = trees[t].values.data();
    for (size_t g0 = 0; g0 < count; g0 += kGroup) {
      const size_t g = std::min(kGroup, count - g0);
      uint32_t at[kGroup] = {};
      bool moving = true;
      while (moving) {
        moving = false;
        for (size_t j = 0; j < g; ++j) {
          const CompactNode n = nodes[at[j]];
          if (n.word == 0) continue;
          const float v = rows[(g0 + j) * p + (n.word & fmask)];
          const uint32_t right = static_cast<uint32_t>(!(v <= n.threshold)) & ~(((n.word >> fb) & 1u) & static_cast<uint32_t>(v != v));
          at[j] = (n.word >> (fb + 1)) + right;
          moving = true;
        }
      }
      for (size_t j = 0; j < g; ++j) {
        uint32_t offset;
        std::memcpy(&offset, &nodes[at[j]].threshold, sizeof offset);
        const float* v = values + offset;
        float* a = out + (g0 + j) * width;
        for (size_t k = 0; k < width; ++k) a[k] += v[k];
      }
    }
  }
  const float scale = 1.0f / static_cast<float>(trees.size());
  for (size_t j = 0; j < count * width; ++j) out[j] *= scale;
}

}  // namespace detail

VISIONDB_INLINE std::vector<float> Forest::predict_raw(const FeatureTable& table) const {
  const size_t n = table.rows(), width = outputs(), p = binner.features();
  RowEncoder encoder(binner, table);
  std::vector<float> out(n * width, 0.0f);
  // Blocks of rows walk every tree in order: the same sums at any thread count. A block is about
  // 1 MB of encoded rows, so that each tree is loaded once per many rows.
  const size_t block = std::clamp<size_t>((size_t{1} << 20) / (std::max<size_t>(p, 1) * sizeof(float)), 64, 8192);
  const size_t blocks = (n + block - 1) / block;
  // Many rows: re-encoding the trees (a few ms for millions of nodes) pays for itself.
  detail::CompactForest compact;
  const bool use_compact = n >= 4096 && !trees.empty() && detail::compact_forest(trees, p, compact);
  visiondb::parallel_for_each_index(0, blocks, [&](size_t blk) {
    const size_t r0 = blk * block, r1 = std::min(n, r0 + block);
    std::vector<float> rows((r1 - r0) * p);
    encoder.encode(r0, r1, rows.data());
    if (use_compact)
      detail::predict_compact(compact, trees, rows.data(), r1 - r0, p, width, out.data() + r0 * width);
    else
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
