// The prediction walks. Over many rows, trees are re-encoded with 8-byte nodes (half the cache
// footprint of TreeNode), a few trees at a time; over a few, TreeNode is walked as it is. With
// AVX-512, 16 rows per register descend together through gathers, a row that reaches its leaf
// hands its lane to the next row, and several registers are in flight so that their loads
// overlap; without it, groups of 16 rows descend one level per step. Every walk reaches the leaf
// of Tree::leaf_values (tests/forest/predict_test.cpp).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "visiondb/ml/forest/dataset.hpp"
#include "visiondb/ml/forest/tree.hpp"

#if defined(__AVX512F__)
#include <immintrin.h>
#endif

namespace visiondb::ml::detail {

// A split: its threshold and one word holding the left child, the NULL direction and the feature
// (left << (bits + 1) | missing_left << bits | feature). A leaf: word 0 and, in place of the
// threshold, the offset of its outputs in Tree::values.
struct CompactNode {
  float threshold;
  uint32_t word;
};

struct CompactLayout {
  uint32_t feature_bits = 1;
  uint32_t feature_mask() const noexcept { return (uint32_t{1} << feature_bits) - 1; }
};

// The layout for `features` features, or false when a tree has too many nodes for the word (the
// caller then walks TreeNode).
inline bool compact_layout(const std::vector<Tree>& trees, size_t features, CompactLayout& out) {
  uint32_t fb = 1;
  while ((size_t{1} << fb) < features) ++fb;
  if (fb > 24) return false;
  for (const Tree& t : trees)
    if (t.nodes.size() >= (size_t{1} << (31 - fb)) || t.values.size() >= (size_t{1} << 31)) return false;
  out.feature_bits = fb;
  return true;
}

inline void compact_tree(const Tree& tree, CompactLayout layout, CompactNode* dst) {
  const uint32_t fb = layout.feature_bits;
  const std::vector<TreeNode>& src = tree.nodes;
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
}

// For each of `count` rows (p floats each), the offset in the tree's values of the leaf it
// reaches: the portable walk, groups of rows descending one level at a time so that their node
// loads overlap.
inline void compact_leaves_portable(const CompactNode* nodes, CompactLayout layout, const float* rows, size_t count, size_t p,
                                    uint32_t* leaf) {
  const uint32_t fb = layout.feature_bits, fmask = layout.feature_mask();
  constexpr size_t kGroup = 16;
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
        // Branch-free: which child a row takes is a coin toss the predictor cannot learn.
        const uint32_t right = static_cast<uint32_t>(!(v <= n.threshold)) & ~(((n.word >> fb) & 1u) & static_cast<uint32_t>(v != v));
        at[j] = (n.word >> (fb + 1)) + right;
        moving = true;
      }
    }
    for (size_t j = 0; j < g; ++j) std::memcpy(&leaf[g0 + j], &nodes[at[j]].threshold, sizeof(uint32_t));
  }
}

#if defined(__AVX512F__)

// One step of 16 walks over 8-byte nodes: the nodes at `at` (lanes of `m`) are loaded with two
// 64-bit gathers (AMD gathers cost about one load per element, so this halves the node loads of
// two 32-bit gathers) and split into what the walk needs.
struct CompactNodes {
  const long long* base;
  __m512i fmask, mbit, lshift, even, odd;
  CompactNodes(const CompactNode* nodes, CompactLayout layout)
      : base(reinterpret_cast<const long long*>(nodes)),
        fmask(_mm512_set1_epi32(static_cast<int>(layout.feature_mask()))),
        mbit(_mm512_set1_epi32(static_cast<int>(uint32_t{1} << layout.feature_bits))),
        lshift(_mm512_set1_epi32(static_cast<int>(layout.feature_bits + 1))),
        even(_mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30)),
        odd(_mm512_add_epi32(even, _mm512_set1_epi32(1))) {}
  // leaf: lanes at a leaf; out: the leaf's output offset; feature, threshold, missing_left, left child.
  void load(__mmask16 m, __m512i at, __mmask16& leaf, __m512i& out, __m512i& feature, __m512& threshold, __mmask16& missing,
            __m512i& left) const {
    const __m512i zero = _mm512_setzero_si512();
    const __m512i lo = _mm512_mask_i32gather_epi64(zero, static_cast<__mmask8>(m), _mm512_maskz_extracti64x4_epi64(0xF, at, 0), base, 8);
    const __m512i hi = _mm512_mask_i32gather_epi64(zero, static_cast<__mmask8>(m >> 8), _mm512_maskz_extracti64x4_epi64(0xF, at, 1), base, 8);
    out = _mm512_permutex2var_epi32(lo, even, hi);
    const __m512i word = _mm512_permutex2var_epi32(lo, odd, hi);
    leaf = _mm512_mask_cmpeq_epi32_mask(m, word, zero);
    feature = _mm512_and_si512(word, fmask);
    threshold = _mm512_castsi512_ps(out);
    missing = _mm512_test_epi32_mask(word, mbit);
    left = _mm512_maskz_srlv_epi32(0xFFFF, word, lshift);
  }
};

// The same over TreeNode (16 bytes, no re-encoding: for a few rows), four 64-bit gathers per step.
struct WideNodes {
  const long long* base;
  __m512i even, odd, low_byte;
  explicit WideNodes(const TreeNode* nodes)
      : base(reinterpret_cast<const long long*>(nodes)),
        even(_mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30)),
        odd(_mm512_add_epi32(even, _mm512_set1_epi32(1))),
        low_byte(_mm512_set1_epi32(0xFF)) {}
  void load(__mmask16 m, __m512i at, __mmask16& leaf, __m512i& out, __m512i& feature, __m512& threshold, __mmask16& missing,
            __m512i& left) const {
    static_assert(sizeof(TreeNode) == 16 && offsetof(TreeNode, feature) == 4 && offsetof(TreeNode, threshold) == 8 &&
                  offsetof(TreeNode, missing_left) == 12);
    const __m512i zero = _mm512_setzero_si512();
    const __m512i twice = _mm512_add_epi32(at, at);  // in units of 8 bytes
    const __m256i i0 = _mm512_maskz_extracti64x4_epi64(0xF, twice, 0), i1 = _mm512_maskz_extracti64x4_epi64(0xF, twice, 1);
    const auto m0 = static_cast<__mmask8>(m), m1 = static_cast<__mmask8>(m >> 8);
    const __m512i a0 = _mm512_mask_i32gather_epi64(zero, m0, i0, base, 8), a1 = _mm512_mask_i32gather_epi64(zero, m1, i1, base, 8);
    const __m512i b0 = _mm512_mask_i32gather_epi64(zero, m0, i0, base + 1, 8), b1 = _mm512_mask_i32gather_epi64(zero, m1, i1, base + 1, 8);
    left = _mm512_permutex2var_epi32(a0, even, a1);
    feature = _mm512_permutex2var_epi32(a0, odd, a1);
    threshold = _mm512_castsi512_ps(_mm512_permutex2var_epi32(b0, even, b1));
    missing = _mm512_test_epi32_mask(_mm512_permutex2var_epi32(b0, odd, b1), low_byte);
    leaf = _mm512_mask_cmplt_epi32_mask(m, left, zero);
    out = feature;
  }
};

// Walks with 16 rows per register and kStreams registers in flight. A lane whose row reached its
// leaf hands its lane to the next row (expand), so lanes never idle until the rows run out. No
// branch on which lanes finished (a coin toss): their rows and leaves are compressed into a list
// every round, and written to `leaf` at the end.
template <int kStreams, class Nodes>
inline void leaves_avx512(const Nodes& nodes, const float* rows, size_t count, size_t p, uint32_t* leaf) {
  if (count == 0) return;
  const __m512i iota = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
  const __m512i one = _mm512_set1_epi32(1), zero = _mm512_setzero_si512();
  const __m512i pv = _mm512_set1_epi32(static_cast<int>(p)), nv = _mm512_set1_epi32(static_cast<int>(count));
  // (row, leaf) of every finished walk; 16 spare entries for the full-register stores.
  std::vector<uint32_t> done_row(count + 16), done_leaf(count + 16);
  size_t finished = 0;
  __m512i at[kStreams], row[kStreams], base[kStreams];
  __mmask16 live[kStreams];
  int32_t next = 0;
  for (int s = 0; s < kStreams; ++s) {
    row[s] = _mm512_add_epi32(iota, _mm512_set1_epi32(next));
    live[s] = _mm512_cmplt_epi32_mask(row[s], nv);
    next += 16;
    at[s] = zero;
    base[s] = _mm512_mullo_epi32(row[s], pv);
  }
  for (;;) {
    __mmask16 any = 0;
    for (int s = 0; s < kStreams; ++s) any |= live[s];
    if (!any) break;
    for (int s = 0; s < kStreams; ++s) {
      const __mmask16 m = live[s];
      __mmask16 done, missing;
      __m512i out, feature, child;
      __m512 thr;
      nodes.load(m, at[s], done, out, feature, thr, missing, child);
      const __mmask16 walk = m & static_cast<__mmask16>(~done);
      const __m512 v = _mm512_mask_i32gather_ps(_mm512_setzero_ps(), walk, _mm512_add_epi32(base[s], feature), rows, 4);
      const __mmask16 left = _mm512_mask_cmp_ps_mask(walk, v, thr, _CMP_LE_OQ) | (_mm512_mask_cmp_ps_mask(walk, v, v, _CMP_UNORD_Q) & missing);
      const __m512i stepped = _mm512_mask_add_epi32(child, walk & static_cast<__mmask16>(~left), child, one);
      // Finished lanes: record (row, leaf), restart at the root with rows next, next + 1, ...
      _mm512_storeu_si512(done_row.data() + finished, _mm512_maskz_compress_epi32(done, row[s]));
      _mm512_storeu_si512(done_leaf.data() + finished, _mm512_maskz_compress_epi32(done, out));
      const auto n_done = static_cast<uint32_t>(__builtin_popcount(done));
      finished += n_done;
      at[s] = _mm512_mask_mov_epi32(stepped, done, zero);
      row[s] = _mm512_mask_expand_epi32(row[s], done, _mm512_add_epi32(iota, _mm512_set1_epi32(next)));
      next += static_cast<int32_t>(n_done);
      base[s] = _mm512_mask_mullo_epi32(base[s], done, row[s], pv);
      live[s] = (m & static_cast<__mmask16>(~done)) | _mm512_mask_cmplt_epi32_mask(done, row[s], nv);
    }
  }
  for (size_t j = 0; j < finished; ++j) leaf[done_row[j]] = done_leaf[j];
}

template <int kStreams>
inline void compact_leaves_avx512(const CompactNode* nodes, CompactLayout layout, const float* rows, size_t count, size_t p,
                                  uint32_t* leaf) {
  leaves_avx512<kStreams>(CompactNodes(nodes, layout), rows, count, p, leaf);
}

#endif

#if defined(__AVX512F__)
inline constexpr bool kSimdTreeWalk = true;
#else
inline constexpr bool kSimdTreeWalk = false;
#endif

// The offsets in tree.values of the leaves reached by `count` rows, walking TreeNode itself: the
// AVX-512 walk, or without it (kSimdTreeWalk false; Forest::predict_encoded is the faster
// portable walk then) Tree::leaf_values row by row.
inline void tree_leaves(const Tree& tree, const float* rows, size_t count, size_t p, uint32_t* leaf) {
#if defined(__AVX512F__)
  leaves_avx512<4>(WideNodes(tree.nodes.data()), rows, count, p, leaf);
#else
  for (size_t i = 0; i < count; ++i) leaf[i] = static_cast<uint32_t>(tree.leaf_values(rows + i * p) - tree.values.data());
#endif
}

// How Forest::predict_raw splits its work: rows in blocks (the unit of parallel work, each block
// walking the trees in order), rows encoded span by span, trees re-encoded chunk by chunk.
struct PredictTiling {
  size_t block_rows = 0, span_rows = 0, chunk_nodes = 0;
};

// The leaves reached by `count` rows in one compact tree.
inline void compact_leaves(const CompactNode* nodes, CompactLayout layout, const float* rows, size_t count, size_t p,
                           uint32_t* leaf) {
#if defined(__AVX512F__)
  // 4 registers: the best of 1 to 8 measured (covertype-like and 100k x 50 sets).
  compact_leaves_avx512<4>(nodes, layout, rows, count, p, leaf);
#else
  compact_leaves_portable(nodes, layout, rows, count, p, leaf);
#endif
}

}  // namespace visiondb::ml::detail

namespace visiondb::ml {
class Forest;
namespace detail {
// Forest::predict_raw's walk over 8-byte nodes: the class probabilities (or values) of every row
// of `table`, rows x forest.outputs(), into `out`.
void predict_compact(const Forest& forest, const FeatureTable& table, CompactLayout layout, PredictTiling tiling, float* out);
}  // namespace detail
}  // namespace visiondb::ml
