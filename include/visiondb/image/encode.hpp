// Encoding 8-bit pixels as PNG, JPEG or BMP files (stb_image_write): what the demo, the tests and
// the benchmarks write their generated images with.
//   visiondb::img::write_image_file("a.jpg", pixels.data(), 640, 480, 3, ImageFileFormat::Jpeg);
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "visiondb/config.hpp"

namespace visiondb::img {

enum class ImageFileFormat { Png, Jpeg, Bmp };

/// The file bytes of an image of interleaved 8-bit pixels (row-major, `channels` 1 to 4; JPEG and
/// BMP drop alpha). `jpeg_quality` 1..100. Throws InvalidArgument for bad dimensions.
std::vector<uint8_t> encode_image(const uint8_t* pixels, int width, int height, int channels, ImageFileFormat format,
                                  int jpeg_quality = 90);
/// encode_image written to `path`; throws IoError naming the path when it cannot be written.
void write_image_file(const std::string& path, const uint8_t* pixels, int width, int height, int channels,
                      ImageFileFormat format, int jpeg_quality = 90);

}  // namespace visiondb::img

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/image/detail/encode_impl.hpp"
#endif
