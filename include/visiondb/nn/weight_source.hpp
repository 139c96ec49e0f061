// WeightSource: where a network's parameters come from (a converted weights file, or the
// deterministic generator the tests use). Tensors are named as in torchvision's state_dict.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace visiondb::nn {

/// A read-only set of named fp32 tensors, row-major, named with torchvision's state_dict keys
/// ("conv1.weight", "layer1.0.bn1.running_mean", "fc.bias", ...).
class WeightSource {
 public:
  virtual ~WeightSource() = default;

  /// The tensor called `name`, whose shape must be `shape`. Throws visiondb::ShapeError naming
  /// the tensor and both shapes when it differs, and visiondb::Error (kind Shape) when missing.
  virtual std::span<const float> tensor(std::string_view name, std::span<const int64_t> shape) const = 0;

  /// True when a tensor of that name exists.
  virtual bool contains(std::string_view name) const = 0;

  /// Every tensor name held, so that a loader can report the ones it did not use.
  virtual std::vector<std::string> names() const = 0;

  /// Where the tensors come from, for error messages (a path, or "generated(seed=1)").
  virtual std::string origin() const = 0;
};

}  // namespace visiondb::nn
