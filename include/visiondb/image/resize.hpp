// Resizing and cropping as PIL and torchvision do them: Pillow's separable resampling (the filter's
// support scaled by the downscale factor, normalised coefficients, 8-bit fixed-point rounding after
// each pass), torchvision's shorter-side size rule and its center-crop offsets.
#pragma once

#include <cstdint>

#include "visiondb/image/image.hpp"

namespace visiondb::img {

/// Pillow's resampling filters (PIL.Image.Resampling), each antialiased when downscaling.
enum class ResizeFilter : uint8_t {
  Bilinear,  ///< PIL's BILINEAR (triangle, support 1): torchvision's default
  Bicubic,   ///< PIL's BICUBIC (a = -0.5, support 2)
};

/// A height and a width.
struct Size2 {
  int height = 0;
  int width = 0;
  bool operator==(const Size2&) const = default;
};

/// torchvision's Resize(int) rule: the shorter side becomes `shorter`, the longer one
/// int(shorter * long / short) (truncated).
Size2 shorter_side_size(Size2 image, int shorter);

/// A rectangle of an image; top/left may be negative or the box may overhang, the outside being zero.
struct CropBox {
  int top = 0;
  int left = 0;
  int height = 0;
  int width = 0;
};

/// torchvision's CenterCrop offsets: round((size - crop) / 2) with Python's round-half-to-even, and
/// zero padding (left/top (crop - size) // 2) when the crop is larger than the image.
CropBox center_crop_box(Size2 image, Size2 crop);

/// The image resized to `size`. U8 images give Pillow's result exactly (8-bit fixed point);
/// F32 images use the same coefficients in double precision, as Pillow's mode "F".
Image resize_image(const Image& image, Size2 size, ResizeFilter filter = ResizeFilter::Bilinear);

/// The rectangle `box` of the image as it would be after resizing to `size`, computing only that
/// rectangle (pixels outside the resized image are zero). Equal to cropping resize_image(image, size).
Image resize_and_crop(const Image& image, Size2 size, CropBox box, ResizeFilter filter = ResizeFilter::Bilinear);

/// The rectangle `box` of the image (pixels outside it are zero), as torchvision's crop/pad.
Image crop_image(const Image& image, CropBox box);

}  // namespace visiondb::img

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/image/detail/resize_impl.hpp"
#endif
