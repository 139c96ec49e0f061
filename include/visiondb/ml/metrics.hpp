// Evaluation metrics, as scikit-learn's sklearn.metrics computes them and as BigQuery's
// ML.EVALUATE / ML.CONFUSION_MATRIX / ML.ROC_CURVE report them: classification (accuracy,
// per-class and macro-averaged precision / recall / F1, log loss, ROC AUC, confusion matrix,
// ROC curve) and regression (MAE, MSE, MSLE, median absolute error, R2, explained variance).
// Classes are indices in [0, k); probabilities are rows x k, row-major.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <numeric>
#include <span>
#include <vector>

#include "visiondb/common/error.hpp"

namespace visiondb::ml {

/// Per-class and macro-averaged classification metrics from predicted classes.
struct ClassificationMetrics {
  size_t classes = 0;
  double accuracy = 0;
  std::vector<double> precision, recall, f1;  ///< per class; 0 where undefined (sklearn's zero_division=0)
  std::vector<int64_t> support;               ///< true rows per class
  double macro_precision = 0, macro_recall = 0, macro_f1 = 0;  ///< unweighted means over classes
  std::vector<int64_t> confusion;             ///< classes x classes, row = true class, column = predicted
  int64_t confusion_at(size_t truth, size_t predicted) const noexcept { return confusion[truth * classes + predicted]; }
};

/// Regression metrics (MSLE is NaN when a value is <= -1).
struct RegressionMetrics {
  double mean_absolute_error = 0;
  double mean_squared_error = 0;
  double mean_squared_log_error = 0;
  double median_absolute_error = 0;
  double r2_score = 0;
  double explained_variance = 0;
};

/// One point of a binary ROC curve (BigQuery's ML.ROC_CURVE columns): rows with score >= threshold
/// are predicted positive.
struct RocPoint {
  double threshold = 0;
  double recall = 0;               ///< true positive rate
  double false_positive_rate = 0;
  int64_t true_positives = 0, false_positives = 0, true_negatives = 0, false_negatives = 0;
};

namespace detail {
inline void check_same_rows(size_t a, size_t b, const char* what) {
  if (a != b)
    visiondb::detail::throw_invalid_argument(std::string(what) + ": " + std::to_string(a) + " true values but " +
                                             std::to_string(b) + " predictions");
  if (a == 0) visiondb::detail::throw_invalid_argument(std::string(what) + ": no rows to evaluate");
}
inline void check_class(int32_t c, size_t k, size_t row) {
  if (c < 0 || static_cast<size_t>(c) >= k)
    visiondb::detail::throw_invalid_argument("class index " + std::to_string(c) + " at row " + std::to_string(row) +
                                             " is outside [0, " + std::to_string(k) + ")");
}
}  // namespace detail

/// Accuracy, precision, recall, F1 (per class and macro) and the confusion matrix.
inline ClassificationMetrics classification_metrics(std::span<const int32_t> truth, std::span<const int32_t> predicted,
                                                    size_t classes) {
  detail::check_same_rows(truth.size(), predicted.size(), "classification metrics");
  ClassificationMetrics m;
  m.classes = classes;
  m.confusion.assign(classes * classes, 0);
  for (size_t i = 0; i < truth.size(); ++i) {
    detail::check_class(truth[i], classes, i);
    detail::check_class(predicted[i], classes, i);
    ++m.confusion[static_cast<size_t>(truth[i]) * classes + static_cast<size_t>(predicted[i])];
  }
  m.precision.assign(classes, 0);
  m.recall.assign(classes, 0);
  m.f1.assign(classes, 0);
  m.support.assign(classes, 0);
  int64_t correct = 0;
  for (size_t c = 0; c < classes; ++c) {
    int64_t tp = m.confusion[c * classes + c], col = 0, row = 0;
    for (size_t j = 0; j < classes; ++j) {
      col += m.confusion[j * classes + c];
      row += m.confusion[c * classes + j];
    }
    correct += tp;
    m.support[c] = row;
    m.precision[c] = col > 0 ? static_cast<double>(tp) / static_cast<double>(col) : 0.0;
    m.recall[c] = row > 0 ? static_cast<double>(tp) / static_cast<double>(row) : 0.0;
    double s = m.precision[c] + m.recall[c];
    m.f1[c] = s > 0 ? 2 * m.precision[c] * m.recall[c] / s : 0.0;
  }
  m.accuracy = static_cast<double>(correct) / static_cast<double>(truth.size());
  for (size_t c = 0; c < classes; ++c) {
    m.macro_precision += m.precision[c] / static_cast<double>(classes);
    m.macro_recall += m.recall[c] / static_cast<double>(classes);
    m.macro_f1 += m.f1[c] / static_cast<double>(classes);
  }
  return m;
}

/// Cross-entropy of probabilities (rows x classes), clipped to [eps, 1 - eps] (eps: the double
/// epsilon, as sklearn >= 1.2) and renormalized
/// per row, as sklearn.metrics.log_loss.
template <class P>
double log_loss(std::span<const int32_t> truth, std::span<const P> prob, size_t classes,
                double eps = std::numeric_limits<double>::epsilon()) {
  detail::check_same_rows(truth.size() * classes, prob.size(), "log_loss");
  double sum = 0;
  for (size_t i = 0; i < truth.size(); ++i) {
    detail::check_class(truth[i], classes, i);
    double row = 0;
    for (size_t c = 0; c < classes; ++c) row += std::clamp(static_cast<double>(prob[i * classes + c]), eps, 1 - eps);
    double p = std::clamp(static_cast<double>(prob[i * classes + static_cast<size_t>(truth[i])]), eps, 1 - eps) / row;
    sum -= std::log(p);
  }
  return sum / static_cast<double>(truth.size());
}

/// Binary log loss from the probability of class 1.
template <class P>
double log_loss_binary(std::span<const int32_t> truth, std::span<const P> p1,
                       double eps = std::numeric_limits<double>::epsilon()) {
  detail::check_same_rows(truth.size(), p1.size(), "log_loss");
  double sum = 0;
  for (size_t i = 0; i < truth.size(); ++i) {
    detail::check_class(truth[i], 2, i);
    double p = std::clamp(static_cast<double>(p1[i]), eps, 1 - eps);
    sum -= truth[i] ? std::log(p) : std::log(1 - p);
  }
  return sum / static_cast<double>(truth.size());
}

/// Area under the ROC curve of scores for class 1 (ties count one half: the trapezoidal area
/// over distinct thresholds, as sklearn). NaN when only one class is present.
template <class P>
double roc_auc(std::span<const int32_t> truth, std::span<const P> score) {
  detail::check_same_rows(truth.size(), score.size(), "roc_auc");
  std::vector<size_t> order(truth.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return score[a] < score[b]; });
  // Mann-Whitney U with mid-ranks for ties.
  double rank_sum = 0;
  int64_t pos = 0;
  for (size_t i = 0; i < order.size();) {
    size_t j = i;
    while (j < order.size() && score[order[j]] == score[order[i]]) ++j;
    double mid_rank = (static_cast<double>(i) + static_cast<double>(j) + 1) / 2;  // 1-based ranks i+1..j
    for (size_t t = i; t < j; ++t)
      if (truth[order[t]]) {
        rank_sum += mid_rank;
        ++pos;
      }
    i = j;
  }
  const auto n = static_cast<int64_t>(truth.size()), neg = n - pos;
  if (pos == 0 || neg == 0) return std::numeric_limits<double>::quiet_NaN();
  return (rank_sum - static_cast<double>(pos) * static_cast<double>(pos + 1) / 2) /
         (static_cast<double>(pos) * static_cast<double>(neg));
}

/// Macro average over classes of one-vs-rest ROC AUC (sklearn's multi_class='ovr',
/// average='macro'); classes absent from `truth` are skipped.
template <class P>
double roc_auc_ovr(std::span<const int32_t> truth, std::span<const P> prob, size_t classes) {
  detail::check_same_rows(truth.size() * classes, prob.size(), "roc_auc");
  std::vector<int32_t> is_c(truth.size());
  std::vector<double> s(truth.size());
  double sum = 0;
  size_t used = 0;
  for (size_t c = 0; c < classes; ++c) {
    for (size_t i = 0; i < truth.size(); ++i) {
      is_c[i] = truth[i] == static_cast<int32_t>(c);
      s[i] = static_cast<double>(prob[i * classes + c]);
    }
    double auc = roc_auc<double>(is_c, s);
    if (std::isnan(auc)) continue;
    sum += auc;
    ++used;
  }
  return used ? sum / static_cast<double>(used) : std::numeric_limits<double>::quiet_NaN();
}

/// The ROC curve at every distinct score (highest first), starting from the point where nothing
/// is positive (threshold +infinity), as sklearn.metrics.roc_curve(drop_intermediate=False).
template <class P>
std::vector<RocPoint> roc_curve(std::span<const int32_t> truth, std::span<const P> score) {
  detail::check_same_rows(truth.size(), score.size(), "roc_curve");
  std::vector<size_t> order(truth.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return score[a] > score[b]; });
  int64_t pos = 0;
  for (int32_t t : truth) pos += t != 0;
  const int64_t neg = static_cast<int64_t>(truth.size()) - pos;
  std::vector<RocPoint> out;
  auto point = [&](double thr, int64_t tp, int64_t fp) {
    RocPoint r;
    r.threshold = thr;
    r.true_positives = tp;
    r.false_positives = fp;
    r.false_negatives = pos - tp;
    r.true_negatives = neg - fp;
    r.recall = pos ? static_cast<double>(tp) / static_cast<double>(pos) : std::numeric_limits<double>::quiet_NaN();
    r.false_positive_rate = neg ? static_cast<double>(fp) / static_cast<double>(neg) : std::numeric_limits<double>::quiet_NaN();
    out.push_back(r);
  };
  point(std::numeric_limits<double>::infinity(), 0, 0);
  int64_t tp = 0, fp = 0;
  for (size_t i = 0; i < order.size();) {
    size_t j = i;
    const auto s = static_cast<double>(score[order[i]]);
    for (; j < order.size() && static_cast<double>(score[order[j]]) == s; ++j) (truth[order[j]] ? tp : fp) += 1;
    point(s, tp, fp);
    i = j;
  }
  return out;
}

/// MAE, MSE, MSLE, median absolute error, R2 and explained variance (sklearn's definitions; R2
/// and explained variance are 1 for a perfect fit of a constant target, else 0 when it is constant).
inline RegressionMetrics regression_metrics(std::span<const double> truth, std::span<const double> predicted) {
  detail::check_same_rows(truth.size(), predicted.size(), "regression metrics");
  const auto n = static_cast<double>(truth.size());
  RegressionMetrics m;
  double mean_t = 0, mean_e = 0;
  bool log_ok = true;
  std::vector<double> abs_err(truth.size());
  for (size_t i = 0; i < truth.size(); ++i) {
    const double e = truth[i] - predicted[i];
    abs_err[i] = std::fabs(e);
    m.mean_absolute_error += abs_err[i];
    m.mean_squared_error += e * e;
    if (truth[i] <= -1 || predicted[i] <= -1) log_ok = false;
    if (log_ok) {
      double le = std::log1p(truth[i]) - std::log1p(predicted[i]);
      m.mean_squared_log_error += le * le;
    }
    mean_t += truth[i];
    mean_e += e;
  }
  m.mean_absolute_error /= n;
  m.mean_squared_error /= n;
  m.mean_squared_log_error = log_ok ? m.mean_squared_log_error / n : std::numeric_limits<double>::quiet_NaN();
  mean_t /= n;
  mean_e /= n;
  double sst = 0, var_e = 0;
  for (size_t i = 0; i < truth.size(); ++i) {
    sst += (truth[i] - mean_t) * (truth[i] - mean_t);
    const double e = truth[i] - predicted[i] - mean_e;
    var_e += e * e;
  }
  const double sse = m.mean_squared_error * n;
  m.r2_score = sst > 0 ? 1 - sse / sst : (sse == 0 ? 1.0 : 0.0);
  m.explained_variance = sst > 0 ? 1 - var_e / sst : (var_e == 0 ? 1.0 : 0.0);
  // The median as numpy's: the mean of the two middle values for an even count.
  const size_t mid = abs_err.size() / 2;
  std::nth_element(abs_err.begin(), abs_err.begin() + static_cast<ptrdiff_t>(mid), abs_err.end());
  double hi = abs_err[mid];
  if (abs_err.size() % 2 == 0) {
    double lo = *std::max_element(abs_err.begin(), abs_err.begin() + static_cast<ptrdiff_t>(mid));
    m.median_absolute_error = (lo + hi) / 2;
  } else {
    m.median_absolute_error = hi;
  }
  return m;
}

}  // namespace visiondb::ml
