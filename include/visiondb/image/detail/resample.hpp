// Pillow's resampling engine (libImaging/Resample.c), reimplemented: per-axis coefficient tables
// and the two passes (horizontal first, then vertical, as Pillow), both with xsimd.
// Computes any rectangle of the resized image, so that resize + crop costs only the crop.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "visiondb/common/aligned_buffer.hpp"
#include "visiondb/common/simd.hpp"
#include "visiondb/image/resize.hpp"

// GCC 12 warns falsely about _mm512_undefined_epi32() inside the AVX-512 min/max intrinsics.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

namespace visiondb::img::detail {

// Pillow's PRECISION_BITS for 8-bit images: 32 - 8 - 2.
inline constexpr int kResamplePrecisionBits = 22;

inline double resample_filter(ResizeFilter f, double x) noexcept {
  if (x < 0.0) x = -x;
  if (f == ResizeFilter::Bilinear) return x < 1.0 ? 1.0 - x : 0.0;
  constexpr double a = -0.5;
  if (x < 1.0) return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
  if (x < 2.0) return (((x - 5) * x + 8) * x - 4) * a;
  return 0.0;
}

inline double resample_support(ResizeFilter f) noexcept { return f == ResizeFilter::Bilinear ? 1.0 : 2.0; }

/// The taps of every output index along one axis: Pillow's precompute_coeffs.
struct ResampleAxis {
  int ksize = 0;
  std::vector<int> start;         // first input index
  std::vector<int> count;         // number of taps
  std::vector<double> weights;    // out_size * ksize, normalised
  std::vector<int32_t> fixed;     // the same in 8-bit fixed point (normalize_coeffs_8bpc)
};

inline ResampleAxis make_resample_axis(int in_size, int out_size, ResizeFilter filter) {
  ResampleAxis axis;
  const double scale = static_cast<double>(in_size) / out_size;
  const double filterscale = std::max(scale, 1.0);
  const double support = resample_support(filter) * filterscale;
  axis.ksize = static_cast<int>(std::ceil(support)) * 2 + 1;
  const size_t ksize = static_cast<size_t>(axis.ksize);
  axis.start.resize(out_size);
  axis.count.resize(out_size);
  axis.weights.assign(static_cast<size_t>(out_size) * ksize, 0.0);
  axis.fixed.assign(static_cast<size_t>(out_size) * ksize, 0);
  const double ss = 1.0 / filterscale;
  for (int xx = 0; xx < out_size; ++xx) {
    const double center = (xx + 0.5) * scale;
    int xmin = static_cast<int>(center - support + 0.5);  // C truncation, as Pillow
    if (xmin < 0) xmin = 0;
    int xmax = static_cast<int>(center + support + 0.5);
    if (xmax > in_size) xmax = in_size;
    xmax -= xmin;
    double* k = &axis.weights[static_cast<size_t>(xx) * ksize];
    double ww = 0.0;
    for (int x = 0; x < xmax; ++x) {
      const double w = resample_filter(filter, (x + xmin - center + 0.5) * ss);
      k[x] = w;
      ww += w;
    }
    for (int x = 0; x < xmax; ++x)
      if (ww != 0.0) k[x] /= ww;
    int32_t* kf = &axis.fixed[static_cast<size_t>(xx) * ksize];
    for (int x = 0; x < xmax; ++x) {
      const double v = k[x] * (1 << kResamplePrecisionBits);
      kf[x] = static_cast<int32_t>(v < 0 ? -0.5 + v : 0.5 + v);
    }
    axis.start[xx] = xmin;
    axis.count[xx] = xmax;
  }
  return axis;
}

inline int32_t clip8(int32_t v) noexcept {
  v >>= kResamplePrecisionBits;
  return v < 0 ? 0 : (v > 255 ? 255 : v);
}

// The vertical pass for one output row: out[i] = clip8(round + sum_t k[t] * rows[t][i]), i < n.
inline void resample_vertical_i32(const int32_t* const* rows, const int32_t* k, int taps, int32_t* out, size_t n) {
  using B = simd::batch<int32_t, simd::default_arch>;
  constexpr size_t L = B::size;
  const B round(1 << (kResamplePrecisionBits - 1)), lo(0), hi(255);
  size_t i = 0;
  for (; i + L <= n; i += L) {
    B acc = round;
    for (int t = 0; t < taps; ++t) acc += B::load_unaligned(rows[t] + i) * B(k[t]);
    acc = xsimd::min(xsimd::max(acc >> kResamplePrecisionBits, lo), hi);
    acc.store_unaligned(out + i);
  }
  for (; i < n; ++i) {
    int32_t s = 1 << (kResamplePrecisionBits - 1);
    for (int t = 0; t < taps; ++t) s += rows[t][i] * k[t];
    out[i] = clip8(s);
  }
}

// The horizontal pass over a block of L rows at once (L = SIMD lanes), one row per lane: the
// block's input columns are transposed into lanes, so that each tap is one aligned load and one
// multiply-add with a broadcast weight, then the results are transposed back into C planes of
// `stride` values per row. The integer sums are Pillow's, unchanged. `rows` holds L row pointers
// (a short last block repeats a row; those lanes are not written back unless out_rows says so).
template <int C>
void resample_rows_horizontal_block(const uint8_t* const* rows, int out_rows, const ResampleAxis& axis, int x0,
                                    int cols, int32_t* const* out, size_t stride, AlignedBuffer<int32_t>& lanes_in,
                                    AlignedBuffer<int32_t>& lanes_out) {
  using B = simd::batch<int32_t, simd::default_arch>;
  constexpr size_t L = B::size;
  const int first = axis.start[x0];
  int last = first;
  for (int x = x0; x < x0 + cols; ++x) last = std::max(last, axis.start[x] + axis.count[x]);
  const size_t values = static_cast<size_t>(last - first) * C;
  lanes_in.resize(values * L);
  int32_t* t_in = lanes_in.data();
  for (size_t k = 0; k < values; ++k)
    for (size_t lane = 0; lane < L; ++lane) t_in[k * L + lane] = rows[lane][static_cast<size_t>(first) * C + k];
  lanes_out.resize(static_cast<size_t>(C) * stride * L);
  int32_t* t_out = lanes_out.data();
  const B round(1 << (kResamplePrecisionBits - 1)), lo(0), hi(255);
  const size_t ksize = static_cast<size_t>(axis.ksize);
  for (int j = 0; j < cols; ++j) {
    const int x = x0 + j;
    const int32_t* k = &axis.fixed[static_cast<size_t>(x) * ksize];
    const int32_t* base = t_in + static_cast<size_t>(axis.start[x] - first) * C * L;
    B acc[C];
    for (int c = 0; c < C; ++c) acc[c] = round;
    for (int t = 0; t < axis.count[x]; ++t, base += C * L) {
      const B w(k[t]);
      for (int c = 0; c < C; ++c) acc[c] += w * B::load_aligned(base + c * L);
    }
    for (int c = 0; c < C; ++c) {
      xsimd::min(xsimd::max(acc[c] >> kResamplePrecisionBits, lo), hi)
          .store_aligned(t_out + (static_cast<size_t>(c) * stride + j) * L);
    }
  }
  for (int lane = 0; lane < out_rows; ++lane) {
    int32_t* dst = out[lane];
    for (int c = 0; c < C; ++c)
      for (int j = 0; j < cols; ++j) {
        const size_t i = static_cast<size_t>(c) * stride + j;
        dst[i] = t_out[i * L + lane];
      }
  }
}

/// Scratch space reused across calls on one thread.
struct ResampleScratch {
  AlignedBuffer<int32_t> lanes_in, lanes_out;  // the horizontal pass's transposed blocks
  AlignedBuffer<int32_t> tmp;  // horizontally resampled rows, planar per row
  AlignedBuffer<int32_t> row;  // one vertically resampled row, planar
  std::vector<const int32_t*> row_ptrs;
};

/// Computes rows [y0, y0 + rows) x columns [x0, x0 + cols) of `in` (U8) resized to `size`, calling
/// emit(r, planes, stride) with r in [0, rows): the row's values (clamped 0..255) as C planes of
/// `cols` values, plane c starting at planes + c * stride. The rectangle must lie inside the
/// resized image.
template <class Emit>
void resample_region_u8(const Image& in, Size2 size, int y0, int rows, int x0, int cols, ResizeFilter filter,
                        ResampleScratch& scratch, Emit&& emit) {
  const int C = in.channels();
  const bool need_h = size.width != in.width();
  const bool need_v = size.height != in.height();
  ResampleAxis vaxis;
  int first_in_row = y0, last_in_row = y0 + rows;  // input rows needed: [first, last)
  if (need_v) {
    vaxis = make_resample_axis(in.height(), size.height, filter);
    first_in_row = vaxis.start[y0];
    last_in_row = 0;
    for (int r = y0; r < y0 + rows; ++r) last_in_row = std::max(last_in_row, vaxis.start[r] + vaxis.count[r]);
  }
  const int tmp_rows = last_in_row - first_in_row;
  constexpr size_t L = simd::batch<int32_t, simd::default_arch>::size;
  const size_t stride = (static_cast<size_t>(cols) + L - 1) / L * L;  // per plane
  const size_t row_values = stride * static_cast<size_t>(C);
  scratch.tmp.resize(static_cast<size_t>(tmp_rows) * row_values);
  if (need_h) {
    const ResampleAxis haxis = make_resample_axis(in.width(), size.width, filter);
    const uint8_t* rows_in[L];
    int32_t* rows_out[L];
    for (int r0 = 0; r0 < tmp_rows; r0 += static_cast<int>(L)) {
      const int n = std::min(static_cast<int>(L), tmp_rows - r0);
      for (size_t lane = 0; lane < L; ++lane) {
        const int r = r0 + std::min(static_cast<int>(lane), n - 1);
        rows_in[lane] = in.u8_row(first_in_row + r);
        rows_out[lane] = scratch.tmp.data() + static_cast<size_t>(r) * row_values;
      }
      switch (C) {
        case 1: resample_rows_horizontal_block<1>(rows_in, n, haxis, x0, cols, rows_out, stride, scratch.lanes_in, scratch.lanes_out); break;
        case 2: resample_rows_horizontal_block<2>(rows_in, n, haxis, x0, cols, rows_out, stride, scratch.lanes_in, scratch.lanes_out); break;
        case 3: resample_rows_horizontal_block<3>(rows_in, n, haxis, x0, cols, rows_out, stride, scratch.lanes_in, scratch.lanes_out); break;
        default: resample_rows_horizontal_block<4>(rows_in, n, haxis, x0, cols, rows_out, stride, scratch.lanes_in, scratch.lanes_out); break;
      }
    }
  } else {
    for (int r = 0; r < tmp_rows; ++r) {
      const uint8_t* src = in.u8_row(first_in_row + r) + static_cast<size_t>(x0) * C;
      int32_t* dst = scratch.tmp.data() + static_cast<size_t>(r) * row_values;
      for (int c = 0; c < C; ++c)
        for (int j = 0; j < cols; ++j) dst[static_cast<size_t>(c) * stride + j] = src[static_cast<size_t>(j) * C + c];
    }
  }
  if (!need_v) {
    for (int r = 0; r < rows; ++r) emit(r, scratch.tmp.data() + static_cast<size_t>(r) * row_values, stride);
    return;
  }
  scratch.row.resize(row_values);
  const size_t ksize = static_cast<size_t>(vaxis.ksize);
  for (int r = 0; r < rows; ++r) {
    const int y = y0 + r;
    const int taps = vaxis.count[y];
    scratch.row_ptrs.resize(static_cast<size_t>(taps));
    for (int t = 0; t < taps; ++t)
      scratch.row_ptrs[t] = scratch.tmp.data() + static_cast<size_t>(vaxis.start[y] - first_in_row + t) * row_values;
    resample_vertical_i32(scratch.row_ptrs.data(), &vaxis.fixed[static_cast<size_t>(y) * ksize], taps,
                          scratch.row.data(), row_values);
    emit(r, scratch.row.data(), stride);
  }
}

/// The F32 counterpart (double coefficients, no rounding between the passes), into `out` rows.
inline void resample_region_f32(const Image& in, Size2 size, int y0, int rows, int x0, int cols, ResizeFilter filter,
                                float* out, size_t out_stride) {
  const int C = in.channels();
  const size_t row_values = static_cast<size_t>(cols) * C;
  const bool need_h = size.width != in.width();
  const bool need_v = size.height != in.height();
  ResampleAxis vaxis;
  int first_in_row = y0, last_in_row = y0 + rows;
  if (need_v) {
    vaxis = make_resample_axis(in.height(), size.height, filter);
    first_in_row = vaxis.start[y0];
    last_in_row = 0;
    for (int r = y0; r < y0 + rows; ++r) last_in_row = std::max(last_in_row, vaxis.start[r] + vaxis.count[r]);
  }
  const int tmp_rows = last_in_row - first_in_row;
  std::vector<float> tmp(static_cast<size_t>(tmp_rows) * row_values);
  ResampleAxis haxis;
  if (need_h) haxis = make_resample_axis(in.width(), size.width, filter);
  for (int r = 0; r < tmp_rows; ++r) {
    const float* src = in.f32_row(first_in_row + r);
    float* dst = tmp.data() + static_cast<size_t>(r) * row_values;
    if (!need_h) {
      std::copy(src + static_cast<size_t>(x0) * C, src + static_cast<size_t>(x0 + cols) * C, dst);
      continue;
    }
    for (int j = 0; j < cols; ++j) {
      const int x = x0 + j;
      const double* k = &haxis.weights[static_cast<size_t>(x) * haxis.ksize];
      for (int c = 0; c < C; ++c) {
        double s = 0.0;
        for (int t = 0; t < haxis.count[x]; ++t) s += src[static_cast<size_t>(haxis.start[x] + t) * C + c] * k[t];
        dst[static_cast<size_t>(j) * C + c] = static_cast<float>(s);
      }
    }
  }
  for (int r = 0; r < rows; ++r) {
    float* dst = out + static_cast<size_t>(r) * out_stride;
    if (!need_v) {
      std::copy(tmp.begin() + static_cast<ptrdiff_t>(r * row_values), tmp.begin() + static_cast<ptrdiff_t>((r + 1) * row_values), dst);
      continue;
    }
    const int y = y0 + r;
    const double* k = &vaxis.weights[static_cast<size_t>(y) * vaxis.ksize];
    for (size_t i = 0; i < row_values; ++i) {
      double s = 0.0;
      for (int t = 0; t < vaxis.count[y]; ++t) s += tmp[static_cast<size_t>(vaxis.start[y] - first_in_row + t) * row_values + i] * k[t];
      dst[i] = static_cast<float>(s);
    }
  }
}

}  // namespace visiondb::img::detail

#pragma GCC diagnostic pop
