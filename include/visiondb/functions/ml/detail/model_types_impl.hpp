#pragma once

#include "visiondb/storage/detail/text.hpp"
#include "visiondb/functions/ml/cnn_model.hpp"
#include "visiondb/functions/ml/model_types.hpp"
#include "visiondb/functions/ml/forest_model.hpp"

namespace visiondb::fn {

VISIONDB_INLINE const std::vector<ModelType>& model_types() {
  static const std::vector<ModelType> types = {
      // {"NAME", trained, build_function},  one line per model type
      {"RESNET50", false, &build_cnn_model},
      {"INCEPTION_V3", false, &build_cnn_model},
      {"RANDOM_FOREST_CLASSIFIER", true, &build_random_forest_classifier},
      {"RANDOM_FOREST_REGRESSOR", true, &build_random_forest_regressor},
  };
  return types;
}

VISIONDB_INLINE const ModelType* find_model_type(std::string_view name) {
  const std::string upper = visiondb::detail::to_upper(name);
  for (const auto& t : model_types())
    if (t.name == upper) return &t;
  return nullptr;
}

}  // namespace visiondb::fn
