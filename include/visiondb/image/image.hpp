// Image: a decoded picture as an [H, W, C] array of uint8 or float pixels, interleaved (HWC),
// rows packed, held in a 64-byte aligned buffer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "visiondb/common/aligned_buffer.hpp"
#include "visiondb/common/error.hpp"

namespace visiondb::img {

/// The type of one pixel channel.
enum class PixelType : uint8_t {
  U8,   ///< 0..255
  F32,  ///< usually in [0, 1]
};

/// Bytes per channel value of a pixel type.
constexpr std::size_t pixel_type_size(PixelType t) noexcept { return t == PixelType::U8 ? 1 : 4; }

/// An owning [height, width, channels] image, interleaved, rows packed (stride = width * channels).
class Image {
 public:
  Image() = default;
  /// A zero-filled image. Throws InvalidArgument for a negative size or a channel count not in 1..4.
  Image(int height, int width, int channels, PixelType type = PixelType::U8) { reset(height, width, channels, type); }

  /// Reshapes to the given size (contents become zero).
  void reset(int height, int width, int channels, PixelType type = PixelType::U8) {
    if (height < 0 || width < 0) visiondb::detail::throw_invalid_argument("image size must not be negative");
    if (channels < 1 || channels > 4) visiondb::detail::throw_invalid_argument("image channels must be 1..4");
    height_ = height;
    width_ = width;
    channels_ = channels;
    type_ = type;
    bytes_.clear();
    bytes_.resize(size_bytes());
  }

  int height() const noexcept { return height_; }
  int width() const noexcept { return width_; }
  int channels() const noexcept { return channels_; }
  PixelType type() const noexcept { return type_; }
  bool empty() const noexcept { return height_ == 0 || width_ == 0; }

  /// Number of channel values (H * W * C).
  std::size_t size() const noexcept {
    return static_cast<std::size_t>(height_) * static_cast<std::size_t>(width_) * static_cast<std::size_t>(channels_);
  }
  std::size_t size_bytes() const noexcept { return size() * pixel_type_size(type_); }
  /// Channel values per row.
  std::size_t row_stride() const noexcept { return static_cast<std::size_t>(width_) * static_cast<std::size_t>(channels_); }

  /// The uint8 pixels (type() must be U8).
  uint8_t* u8() noexcept { return bytes_.data(); }
  const uint8_t* u8() const noexcept { return bytes_.data(); }
  /// The float pixels (type() must be F32); the buffer is 64-byte aligned.
  float* f32() noexcept { return reinterpret_cast<float*>(bytes_.data()); }
  const float* f32() const noexcept { return reinterpret_cast<const float*>(bytes_.data()); }

  /// Row y of a U8 image.
  uint8_t* u8_row(int y) noexcept { return u8() + static_cast<std::size_t>(y) * row_stride(); }
  const uint8_t* u8_row(int y) const noexcept { return u8() + static_cast<std::size_t>(y) * row_stride(); }
  /// Row y of an F32 image.
  float* f32_row(int y) noexcept { return f32() + static_cast<std::size_t>(y) * row_stride(); }
  const float* f32_row(int y) const noexcept { return f32() + static_cast<std::size_t>(y) * row_stride(); }

  /// The raw bytes.
  std::span<const uint8_t> bytes() const noexcept { return {bytes_.data(), size_bytes()}; }

 private:
  int height_ = 0;
  int width_ = 0;
  int channels_ = 0;
  PixelType type_ = PixelType::U8;
  AlignedBuffer<uint8_t> bytes_;
};

/// A U8 image as floats in [0, 1] (value / 255), the shape BigQuery's ML.DECODE_IMAGE returns.
Image to_float(const Image& image);

/// An F32 image in [0, 1] as U8, rounding to nearest and clamping.
Image to_u8(const Image& image);

/// The image with `channels` channels: 1 -> 3 replicates gray, 4 -> 3 and 2 -> 1 drop alpha
/// (as PIL's convert('RGB') / convert('L') for L and RGBA), 3 -> 1 uses PIL's ITU-R 601-2 luma.
Image convert_channels(const Image& image, int channels);

}  // namespace visiondb::img

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/image/detail/image_impl.hpp"
#endif
