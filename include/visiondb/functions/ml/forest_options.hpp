// The OPTIONS of CREATE MODEL for RANDOM_FOREST_CLASSIFIER / RANDOM_FOREST_REGRESSOR: BigQuery's
// option names and value types checked one by one (an error points at the option), mapped onto
// ml::ForestParams plus the label column and the train/evaluation split (docs/ml.md).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "visiondb/config.hpp"
#include "visiondb/common/error.hpp"
#include "visiondb/functions/ml/model_entry.hpp"
#include "visiondb/ml/forest/params.hpp"

namespace visiondb::fn {

/// DATA_SPLIT_METHOD.
enum class DataSplitMethod { AutoSplit, Random, Custom, Seq, NoSplit };

/// "AUTO_SPLIT", "RANDOM", ...
const char* data_split_method_name(DataSplitMethod m) noexcept;

/// The random forest's options after checking.
struct ForestOptions {
  ml::ForestParams params;
  std::string label = "label";      ///< INPUT_LABEL_COLS[0], as written
  SourceSpan label_span;            ///< the option, or the statement when defaulted
  DataSplitMethod split = DataSplitMethod::AutoSplit;
  SourceSpan split_span;
  double eval_fraction = 0.2;       ///< DATA_SPLIT_EVAL_FRACTION (RANDOM, SEQ)
  std::string split_column;         ///< DATA_SPLIT_COL (CUSTOM, SEQ)
  SourceSpan split_column_span;
  SourceSpan class_weights_span;    ///< where class weights were given (errors about their names)
};

/// Checks every option of `in` (model_type included) and maps them; throws SqlError with the
/// span of the offending option: an unknown option, a BigQuery option visiondb's forests do not
/// have, a value of the wrong type or out of range, options that exclude each other.
ForestOptions parse_forest_options(const ModelBuildInput& in, ml::ForestTask task);

}  // namespace visiondb::fn

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/functions/ml/detail/forest_options_impl.hpp"
#endif
