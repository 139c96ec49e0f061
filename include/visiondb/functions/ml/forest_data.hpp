// How a forest model reads SQL rows: which columns are features and of what kind, the chunks of a
// relation turned into an ml::FeatureTable (INT64, FLOAT64, BOOL as numbers, STRING as categories,
// each element of an ARRAY<FLOAT64> as a feature) and the label column turned into classes or
// targets.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "visiondb/config.hpp"
#include "visiondb/common/error.hpp"
#include "visiondb/ml/forest/dataset.hpp"
#include "visiondb/storage/chunk.hpp"
#include "visiondb/storage/types.hpp"

namespace visiondb::fn {

/// One input column of a forest model.
struct ForestInput {
  enum class Kind : uint8_t { Number, Category, Array };
  std::string name;  ///< as the training query named it
  Kind kind = Kind::Number;
  size_t width = 1;  ///< Array: elements per row (one feature each)
};

/// The kind of feature a column of type `type` is; throws SqlError (Type) at `span` for a type
/// that cannot be a feature.
ForestInput::Kind forest_feature_kind(const std::string& name, const LogicalType& type, SourceSpan span);

/// For each input, the index of the column of that name (any case) in `names`; throws SqlError
/// (Bind) at `span` for a missing column or one whose type does not fit the input's kind.
std::vector<size_t> match_forest_inputs(const std::vector<ForestInput>& inputs, const std::vector<std::string>& names,
                                        const std::vector<LogicalType>& types, const std::string& function,
                                        SourceSpan span);

/// A FeatureTable and the converted values it views. Values are float32: the trainer bins and
/// the trees compare float32 values, so doubles would only double the memory traffic.
struct ForestFeatures {
  ml::FeatureTable table;
  std::vector<std::vector<float>> numbers;
  std::vector<std::vector<uint8_t>> valid;
};

/// The features of the rows of `chunks` (flattened), column columns[i] feeding inputs[i]. An
/// Array input of width 0 takes the length of its first non-NULL row (training); any other length
/// is an error naming the column and the row. NULLs are missing values (docs/ml.md). The table
/// may view the chunks' memory (one chunk, an ARRAY column without NULLs): they must outlive it.
std::unique_ptr<ForestFeatures> read_forest_features(std::vector<ForestInput>& inputs, const std::vector<size_t>& columns,
                                                     const std::vector<Chunk>& chunks);

/// The class of row `row` of a label column as the forest names it: the STRING itself, an INT64
/// in decimal, a BOOL as "0" / "1".
std::string forest_class_name(const Column& column, size_t row);

}  // namespace visiondb::fn

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/functions/ml/detail/forest_data_impl.hpp"
#endif
