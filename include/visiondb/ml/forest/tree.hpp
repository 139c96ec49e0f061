// Tree: one decision tree as flat arrays (nodes in one vector, leaf outputs in another), walked
// on bin codes. A node's children are adjacent, so a node stores only its left child.
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
  uint8_t bin = 0;           ///< rows whose bin is 1..bin go left; others right
  uint8_t missing_left = 0;  ///< where NULL (bin 0) goes
  uint16_t reserved = 0;
  float threshold = 0;       ///< numeric features: x <= threshold goes left (NaN for categorical)

  bool is_leaf() const noexcept { return left < 0; }
  /// Whether a row with this bin code of the split feature goes left.
  bool goes_left(uint8_t b) const noexcept {
    // bin 0 (NULL) compares as 255 after the wrap when NULL goes right.
    return missing_left ? b <= bin : static_cast<uint8_t>(b - 1) < bin;
  }
};

/// A decision tree: nodes (root first) and `width` outputs per leaf (class probabilities, or one
/// mean for regression).
struct Tree {
  std::vector<TreeNode> nodes;
  std::vector<float> values;
  int32_t width = 1;

  /// The outputs of the leaf that a row of bin codes reaches.
  const float* leaf_values(const uint8_t* row) const noexcept {
    const TreeNode* n = nodes.data();
    int32_t i = 0;
    while (n[i].left >= 0) i = n[i].left + (n[i].goes_left(row[n[i].feature]) ? 0 : 1);
    return values.data() + n[i].feature;
  }

  size_t leaves() const noexcept { return values.size() / static_cast<size_t>(width); }
  /// The longest root-to-leaf path, in edges.
  int32_t depth() const;
};

inline int32_t Tree::depth() const {
  if (nodes.empty()) return 0;
  std::vector<int32_t> d(nodes.size(), 0);
  int32_t best = 0;
  for (size_t i = 0; i < nodes.size(); ++i) {  // children always come after their parent
    if (nodes[i].left >= 0) {
      d[static_cast<size_t>(nodes[i].left)] = d[static_cast<size_t>(nodes[i].left) + 1] = d[i] + 1;
      best = std::max(best, d[i] + 1);
    }
  }
  return best;
}

}  // namespace visiondb::ml
