// ML.DECODE_IMAGE(data): JPEG, PNG, BMP or GIF bytes to an IMAGE (shape [H, W, 3], pixels s / 255
// in [0, 1]), decoded in parallel over a chunk, under the image module's limits on pixels and
// bytes (decompression bombs). A file that is not an image, or is truncated or corrupt, is an
// error naming it (over an object table's data the binder passes the row's uri along as a hidden
// second argument); SAFE.ML.DECODE_IMAGE gives NULL instead.
#pragma once

#include <cstdint>

#include "visiondb/functions/function.hpp"
#include "visiondb/functions/ml/image_value.hpp"

namespace visiondb::fn {

FunctionSet decode_image_overloads();

/// Images ML.DECODE_IMAGE has decoded in this process (every database): EXPLAIN ANALYZE's count.
uint64_t images_decoded_total() noexcept;

struct DecodeImageFunction {
  static constexpr std::string_view name = "ml.decode_image",
                                    doc = "ML.DECODE_IMAGE(data): an IMAGE from JPEG, PNG, BMP or GIF bytes; pixels in [0, 1]";
  static FunctionSet overloads() { return decode_image_overloads(); }
};

}  // namespace visiondb::fn

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/functions/ml/detail/decode_image_impl.hpp"
#endif
