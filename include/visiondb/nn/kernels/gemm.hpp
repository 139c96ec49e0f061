// The packed fp32 GEMM behind every convolution and fully connected layer:
//   C[M x N] = A[M x K] * B[K x N] (+ bias[N]) (+ residual[M x N]) (ReLU)
// A holds activations (one row per output pixel, NHWC), read in place or built block by block
// by im2col; B holds weights, packed once at load into 32-column panels. The micro-kernel is
// templated on the xsimd architecture; blocks of rows x column panels run as oneTBB tasks.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "visiondb/common/aligned_buffer.hpp"
#include "visiondb/config.hpp"
#include "visiondb/nn/tensor.hpp"

namespace visiondb::nn {

/// Columns of B per packed panel (two AVX-512 registers).
inline constexpr int kPanelWidth = 32;

/// Most rows of K per block of the GEMM; the packed weights are laid out block by block. Each
/// block costs a round trip of C through the cache; the A rows of a 12-row tile (27 KB at 576)
/// stay in L1 while the B panels stream from L2. 576 is ResNet-50's whole first-stage 3 x 3
/// window (9 taps x 64 channels); measured against 192 (per-layer minimum over 3-4 runs, batch 1):
/// convolutions 2.5% faster at 1 thread (ResNet-50 37.08 -> 36.14 ms, Inception-v3 51.1 ->
/// 50.1), 1-2% at 2; 1152 measured the same as 576.
inline constexpr int kGemmMaxBlockK = 576;

/// Rows of K per block for a K x N matrix: K cut into the fewest blocks of at most
/// kGemmMaxBlockK rows, all of about the same size (no short last block, whose C round trip would
/// cost as much as a full one's: the 7 x 7 stem's K = 147 is one block, not 128 + 19).
inline int gemm_block_k(int k) noexcept {
  const int blocks = std::max(1, (k + kGemmMaxBlockK - 1) / kGemmMaxBlockK);
  return (k + blocks - 1) / blocks;
}

/// A K x N weight matrix packed for the micro-kernel: for each block of block_k() rows of K, the
/// ceil(N / 32) panels of that block one after the other (rows x 32 floats each, zero padded),
/// so that the GEMM reads the weights in one sequential stream. The bias is padded likewise.
class PackedWeights {
 public:
  PackedWeights() = default;
  /// Packs the row-major rows x cols matrix `kn` (element (k, n) at kn[k * cols + n]); bias may
  /// be null (zero).
  PackedWeights(int rows, int cols, std::span<const float> kn, const float* bias);
  /// An all-zero rows x cols matrix with no bias, to be filled through panel_row().
  PackedWeights(int rows, int cols);

  int k() const noexcept { return k_; }
  int n() const noexcept { return n_; }
  /// Rows of K per block (gemm_block_k(k())); the last block may be shorter.
  int block_k() const noexcept { return block_k_; }
  int panels() const noexcept { return (n_ + kPanelWidth - 1) / kPanelWidth; }
  /// Panel j of the K block starting at row k0 (a multiple of block_k()): its rows x 32 floats.
  const float* slice(int k0, int j) const noexcept {
    const int rows = std::min(block_k_, k_ - k0);
    return data_.data() + static_cast<std::size_t>(k0) * panels() * kPanelWidth +
           static_cast<std::size_t>(j) * rows * kPanelWidth;
  }
  /// The 32 floats of row k in panel j (columns 32 j .. 32 j + 31), for filling.
  float* panel_row(int kk, int j) noexcept {
    const int k0 = kk / block_k_ * block_k_;
    return const_cast<float*>(slice(k0, j)) + static_cast<std::size_t>(kk - k0) * kPanelWidth;
  }
  /// Bias padded to panels() * 32 floats.
  const float* bias() const noexcept { return bias_.data(); }
  /// The row-major k() x n() matrix it was packed from.
  std::vector<float> unpacked() const;
  /// Element (k, n) of the unpacked matrix.
  float at(int kk, int nn) const noexcept {
    const int k0 = kk / block_k_ * block_k_;
    return slice(k0, nn / kPanelWidth)[static_cast<std::size_t>(kk - k0) * kPanelWidth + nn % kPanelWidth];
  }

 private:
  int k_ = 0, n_ = 0, block_k_ = 1;
  AlignedBuffer<float> data_;
  AlignedBuffer<float> bias_;
};

/// How the rows of A are formed from an NHWC input: a k x k window per output pixel
/// (im2col order ky, kx, channel), or, for 1 x 1 stride-1 unpadded convolutions, the input
/// pixels themselves.
struct ConvGeometry {
  TensorView input;
  int kh = 1, kw = 1, stride_h = 1, stride_w = 1, pad_h = 0, pad_w = 0;
  int out_h = 0, out_w = 0;
  bool is_pointwise() const noexcept {
    return kh == 1 && kw == 1 && stride_h == 1 && stride_w == 1 && pad_h == 0 && pad_w == 0;
  }
};

/// The left operand: either a row-major matrix (rows at data + i * ld) or a convolution's input.
struct GemmA {
  const float* data = nullptr;
  std::size_t ld = 0;
  const ConvGeometry* conv = nullptr;  // set: rows come from im2col of conv->input
};

/// What is applied to each output element after the last K block.
struct GemmEpilogue {
  bool bias = true;                  // add B's (padded) bias
  const float* residual = nullptr;   // added when set: residual + row * residual_ld + col
  std::size_t residual_ld = 0;
  bool relu = false;
};

/// The instruction set a GEMM call runs on (tests compare them with each other).
enum class GemmIsa { Best, Avx512, Avx2, Scalar };

/// Whether this build can run `isa` (Best and Scalar always can).
bool gemm_isa_available(GemmIsa isa) noexcept;

/// C (row-major, ldc) = epilogue(A * B) for the first `rows` rows of A. The epilogue's residual
/// may be C itself (same pointer and row stride): the sum is then accumulated into it in place. Deterministic: the result
/// does not depend on the number of threads. `single_thread` runs it on the calling thread only
/// (for callers that already run independent GEMMs in parallel, as Winograd's tile blocks).
/// `next`, when given, is the weight matrix of the GEMM that runs after this one (the next layer):
/// the last panel group requests its first one into L2, as every group does for the one after it.
void gemm(std::size_t rows, const GemmA& a, const PackedWeights& b, float* c, std::size_t ldc,
          const GemmEpilogue& epilogue, GemmIsa isa = GemmIsa::Best, bool single_thread = false,
          const PackedWeights* next = nullptr);

/// Writes im2col rows [row0, row0 + rows) x columns [k0, k0 + kc) of a convolution into dst
/// (row stride ld_dst). Exposed for tests.
void im2col_block(const ConvGeometry& g, std::size_t row0, std::size_t rows, int k0, int kc, float* dst, std::size_t ld_dst);

}  // namespace visiondb::nn

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/nn/kernels/detail/gemm_impl.hpp"
#endif
