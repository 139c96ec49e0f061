#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <string_view>

#include "visiondb/common/error.hpp"
#include "visiondb/ml/forest/synthetic_data.hpp"
#include "visiondb/ml/forest/trainer.hpp"
#include "visiondb/ml/metrics.hpp"

using visiondb::InvalidArgument;
using namespace visiondb::ml;

namespace {
template <class F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const InvalidArgument& e) {
    return e.what();
  }
  return "";
}

ForestParams small_params(ForestTask task = ForestTask::Classification) {
  ForestParams p = ForestParams::sklearn_defaults(task);
  p.num_trees = 10;
  p.seed = 7;
  return p;
}

bool same_trees(const Forest& a, const Forest& b) {
  if (a.trees.size() != b.trees.size()) return false;
  for (size_t t = 0; t < a.trees.size(); ++t) {
    const Tree &x = a.trees[t], &y = b.trees[t];
    if (x.nodes.size() != y.nodes.size() || x.values != y.values) return false;
    for (size_t i = 0; i < x.nodes.size(); ++i)
      if (x.nodes[i].left != y.nodes[i].left || x.nodes[i].feature != y.nodes[i].feature ||
          x.nodes[i].threshold != y.nodes[i].threshold || x.nodes[i].missing_left != y.nodes[i].missing_left)
        return false;
  }
  return true;
}
}  // namespace

TEST(ForestTrainer, FitsASeparableProblemExactly) {
  // Class = (x0 > 0.5) xor (x1 > 0.5): needs depth 2, no single split helps.
  SyntheticData d = make_friedman1_like(2000, 5, 0.0, 11);
  std::vector<int64_t> y(d.rows);
  for (size_t i = 0; i < d.rows; ++i) y[i] = (d.x[i * 5] > 0.5f) != (d.x[i * 5 + 1] > 0.5f);
  FeatureTable t;
  t.add_array("x", std::span<const float>(d.x), 5);
  Labels l = Labels::classes("y", y);
  ForestParams p = small_params();
  p.max_features = 5;
  Forest f = train_forest(t, l, p);
  std::vector<int32_t> pred = f.predict_class(t);
  size_t correct = 0;
  for (size_t i = 0; i < d.rows; ++i) correct += pred[i] == l.class_index()[i];
  EXPECT_EQ(correct, d.rows);
  EXPECT_EQ(f.trees.size(), 10u);
  EXPECT_EQ(f.class_names, (std::vector<std::string>{"0", "1"}));
  // Probabilities are a distribution per row.
  std::vector<float> prob = f.predict_proba(t);
  for (size_t i = 0; i < d.rows; ++i) EXPECT_NEAR(prob[2 * i] + prob[2 * i + 1], 1.0f, 1e-5f);
}

TEST(ForestTrainer, SameModelAtOneAndTwoThreads) {
  // Large enough for the root's histograms to be built in parallel chunks.
  ClassificationSpec spec;
  spec.rows = 140000;
  spec.features = 8;
  spec.informative = 4;
  spec.redundant = 2;
  spec.classes = 3;
  spec.seed = 21;
  SyntheticData d = make_classification_like(spec);
  std::vector<int64_t> y(d.label.begin(), d.label.end());
  FeatureTable t;
  t.add_array("x", std::span<const float>(d.x), d.cols);
  Labels l = Labels::classes("y", y);
  ForestParams p = ForestParams::bigquery_defaults(ForestTask::Classification);
  p.num_trees = 4;
  p.max_depth = 8;
  p.seed = 3;
  p.compute_oob = true;
  p.num_threads = 1;
  Forest one = train_forest(t, l, p);
  p.num_threads = 2;
  Forest two = train_forest(t, l, p);
  EXPECT_TRUE(same_trees(one, two)) << "seed " << p.seed;
  EXPECT_EQ(one.info.oob_score, two.info.oob_score);
  p.seed = 4;
  Forest other = train_forest(t, l, p);
  EXPECT_FALSE(same_trees(one, other));
}

TEST(ForestTrainer, RegressionLearnsASmoothFunction) {
  SyntheticData d = make_friedman1_like(4000, 6, 0.5, 5);
  FeatureTable t;
  t.add_array("x", std::span<const float>(d.x), d.cols);
  Labels l = Labels::numeric("y", d.target);
  ForestParams p = small_params(ForestTask::Regression);
  p.num_trees = 30;
  p.compute_oob = true;
  Forest f = train_forest(t, l, p);
  EXPECT_GT(f.info.oob_score, 0.8);
  std::vector<double> pred = f.predict_value(t);
  EXPECT_GT(regression_metrics(d.target, pred).r2_score, 0.95);
  EXPECT_THROW(f.predict_proba(t), InvalidArgument);
}

TEST(ForestTrainer, UsesCategoricalAndNullInformation) {
  // The class is decided by a STRING column and by whether a numeric column is NULL.
  const size_t n = 3000;
  std::vector<std::string> colors = {"red", "green", "blue", "black", "white"};
  std::vector<std::string_view> c(n);
  std::vector<double> x(n), noise(n);
  std::vector<std::string_view> y(n);
  for (size_t i = 0; i < n; ++i) {
    size_t k = synthetic::hash(1, 1, i) % colors.size();
    bool is_null = synthetic::uniform(1, 2, i) < 0.3;
    c[i] = colors[k];
    x[i] = is_null ? std::nan("") : synthetic::uniform(1, 3, i);
    noise[i] = synthetic::uniform(1, 4, i);
    bool warm = k == 0 || k == 3;  // red, black: not adjacent in any order of names
    y[i] = (warm != is_null) ? "yes" : "no";
  }
  FeatureTable t;
  t.add_categorical("color", c);
  t.add_numeric("x", x);
  t.add_numeric("noise", noise);
  Labels l = Labels::classes("label", y);
  ForestParams p = small_params();
  p.max_features = 3;
  p.max_depth = 4;
  Forest f = train_forest(t, l, p);
  std::vector<int32_t> pred = f.predict_class(t);
  size_t correct = 0;
  for (size_t i = 0; i < n; ++i) correct += pred[i] == l.class_index()[i];
  EXPECT_EQ(correct, n);
  std::vector<FeatureImportance> imp = f.feature_importance();
  ASSERT_EQ(imp.size(), 3u);
  EXPECT_EQ(imp[0].feature, "color");
  EXPECT_GT(imp[0].gain, imp[2].gain);
  EXPECT_GT(imp[1].gain, imp[2].gain);
}

TEST(ForestTrainer, ClassWeightsShiftPredictions) {
  // 95% "common", 5% "rare" with overlapping features: balanced weights predict "rare" more.
  const size_t n = 4000;
  std::vector<double> x(n);
  std::vector<std::string_view> y(n);
  for (size_t i = 0; i < n; ++i) {
    bool rare = synthetic::uniform(2, 1, i) < 0.05;
    y[i] = rare ? "rare" : "common";
    x[i] = synthetic::normal(2, 2, i) + (rare ? 1.0 : 0.0);
  }
  FeatureTable t;
  t.add_numeric("x", x);
  Labels l = Labels::classes("y", y);
  ForestParams p = small_params();
  p.min_child_weight = 50;
  Forest plain = train_forest(t, l, p);
  p.class_weighting = ClassWeighting::Balanced;
  Forest balanced = train_forest(t, l, p);
  auto count_rare = [&](const Forest& f) {
    size_t r = 0;
    for (int32_t c : f.predict_class(t)) r += c == 1;
    return r;
  };
  EXPECT_GT(count_rare(balanced), 3 * count_rare(plain) + 50);
  p.class_weighting = ClassWeighting::Custom;
  p.class_weights = {{"unknown", 2.0}};
  EXPECT_NE(error_of([&] { train_forest(t, l, p); }).find("names class \"unknown\""), std::string::npos);
}

TEST(ForestTrainer, ReportsProgress) {
  std::vector<double> x = {1, 2, 3, 4, 5, 6};
  std::vector<int64_t> y = {0, 0, 0, 1, 1, 1};
  FeatureTable t;
  t.add_numeric("x", x);
  Labels l = Labels::classes("y", y);
  ForestParams p = small_params();
  p.num_trees = 13;
  std::vector<size_t> seen;
  train_forest(t, l, p, {}, [&](size_t done, size_t total) {
    EXPECT_EQ(total, 13u);
    seen.push_back(done);
  });
  ASSERT_EQ(seen.size(), 13u);
  for (size_t i = 0; i < seen.size(); ++i) EXPECT_EQ(seen[i], i + 1);
}

TEST(ForestTrainer, RejectsBadTrainingData) {
  std::vector<double> x = {1, 2, 3};
  std::vector<std::string_view> one = {"a", "a", "a"};
  std::vector<std::string_view> two = {"a", "b"};
  FeatureTable t;
  t.add_numeric("x", x);
  ForestParams p = small_params();
  EXPECT_NE(error_of([&] { train_forest(t, Labels::classes("y", one), p); }).find("\"y\" has a single class \"a\""),
            std::string::npos);
  EXPECT_NE(error_of([&] { train_forest(t, Labels::classes("y", two), p); }).find("has 2 rows but the features have 3"),
            std::string::npos);
  FeatureTable empty;
  std::vector<double> none;
  empty.add_numeric("x", none);
  std::vector<std::string_view> no_labels;
  EXPECT_NE(error_of([&] { train_forest(empty, Labels::classes("y", no_labels), p); }).find("training data is empty"),
            std::string::npos);
  std::vector<double> v = {1, 2, 3};
  EXPECT_NE(error_of([&] { train_forest(t, Labels::numeric("y", v), p); }).find("is numeric; a classifier needs"),
            std::string::npos);
  std::vector<std::string_view> ab = {"a", "b", "a"};
  std::vector<double> w = {1, -1, 1};
  EXPECT_NE(error_of([&] { train_forest(t, Labels::classes("y", ab), p, w); }).find("row weight at row 1"),
            std::string::npos);
  p.num_trees = -3;
  EXPECT_NE(error_of([&] { train_forest(t, Labels::classes("y", ab), p); }).find("num_parallel_tree"), std::string::npos);
}

TEST(ForestTrainer, OneFullTreeReproducesItsTrainingRows) {
  // Unique rows and random labels: a fully grown tree on every row and every feature must
  // classify its training rows exactly, which checks that the thresholds prediction compares
  // agree with the partitions training made (binned, exact and NULL paths alike). Bins alone
  // separate rows only when every value has its own bin (at most 255 distinct values).
  const size_t n = 3000, p = 4;
  for (bool few_values : {true, false}) {
    std::vector<double> x(n * p);
    std::vector<uint8_t> valid(n);
    std::vector<int64_t> y(n);
    for (size_t i = 0; i < n; ++i) {
      for (size_t f = 0; f < p; ++f) {
        double v = synthetic::normal(4, 1, i * p + f);
        x[i * p + f] = few_values ? std::round(std::clamp(v, -3.0, 3.0) * 30.0) : v * 1000.0;
      }
      valid[i] = synthetic::uniform(4, 2, i) > 0.05;  // some NULL rows
      y[i] = static_cast<int64_t>(synthetic::hash(4, 3, i) % 3);
    }
    // Plain columns that make every row unique, NULL array or not (200 x 15 values).
    std::vector<double> z1(n), z2(n);
    for (size_t i = 0; i < n; ++i) {
      z1[i] = static_cast<double>((i * 7) % 200);
      z2[i] = static_cast<double>(i / 200);
    }
    FeatureTable t;
    t.add_array("x", x, p, valid);
    t.add_numeric("z1", z1);
    t.add_numeric("z2", z2);
    Labels l = Labels::classes("y", y);
    for (int32_t exact : few_values ? std::vector<int32_t>{0} : std::vector<int32_t>{64, 100000}) {
      ForestParams prm = ForestParams::sklearn_defaults(ForestTask::Classification);
      prm.num_trees = 1;
      prm.sampling = RowSampling::WithoutReplacement;
      prm.subsample = 1.0;
      prm.max_features = static_cast<int32_t>(p + 2);
      prm.exact_node_rows = exact;
      Forest f = train_forest(t, l, prm);
      std::vector<int32_t> pred = f.predict_class(t);
      size_t wrong = 0;
      for (size_t i = 0; i < n; ++i) wrong += pred[i] != l.class_index()[i];
      EXPECT_EQ(wrong, 0u) << "exact_node_rows " << exact << ", few values " << few_values;
    }
  }
}

TEST(ForestTrainer, FixedDrawPolicyAndRegressionWithNulls) {
  SyntheticData d = make_friedman1_like(3000, 6, 0.3, 8);
  std::vector<uint8_t> valid(d.rows);
  for (size_t i = 0; i < d.rows; ++i) valid[i] = i % 7 != 0;
  FeatureTable t;
  t.add_array("x", std::span<const float>(d.x), d.cols, valid);
  Labels l = Labels::numeric("y", d.target);
  ForestParams p = ForestParams::bigquery_defaults(ForestTask::Regression);
  p.draw_policy = FeatureDrawPolicy::Fixed;
  p.num_trees = 20;
  p.compute_oob = true;
  Forest f = train_forest(t, l, p);
  EXPECT_GT(f.info.oob_score, 0.6);
  EXPECT_GT(f.info.oob_rows, d.rows * 95 / 100);  // 0.8^20 of the rows are in every sample
  EXPECT_LE(f.trees[0].depth(), 20);
  std::vector<double> pred = f.predict_value(t);
  EXPECT_GT(regression_metrics(d.target, pred).r2_score, 0.8);
}

TEST(ForestTrainer, CompactPredictionMatchesTheTreeWalk) {
  // predict_proba re-encodes the trees with 8-byte nodes for 4096 rows or more; its sums must be
  // those of predict_encoded's walk over TreeNode, NULLs (learnt directions) and categories included.
  const size_t n = 6000;
  std::vector<std::string> colors = {"red", "green", "blue", "black", "white"};
  std::vector<std::string_view> c(n), y(n);
  std::vector<double> x(n), noise(n);
  for (size_t i = 0; i < n; ++i) {
    size_t k = synthetic::hash(2, 1, i) % colors.size();
    bool is_null = synthetic::uniform(2, 2, i) < 0.3;
    c[i] = colors[k];
    x[i] = is_null ? std::nan("") : synthetic::uniform(2, 3, i);
    noise[i] = synthetic::uniform(2, 4, i);
    y[i] = ((k == 0 || k == 3) != is_null) != (noise[i] < 0.1) ? "yes" : "no";
  }
  FeatureTable t;
  t.add_categorical("color", c);
  t.add_numeric("x", x);
  t.add_numeric("noise", noise);
  Labels l = Labels::classes("label", y);
  ForestParams p = small_params();
  p.max_features = 2;
  Forest f = train_forest(t, l, p);
  std::vector<float> compact = f.predict_proba(t);
  RowEncoder encoder(f.binner, t);
  std::vector<float> rows(n * 3), walked(n * 2);
  encoder.encode(0, n, rows.data());
  f.predict_encoded(rows.data(), n, walked.data());
  ASSERT_EQ(compact.size(), walked.size());
  size_t differ = 0;
  for (size_t i = 0; i < walked.size(); ++i) differ += compact[i] != walked[i];
  EXPECT_EQ(differ, 0u);
  EXPECT_GT(f.info.nodes, 200u);  // deep enough trees for the walk to matter
}
