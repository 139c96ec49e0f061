// WeightLoader: reads a network's tensors from a WeightSource, remembering which ones were used,
// so that a missing, mis-shaped or unexpected tensor is reported by name at load.
#pragma once

#include <cstdint>
#include <functional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "visiondb/config.hpp"
#include "visiondb/nn/weight_source.hpp"

namespace visiondb::nn {

/// Tracks the tensors a network takes from a source.
class WeightLoader {
 public:
  /// `network` names the model in error messages ("resnet50").
  WeightLoader(const WeightSource& source, std::string network) : source_(source), network_(std::move(network)) {}

  /// The tensor `name` of shape `shape`: ShapeError naming it when missing or of another shape.
  std::span<const float> get(const std::string& name, std::vector<int64_t> shape);

  /// Throws ShapeError naming the first tensor of the source that was not used, except the ones
  /// `ignored` accepts (running counters, heads the network does not run).
  void check_all_used(const std::function<bool(std::string_view)>& ignored) const;

  const WeightSource& source() const noexcept { return source_; }

 private:
  const WeightSource& source_;
  std::string network_;
  std::set<std::string, std::less<>> used_;
};

}  // namespace visiondb::nn

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/nn/detail/weight_loader_impl.hpp"
#endif
