// Resizing and cropping: torchvision's size and offset rules, region = crop of the full resize.
#include <gtest/gtest.h>

#include <random>

#include "visiondb/image/resize.hpp"

namespace vi = visiondb::img;

namespace {
vi::Image random_image(int h, int w, int c, uint32_t seed, vi::PixelType t = vi::PixelType::U8) {
  std::mt19937 rng(seed);
  vi::Image img(h, w, c, t);
  for (size_t i = 0; i < img.size(); ++i) {
    if (t == vi::PixelType::U8) {
      img.u8()[i] = static_cast<uint8_t>(rng() & 0xFF);
    } else {
      img.f32()[i] = static_cast<float>(rng() & 0xFF) / 255.0f;
    }
  }
  return img;
}
}  // namespace

TEST(ImageResize, ShorterSideRuleIsTorchvisions) {
  EXPECT_EQ(vi::shorter_side_size({375, 500}, 256), (vi::Size2{256, 341}));  // int(256*500/375) = 341
  EXPECT_EQ(vi::shorter_side_size({500, 375}, 256), (vi::Size2{341, 256}));
  EXPECT_EQ(vi::shorter_side_size({300, 300}, 224), (vi::Size2{224, 224}));
  EXPECT_EQ(vi::shorter_side_size({606, 517}, 342), (vi::Size2{400, 342}));  // int(342*606/517) = 400
  EXPECT_EQ(vi::shorter_side_size({1213, 1546}, 256), (vi::Size2{256, 326}));
  EXPECT_THROW(vi::shorter_side_size({10, 10}, 0), visiondb::InvalidArgument);
}

TEST(ImageResize, CenterCropRoundsHalfToEven) {
  // (341 - 224) / 2 = 58.5 -> 58 (Python's round), (256 - 224) / 2 = 16
  auto b = vi::center_crop_box({256, 341}, {224, 224});
  EXPECT_EQ(b.top, 16);
  EXPECT_EQ(b.left, 58);
  // (343 - 224) / 2 = 59.5 -> 60
  EXPECT_EQ(vi::center_crop_box({343, 343}, {224, 224}).top, 60);
  // A crop larger than the image: padded with (crop - size) // 2 on the top/left.
  auto p = vi::center_crop_box({20, 30}, {24, 28});
  EXPECT_EQ(p.top, -2);
  EXPECT_EQ(p.left, 1);  // round(1.0)
  auto q = vi::center_crop_box({21, 30}, {24, 30});
  EXPECT_EQ(q.top, -1);  // pad 3 // 2 = 1
}

TEST(ImageResize, RegionEqualsCropOfFullResize) {
  for (int c : {1, 3, 4}) {
    for (auto [h, w, oh, ow] : {std::array{37, 53, 17, 29}, std::array{23, 19, 41, 33}, std::array{64, 48, 64, 30},
                                std::array{50, 61, 20, 61}}) {
      SCOPED_TRACE(std::to_string(c) + " channels " + std::to_string(h) + "x" + std::to_string(w));
      for (auto filter : {vi::ResizeFilter::Bilinear, vi::ResizeFilter::Bicubic}) {
        vi::Image img = random_image(h, w, c, static_cast<uint32_t>(h * 131 + w + c));
        vi::Image full = vi::resize_image(img, {oh, ow}, filter);
        vi::CropBox box{3, 5, oh - 6, ow - 9};
        vi::Image part = vi::resize_and_crop(img, {oh, ow}, box, filter);
        vi::Image ref = vi::crop_image(full, box);
        ASSERT_EQ(part.size(), ref.size());
        EXPECT_TRUE(std::equal(part.u8(), part.u8() + part.size(), ref.u8()));
        // F32: the same coefficients without 8-bit rounding, so within a rounding step of U8 (for the
        // bilinear filter; bicubic's overshoot is clamped between the U8 passes, not in F32, as Pillow).
        if (filter != vi::ResizeFilter::Bilinear) continue;
        vi::Image ff = vi::resize_image(random_image(h, w, c, static_cast<uint32_t>(h * 131 + w + c), vi::PixelType::F32),
                                        {oh, ow}, filter);
        float worst = 0;
        for (size_t i = 0; i < ff.size(); ++i) worst = std::max(worst, std::abs(std::clamp(ff.f32()[i] * 255.0f, 0.0f, 255.0f) - full.u8()[i]));  // F32 is not clamped
        EXPECT_LE(worst, 1.0f);
      }
    }
  }
}

TEST(ImageResize, SameSizeIsIdentityAndOverhangIsZero) {
  vi::Image img = random_image(13, 17, 3, 7);
  vi::Image same = vi::resize_image(img, {13, 17});
  EXPECT_TRUE(std::equal(same.u8(), same.u8() + same.size(), img.u8()));
  vi::Image over = vi::crop_image(img, {-2, -1, 17, 19});
  EXPECT_EQ(over.u8_row(0)[0], 0);
  EXPECT_EQ(over.u8_row(2)[3], img.u8_row(0)[0]);
  EXPECT_EQ(over.u8_row(16)[18 * 3], 0);
}

TEST(ImageResize, KnownPillowValues) {
  // A 4x1 ramp downscaled to 2x1 with PIL's bilinear (support 2 after scaling):
  // Image.frombytes('L', (4, 1), bytes([0, 100, 200, 255])).resize((2, 1), Image.BILINEAR) -> [71, 209]
  vi::Image img(1, 4, 1);
  const uint8_t v[4] = {0, 100, 200, 255};
  std::copy(v, v + 4, img.u8());
  vi::Image out = vi::resize_image(img, {1, 2});
  EXPECT_EQ(out.u8()[0], 71);
  EXPECT_EQ(out.u8()[1], 209);
}
