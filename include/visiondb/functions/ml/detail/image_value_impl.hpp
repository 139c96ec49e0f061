// Out-of-line parts of image_value.hpp.
#pragma once

#include "visiondb/common/error.hpp"
#include "visiondb/config.hpp"
#include "visiondb/functions/ml/image_value.hpp"

namespace visiondb::fn {

VISIONDB_INLINE ImageValue::ImageValue(img::Image image, ImagePixels pixels, std::string source)
    : image_(std::move(image)), pixels_(pixels), source_(std::move(source)) {
  if (pixels_ == ImagePixels::Integer && image_.type() != img::PixelType::U8)
    visiondb::detail::throw_internal("an IMAGE with INT64 pixels needs 8-bit samples");
}

VISIONDB_INLINE std::string ImageValue::to_string() const {
  std::string out = "IMAGE<" + std::to_string(height()) + "x" + std::to_string(width()) + "x" + std::to_string(channels());
  if (pixels_ == ImagePixels::Integer) out += " INT64";
  return out + ">";
}

VISIONDB_INLINE double ImageValue::value(size_t k) const noexcept {
  if (image_.type() == img::PixelType::F32) return image_.f32()[k];
  const double s = image_.u8()[k];
  return pixels_ == ImagePixels::Integer ? s : s / 255.0;
}

VISIONDB_INLINE img::Image ImageValue::float_image() const { return img::to_float(image_); }

VISIONDB_INLINE LogicalType image_type() { return LogicalType::object("IMAGE"); }

}  // namespace visiondb::fn
