// Out-of-line parts of pool_simd.hpp.
#pragma once

#include <algorithm>
#include <cmath>
#include <limits>

#include "visiondb/common/parallel.hpp"
#include "visiondb/common/simd.hpp"
#include "visiondb/nn/kernels/pool_simd.hpp"

namespace visiondb::nn {

namespace detail {
using PoolBatch = xsimd::batch<float, simd::default_arch>;
inline constexpr int kPoolLanes = static_cast<int>(PoolBatch::size);

// Applies the window reduction of one output pixel: `src[i]` are the in-bounds input pixels.
template <bool IsMax>
inline void reduce_pixels(const float* const* src, int count, int c, float scale, float* dst) {
  int ch = 0;
  for (; ch + kPoolLanes <= c; ch += kPoolLanes) {
    PoolBatch acc = IsMax ? PoolBatch(-std::numeric_limits<float>::infinity()) : PoolBatch(0.0f);
    for (int i = 0; i < count; ++i) {
      const PoolBatch v = PoolBatch::load_unaligned(src[i] + ch);
      acc = IsMax ? xsimd::max(acc, v) : acc + v;
    }
    if (!IsMax) acc *= PoolBatch(scale);
    acc.store_unaligned(dst + ch);
  }
  for (; ch < c; ++ch) {
    float acc = IsMax ? -std::numeric_limits<float>::infinity() : 0.0f;
    for (int i = 0; i < count; ++i) acc = IsMax ? std::max(acc, src[i][ch]) : acc + src[i][ch];
    dst[ch] = IsMax ? acc : acc * scale;
  }
}

template <bool IsMax>
void pool_nhwc(const TensorView& in, const TensorView& out, int k, int s, int p) {
  const float scale = 1.0f / static_cast<float>(k * k);
  parallel_for(0, static_cast<std::size_t>(out.n) * out.h, 4, [&](std::size_t first, std::size_t last) {
    const float* src[64];
    for (std::size_t row = first; row < last; ++row) {
      const int n = static_cast<int>(row / out.h), oy = static_cast<int>(row % out.h);
      for (int ox = 0; ox < out.w; ++ox) {
        int count = 0;
        for (int ky = 0; ky < k; ++ky) {
          const int iy = oy * s - p + ky;
          if (iy < 0 || iy >= in.h) continue;
          for (int kx = 0; kx < k; ++kx) {
            const int ix = ox * s - p + kx;
            if (ix >= 0 && ix < in.w) src[count++] = in.at(n, iy, ix);
          }
        }
        reduce_pixels<IsMax>(src, count, in.c, scale, out.at(n, oy, ox));
      }
    }
  });
}
}  // namespace detail

VISIONDB_INLINE void max_pool_nhwc(const TensorView& in, const TensorView& out, int k, int s, int p) {
  detail::pool_nhwc<true>(in, out, k, s, p);
}

VISIONDB_INLINE void avg_pool_nhwc(const TensorView& in, const TensorView& out, int k, int s, int p) {
  detail::pool_nhwc<false>(in, out, k, s, p);
}

VISIONDB_INLINE void global_avg_pool_nhwc(const TensorView& in, float* out, std::size_t out_ld) {
  using detail::PoolBatch;
  using detail::kPoolLanes;
  const std::size_t plane = static_cast<std::size_t>(in.h) * in.w;
  const float scale = 1.0f / static_cast<float>(plane);
  parallel_for_each_index(0, static_cast<std::size_t>(in.n), [&](std::size_t n) {
    float* dst = out + n * out_ld;
    int ch = 0;
    for (; ch + kPoolLanes <= in.c; ch += kPoolLanes) {
      PoolBatch acc(0.0f);
      for (std::size_t px = 0; px < plane; ++px) acc += PoolBatch::load_unaligned(in.data + (n * plane + px) * in.pitch + ch);
      (acc * PoolBatch(scale)).store_unaligned(dst + ch);
    }
    for (; ch < in.c; ++ch) {
      float acc = 0;
      for (std::size_t px = 0; px < plane; ++px) acc += in.data[(n * plane + px) * in.pitch + ch];
      dst[ch] = acc * scale;
    }
  });
}

VISIONDB_INLINE void softmax_rows(const float* x, float* y, std::size_t rows, std::size_t n) {
  for (std::size_t r = 0; r < rows; ++r) {
    const float* xr = x + r * n;
    float* yr = y + r * n;
    float mx = xr[0];
    for (std::size_t j = 1; j < n; ++j) mx = std::max(mx, xr[j]);
    double sum = 0;
    for (std::size_t j = 0; j < n; ++j) {
      const float e = std::exp(xr[j] - mx);
      yr[j] = e;
      sum += e;
    }
    const float inv = static_cast<float>(1.0 / sum);
    for (std::size_t j = 0; j < n; ++j) yr[j] *= inv;
  }
}

}  // namespace visiondb::nn
