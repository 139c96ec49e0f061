// Decoding JPEG (baseline and progressive), PNG (palette, alpha, 16-bit, gray), BMP and GIF (first
// frame) into an Image, with the format taken from the file's signature and limits checked from
// its header before any pixel is decoded.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "visiondb/image/image.hpp"

namespace visiondb::img {

/// A container format, recognised by its signature (never by the file name).
enum class ImageFormat : uint8_t { Unknown, Jpeg, Png, Bmp, Gif };

/// "jpeg", "png", "bmp", "gif" or "unknown".
std::string_view image_format_name(ImageFormat format) noexcept;

/// The MIME type ("image/jpeg", ...), or "application/octet-stream" for Unknown.
std::string_view image_content_type(ImageFormat format) noexcept;

/// The format whose signature starts `bytes`.
ImageFormat detect_image_format(std::span<const uint8_t> bytes) noexcept;

/// Limits that protect the process from decompression bombs and huge inputs.
struct DecodeLimits {
  /// Largest width * height accepted; Pillow's MAX_IMAGE_PIXELS default (2^30 / 4 / 3).
  uint64_t max_pixels = 89'478'485;
  /// Largest encoded file accepted.
  uint64_t max_file_bytes = uint64_t{256} << 20;
  /// Largest width or height accepted.
  int max_side = 1 << 16;
};

/// Which channels the decoded image has.
enum class ChannelMode : uint8_t {
  Rgb,     ///< always 3, as PIL's convert('RGB'): gray replicated, alpha dropped (not composited)
  Source,  ///< as stored: 1 gray, 2 gray + alpha, 3 RGB, 4 RGBA (palette PNGs with tRNS and GIFs give 4)
};

struct DecodeOptions {
  DecodeLimits limits;
  ChannelMode channels = ChannelMode::Rgb;
};

/// What the header says, read without decoding pixels.
struct ImageInfo {
  ImageFormat format = ImageFormat::Unknown;
  int width = 0;
  int height = 0;
  int channels = 0;          ///< as stored (after palette expansion): 1..4
  bool sixteen_bit = false;  ///< a 16-bit PNG (decoded to 8 bits by keeping the high byte, as PIL does for RGB)
};

/// Reads the header of an encoded image. `name` (a path or uri) is used in errors only.
/// Throws IoError naming `name` for an unknown signature or an unreadable header.
ImageInfo probe_image(std::span<const uint8_t> bytes, std::string_view name);

/// Decodes an encoded image into a U8 image. Throws IoError naming `name` when the file is not a
/// supported image, is truncated or corrupt, or exceeds `options.limits` (checked before decoding).
Image decode_image(std::span<const uint8_t> bytes, std::string_view name, const DecodeOptions& options = {});

/// Reads and decodes the file at `path` (no more than limits.max_file_bytes are read).
Image decode_image_file(const std::string& path, const DecodeOptions& options = {});

/// The whole file at `path`; throws IoError when it cannot be read or is larger than `max_bytes`.
std::vector<uint8_t> read_file_bytes(const std::string& path, uint64_t max_bytes);

}  // namespace visiondb::img

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/image/detail/decode_impl.hpp"
#endif
