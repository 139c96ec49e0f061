// Inception-v3 as torchvision builds it (299 x 299; transform_input folded into the first
// convolution, as torchvision applies it to pretrained weights; the auxiliary head skipped).
// Branch outputs are written straight into their slice of the concatenated block output.
#pragma once

#include <string>
#include <vector>

#include "visiondb/config.hpp"
#include "visiondb/models/network.hpp"
#include "visiondb/nn/generated_weights.hpp"
#include "visiondb/nn/weight_source.hpp"

namespace visiondb::models {

class InceptionV3 final : public Network {
 public:
  /// Loads torchvision's inception_v3 state_dict (AuxLogits.* and num_batches_tracked ignored).
  /// transform_input re-normalises the input as torchvision does for its pretrained weights
  /// (inception_v3(weights=...) sets it); pass false for checkpoints trained without it.
  explicit InceptionV3(const nn::WeightSource& weights, bool transform_input = true);

  /// Every tensor the network reads, in state_dict order (no AuxLogits).
  static std::vector<nn::TensorSpec> tensor_specs();
  /// 299 x 299 crops of images resized to 342, ImageNet mean and std.
  static const Preprocessing& default_preprocessing() noexcept;

  std::string_view name() const noexcept override { return "inception_v3"; }
  const Preprocessing& preprocessing() const noexcept override { return default_preprocessing(); }

  /// The convolutions in state_dict order, by module name ("Mixed_5b.branch1x1").
  struct NamedConv {
    std::string module;
    nn::Conv2d conv;
  };

 protected:
  void embed(const float* images, int batch, float* embedding, nn::Workspace& ws) const override;
  void for_each_conv(const std::function<void(nn::Conv2d&)>& f) override {
    for (NamedConv& c : convs_) f(c.conv);
  }

 private:
  const nn::Conv2d& conv(const std::string& module) const;
  std::vector<NamedConv> convs_;
};

}  // namespace visiondb::models

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/models/detail/inception_v3_impl.hpp"
#endif
