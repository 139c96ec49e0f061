// Out-of-line parts of color_space.hpp.
#pragma once

#include <algorithm>

#include "visiondb/common/error.hpp"
#include "visiondb/config.hpp"
#include "visiondb/image/color_space.hpp"

namespace visiondb::img {

VISIONDB_INLINE bool parse_color_space(std::string_view name, ColorSpace& out) noexcept {
  auto is = [&](std::string_view want) {
    if (name.size() != want.size()) return false;
    for (size_t i = 0; i < name.size(); ++i) {
      char c = name[i];
      if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
      if (c != want[i]) return false;
    }
    return true;
  };
  if (is("RGB")) out = ColorSpace::Rgb;
  else if (is("HSV")) out = ColorSpace::Hsv;
  else if (is("GRAYSCALE")) out = ColorSpace::Grayscale;
  else if (is("YIQ")) out = ColorSpace::Yiq;
  else if (is("YUV")) out = ColorSpace::Yuv;
  else return false;
  return true;
}

VISIONDB_INLINE std::string_view color_space_name(ColorSpace space) noexcept {
  switch (space) {
    case ColorSpace::Rgb: return "RGB";
    case ColorSpace::Hsv: return "HSV";
    case ColorSpace::Grayscale: return "GRAYSCALE";
    case ColorSpace::Yiq: return "YIQ";
    case ColorSpace::Yuv: return "YUV";
  }
  return "?";
}

VISIONDB_INLINE Image convert_color_space(const Image& rgb, ColorSpace space) {
  if (rgb.type() != PixelType::F32) visiondb::detail::throw_invalid_argument("colour conversion needs float pixels");
  if (rgb.channels() != 3)
    visiondb::detail::throw_invalid_argument("colour conversion needs an RGB image with 3 channels, got " +
                                             std::to_string(rgb.channels()));
  if (space == ColorSpace::Rgb) return rgb;
  const size_t pixels = static_cast<size_t>(rgb.height()) * static_cast<size_t>(rgb.width());
  Image out(rgb.height(), rgb.width(), space == ColorSpace::Grayscale ? 1 : 3, PixelType::F32);
  const float* in = rgb.f32();
  float* o = out.f32();
  // A 3x3 matrix applied per pixel: out[k] = m[k][0] R + m[k][1] G + m[k][2] B (TensorFlow's kernels).
  auto linear = [&](const float (&m)[3][3]) {
    for (size_t p = 0; p < pixels; ++p, in += 3, o += 3) {
      const float r = in[0], g = in[1], b = in[2];
      o[0] = m[0][0] * r + m[0][1] * g + m[0][2] * b;
      o[1] = m[1][0] * r + m[1][1] * g + m[1][2] * b;
      o[2] = m[2][0] * r + m[2][1] * g + m[2][2] * b;
    }
  };
  switch (space) {
    case ColorSpace::Grayscale:
      for (size_t p = 0; p < pixels; ++p, in += 3) o[p] = 0.2989f * in[0] + 0.5870f * in[1] + 0.1140f * in[2];
      break;
    case ColorSpace::Yiq: {
      static constexpr float m[3][3] = {{0.299f, 0.587f, 0.114f},
                                        {0.59590059f, -0.27455667f, -0.32134392f},
                                        {0.2115f, -0.52273617f, 0.31119955f}};
      linear(m);
      break;
    }
    case ColorSpace::Yuv: {
      static constexpr float m[3][3] = {{0.299f, 0.587f, 0.114f},
                                        {-0.14714119f, -0.28886916f, 0.43601035f},
                                        {0.61497538f, -0.51496512f, -0.10001026f}};
      linear(m);
      break;
    }
    case ColorSpace::Hsv:
      for (size_t p = 0; p < pixels; ++p, in += 3, o += 3) {
        const float r = in[0], g = in[1], b = in[2];
        const float v = std::max({r, g, b});
        const float range = v - std::min({r, g, b});
        const float s = v > 0 ? range / v : 0.0f;
        float h = 0;
        if (range > 0) {
          const float norm = 1.0f / (6.0f * range);
          if (r == v) h = norm * (g - b);
          else if (g == v) h = norm * (b - r) + 2.0f / 6.0f;
          else h = norm * (r - g) + 4.0f / 6.0f;
          if (h < 0) h += 1.0f;
        }
        o[0] = h, o[1] = s, o[2] = v;
      }
      break;
    case ColorSpace::Rgb: break;
  }
  return out;
}

}  // namespace visiondb::img
