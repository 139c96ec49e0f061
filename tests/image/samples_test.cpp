// Real photos from the shared data dir (skipped when absent): stb's decode and our preprocessing
// against Pillow's decode and torchvision's pipeline, on rows stored by tools/make_image_fixtures.py.
#include <gtest/gtest.h>

#include <cmath>

#include "image/fixtures.hpp"
#include "visiondb/common/checksum.hpp"
#include "visiondb/image/preprocess.hpp"

namespace vi = visiondb::img;
using visiondb::test::image_fixture_dir;
using visiondb::test::read_bytes;
using visiondb::test::read_json;

namespace {
struct Stats {
  int max = 0;
  uint64_t sum = 0;
  uint64_t n = 0;
  void add(int a, int b) {
    const int d = std::abs(a - b);
    max = std::max(max, d);
    sum += d;
    ++n;
  }
  double mean() const { return n ? double(sum) / n : 0; }
};
}  // namespace

TEST(ImageSamples, DecodeAndPreprocessAgainstPillow) {
  const std::string data = visiondb::test::shared_data_dir();
  if (data.empty()) GTEST_SKIP() << "no shared data dir (set VISIONDB_DATA_DIR); real-photo checks skipped";
  const auto index = read_json(image_fixture_dir() + "/samples.json");
  const auto rows = read_bytes(image_fixture_dir() + "/samples.bin");
  for (const auto& photo : index["photos"]) {
    const std::string file = photo["file"];
    const std::string path = data + "/images/samples/" + file;
    SCOPED_TRACE(file);
    vi::Image img = vi::decode_image_file(path);
    ASSERT_EQ(img.height(), photo["height"].get<int>());
    ASSERT_EQ(img.width(), photo["width"].get<int>());
    const bool lossless = file.size() > 4 && file.substr(file.size() - 4) == ".png";
    Stats decode;
    for (const auto& r : photo["decode_rows"]) {
      const uint8_t* want = rows.data() + r["offset"].get<size_t>();
      const uint8_t* got = img.u8_row(r["y"].get<int>());
      for (size_t i = 0; i < img.row_stride(); ++i) decode.add(got[i], want[i]);
    }
    for (const auto& pre : photo["preprocess"]) {
      vi::PreprocessParams p;
      p.resize_shorter = pre["resize"];
      p.crop_height = p.crop_width = pre["crop"];
      p.mean = {0, 0, 0};
      p.std = {1, 1, 1};
      std::vector<float> out(p.output_size());
      vi::preprocess_image(img, p, out);
      Stats s;
      const int crop = p.crop_width;
      for (const auto& r : pre["rows"]) {
        const uint8_t* want = rows.data() + r["offset"].get<size_t>();
        const int y = r["y"];
        for (int c = 0; c < 3; ++c)
          for (int x = 0; x < crop; ++x)
            s.add(int(std::nearbyint(out[(size_t(c) * crop + y) * crop + x] * 255.0f)), want[c * crop + x]);
      }
      std::printf("  %-40s decode max %2d mean %.3f | resize %d crop %d: max %2d mean %.3f\n", file.c_str(),
                  decode.max, decode.mean(), p.resize_shorter, crop, s.max, s.mean());
      if (lossless) {
        EXPECT_EQ(s.max, 0);
      } else {
        // stb vs libjpeg-turbo IDCT/upsampling differences, smoothed by the antialiasing filter
        // (measured: at most 2 levels, mean under 0.2).
        EXPECT_LE(s.max, 4);
        EXPECT_LT(s.mean(), 0.4);
      }
    }
    if (lossless) {
      EXPECT_EQ(decode.max, 0);
    } else {
      // Measured: at most 3 levels, mean under 0.15; CMYK files as close as the others.
      EXPECT_LE(decode.max, 8);
      EXPECT_LT(decode.mean(), 0.4);
    }
  }
}
