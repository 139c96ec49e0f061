// The model zoo: a network's name -> its builder, its tensor list and its preprocessing.
// Names match case-insensitively ("RESNET50", "resnet50", "INCEPTION_V3").
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "visiondb/config.hpp"
#include "visiondb/models/network.hpp"
#include "visiondb/nn/generated_weights.hpp"
#include "visiondb/nn/weight_source.hpp"

namespace visiondb::models {

/// One entry of the zoo.
struct ModelEntry {
  std::string_view name;  ///< canonical, lower case
  Preprocessing preprocessing;
  int num_classes = 1000;
  int embedding_size = 2048;
  std::unique_ptr<Network> (*build)(const nn::WeightSource&);
  std::vector<nn::TensorSpec> (*tensor_specs)();
};

/// Every network visiondb runs.
const std::vector<ModelEntry>& model_zoo();

/// The entry called `name`, or nullptr.
const ModelEntry* find_model(std::string_view name) noexcept;

/// Builds `name` from `weights`; InvalidArgument for an unknown name (listing the known ones).
std::unique_ptr<Network> load_model(std::string_view name, const nn::WeightSource& weights);

}  // namespace visiondb::models

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/models/detail/zoo_impl.hpp"
#endif
