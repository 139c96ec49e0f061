// ForestModel: a random forest trained by CREATE MODEL ... OPTIONS(model_type =
// 'RANDOM_FOREST_CLASSIFIER' | 'RANDOM_FOREST_REGRESSOR') AS SELECT ..., and the ML.* functions
// over it: ML.PREDICT, ML.EVALUATE, ML.CONFUSION_MATRIX, ML.ROC_CURVE, ML.FEATURE_IMPORTANCE,
// ML.TRAINING_INFO. The evaluation split is kept with the model, for the ML.* calls without a table.
// EXPORT MODEL writes it to a file, which CREATE MODEL ... OPTIONS(model_path = ...) imports.
#pragma once

#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "visiondb/config.hpp"
#include "visiondb/functions/ml/forest_data.hpp"
#include "visiondb/functions/ml/forest_options.hpp"
#include "visiondb/functions/ml/model_entry.hpp"
#include "visiondb/ml/forest/forest.hpp"

namespace visiondb::fn {

class ForestModel final : public ModelEntry {
 public:
  ForestModel(QualifiedName name, std::string model_type) : ModelEntry(std::move(name), std::move(model_type)) {}

  ml::Forest forest;
  std::vector<ForestInput> inputs;         ///< the feature columns, in the forest's feature order
  std::string label;                       ///< the label column, as the training query named it
  LogicalType label_type;                  ///< its type (classes come back in it)
  std::vector<std::string> query_names;    ///< the training query's columns (those of eval_data)
  std::vector<LogicalType> query_types;
  /// The rows ML.EVALUATE / ML.CONFUSION_MATRIX / ML.ROC_CURVE use without a table: the
  /// evaluation split, or the training rows when the split left none (evaluated_on_training).
  std::vector<Chunk> eval_data;
  bool evaluated_on_training = false;
  DataSplitMethod split = DataSplitMethod::AutoSplit;
  size_t train_rows = 0, eval_rows = 0;
  double loss = 0;                                            ///< log loss (classifier) / MSE on the training rows
  double eval_loss = std::numeric_limits<double>::quiet_NaN();  ///< the same on the evaluation split; NaN: none
  double duration_ms = 0;
  /// The model_path it was imported from (CREATE MODEL ... OPTIONS(model_path = ...)); empty
  /// for a model trained here. An imported model has no evaluation rows.
  std::string imported_from;

  bool is_classifier() const noexcept { return forest.task == ml::ForestTask::Classification; }
  /// Class c as a value of the label's type.
  Value class_value(size_t c) const;

  std::shared_ptr<sql::BoundTableFunction> bind_function(std::string_view function, std::vector<sql::TableFunctionArgument>& args,
                                                         SourceSpan span) const override;
  std::string describe() const override;
  /// EXPORT MODEL: the file that CREATE MODEL ... OPTIONS(model_path = ...) imports.
  void export_to(const std::string& uri, const io::MountTable* mounts, SourceSpan span) const override;
};

/// CREATE MODEL builders (the model types list names them): trained from the AS query, or
/// imported from OPTIONS(model_path = ...), a file written by EXPORT MODEL.
std::shared_ptr<ModelEntry> build_random_forest_classifier(const ModelBuildInput& in);
std::shared_ptr<ModelEntry> build_random_forest_regressor(const ModelBuildInput& in);
/// The import half of both: OPTIONS(model_type, model_path) and no AS query.
std::shared_ptr<ModelEntry> import_forest_model(const ModelBuildInput& in);

}  // namespace visiondb::fn

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/functions/ml/detail/forest_model_impl.hpp"
#include "visiondb/functions/ml/detail/forest_functions_impl.hpp"
#include "visiondb/functions/ml/detail/forest_model_file_impl.hpp"
#endif
