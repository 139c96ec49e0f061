// TensorView: a non-owning NHWC float tensor. The pixel pitch may exceed the channel count, so
// that a layer can write its channels straight into a slice of a concatenation buffer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace visiondb::nn {

/// A batch of feature maps in NHWC order: element (n, y, x, ch) lives at
/// data[((n * h + y) * w + x) * pitch + ch], with pitch >= c.
struct TensorView {
  float* data = nullptr;
  int n = 0, h = 0, w = 0, c = 0;
  int pitch = 0;

  /// Pixels in the batch (n * h * w), the row count of the GEMM that reads or writes this tensor.
  std::size_t pixels() const noexcept { return static_cast<std::size_t>(n) * h * w; }
  /// Floats spanned by the buffer (for a slice, up to the end of its last pixel's pitch).
  std::size_t span_floats() const noexcept { return pixels() * static_cast<std::size_t>(pitch); }
  float* at(int in, int y, int x) const noexcept {
    return data + ((static_cast<std::size_t>(in) * h + y) * w + x) * static_cast<std::size_t>(pitch);
  }
  /// The channels [first, first + count) of this tensor, sharing its memory and pitch.
  TensorView channels(int first, int count) const noexcept {
    TensorView v = *this;
    v.data = data + first;
    v.c = count;
    return v;
  }
  std::vector<int64_t> shape_nchw() const { return {n, c, h, w}; }
};

/// A dense NHWC view over `data` (pitch == c).
inline TensorView make_nhwc(float* data, int n, int h, int w, int c) { return TensorView{data, n, h, w, c, c}; }

/// Copies an NCHW batch into an NHWC view of the same shape.
inline void nchw_to_nhwc(const float* src, const TensorView& dst) {
  const std::size_t plane = static_cast<std::size_t>(dst.h) * dst.w;
  for (int in = 0; in < dst.n; ++in)
    for (int ch = 0; ch < dst.c; ++ch) {
      const float* s = src + (static_cast<std::size_t>(in) * dst.c + ch) * plane;
      for (std::size_t p = 0; p < plane; ++p) dst.data[(static_cast<std::size_t>(in) * plane + p) * dst.pitch + ch] = s[p];
    }
}

/// Copies an NHWC view into a dense NCHW batch.
inline void nhwc_to_nchw(const TensorView& src, float* dst) {
  const std::size_t plane = static_cast<std::size_t>(src.h) * src.w;
  for (int in = 0; in < src.n; ++in)
    for (std::size_t p = 0; p < plane; ++p) {
      const float* s = src.data + (static_cast<std::size_t>(in) * plane + p) * src.pitch;
      for (int ch = 0; ch < src.c; ++ch) dst[(static_cast<std::size_t>(in) * src.c + ch) * plane + p] = s[ch];
    }
}

}  // namespace visiondb::nn
