// Preprocessing against torchvision's PIL pipeline (Resize(int), CenterCrop, ToTensor; Normalize
// checked separately): the fixtures hold torchvision's output as exact uint8 (ToTensor * 255).
#include <gtest/gtest.h>

#include <cmath>

#include "image/fixtures.hpp"
#include "visiondb/common/checksum.hpp"
#include "visiondb/common/parallel.hpp"
#include "visiondb/image/preprocess.hpp"

namespace vi = visiondb::img;
using visiondb::test::image_fixture_dir;
using visiondb::test::read_bytes;
using visiondb::test::read_json;

namespace {

vi::PreprocessParams unnormalised(int resize, int crop) {
  vi::PreprocessParams p;
  p.resize_shorter = resize;
  p.crop_height = p.crop_width = crop;
  p.mean = {0, 0, 0};
  p.std = {1, 1, 1};
  return p;
}

// Our output (ToTensor scale) as uint8 levels; also returns the largest distance to an integer level.
std::vector<uint8_t> to_levels(const std::vector<float>& v, float* off_grid) {
  std::vector<uint8_t> out(v.size());
  float worst = 0;
  for (size_t i = 0; i < v.size(); ++i) {
    const float s = v[i] * 255.0f;
    worst = std::max(worst, std::abs(s - std::nearbyint(s)));
    out[i] = static_cast<uint8_t>(std::nearbyint(s));
  }
  *off_grid = worst;
  return out;
}

// The full-size image of the fixtures, from the same formula as tools/make_image_fixtures.py.
vi::Image formula_image(int h, int w) {
  vi::Image img(h, w, 3);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x)
      for (int c = 0; c < 3; ++c)
        img.u8_row(y)[x * 3 + c] =
            static_cast<uint8_t>((x * 3 + y * 5 + c * 85 + ((x ^ y) & 31) * 2 + (x * y) / 97) % 256);
  return img;
}

}  // namespace

TEST(ImagePreprocess, MatchesTorchvisionOnFixtures) {
  const auto index = read_json(image_fixture_dir() + "/fixtures.json");
  for (const auto& c : index["preprocess"]) {
    const std::string input = c["input"];
    const int resize = c["resize"], crop = c["crop"];
    SCOPED_TRACE(input + " resize " + std::to_string(resize) + " crop " + std::to_string(crop));
    const auto rgb = read_bytes(image_fixture_dir() + "/" + input);
    vi::Image img(c["height"].get<int>(), c["width"].get<int>(), 3);
    ASSERT_EQ(rgb.size(), img.size());
    std::copy(rgb.begin(), rgb.end(), img.u8());
    const auto expected = read_bytes(image_fixture_dir() + "/" + c["expected"].get<std::string>());
    const auto params = unnormalised(resize, crop);
    std::vector<float> out(params.output_size());
    vi::preprocess_image(img, params, out);
    float off_grid = 0;
    const auto levels = to_levels(out, &off_grid);
    ASSERT_EQ(levels.size(), expected.size());
    int worst = 0;
    size_t differing = 0;
    for (size_t i = 0; i < levels.size(); ++i) {
      const int d = std::abs(int(levels[i]) - int(expected[i]));
      worst = std::max(worst, d);
      differing += d != 0;
    }
    EXPECT_LE(worst, 1) << "more than 1/255 away from torchvision";
    EXPECT_EQ(differing, 0u) << "Pillow's fixed-point resampling is reproduced exactly";
    EXPECT_LT(off_grid, 1e-4f);
  }
}

TEST(ImagePreprocess, FullSizeResnetAndInceptionPresets) {
  const auto full = read_json(image_fixture_dir() + "/fixtures.json")["full_size"];
  const vi::Image img = formula_image(full["height"], full["width"]);
  for (const auto& c : full["cases"]) {
    const int resize = c["resize"], crop = c["crop"];
    SCOPED_TRACE("resize " + std::to_string(resize) + " crop " + std::to_string(crop));
    const auto params = unnormalised(resize, crop);
    std::vector<float> out(params.output_size());
    vi::preprocess_image(img, params, out);
    float off_grid = 0;
    const auto levels = to_levels(out, &off_grid);
    for (const auto& [row, values] : c["rows"].items()) {
      const int y = std::stoi(row);
      int worst = 0;
      for (int ch = 0; ch < 3; ++ch)
        for (int x = 0; x < crop; ++x)
          worst = std::max(worst, std::abs(int(levels[(size_t(ch) * crop + y) * crop + x]) -
                                           values[size_t(ch) * crop + x].get<int>()));
      EXPECT_LE(worst, 1) << "row " << y;
    }
    EXPECT_EQ(visiondb::crc32(levels.data(), levels.size()), c["crc32"].get<uint32_t>()) << "not bit-exact with torchvision";
  }
}

TEST(ImagePreprocess, NormalisesAsToTensorThenNormalize) {
  vi::Image img(1, 1, 3);
  img.u8()[0] = 0, img.u8()[1] = 128, img.u8()[2] = 255;
  vi::PreprocessParams p = vi::PreprocessParams::resnet50();
  p.resize_shorter = 0;
  p.crop_height = p.crop_width = 1;
  std::vector<float> out(3);
  vi::preprocess_image(img, p, out);
  // torch: img.float().div(255) then sub_(mean).div_(std), all float32
  EXPECT_EQ(out[0], (0.0f / 255.0f - 0.485f) / 0.229f);
  EXPECT_EQ(out[1], (128.0f / 255.0f - 0.456f) / 0.224f);
  EXPECT_EQ(out[2], (255.0f / 255.0f - 0.406f) / 0.225f);
  EXPECT_EQ(vi::PreprocessParams::inception_v3().resize_shorter, 342);
  EXPECT_EQ(vi::PreprocessParams::inception_v3().output_size(), 3u * 299 * 299);
}

TEST(ImagePreprocess, BatchIsParallelAndEqualsSingleImages) {
  std::vector<vi::Image> images;
  for (int i = 0; i < 7; ++i) {
    vi::Image img = formula_image(60 + 7 * i, 90 - 5 * i);
    images.push_back(i % 3 == 1 ? vi::convert_channels(img, 1) : img);
  }
  vi::PreprocessParams p = vi::PreprocessParams::resnet50();
  p.resize_shorter = 40;
  p.crop_height = 32;
  p.crop_width = 36;
  std::vector<float> batch(images.size() * p.output_size());
  std::vector<float> one_thread(batch.size());
  vi::preprocess_batch(images, p, batch);
  {
    visiondb::TaskArena arena(1);
    arena.execute([&] { vi::preprocess_batch(images, p, one_thread); });
  }
  EXPECT_EQ(batch, one_thread);
  for (size_t i = 0; i < images.size(); ++i) {
    std::vector<float> single(p.output_size());
    vi::preprocess_image(images[i], p, single);
    EXPECT_TRUE(std::equal(single.begin(), single.end(), batch.begin() + i * p.output_size())) << "image " << i;
  }
  std::vector<float> small(10);
  EXPECT_THROW(vi::preprocess_batch(images, p, small), visiondb::InvalidArgument);
  p.std[1] = 0;
  EXPECT_THROW(vi::preprocess_image(images[0], p, batch), visiondb::InvalidArgument);
}

TEST(ImagePreprocess, DecodeBatchReportsEachFailureAndGoesOn) {
  const auto good = read_bytes(image_fixture_dir() + "/photo_120x90.jpg");
  const auto png = read_bytes(image_fixture_dir() + "/photo_96x128.png");
  std::vector<uint8_t> cut(good.begin(), good.begin() + static_cast<ptrdiff_t>(good.size() / 2));
  const std::vector<vi::EncodedImage> batch = {
      {good, "a.jpg"}, {cut, "cut.jpg"}, {png, "b.png"}, {{}, "empty.jpg"}};
  vi::PreprocessParams p;
  p.resize_shorter = 40;
  p.crop_height = p.crop_width = 32;
  std::vector<float> out(batch.size() * p.output_size(), 7.0f);
  const auto errors = vi::decode_and_preprocess_batch(batch, p, out);
  ASSERT_EQ(errors.size(), 4u);
  EXPECT_TRUE(errors[0].empty());
  EXPECT_NE(errors[1].find("cut.jpg"), std::string::npos) << errors[1];
  EXPECT_TRUE(errors[2].empty());
  EXPECT_NE(errors[3].find("empty.jpg"), std::string::npos) << errors[3];
  std::vector<float> single(p.output_size());
  vi::decode_and_preprocess(png, "b.png", p, single);
  EXPECT_TRUE(std::equal(single.begin(), single.end(), out.begin() + 2 * p.output_size()));
  EXPECT_EQ(out[p.output_size() + 5], 0.0f);  // the failed slot is zero-filled
}
