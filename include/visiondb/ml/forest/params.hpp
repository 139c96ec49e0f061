// ForestParams: every knob of the random-forest trainer, with BigQuery ML's defaults for
// RANDOM_FOREST_CLASSIFIER / RANDOM_FOREST_REGRESSOR, and validate().
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>

#include "visiondb/config.hpp"

namespace visiondb::ml {

/// What the forest predicts.
enum class ForestTask { Classification, Regression };

/// How each tree's rows are drawn.
enum class RowSampling {
  WithoutReplacement,  ///< a fraction `subsample` of the rows, each once (BigQuery/XGBoost)
  Bootstrap,           ///< n * subsample draws with replacement (Breiman, scikit-learn, ranger)
};

/// How features are drawn at a node. Both draw max_features features without replacement, a
/// feature constant in the node counting as drawn, and skip the features an ancestor found constant.
enum class FeatureDrawPolicy {
  UntilValidSplit,  ///< if none of them gives a valid split, go on drawing one at a time until
                    ///< one does or none is left (scikit-learn)
  Fixed,            ///< stop after max_features draws; no valid split makes a leaf (ranger)
};

/// Class weights: none, sklearn's 'balanced' (BigQuery's auto_class_weights) or given per class.
enum class ClassWeighting { None, Balanced, Custom };

/// Options of the trainer. Defaults are BigQuery's for random forests, see docs/ml.md.
struct ForestParams {
  ForestTask task = ForestTask::Classification;
  int32_t num_trees = 100;            ///< BigQuery NUM_PARALLEL_TREE
  int32_t max_depth = 20;             ///< BigQuery MAX_TREE_DEPTH; 0 means unlimited (sklearn's None)
  double min_child_weight = 1.0;      ///< BigQuery MIN_TREE_CHILD_WEIGHT: least weight in a child
  RowSampling sampling = RowSampling::WithoutReplacement;
  double subsample = 0.8;             ///< BigQuery SUBSAMPLE: fraction of rows per tree
  double colsample_bynode = 0.8;      ///< BigQuery COLSAMPLE_BYNODE: fraction of features per node
  int32_t max_features = 0;           ///< features per node; > 0 overrides colsample_bynode
  bool sqrt_features = false;         ///< features per node = floor(sqrt(features)) (sklearn's 'sqrt')
  FeatureDrawPolicy draw_policy = FeatureDrawPolicy::UntilValidSplit;
  int32_t max_bins = 255;             ///< histogram bins per feature (2..255) besides the NULL bin
  int32_t exact_node_rows = 4096;     ///< nodes with at most this many rows split quantile-binned
                                      ///< features at exact float32 thresholds; 0: always bins
  ClassWeighting class_weighting = ClassWeighting::None;
  std::map<std::string, double> class_weights;  ///< ClassWeighting::Custom: class name -> weight
  bool compute_oob = false;           ///< out-of-bag accuracy (classifier) or R2 (regressor)
  uint64_t seed = 0;                  ///< the model is a function of (data, params, seed) only
  int32_t num_threads = 0;            ///< 0: the calling task arena's concurrency

  /// Throws InvalidArgument naming the first bad option and its allowed range.
  void validate() const;

  /// BigQuery's defaults for model_type 'RANDOM_FOREST_CLASSIFIER' / 'RANDOM_FOREST_REGRESSOR'.
  static ForestParams bigquery_defaults(ForestTask task);

  /// scikit-learn's RandomForestClassifier/Regressor defaults (bootstrap, sqrt / all features,
  /// unlimited depth, leaves of one row).
  static ForestParams sklearn_defaults(ForestTask task);

  /// The number of features drawn per node for a data set with `features` features (>= 1).
  int32_t features_per_node(int32_t features) const noexcept;
};

}  // namespace visiondb::ml

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/ml/forest/detail/params_impl.hpp"
#endif
