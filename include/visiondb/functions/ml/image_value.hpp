// ImageValue: SQL's IMAGE values, what ML.DECODE_IMAGE returns and ML.PREDICT reads. BigQuery
// gives the same content as STRUCT<ARRAY<INT64>, ARRAY<FLOAT64>>: the shape [H, W, C] and the
// H*W*C pixel values in HWC order. Here the pixels stay in an img::Image held by pointer: a decoded
// image keeps its 8-bit samples (4x less memory than floats, and exactly what a network's own
// preprocessing starts from); SQL reads sample s as s / 255.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "visiondb/image/image.hpp"
#include "visiondb/storage/column_view.hpp"
#include "visiondb/storage/object.hpp"
#include "visiondb/storage/types.hpp"

namespace visiondb::fn {

/// How an image's pixel values read in SQL.
enum class ImagePixels : uint8_t {
  Float,    ///< FLOAT64 in [0, 1]: U8 samples read s / 255, F32 samples as they are
  Integer,  ///< INT64 in [0, 255] (ML.CONVERT_IMAGE_TYPE's result): U8 samples
};

class ImageValue final : public Object {
 public:
  /// `image` must be U8 for Integer pixels. `source` names where it came from (a uri), for errors.
  ImageValue(img::Image image, ImagePixels pixels, std::string source = {});

  std::string type_name() const override { return "IMAGE"; }
  /// "IMAGE<224x224x3>", or "IMAGE<224x224x3 INT64>" for integer pixels.
  std::string to_string() const override;
  size_t memory_bytes() const override { return sizeof(*this) + image_.size_bytes() + source_.size(); }

  const img::Image& image() const noexcept { return image_; }
  ImagePixels pixels() const noexcept { return pixels_; }
  const std::string& source() const noexcept { return source_; }
  int height() const noexcept { return image_.height(); }
  int width() const noexcept { return image_.width(); }
  int channels() const noexcept { return image_.channels(); }

  /// Pixel value k (HWC order) as SQL reads it.
  double value(size_t k) const noexcept;
  /// The pixels as F32 in [0, 1] (Integer pixels divided by 255): what resizing and colour
  /// conversions compute on.
  img::Image float_image() const;

 private:
  img::Image image_;
  ImagePixels pixels_;
  std::string source_;
};

/// The IMAGE type of SQL.
LogicalType image_type();

/// The image of row i of an IMAGE column view (null for NULL).
inline const ImageValue* image_at(const ColumnView& v, size_t i) noexcept {
  const uint32_t r = v.row(i);
  if (!v.column->is_valid(r)) return nullptr;
  return static_cast<const ImageValue*>(v.column->object_at(r).get());
}

}  // namespace visiondb::fn

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/functions/ml/detail/image_value_impl.hpp"
#endif
