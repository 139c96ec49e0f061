// Out-of-line parts of gemm_bf16.hpp: the AVX512-BF16 micro-kernel (vdpbf16ps; xsimd 8.1 has no
// wrapper for it, so this one kernel uses the intrinsics) and its driver.
#pragma once

#include <algorithm>
#include <cstring>

#include "visiondb/common/error.hpp"
#include "visiondb/common/parallel.hpp"
#include "visiondb/common/simd.hpp"
#include "visiondb/nn/kernels/detail/gemm_impl.hpp"
#include "visiondb/nn/kernels/gemm_bf16.hpp"

#if defined(__AVX512BF16__) && defined(__AVX512F__)
#define VISIONDB_HAS_BF16_GEMM 1
#include <immintrin.h>
#else
#define VISIONDB_HAS_BF16_GEMM 0
#endif

namespace visiondb::nn {

VISIONDB_INLINE bool bf16_gemm_available() noexcept { return VISIONDB_HAS_BF16_GEMM != 0; }

VISIONDB_INLINE PackedWeightsBf16::PackedWeightsBf16(const PackedWeights& w) : k_(w.k()), n_(w.n()) {
  const int np = panels(), kp = k_pairs();
  data_.resize(static_cast<std::size_t>(np) * kp * 2 * kPanelWidth);
  bias_.resize(static_cast<std::size_t>(np) * kPanelWidth);
  std::memcpy(bias_.data(), w.bias(), sizeof(float) * bias_.size());
  for (int j = 0; j < np; ++j) {
    uint16_t* dst = data_.data() + static_cast<std::size_t>(j) * kp * 2 * kPanelWidth;
    for (int q = 0; q < kp; ++q)
      for (int col = 0; col < kPanelWidth; ++col) {
        // Vector v = col / 16 holds lanes (col % 16) x {row 2q, row 2q + 1}.
        uint16_t* d = dst + static_cast<std::size_t>(q) * 2 * kPanelWidth + (col / 16) * 32 + (col % 16) * 2;
        const int n = j * kPanelWidth + col;
        d[0] = n < n_ ? to_bf16(w.at(2 * q, n)) : 0;
        d[1] = n < n_ && 2 * q + 1 < k_ ? to_bf16(w.at(2 * q + 1, n)) : 0;
      }
  }
}

#if VISIONDB_HAS_BF16_GEMM
namespace detail {

/// Converts `count` floats to bf16 (count rounded up to even, zero padded).
inline void floats_to_bf16(const float* src, int count, uint16_t* dst) {
  int i = 0;
  for (; i + 32 <= count; i += 32) {
    const __m512bh v = _mm512_cvtne2ps_pbh(_mm512_loadu_ps(src + i + 16), _mm512_loadu_ps(src + i));
    _mm512_storeu_si512(dst + i, reinterpret_cast<const __m512i&>(v));
  }
  for (; i < count; ++i) dst[i] = to_bf16(src[i]);
  if (count & 1) dst[count] = 0;
}

/// The bf16 micro-kernel: MR rows x 32 columns, A as bf16 pairs (row stride lda pairs).
template <int MR>
struct Bf16Kernel {
  static void run(int kq, const uint32_t* a, std::size_t lda, int rows, const uint16_t* b, float* c, std::size_t ldc,
                  int cols, bool accumulate, const TileEpilogue* ep) {
    __m512 acc[MR][2];
#pragma GCC unroll 16
    for (int r = 0; r < MR; ++r) acc[r][0] = acc[r][1] = _mm512_setzero_ps();
    const uint32_t* ar[MR];
#pragma GCC unroll 16
    for (int r = 0; r < MR; ++r) ar[r] = a + static_cast<std::size_t>(r < rows ? r : rows - 1) * lda;
    for (int q = 0; q < kq; ++q) {
      const __m512i b0 = _mm512_load_si512(b + static_cast<std::size_t>(q) * 64);
      const __m512i b1 = _mm512_load_si512(b + static_cast<std::size_t>(q) * 64 + 32);
#pragma GCC unroll 16
      for (int r = 0; r < MR; ++r) {
        const __m512i av = _mm512_set1_epi32(static_cast<int>(ar[r][q]));
        acc[r][0] = _mm512_dpbf16_ps(acc[r][0], reinterpret_cast<const __m512bh&>(av), reinterpret_cast<const __m512bh&>(b0));
        acc[r][1] = _mm512_dpbf16_ps(acc[r][1], reinterpret_cast<const __m512bh&>(av), reinterpret_cast<const __m512bh&>(b1));
      }
    }
    if (rows == MR && cols == kPanelWidth) {
#pragma GCC unroll 16
      for (int r = 0; r < MR; ++r)
        for (int v = 0; v < 2; ++v) {
          float* cp = c + static_cast<std::size_t>(r) * ldc + v * 16;
          __m512 x = acc[r][v];
          if (accumulate) x = _mm512_add_ps(x, _mm512_loadu_ps(cp));
          if (ep) {
            if (ep->bias) x = _mm512_add_ps(x, _mm512_loadu_ps(ep->bias + v * 16));
            if (ep->residual)
              x = _mm512_add_ps(x, _mm512_loadu_ps(ep->residual + static_cast<std::size_t>(r) * ep->residual_ld + v * 16));
            if (ep->relu) x = _mm512_max_ps(x, _mm512_setzero_ps());
          }
          _mm512_storeu_ps(cp, x);
        }
      return;
    }
    alignas(64) float tile[MR][kPanelWidth];
    for (int r = 0; r < MR; ++r) {
      _mm512_store_ps(&tile[r][0], acc[r][0]);
      _mm512_store_ps(&tile[r][16], acc[r][1]);
    }
    store_tile_scalar<MR>(tile, rows, cols, c, ldc, accumulate, ep);
  }
};

inline constexpr int kBf16BlockK = 256;  // floats of K per block (128 pairs)

inline void gemm_bf16_driver(std::size_t rows, const GemmA& a, const PackedWeightsBf16& b, float* c, std::size_t ldc,
                             const GemmEpilogue& ep) {
  constexpr int MR = 12;
  const int K = b.k(), N = b.n();
  const std::size_t panels = static_cast<std::size_t>(b.panels());
  if (rows == 0 || N == 0) return;
  const GemmPartition part = partition_gemm(rows, panels, MR, static_cast<std::size_t>(current_concurrency()));
  const std::size_t block_rows = part.block_rows, col_chunks = part.col_chunks;
  // A residual that is C itself: C starts as the residual, every K block accumulates (gemm.hpp).
  const bool residual_is_c = ep.residual == c && ep.residual_ld == ldc;
  GemmEpilogue ep_last = ep;
  if (residual_is_c) ep_last.residual = nullptr;
  parallel_for_each_index(0, part.row_blocks * col_chunks, [&](std::size_t task) {
    const std::size_t rb = task / col_chunks, cc = task % col_chunks;
    const std::size_t m0 = part.row_start(rb), m1 = part.row_start(rb + 1);
    const std::size_t p0 = cc * panels / col_chunks, p1 = (cc + 1) * panels / col_chunks;
    thread_local AlignedBuffer<float> a_f32;
    thread_local AlignedBuffer<uint32_t> a_bf16;
    const std::size_t ld_f32 = round_up(static_cast<std::size_t>(std::min(K, kBf16BlockK)), 16) + 16;
    const std::size_t ld_pairs = round_up(static_cast<std::size_t>(std::min(K, kBf16BlockK)) / 2 + 1, 16) + 8;
    if (a.conv && a_f32.size() < block_rows * ld_f32) a_f32.resize(block_rows * ld_f32);
    if (a_bf16.size() < block_rows * ld_pairs) a_bf16.resize(block_rows * ld_pairs);
    for (int k0 = 0; k0 < K; k0 += kBf16BlockK) {
      const int kc = std::min(kBf16BlockK, K - k0), kq = (kc + 1) / 2;
      if (a.conv) im2col_block(*a.conv, m0, m1 - m0, k0, kc, a_f32.data(), ld_f32);
      for (std::size_t r = m0; r < m1; ++r) {
        const float* src = a.conv ? a_f32.data() + (r - m0) * ld_f32 : a.data + r * a.ld + k0;
        floats_to_bf16(src, kc, reinterpret_cast<uint16_t*>(a_bf16.data() + (r - m0) * ld_pairs));
      }
      const bool accumulate = k0 > 0 || residual_is_c, last = k0 + kc == K;
      for (std::size_t p = p0; p < p1; ++p) {
        const uint16_t* bp = b.panel(static_cast<int>(p)) + static_cast<std::size_t>(k0 / 2) * 2 * kPanelWidth;
        const int cols = std::min<int>(kPanelWidth, N - static_cast<int>(p) * kPanelWidth);
        for (std::size_t r0 = m0; r0 < m1; r0 += MR) {
          const int nrows = static_cast<int>(std::min<std::size_t>(MR, m1 - r0));
          const TileEpilogue tile_ep = last ? TileEpilogue::of_tile(ep_last, b.bias(), r0, p) : TileEpilogue{};
          Bf16Kernel<MR>::run(kq, a_bf16.data() + (r0 - m0) * ld_pairs, ld_pairs, nrows, bp,
                              c + r0 * ldc + p * kPanelWidth, ldc, cols, accumulate, last ? &tile_ep : nullptr);
        }
      }
    }
  });
}

}  // namespace detail
#endif

VISIONDB_INLINE void gemm_bf16(std::size_t rows, const GemmA& a, const PackedWeightsBf16& b, float* c,
                               std::size_t ldc, const GemmEpilogue& epilogue) {
#if VISIONDB_HAS_BF16_GEMM
  detail::gemm_bf16_driver(rows, a, b, c, ldc, epilogue);
#else
  (void)rows, (void)a, (void)b, (void)c, (void)ldc, (void)epilogue;
  visiondb::detail::throw_invalid_argument("bf16 GEMM: this build has no AVX512-BF16 (compile with -march=native on such a CPU)");
#endif
}

}  // namespace visiondb::nn
