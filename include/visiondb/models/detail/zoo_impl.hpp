// Out-of-line parts of zoo.hpp.
#pragma once

#include <cctype>

#include "visiondb/common/error.hpp"
#include "visiondb/models/inception_v3.hpp"
#include "visiondb/models/resnet50.hpp"
#include "visiondb/models/zoo.hpp"

namespace visiondb::models {

VISIONDB_INLINE const std::vector<ModelEntry>& model_zoo() {
  static const std::vector<ModelEntry> zoo = [] {
    std::vector<ModelEntry> z;
    z.push_back({"resnet50", ResNet50::default_preprocessing(), 1000, 2048,
                 [](const nn::WeightSource& w) -> std::unique_ptr<Network> { return std::make_unique<ResNet50>(w); },
                 &ResNet50::tensor_specs});
    z.push_back({"inception_v3", InceptionV3::default_preprocessing(), 1000, 2048,
                 [](const nn::WeightSource& w) -> std::unique_ptr<Network> { return std::make_unique<InceptionV3>(w); },
                 &InceptionV3::tensor_specs});
    return z;
  }();
  return zoo;
}

VISIONDB_INLINE const ModelEntry* find_model(std::string_view name) noexcept {
  for (const ModelEntry& e : model_zoo()) {
    if (e.name.size() != name.size()) continue;
    bool same = true;
    for (std::size_t i = 0; i < name.size() && same; ++i)
      same = std::tolower(static_cast<unsigned char>(name[i])) == e.name[i];
    if (same) return &e;
  }
  return nullptr;
}

VISIONDB_INLINE std::unique_ptr<Network> load_model(std::string_view name, const nn::WeightSource& weights) {
  const ModelEntry* e = find_model(name);
  if (!e) {
    std::string known;
    for (const ModelEntry& m : model_zoo()) known += (known.empty() ? "'" : ", '") + std::string(m.name) + "'";
    visiondb::detail::throw_invalid_argument("unknown model type '" + std::string(name) + "': expected one of " + known);
  }
  return e->build(weights);
}

}  // namespace visiondb::models
