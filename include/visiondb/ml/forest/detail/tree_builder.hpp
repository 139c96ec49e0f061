// TreeBuilder: grows one CART tree on bin codes. Rows of the tree's sample live in one index
// array that is partitioned in place as nodes split (depth first). At a node, features are drawn
// lazily (partial Fisher-Yates) and their per-bin statistics gathered in one pass over the
// node's rows (row-major bins: one cache line per row), or, for small nodes, by sorting the
// rows' bin codes; the scan over thresholds keeps running sums of squares (criteria.hpp).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
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

inline uint64_t tree_seed(uint64_t seed, uint64_t tree) noexcept {
  Rng a{seed};
  Rng b{a.next() ^ (tree * 0xD1B54A32D192ED03ull)};
  return b.next();
}

/// What all trees share.
struct TrainingContext {
  const BinnedMatrix* x = nullptr;
  std::vector<uint32_t> bins;       // non-NULL bins per feature
  const int32_t* classes = nullptr;  // classification targets
  const double* targets = nullptr;   // regression targets
  std::vector<double> row_weight;    // class weight * user weight; 0 drops the row
  std::vector<uint32_t> eligible;    // rows with weight > 0
  size_t num_classes = 0;            // 0 for regression
  ForestParams params;
  int32_t mtry = 1;
};

/// The best split found at a node.
struct SplitChoice {
  double score = -std::numeric_limits<double>::infinity();
  int32_t feature = -1;
  uint8_t bin = 0;
  uint8_t missing_left = 0;
};

/// Per-tree output besides the tree.
struct TreeExtras {
  std::vector<uint64_t> in_bag;  // bitset, when OOB is computed
  std::vector<double> split_count, split_gain, split_cover;
};

class TreeBuilder {
 public:
  explicit TreeBuilder(const TrainingContext& ctx) : ctx_(ctx), p_(ctx.x->cols), k_(ctx.num_classes) {
    stride_ = k_ > 0 ? k_ : 2;  // per-bin statistics: class weights, or (weight, weighted sum)
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
    tree.nodes.emplace_back();
    struct Pending {
      size_t begin, end;
      int32_t depth, id;
    };
    std::vector<Pending> stack{{0, rows_.size(), 0, 0}};
    std::vector<double> totals(stride_ + 1);
    while (!stack.empty()) {
      Pending nd = stack.back();
      stack.pop_back();
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
      const double w = totals[stride_];
      extras.split_count[static_cast<size_t>(split.feature)] += 1;
      extras.split_gain[static_cast<size_t>(split.feature)] += std::max(0.0, split.score - parent_score(totals.data()));
      extras.split_cover[static_cast<size_t>(split.feature)] += w;
      auto left = static_cast<int32_t>(tree.nodes.size());
      tree.nodes.emplace_back();
      tree.nodes.emplace_back();
      TreeNode& node = tree.nodes[static_cast<size_t>(nd.id)];
      node.left = left;
      node.feature = split.feature;
      node.bin = split.bin;
      node.missing_left = split.missing_left;
      stack.push_back({mid, nd.end, nd.depth + 1, left + 1});
      stack.push_back({nd.begin, mid, nd.depth + 1, left});
    }
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
    if (k_ > 0) {
      cls_.resize(rows_.size());
      for (size_t i = 0; i < rows_.size(); ++i) cls_[i] = ctx_.classes[rows_[i]];
    } else {
      val_.resize(rows_.size());
      for (size_t i = 0; i < rows_.size(); ++i) val_[i] = ctx_.targets[rows_[i]];
    }
  }

  // ---- node statistics -----------------------------------------------------------------------
  // totals: class weights (k) or (W, S), then the node weight; for regression also sum w*y^2 in sq_.
  void node_totals(size_t b, size_t e, double* t) {
    std::fill(t, t + stride_ + 1, 0.0);
    if (k_ > 0) {
      for (size_t i = b; i < e; ++i) t[cls_[i]] += weight_[i];
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
    node.feature = static_cast<int32_t>(tree.values.size());
    const double w = t[stride_];
    if (k_ > 0) {
      for (size_t c = 0; c < k_; ++c) tree.values.push_back(static_cast<float>(w > 0 ? t[c] / w : 0.0));
    } else {
      tree.values.push_back(static_cast<float>(w > 0 ? t[1] / w : 0.0));
    }
  }

  // ---- split search --------------------------------------------------------------------------
  SplitChoice find_split(size_t b, size_t e, const double* totals) {
    SplitChoice best;
    const int32_t mtry = ctx_.mtry;
    const bool fixed = ctx_.params.draw_policy == FeatureDrawPolicy::Fixed;
    size_t drawn = 0, visited = 0;
    while (drawn < p_) {
      size_t want = fixed ? static_cast<size_t>(mtry) - drawn
                          : (visited < static_cast<size_t>(mtry) ? static_cast<size_t>(mtry) - visited : static_cast<size_t>(mtry));
      want = std::min(want, p_ - drawn);
      batch_.clear();
      for (size_t j = 0; j < want; ++j, ++drawn) {
        size_t pick = drawn + rng_.below(p_ - drawn);
        std::swap(perm_[drawn], perm_[pick]);
        batch_.push_back(perm_[drawn]);
      }
      gather(b, e);
      for (size_t j = 0; j < batch_.size(); ++j) {
        if (bin_list_[j].size() + (missing_w_[j] > 0 ? 1 : 0) < 2) continue;  // constant in this node
        ++visited;
        evaluate(j, totals, best);
      }
      if (fixed) break;
      if (visited >= static_cast<size_t>(mtry) && best.feature >= 0) break;
    }
    return best;
  }

  // Per-bin statistics of the batch's features: for each feature j, bin_list_[j] holds the
  // non-empty non-NULL bins in ascending order and stats_ their statistics; missing_ the NULL bin.
  void gather(size_t b, size_t e) {
    const size_t nb = batch_.size();
    bin_list_.resize(nb);
    missing_w_.assign(nb, 0.0);
    missing_.assign(nb * stride_, 0.0);
    stat_off_.resize(nb);
    size_t total_bins = 0;
    for (size_t j = 0; j < nb; ++j) {
      stat_off_[j] = total_bins;
      total_bins += ctx_.bins[batch_[j]] + 1;
    }
    const size_t n = e - b;
    if (n * 4 < total_bins / nb * (k_ > 0 ? k_ : 2) + 16) {
      gather_sorted(b, e);
      return;
    }
    sorted_ = false;
    hist_.assign(total_bins * stride_, 0.0);
    constexpr size_t kChunk = 1 << 15;
    if (n >= 4 * kChunk) {
      const size_t chunks = (n + kChunk - 1) / kChunk;
      chunk_hist_.assign(chunks * hist_.size(), 0.0);
      visiondb::parallel_for_each_index(0, chunks, [&](size_t c) {
        size_t cb = b + c * kChunk, ce = std::min(e, cb + kChunk);
        accumulate(cb, ce, chunk_hist_.data() + c * hist_.size());
      });
      for (size_t c = 0; c < chunks; ++c) {  // merged in chunk order: the same sums at any thread count
        const double* h = chunk_hist_.data() + c * hist_.size();
        for (size_t i = 0; i < hist_.size(); ++i) hist_[i] += h[i];
      }
    } else {
      accumulate(b, e, hist_.data());
    }
    for (size_t j = 0; j < nb; ++j) {
      auto& list = bin_list_[j];
      list.clear();
      const double* h = hist_.data() + stat_off_[j] * stride_;
      const uint32_t bins = ctx_.bins[batch_[j]];
      for (size_t s = 0; s < stride_; ++s) missing_[j * stride_ + s] = h[s];
      missing_w_[j] = bin_weight(h);
      for (uint32_t bin = 1; bin <= bins; ++bin)
        if (bin_weight(h + bin * stride_) > 0) list.push_back(static_cast<uint8_t>(bin));
    }
  }

  double bin_weight(const double* h) const noexcept {
    if (k_ == 0) return h[0];
    double w = 0;
    for (size_t c = 0; c < k_; ++c) w += h[c];
    return w;
  }

  void accumulate(size_t b, size_t e, double* hist) const {
    const uint8_t* x = ctx_.x->bins.data();
    const size_t nb = batch_.size();
    uint32_t feat[256];
    size_t off[256];
    // Batches are at most mtry features; process them 256 at a time.
    for (size_t j0 = 0; j0 < nb; j0 += 256) {
      const size_t j1 = std::min(nb, j0 + 256);
      for (size_t j = j0; j < j1; ++j) {
        feat[j - j0] = batch_[j];
        off[j - j0] = stat_off_[j] * stride_;
      }
      const size_t m = j1 - j0;
      if (k_ > 0) {
        for (size_t i = b; i < e; ++i) {
          const uint8_t* r = x + static_cast<size_t>(rows_[i]) * p_;
          const size_t y = static_cast<size_t>(cls_[i]);
          const double w = weight_[i];
          double* h = hist + y;
          for (size_t j = 0; j < m; ++j) h[off[j] + r[feat[j]] * stride_] += w;
        }
      } else {
        for (size_t i = b; i < e; ++i) {
          const uint8_t* r = x + static_cast<size_t>(rows_[i]) * p_;
          const double w = weight_[i], wy = w * val_[i];
          for (size_t j = 0; j < m; ++j) {
            double* h = hist + off[j] + r[feat[j]] * 2;
            h[0] += w;
            h[1] += wy;
          }
        }
      }
    }
  }

  // Small nodes: sort (bin, row) keys per feature instead of clearing and scanning 256 bins.
  void gather_sorted(size_t b, size_t e) {
    const uint8_t* x = ctx_.x->bins.data();
    const size_t n = e - b, nb = batch_.size();
    keys_.resize(n);
    size_t needed = 0;
    for (size_t j = 0; j < nb; ++j) needed += n;  // upper bound on non-empty bins
    hist_.resize(std::max(hist_.size(), needed * stride_));
    size_t used = 0;
    for (size_t j = 0; j < nb; ++j) {
      const uint32_t f = batch_[j];
      for (size_t i = 0; i < n; ++i) keys_[i] = (static_cast<uint32_t>(x[static_cast<size_t>(rows_[b + i]) * p_ + f]) << 24) | static_cast<uint32_t>(i);
      std::sort(keys_.begin(), keys_.end());
      auto& list = bin_list_[j];
      list.clear();
      stat_off_[j] = used;
      double* miss = missing_.data() + j * stride_;
      size_t i = 0;
      while (i < n) {
        const uint32_t bin = keys_[i] >> 24;
        double* s = bin == 0 ? miss : hist_.data() + used * stride_;
        if (bin != 0) std::fill(s, s + stride_, 0.0);
        for (; i < n && (keys_[i] >> 24) == bin; ++i) {
          const size_t pos = b + (keys_[i] & 0xFFFFFFu);
          if (k_ > 0) {
            s[cls_[pos]] += weight_[pos];
          } else {
            s[0] += weight_[pos];
            s[1] += weight_[pos] * val_[pos];
          }
        }
        if (bin == 0) {
          missing_w_[j] = bin_weight(miss);
        } else {
          list.push_back(static_cast<uint8_t>(bin));
          ++used;
        }
      }
      sorted_ = true;
    }
  }

  // Scans feature j's thresholds; keeps the best in `best`.
  void evaluate(size_t j, const double* totals, SplitChoice& best) {
    const auto& list = bin_list_[j];
    const size_t m = list.size();
    const double mcw = ctx_.params.min_child_weight;
    const double* miss = missing_.data() + j * stride_;
    const double mw = missing_w_[j];
    const double w_all = totals[stride_];
    const double wn = w_all - mw;  // non-NULL weight
    // Statistics of bin list[i]: in the histogram path they sit at the bin's offset, in the
    // sorted path consecutively.
    auto stats = [&](size_t i) -> const double* {
      return sorted_ ? hist_.data() + (stat_off_[j] + i) * stride_
                     : hist_.data() + (stat_off_[j] + list[i]) * stride_;
    };
    const auto feature = static_cast<int32_t>(batch_[j]);
    auto consider = [&](double score, size_t i, bool missing_left) {
      if (score > best.score) {
        best.score = score;
        best.feature = feature;
        best.bin = list[i];
        best.missing_left = missing_left ? 1 : 0;
      }
    };
    if (k_ > 0) {
      left_.assign(k_, 0.0);
      tn_.resize(k_);
      double* l = left_.data();
      double* tn = tn_.data();
      double sq_l = 0, sq_r = 0, sq_m = 0, wl = 0;
      for (size_t c = 0; c < k_; ++c) {
        tn[c] = totals[c] - miss[c];
        sq_r += tn[c] * tn[c];
        sq_m += miss[c] * miss[c];
      }
      const size_t last = mw > 0 ? m : m - 1;  // with NULLs, "all values vs NULL" is a split too
      for (size_t i = 0; i < last; ++i) {
        const double* s = stats(i);
        for (size_t c = 0; c < k_; ++c) {
          const double w = s[c];
          if (w == 0) continue;
          sq_l += w * (2 * l[c] + w);
          sq_r += w * (w - 2 * (tn[c] - l[c]));
          l[c] += w;
          wl += w;
        }
        const double wr = wn - wl;
        if (mw == 0) {
          if (wl >= mcw && wr >= mcw && wl > 0 && wr > 0) consider(sq_l / wl + sq_r / wr, i, false);
          continue;
        }
        // NULLs right: R' = R + M; NULLs left: L' = L + M.
        double cross_r = 0, cross_l = 0;
        for (size_t c = 0; c < k_; ++c) {
          cross_r += (tn[c] - l[c]) * miss[c];
          cross_l += l[c] * miss[c];
        }
        const double wr_m = wr + mw, wl_m = wl + mw;
        if (wl >= mcw && wr_m >= mcw && wl > 0) consider(sq_l / wl + (sq_r + 2 * cross_r + sq_m) / wr_m, i, false);
        if (i + 1 < m && wl_m >= mcw && wr >= mcw && wr > 0) consider((sq_l + 2 * cross_l + sq_m) / wl_m + sq_r / wr, i, true);
      }
    } else {
      const double sn = totals[1] - miss[1];
      double wl = 0, sl = 0;
      const size_t last = mw > 0 ? m : m - 1;
      for (size_t i = 0; i < last; ++i) {
        const double* s = stats(i);
        wl += s[0];
        sl += s[1];
        const double wr = wn - wl, sr = sn - sl;
        if (mw == 0) {
          if (wl >= mcw && wr >= mcw && wl > 0 && wr > 0) consider(sl * sl / wl + sr * sr / wr, i, false);
          continue;
        }
        const double wr_m = wr + mw, sr_m = sr + miss[1], wl_m = wl + mw, sl_m = sl + miss[1];
        if (wl >= mcw && wr_m >= mcw && wl > 0) consider(sl * sl / wl + sr_m * sr_m / wr_m, i, false);
        if (i + 1 < m && wl_m >= mcw && wr >= mcw && wr > 0) consider(sl_m * sl_m / wl_m + sr * sr / wr, i, true);
      }
    }
  }

  // In-place partition of [b, e): rows going left first. Returns the first right row.
  size_t partition(size_t b, size_t e, const SplitChoice& s) {
    const uint8_t* x = ctx_.x->bins.data() + s.feature;
    TreeNode probe;
    probe.bin = s.bin;
    probe.missing_left = s.missing_left;
    size_t i = b, j = e;
    while (true) {
      while (i < j && probe.goes_left(x[static_cast<size_t>(rows_[i]) * p_])) ++i;
      while (i < j && !probe.goes_left(x[static_cast<size_t>(rows_[j - 1]) * p_])) --j;
      if (i >= j) break;
      --j;
      std::swap(rows_[i], rows_[j]);
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
  size_t stride_ = 2;
  Rng rng_{0};
  std::vector<uint32_t> rows_;
  std::vector<double> weight_;
  std::vector<int32_t> cls_;
  std::vector<double> val_;
  std::vector<uint32_t> counts_;
  std::vector<uint32_t> perm_;
  std::vector<uint32_t> batch_;
  std::vector<std::vector<uint8_t>> bin_list_;
  std::vector<size_t> stat_off_;
  std::vector<double> hist_, chunk_hist_, missing_, missing_w_;
  std::vector<double> left_, tn_;
  std::vector<uint32_t> keys_;
  double sq_ = 0;
  bool sorted_ = false;
};

}  // namespace visiondb::ml::detail
