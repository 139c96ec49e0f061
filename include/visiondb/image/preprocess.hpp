// Classification preprocessing as torchvision's presets (ImageClassification): Resize(shorter side,
// PIL bilinear, antialiased), CenterCrop, ToTensor (/255), Normalize(mean, std), written as planar
// CHW floats into a caller's buffer; batches run in parallel, one image per task.
#pragma once

#include <array>
#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "visiondb/image/decode.hpp"
#include "visiondb/image/image.hpp"
#include "visiondb/image/resize.hpp"

namespace visiondb::img {

/// The sizes and normalisation of a network's input.
struct PreprocessParams {
  int resize_shorter = 256;  ///< the shorter side after resizing; 0 = no resize
  int crop_height = 224;
  int crop_width = 224;
  std::array<float, 3> mean{0.485f, 0.456f, 0.406f};  ///< ImageNet's, per RGB channel
  std::array<float, 3> std{0.229f, 0.224f, 0.225f};
  ResizeFilter filter = ResizeFilter::Bilinear;

  /// torchvision's ResNet50_Weights transforms: Resize(256), CenterCrop(224), ImageNet mean/std.
  static PreprocessParams resnet50() { return {}; }
  /// torchvision's Inception_V3_Weights transforms: Resize(342), CenterCrop(299), ImageNet mean/std.
  static PreprocessParams inception_v3() {
    PreprocessParams p;
    p.resize_shorter = 342;
    p.crop_height = p.crop_width = 299;
    return p;
  }
  /// Floats written per image: 3 * crop_height * crop_width.
  std::size_t output_size() const noexcept {
    return std::size_t{3} * static_cast<std::size_t>(crop_height) * static_cast<std::size_t>(crop_width);
  }
  /// Throws InvalidArgument for sizes that are not positive or a std of zero.
  void validate() const;
};

/// Preprocesses one U8 image (1 to 4 channels, converted to RGB as PIL's convert('RGB')) into `out`
/// (output_size() floats, planar: all of R, then G, then B).
void preprocess_image(const Image& image, const PreprocessParams& params, std::span<float> out);

/// Preprocesses N images into `out` (N * output_size() floats, NCHW), in parallel.
void preprocess_batch(std::span<const Image> images, const PreprocessParams& params, std::span<float> out);

/// Decodes an encoded image and preprocesses it into `out`; errors name `name`.
void decode_and_preprocess(std::span<const uint8_t> bytes, std::string_view name, const PreprocessParams& params,
                           std::span<float> out, const DecodeLimits& limits = {});

/// One encoded image of a batch: its bytes and the name used in errors (a path or uri).
struct EncodedImage {
  std::span<const uint8_t> bytes;
  std::string_view name;
};

/// Decodes and preprocesses N encoded images into `out` (N * output_size() floats, NCHW), one task
/// per image. An image that fails does not stop the others: its slot is zero-filled and its error
/// message (naming the image) is returned at its index; successful images give an empty string.
std::vector<std::string> decode_and_preprocess_batch(std::span<const EncodedImage> images,
                                                     const PreprocessParams& params, std::span<float> out,
                                                     const DecodeLimits& limits = {});

}  // namespace visiondb::img

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/image/detail/preprocess_impl.hpp"
#endif
