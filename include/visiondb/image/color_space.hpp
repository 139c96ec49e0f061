// Colour-space conversions of RGB float images, with TensorFlow's formulas (tf.image.rgb_to_hsv,
// rgb_to_grayscale, rgb_to_yiq, rgb_to_yuv), the ones BigQuery's ML.CONVERT_COLOR_SPACE names.
#pragma once

#include <cstdint>
#include <string_view>

#include "visiondb/image/image.hpp"

namespace visiondb::img {

enum class ColorSpace : uint8_t {
  Rgb,        ///< unchanged
  Hsv,        ///< hue in [0, 1) (a sixth per sector), saturation, value
  Grayscale,  ///< one channel: 0.2989 R + 0.587 G + 0.114 B
  Yiq,        ///< NTSC: Y in [0, 1], I in about [-0.596, 0.596], Q in about [-0.523, 0.523]
  Yuv,        ///< Y in [0, 1], U in about [-0.436, 0.436], V in about [-0.615, 0.615]
};

/// The colour space of a name ("RGB", "HSV", "GRAYSCALE", "YIQ", "YUV", any case); false when unknown.
bool parse_color_space(std::string_view name, ColorSpace& out) noexcept;

/// "RGB", "HSV", "GRAYSCALE", "YIQ" or "YUV".
std::string_view color_space_name(ColorSpace space) noexcept;

/// Converts an F32 RGB image (3 channels, values in [0, 1]) to `space`; the result is F32 with 3
/// channels (1 for Grayscale). Throws InvalidArgument for another pixel type or channel count.
Image convert_color_space(const Image& rgb, ColorSpace space);

}  // namespace visiondb::img

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/image/detail/color_space_impl.hpp"
#endif
