// Network: what the image models share. A batch of normalised NCHW images goes in; the logits,
// the probabilities and the 2048-wide pooled embedding come out, only those that were asked for.
#pragma once

#include <array>
#include <cstddef>
#include <functional>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "visiondb/config.hpp"
#include "visiondb/nn/layers/conv2d.hpp"
#include "visiondb/nn/workspace.hpp"

namespace visiondb::models {

/// The preprocessing a network expects, as torchvision's classification presets.
struct Preprocessing {
  int input_size = 224;   ///< center crop (square)
  int resize_size = 256;  ///< shorter side after resizing, before the crop
  std::array<float, 3> mean{0.485f, 0.456f, 0.406f};
  std::array<float, 3> std{0.229f, 0.224f, 0.225f};
};

/// The arithmetic of the convolutions: exact fp32 (the default), or bf16 products with fp32
/// accumulation (AVX512-BF16, about twice the speed, about 3 significant digits).
enum class Precision { Fp32, Bf16 };

/// Which outputs a call computes; the classifier runs only for logits or probabilities.
struct OutputRequest {
  bool logits = false;
  bool probabilities = false;
  bool embedding = false;
};

/// The requested outputs, row-major per image; the ones not asked for are empty.
struct Outputs {
  std::size_t batch = 0;
  std::vector<float> logits;         ///< batch x num_classes
  std::vector<float> probabilities;  ///< batch x num_classes
  std::vector<float> embedding;      ///< batch x embedding_size
};

/// An image classification network with a global-average-pooled embedding and a linear head.
class Network {
 public:
  virtual ~Network() = default;
  virtual std::string_view name() const noexcept = 0;
  virtual const Preprocessing& preprocessing() const noexcept = 0;
  int num_classes() const noexcept { return fc_.out_features(); }
  int embedding_size() const noexcept { return fc_.in_features(); }

  /// Runs `batch` images, NCHW float, already normalised with preprocessing()'s mean and std.
  /// Throws ShapeError when the input does not hold batch x 3 x input_size x input_size floats.
  Outputs run(std::span<const float> images, std::size_t batch, OutputRequest what, nn::Workspace& ws) const;
  /// The same with the network's own workspace (calls are serialised).
  Outputs run(std::span<const float> images, std::size_t batch, OutputRequest what) const;

  /// Switches every convolution to `p` (the classifier stays fp32). Not concurrently with run().
  /// Throws InvalidArgument for Bf16 on a machine without AVX512-BF16.
  void set_precision(Precision p) {
    for_each_conv([&](nn::Conv2d& c) { c.set_bf16(p == Precision::Bf16); });
    precision_ = p;
  }
  Precision precision() const noexcept { return precision_; }

  /// Winograd for the 3 x 3 stride-1 convolutions, an explicit option (tile per layer:
  /// nn::default_winograd_tile; fp32, its rounding within ~1e-5 of the direct convolution); off,
  /// the default, runs them as im2col / implicit GEMMs, the arithmetic of PyTorch's direct
  /// kernels. Not concurrently with run().
  void set_winograd(bool on) {
    for_each_conv([&](nn::Conv2d& c) {
      if (c.winograd_applicable()) c.set_winograd(on ? nn::default_winograd_tile(c.params()) : 0);
    });
    winograd_ = on;
  }
  bool winograd() const noexcept { return winograd_; }

  /// Called with the output of each named stage (torchvision module names: "layer1",
  /// "Mixed_5b", ...) during run(), for debugging and tests; empty to disable.
  using StageObserver = std::function<void(std::string_view stage, const nn::TensorView& output)>;
  void set_stage_observer(StageObserver observer) { observer_ = std::move(observer); }

 protected:
  /// The trunk: writes batch x embedding_size() floats of pooled features.
  virtual void embed(const float* images, int batch, float* embedding, nn::Workspace& ws) const = 0;
  /// Calls f on every convolution of the network.
  virtual void for_each_conv(const std::function<void(nn::Conv2d&)>& f) = 0;
  void observe(std::string_view stage, const nn::TensorView& output) const {
    if (observer_) observer_(stage, output);
  }
  nn::Dense fc_;
  StageObserver observer_;
  Precision precision_ = Precision::Fp32;
  bool winograd_ = false;

 private:
  mutable std::mutex mutex_;
  mutable nn::Workspace workspace_;
};

}  // namespace visiondb::models

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/models/detail/network_impl.hpp"
#endif
