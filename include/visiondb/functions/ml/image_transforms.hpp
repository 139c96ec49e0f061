// BigQuery's image functions over IMAGE values, with TensorFlow's arithmetic (tf.image):
//   ML.RESIZE_IMAGE(image, target_height, target_width, preserve_aspect_ratio): bilinear, half-pixel
//     centres, no antialiasing; with preserve_aspect_ratio the largest size that fits the target.
//     The pixels keep their kind (INT64 ones are rounded back to integers).
//   ML.CONVERT_COLOR_SPACE(image, 'RGB' | 'HSV' | 'GRAYSCALE' | 'YIQ' | 'YUV'): from RGB; FLOAT64 out.
//   ML.CONVERT_IMAGE_TYPE(image): FLOAT64 pixels in [0, 1] to INT64 in [0, 255], as
//     tf.image.convert_image_dtype (v * 255.5 truncated), the inverse of the / 255 of decoding.
// Bad arguments (sizes that are not positive, a grayscale image to convert) are errors; SAFE.
// makes them NULL. Images of a chunk are processed in parallel.
#pragma once

#include "visiondb/functions/function.hpp"
#include "visiondb/functions/ml/image_value.hpp"

namespace visiondb::fn {

FunctionSet resize_image_overloads();
FunctionSet convert_color_space_overloads();
FunctionSet convert_image_type_overloads();

struct ResizeImageFunction {
  static constexpr std::string_view name = "ml.resize_image",
                                    doc = "ML.RESIZE_IMAGE(image, target_height, target_width, preserve_aspect_ratio): "
                                          "bilinear resizing";
  static FunctionSet overloads() { return resize_image_overloads(); }
};

struct ConvertColorSpaceFunction {
  static constexpr std::string_view name = "ml.convert_color_space",
                                    doc = "ML.CONVERT_COLOR_SPACE(image, target_color_space): RGB to HSV, GRAYSCALE, YIQ or YUV";
  static FunctionSet overloads() { return convert_color_space_overloads(); }
};

struct ConvertImageTypeFunction {
  static constexpr std::string_view name = "ml.convert_image_type",
                                    doc = "ML.CONVERT_IMAGE_TYPE(image): FLOAT64 pixels in [0, 1] to INT64 in [0, 255]";
  static FunctionSet overloads() { return convert_image_type_overloads(); }
};

}  // namespace visiondb::fn

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/functions/ml/detail/image_transforms_impl.hpp"
#endif
