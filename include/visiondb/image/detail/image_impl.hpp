// Out-of-line parts of image.hpp: type and channel conversions.
#pragma once

#include <algorithm>
#include <cmath>

#include "visiondb/image/image.hpp"

namespace visiondb::img {

VISIONDB_INLINE Image to_float(const Image& image) {
  if (image.type() == PixelType::F32) return image;
  Image out(image.height(), image.width(), image.channels(), PixelType::F32);
  const uint8_t* in = image.u8();
  float* o = out.f32();
  const std::size_t n = image.size();
  for (std::size_t i = 0; i < n; ++i) o[i] = static_cast<float>(in[i]) / 255.0f;
  return out;
}

VISIONDB_INLINE Image to_u8(const Image& image) {
  if (image.type() == PixelType::U8) return image;
  Image out(image.height(), image.width(), image.channels(), PixelType::U8);
  const float* in = image.f32();
  uint8_t* o = out.u8();
  const std::size_t n = image.size();
  for (std::size_t i = 0; i < n; ++i) {
    float v = std::nearbyint(in[i] * 255.0f);
    o[i] = static_cast<uint8_t>(std::clamp(v, 0.0f, 255.0f));
  }
  return out;
}

namespace detail {
// Pillow's L24: ITU-R 601-2 luma in 16-bit fixed point, rounded.
inline uint8_t pil_luma(uint32_t r, uint32_t g, uint32_t b) noexcept {
  return static_cast<uint8_t>((r * 19595u + g * 38470u + b * 7471u + 0x8000u) >> 16);
}

template <class T>
void convert_channels_typed(const T* in, int cin, T* out, int cout, std::size_t pixels) {
  for (std::size_t p = 0; p < pixels; ++p, in += cin, out += cout) {
    const int color_in = cin >= 3 ? 3 : 1;  // channels holding colour; the 2nd/4th is alpha
    if (cout >= 3) {
      if (color_in == 3) {
        out[0] = in[0], out[1] = in[1], out[2] = in[2];
      } else {
        out[0] = out[1] = out[2] = in[0];
      }
    } else {
      if (color_in == 3) {
        if constexpr (std::is_same_v<T, uint8_t>) {
          out[0] = pil_luma(in[0], in[1], in[2]);
        } else {
          out[0] = in[0] * 0.299f + in[1] * 0.587f + in[2] * 0.114f;
        }
      } else {
        out[0] = in[0];
      }
    }
    const bool alpha_in = cin == 2 || cin == 4;
    if (cout == 2 || cout == 4) {
      T opaque;
      if constexpr (std::is_same_v<T, uint8_t>) {
        opaque = 255;
      } else {
        opaque = 1.0f;
      }
      out[cout - 1] = alpha_in ? in[cin - 1] : opaque;
    }
  }
}
}  // namespace detail

VISIONDB_INLINE Image convert_channels(const Image& image, int channels) {
  if (channels < 1 || channels > 4) visiondb::detail::throw_invalid_argument("image channels must be 1..4");
  if (channels == image.channels()) return image;
  Image out(image.height(), image.width(), channels, image.type());
  const std::size_t pixels = static_cast<std::size_t>(image.height()) * static_cast<std::size_t>(image.width());
  if (image.type() == PixelType::U8) {
    detail::convert_channels_typed(image.u8(), image.channels(), out.u8(), channels, pixels);
  } else {
    detail::convert_channels_typed(image.f32(), image.channels(), out.f32(), channels, pixels);
  }
  return out;
}

}  // namespace visiondb::img
