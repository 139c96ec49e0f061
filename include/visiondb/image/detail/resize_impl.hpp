// Out-of-line parts of resize.hpp.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstring>

#include "visiondb/image/detail/resample.hpp"
#include "visiondb/image/resize.hpp"

namespace visiondb::img {

VISIONDB_INLINE Size2 shorter_side_size(Size2 image, int shorter) {
  if (shorter <= 0) visiondb::detail::throw_invalid_argument("resize size must be positive");
  if (image.height <= 0 || image.width <= 0) visiondb::detail::throw_invalid_argument("cannot resize an empty image");
  const bool wide = image.width > image.height;  // torchvision: short = w when w <= h
  const int64_t short_side = wide ? image.height : image.width;
  const int64_t long_side = wide ? image.width : image.height;
  // Python's int(shorter * long / short): a correctly rounded true division, then truncation.
  const int new_long = static_cast<int>(static_cast<double>(int64_t{shorter} * long_side) / static_cast<double>(short_side));
  return wide ? Size2{shorter, new_long} : Size2{new_long, shorter};
}

namespace detail {
// Python's int(round(v / 2.0)) for an integer v: round half to even.
inline int round_half_even_div2(int v) noexcept {
  const double h = v / 2.0;
  return static_cast<int>(std::nearbyint(h));  // default rounding mode: to nearest, ties to even
}
}  // namespace detail

VISIONDB_INLINE CropBox center_crop_box(Size2 image, Size2 crop) {
  if (crop.height <= 0 || crop.width <= 0) visiondb::detail::throw_invalid_argument("crop size must be positive");
  int pad_left = 0, pad_top = 0;
  int h = image.height, w = image.width;
  if (crop.width > w || crop.height > h) {
    // torchvision pads with zeros first: left/top (crop - size) // 2, right/bottom the rest.
    if (crop.width > w) {
      pad_left = (crop.width - w) / 2;
      w = crop.width;
    }
    if (crop.height > h) {
      pad_top = (crop.height - h) / 2;
      h = crop.height;
    }
  }
  CropBox box;
  box.top = detail::round_half_even_div2(h - crop.height) - pad_top;
  box.left = detail::round_half_even_div2(w - crop.width) - pad_left;
  box.height = crop.height;
  box.width = crop.width;
  return box;
}

VISIONDB_INLINE Image resize_and_crop(const Image& image, Size2 size, CropBox box, ResizeFilter filter) {
  if (size.height <= 0 || size.width <= 0) visiondb::detail::throw_invalid_argument("resize size must be positive");
  if (image.empty()) visiondb::detail::throw_invalid_argument("cannot resize an empty image");
  if (box.height <= 0 || box.width <= 0) visiondb::detail::throw_invalid_argument("crop size must be positive");
  Image out(box.height, box.width, image.channels(), image.type());
  const int y_begin = std::max(box.top, 0), y_end = std::min(box.top + box.height, size.height);
  const int x_begin = std::max(box.left, 0), x_end = std::min(box.left + box.width, size.width);
  if (y_begin >= y_end || x_begin >= x_end) return out;
  const int C = image.channels();
  const size_t out_x = static_cast<size_t>(x_begin - box.left) * C;
  const int out_y = y_begin - box.top;
  if (image.type() == PixelType::U8) {
    static thread_local detail::ResampleScratch scratch;
    detail::resample_region_u8(image, size, y_begin, y_end - y_begin, x_begin, x_end - x_begin, filter, scratch,
                               [&](int r, const int32_t* planes, size_t stride) {
                                 uint8_t* dst = out.u8_row(out_y + r) + out_x;
                                 const int cols = x_end - x_begin;
                                 for (int c = 0; c < C; ++c)
                                   for (int x = 0; x < cols; ++x)
                                     dst[static_cast<size_t>(x) * C + c] =
                                         static_cast<uint8_t>(planes[static_cast<size_t>(c) * stride + x]);
                               });
  } else {
    detail::resample_region_f32(image, size, y_begin, y_end - y_begin, x_begin, x_end - x_begin, filter,
                                out.f32_row(out_y) + out_x, out.row_stride());
  }
  return out;
}

VISIONDB_INLINE Image resize_image(const Image& image, Size2 size, ResizeFilter filter) {
  return resize_and_crop(image, size, CropBox{0, 0, size.height, size.width}, filter);
}

VISIONDB_INLINE Image crop_image(const Image& image, CropBox box) {
  if (box.height <= 0 || box.width <= 0) visiondb::detail::throw_invalid_argument("crop size must be positive");
  Image out(box.height, box.width, image.channels(), image.type());
  const int y_begin = std::max(box.top, 0), y_end = std::min(box.top + box.height, image.height());
  const int x_begin = std::max(box.left, 0), x_end = std::min(box.left + box.width, image.width());
  if (y_begin >= y_end || x_begin >= x_end) return out;
  const size_t elem = pixel_type_size(image.type()) * image.channels();
  const size_t bytes = static_cast<size_t>(x_end - x_begin) * elem;
  const size_t in_row = image.row_stride() * pixel_type_size(image.type());
  const size_t out_row = out.row_stride() * pixel_type_size(image.type());
  const uint8_t* src = image.u8();  // raw bytes of either type
  uint8_t* dst = out.u8();
  for (int y = y_begin; y < y_end; ++y) {
    std::memcpy(dst + static_cast<size_t>(y - box.top) * out_row + static_cast<size_t>(x_begin - box.left) * elem,
                src + static_cast<size_t>(y) * in_row + static_cast<size_t>(x_begin) * elem, bytes);
  }
  return out;
}

}  // namespace visiondb::img
