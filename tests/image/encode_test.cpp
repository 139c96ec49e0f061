// Encoding: PNG and BMP round-trip exactly through the decoder, JPEG keeps its size, bad input and
// unwritable paths are errors.
#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <vector>

#include "visiondb/common/error.hpp"
#include "visiondb/image/decode.hpp"
#include "visiondb/image/encode.hpp"

using namespace visiondb;
using namespace visiondb::img;

namespace {

std::vector<uint8_t> gradient(int w, int h, int c) {
  std::vector<uint8_t> px(size_t(w) * size_t(h) * size_t(c));
  for (size_t i = 0; i < px.size(); ++i) px[i] = static_cast<uint8_t>((i * 7 + i / 3) & 255);
  return px;
}

}  // namespace

TEST(Encode, PngAndBmpRoundTripExactly) {
  const int w = 37, h = 21;
  const auto px = gradient(w, h, 3);
  for (ImageFileFormat f : {ImageFileFormat::Png, ImageFileFormat::Bmp}) {
    std::vector<uint8_t> bytes = encode_image(px.data(), w, h, 3, f);
    Image img = decode_image(bytes, "encoded");
    ASSERT_EQ(img.width(), w);
    ASSERT_EQ(img.height(), h);
    ASSERT_EQ(img.channels(), 3);
    for (int y = 0; y < h; ++y)
      for (int x = 0; x < w * 3; ++x) ASSERT_EQ(img.u8_row(y)[x], px[size_t(y) * w * 3 + size_t(x)]) << y << "," << x;
  }
}

TEST(Encode, JpegDecodesToTheSameSize) {
  const auto px = gradient(64, 48, 3);
  std::vector<uint8_t> bytes = encode_image(px.data(), 64, 48, 3, ImageFileFormat::Jpeg, 75);
  ASSERT_GT(bytes.size(), 2u);
  EXPECT_EQ(bytes[0], 0xFF);
  EXPECT_EQ(bytes[1], 0xD8);  // SOI
  Image img = decode_image(bytes, "encoded.jpg");
  EXPECT_EQ(img.width(), 64);
  EXPECT_EQ(img.height(), 48);
}

TEST(Encode, BadInputAndUnwritablePathsAreErrors) {
  const auto px = gradient(4, 4, 3);
  EXPECT_THROW(encode_image(px.data(), 0, 4, 3, ImageFileFormat::Png), InvalidArgument);
  EXPECT_THROW(encode_image(px.data(), 4, 4, 5, ImageFileFormat::Png), InvalidArgument);
  EXPECT_THROW(encode_image(px.data(), 4, 4, 3, ImageFileFormat::Jpeg, 0), InvalidArgument);
  try {
    write_image_file("/nonexistent-folder/x.png", px.data(), 4, 4, 3, ImageFileFormat::Png);
    FAIL() << "no error";
  } catch (const IoError& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent-folder/x.png"), std::string::npos) << e.what();
  }
}
