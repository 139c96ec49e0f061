// TreeBuilder: grows one CART tree. The rows of the tree's sample live in one index array, kept
// in ascending row order and partitioned stably as nodes split (depth first), so that reading a
// feature's column for a node's rows walks forward through memory. At a node, features are
// drawn lazily (partial Fisher-Yates). Each drawn feature gets a histogram of its bin codes over
// the node's rows (class weights, or weight and weighted target, per bin) with a bitmask of the
// bins touched, so that neither clearing nor scanning costs 256 bins for a small node. Small
// nodes search exact thresholds on the float32 values of quantile-binned features (sorting the
// node's values), where bins would be too coarse. The scan over thresholds keeps running sums
// of squares (criteria.hpp).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <utility>
#include <vector>

#include "visiondb/common/parallel.hpp"
#include "visiondb/ml/forest/binning.hpp"
#include "visiondb/ml/forest/params.hpp"
#include "visiondb/ml/forest/tree.hpp"

namespace visiondb::ml::detail {

/// splitmix64: small, fast, and good enough for sampling.
struct Rng {
  uint64_t state;
  uint64_t next() noexcept {
    uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  /// Uniform in [0, n).
  uint64_t below(uint64_t n) noexcept { return static_cast<uint64_t>((static_cast<unsigned __int128>(next()) * n) >> 64); }
  double uniform() noexcept { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
};

/// The seed of tree `tree`: a function of the master seed and the index only.
inline uint64_t tree_seed(uint64_t seed, uint64_t tree) noexcept {
  Rng a{seed};
  Rng b{a.next() ^ (tree * 0xD1B54A32D192ED03ull)};
  return b.next();
}

/// What all trees share.
struct TrainingContext {
  const BinnedMatrix* x = nullptr;   // column-major bin codes
  std::vector<uint32_t> bins;        // non-NULL bins per feature
  std::vector<float> split_value;    // features x 256: the threshold of a split at bin t
  std::vector<uint8_t> searched;     // per feature: small nodes search its exact float32 thresholds
  std::vector<const float*> raw;     // per searched feature: its float32 column (null when packed)
  std::vector<float> raw_store;
  const int32_t* classes = nullptr;  // classification targets
  const double* targets = nullptr;   // regression targets
  std::vector<double> row_weight;    // class weight * user weight; 0 drops the row
  std::vector<uint32_t> eligible;    // rows with weight > 0
  size_t num_classes = 0;            // 0 for regression
  ForestParams params;
  int32_t mtry = 1;
  size_t exact_rows = 0;             // nodes with at most this many rows search exact thresholds
  // Narrow data: every row's bin codes and float32 values side by side (row-major, `packed_width`
  // bytes a row: the raw floats at `raw_offset[f]`, then the bin code of feature f at byte f + bins_offset).
  // Trees then copy their sample's rows and partition them with the node rows, so that a node's
  // rows are contiguous; 0 = column-major gathers (wide data, where moving rows costs more).
  std::vector<uint8_t> packed;
  size_t packed_width = 0, bins_offset = 0;
  std::vector<uint32_t> raw_offset;
};

/// The best split found at a node.
struct SplitChoice {
  double score = -std::numeric_limits<double>::infinity();
  int32_t feature = -1;
  uint8_t bin = 0;           // binned split: bins 1..bin go left
  bool exact = false;        // exact split: values <= threshold go left
  float threshold = 0;
  uint8_t missing_left = 0;
};

/// Per-tree output besides the tree.
struct TreeExtras {
  std::vector<uint64_t> in_bag;  // bitset, when OOB is computed
  std::vector<double> split_count, split_gain, split_cover;
};

// The float32 threshold between two neighbouring values lo < hi: their midpoint, kept < hi.
inline float midpoint_threshold(float lo, float hi) noexcept {
  auto m = static_cast<float>(static_cast<double>(lo) + (static_cast<double>(hi) - static_cast<double>(lo)) / 2);
  return (m >= hi || m < lo) ? lo : m;
}

// Sorts keys (value image << 32 | position; all distinct, so any correct sort gives one order):
// a least-significant-digit radix sort on the value's 4 bytes, skipping bytes all keys share.
// Cheaper than comparison sorting for the few hundred keys of a small node, whose comparisons
// the branch predictor cannot learn.
// Fewer keys (most nodes) are placed by rank: each key's rank is the count of smaller keys, a
// branch-free all-pairs comparison that vectorizes, with no 256-bucket passes to pay for.
inline constexpr size_t kRankSortKeys = 96;

inline void sort_keys(std::vector<uint64_t>& keys, std::vector<uint64_t>& tmp) {
  const size_t n = keys.size();
  if (n <= kRankSortKeys) {
    tmp.resize(n);
    const uint64_t* k = keys.data();
    for (size_t i = 0; i < n; ++i) {
      const uint64_t ki = k[i];
      uint64_t rank = 0;
      for (size_t j = 0; j < n; ++j) rank += k[j] < ki;
      tmp[rank] = ki;
    }
    std::memcpy(keys.data(), tmp.data(), n * sizeof(uint64_t));
    return;
  }
  uint32_t count[4][256] = {};
  for (uint64_t k : keys)
    for (size_t d = 0; d < 4; ++d) ++count[d][(k >> (32 + 8 * d)) & 255];
  tmp.resize(n);
  uint64_t* src = keys.data();
  uint64_t* dst = tmp.data();
  for (size_t d = 0; d < 4; ++d) {
    const size_t shift = 32 + 8 * d;
    if (count[d][(src[0] >> shift) & 255] == n) continue;  // every key has this byte
    uint32_t at[256];
    uint32_t sum = 0;
    for (size_t b = 0; b < 256; ++b) {
      at[b] = sum;
      sum += count[d][b];
    }
    for (size_t i = 0; i < n; ++i) dst[at[(src[i] >> shift) & 255]++] = src[i];
    std::swap(src, dst);
  }
  if (src != keys.data()) std::memcpy(keys.data(), src, n * sizeof(uint64_t));
}

// Copies / swaps one packed row of w bytes with fixed-size moves: two chunks of C bytes, the
// second ending at the row's end (they overlap when w < 2C), for C <= w <= 2C; memcpy beyond.
// Inline vector moves instead of a libc call per row.
template <size_t C>
inline void copy_row_chunks(uint8_t* dst, const uint8_t* src, size_t w) noexcept {
  uint8_t a[C], b[C];
  std::memcpy(a, src, C);
  std::memcpy(b, src + w - C, C);
  std::memcpy(dst, a, C);
  std::memcpy(dst + w - C, b, C);
}

template <size_t C>
inline void swap_row_chunks(uint8_t* x, uint8_t* y, size_t w) noexcept {
  uint8_t a[C], b[C], c[C], d[C];
  std::memcpy(a, x, C);
  std::memcpy(b, x + w - C, C);
  std::memcpy(c, y, C);
  std::memcpy(d, y + w - C, C);
  std::memcpy(x, c, C);
  std::memcpy(x + w - C, d, C);
  std::memcpy(y, a, C);
  std::memcpy(y + w - C, b, C);
}

inline void copy_row(uint8_t* dst, const uint8_t* src, size_t w) noexcept {
  if (w >= 64 && w <= 128)
    copy_row_chunks<64>(dst, src, w);
  else if (w >= 32 && w < 64)
    copy_row_chunks<32>(dst, src, w);
  else if (w >= 16 && w < 32)
    copy_row_chunks<16>(dst, src, w);
  else
    std::memcpy(dst, src, w);
}

inline void swap_rows(uint8_t* x, uint8_t* y, size_t w, uint8_t* scratch) noexcept {
  if (w >= 64 && w <= 128) {
    swap_row_chunks<64>(x, y, w);
  } else if (w >= 32 && w < 64) {
    swap_row_chunks<32>(x, y, w);
  } else if (w >= 16 && w < 32) {
    swap_row_chunks<16>(x, y, w);
  } else {
    std::memcpy(scratch, x, w);
    std::memcpy(x, y, w);
    std::memcpy(y, scratch, w);
  }
}

class TreeBuilder {
 public:
  explicit TreeBuilder(const TrainingContext& ctx)
      : ctx_(ctx), p_(ctx.x->cols), k_(ctx.num_classes), W_(ctx.packed_width) {
    stride_ = k_ > 0 ? k_ : 2;  // per-bin statistics: class weights, or (weight, weighted sum)
    slot_size_ = 256 * stride_;
    // A batch of drawn features never exceeds mtry; cap the histograms at about 4 MB.
    sub_cap_ = std::clamp<size_t>(std::min<size_t>((size_t{1} << 19) / slot_size_, static_cast<size_t>(ctx.mtry)), 1, 64);
    // One slot to start with: nodes that sum a batch of histograms at once grow it (see
    // evaluate_drawn), the others use the first slot only (a builder per tree zeroes less).
    hist_.assign(slot_size_, 0.0);
    if (k_ > 0) hist2_.assign(slot_size_, 0.0);
    masks_.assign(sub_cap_ * 4, 0);
    share_pure_ = k_ > 0 && k_ <= 16;
  }

  Tree build(uint64_t tree_index, TreeExtras& extras) {
    rng_ = Rng{tree_seed(ctx_.params.seed, tree_index)};
    sample(extras);
    perm_.resize(p_);
    for (size_t f = 0; f < p_; ++f) perm_[f] = static_cast<uint32_t>(f);
    extras.split_count.assign(p_, 0.0);
    extras.split_gain.assign(p_, 0.0);
    extras.split_cover.assign(p_, 0.0);
    Tree tree;
    tree.width = static_cast<int32_t>(k_ > 0 ? k_ : 1);
    if (share_pure_)  // one-hot outputs of pure leaves, shared
      for (size_t c = 0; c < k_; ++c)
        for (size_t j = 0; j < k_; ++j) tree.values.push_back(c == j ? 1.0f : 0.0f);
    tree.nodes.emplace_back();
    struct Pending {
      size_t begin, end;
      int32_t depth, id;
      size_t known_constants;  // constants_[0, known_constants) are constant in this node
    };
    std::vector<Pending> stack{{0, rows_.size(), 0, 0, 0}};
    constants_.clear();
    is_constant_.assign(p_, 0);
    std::vector<double> totals(stride_ + 1);
    while (!stack.empty()) {
      Pending nd = stack.back();
      stack.pop_back();
      // Constants found below a sibling are not known here: drop them (depth first, so the
      // ancestors' constants are the prefix).
      while (constants_.size() > nd.known_constants) {
        is_constant_[constants_.back()] = 0;
        constants_.pop_back();
      }
      node_totals(nd.begin, nd.end, totals.data());
      SplitChoice split;
      if (can_split(nd.begin, nd.end, nd.depth, totals.data())) split = find_split(nd.begin, nd.end, totals.data());
      if (split.feature < 0) {
        make_leaf(tree, nd.id, totals.data());
        continue;
      }
      size_t mid = partition(nd.begin, nd.end, split);
      if (mid == nd.begin || mid == nd.end) {  // cannot happen with a valid split; stay safe
        make_leaf(tree, nd.id, totals.data());
        continue;
      }
      const auto f = static_cast<size_t>(split.feature);
      extras.split_count[f] += 1;
      extras.split_gain[f] += std::max(0.0, split.score - parent_score(totals.data()));
      extras.split_cover[f] += totals[stride_];
      auto left = static_cast<int32_t>(tree.nodes.size());
      tree.nodes.emplace_back();
      tree.nodes.emplace_back();
      TreeNode& node = tree.nodes[static_cast<size_t>(nd.id)];
      node.left = left;
      node.feature = split.feature;
      node.threshold = split.exact ? split.threshold : ctx_.split_value[f * 256 + split.bin];
      node.missing_left = split.missing_left;
      stack.push_back({mid, nd.end, nd.depth + 1, left + 1, constants_.size()});
      stack.push_back({nd.begin, mid, nd.depth + 1, left, constants_.size()});
    }
    // The vectors grew by doubling: up to half of their capacity is unused, times 100 trees.
    tree.nodes.shrink_to_fit();
    tree.values.shrink_to_fit();
    return tree;
  }

 private:
  // ---- sampling ------------------------------------------------------------------------------
  void sample(TreeExtras& extras) {
    const auto& el = ctx_.eligible;
    const size_t n = el.size();
    const size_t n_rows = ctx_.x->rows;
    const bool oob = ctx_.params.compute_oob;
    if (oob) extras.in_bag.assign((n_rows + 63) / 64, 0);
    auto draws = static_cast<size_t>(std::llround(ctx_.params.subsample * static_cast<double>(n)));
    draws = std::max<size_t>(draws, 1);
    rows_.clear();
    weight_.clear();
    if (ctx_.params.sampling == RowSampling::Bootstrap) {
      counts_.assign(n, 0);
      for (size_t d = 0; d < draws; ++d) ++counts_[rng_.below(n)];
      for (size_t j = 0; j < n; ++j)
        if (counts_[j]) {
          rows_.push_back(el[j]);
          weight_.push_back(counts_[j] * ctx_.row_weight[el[j]]);
        }
    } else {
      draws = std::min(draws, n);
      size_t needed = draws;
      for (size_t j = 0; j < n && needed > 0; ++j) {
        if (static_cast<double>(n - j) * rng_.uniform() < static_cast<double>(needed)) {  // Knuth's selection sampling
          rows_.push_back(el[j]);
          weight_.push_back(ctx_.row_weight[el[j]]);
          --needed;
        }
      }
    }
    if (oob)
      for (uint32_t r : rows_) extras.in_bag[r >> 6] |= uint64_t{1} << (r & 63);
    if (W_ > 0) {
      pk_.resize(rows_.size() * W_);
      const uint8_t* src = ctx_.packed.data();
      for (size_t i = 0; i < rows_.size(); ++i) copy_row(pk_.data() + i * W_, src + size_t{rows_[i]} * W_, W_);
      pos_.resize(rows_.size());
      for (size_t i = 0; i < rows_.size(); ++i) pos_[i] = static_cast<uint32_t>(i);
    }
    if (k_ > 0) {
      cls_.resize(rows_.size());
      for (size_t i = 0; i < rows_.size(); ++i) cls_[i] = ctx_.classes[rows_[i]];
    } else {
      val_.resize(rows_.size());
      for (size_t i = 0; i < rows_.size(); ++i) val_[i] = ctx_.targets[rows_[i]];
    }
  }

  // ---- node statistics -----------------------------------------------------------------------
  // totals: class weights (k) or (W, S), then the node weight; for regression sum w*y^2 goes to sq_.
  void node_totals(size_t b, size_t e, double* t) {
    std::fill(t, t + stride_ + 1, 0.0);
    if (k_ > 0) {
      // Four interleaved sums: rows of one class (most rows, near the leaves) do not wait on
      // each other's add. Integer (bootstrap) weights sum exactly in any order.
      part_.assign(4 * k_, 0.0);
      double* p = part_.data();
      size_t i = b;
      for (; i + 4 <= e; i += 4) {
        p[static_cast<size_t>(cls_[i])] += weight_[i];
        p[k_ + static_cast<size_t>(cls_[i + 1])] += weight_[i + 1];
        p[2 * k_ + static_cast<size_t>(cls_[i + 2])] += weight_[i + 2];
        p[3 * k_ + static_cast<size_t>(cls_[i + 3])] += weight_[i + 3];
      }
      for (; i < e; ++i) p[static_cast<size_t>(cls_[i])] += weight_[i];
      for (size_t c = 0; c < k_; ++c) t[c] = (p[c] + p[k_ + c]) + (p[2 * k_ + c] + p[3 * k_ + c]);
      double w = 0;
      for (size_t c = 0; c < k_; ++c) w += t[c];
      t[stride_] = w;
    } else {
      double q = 0;
      for (size_t i = b; i < e; ++i) {
        t[0] += weight_[i];
        t[1] += weight_[i] * val_[i];
        q += weight_[i] * val_[i] * val_[i];
      }
      t[stride_] = t[0];
      sq_ = q;
    }
  }

  bool can_split(size_t b, size_t e, int32_t depth, const double* t) const {
    const auto& prm = ctx_.params;
    if (e - b < 2) return false;
    if (prm.max_depth > 0 && depth >= prm.max_depth) return false;
    const double w = t[stride_];
    if (w < 2 * prm.min_child_weight || w <= 0) return false;
    if (k_ > 0) {
      size_t present = 0;
      for (size_t c = 0; c < k_; ++c) present += t[c] > 0;
      return present > 1;
    }
    double mean = t[1] / w;
    double var = sq_ / w - mean * mean;
    return var > 1e-12 * std::max(1.0, mean * mean);
  }

  double parent_score(const double* t) const {
    const double w = t[stride_];
    if (k_ > 0) {
      double s = 0;
      for (size_t c = 0; c < k_; ++c) s += t[c] * t[c];
      return s / w;
    }
    return t[1] * t[1] / w;
  }

  void make_leaf(Tree& tree, int32_t id, const double* t) {
    TreeNode& node = tree.nodes[static_cast<size_t>(id)];
    node.left = -1;
    const double w = t[stride_];
    if (k_ > 0) {
      if (share_pure_) {
        size_t present = 0, cls = 0;
        for (size_t c = 0; c < k_; ++c)
          if (t[c] > 0) {
            ++present;
            cls = c;
          }
        if (present == 1) {
          node.feature = static_cast<int32_t>(cls * k_);
          return;
        }
      }
      node.feature = static_cast<int32_t>(tree.values.size());
      for (size_t c = 0; c < k_; ++c) tree.values.push_back(static_cast<float>(w > 0 ? t[c] / w : 0.0));
    } else {
      node.feature = static_cast<int32_t>(tree.values.size());
      tree.values.push_back(static_cast<float>(w > 0 ? t[1] / w : 0.0));
    }
  }

  // ---- split search --------------------------------------------------------------------------
  // Draws features as scikit-learn does: max_features draws, each counting whether or not the
  // feature turns out constant; features known to be constant (from an ancestor) cost nothing.
  // UntilValidSplit then keeps drawing, one feature at a time, while no valid split is found.
  SplitChoice find_split(size_t b, size_t e, const double* totals) {
    SplitChoice best;
    const auto mtry = static_cast<size_t>(ctx_.mtry);
    const bool small = e - b <= ctx_.exact_rows;
    size_t drawn = 0;
    auto draw = [&](size_t draws) {
      todo_.clear();
      for (size_t d = 0; d < draws && drawn < p_; ++d) {
        size_t pick = drawn + rng_.below(p_ - drawn);
        std::swap(perm_[drawn], perm_[pick]);
        const uint32_t f = perm_[drawn++];
        if (!is_constant_[f]) todo_.push_back(f);
      }
    };
    draw(mtry);
    evaluate_drawn(b, e, small, totals, best);
    if (ctx_.params.draw_policy == FeatureDrawPolicy::UntilValidSplit) {
      while (best.feature < 0 && drawn < p_) {
        draw(1);
        evaluate_drawn(b, e, small, totals, best);
      }
    }
    return best;
  }

  // Evaluates the features in todo_; those constant in the node become known constants.
  void evaluate_drawn(size_t b, size_t e, bool small, const double* totals, SplitChoice& best) {
    // A classifier's score is at most the node's weight, reached when both children are pure;
    // once a feature reaches it no later one can beat it (a later one must score higher), so
    // the node stops evaluating: most of the small nodes near the leaves split on the first
    // feature or two that separates their classes. Features drawn but not evaluated changed
    // nothing else (draws consume the random stream whether evaluated or not).
    const double perfect = k_ > 0 ? totals[stride_] : std::numeric_limits<double>::infinity();
    for (size_t s0 = 0; s0 < todo_.size() && best.score < perfect; s0 += sub_cap_) {
      const size_t s1 = std::min(todo_.size(), s0 + sub_cap_);
      slot_feature_.clear();
      for (size_t j = s0; j < s1; ++j)
        if (!(small && ctx_.searched[todo_[j]])) slot_feature_.push_back(todo_[j]);
      // Big nodes sum every histogram of the batch at once (in parallel), others one at a time.
      const bool batch = parallel_bins(b, e);
      if (batch) {
        if (hist_.size() < sub_cap_ * slot_size_) {  // cleared slots are zero: growing keeps that
          hist_.resize(sub_cap_ * slot_size_, 0.0);
          if (k_ > 0) hist2_.resize(sub_cap_ * slot_size_, 0.0);
        }
        gather_bins(b, e);
      }
      size_t slot = 0;
      for (size_t j = s0; j < s1; ++j) {
        const uint32_t f = todo_[j];
        const bool binned = !(small && ctx_.searched[f]);
        if (best.score >= perfect) {
          if (binned) {
            if (batch) clear_slot(slot);
            ++slot;
          }
          continue;
        }
        bool varies, exact = !ctx_.searched[f];  // bins of exact features hold one value each
        if (!binned) {
          // The next feature's values come from another column: ask for their cache lines while
          // this feature's values are gathered, so that they arrive while it is sorted and scanned.
          const float* next = W_ == 0 && j + 1 < s1 && ctx_.searched[todo_[j + 1]] ? ctx_.raw[todo_[j + 1]] : nullptr;
          if (W_ == 0 && j == s0) prefetch_column(b, e, ctx_.raw[f]);  // the node's first feature
          varies = evaluate_exact(b, e, f, totals, best, next);
          exact = true;
        } else {
          // One at a time, every histogram uses the first slot's memory, which stays in cache.
          const size_t mem = batch ? slot : 0;
          if (!batch) accumulate(b, e, slot, mem);
          varies = evaluate_bins(mem, f, totals, best);
          clear_slot(mem);
          ++slot;
        }
        // Constant values stay constant below; one quantile bin may still hold several values.
        if (!varies && exact) {
          is_constant_[f] = 1;
          constants_.push_back(f);
        }
      }
    }
  }

  bool parallel_bins(size_t b, size_t e) const noexcept {
    const size_t ns = slot_feature_.size();
    return (e - b) * ns >= (size_t{1} << 17) && ns >= 2;
  }

  // Histograms of the slot features over rows [b, e): big nodes split the features over tasks
  // (each feature's sums stay sequential, so the result does not depend on the thread count).
  void gather_bins(size_t b, size_t e) {
    const size_t ns = slot_feature_.size();
    if (ns == 0) return;
    if (parallel_bins(b, e)) {
      const size_t groups = std::min<size_t>(ns, 4);
      visiondb::parallel_for_each_index(0, groups, [&](size_t g) {
        for (size_t s = g; s < ns; s += groups) accumulate(b, e, s, s);
      });
    } else {
      for (size_t s = 0; s < ns; ++s) accumulate(b, e, s, s);
    }
  }

  // The histogram of slot_feature_[slot] into histogram memory `mem`.
  void accumulate(size_t b, size_t e, size_t slot, size_t mem) {
    const uint32_t f = slot_feature_[slot];
    if (W_ > 0 && e - b <= kColumnRows) {
      const uint8_t* pk = pk_.data() + ctx_.bins_offset + f;
      if (moves_rows(b, e))
        accumulate_with(b, e, mem, f, [pk, w = W_](size_t i) -> uint32_t { return pk[i * w]; }, [](size_t) {});
      else
        accumulate_with(
            b, e, mem, f, [pk, w = W_, pos = pos_.data()](size_t i) -> uint32_t { return pk[size_t{pos[i]} * w]; },
            [](size_t) {});
    } else {
      const uint8_t* col = ctx_.x->column(f);
      const uint32_t* rows = rows_.data();
      accumulate_with(
          b, e, mem, f, [col, rows](size_t i) -> uint32_t { return col[rows[i]]; },
          [col, rows](size_t i) { __builtin_prefetch(col + rows[i]); });
    }
  }

  // bin_at(i): the bin code of the node row at position i; prefetch(i): announce it.
  template <class BinAt, class Prefetch>
  void accumulate_with(size_t b, size_t e, size_t slot, uint32_t f, BinAt bin_at, Prefetch prefetch) {
    double* h = hist_.data() + slot * slot_size_;
    uint64_t m0 = 0, m1 = 0, m2 = 0, m3 = 0;
    auto mark = [&](uint32_t bin) {
      const uint64_t bit = uint64_t{1} << (bin & 63);
      switch (bin >> 6) {
        case 0: m0 |= bit; break;
        case 1: m1 |= bit; break;
        case 2: m2 |= bit; break;
        default: m3 |= bit; break;
      }
    };
    // Small nodes mark the bins they touch; big ones find them afterwards (cheaper than a
    // dependency on the mask words in the row loop).
    const bool mark_rows = e - b < 1024;
    if (k_ > 0) {
      if (mark_rows) {
        for (size_t i = b; i < e; ++i) {
          if (i + 16 < e) prefetch(i + 16);
          const uint32_t bin = bin_at(i);
          h[bin * stride_ + static_cast<size_t>(cls_[i])] += weight_[i];
          mark(bin);
        }
      } else {
        // Rows are ascending but sparse in the column: prefetch the bins a few rows ahead.
        // Two histograms, even and odd rows, so that rows falling in one bin (features of two
        // or three bins: one-hot columns) do not wait on each other's add; merged after.
        constexpr size_t kAhead = 24;
        double* h2 = hist2_.data() + slot * slot_size_;
        size_t i = b;
        for (; i + kAhead + 1 < e; i += 2) {
          prefetch(i + kAhead);
          prefetch(i + kAhead + 1);
          h[bin_at(i) * stride_ + static_cast<size_t>(cls_[i])] += weight_[i];
          h2[bin_at(i + 1) * stride_ + static_cast<size_t>(cls_[i + 1])] += weight_[i + 1];
        }
        for (; i < e; ++i) h[bin_at(i) * stride_ + static_cast<size_t>(cls_[i])] += weight_[i];
        const size_t cells = (size_t{ctx_.bins[f]} + 1) * stride_;
        for (size_t c = 0; c < cells; ++c) {
          h[c] += h2[c];
          h2[c] = 0;
        }
      }
    } else {
      if (mark_rows) {
        for (size_t i = b; i < e; ++i) {
          const uint32_t bin = bin_at(i);
          h[bin * 2] += weight_[i];
          h[bin * 2 + 1] += weight_[i] * val_[i];
          mark(bin);
        }
      } else {
        for (size_t i = b; i < e; ++i) {
          if (i + 24 < e) prefetch(i + 24);
          const uint32_t bin = bin_at(i);
          h[bin * 2] += weight_[i];
          h[bin * 2 + 1] += weight_[i] * val_[i];
        }
      }
    }
    if (!mark_rows) {
      const uint32_t bins = ctx_.bins[f];
      for (uint32_t bin = 0; bin <= bins; ++bin)
        if (bin_weight(h + bin * stride_) > 0) mark(bin);
    }
    uint64_t* m = masks_.data() + slot * 4;
    m[0] = m0;
    m[1] = m1;
    m[2] = m2;
    m[3] = m3;
  }

  void clear_slot(size_t slot) {
    double* h = hist_.data() + slot * slot_size_;
    uint64_t* m = masks_.data() + slot * 4;
    for (size_t w = 0; w < 4; ++w) {
      for (uint64_t bits = m[w]; bits; bits &= bits - 1) {
        const size_t bin = w * 64 + static_cast<size_t>(__builtin_ctzll(bits));
        std::fill(h + bin * stride_, h + (bin + 1) * stride_, 0.0);
      }
      m[w] = 0;
    }
  }

  // Evaluates the binned feature in `slot`; false when it is constant in the node.
  bool evaluate_bins(size_t slot, uint32_t f, const double* totals, SplitChoice& best) {
    const double* h = hist_.data() + slot * slot_size_;
    const uint64_t* m = masks_.data() + slot * 4;
    list_.clear();
    for (size_t w = 0; w < 4; ++w)
      for (uint64_t bits = w == 0 ? m[0] & ~uint64_t{1} : m[w]; bits; bits &= bits - 1)
        list_.push_back(static_cast<uint8_t>(w * 64 + static_cast<size_t>(__builtin_ctzll(bits))));
    const double mw = (m[0] & 1) ? bin_weight(h) : 0.0;
    if (list_.size() + (mw > 0 ? 1 : 0) < 2) return false;
    scan(
        list_.size(), [&](size_t i) { return h + list_[i] * stride_; }, totals, h, mw,
        [&](size_t i, double score, bool missing_left) {
          if (score > best.score) {
            best.score = score;
            best.feature = static_cast<int32_t>(f);
            best.bin = list_[i];
            best.exact = false;
            best.missing_left = missing_left;
          }
        });
    return true;
  }

  // Prefetches the cache lines of col[rows_[i]] for the node's rows (ascending: each line once).
  void prefetch_column(size_t b, size_t e, const float* col) const noexcept {
    const uint32_t* rows = rows_.data();
    uintptr_t last = 0;
    for (size_t i = b; i < e; ++i) {
      const auto line = reinterpret_cast<uintptr_t>(col + rows[i]) >> 6;
      if (line != last) {
        __builtin_prefetch(col + rows[i]);
        last = line;
      }
    }
  }

  // Evaluates feature f on the node's exact float32 values; false when constant in the node.
  bool evaluate_exact(size_t b, size_t e, uint32_t f, const double* totals, SplitChoice& best, const float* next) {
    if (W_ > 0) {
      const uint8_t* pk = pk_.data() + ctx_.raw_offset[f];
      if (moves_rows(b, e))
        return evaluate_exact_with(b, e, f, totals, best, [pk, w = W_](size_t i) {
          float v;
          std::memcpy(&v, pk + i * w, sizeof v);
          return v;
        }, [](size_t) {});
      return evaluate_exact_with(b, e, f, totals, best, [pk, w = W_, pos = pos_.data()](size_t i) {
        float v;
        std::memcpy(&v, pk + size_t{pos[i]} * w, sizeof v);
        return v;
      }, [](size_t) {});
    }
    const float* raw = ctx_.raw[f];
    const uint32_t* rows = rows_.data();
    if (!next) next = raw;  // harmless: those lines are already on their way
    return evaluate_exact_with(
        b, e, f, totals, best, [raw, rows](size_t i) { return raw[rows[i]]; },
        [next, rows](size_t i) { __builtin_prefetch(next + rows[i]); });
  }

  // value_at(i): the float32 value of the node row at position i; prefetch(i): announce it.
  template <class ValueAt, class Prefetch>
  bool evaluate_exact_with(size_t b, size_t e, uint32_t f, const double* totals, SplitChoice& best, ValueAt value_at,
                           Prefetch prefetch) {
    keys_.resize(e - b);
    uint64_t* keys = keys_.data();
    size_t present = 0;  // rows with a value
    miss_.assign(stride_, 0.0);
    double mw = 0;
    for (size_t i = b; i < e; ++i) {
      prefetch(i);
      const float v = value_at(i);
      if (v != v) [[unlikely]] {
        add_row(miss_.data(), i);
        mw += weight_[i];
        continue;
      }
      // Order-preserving unsigned image of the float, then the row's position.
      uint32_t u;
      std::memcpy(&u, &v, sizeof u);
      u = (u & 0x80000000u) ? ~u : (u | 0x80000000u);
      u = v == 0.0f ? 0x80000000u : u;  // -0 == +0
      keys[present++] = (static_cast<uint64_t>(u) << 32) | static_cast<uint32_t>(i);
    }
    keys_.resize(present);
    sort_keys(keys_, sort_tmp_);
    if (k_ > 0) return scan_sorted_classes(f, totals, mw, best, value_at);
    values_.clear();
    group_.clear();
    uint32_t prev = 0;
    for (size_t j = 0; j < keys_.size(); ++j) {
      const auto u = static_cast<uint32_t>(keys_[j] >> 32);
      if (j == 0 || u != prev) {
        values_.push_back(value_at(static_cast<uint32_t>(keys_[j])));
        group_.resize(group_.size() + stride_, 0.0);
        prev = u;
      }
      add_row(group_.data() + group_.size() - stride_, static_cast<uint32_t>(keys_[j]));
    }
    const size_t m = values_.size();
    if (m + (mw > 0 ? 1 : 0) < 2) return false;
    scan(
        m, [&](size_t i) { return group_.data() + i * stride_; }, totals, miss_.data(), mw,
        [&](size_t i, double score, bool missing_left) {
          if (score > best.score) {
            best.score = score;
            best.feature = static_cast<int32_t>(f);
            best.exact = true;
            best.threshold = i + 1 < m ? midpoint_threshold(values_[i], values_[i + 1])
                                       : std::numeric_limits<float>::infinity();
            best.missing_left = missing_left;
          }
        });
    return true;
  }

  // The classification scan of evaluate_exact over keys_ (sorted), one row at a time: a row
  // changes one class's sums, so each step costs O(1) instead of O(classes) per distinct value
  // (scan() over groups). The candidates, their order and (for integer weights, exactly) their
  // scores are scan()'s: a threshold after the last row of each distinct value; with NULLs
  // (miss_, weight mw) sent right or left, and "every value left, NULL right".
  template <class ValueAt>
  bool scan_sorted_classes(uint32_t f, const double* totals, double mw, SplitChoice& best, ValueAt value_at) {
    const size_t n = keys_.size();
    if (n == 0) return false;
    const uint64_t* keys = keys_.data();
    const auto value_of = [keys](size_t j) { return static_cast<uint32_t>(keys[j] >> 32); };
    if (value_of(0) == value_of(n - 1) && mw == 0) return false;  // one value, no NULLs
    const double mcw = ctx_.params.min_child_weight;
    const double* miss = miss_.data();
    const double wn = totals[stride_] - mw;
    ClassSplitSums g = start_class_sums(totals, miss, mw);
    double top = -std::numeric_limits<double>::infinity();
    size_t top_start = 0, top_end = 0, start = 0, j = 0;
    bool top_left = false;
    // A candidate threshold after row j (the run [start, j] its last value), NULLs left or right.
    const auto consider = [&](double score, bool nulls_left) {
      if (score > top) {
        top = score;
        top_start = start;
        top_end = j;
        top_left = nulls_left;
      }
    };
    const int32_t* cls = cls_.data();
    const double* weight = weight_.data();
    for (; j < n; ++j) {
      const auto i = static_cast<uint32_t>(keys[j]);
      g.add(static_cast<size_t>(cls[i]), weight[i]);
      const bool last = j + 1 == n;
      if (!last && value_of(j + 1) == value_of(j)) continue;
      const double wl = g.wl, wr = wn - wl;
      if (mw == 0) {
        if (!last && wl >= mcw && wr >= mcw && wl > 0 && wr > 0) consider(g.score(wr), false);
      } else {
        const double wr_m = wr + mw, wl_m = wl + mw;
        if (wl >= mcw && wr_m >= mcw && wl > 0) consider(g.score_nulls_right(wr, mw), false);
        if (!last && wl_m >= mcw && wr >= mcw && wr > 0) consider(g.score_nulls_left(wr, mw), true);
      }
      start = j + 1;
    }
    if (top > best.score) {
      best.score = top;
      best.feature = static_cast<int32_t>(f);
      best.exact = true;
      best.threshold = top_end + 1 < n ? midpoint_threshold(value_at(static_cast<uint32_t>(keys[top_start])),
                                                            value_at(static_cast<uint32_t>(keys[top_end + 1])))
                                       : std::numeric_limits<float>::infinity();
      best.missing_left = top_left;
    }
    return true;
  }

  // The running sums of a classifier's threshold scan, shared by scan() and scan_sorted_classes():
  // Gini's score of a split is sum_c L_c^2 / wl + sum_c R_c^2 / wr (the larger the better), kept
  // as sums of squares updated per added weight instead of recomputed per threshold. The NULL rows
  // (class weights miss, total mw) join the right or the left side through their cross terms.
  struct ClassSplitSums {
    double* l;           // left side's class weights
    const double* tn;    // class totals of the non-NULL rows
    const double* miss;  // class weights of the NULL rows
    size_t k;
    double sq_l = 0, sq_r = 0, sq_m = 0, wl = 0;

    void add(size_t c, double w) noexcept {
      sq_l += w * (2 * l[c] + w);
      sq_r += w * (w - 2 * (tn[c] - l[c]));
      l[c] += w;
      wl += w;
    }
    double score(double wr) const noexcept { return sq_l / wl + sq_r / wr; }
    // NULLs right: R' = R + M; NULLs left: L' = L + M (the cross terms recomputed: NULLs are rare).
    double score_nulls_right(double wr, double mw) const noexcept {
      double cross = 0;
      for (size_t c = 0; c < k; ++c) cross += (tn[c] - l[c]) * miss[c];
      return sq_l / wl + (sq_r + 2 * cross + sq_m) / (wr + mw);
    }
    double score_nulls_left(double wr, double mw) const noexcept {
      double cross = 0;
      for (size_t c = 0; c < k; ++c) cross += l[c] * miss[c];
      return (sq_l + 2 * cross + sq_m) / (wl + mw) + sq_r / wr;
    }
  };

  // Sums with every non-NULL row on the right (left_ and tn_ are its storage).
  ClassSplitSums start_class_sums(const double* totals, const double* miss, double mw) {
    left_.assign(k_, 0.0);
    tn_.resize(k_);
    ClassSplitSums g{left_.data(), tn_.data(), miss, k_};
    for (size_t c = 0; c < k_; ++c) {
      tn_[c] = totals[c] - (mw > 0 ? miss[c] : 0.0);
      g.sq_r += tn_[c] * tn_[c];
      if (mw > 0) g.sq_m += miss[c] * miss[c];
    }
    return g;
  }

  void add_row(double* s, size_t i) const noexcept {
    if (k_ > 0) {
      s[cls_[i]] += weight_[i];
    } else {
      s[0] += weight_[i];
      s[1] += weight_[i] * val_[i];
    }
  }

  double bin_weight(const double* h) const noexcept {
    if (k_ == 0) return h[0];
    double w = 0;
    for (size_t c = 0; c < k_; ++c) w += h[c];
    return w;
  }

  // Scans the thresholds between m ordered groups of rows (stats(i): their statistics), with the
  // NULL rows (miss, weight mw) sent left or right; emit(i, score, missing_left) for each valid
  // split "groups 0..i left". With NULLs, "every value left, NULL right" is a candidate too.
  template <class Stats, class Emit>
  void scan(size_t m, Stats stats, const double* totals, const double* miss, double mw, Emit emit) {
    const double mcw = ctx_.params.min_child_weight;
    const double wn = totals[stride_] - mw;
    const size_t last = mw > 0 ? m : m - 1;
    double best = -std::numeric_limits<double>::infinity();
    size_t best_i = 0;
    bool best_left = false;
    auto consider = [&](size_t i, double score, bool missing_left) {
      if (score > best) {
        best = score;
        best_i = i;
        best_left = missing_left;
      }
    };
    if (k_ > 0) {
      ClassSplitSums g = start_class_sums(totals, miss, mw);
      for (size_t i = 0; i < last; ++i) {
        const double* s = stats(i);
        for (size_t c = 0; c < k_; ++c) g.add(c, s[c]);
        const double wl = g.wl, wr = wn - wl;
        if (mw == 0) {
          if (wl >= mcw && wr >= mcw && wl > 0 && wr > 0) consider(i, g.score(wr), false);
          continue;
        }
        const double wr_m = wr + mw, wl_m = wl + mw;
        if (wl >= mcw && wr_m >= mcw && wl > 0) consider(i, g.score_nulls_right(wr, mw), false);
        if (i + 1 < m && wl_m >= mcw && wr >= mcw && wr > 0) consider(i, g.score_nulls_left(wr, mw), true);
      }
    } else {
      const double sn = totals[1] - (mw > 0 ? miss[1] : 0.0);
      double wl = 0, sl = 0;
      for (size_t i = 0; i < last; ++i) {
        const double* s = stats(i);
        wl += s[0];
        sl += s[1];
        const double wr = wn - wl, sr = sn - sl;
        if (mw == 0) {
          if (wl >= mcw && wr >= mcw && wl > 0 && wr > 0) consider(i, sl * sl / wl + sr * sr / wr, false);
          continue;
        }
        const double wr_m = wr + mw, sr_m = sr + miss[1], wl_m = wl + mw, sl_m = sl + miss[1];
        if (wl >= mcw && wr_m >= mcw && wl > 0) consider(i, sl * sl / wl + sr_m * sr_m / wr_m, false);
        if (i + 1 < m && wl_m >= mcw && wr >= mcw && wr > 0) consider(i, sl_m * sl_m / wl_m + sr * sr / wr, true);
      }
    }
    if (best > -std::numeric_limits<double>::infinity()) emit(best_i, best, best_left);
  }

  // Packed rows of nodes above kIndexRows rows move with the node's rows, so that a node's packed
  // rows are contiguous and in position order (pos_ is the identity there). Below, the node's
  // block of packed rows (at most kIndexRows * W_ bytes: cache-resident) stays put for the whole
  // subtree and pos_[i] says where position i's packed row is: partitions move 4-byte indices
  // instead of W_-byte rows.
  static constexpr size_t kIndexRows = 4096;
  // Histograms of nodes above this many rows read the feature's column of bin codes (one byte a
  // row, a column that stays in L2) rather than one cache line of packed row per row.
  static constexpr size_t kColumnRows = 16384;
  bool moves_rows(size_t b, size_t e) const noexcept { return e - b > kIndexRows; }

  // Partition of [b, e): rows going left first. Column-major data keeps both sides in their
  // previous (ascending row) order, so that gathers walk forward through the columns.
  size_t partition(size_t b, size_t e, const SplitChoice& s) {
    if (W_ > 0) return moves_rows(b, e) ? partition_packed(b, e, s) : partition_indexed(b, e, s);
    const auto f = static_cast<size_t>(s.feature);
    const uint8_t* col = ctx_.x->column(f);
    const float* raw = ctx_.raw[f];
    auto goes_left = [&](uint32_t row) -> bool {
      if (s.exact) {
        const float v = raw[row];
        return v != v ? s.missing_left != 0 : v <= s.threshold;
      }
      const uint8_t bin = col[row];
      return bin == 0 ? s.missing_left != 0 : bin <= s.bin;
    };
    spill_rows_.clear();
    spill_w_.clear();
    spill_y_.clear();
    size_t l = b;
    for (size_t i = b; i < e; ++i) {
      const uint32_t row = rows_[i];
      const double y = k_ > 0 ? static_cast<double>(cls_[i]) : val_[i];
      if (goes_left(row)) {
        rows_[l] = row;
        weight_[l] = weight_[i];
        if (k_ > 0)
          cls_[l] = cls_[i];
        else
          val_[l] = val_[i];
        ++l;
      } else {
        spill_rows_.push_back(row);
        spill_w_.push_back(weight_[i]);
        spill_y_.push_back(y);
      }
    }
    for (size_t j = 0; j < spill_rows_.size(); ++j) {
      rows_[l + j] = spill_rows_[j];
      weight_[l + j] = spill_w_[j];
      if (k_ > 0)
        cls_[l + j] = static_cast<int32_t>(spill_y_[j]);
      else
        val_[l + j] = spill_y_[j];
    }
    return l;
  }

  // partition() above kIndexRows rows of packed data: rows on the wrong side are swapped from
  // both ends (Hoare), so a lopsided split (one-hot features peel off a few rows at a time) moves
  // only the rows of its smaller side, once. Not stable, which packed rows do not need: the
  // order of a node's rows changes only the order of sums (exact for integer weights) and which
  // of equal values comes first.
  size_t partition_packed(size_t b, size_t e, const SplitChoice& s) {
    const auto f = static_cast<size_t>(s.feature);
    uint8_t* pk = pk_.data();
    const size_t at = s.exact ? ctx_.raw_offset[f] : ctx_.bins_offset + f;
    const uint8_t missing_left = s.missing_left;
    auto goes_left = [&](size_t i) -> bool {
      if (s.exact) {
        float v;
        std::memcpy(&v, pk + i * W_ + at, sizeof v);
        return v != v ? missing_left != 0 : v <= s.threshold;
      }
      const uint8_t bin = pk[i * W_ + at];
      return bin == 0 ? missing_left != 0 : bin <= s.bin;
    };
    swap_row_.resize(W_);
    return partition_both_ends(b, e, goes_left, [&](size_t i, size_t j) {
      swap_rows(pk + i * W_, pk + j * W_, W_, swap_row_.data());
      std::swap(rows_[i], rows_[j]);  // the column histograms of big nodes read rows_
    });
  }

  // partition() below kIndexRows rows of packed data: the packed rows stay, and the node's
  // positions (pos_, weights, targets) are partitioned from both ends as partition_packed does.
  size_t partition_indexed(size_t b, size_t e, const SplitChoice& s) {
    const auto f = static_cast<size_t>(s.feature);
    const uint8_t* pk = pk_.data() + (s.exact ? ctx_.raw_offset[f] : ctx_.bins_offset + f);
    const uint8_t missing_left = s.missing_left;
    uint32_t* pos = pos_.data();
    auto goes_left = [&](size_t i) -> bool {
      const size_t at = size_t{pos[i]} * W_;
      if (s.exact) {
        float v;
        std::memcpy(&v, pk + at, sizeof v);
        return v != v ? missing_left != 0 : v <= s.threshold;
      }
      const uint8_t bin = pk[at];
      return bin == 0 ? missing_left != 0 : bin <= s.bin;
    };
    return partition_both_ends(b, e, goes_left, [pos](size_t i, size_t j) { std::swap(pos[i], pos[j]); });
  }

  // Hoare's partition of positions [b, e): a row going right at i and one going left at j trade
  // places (swap_rows(i, j) moves what the caller's layout keeps per position; weights and
  // targets move here). Returns where the right side starts.
  template <class GoesLeft, class SwapRows>
  size_t partition_both_ends(size_t b, size_t e, GoesLeft goes_left, SwapRows swap_rows_at) {
    size_t i = b, j = e;
    for (;;) {
      while (i < j && goes_left(i)) ++i;
      while (i < j && !goes_left(j - 1)) --j;
      if (i + 1 >= j) break;
      --j;
      swap_rows_at(i, j);
      std::swap(weight_[i], weight_[j]);
      if (k_ > 0)
        std::swap(cls_[i], cls_[j]);
      else
        std::swap(val_[i], val_[j]);
      ++i;
    }
    return i;
  }

  const TrainingContext& ctx_;
  const size_t p_;
  const size_t k_;
  const size_t W_;  // bytes per packed row; 0: column-major gathers
  // The tree's packed rows: at position i (nodes above kIndexRows rows, where rows_[i] is its
  // row), or at pos_[i] (below, where rows_ is no longer kept).
  std::vector<uint8_t> pk_, swap_row_;
  size_t stride_ = 2, slot_size_ = 512, sub_cap_ = 1;
  bool share_pure_ = false;
  Rng rng_{0};
  std::vector<uint32_t> rows_;
  std::vector<double> weight_;
  std::vector<int32_t> cls_;
  std::vector<double> val_;
  std::vector<uint32_t> counts_, perm_, todo_, slot_feature_, constants_;
  std::vector<uint8_t> is_constant_;
  std::vector<double> hist_, hist2_;
  std::vector<uint64_t> masks_;
  std::vector<uint8_t> list_;
  std::vector<uint64_t> keys_, sort_tmp_;
  std::vector<float> values_;
  std::vector<double> group_, miss_, left_, tn_, part_;
  std::vector<uint32_t> spill_rows_, pos_;
  std::vector<double> spill_w_, spill_y_;
  double sq_ = 0;
};

}  // namespace visiondb::ml::detail
