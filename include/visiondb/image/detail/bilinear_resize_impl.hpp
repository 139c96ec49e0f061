// Out-of-line parts of bilinear_resize.hpp.
#pragma once

#include <algorithm>
#include <cmath>
#include <vector>

#include "visiondb/common/error.hpp"
#include "visiondb/config.hpp"
#include "visiondb/image/bilinear_resize.hpp"

namespace visiondb::img {

namespace detail {
// Source taps of each output coordinate: lower and upper input index and the weight of the upper.
struct BilinearTaps {
  std::vector<int> lo, hi;
  std::vector<float> frac;
};

inline BilinearTaps bilinear_taps(int in, int out) {
  BilinearTaps t;
  t.lo.resize(static_cast<size_t>(out));
  t.hi.resize(static_cast<size_t>(out));
  t.frac.resize(static_cast<size_t>(out));
  const float scale = static_cast<float>(in) / static_cast<float>(out);
  for (int i = 0; i < out; ++i) {
    const float src = (static_cast<float>(i) + 0.5f) * scale - 0.5f;
    const float f = std::floor(src);
    t.lo[static_cast<size_t>(i)] = std::max(static_cast<int>(f), 0);
    t.hi[static_cast<size_t>(i)] = std::min(static_cast<int>(std::ceil(src)), in - 1);
    t.frac[static_cast<size_t>(i)] = src - f;
  }
  return t;
}
}  // namespace detail

VISIONDB_INLINE Image resize_bilinear(const Image& image, Size2 size) {
  if (image.type() != PixelType::F32) visiondb::detail::throw_invalid_argument("bilinear resizing needs float pixels");
  if (image.empty()) visiondb::detail::throw_invalid_argument("cannot resize an empty image");
  if (size.height <= 0 || size.width <= 0)
    visiondb::detail::throw_invalid_argument("the target size must be positive, got " + std::to_string(size.height) + "x" +
                                             std::to_string(size.width));
  const int c = image.channels();
  Image out(size.height, size.width, c, PixelType::F32);
  const detail::BilinearTaps ty = detail::bilinear_taps(image.height(), size.height);
  const detail::BilinearTaps tx = detail::bilinear_taps(image.width(), size.width);
  for (int y = 0; y < size.height; ++y) {
    const float* top = image.f32_row(ty.lo[static_cast<size_t>(y)]);
    const float* bottom = image.f32_row(ty.hi[static_cast<size_t>(y)]);
    const float fy = ty.frac[static_cast<size_t>(y)];
    float* o = out.f32_row(y);
    for (int x = 0; x < size.width; ++x) {
      const size_t l = static_cast<size_t>(tx.lo[static_cast<size_t>(x)]) * static_cast<size_t>(c);
      const size_t r = static_cast<size_t>(tx.hi[static_cast<size_t>(x)]) * static_cast<size_t>(c);
      const float fx = tx.frac[static_cast<size_t>(x)];
      for (int k = 0; k < c; ++k) {
        const float t = top[l + static_cast<size_t>(k)] + (top[r + static_cast<size_t>(k)] - top[l + static_cast<size_t>(k)]) * fx;
        const float b =
            bottom[l + static_cast<size_t>(k)] + (bottom[r + static_cast<size_t>(k)] - bottom[l + static_cast<size_t>(k)]) * fx;
        o[static_cast<size_t>(x) * static_cast<size_t>(c) + static_cast<size_t>(k)] = t + (b - t) * fy;
      }
    }
  }
  return out;
}

VISIONDB_INLINE Size2 fit_within(Size2 image, Size2 box) {
  // In float32, as TensorFlow computes it; std::nearbyint rounds half to even (tf.round).
  const float fh = static_cast<float>(image.height), fw = static_cast<float>(image.width);
  const float scale = std::min(static_cast<float>(box.height) / fh, static_cast<float>(box.width) / fw);
  const int h = static_cast<int>(std::nearbyint(scale * fh));
  const int w = static_cast<int>(std::nearbyint(scale * fw));
  return {std::max(h, 1), std::max(w, 1)};
}

}  // namespace visiondb::img
