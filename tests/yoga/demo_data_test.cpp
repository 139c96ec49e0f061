// The demo's generated inputs (tools/demo_data.hpp): the same bytes on every run, images that
// decode to what was drawn (sizes, formats), weights files holding exactly the generator's values,
// and a labels CSV that reads back with quoted fields.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "demo_data.hpp"
#include "visiondb/api/database.hpp"
#include "visiondb/image/decode.hpp"
#include "visiondb/models/zoo.hpp"
#include "visiondb/nn/generated_weights.hpp"
#include "visiondb/nn/weights_file.hpp"

using namespace visiondb;

namespace {

namespace fs = std::filesystem;

std::string read_bytes(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

struct Scratch {
  fs::path path;
  Scratch() {
    static int counter = 0;
    path = fs::temp_directory_path() / ("visiondb_demo_data_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~Scratch() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

TEST(DemoData, ImagesAreDeterministicAndDecode) {
  Scratch a, b;
  const auto files = demo::write_yoga_images(a.path.string(), 4, demo::kBlogPoses);
  ASSERT_EQ(files.size(), 20u);
  EXPECT_EQ(demo::write_yoga_images(b.path.string(), 4, demo::kBlogPoses), files);
  std::set<std::string> extensions;
  std::set<int> widths;
  for (const auto& rel : files) {
    const std::string bytes = read_bytes(a.path / rel);
    ASSERT_EQ(bytes, read_bytes(b.path / rel)) << rel << " differs between two runs";
    extensions.insert(rel.substr(rel.size() - 3));
    const img::Image im = img::decode_image({reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()}, rel);
    EXPECT_GE(im.width(), 256) << rel;
    EXPECT_LE(im.width(), 480) << rel;
    EXPECT_GT(im.height(), 0) << rel;
    widths.insert(im.width());
    // The pose folder names the file.
    EXPECT_EQ(rel.substr(0, rel.find('/')) + "_", rel.substr(rel.find('/') + 1, rel.find('/') + 1)) << rel;
  }
  EXPECT_EQ(extensions, (std::set<std::string>{"jpg", "png"}));
  EXPECT_GE(widths.size(), 4u);
  EXPECT_THROW(demo::write_yoga_images(a.path.string(), 1, {"../escape"}), InvalidArgument);
}

TEST(DemoData, WeightsFileHoldsTheGeneratedValues) {
  Scratch dir;
  const std::string path = (dir.path / "r50.vdbw").string();
  const nn::WeightsMetadata meta = demo::write_generated_weights(path, "resnet50", 1);
  EXPECT_EQ(meta.architecture, "resnet50");
  ASSERT_EQ(meta.labels.size(), 1000u);
  EXPECT_EQ(meta.labels[7], "class_007");

  const nn::WeightsFile file(path);  // verifies every checksum
  EXPECT_EQ(file.metadata().source_format, "generated");
  EXPECT_EQ(file.metadata().labels, meta.labels);
  const auto specs = models::find_model("resnet50")->tensor_specs();
  const nn::GeneratedWeights generated(specs, 1);
  ASSERT_EQ(file.tensor_infos().size(), specs.size());
  for (const auto& s : specs) {
    const auto want = generated.tensor(s.name, s.shape);
    const auto got = file.tensor(s.name, s.shape);
    ASSERT_EQ(got.size(), want.size()) << s.name;
    ASSERT_TRUE(std::equal(got.begin(), got.end(), want.begin())) << s.name << " differs from the generator";
  }
  EXPECT_THROW(demo::write_generated_weights((dir.path / "x.vdbw").string(), "vgg16", 1), InvalidArgument);
}

TEST(DemoData, LabelsCsvReadsBackThroughLoadData) {
  Scratch dir;
  // 1000 labels, some with the characters CSV must quote.
  std::ofstream labels(dir.path / "labels.txt");
  for (int i = 0; i < 1000; ++i) {
    if (i == 3) labels << "crane, the bird\n";
    else if (i == 4) labels << "a \"quoted\" name\n";
    else labels << "label " << i << "\n";
  }
  labels.close();
  const std::string weights = (dir.path / "r50.vdbw").string();
  demo::write_generated_weights(weights, "resnet50", 1, (dir.path / "labels.txt").string());
  const std::string csv = (dir.path / "labels.csv").string();
  ASSERT_EQ(demo::write_labels_csv(weights, csv), 1000u);

  Database db;
  db.query("LOAD DATA INTO labels FROM FILES (format = 'CSV', uris = ['" + csv + "'], skip_leading_rows = 1)");
  const QueryResult r = db.query("SELECT class_index, label FROM labels WHERE class_index IN (0, 3, 4, 999) ORDER BY class_index");
  ASSERT_EQ(r.row_count(), 4u);
  EXPECT_EQ(r.get_as<std::string>(0, 1), "label 0");
  EXPECT_EQ(r.get_as<std::string>(1, 1), "crane, the bird");
  EXPECT_EQ(r.get_as<std::string>(2, 1), "a \"quoted\" name");
  EXPECT_EQ(r.get_as<int64_t>(3, 0), 999);

  // A labels file of the wrong length is refused, naming it.
  std::ofstream(dir.path / "short.txt") << "a\nb\n";
  try {
    demo::write_generated_weights((dir.path / "y.vdbw").string(), "resnet50", 1, (dir.path / "short.txt").string());
    FAIL() << "expected an error";
  } catch (const IoError& e) {
    EXPECT_NE(std::string(e.what()).find("short.txt"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("has 2 labels"), std::string::npos) << e.what();
  }
}

}  // namespace
