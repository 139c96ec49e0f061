// Accuracy against scikit-learn's RandomForestClassifier / RandomForestRegressor on the same data
// with matched settings (ForestParams::sklearn_defaults; see tools/make_forest_fixtures.py).
#include <gtest/gtest.h>

#include <cmath>

#include "fixtures.hpp"
#include "visiondb/ml/forest/synthetic_data.hpp"
#include "visiondb/ml/forest/trainer.hpp"
#include "visiondb/ml/metrics.hpp"

using namespace visiondb::ml;
using visiondb::ml::testing::read_key_values;

namespace {

const std::map<std::string, std::vector<double>>& reference() {
  static const auto ref = read_key_values("forest_reference.txt");
  return ref;
}

std::vector<double> ref_of(const std::string& key) {
  auto it = reference().find(key);
  if (it == reference().end()) ADD_FAILURE() << "no \"" << key << "\" in tests/data/forest/forest_reference.txt";
  return it == reference().end() ? std::vector<double>{0, 0, 0} : it->second;
}

// The data generated here is the data the fixture script gave scikit-learn.
void expect_checksum(const SyntheticData& d, const std::string& key) {
  double sum = 0, abs_sum = 0, labels = 0;
  for (size_t i = 0; i < std::min<size_t>(1000, d.rows); ++i) {
    for (size_t f = 0; f < d.cols; ++f) {
      sum += d.x[i * d.cols + f];
      abs_sum += std::fabs(d.x[i * d.cols + f]);
    }
    labels += d.label.empty() ? d.target[i] : d.label[i];
  }
  std::vector<double> want = ref_of(key);
  ASSERT_EQ(want.size(), 3u);
  EXPECT_NEAR(sum, want[0], 1e-6 * std::max(1.0, std::fabs(want[1])));
  EXPECT_NEAR(abs_sum, want[1], 1e-6 * std::max(1.0, want[1]));
  EXPECT_NEAR(labels, want[2], 1e-6 * std::max(1.0, std::fabs(want[2])));
}

// Mean test accuracy over seeds, trained on rows [0, train) and tested on [train, rows).
double mean_accuracy(const SyntheticData& d, size_t train, int32_t trees, int seeds) {
  std::span<const float> all(d.x);
  FeatureTable tr, te;
  tr.add_array("x", all.subspan(0, train * d.cols), d.cols);
  te.add_array("x", all.subspan(train * d.cols), d.cols);
  std::vector<int64_t> y(d.label.begin(), d.label.begin() + static_cast<ptrdiff_t>(train));
  std::vector<int32_t> truth(d.label.begin() + static_cast<ptrdiff_t>(train), d.label.end());
  Labels l = Labels::classes("y", y);
  ForestParams p = ForestParams::sklearn_defaults(ForestTask::Classification);
  p.num_trees = trees;
  double sum = 0;
  for (int s = 0; s < seeds; ++s) {
    p.seed = static_cast<uint64_t>(s);
    Forest f = train_forest(tr, l, p);
    std::vector<int32_t> pred = f.predict_class(te);  // class names "0".."k-1" sort as numbers here
    double acc = classification_metrics(truth, pred, f.num_classes()).accuracy;
    std::printf("  seed %d: accuracy %.4f (%.2f s)\n", s, acc, f.info.seconds);
    sum += acc;
  }
  return sum / seeds;
}

}  // namespace

TEST(SklearnParity, Digits) {
  auto d = visiondb::ml::testing::read_digits();
  ASSERT_EQ(d.train_y.size() + d.test_y.size(), 1797u) << "tests/data/forest/digits.csv";
  FeatureTable tr, te;
  tr.add_array("pixel", d.train_x, 64);
  te.add_array("pixel", d.test_x, 64);
  Labels l = Labels::classes("digit", d.train_y);
  ForestParams p = ForestParams::sklearn_defaults(ForestTask::Classification);
  double sum = 0;
  const int seeds = 5;
  for (int s = 0; s < seeds; ++s) {
    p.seed = static_cast<uint64_t>(s);
    Forest f = train_forest(tr, l, p);
    std::vector<int32_t> pred = f.predict_class(te);
    std::vector<int32_t> truth(d.test_y.begin(), d.test_y.end());
    sum += classification_metrics(truth, pred, 10).accuracy;
  }
  double ours = sum / seeds, theirs = ref_of("digits.accuracy")[0];
  std::printf("digits: visiondb %.4f, scikit-learn %.4f\n", ours, theirs);
  EXPECT_GE(ours, theirs - 0.01);
}

TEST(SklearnParity, Classification100kx50) {
  ClassificationSpec s;
  s.rows = 120000;
  s.features = 50;
  s.informative = 12;
  s.redundant = 6;
  s.classes = 5;
  s.class_sep = 1.0;
  s.flip_y = 0.03;
  s.seed = 1;
  SyntheticData d = make_classification_like(s);
  expect_checksum(d, "classification.checksum");
  double ours = mean_accuracy(d, 100000, 20, 2), theirs = ref_of("classification.accuracy")[0];
  std::printf("100k x 50, 20 trees: visiondb %.4f, scikit-learn %.4f\n", ours, theirs);
  EXPECT_GE(ours, theirs - 0.01);
}

TEST(SklearnParity, Embedding2kx2048) {
  EmbeddingSpec s;
  s.rows = 3000;
  s.dims = 2048;
  s.classes = 10;
  s.signal = 0.6;
  s.active = 0.1;
  s.seed = 3;
  SyntheticData d = make_embedding_like(s);
  expect_checksum(d, "embedding.checksum");
  double ours = mean_accuracy(d, 2000, 100, 3), theirs = ref_of("embedding.accuracy")[0];
  std::printf("2k x 2048, 100 trees: visiondb %.4f, scikit-learn %.4f\n", ours, theirs);
  EXPECT_GE(ours, theirs - 0.01);
}

TEST(SklearnParity, RegressionR2) {
  SyntheticData d = make_friedman1_like(7000, 10, 1.0, 9);
  expect_checksum(d, "regression.checksum");
  const size_t train = 5000;
  std::span<const float> all(d.x);
  FeatureTable tr, te;
  tr.add_array("x", all.subspan(0, train * d.cols), d.cols);
  te.add_array("x", all.subspan(train * d.cols), d.cols);
  Labels l = Labels::numeric("y", std::span<const double>(d.target).subspan(0, train));
  std::vector<double> truth(d.target.begin() + train, d.target.end());
  ForestParams p = ForestParams::sklearn_defaults(ForestTask::Regression);
  double sum = 0;
  const int seeds = 3;
  for (int s = 0; s < seeds; ++s) {
    p.seed = static_cast<uint64_t>(s);
    Forest f = train_forest(tr, l, p);
    sum += regression_metrics(truth, f.predict_value(te)).r2_score;
  }
  double ours = sum / seeds, theirs = ref_of("regression.r2")[0];
  std::printf("friedman1 5k x 10: visiondb R2 %.4f, scikit-learn %.4f\n", ours, theirs);
  EXPECT_GE(ours, theirs - 0.01);
}

TEST(SklearnParity, CovertypeGeneratorMatchesTheScript) {
  expect_checksum(make_covertype_like({2000, 5}), "covertype.checksum");
}
