// Forest prediction: rows in blocks, in parallel; each block walks every tree in order, so the
// sums are the same whatever the thread count.
#pragma once

#include <algorithm>
#include <cstring>

#include "visiondb/common/error.hpp"
#include "visiondb/common/parallel.hpp"
#include "visiondb/ml/forest/detail/compact_trees.hpp"
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

// Row blocks of about 256 KB of encoded rows (they stay in L2 while trees stream through); rows
// encoded once per span of up to 64 MB; trees re-encoded half a million nodes (4 MB) at a time,
// which bounds the compact copy and keeps the trees being walked in L3.
inline PredictTiling predict_tiling(size_t p) {
  PredictTiling t;
  const size_t row_bytes = std::max<size_t>(p, 1) * sizeof(float);
  t.block_rows = std::clamp<size_t>((size_t{256} << 10) / row_bytes, 64, 8192);
  t.span_rows = std::max(t.block_rows, ((size_t{64} << 20) / row_bytes) / t.block_rows * t.block_rows);
  t.chunk_nodes = size_t{1} << 19;
  return t;
}

VISIONDB_INLINE void predict_compact(const Forest& forest, const FeatureTable& table, CompactLayout layout, PredictTiling tiling,
                                     float* out) {
  const std::vector<Tree>& trees = forest.trees;
  const size_t n = table.rows(), width = forest.outputs(), p = forest.binner.features(), block = tiling.block_rows;
  RowEncoder encoder(forest.binner, table);
  std::fill(out, out + n * width, 0.0f);
  std::vector<float> rows;
  std::vector<CompactNode> compact;
  std::vector<size_t> start;
  for (size_t s0 = 0; s0 < n; s0 += tiling.span_rows) {
    const size_t s1 = std::min(n, s0 + tiling.span_rows), blocks = (s1 - s0 + block - 1) / block;
    rows.resize((s1 - s0) * p);
    visiondb::parallel_for_each_index(0, blocks, [&](size_t blk) {
      const size_t r0 = s0 + blk * block, r1 = std::min(s1, r0 + block);
      encoder.encode(r0, r1, rows.data() + (r0 - s0) * p);
    });
    for (size_t t0 = 0; t0 < trees.size();) {
      size_t t1 = t0, nodes = 0;
      start.assign(1, 0);
      while (t1 < trees.size() && (t1 == t0 || nodes + trees[t1].nodes.size() <= tiling.chunk_nodes)) {
        nodes += trees[t1++].nodes.size();
        start.push_back(nodes);
      }
      compact.resize(nodes);
      visiondb::parallel_for_each_index(t0, t1, [&](size_t t) { compact_tree(trees[t], layout, compact.data() + start[t - t0]); });
      // Each block walks the chunk's trees in order: every row's sum is in tree order.
      visiondb::parallel_for_each_index(0, blocks, [&](size_t blk) {
        const size_t r0 = s0 + blk * block, r1 = std::min(s1, r0 + block), m = r1 - r0;
        const float* x = rows.data() + (r0 - s0) * p;
        std::vector<uint32_t> leaf(m);
        for (size_t t = t0; t < t1; ++t) {
          compact_leaves(compact.data() + start[t - t0], layout, x, m, p, leaf.data());
          const float* values = trees[t].values.data();
          for (size_t i = 0; i < m; ++i) {
            const float* v = values + leaf[i];
            float* a = out + (r0 + i) * width;
            for (size_t k = 0; k < width; ++k) a[k] += v[k];
          }
        }
      });
      t0 = t1;
    }
  }
  const float scale = 1.0f / static_cast<float>(trees.size());
  for (size_t j = 0; j < n * width; ++j) out[j] *= scale;
}

}  // namespace detail

VISIONDB_INLINE std::vector<float> Forest::predict_raw(const FeatureTable& table) const {
  const size_t n = table.rows(), width = outputs(), p = binner.features();
  std::vector<float> out(n * width, 0.0f);
  const detail::PredictTiling tiling = detail::predict_tiling(p);
  // Many rows: re-encoding the trees (a few ms for millions of nodes) pays for itself.
  detail::CompactLayout layout;
  if (n >= 4096 && !trees.empty() && detail::compact_layout(trees, p, layout)) {
    detail::predict_compact(*this, table, layout, tiling, out.data());
    return out;
  }
  // Blocks of rows walk every tree (16-byte nodes) in order: the same sums at any thread count.
  RowEncoder encoder(binner, table);
  const size_t block = tiling.block_rows, blocks = (n + block - 1) / block;
  visiondb::parallel_for_each_index(0, blocks, [&](size_t blk) {
    const size_t r0 = blk * block, r1 = std::min(n, r0 + block), m = r1 - r0;
    std::vector<float> rows(m * p);
    encoder.encode(r0, r1, rows.data());
    std::vector<uint32_t> leaf(m);
    float* o = out.data() + r0 * width;
    if (trees.empty() || !detail::kSimdTreeWalk) {
      predict_encoded(rows.data(), m, o);
      return;
    }
    for (const Tree& t : trees) {
      detail::tree_leaves(t, rows.data(), m, p, leaf.data());
      for (size_t i = 0; i < m; ++i) {
        const float* v = t.values.data() + leaf[i];
        for (size_t k = 0; k < width; ++k) o[i * width + k] += v[k];
      }
    }
    const float scale = 1.0f / static_cast<float>(trees.size());
    for (size_t j = 0; j < m * width; ++j) o[j] *= scale;
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
