// Forest: a trained random forest (bins, trees, class names) and its vectorized, parallel
// prediction: class probabilities are the mean of the trees' leaf class distributions (as
// scikit-learn's predict_proba), regression values the mean of the leaf means.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "visiondb/config.hpp"
#include "visiondb/ml/forest/binning.hpp"
#include "visiondb/ml/forest/dataset.hpp"
#include "visiondb/ml/forest/params.hpp"
#include "visiondb/ml/forest/tree.hpp"

namespace visiondb::ml {

/// A feature's importance, as XGBoost (and BigQuery's ML.FEATURE_IMPORTANCE) defines it: the
/// number of splits on it (weight), the total impurity decrease of those splits (gain, in
/// weighted Gini or variance units) and the total weight of the rows they split (cover).
struct FeatureImportance {
  std::string feature;
  double weight = 0;
  double gain = 0;
  double cover = 0;
};

/// What training measured.
struct TrainingInfo {
  size_t rows = 0;              ///< training rows (after dropping rows of weight 0)
  size_t features = 0;
  double oob_score = 0;         ///< out-of-bag accuracy (classifier) or R2 (regressor); NaN if not computed
  size_t oob_rows = 0;          ///< rows left out by at least one tree
  double seconds = 0;           ///< wall time of training
  size_t nodes = 0;             ///< all trees' nodes
};

/// A trained random forest.
class Forest {
 public:
  ForestTask task = ForestTask::Classification;
  ForestParams params;
  std::string label_column;
  std::vector<std::string> class_names;  ///< classifier: the classes, as Labels sorted them
  FeatureBinner binner;
  std::vector<Tree> trees;
  std::vector<double> split_count, split_gain, split_cover;  ///< per feature, over all trees
  TrainingInfo info;

  size_t num_classes() const noexcept { return class_names.size(); }
  /// Outputs per row: the number of classes, or 1 for a regressor.
  size_t outputs() const noexcept { return task == ForestTask::Classification ? class_names.size() : 1; }

  /// Class probabilities, rows x num_classes() row-major. Throws InvalidArgument for a regressor
  /// or a table that lacks a trained column.
  std::vector<float> predict_proba(const FeatureTable& table) const;
  /// The most probable class of each row (an index into class_names; ties go to the first).
  std::vector<int32_t> predict_class(const FeatureTable& table) const;
  /// Regression predictions.
  std::vector<double> predict_value(const FeatureTable& table) const;

  /// The mean of the trees' outputs for every row (rows x outputs(), row-major).
  std::vector<float> predict_raw(const FeatureTable& table) const;
  /// The same for rows already encoded by RowEncoder (rows x binner.features() values).
  void predict_encoded(const float* rows, size_t count, float* out) const;

  /// Importance of every feature, in feature order.
  std::vector<FeatureImportance> feature_importance() const;
};

}  // namespace visiondb::ml

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/ml/forest/detail/forest_impl.hpp"
#endif
