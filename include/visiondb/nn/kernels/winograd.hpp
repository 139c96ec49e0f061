// Winograd F(m x m, 3 x 3) convolution (Lavin & Gray, 2015) for 3 x 3 stride-1 layers, m = 2 or 4:
// each m x m output tile costs (m + 2)^2 element-wise products per channel pair instead of 9 m^2.
// The input tiles are transformed (B^T d B, xsimd along channels) into (m + 2)^2 matrices
// [tiles x in_ch], each multiplied by its transformed weights (G g G^T, packed at load) on the
// packed GEMM, and transformed back (A^T M A) with the bias, residual and ReLU epilogue.
// It changes the rounding: see docs/models.md for the measured error and when the networks use it.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "visiondb/config.hpp"
#include "visiondb/nn/kernels/gemm.hpp"
#include "visiondb/nn/tensor.hpp"

namespace visiondb::nn {

/// The transformed weights of a 3 x 3 convolution: for each of the (m + 2)^2 tile positions, a
/// packed in_ch x out_ch matrix, and the bias.
class WinogradWeights {
 public:
  WinogradWeights() = default;
  /// `kn` holds the convolution weights as a row-major (9 * in_ch) x out_ch matrix, row
  /// k = (ky * 3 + kx) * in_ch + ci (im2col order); the transform runs in double, in parallel over
  /// input channels. `bias` holds out_ch floats, or is null. Throws InvalidArgument for a tile
  /// other than 2 or 4.
  WinogradWeights(int tile, int in_ch, int out_ch, std::span<const float> kn, const float* bias);

  bool empty() const noexcept { return positions_.empty(); }
  int tile() const noexcept { return tile_; }
  int in_ch() const noexcept { return in_ch_; }
  int out_ch() const noexcept { return out_ch_; }
  /// (tile + 2)^2.
  int positions() const noexcept { return static_cast<int>(positions_.size()); }
  const PackedWeights& position(int p) const noexcept { return positions_[static_cast<std::size_t>(p)]; }
  /// out_ch floats (zeros when built without a bias).
  const float* bias() const noexcept { return bias_.data(); }
  /// Floats held by the transformed weights ((tile + 2)^2 / 9 times the plain weights).
  std::size_t floats() const noexcept;

 private:
  int tile_ = 0, in_ch_ = 0, out_ch_ = 0;
  std::vector<PackedWeights> positions_;
  std::vector<float> bias_;
};

/// out = epilogue(conv3x3(in, stride 1, zero padding `pad`)) by Winograd. out.h = in.h + 2 pad - 2
/// (likewise w); out may be a channel slice of a wider tensor. `tiles_per_block` (0: the default)
/// sets how many tiles are transformed, multiplied and transformed back together. Deterministic:
/// the result does not depend on the thread count. Throws ShapeError for mismatched shapes.
void winograd_conv3x3(const TensorView& in, int pad, const WinogradWeights& w, const TensorView& out,
                      const GemmEpilogue& epilogue, GemmIsa isa = GemmIsa::Best, int tiles_per_block = 0);

/// The default tiles per block for a layer's channel counts (the block's transformed input and
/// products stay in L2).
int winograd_default_block(int tile, int in_ch, int out_ch) noexcept;

}  // namespace visiondb::nn

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/nn/kernels/detail/winograd_impl.hpp"
#endif
