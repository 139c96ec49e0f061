// The converted weights format: round trip, validation of every field, checksums, atomic writes.
#include <gtest/gtest.h>

#include <filesystem>

#include "visiondb/nn/weights_file.hpp"
#include "weights/helpers.hpp"

namespace vn = visiondb::nn;
using visiondb::test::read_file;
using visiondb::test::ScratchDir;
using visiondb::test::write_file;

namespace {

struct Sample {
  std::vector<std::vector<float>> values;
  std::vector<vn::WeightsTensorToWrite> tensors;
};

Sample make_sample() {
  Sample s;
  const std::vector<std::pair<std::string, std::vector<int64_t>>> specs = {
      {"conv1.weight", {4, 3, 3, 3}}, {"bn1.running_var", {4}}, {"fc.weight", {10, 13}}, {"fc.bias", {10}},
      {"scalar", {}},                 {"empty", {0, 5}}};
  for (size_t i = 0; i < specs.size(); ++i) {
    int64_t n = 1;
    for (auto d : specs[i].second) n *= d;
    std::vector<float> v(static_cast<size_t>(n));
    for (size_t k = 0; k < v.size(); ++k) v[k] = static_cast<float>(i) * 100.0f + static_cast<float>(k) * 0.5f - 3.0f;
    s.values.push_back(std::move(v));
  }
  for (size_t i = 0; i < specs.size(); ++i) s.tensors.push_back({specs[i].first, specs[i].second, s.values[i]});
  return s;
}

vn::WeightsMetadata sample_metadata() {
  auto m = vn::WeightsMetadata::for_architecture("resnet50");
  m.num_classes = 10;
  for (int i = 0; i < 10; ++i) m.labels.push_back("class \"" + std::to_string(i) + "\" é");
  m.source_file = "x.pth";
  m.source_sha256 = std::string(64, 'a');
  m.source_format = "pth";
  return m;
}

template <class F>
std::string io_error_of(F&& f) {
  try {
    f();
  } catch (const visiondb::IoError& e) {
    return e.what();
  }
  return "(no IoError)";
}

}  // namespace

TEST(WeightsFile, RoundTripsMetadataAndTensors) {
  ScratchDir dir("weights_roundtrip");
  const Sample s = make_sample();
  const auto path = dir.file("a.vdbw");
  vn::write_weights_file(path, sample_metadata(), s.tensors);
  const vn::WeightsFile f(path);
  EXPECT_EQ(f.metadata().architecture, "resnet50");
  EXPECT_EQ(f.metadata().input_height, 224);
  EXPECT_EQ(f.metadata().resize_size, 256);
  EXPECT_EQ(f.metadata().mean[1], 0.456f);
  EXPECT_EQ(f.metadata().std[2], 0.225f);
  EXPECT_EQ(f.metadata().labels, sample_metadata().labels);
  EXPECT_EQ(f.metadata().source_sha256, std::string(64, 'a'));
  EXPECT_NE(f.metadata_json().find("\"mean\""), std::string::npos);
  ASSERT_EQ(f.tensor_infos().size(), s.tensors.size());
  for (size_t i = 0; i < s.tensors.size(); ++i) {
    const auto& t = s.tensors[i];
    EXPECT_EQ(f.tensor_infos()[i].name, t.name);  // file order kept
    EXPECT_EQ(f.tensor_infos()[i].offset % 64, 0u);
    auto got = f.tensor(t.name, t.shape);
    ASSERT_EQ(got.size(), t.values.size());
    EXPECT_TRUE(std::equal(got.begin(), got.end(), t.values.begin())) << t.name;
    if (!got.empty()) EXPECT_EQ(reinterpret_cast<uintptr_t>(got.data()) % 64, 0u);
  }
  EXPECT_TRUE(f.contains("fc.bias"));
  EXPECT_FALSE(f.contains("fc.bia"));
  EXPECT_EQ(f.names().size(), s.tensors.size());
}

TEST(WeightsFile, ShapeAndMissingTensorErrorsNameTheTensor) {
  ScratchDir dir("weights_shape");
  const Sample s = make_sample();
  vn::write_weights_file(dir.file("a.vdbw"), sample_metadata(), s.tensors);
  const vn::WeightsFile f(dir.file("a.vdbw"));
  const std::vector<int64_t> wrong = {10, 12};
  try {
    f.tensor("fc.weight", wrong);
    FAIL() << "no ShapeError";
  } catch (const visiondb::ShapeError& e) {
    EXPECT_STREQ(e.what(), "tensor \"fc.weight\" has shape [10, 13], expected [10, 12]");
  }
  try {
    f.tensor("layer9.weight", wrong);
    FAIL() << "no error";
  } catch (const visiondb::Error& e) {
    EXPECT_EQ(e.kind(), visiondb::ErrorKind::Shape);
    EXPECT_NE(std::string(e.what()).find("\"layer9.weight\" is missing"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("a.vdbw"), std::string::npos) << e.what();
  }
}

TEST(WeightsFile, TruncatedFilesAreRefusedNamingTheFile) {
  ScratchDir dir("weights_truncated");
  const Sample s = make_sample();
  vn::write_weights_file(dir.file("a.vdbw"), sample_metadata(), s.tensors);
  const auto bytes = read_file(dir.file("a.vdbw"));
  for (size_t keep : {size_t{0}, size_t{7}, size_t{40}, size_t{64}, size_t{200}, bytes.size() / 2, bytes.size() - 1}) {
    SCOPED_TRACE(keep);
    write_file(dir.file("cut.vdbw"), std::vector<uint8_t>(bytes.begin(), bytes.begin() + static_cast<ptrdiff_t>(keep)));
    const std::string what = io_error_of([&] { vn::WeightsFile f(dir.file("cut.vdbw")); });
    EXPECT_NE(what.find("cut.vdbw"), std::string::npos) << what;
    if (keep >= 64) EXPECT_NE(what.find("truncated"), std::string::npos) << what;
  }
  auto longer = bytes;
  longer.push_back(0);
  write_file(dir.file("long.vdbw"), longer);
  EXPECT_NE(io_error_of([&] { vn::WeightsFile f(dir.file("long.vdbw")); }).find("past its end"), std::string::npos);
}

TEST(WeightsFile, CorruptionIsDetected) {
  ScratchDir dir("weights_corrupt");
  const Sample s = make_sample();
  vn::write_weights_file(dir.file("a.vdbw"), sample_metadata(), s.tensors);
  const auto bytes = read_file(dir.file("a.vdbw"));
  const vn::WeightsFile good(dir.file("a.vdbw"));
  const auto* fc = good.find("fc.weight");

  auto data = bytes;
  data[fc->offset + 17] ^= 0x01;
  write_file(dir.file("data.vdbw"), data);
  EXPECT_NE(io_error_of([&] { vn::WeightsFile f(dir.file("data.vdbw")); }).find("\"fc.weight\" fails its checksum"),
            std::string::npos);
  // Without verification the file opens (the cost of checksums is then not paid), and an explicit
  // verify_checksums() still finds it.
  vn::WeightsOpenOptions fast;
  fast.verify_checksums = false;
  const vn::WeightsFile unverified(dir.file("data.vdbw"), fast);
  EXPECT_NE(io_error_of([&] { unverified.verify_checksums(); }).find("fc.weight"), std::string::npos);

  auto meta = bytes;
  meta[64 + 20] ^= 0x20;  // inside the JSON metadata
  write_file(dir.file("meta.vdbw"), meta);
  EXPECT_NE(io_error_of([&] { vn::WeightsFile f(dir.file("meta.vdbw")); }).find("checksum"), std::string::npos);

  auto magic = bytes;
  magic[1] = 'X';
  write_file(dir.file("magic.vdbw"), magic);
  EXPECT_NE(io_error_of([&] { vn::WeightsFile f(dir.file("magic.vdbw")); }).find("not a visiondb weights file"),
            std::string::npos);

  auto version = bytes;
  version[8] = 2;
  write_file(dir.file("v2.vdbw"), version);
  EXPECT_NE(io_error_of([&] { vn::WeightsFile f(dir.file("v2.vdbw")); }).find("version 2 is not supported"),
            std::string::npos);

  write_file(dir.file("zip.vdbw"), {'P', 'K', 3, 4, 0, 0});
  EXPECT_NE(io_error_of([&] { vn::WeightsFile f(dir.file("zip.vdbw")); }).find("visiondb-convert"), std::string::npos);
  EXPECT_NE(io_error_of([&] { vn::WeightsFile f(dir.file("absent.vdbw")); }).find("cannot open"), std::string::npos);
}

TEST(WeightsFile, WriterIsAtomicAndValidatesFirst) {
  ScratchDir dir("weights_atomic");
  Sample s = make_sample();
  const auto path = dir.file("a.vdbw");
  vn::write_weights_file(path, sample_metadata(), s.tensors);
  const auto before = read_file(path);
  // A bad tensor: refused before anything is written; the old file stays as it was.
  auto bad = s.tensors;
  bad[2].shape = {10, 14};
  EXPECT_THROW(vn::write_weights_file(path, sample_metadata(), bad), visiondb::InvalidArgument);
  bad = s.tensors;
  bad[3].name = bad[2].name;
  EXPECT_THROW(vn::write_weights_file(path, sample_metadata(), bad), visiondb::InvalidArgument);
  EXPECT_EQ(read_file(path), before);
  // An unwritable place: IoError naming the path, and no file left.
  const std::string nowhere = dir.file("no/such/dir/a.vdbw");
  EXPECT_NE(io_error_of([&] { vn::write_weights_file(nowhere, sample_metadata(), s.tensors); }).find(nowhere),
            std::string::npos);
  // Overwriting replaces the file whole and leaves no temporary behind.
  s.values[0][0] = 42.0f;
  vn::write_weights_file(path, sample_metadata(), s.tensors);
  EXPECT_EQ(vn::WeightsFile(path).data("conv1.weight")[0], 42.0f);
  size_t files = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir.path())) files += e.is_regular_file();
  EXPECT_EQ(files, 1u);
}

TEST(WeightsFile, MetadataJsonValidation) {
  EXPECT_THROW(vn::WeightsMetadata::for_architecture("vgg16"), visiondb::InvalidArgument);
  const auto inc = vn::WeightsMetadata::for_architecture("inception_v3");
  EXPECT_EQ(inc.input_height, 299);
  EXPECT_EQ(inc.resize_size, 342);
  EXPECT_TRUE(inc.transform_input);
  auto back = vn::WeightsMetadata::from_json(sample_metadata().to_json());
  EXPECT_EQ(back.labels.size(), 10u);
  EXPECT_THROW(vn::WeightsMetadata::from_json("{\"architecture\": \"resnet50\"}"), visiondb::InvalidArgument);
  EXPECT_THROW(vn::WeightsMetadata::from_json("not json"), visiondb::InvalidArgument);
}
