// The trainer's split search against a brute-force reference: the root split of a one-level
// tree over every row and every feature must be the best Gini split found by trying every
// threshold between distinct values (NULLs sent either way), and the key sort of small nodes
// must order keys as std::sort does.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "visiondb/ml/forest/detail/tree_builder.hpp"  // sort_keys
#include "visiondb/ml/forest/synthetic_data.hpp"
#include "visiondb/ml/forest/trainer.hpp"

using namespace visiondb::ml;

namespace {

struct ReferenceSplit {
  double score = -std::numeric_limits<double>::infinity();
  size_t feature = 0;
  float threshold = 0;
  bool missing_left = false;
};

// Every threshold of every feature, scored as sum_c L_c^2 / W_L + sum_c R_c^2 / W_R (the Gini
// gain up to constants), children of weight >= 1.
ReferenceSplit brute_force_split(const std::vector<std::vector<float>>& cols, const std::vector<int32_t>& cls,
                                 const std::vector<double>& w, size_t k) {
  ReferenceSplit best;
  const size_t n = cls.size();
  for (size_t f = 0; f < cols.size(); ++f) {
    std::vector<size_t> order;
    std::vector<double> miss(k, 0.0), total(k, 0.0);
    double mw = 0;
    for (size_t i = 0; i < n; ++i) {
      if (std::isnan(cols[f][i])) {
        miss[static_cast<size_t>(cls[i])] += w[i];
        mw += w[i];
      } else {
        order.push_back(i);
        total[static_cast<size_t>(cls[i])] += w[i];
      }
    }
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return cols[f][a] < cols[f][b]; });
    std::vector<double> left(k, 0.0);
    auto score_of = [&](const std::vector<double>& l, const std::vector<double>& r) {
      double wl = 0, wr = 0, sl = 0, sr = 0;
      for (size_t c = 0; c < k; ++c) {
        wl += l[c];
        wr += r[c];
        sl += l[c] * l[c];
        sr += r[c] * r[c];
      }
      if (wl < 1 || wr < 1) return -std::numeric_limits<double>::infinity();
      return sl / wl + sr / wr;
    };
    for (size_t j = 0; j < order.size(); ++j) {
      left[static_cast<size_t>(cls[order[j]])] += w[order[j]];
      const bool last = j + 1 == order.size();
      if (!last && cols[f][order[j + 1]] == cols[f][order[j]]) continue;
      std::vector<double> right(k), left_m(k), right_m(k);
      for (size_t c = 0; c < k; ++c) {
        right[c] = total[c] - left[c];
        left_m[c] = left[c] + miss[c];
        right_m[c] = right[c] + miss[c];
      }
      const float lo = cols[f][order[j]];
      float threshold = std::numeric_limits<float>::infinity();
      if (!last) {
        const float hi = cols[f][order[j + 1]];
        auto m = static_cast<float>(static_cast<double>(lo) + (static_cast<double>(hi) - static_cast<double>(lo)) / 2);
        threshold = (m >= hi || m < lo) ? lo : m;
      }
      auto consider = [&](double s, bool ml) {
        if (s > best.score) {
          best = {s, f, threshold, ml};
        }
      };
      if (!last || mw > 0) consider(score_of(left, right_m), false);
      if (!last && mw > 0) consider(score_of(left_m, right), true);
    }
  }
  return best;
}

}  // namespace

TEST(ForestSplitSearch, RootSplitIsTheBruteForceBest) {
  // Quantile-binned features searched exactly (many distinct values, ties), a few-valued one
  // (its bins are exact), NULLs in some, non-integer class weights; several seeds of data.
  const size_t n = 1500, p = 5, k = 4;
  for (uint64_t seed = 1; seed <= 6; ++seed) {
    std::vector<std::vector<float>> cols(p, std::vector<float>(n));
    std::vector<int32_t> cls(n);
    std::vector<int64_t> y(n);
    for (size_t i = 0; i < n; ++i) {
      const double z = synthetic::normal(seed, 1, i);
      cls[i] = static_cast<int32_t>(synthetic::hash(seed, 2, i) % k);
      y[i] = cls[i];
      for (size_t f = 0; f < p; ++f) {
        double v = synthetic::normal(seed, 3, i * p + f) + (f == 1 ? 0.8 * cls[i] : 0.0) + (f == 2 ? 0.3 * z : 0.0);
        if (f == 0) v = std::round(v * 4);             // few values: exact bins
        if (f == 3) v = std::round(v * 300) / 300;     // many ties
        if (f == 4 && synthetic::uniform(seed, 4, i) < 0.1) v = std::nan("");
        if (f == 2 && seed % 2 == 0 && synthetic::uniform(seed, 5, i) < 0.02) v = std::nan("");
        cols[f][i] = static_cast<float>(v);
      }
    }
    FeatureTable t;
    std::vector<std::vector<double>> store(p);
    for (size_t f = 0; f < p; ++f) {
      store[f].assign(cols[f].begin(), cols[f].end());
      const char* names[] = {"f0", "f1", "f2", "f3", "f4"};
      t.add_numeric(names[f], store[f]);
    }
    Labels l = Labels::classes("y", y);
    ForestParams prm = ForestParams::sklearn_defaults(ForestTask::Classification);
    prm.num_trees = 1;
    prm.max_depth = 1;
    prm.sampling = RowSampling::WithoutReplacement;
    prm.subsample = 1.0;
    prm.max_features = static_cast<int32_t>(p);
    prm.exact_node_rows = static_cast<int32_t>(n);
    std::vector<double> w(n, 1.0);
    if (seed % 3 == 0) {
      prm.class_weighting = ClassWeighting::Custom;
      prm.class_weights = {{"0", 1.0}, {"1", 2.5}, {"2", 0.75}, {"3", 1.25}};
      const double cw[k] = {1.0, 2.5, 0.75, 1.25};
      for (size_t i = 0; i < n; ++i) w[i] = cw[cls[i]];
    }
    Forest forest = train_forest(t, l, prm);
    ReferenceSplit ref = brute_force_split(cols, cls, w, k);
    const TreeNode& root = forest.trees[0].nodes[0];
    ASSERT_GE(root.left, 0) << "seed " << seed;
    EXPECT_EQ(static_cast<size_t>(root.feature), ref.feature) << "seed " << seed;
    EXPECT_EQ(root.threshold, ref.threshold) << "seed " << seed;
    EXPECT_EQ(root.missing_left != 0, ref.missing_left) << "seed " << seed;
  }
}

TEST(ForestSplitSearch, KeySortOrdersAsStdSort) {
  // Sizes around the switch from the rank sort to the radix sort; ties in the value half, which
  // the position half breaks; keys sharing high bytes (the radix sort skips those passes).
  for (size_t n : {0u, 1u, 2u, 5u, 63u, 64u, 127u, 128u, 129u, 200u, 256u, 1000u}) {
    for (uint64_t seed = 1; seed <= 3; ++seed) {
      std::vector<uint64_t> keys(n), tmp;
      for (size_t i = 0; i < n; ++i) {
        uint64_t value = seed == 1 ? synthetic::hash(seed, 1, i) % 7 : synthetic::hash(seed, 1, i) & 0xFFFFFFFFu;
        if (seed == 3) value = 0x80000000u | (value & 0xFFFF);
        keys[i] = (value << 32) | i;
      }
      std::vector<uint64_t> expected = keys;
      std::sort(expected.begin(), expected.end());
      visiondb::ml::detail::sort_keys(keys, tmp);
      EXPECT_EQ(keys, expected) << "n " << n << ", seed " << seed;
    }
  }
}

TEST(ForestSplitSearch, QuantileEdgesMatchAStdSortReference) {
  // FeatureBinner::fit sorts a column's float32 values with a radix sort; its edges must be those
  // of the same quantile rule over std::sort's order (negatives, -0 and +0, ties, few values).
  auto reference_edges = [](std::vector<double> v, size_t max_bins) {
    std::sort(v.begin(), v.end());
    std::vector<double> distinct;
    std::vector<size_t> count;
    for (double x : v) {
      if (distinct.empty() || x != distinct.back()) {
        distinct.push_back(x);
        count.push_back(1);
      } else {
        ++count.back();
      }
    }
    auto midpoint = [](double lo, double hi) {
      auto m = static_cast<double>(static_cast<float>(lo + (hi - lo) / 2));
      return (m >= hi || m < lo) ? lo : m;
    };
    std::vector<double> edges;
    if (distinct.size() <= max_bins) {
      for (size_t j = 0; j + 1 < distinct.size(); ++j) edges.push_back(midpoint(distinct[j], distinct[j + 1]));
      return edges;
    }
    double cum = 0;
    const auto total = static_cast<double>(v.size());
    for (size_t j = 0; j + 1 < distinct.size() && edges.size() + 1 < max_bins; ++j) {
      cum += static_cast<double>(count[j]);
      if (cum >= static_cast<double>(edges.size() + 1) * total / static_cast<double>(max_bins))
        edges.push_back(midpoint(distinct[j], distinct[j + 1]));
    }
    return edges;
  };
  for (uint64_t seed = 1; seed <= 4; ++seed) {
    const size_t n = 5000;
    std::vector<double> x(n);
    for (size_t i = 0; i < n; ++i) {
      double v = synthetic::normal(seed, 7, i) * std::pow(10.0, static_cast<double>(seed % 3) * 3 - 3);
      if (seed == 2) v = std::round(v * 50);      // ties, few hundred values
      if (seed == 3) v = std::round(v * 0.002);   // a handful of values: exact bins
      if (i % 97 == 0) v = (i % 2) ? -0.0 : 0.0;
      x[i] = static_cast<double>(static_cast<float>(v));
    }
    FeatureTable t;
    t.add_numeric("x", x);
    FeatureBinner b = FeatureBinner::fit(t, nullptr, 255);
    EXPECT_EQ(b.feature(0).edges, reference_edges(x, 255)) << "seed " << seed;
  }
}

TEST(ForestSplitSearch, SampledBinsStayExactOnlyWhenEveryValueHasItsBin) {
  // Above 200k rows bins are fitted on a row sample; a feature keeps exact bins (split on
  // histograms, no float search) only if every row's value, sampled or not, has its own bin.
  const size_t n = 250001;  // the sample takes every second row
  std::vector<double> one_hot(n), with_stray(n), with_nulls(n);
  for (size_t i = 0; i < n; ++i) {
    one_hot[i] = synthetic::hash(9, 1, i) % 7 == 0 ? 1.0 : 0.0;
    with_stray[i] = static_cast<double>(i % 100);
    with_nulls[i] = i % 3 == 0 ? std::nan("") : static_cast<double>(i % 5);
  }
  with_stray[12345] = 2.5;  // an odd row, outside the sample: it shares a bin with 2 or 3
  FeatureTable t;
  t.add_numeric("one_hot", one_hot);
  t.add_numeric("with_stray", with_stray);
  t.add_numeric("with_nulls", with_nulls);
  FeatureBinner b = FeatureBinner::fit(t, nullptr, 255);
  EXPECT_TRUE(b.feature(0).exact);
  EXPECT_EQ(b.feature(0).bins(), 2u);
  EXPECT_FALSE(b.feature(1).exact);
  EXPECT_TRUE(b.feature(2).exact);
  EXPECT_EQ(b.feature(2).bins(), 5u);
}

TEST(ForestSplitSearch, WideDataBinsAsTheTableDoesAndTrainsDeterministically) {
  // More than 512 features take the wide path: the trainer copies the float32 columns once and
  // fits the bins on the copy. Its bins must be those fitted on the table itself, the model must
  // not depend on the thread count, with exact searches or bins only, and fit its rows.
  const size_t n = 400, p = 600;
  std::vector<float> x(n * p);
  std::vector<int64_t> y(n);
  for (size_t i = 0; i < n; ++i) {
    y[i] = static_cast<int64_t>(synthetic::hash(5, 1, i) % 3);
    for (size_t f = 0; f < p; ++f) {
      double v = synthetic::normal(5, 2, i * p + f) + (f % 50 == 0 ? 0.7 * static_cast<double>(y[i]) : 0.0);
      x[i * p + f] = static_cast<float>(f % 7 == 0 ? std::round(v) : v);  // some few-valued features
    }
  }
  FeatureTable wide;
  wide.add_array("x", std::span<const float>(x), p);
  Labels l = Labels::classes("y", y);
  FeatureBinner direct = FeatureBinner::fit(wide, &l, 255);
  for (int32_t exact_rows : {256, 0}) {
    ForestParams prm = ForestParams::sklearn_defaults(ForestTask::Classification);
    prm.num_trees = 4;
    prm.seed = 11;
    prm.exact_node_rows = exact_rows;
    prm.num_threads = 1;
    Forest a = train_forest(wide, l, prm);
    prm.num_threads = 2;
    Forest b = train_forest(wide, l, prm);
    for (size_t f = 0; f < p; ++f) {
      ASSERT_EQ(a.binner.feature(f).edges, direct.feature(f).edges) << "feature " << f;
      ASSERT_EQ(a.binner.feature(f).exact, direct.feature(f).exact) << "feature " << f;
    }
    ASSERT_EQ(a.trees.size(), b.trees.size());
    for (size_t t = 0; t < a.trees.size(); ++t) {
      ASSERT_EQ(a.trees[t].nodes.size(), b.trees[t].nodes.size());
      for (size_t i = 0; i < a.trees[t].nodes.size(); ++i) {
        EXPECT_EQ(a.trees[t].nodes[i].left, b.trees[t].nodes[i].left);
        EXPECT_EQ(a.trees[t].nodes[i].feature, b.trees[t].nodes[i].feature);
        EXPECT_EQ(a.trees[t].nodes[i].threshold, b.trees[t].nodes[i].threshold);
      }
    }
    std::vector<int32_t> pred = a.predict_class(wide);
    size_t right = 0;
    for (size_t i = 0; i < n; ++i) right += pred[i] == l.class_index()[i];
    EXPECT_GT(right, n * 9 / 10) << "exact_node_rows " << exact_rows;  // bootstrap trees fit their rows
  }
}
