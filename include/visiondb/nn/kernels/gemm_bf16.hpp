// The bf16 variant of the convolution GEMM (an explicit option, not the default): weights and
// activations rounded to bfloat16 (round to nearest even), products accumulated in fp32 with
// AVX512-BF16's dot-product instruction, twice the multiply rate of fp32 FMA. The epilogue (bias,
// residual, ReLU) and the outputs stay fp32. About 3 significant digits: see docs/models.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "visiondb/common/aligned_buffer.hpp"
#include "visiondb/config.hpp"
#include "visiondb/nn/kernels/gemm.hpp"

namespace visiondb::nn {

/// Whether this build and machine run the bf16 GEMM (AVX512-BF16 compiled in).
bool bf16_gemm_available() noexcept;

/// Rounds a float to bfloat16 bits (round to nearest, ties to even).
inline uint16_t to_bf16(float f) noexcept {
  uint32_t bits;
  static_assert(sizeof(bits) == sizeof(f));
  __builtin_memcpy(&bits, &f, sizeof(bits));
  bits += 0x7FFFu + ((bits >> 16) & 1u);
  return static_cast<uint16_t>(bits >> 16);
}

/// A K x N weight matrix in bf16, packed for the bf16 micro-kernel: 32-column panels, each K/2
/// pairs of rows x 32 columns x 2 (the two rows of a pair side by side), zero padded.
class PackedWeightsBf16 {
 public:
  PackedWeightsBf16() = default;
  /// Rounds and repacks an fp32 packing (same K, N and bias).
  explicit PackedWeightsBf16(const PackedWeights& w);

  int k() const noexcept { return k_; }
  int k_pairs() const noexcept { return (k_ + 1) / 2; }
  int n() const noexcept { return n_; }
  int panels() const noexcept { return (n_ + kPanelWidth - 1) / kPanelWidth; }
  const uint16_t* panel(int j) const noexcept {
    return data_.data() + static_cast<std::size_t>(j) * k_pairs() * 2 * kPanelWidth;
  }
  const float* bias() const noexcept { return bias_.data(); }
  bool empty() const noexcept { return data_.empty(); }

 private:
  int k_ = 0, n_ = 0;
  AlignedBuffer<uint16_t> data_;
  AlignedBuffer<float> bias_;
};

/// C = epilogue(bf16(A) * bf16(B)), fp32 accumulation; same contract as gemm(). Throws
/// InvalidArgument when bf16_gemm_available() is false.
void gemm_bf16(std::size_t rows, const GemmA& a, const PackedWeightsBf16& b, float* c, std::size_t ldc,
               const GemmEpilogue& epilogue);

}  // namespace visiondb::nn

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/nn/kernels/detail/gemm_bf16_impl.hpp"
#endif
