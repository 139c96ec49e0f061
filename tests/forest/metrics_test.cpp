// Metric functions against sklearn.metrics (tests/data/forest/metrics.txt).
#include <gtest/gtest.h>

#include "fixtures.hpp"
#include "visiondb/ml/metrics.hpp"

using namespace visiondb::ml;

namespace {
const std::map<std::string, std::vector<double>>& fx() {
  static const auto m = visiondb::ml::testing::read_key_values("metrics.txt");
  return m;
}
const std::vector<double>& get(const std::string& key) {
  static const std::vector<double> none;
  auto it = fx().find(key);
  if (it == fx().end()) {
    ADD_FAILURE() << "no \"" << key << "\" in tests/data/forest/metrics.txt";
    return none;
  }
  return it->second;
}
std::vector<int32_t> ints(const std::string& key) {
  const auto& v = get(key);
  return std::vector<int32_t>(v.begin(), v.end());
}
double one(const std::string& key) { return get(key).empty() ? 0.0 : get(key)[0]; }
}  // namespace

TEST(Metrics, MulticlassMatchesSklearn) {
  const auto k = static_cast<size_t>(one("multi.k"));
  std::vector<int32_t> truth = ints("multi.y_true");
  const std::vector<double>& prob = get("multi.prob");
  ASSERT_EQ(prob.size(), truth.size() * k);
  std::vector<int32_t> pred(truth.size());
  for (size_t i = 0; i < truth.size(); ++i)
    pred[i] = static_cast<int32_t>(std::max_element(prob.begin() + i * k, prob.begin() + (i + 1) * k) - (prob.begin() + i * k));
  ClassificationMetrics m = classification_metrics(truth, pred, k);
  EXPECT_NEAR(m.accuracy, one("multi.accuracy"), 1e-12);
  for (size_t c = 0; c < k; ++c) {
    EXPECT_NEAR(m.precision[c], get("multi.precision")[c], 1e-12);
    EXPECT_NEAR(m.recall[c], get("multi.recall")[c], 1e-12);
    EXPECT_NEAR(m.f1[c], get("multi.f1")[c], 1e-12);
  }
  EXPECT_NEAR(m.macro_precision, one("multi.macro_precision"), 1e-12);
  EXPECT_NEAR(m.macro_recall, one("multi.macro_recall"), 1e-12);
  EXPECT_NEAR(m.macro_f1, one("multi.macro_f1"), 1e-12);
  for (size_t i = 0; i < k * k; ++i) EXPECT_EQ(m.confusion[i], static_cast<int64_t>(get("multi.confusion")[i]));
  EXPECT_NEAR(log_loss<double>(truth, prob, k), one("multi.log_loss"), 1e-9);
  EXPECT_NEAR(roc_auc_ovr<double>(truth, prob, k), one("multi.roc_auc_ovr_macro"), 1e-12);
  std::vector<float> prob32(prob.begin(), prob.end());
  EXPECT_NEAR(log_loss<float>(truth, prob32, k), one("multi.log_loss"), 1e-6);
}

TEST(Metrics, BinaryMatchesSklearn) {
  std::vector<int32_t> truth = ints("binary.y_true");
  const std::vector<double>& score = get("binary.score");
  EXPECT_NEAR(roc_auc<double>(truth, score), one("binary.roc_auc"), 1e-12);
  EXPECT_NEAR(log_loss_binary<double>(truth, score), one("binary.log_loss"), 1e-9);
  std::vector<int32_t> pred(truth.size());
  for (size_t i = 0; i < truth.size(); ++i) pred[i] = score[i] >= 0.5;
  ClassificationMetrics m = classification_metrics(truth, pred, 2);
  EXPECT_NEAR(m.precision[1], one("binary.precision"), 1e-12);
  EXPECT_NEAR(m.recall[1], one("binary.recall"), 1e-12);
  EXPECT_NEAR(m.f1[1], one("binary.f1"), 1e-12);
  EXPECT_NEAR(m.accuracy, one("binary.accuracy"), 1e-12);
  std::vector<RocPoint> roc = roc_curve<double>(truth, score);
  const auto& fpr = get("binary.roc_fpr");
  const auto& tpr = get("binary.roc_tpr");
  ASSERT_EQ(roc.size(), fpr.size());
  for (size_t i = 0; i < roc.size(); ++i) {
    EXPECT_NEAR(roc[i].false_positive_rate, fpr[i], 1e-12) << i;
    EXPECT_NEAR(roc[i].recall, tpr[i], 1e-12) << i;
    EXPECT_EQ(roc[i].true_positives + roc[i].false_negatives, roc.back().true_positives);
  }
}

TEST(Metrics, RegressionMatchesSklearn) {
  const auto& t = get("reg.y_true");
  const auto& p = get("reg.y_pred");
  RegressionMetrics m = regression_metrics(t, p);
  EXPECT_NEAR(m.mean_absolute_error, one("reg.mae"), 1e-12);
  EXPECT_NEAR(m.mean_squared_error, one("reg.mse"), 1e-12);
  EXPECT_NEAR(m.mean_squared_log_error, one("reg.msle"), 1e-12);
  EXPECT_NEAR(m.median_absolute_error, one("reg.median_ae"), 1e-12);
  EXPECT_NEAR(m.r2_score, one("reg.r2"), 1e-12);
  EXPECT_NEAR(m.explained_variance, one("reg.explained_variance"), 1e-12);
}

TEST(Metrics, RejectsMismatchedInputs) {
  std::vector<int32_t> a = {0, 1}, b = {0};
  EXPECT_THROW(classification_metrics(a, b, 2), visiondb::InvalidArgument);
  std::vector<int32_t> c = {0, 5};
  EXPECT_THROW(classification_metrics(a, c, 2), visiondb::InvalidArgument);
  std::vector<double> e;
  EXPECT_THROW(regression_metrics(e, e), visiondb::InvalidArgument);
}
