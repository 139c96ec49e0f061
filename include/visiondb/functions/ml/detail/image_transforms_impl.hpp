// Out-of-line parts of image_transforms.hpp.
#pragma once

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "visiondb/common/error.hpp"
#include "visiondb/common/parallel.hpp"
#include "visiondb/config.hpp"
#include "visiondb/functions/ml/image_transforms.hpp"
#include "visiondb/image/bilinear_resize.hpp"
#include "visiondb/image/color_space.hpp"
#include "visiondb/image/decode.hpp"

namespace visiondb::fn {

namespace detail {

/// A row's failure, with the message SQL shows.
struct ImageRowError {
  std::string message;
};

// " (image \"uri\")" when the image knows where it came from.
inline std::string image_origin(const ImageValue& v) {
  return v.source().empty() ? std::string() : " (image \"" + v.source() + "\")";
}

// Runs f(i) -> the row's image (null for NULL) for every row, in parallel; a row whose f throws
// ImageRowError raises it (the first one in row order), or is NULL under SAFE.
template <class F>
void transform_rows(size_t n, Column& out, const FunctionContext& ctx, F&& f) {
  std::vector<std::shared_ptr<const ImageValue>> images(n);
  std::vector<std::string> errors(n);
  parallel_for(0, n, 1, [&](size_t b, size_t e) {
    for (size_t i = b; i < e; ++i) {
      try {
        images[i] = f(i);
      } catch (const ImageRowError& err) {
        errors[i] = err.message;
      } catch (const Error& err) {
        errors[i] = err.message();
      }
    }
  });
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    if (!errors[i].empty() && !ctx.safe) throw SqlError(ErrorKind::Execution, errors[i]);
    out.append_object(std::move(images[i]));
  }
}

// An F32 image holding a U8 image's samples as they are (0..255), for integer arithmetic in floats.
inline img::Image raw_float(const img::Image& u8) {
  img::Image out(u8.height(), u8.width(), u8.channels(), img::PixelType::F32);
  const uint8_t* in = u8.u8();
  float* o = out.f32();
  for (size_t k = 0, n = u8.size(); k < n; ++k) o[k] = in[k];
  return out;
}

inline img::Image round_to_u8(const img::Image& f32) {
  img::Image out(f32.height(), f32.width(), f32.channels(), img::PixelType::U8);
  const float* in = f32.f32();
  uint8_t* o = out.u8();
  for (size_t k = 0, n = f32.size(); k < n; ++k) o[k] = static_cast<uint8_t>(std::clamp(std::nearbyint(in[k]), 0.0f, 255.0f));
  return out;
}

class ResizeImageImpl final : public ScalarFunction {
 public:
  ResizeImageImpl()
      : ScalarFunction("", {image_type(), LogicalType::int64(), LogicalType::int64(), LogicalType::boolean()}, image_type()) {}

  void execute(std::span<const ColumnView> args, size_t n, Column& out, const FunctionContext& ctx) const override {
    transform_rows(n, out, ctx, [&](size_t i) -> std::shared_ptr<const ImageValue> {
      const ImageValue* v = image_at(args[0], i);
      if (!v || args[1].is_null(i) || args[2].is_null(i) || args[3].is_null(i)) return nullptr;
      const int64_t th = args[1].column->data<int64_t>()[args[1].row(i)];
      const int64_t tw = args[2].column->data<int64_t>()[args[2].row(i)];
      const bool keep = args[3].column->data<uint8_t>()[args[3].row(i)] != 0;
      const img::DecodeLimits limits;
      if (th <= 0 || tw <= 0)
        throw ImageRowError{"ML.RESIZE_IMAGE: target_height and target_width must be positive, got " + std::to_string(th) +
                            " and " + std::to_string(tw)};
      if (th > limits.max_side || tw > limits.max_side || uint64_t(th) * uint64_t(tw) > limits.max_pixels)
        throw ImageRowError{"ML.RESIZE_IMAGE: the target size " + std::to_string(th) + "x" + std::to_string(tw) +
                            " is over the limit of " + std::to_string(limits.max_pixels) + " pixels"};
      img::Size2 size{static_cast<int>(th), static_cast<int>(tw)};
      if (keep) size = img::fit_within({v->height(), v->width()}, size);
      if (size.height == v->height() && size.width == v->width())
        return std::static_pointer_cast<const ImageValue>(args[0].column->object_at(args[0].row(i)));
      if (v->pixels() == ImagePixels::Integer)
        return std::make_shared<const ImageValue>(round_to_u8(img::resize_bilinear(raw_float(v->image()), size)),
                                                  ImagePixels::Integer, v->source());
      return std::make_shared<const ImageValue>(img::resize_bilinear(v->float_image(), size), ImagePixels::Float, v->source());
    });
  }
};

class ConvertColorSpaceImpl final : public ScalarFunction {
 public:
  ConvertColorSpaceImpl() : ScalarFunction("", {image_type(), LogicalType::string()}, image_type()) {}

  static img::ColorSpace parse(std::string_view name) {
    img::ColorSpace space;
    if (!img::parse_color_space(name, space))
      throw ImageRowError{"ML.CONVERT_COLOR_SPACE: unknown target color space '" + std::string(name) +
                          "'; expected 'HSV', 'GRAYSCALE', 'YIQ', 'YUV' or 'RGB'"};
    return space;
  }

  std::shared_ptr<const void> prepare(std::span<const Value* const> constants) const override {
    if (constants.size() == 2 && constants[1] && !constants[1]->is_null()) {
      try {
        return std::make_shared<const img::ColorSpace>(parse(constants[1]->as_string()));
      } catch (const ImageRowError& e) {
        throw SqlError(ErrorKind::InvalidArgument, e.message);
      }
    }
    return nullptr;
  }

  void execute(std::span<const ColumnView> args, size_t n, Column& out, const FunctionContext& ctx) const override {
    const auto* prepared = static_cast<const img::ColorSpace*>(ctx.prepared);
    transform_rows(n, out, ctx, [&](size_t i) -> std::shared_ptr<const ImageValue> {
      const ImageValue* v = image_at(args[0], i);
      if (!v || args[1].is_null(i)) return nullptr;
      const img::ColorSpace space = prepared ? *prepared : parse(args[1].column->string_at(args[1].row(i)));
      if (v->channels() != 3)
        throw ImageRowError{"ML.CONVERT_COLOR_SPACE expects an RGB image with 3 channels, got " + std::to_string(v->channels()) +
                            image_origin(*v)};
      return std::make_shared<const ImageValue>(img::convert_color_space(v->float_image(), space), ImagePixels::Float,
                                                v->source());
    });
  }
};

class ConvertImageTypeImpl final : public ScalarFunction {
 public:
  ConvertImageTypeImpl() : ScalarFunction("", {image_type()}, image_type()) {}

  void execute(std::span<const ColumnView> args, size_t n, Column& out, const FunctionContext& ctx) const override {
    transform_rows(n, out, ctx, [&](size_t i) -> std::shared_ptr<const ImageValue> {
      const ImageValue* v = image_at(args[0], i);
      if (!v) return nullptr;
      if (v->pixels() == ImagePixels::Integer)
        throw ImageRowError{"ML.CONVERT_IMAGE_TYPE expects an image with FLOAT64 pixels; this one has INT64 pixels already" +
                            image_origin(*v)};
      const img::Image& src = v->image();
      // 8-bit samples s read s / 255; trunc(s / 255 * 255.5) == s, so they stay as they are.
      if (src.type() == img::PixelType::U8) return std::make_shared<const ImageValue>(src, ImagePixels::Integer, v->source());
      img::Image u8(src.height(), src.width(), src.channels(), img::PixelType::U8);
      const float* in = src.f32();
      uint8_t* o = u8.u8();
      for (size_t k = 0, m = src.size(); k < m; ++k) {
        const float s = in[k] * 255.5f;  // tf.image.convert_image_dtype: saturate, then truncate
        o[k] = s >= 255.0f ? 255 : s > 0.0f ? static_cast<uint8_t>(s) : 0;
      }
      return std::make_shared<const ImageValue>(std::move(u8), ImagePixels::Integer, v->source());
    });
  }
};

}  // namespace detail

VISIONDB_INLINE FunctionSet resize_image_overloads() { return {std::make_shared<detail::ResizeImageImpl>()}; }
VISIONDB_INLINE FunctionSet convert_color_space_overloads() { return {std::make_shared<detail::ConvertColorSpaceImpl>()}; }
VISIONDB_INLINE FunctionSet convert_image_type_overloads() { return {std::make_shared<detail::ConvertImageTypeImpl>()}; }

}  // namespace visiondb::fn
