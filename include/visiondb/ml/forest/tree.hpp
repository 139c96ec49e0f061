// Tree: one decision tree as flat arrays (nodes in one vector, leaf outputs in another), walked
// on the float32 values of RowEncoder. A node's children are adjacent, so a node stores only
// its left child. Pure leaves of a classifier share one-hot outputs at the start of `values`.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace visiondb::ml {

/// One node: a split (left >= 0) or a leaf (left == -1).
struct TreeNode {
  int32_t left = -1;         ///< left child; the right child is left + 1; -1 for a leaf
  int32_t feature = 0;       ///< split feature; for a leaf, the offset of its outputs in Tree::values
  float threshold = 0;       ///< rows with value <= threshold go left, others right
  uint8_t missing_left = 0;  ///< where NULL (NaN) goes
  uint8_t reserved[3] = {0, 0, 0};

  bool is_leaf() const noexcept { return left < 0; }
  /// Whether a row with this value of the split feature goes left.
  bool goes_left(float v) const noexcept { return v <= threshold || (missing_left && v != v); }
};

/// A decision tree: nodes (root first) and `width` outputs per leaf (class probabilities, or one
/// mean for regression).
struct Tree {
  std::vector<TreeNode> nodes;
  std::vector<float> values;
  int32_t width = 1;

  /// The outputs of the leaf that a row (RowEncoder's values) reaches.
  const float* leaf_values(const float* row) const noexcept {
    const TreeNode* n = nodes.data();
    int32_t i = 0;
    while (n[i].left >= 0) i = n[i].left + (n[i].goes_left(row[n[i].feature]) ? 0 : 1);
    return values.data() + n[i].feature;
  }

  size_t leaves() const noexcept { return (nodes.size() + 1) / 2; }
  /// The longest root-to-leaf path, in edges.
  int32_t depth() const {
    if (nodes.empty()) return 0;
    std::vector<int32_t> d(nodes.size(), 0);
    int32_t best = 0;
    for (size_t i = 0; i < nodes.size(); ++i) {  // children always come after their parent
      if (nodes[i].left < 0) continue;
      auto l = static_cast<size_t>(nodes[i].left);
      d[l] = d[l + 1] = d[i] + 1;
      best = std::max(best, d[i] + 1);
    }
    return best;
  }
};

}  // namespace visiondb::ml
