// Out-of-line parts of weight_loader.hpp.
#pragma once

#include "visiondb/common/error.hpp"
#include "visiondb/nn/weight_loader.hpp"

namespace visiondb::nn {

VISIONDB_INLINE std::span<const float> WeightLoader::get(const std::string& name, std::vector<int64_t> shape) {
  if (!source_.contains(name))
    throw ShapeError(name, "missing from " + source_.origin() + " (" + network_ + " needs shape " + format_shape(shape) + ")");
  std::span<const float> t = source_.tensor(name, shape);
  std::size_t count = 1;
  for (int64_t d : shape) count *= static_cast<std::size_t>(d);
  if (t.size() != count) throw ShapeError(name, shape, {static_cast<int64_t>(t.size())});
  used_.insert(name);
  return t;
}

VISIONDB_INLINE void WeightLoader::check_all_used(const std::function<bool(std::string_view)>& ignored) const {
  for (const std::string& name : source_.names()) {
    if (used_.count(name) || (ignored && ignored(name))) continue;
    throw ShapeError(name, "in " + source_.origin() + " is not a tensor of " + network_);
  }
}

}  // namespace visiondb::nn
