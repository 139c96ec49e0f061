// Out-of-line parts of decode_image.hpp.
#pragma once

#include <atomic>
#include <span>
#include <string>
#include <vector>

#include "visiondb/common/error.hpp"
#include "visiondb/common/parallel.hpp"
#include "visiondb/config.hpp"
#include "visiondb/functions/ml/decode_image.hpp"
#include "visiondb/image/decode.hpp"

namespace visiondb::fn {

namespace detail {

inline std::atomic<uint64_t>& images_decoded_counter() noexcept {
  static std::atomic<uint64_t> counter{0};
  return counter;
}

// The reason of an image error without its leading "\"name\": ".
inline std::string image_error_reason(const Error& e) {
  if (const auto* io = dynamic_cast<const IoError*>(&e)) {
    const std::string& m = io->message();
    const size_t skip = io->path().size() + 4;
    if (m.size() >= skip) return m.substr(skip);
  }
  return e.message();
}

class DecodeImageImpl final : public ScalarFunction {
 public:
  explicit DecodeImageImpl(bool named)
      : ScalarFunction("", named ? std::vector<LogicalType>{LogicalType::bytes(), LogicalType::string()}
                                 : std::vector<LogicalType>{LogicalType::bytes()},
                       image_type()) {}

  void execute(std::span<const ColumnView> args, size_t n, Column& out, const FunctionContext& ctx) const override {
    const ColumnView& data = args[0];
    const ColumnView* names = args.size() > 1 ? &args[1] : nullptr;
    std::vector<std::shared_ptr<const ImageValue>> images(n);
    std::vector<std::string> errors(n);
    std::atomic<uint64_t> decoded{0};
    // One task per image: decoding dominates, and images differ in size.
    parallel_for(0, n, 1, [&](size_t b, size_t e) {
      for (size_t i = b; i < e; ++i) {
        if (data.is_null(i)) continue;
        const std::string_view bytes = data.column->string_at(data.row(i));
        std::string name;
        if (names && names->is_valid(i)) name = std::string(names->column->string_at(names->row(i)));
        try {
          img::Image image = img::decode_image(
              std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()), name.empty() ? "image" : name);
          images[i] = std::make_shared<const ImageValue>(std::move(image), ImagePixels::Float, std::move(name));
          decoded.fetch_add(1, std::memory_order_relaxed);
        } catch (const Error& err) {
          errors[i] = name.empty() ? "ML.DECODE_IMAGE cannot decode its argument: " + image_error_reason(err)
                                   : "ML.DECODE_IMAGE cannot decode \"" + name + "\": " + image_error_reason(err);
        }
      }
    });
    images_decoded_counter().fetch_add(decoded.load(), std::memory_order_relaxed);
    out.reserve(n);
    for (size_t i = 0; i < n; ++i) {
      if (!errors[i].empty() && !ctx.safe) throw SqlError(ErrorKind::Execution, errors[i]);
      out.append_object(std::move(images[i]));
    }
  }
};

}  // namespace detail

VISIONDB_INLINE uint64_t images_decoded_total() noexcept { return detail::images_decoded_counter().load(); }

VISIONDB_INLINE FunctionSet decode_image_overloads() {
  return {std::make_shared<detail::DecodeImageImpl>(false), std::make_shared<detail::DecodeImageImpl>(true)};
}

}  // namespace visiondb::fn
