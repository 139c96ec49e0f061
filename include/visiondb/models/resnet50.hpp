// ResNet-50 as torchvision builds it (v1.5: the stride sits on the 3x3 convolution of each
// bottleneck), running on visiondb's kernels with every batch norm folded into its convolution.
#pragma once

#include <memory>
#include <vector>

#include "visiondb/config.hpp"
#include "visiondb/models/network.hpp"
#include "visiondb/nn/generated_weights.hpp"
#include "visiondb/nn/weight_source.hpp"

namespace visiondb::models {

class ResNet50 final : public Network {
 public:
  /// Loads torchvision's resnet50 state_dict from `weights`; throws ShapeError naming a missing,
  /// mis-shaped or unexpected tensor.
  explicit ResNet50(const nn::WeightSource& weights);

  /// Every tensor the network reads (num_batches_tracked aside), in state_dict order.
  static std::vector<nn::TensorSpec> tensor_specs();
  /// 224 x 224 crops of images resized to 256, ImageNet mean and std.
  static const Preprocessing& default_preprocessing() noexcept;

  std::string_view name() const noexcept override { return "resnet50"; }
  const Preprocessing& preprocessing() const noexcept override { return default_preprocessing(); }

 protected:
  void embed(const float* images, int batch, float* embedding, nn::Workspace& ws) const override;
  void for_each_conv(const std::function<void(nn::Conv2d&)>& f) override {
    f(stem_);
    for (Bottleneck& b : blocks_) {
      f(b.conv1);
      f(b.conv2);
      f(b.conv3);
      if (b.has_downsample) f(b.downsample);
    }
  }

 private:
  struct Bottleneck {
    nn::Conv2d conv1, conv2, conv3, downsample;
    bool has_downsample = false;
  };
  nn::Conv2d stem_;
  std::vector<Bottleneck> blocks_;
};

}  // namespace visiondb::models

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/models/detail/resnet50_impl.hpp"
#endif
