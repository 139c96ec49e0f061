// Out-of-line parts of preprocess.hpp.
#pragma once

#include <string>

#include "visiondb/common/parallel.hpp"
#include "visiondb/image/detail/resample.hpp"
#include "visiondb/image/preprocess.hpp"

namespace visiondb::img {

VISIONDB_INLINE void PreprocessParams::validate() const {
  if (resize_shorter < 0) visiondb::detail::throw_invalid_argument("resize size must not be negative");
  if (crop_height <= 0 || crop_width <= 0) visiondb::detail::throw_invalid_argument("crop size must be positive");
  for (float s : std) {
    if (!(s != 0.0f)) visiondb::detail::throw_invalid_argument("normalisation std must not be zero");
  }
}

namespace detail {

// value -> ((value / 255) - mean) / std, in float32 and in that order, as ToTensor + Normalize.
struct NormalizeTable {
  float v[3][256];
  explicit NormalizeTable(const PreprocessParams& p) {
    for (int c = 0; c < 3; ++c)
      for (int i = 0; i < 256; ++i) v[c][i] = (static_cast<float>(i) / 255.0f - p.mean[c]) / p.std[c];
  }
};

inline void preprocess_rgb(const Image& rgb, const PreprocessParams& params, float* out) {
  const NormalizeTable table(params);
  const Size2 crop{params.crop_height, params.crop_width};
  const Size2 resized = params.resize_shorter > 0 ? shorter_side_size({rgb.height(), rgb.width()}, params.resize_shorter)
                                                  : Size2{rgb.height(), rgb.width()};
  const CropBox box = center_crop_box(resized, crop);
  const size_t plane = static_cast<size_t>(crop.height) * static_cast<size_t>(crop.width);
  float* planes_out[3] = {out, out + plane, out + 2 * plane};
  const int y_begin = std::max(box.top, 0), y_end = std::min(box.top + box.height, resized.height);
  const int x_begin = std::max(box.left, 0), x_end = std::min(box.left + box.width, resized.width);
  if (y_begin != box.top || x_begin != box.left || y_end != box.top + box.height || x_end != box.left + box.width) {
    // The crop overhangs the image: torchvision pads with zeros (before ToTensor and Normalize).
    for (int c = 0; c < 3; ++c) std::fill(planes_out[c], planes_out[c] + plane, table.v[c][0]);
  }
  if (y_begin >= y_end || x_begin >= x_end) return;
  const int cols = x_end - x_begin;
  const size_t out_x = static_cast<size_t>(x_begin - box.left);
  const int out_y = y_begin - box.top;
  static thread_local ResampleScratch scratch;
  resample_region_u8(rgb, resized, y_begin, y_end - y_begin, x_begin, cols, params.filter, scratch,
                     [&](int r, const int32_t* planes, size_t stride) {
                       const size_t row = static_cast<size_t>(out_y + r) * static_cast<size_t>(crop.width) + out_x;
                       for (int c = 0; c < 3; ++c) {
                         const float* lut = table.v[c];
                         const int32_t* v = planes + static_cast<size_t>(c) * stride;
                         float* dst = planes_out[c] + row;
                         for (int x = 0; x < cols; ++x) dst[x] = lut[v[x]];
                       }
                     });
}

}  // namespace detail

VISIONDB_INLINE void preprocess_image(const Image& image, const PreprocessParams& params, std::span<float> out) {
  params.validate();
  if (out.size() < params.output_size()) {
    visiondb::detail::throw_invalid_argument("preprocess output holds " + std::to_string(out.size()) +
                                             " floats, needs " + std::to_string(params.output_size()));
  }
  if (image.type() != PixelType::U8) visiondb::detail::throw_invalid_argument("preprocess expects a U8 image");
  if (image.empty()) visiondb::detail::throw_invalid_argument("cannot preprocess an empty image");
  if (image.channels() == 3) {
    detail::preprocess_rgb(image, params, out.data());
  } else {
    detail::preprocess_rgb(convert_channels(image, 3), params, out.data());
  }
}

VISIONDB_INLINE void preprocess_batch(std::span<const Image> images, const PreprocessParams& params,
                                      std::span<float> out) {
  params.validate();
  const size_t per_image = params.output_size();
  if (out.size() < images.size() * per_image) {
    visiondb::detail::throw_invalid_argument("preprocess output holds " + std::to_string(out.size()) +
                                             " floats, needs " + std::to_string(images.size() * per_image));
  }
  parallel_for_each_index(0, images.size(), [&](size_t i) {
    preprocess_image(images[i], params, out.subspan(i * per_image, per_image));
  });
}

VISIONDB_INLINE void decode_and_preprocess(std::span<const uint8_t> bytes, std::string_view name,
                                           const PreprocessParams& params, std::span<float> out,
                                           const DecodeLimits& limits) {
  DecodeOptions options;
  options.limits = limits;
  options.channels = ChannelMode::Rgb;
  preprocess_image(decode_image(bytes, name, options), params, out);
}

VISIONDB_INLINE std::vector<std::string> decode_and_preprocess_batch(std::span<const EncodedImage> images,
                                                                     const PreprocessParams& params,
                                                                     std::span<float> out, const DecodeLimits& limits) {
  params.validate();
  const size_t per_image = params.output_size();
  if (out.size() < images.size() * per_image) {
    visiondb::detail::throw_invalid_argument("preprocess output holds " + std::to_string(out.size()) +
                                             " floats, needs " + std::to_string(images.size() * per_image));
  }
  std::vector<std::string> errors(images.size());
  parallel_for_each_index(0, images.size(), [&](size_t i) {
    std::span<float> slot = out.subspan(i * per_image, per_image);
    try {
      decode_and_preprocess(images[i].bytes, images[i].name, params, slot, limits);
    } catch (const visiondb::Error& e) {
      errors[i] = e.what();
      std::fill(slot.begin(), slot.end(), 0.0f);
    }
  });
  return errors;
}

}  // namespace visiondb::img
