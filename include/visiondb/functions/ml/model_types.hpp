// THE list of model types CREATE MODEL knows (OPTIONS(model_type = '...')). Adding one: write a
// function that builds its ModelEntry from a ModelBuildInput and add one line to the list in
// detail/model_types_impl.hpp.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "visiondb/config.hpp"
#include "visiondb/functions/ml/model_entry.hpp"

namespace visiondb::fn {

using ModelBuilder = std::shared_ptr<ModelEntry> (*)(const ModelBuildInput&);

struct ModelType {
  std::string_view name;  ///< upper-case, as model_type is compared case-insensitively
  bool trained;           ///< true: needs AS query (training data); false: imported, refuses one
  ModelBuilder build;
};

/// Every known model type.
const std::vector<ModelType>& model_types();
/// The model type of that name (any case), or null.
const ModelType* find_model_type(std::string_view name);

}  // namespace visiondb::fn

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/functions/ml/detail/model_types_impl.hpp"
#endif
