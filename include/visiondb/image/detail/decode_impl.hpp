// Out-of-line parts of decode.hpp. The only file in visiondb that includes stb_image (Debian's
// libstb-dev), as a private static copy restricted to JPEG, PNG, BMP and GIF.
#pragma once

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include "visiondb/image/decode.hpp"
#include "visiondb/image/detail/container_check.hpp"

#ifndef VISIONDB_STB_IMAGE_INCLUDED
#define VISIONDB_STB_IMAGE_INCLUDED
#define STB_IMAGE_STATIC
#define STB_IMAGE_IMPLEMENTATION
#define STBI_ONLY_JPEG
#define STBI_ONLY_PNG
#define STBI_ONLY_BMP
#define STBI_ONLY_GIF
#define STBI_NO_STDIO
#define STBI_NO_LINEAR
#define STBI_NO_HDR
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-function"
#pragma GCC diagnostic ignored "-Wsign-compare"
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#pragma GCC diagnostic ignored "-Wimplicit-fallthrough"
#pragma GCC diagnostic ignored "-Wunused-but-set-variable"
#pragma GCC diagnostic ignored "-Wtype-limits"
#pragma GCC diagnostic ignored "-Wshadow"
#include <stb_image.h>  // stbi_load_from_memory, stbi_info_from_memory, stbi_is_16_bit_from_memory
#pragma GCC diagnostic pop
#endif

namespace visiondb::img {

VISIONDB_INLINE std::string_view image_format_name(ImageFormat format) noexcept {
  switch (format) {
    case ImageFormat::Jpeg: return "jpeg";
    case ImageFormat::Png: return "png";
    case ImageFormat::Bmp: return "bmp";
    case ImageFormat::Gif: return "gif";
    case ImageFormat::Unknown: break;
  }
  return "unknown";
}

VISIONDB_INLINE std::string_view image_content_type(ImageFormat format) noexcept {
  switch (format) {
    case ImageFormat::Jpeg: return "image/jpeg";
    case ImageFormat::Png: return "image/png";
    case ImageFormat::Bmp: return "image/bmp";
    case ImageFormat::Gif: return "image/gif";
    case ImageFormat::Unknown: break;
  }
  return "application/octet-stream";
}

VISIONDB_INLINE ImageFormat detect_image_format(std::span<const uint8_t> b) noexcept {
  auto starts = [&](const char* sig, size_t len) { return b.size() >= len && std::memcmp(b.data(), sig, len) == 0; };
  if (starts("\xFF\xD8\xFF", 3)) return ImageFormat::Jpeg;
  if (starts("\x89PNG\r\n\x1A\n", 8)) return ImageFormat::Png;
  if (starts("GIF87a", 6) || starts("GIF89a", 6)) return ImageFormat::Gif;
  if (starts("BM", 2) && b.size() >= 18) return ImageFormat::Bmp;
  return ImageFormat::Unknown;
}

namespace detail {

[[noreturn]] inline void throw_image_error(std::string_view name, std::string reason) {
  visiondb::detail::throw_io_error(std::string(name), std::move(reason));
}

inline const char* stb_reason() {
  const char* r = stbi_failure_reason();
  return r ? r : "unknown error";
}

// stb's terse failure codes, in words.
inline std::string explain_stb_failure(ImageFormat format, const char* code) {
  std::string out = "cannot decode the ";
  out += image_format_name(format);
  out += " data (";
  out += code;
  out += "): the file is corrupt or uses a variant stb_image does not support";
  return out;
}

// RGBX -> RGB, four pixels (16 bytes in, 12 out) per step.
inline void pack_rgbx_to_rgb(const uint8_t* in, uint8_t* out, size_t pixels) noexcept {
  size_t p = 0;
  for (; p + 4 <= pixels; p += 4, in += 16, out += 12) {
    uint8_t tmp[16];
    std::memcpy(tmp, in, 16);
    out[0] = tmp[0], out[1] = tmp[1], out[2] = tmp[2], out[3] = tmp[4], out[4] = tmp[5], out[5] = tmp[6];
    out[6] = tmp[8], out[7] = tmp[9], out[8] = tmp[10], out[9] = tmp[12], out[10] = tmp[13], out[11] = tmp[14];
  }
  for (; p < pixels; ++p, in += 4, out += 3) out[0] = in[0], out[1] = in[1], out[2] = in[2];
}

}  // namespace detail

VISIONDB_INLINE ImageInfo probe_image(std::span<const uint8_t> bytes, std::string_view name) {
  ImageInfo info;
  info.format = detect_image_format(bytes);
  if (info.format == ImageFormat::Unknown) {
    detail::throw_image_error(name, bytes.empty() ? "the file is empty"
                                                  : "not a supported image (JPEG, PNG, BMP or GIF signature expected)");
  }
  if (bytes.size() > static_cast<size_t>(INT32_MAX)) detail::throw_image_error(name, "the file is larger than 2 GiB");
  const int len = static_cast<int>(bytes.size());
  int w = 0, h = 0, c = 0;
  if (!stbi_info_from_memory(bytes.data(), len, &w, &h, &c)) {
    detail::throw_image_error(name, "cannot read the " + std::string(image_format_name(info.format)) + " header (" +
                                        detail::stb_reason() + ")");
  }
  info.width = w;
  info.height = h;
  info.channels = c;
  info.sixteen_bit = info.format == ImageFormat::Png && stbi_is_16_bit_from_memory(bytes.data(), len);
  return info;
}

VISIONDB_INLINE Image decode_image(std::span<const uint8_t> bytes, std::string_view name, const DecodeOptions& options) {
  const DecodeLimits& limits = options.limits;
  if (bytes.size() > limits.max_file_bytes) {
    detail::throw_image_error(name, "the file has " + std::to_string(bytes.size()) + " bytes, over the limit of " +
                                        std::to_string(limits.max_file_bytes));
  }
  const ImageFormat format = detect_image_format(bytes);
  auto check_size = [&](int64_t width, int64_t height) {
    if (width > limits.max_side || height > limits.max_side) {
      detail::throw_image_error(name, "the image is " + std::to_string(width) + "x" + std::to_string(height) +
                                          ", over the limit of " + std::to_string(limits.max_side) + " pixels per side");
    }
    const uint64_t pixels = uint64_t(width) * uint64_t(height);
    if (pixels > limits.max_pixels) {
      detail::throw_image_error(name, "the image is " + std::to_string(width) + "x" + std::to_string(height) + " = " +
                                          std::to_string(pixels) + " pixels, over the limit of " +
                                          std::to_string(limits.max_pixels) + " (a possible decompression bomb)");
    }
  };
  // From our own reading of the header first: stb refuses some huge sizes with a vaguer message.
  const detail::HeaderSize announced = detail::read_header_size(bytes, static_cast<int>(format));
  if (announced.width > 0 && announced.height > 0) check_size(announced.width, announced.height);
  const ImageInfo info = probe_image(bytes, name);
  if (info.width <= 0 || info.height <= 0) detail::throw_image_error(name, "the image has no pixels");
  check_size(info.width, info.height);
  std::string broken;
  switch (info.format) {
    case ImageFormat::Jpeg: broken = detail::check_jpeg_structure(bytes); break;
    case ImageFormat::Png: broken = detail::check_png_structure(bytes); break;
    case ImageFormat::Gif: broken = detail::check_gif_structure(bytes); break;
    case ImageFormat::Bmp: broken = detail::check_bmp_structure(bytes); break;
    case ImageFormat::Unknown: break;
  }
  if (!broken.empty()) detail::throw_image_error(name, std::string(image_format_name(info.format)) + ": " + broken);

  const bool rgb = options.channels == ChannelMode::Rgb;
  uint8_t gif_rgb[3] = {0, 0, 0};
  // stb converts JPEG's YCbCr to RGB with SIMD only when writing 4 channels: asking for RGBX and
  // dropping the filler is about 25% faster overall than asking for RGB (measured on photos).
  // GIFs are read as RGBA too: their transparent pixels (alpha 0) get PIL's colour below.
  const bool gif_fill = rgb && info.format == ImageFormat::Gif && detail::gif_transparent_colour(bytes, gif_rgb);
  const int wanted = rgb ? ((info.format == ImageFormat::Jpeg || gif_fill) ? 4 : 3) : 0;
  int w = 0, h = 0, c = 0;
  std::unique_ptr<stbi_uc, void (*)(void*)> pixels_ptr(
      stbi_load_from_memory(bytes.data(), static_cast<int>(bytes.size()), &w, &h, &c, wanted), stbi_image_free);
  if (!pixels_ptr) detail::throw_image_error(name, detail::explain_stb_failure(info.format, detail::stb_reason()));
  if (w != info.width || h != info.height) {
    detail::throw_image_error(name, "the decoded size differs from the header's (corrupt file)");
  }
  const int channels = rgb ? 3 : c;
  Image out(h, w, channels, PixelType::U8);
  if (gif_fill) {
    const uint8_t* in = pixels_ptr.get();
    uint8_t* o = out.u8();
    for (size_t p = 0, n = static_cast<size_t>(w) * static_cast<size_t>(h); p < n; ++p, in += 4, o += 3) {
      const bool clear = in[3] == 0;
      o[0] = clear ? gif_rgb[0] : in[0], o[1] = clear ? gif_rgb[1] : in[1], o[2] = clear ? gif_rgb[2] : in[2];
    }
  } else if (wanted == 4) {
    detail::pack_rgbx_to_rgb(pixels_ptr.get(), out.u8(), static_cast<size_t>(w) * static_cast<size_t>(h));
  } else {
    std::memcpy(out.u8(), pixels_ptr.get(), out.size_bytes());
  }
  return out;
}

VISIONDB_INLINE std::vector<uint8_t> read_file_bytes(const std::string& path, uint64_t max_bytes) {
  std::unique_ptr<FILE, int (*)(FILE*)> f(std::fopen(path.c_str(), "rb"), std::fclose);
  if (!f) visiondb::detail::throw_io_error(path, std::string("cannot open: ") + std::strerror(errno));
  if (std::fseek(f.get(), 0, SEEK_END) != 0) visiondb::detail::throw_io_error(path, "cannot seek (not a regular file?)");
  const long size = std::ftell(f.get());
  if (size < 0) visiondb::detail::throw_io_error(path, "cannot tell its size (not a regular file?)");
  if (static_cast<uint64_t>(size) > max_bytes) {
    visiondb::detail::throw_io_error(path, "the file has " + std::to_string(size) + " bytes, over the limit of " +
                                               std::to_string(max_bytes));
  }
  std::rewind(f.get());
  std::vector<uint8_t> bytes(static_cast<size_t>(size));
  if (size > 0 && std::fread(bytes.data(), 1, bytes.size(), f.get()) != bytes.size()) {
    visiondb::detail::throw_io_error(path, std::string("read error: ") + std::strerror(errno));
  }
  return bytes;
}

VISIONDB_INLINE Image decode_image_file(const std::string& path, const DecodeOptions& options) {
  const std::vector<uint8_t> bytes = read_file_bytes(path, options.limits.max_file_bytes);
  return decode_image(bytes, path, options);
}

}  // namespace visiondb::img
