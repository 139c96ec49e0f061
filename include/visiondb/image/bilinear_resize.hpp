// Bilinear resizing as tf.image.resize(method='bilinear', antialias=False) does it: half-pixel
// centres, each output pixel interpolated from the 2x2 nearest input pixels (no antialiasing when
// shrinking). Equal to torch.nn.functional.interpolate(mode='bilinear', align_corners=False).
// This is what BigQuery's ML.RESIZE_IMAGE names; the networks' preprocessing uses resize.hpp
// (Pillow's antialiased filters) instead.
#pragma once

#include "visiondb/image/image.hpp"
#include "visiondb/image/resize.hpp"

namespace visiondb::img {

/// An F32 image of `size` interpolated from an F32 image. Throws InvalidArgument for another pixel
/// type, an empty image or a size that is not positive.
Image resize_bilinear(const Image& image, Size2 size);

/// TensorFlow's preserve_aspect_ratio rule: the largest size within `box` with the image's aspect
/// ratio: scale = min(box.h / h, box.w / w), sides round(scale * side) (half to even), at least 1.
Size2 fit_within(Size2 image, Size2 box);

}  // namespace visiondb::img

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/image/detail/bilinear_resize_impl.hpp"
#endif
