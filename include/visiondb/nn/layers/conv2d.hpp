// Conv2d: a convolution with its batch norm folded in at load, run as a packed GEMM over NHWC
// tensors with a fused bias + residual + ReLU epilogue.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "visiondb/config.hpp"
#include "visiondb/nn/generated_weights.hpp"
#include "visiondb/nn/kernels/gemm.hpp"
#include "visiondb/nn/kernels/gemm_bf16.hpp"
#include "visiondb/nn/kernels/winograd.hpp"
#include "visiondb/nn/tensor.hpp"
#include "visiondb/nn/weight_loader.hpp"

namespace visiondb::nn {

/// Shape of a convolution (groups = 1, no bias of its own: torchvision's conv + BN pairs).
struct Conv2dParams {
  int in_ch = 0, out_ch = 0;
  int kh = 1, kw = 1;
  int stride_h = 1, stride_w = 1;
  int pad_h = 0, pad_w = 0;
  bool relu = true;  // ReLU after the (residual) sum
};

/// Where a conv + BN pair's tensors live: `weight` [out, in, kh, kw] and `bn`.{weight, bias,
/// running_mean, running_var}.
struct ConvBnNames {
  std::string weight;
  std::string bn;
  double eps = 1e-5;
};

/// Per-input-channel affine map x * scale + shift applied before the convolution (Inception's
/// transform_input); foldable only into unpadded convolutions.
struct InputAffine {
  std::array<double, 3> scale{1, 1, 1};
  std::array<double, 3> shift{0, 0, 0};
};

class Conv2d;

/// Called after every Conv2d::forward, when set, with the layer, its input, its output and the
/// forward's wall time in seconds: the per-layer profiles of bench/nn_bench.cpp. Set it only while
/// no network runs.
using ConvProfileHook = void (*)(const Conv2d& layer, const TensorView& in, const TensorView& out, double seconds);
/// The process-wide hook (null: no timing, one load per layer).
inline ConvProfileHook& conv_profile_hook() noexcept {
  static ConvProfileHook hook = nullptr;
  return hook;
}

class Conv2d {
 public:
  Conv2d() = default;
  explicit Conv2d(Conv2dParams p) : p_(p) {}

  /// The tensors this layer reads, in state_dict order.
  static std::vector<TensorSpec> tensor_specs(const Conv2dParams& p, const ConvBnNames& names);

  /// Reads the conv weight and its batch norm, folds them, and packs the GEMM operand.
  void load(WeightLoader& w, const ConvBnNames& names, const InputAffine* input_affine = nullptr);

  const Conv2dParams& params() const noexcept { return p_; }
  int out_h(int in_h) const noexcept { return (in_h + 2 * p_.pad_h - p_.kh) / p_.stride_h + 1; }
  int out_w(int in_w) const noexcept { return (in_w + 2 * p_.pad_w - p_.kw) / p_.stride_w + 1; }
  /// Multiply-adds per output pixel times 2.
  double flops_per_pixel() const noexcept { return 2.0 * p_.in_ch * p_.kh * p_.kw * p_.out_ch; }

  /// out = relu?(conv(in) + bias (+ residual)); out may be a channel slice of a larger tensor.
  /// The residual may be out itself (same data and pitch): the sum is then written over it.
  void forward(const TensorView& in, const TensorView& out, const TensorView* residual = nullptr,
               GemmIsa isa = GemmIsa::Best) const;

  const PackedWeights& packed() const noexcept { return weights_; }

  /// The layer that runs after this one (null: none known): while this layer's last weights
  /// stream past, the first of `next`'s are requested into L2. Networks chain their layers once
  /// built; a layer must outlive the one that names it.
  void set_next(const Conv2d* next) noexcept { next_ = next; }
  const Conv2d* next() const noexcept { return next_; }

  /// Runs in bf16 (see gemm_bf16.hpp) when on; throws InvalidArgument when the machine cannot.
  void set_bf16(bool on);
  bool bf16() const noexcept { return !weights_bf16_.empty(); }

  /// Runs by Winograd F(tile x tile, 3 x 3) (see winograd.hpp) when `tile` is 2 or 4, by the
  /// im2col / implicit GEMM when 0 (the default). Only for 3 x 3 stride-1 convolutions with equal
  /// padding: anything else throws InvalidArgument. bf16, when on, takes precedence.
  void set_winograd(int tile);
  /// The Winograd tile in use (2 or 4), or 0.
  int winograd() const noexcept { return winograd_.empty() ? 0 : winograd_.tile(); }
  /// Whether set_winograd may be called on this layer.
  bool winograd_applicable() const noexcept {
    return p_.kh == 3 && p_.kw == 3 && p_.stride_h == 1 && p_.stride_w == 1 && p_.pad_h == p_.pad_w;
  }

 private:
  void run(const TensorView& in, const TensorView& out, const TensorView* residual, GemmIsa isa) const;
  Conv2dParams p_;
  PackedWeights weights_;
  PackedWeightsBf16 weights_bf16_;
  WinogradWeights winograd_;
  const Conv2d* next_ = nullptr;
};

/// The Winograd tile the networks use for a 3 x 3 stride-1 layer, from the per-shape measurements
/// in docs/performance.md: F(4x4) in general (2.1-3.5x the GEMM path at batch 1), F(2x2) for the
/// layers with large weights (in_ch * out_ch >= 128 Ki: ResNet-50's layer4, Inception-v3's
/// Mixed_7b/7c, on 7 x 7 / 8 x 8 maps), where F(4x4)'s transformed weights, 4x the plain ones, cost
/// more to stream than it saves at batch 1.
inline int default_winograd_tile(const Conv2dParams& p) noexcept {
  return static_cast<long>(p.in_ch) * p.out_ch >= 128L * 1024 ? 2 : 4;
}

/// A fully connected layer y = x W^T + b (torch Linear: weight [out, in]).
class Dense {
 public:
  Dense() = default;
  Dense(int in, int out) : in_(in), out_(out) {}
  static std::vector<TensorSpec> tensor_specs(int in, int out, const std::string& prefix);
  void load(WeightLoader& w, const std::string& prefix);
  int in_features() const noexcept { return in_; }
  int out_features() const noexcept { return out_; }
  /// y [rows x out] (row stride ldy) from x [rows x in] (row stride ldx).
  void forward(const float* x, std::size_t ldx, std::size_t rows, float* y, std::size_t ldy) const;

 private:
  int in_ = 0, out_ = 0;
  PackedWeights weights_;
};

}  // namespace visiondb::nn

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/nn/layers/detail/conv2d_impl.hpp"
#endif
