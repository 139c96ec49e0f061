// Out-of-line parts of encode.hpp. The only file in visiondb that includes stb_image_write.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include "visiondb/common/error.hpp"
#include "visiondb/image/encode.hpp"

#ifndef VISIONDB_STB_IMAGE_WRITE_INCLUDED
#define VISIONDB_STB_IMAGE_WRITE_INCLUDED
#define STB_IMAGE_WRITE_STATIC
#define STB_IMAGE_WRITE_IMPLEMENTATION
#define STBI_WRITE_NO_STDIO
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-function"
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#pragma GCC diagnostic ignored "-Wsign-compare"
#include <stb_image_write.h>  // stbi_write_png_to_func, stbi_write_jpg_to_func, stbi_write_bmp_to_func
#pragma GCC diagnostic pop
#endif

namespace visiondb::img {

VISIONDB_INLINE std::vector<uint8_t> encode_image(const uint8_t* pixels, int width, int height, int channels,
                                                  ImageFileFormat format, int jpeg_quality) {
  if (width <= 0 || height <= 0 || channels < 1 || channels > 4 || !pixels)
    throw InvalidArgument("cannot encode an image of " + std::to_string(width) + "x" + std::to_string(height) + "x" +
                          std::to_string(channels) + " pixels");
  if (jpeg_quality < 1 || jpeg_quality > 100)
    throw InvalidArgument("JPEG quality must be 1 to 100, not " + std::to_string(jpeg_quality));
  std::vector<uint8_t> out;
  auto append = [](void* context, void* data, int size) {
    auto* bytes = static_cast<const uint8_t*>(data);
    static_cast<std::vector<uint8_t>*>(context)->insert(static_cast<std::vector<uint8_t>*>(context)->end(), bytes,
                                                        bytes + size);
  };
  int ok = 0;
  switch (format) {
    case ImageFileFormat::Png: ok = stbi_write_png_to_func(append, &out, width, height, channels, pixels, width * channels); break;
    case ImageFileFormat::Jpeg: ok = stbi_write_jpg_to_func(append, &out, width, height, channels, pixels, jpeg_quality); break;
    case ImageFileFormat::Bmp: ok = stbi_write_bmp_to_func(append, &out, width, height, channels, pixels); break;
  }
  if (!ok) throw InvalidArgument("stb_image_write could not encode the image");
  return out;
}

VISIONDB_INLINE void write_image_file(const std::string& path, const uint8_t* pixels, int width, int height,
                                      int channels, ImageFileFormat format, int jpeg_quality) {
  std::vector<uint8_t> bytes = encode_image(pixels, width, height, channels, format, jpeg_quality);
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) throw IoError(path, "cannot create the file");
  const bool written = std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size();
  if (std::fclose(f) != 0 || !written) throw IoError(path, "cannot write the file");
}

}  // namespace visiondb::img
