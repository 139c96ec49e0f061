// ML.DECODE_IMAGE and the image functions through SQL: shapes and pixels against the generated
// pixels and the image module, SAFE. on broken files, errors naming the uri, decompression-bomb
// limits, resizing and colour conversions against plain reference formulas, 1 vs 4 workers.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <map>

#include <nlohmann/json.hpp>

#include "objects/test_images.hpp"
#include "visiondb/api/database.hpp"
#include "visiondb/common/checksum.hpp"
#include "visiondb/functions/ml/decode_image.hpp"
#include "visiondb/functions/ml/image_value.hpp"
#include "visiondb/image/decode.hpp"

namespace {

using namespace visiondb;
using visiondb::test::ScratchDir;
using visiondb::test::TestFormat;
using visiondb::test::TestImage;

std::string source_dir() {
  const char* env = std::getenv("VISIONDB_SOURCE_DIR");
  return env ? env : VISIONDB_SOURCE_DIR;
}

const fn::ImageValue* image_of(const Value& v) {
  if (v.is_null()) return nullptr;
  return dynamic_cast<const fn::ImageValue*>(v.as_object().get());
}

// uri -> decoded image, for every row of `sql` (uri first, image second).
std::map<std::string, std::shared_ptr<const Object>> images_by_uri(Database& db, const std::string& sql) {
  std::map<std::string, std::shared_ptr<const Object>> out;
  auto r = db.query(sql);
  for (size_t i = 0; i < r.row_count(); ++i) out[r.get(i, 0).as_string()] = r.get(i, 1).is_null() ? nullptr : r.get(i, 1).as_object();
  return out;
}

TEST(DecodeImage, ShapesAndPixelsMatchTheSourceAndTheImageModule) {
  ScratchDir dir;
  std::map<std::string, TestImage> lossless;  // name -> pixels written (PNG, BMP)
  lossless["rgb.png"] = test::make_test_image(13, 7, 3, 1);
  lossless["gray.png"] = test::make_test_image(9, 11, 1, 2);
  lossless["rgba.png"] = test::make_test_image(6, 5, 4, 3);
  lossless["rgb.bmp"] = test::make_test_image(17, 3, 3, 4);
  for (auto& [name, img] : lossless) test::write_test_image(dir.path(name), img, name.ends_with(".bmp") ? TestFormat::Bmp : TestFormat::Png);
  test::write_test_image(dir.path("photo.jpg"), test::make_test_image(33, 21, 3, 5), TestFormat::Jpeg);
  for (const char* gif : {"anim_30x20.gif", "transparent_26x18.gif"})
    std::filesystem::copy_file(source_dir() + "/tests/data/image/" + gif, dir.path(gif));

  Database db;
  db.query("CREATE EXTERNAL TABLE t OPTIONS (object_metadata = 'SIMPLE', uris = ['" + dir.path() + "/*'])");
  auto images = images_by_uri(db, "SELECT uri, ML.DECODE_IMAGE(data) FROM t");
  ASSERT_EQ(images.size(), 7u);
  for (const auto& [uri, obj] : images) {
    const auto* v = dynamic_cast<const fn::ImageValue*>(obj.get());
    ASSERT_NE(v, nullptr) << uri;
    EXPECT_EQ(v->to_string(), "IMAGE<" + std::to_string(v->height()) + "x" + std::to_string(v->width()) + "x3>");
    EXPECT_EQ(v->source(), uri);
    EXPECT_EQ(v->pixels(), fn::ImagePixels::Float);
    // The image module's decoding of the same bytes, sample for sample.
    const std::string bytes = test::read_file(uri);
    const img::Image ref = img::decode_image(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()), uri);
    ASSERT_EQ(v->height(), ref.height()) << uri;
    ASSERT_EQ(v->width(), ref.width()) << uri;
    ASSERT_EQ(v->channels(), 3) << uri;
    ASSERT_EQ(v->image().type(), img::PixelType::U8);
    EXPECT_TRUE(std::equal(ref.bytes().begin(), ref.bytes().end(), v->image().bytes().begin())) << uri;
    for (size_t k = 0; k < v->image().size(); k += 7) {
      EXPECT_EQ(v->value(k), ref.u8()[k] / 255.0);
      EXPECT_GE(v->value(k), 0.0);
      EXPECT_LE(v->value(k), 1.0);
    }
    // Lossless files: the very pixels written (gray replicated, alpha dropped).
    const std::string name = std::filesystem::path(uri).filename();
    if (auto it = lossless.find(name); it != lossless.end()) {
      const TestImage& src = it->second;
      ASSERT_EQ(v->height(), src.height);
      ASSERT_EQ(v->width(), src.width);
      for (int p = 0; p < src.width * src.height; ++p)
        for (int c = 0; c < 3; ++c) {
          const int sc = src.channels >= 3 ? c : 0;
          ASSERT_EQ(v->image().u8()[size_t(p) * 3 + size_t(c)], src.pixels[size_t(p) * size_t(src.channels) + size_t(sc)])
              << name << " pixel " << p << " channel " << c;
        }
    }
  }
}

// A PNG header announcing a huge image, with a valid CRC: the limits must stop it before decoding.
std::string bomb_png(uint32_t width, uint32_t height) {
  std::string ihdr = "IHDR";
  for (uint32_t v : {width, height}) for (int s = 24; s >= 0; s -= 8) ihdr += char((v >> s) & 0xFF);
  ihdr += std::string("\x08\x02\x00\x00\x00", 5);
  const uint32_t crc = crc32_update(0, ihdr.data(), ihdr.size());
  std::string png = "\x89PNG\r\n\x1a\n";
  png += std::string("\x00\x00\x00\x0d", 4) + ihdr;
  for (int s = 24; s >= 0; s -= 8) png += char((crc >> s) & 0xFF);
  png += std::string("\x00\x00\x00\x00IEND\xae\x42\x60\x82", 12);
  return png;
}

TEST(DecodeImage, BrokenFilesAreNullWithSafeAndErrorsNamingTheUriWithout) {
  ScratchDir dir;
  test::write_test_image(dir.path("good.png"), test::make_test_image(8, 8, 3, 1), TestFormat::Png);
  const std::string png = test::read_file(dir.path("good.png"));
  dir.write("truncated.png", png.substr(0, png.size() / 2));
  dir.write("noise.jpg", std::string("\xFF\xD8\xFF\xE0 random bytes that are no JPEG", 36));
  dir.write("bomb.png", bomb_png(60000, 60000));
  dir.write("text.png", "hello");
  Database db;
  db.mount("gs://b", dir.path());
  db.query("CREATE EXTERNAL TABLE t OPTIONS (object_metadata = 'SIMPLE', uris = ['gs://b/*'])");
  auto images = images_by_uri(db, "SELECT uri, SAFE.ML.DECODE_IMAGE(data) FROM t");
  ASSERT_EQ(images.size(), 5u);
  for (const auto& [uri, obj] : images) EXPECT_EQ(obj != nullptr, uri == "gs://b/good.png") << uri;

  for (const std::string name : {"truncated.png", "noise.jpg", "bomb.png", "text.png"}) {
    try {
      db.query("SELECT uri, ML.DECODE_IMAGE(data) FROM t WHERE uri LIKE '%" + name + "'");
      ADD_FAILURE() << name << " must not decode";
    } catch (const SqlError& e) {
      EXPECT_EQ(e.kind(), ErrorKind::Execution);
      EXPECT_NE(std::string(e.what()).find("ML.DECODE_IMAGE cannot decode \"gs://b/" + name + "\""), std::string::npos) << e.what();
      if (name == "bomb.png") EXPECT_NE(std::string(e.what()).find("decompression bomb"), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("LINE 1:"), std::string::npos) << "the caret points at the call: " << e.what();
    }
  }
  // The uri is named even when the query does not select it.
  try {
    db.query("SELECT ML.DECODE_IMAGE(data) FROM t");
    ADD_FAILURE() << "a broken file must fail the query";
  } catch (const SqlError& e) {
    EXPECT_NE(std::string(e.what()).find("\"gs://b/"), std::string::npos) << e.what();
  }
}

TEST(DecodeImage, SameImagesAtOneAndFourWorkersAndCounted) {
  ScratchDir dir;
  for (int i = 0; i < 300; ++i)
    test::write_test_image(dir.path("i" + std::to_string(i) + (i % 2 ? ".png" : ".jpg")), test::make_test_image(5 + i % 7, 4 + i % 3, 3, i),
                           i % 2 ? TestFormat::Png : TestFormat::Jpeg);
  std::vector<std::map<std::string, std::shared_ptr<const Object>>> runs;
  for (int threads : {1, 4}) {
    DatabaseOptions o;
    o.threads = threads;
    Database db(o);
    db.query("CREATE EXTERNAL TABLE t OPTIONS (object_metadata = 'SIMPLE', uris = ['" + dir.path() + "/*'])");
    const uint64_t before = fn::images_decoded_total();
    runs.push_back(images_by_uri(db, "SELECT uri, ML.DECODE_IMAGE(data) FROM t"));
    EXPECT_EQ(fn::images_decoded_total() - before, 300u);
  }
  ASSERT_EQ(runs[0].size(), 300u);
  for (const auto& [uri, obj] : runs[0]) {
    const auto* a = dynamic_cast<const fn::ImageValue*>(obj.get());
    const auto* b = dynamic_cast<const fn::ImageValue*>(runs[1].at(uri).get());
    ASSERT_TRUE(a && b);
    EXPECT_TRUE(std::equal(a->image().bytes().begin(), a->image().bytes().end(), b->image().bytes().begin(), b->image().bytes().end()));
  }
}

// Half-pixel bilinear, written out plainly in double precision.
// raw: on the 8-bit samples themselves (0..255) instead of the values SQL reads.
double reference_bilinear(const fn::ImageValue& v, int oh, int ow, int y, int x, int c, bool raw = false) {
  auto src = [](int out, int in, int o) {
    double s = (o + 0.5) * double(in) / double(out) - 0.5;
    return s < 0 ? 0.0 : s;
  };
  const double sy = src(oh, v.height(), y), sx = src(ow, v.width(), x);
  const int y0 = int(sy), x0 = int(sx);
  const int y1 = std::min(y0 + 1, v.height() - 1), x1 = std::min(x0 + 1, v.width() - 1);
  const double fy = sy - y0, fx = sx - x0;
  auto at = [&](int yy, int xx) {
    const size_t k = (size_t(yy) * size_t(v.width()) + size_t(xx)) * 3 + size_t(c);
    return raw ? double(v.image().u8()[k]) : v.value(k);
  };
  const double top = at(y0, x0) * (1 - fx) + at(y0, x1) * fx;
  const double bottom = at(y1, x0) * (1 - fx) + at(y1, x1) * fx;
  return top * (1 - fy) + bottom * fy;
}

class ImageFunctions : public ::testing::Test {
 protected:
  void SetUp() override {
    test::write_test_image(dir_.path("a.png"), test::make_test_image(13, 9, 3, 7), TestFormat::Png);
    db_.query("CREATE EXTERNAL TABLE t OPTIONS (object_metadata = 'SIMPLE', uris = ['" + dir_.path() + "/a.png'])");
    source_ = std::static_pointer_cast<const fn::ImageValue>(db_.query("SELECT ML.DECODE_IMAGE(data) FROM t").get(0, 0).as_object());
  }
  std::shared_ptr<const fn::ImageValue> one(const std::string& expr) {
    Value v = db_.query("SELECT " + expr + " FROM (SELECT ML.DECODE_IMAGE(data) AS img FROM t)").get(0, 0);
    return v.is_null() ? nullptr : std::static_pointer_cast<const fn::ImageValue>(v.as_object());
  }
  ScratchDir dir_;
  Database db_;
  std::shared_ptr<const fn::ImageValue> source_;
};

TEST_F(ImageFunctions, ResizeIsHalfPixelBilinear) {
  for (auto [h, w] : {std::pair{4, 5}, {9, 13}, {20, 31}, {1, 1}, {9, 3}}) {
    auto r = one("ML.RESIZE_IMAGE(img, " + std::to_string(h) + ", " + std::to_string(w) + ", FALSE)");
    ASSERT_TRUE(r);
    ASSERT_EQ(r->height(), h);
    ASSERT_EQ(r->width(), w);
    double worst = 0;
    for (int y = 0; y < h; ++y)
      for (int x = 0; x < w; ++x)
        for (int c = 0; c < 3; ++c)
          worst = std::max(worst, std::abs(r->value((size_t(y) * size_t(w) + size_t(x)) * 3 + size_t(c)) -
                                           reference_bilinear(*source_, h, w, y, x, c)));
    EXPECT_LT(worst, 2e-6) << h << "x" << w;
  }
  // Same size: the image itself.
  EXPECT_EQ(one("ML.RESIZE_IMAGE(img, 9, 13, FALSE)")->image().type(), img::PixelType::U8);
  // preserve_aspect_ratio: the largest size within the box (13x9 -> scale min(10/9, 26/13)).
  auto r = one("ML.RESIZE_IMAGE(img, 10, 26, TRUE)");
  EXPECT_EQ(r->height(), 10);
  EXPECT_EQ(r->width(), 14);  // 13 * 10 / 9 = 14.44
  r = one("ML.RESIZE_IMAGE(img, 100, 26, TRUE)");
  EXPECT_EQ(r->height(), 18);
  EXPECT_EQ(r->width(), 26);
  // Integer pixels stay integers, rounded.
  r = one("ML.RESIZE_IMAGE(ML.CONVERT_IMAGE_TYPE(img), 5, 7, FALSE)");
  EXPECT_EQ(r->pixels(), fn::ImagePixels::Integer);
  for (int y = 0; y < 5; ++y)
    for (int x = 0; x < 7; ++x)
      for (int c = 0; c < 3; ++c)
        EXPECT_EQ(r->value((size_t(y) * 7 + size_t(x)) * 3 + size_t(c)), std::nearbyint(reference_bilinear(*source_, 5, 7, y, x, c, true)));
}

TEST_F(ImageFunctions, ColorSpacesFollowTensorFlowsFormulas) {
  auto gray = one("ML.CONVERT_COLOR_SPACE(img, 'GRAYSCALE')");
  auto hsv = one("ML.CONVERT_COLOR_SPACE(img, 'HSV')");
  auto yiq = one("ML.CONVERT_COLOR_SPACE(img, 'yiq')");
  auto yuv = one("ML.CONVERT_COLOR_SPACE(img, 'YUV')");
  auto rgb = one("ML.CONVERT_COLOR_SPACE(img, 'RGB')");
  ASSERT_TRUE(gray && hsv && yiq && yuv && rgb);
  EXPECT_EQ(gray->channels(), 1);
  const size_t pixels = size_t(source_->height()) * size_t(source_->width());
  for (size_t p = 0; p < pixels; ++p) {
    const double r = source_->value(p * 3), g = source_->value(p * 3 + 1), b = source_->value(p * 3 + 2);
    EXPECT_NEAR(gray->value(p), 0.2989 * r + 0.587 * g + 0.114 * b, 1e-6);
    EXPECT_NEAR(yiq->value(p * 3 + 1), 0.59590059 * r - 0.27455667 * g - 0.32134392 * b, 1e-6);
    EXPECT_NEAR(yiq->value(p * 3 + 2), 0.2115 * r - 0.52273617 * g + 0.31119955 * b, 1e-6);
    EXPECT_NEAR(yuv->value(p * 3 + 1), -0.14714119 * r - 0.28886916 * g + 0.43601035 * b, 1e-6);
    EXPECT_NEAR(yuv->value(p * 3 + 2), 0.61497538 * r - 0.51496512 * g - 0.10001026 * b, 1e-6);
    EXPECT_NEAR(rgb->value(p * 3 + 1), g, 1e-7);
    // HSV as in a textbook (Python's colorsys.rgb_to_hsv).
    const double mx = std::max({r, g, b}), mn = std::min({r, g, b});
    double h = 0, s = mx > 0 ? (mx - mn) / mx : 0;
    if (mx > mn) {
      const double rc = (mx - r) / (mx - mn), gc = (mx - g) / (mx - mn), bc = (mx - b) / (mx - mn);
      h = r == mx ? bc - gc : g == mx ? 2.0 + rc - bc : 4.0 + gc - rc;
      h = std::fmod(h / 6.0 + 1.0, 1.0);
    }
    EXPECT_NEAR(hsv->value(p * 3), h, 2e-6) << p;
    EXPECT_NEAR(hsv->value(p * 3 + 1), s, 1e-6);
    EXPECT_NEAR(hsv->value(p * 3 + 2), mx, 1e-6);
  }
}

TEST_F(ImageFunctions, ConvertImageTypeInvertsDecoding) {
  auto ints = one("ML.CONVERT_IMAGE_TYPE(img)");
  ASSERT_EQ(ints->pixels(), fn::ImagePixels::Integer);
  for (size_t k = 0; k < ints->image().size(); ++k) EXPECT_EQ(ints->value(k), double(source_->image().u8()[k]));
  // Float pixels from a resize: v * 255.5, truncated.
  auto resized = one("ML.RESIZE_IMAGE(img, 4, 4, FALSE)");
  auto conv = one("ML.CONVERT_IMAGE_TYPE(ML.RESIZE_IMAGE(img, 4, 4, FALSE))");
  for (size_t k = 0; k < conv->image().size(); ++k)
    EXPECT_EQ(conv->value(k), std::min(255.0, double(std::floor(float(resized->value(k)) * 255.5f))));
  EXPECT_EQ(conv->to_string(), "IMAGE<4x4x3 INT64>");
}

// Against PyTorch's bilinear interpolate and Python's colorsys (tools/make_image_function_fixtures.py).
TEST(ImageFunctionsReference, ResizeMatchesTorchAndHsvMatchesColorsys) {
  std::ifstream in(source_dir() + "/tests/data/objects_ref/image_functions.json");
  ASSERT_TRUE(in) << "missing tests/data/objects_ref/image_functions.json";
  const nlohmann::json ref = nlohmann::json::parse(in);
  Database db;
  db.query("SET mount = 'gs://fx=" + source_dir() + "/tests/data/objects'");
  size_t checked = 0;
  for (const auto& file : ref["files"]) {
    const std::string uri = "gs://fx/" + file["file"].get<std::string>();
    db.query("CREATE OR REPLACE EXTERNAL TABLE one OPTIONS (object_metadata = 'SIMPLE', uris = ['" + uri + "'])");
    for (const auto& r : file["resize"]) {
      const int h = r["height"], w = r["width"];
      Value v = db.query("SELECT ML.RESIZE_IMAGE(ML.DECODE_IMAGE(data), " + std::to_string(h) + ", " + std::to_string(w) +
                         ", FALSE) FROM one").get(0, 0);
      const auto* img = image_of(v);
      ASSERT_TRUE(img) << uri;
      ASSERT_EQ(img->height(), h);
      ASSERT_EQ(img->width(), w);
      const auto& values = r["values"];
      ASSERT_EQ(values.size(), img->image().size());
      double worst = 0;
      for (size_t k = 0; k < values.size(); ++k) worst = std::max(worst, std::abs(img->value(k) - values[k].get<double>()));
      EXPECT_LT(worst, 1e-6) << uri << " resized to " << h << "x" << w;
      ++checked;
    }
    Value v = db.query("SELECT ML.CONVERT_COLOR_SPACE(ML.DECODE_IMAGE(data), 'HSV') FROM one").get(0, 0);
    const auto* hsv = image_of(v);
    ASSERT_TRUE(hsv);
    const auto& values = file["hsv"];
    ASSERT_EQ(values.size(), hsv->image().size());
    for (size_t k = 0; k < values.size(); ++k) EXPECT_NEAR(hsv->value(k), values[k].get<double>(), 2e-6) << uri << " value " << k;
  }
  EXPECT_EQ(checked, 12u);
}

TEST(DecodeImage, SharedDataImagesDecodeAsTheImageModuleDoes) {
  const std::string data = test::shared_data_dir();
  if (data.empty()) GTEST_SKIP() << "no shared data dir (set VISIONDB_DATA_DIR)";
  const std::string samples = data + "/images/samples";
  if (!std::filesystem::is_directory(samples)) GTEST_SKIP() << "no " << samples;
  Database db;
  db.mount("gs://samples", samples);
  db.query("CREATE EXTERNAL TABLE s OPTIONS (object_metadata = 'SIMPLE', uris = ['gs://samples/**/*.jpg', 'gs://samples/**/*.JPEG', 'gs://samples/**/*.png'])");
  auto images = images_by_uri(db, "SELECT uri, SAFE.ML.DECODE_IMAGE(data) FROM s");
  ASSERT_GT(images.size(), 20u);
  size_t decoded = 0;
  for (const auto& [uri, obj] : images) {
    const std::string path = samples + uri.substr(std::string("gs://samples").size());
    bool ok = true;
    img::Image ref;
    try {
      ref = img::decode_image_file(path);
    } catch (const Error&) {
      ok = false;
    }
    ASSERT_EQ(obj != nullptr, ok) << uri;
    if (!ok) continue;
    ++decoded;
    const auto* v = dynamic_cast<const fn::ImageValue*>(obj.get());
    ASSERT_EQ(v->height(), ref.height()) << uri;
    ASSERT_EQ(v->width(), ref.width()) << uri;
    EXPECT_TRUE(std::equal(ref.bytes().begin(), ref.bytes().end(), v->image().bytes().begin())) << uri;
  }
  EXPECT_GT(decoded, 20u);
}

}  // namespace
