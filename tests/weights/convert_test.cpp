// The converter: .pth and .safetensors (torchvision and timm naming) to a converted file whose
// tensors equal the source's, with the architecture's presets, labels and the source's sha256.
#include <gtest/gtest.h>

#include <fstream>

#include "visiondb/nn/detail/sha256.hpp"
#include "visiondb/nn/weights_convert.hpp"
#include "weights/helpers.hpp"

namespace vn = visiondb::nn;
using visiondb::test::read_file;
using visiondb::test::ScratchDir;
using visiondb::test::write_file;

namespace {

using Spec = std::vector<std::tuple<std::string, std::vector<int64_t>, std::vector<float>>>;

std::vector<float> generated(int64_t n, float seed) {
  std::vector<float> v(static_cast<size_t>(n));
  uint32_t s = static_cast<uint32_t>(seed * 1000) + 1;
  for (auto& x : v) {
    s = s * 1664525u + 1013904223u;
    x = static_cast<float>(static_cast<int32_t>(s >> 8) - (1 << 23)) / float(1 << 23);
  }
  return v;
}

// The tensors the converter looks at for ResNet-50 (the stem, the last block, a 10-class head)
// plus a BN counter it must drop; the full set is the network's business.
Spec resnet_like(const std::string& prefix = "") {
  Spec s;
  auto add = [&](const std::string& name, std::vector<int64_t> shape) {
    int64_t n = 1;
    for (auto d : shape) n *= d;
    s.emplace_back(prefix + name, shape, generated(n, static_cast<float>(s.size())));
  };
  add("conv1.weight", {64, 3, 7, 7});
  add("bn1.running_mean", {64});
  add("layer4.2.conv3.weight", {2048, 512, 1, 1});
  add("fc.weight", {10, 2048});
  add("fc.bias", {10});
  add("bn1.num_batches_tracked", {});
  return s;
}

void write_labels(const std::string& path, int n) {
  std::ofstream f(path);
  for (int i = 0; i < n; ++i) f << "label " << i << "\r\n";
}

template <class F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const visiondb::Error& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST(ConvertWeights, PthAndSafetensorsGiveTheSameFile) {
  ScratchDir dir("convert_same");
  const Spec spec = resnet_like();
  write_file(dir.file("in.pth"), visiondb::test::make_pth("in", spec));
  write_file(dir.file("in.safetensors"), visiondb::test::make_safetensors(spec));
  write_labels(dir.file("labels.txt"), 10);
  vn::ConvertOptions opt;
  opt.architecture = "resnet50";
  opt.labels_path = dir.file("labels.txt");
  const auto from_pth = vn::convert_weights(dir.file("in.pth"), dir.file("a.vdbw"), opt);
  const auto from_st = vn::convert_weights(dir.file("in.safetensors"), dir.file("b.vdbw"), opt);
  EXPECT_EQ(from_pth.format, vn::CheckpointFormat::Pth);
  EXPECT_EQ(from_st.format, vn::CheckpointFormat::Safetensors);
  EXPECT_EQ(from_pth.tensors_written, 5u);
  ASSERT_EQ(from_pth.dropped.size(), 1u);
  EXPECT_EQ(from_pth.dropped[0], "bn1.num_batches_tracked");

  const vn::WeightsFile a(dir.file("a.vdbw")), b(dir.file("b.vdbw"));
  for (const auto& [name, shape, values] : spec) {
    if (name == "bn1.num_batches_tracked") {
      EXPECT_FALSE(a.contains(name));
      continue;
    }
    for (const vn::WeightsFile* f : {&a, &b}) {
      auto got = f->tensor(name, shape);
      EXPECT_TRUE(std::equal(got.begin(), got.end(), values.begin())) << name;
    }
  }
  const auto& m = a.metadata();
  EXPECT_EQ(m.architecture, "resnet50");
  EXPECT_EQ(m.num_classes, 10);
  ASSERT_EQ(m.labels.size(), 10u);
  EXPECT_EQ(m.labels[3], "label 3");
  EXPECT_EQ(m.resize_size, 256);
  EXPECT_EQ(m.source_file, "in.pth");
  EXPECT_EQ(m.source_format, "pth");
  EXPECT_EQ(m.source_sha256, vn::detail::sha256_hex(read_file(dir.file("in.pth"))));
  EXPECT_EQ(b.metadata().source_format, "safetensors");
}

TEST(ConvertWeights, TimmAndDataParallelNamesBecomeTorchvisions) {
  ScratchDir dir("convert_timm");
  write_file(dir.file("timm.safetensors"), visiondb::test::make_safetensors(resnet_like("model.")));
  write_file(dir.file("dp.pth"), visiondb::test::make_pth("dp", resnet_like("module.")));
  vn::ConvertOptions opt;
  opt.architecture = "resnet50";
  vn::convert_weights(dir.file("timm.safetensors"), dir.file("t.vdbw"), opt);
  vn::convert_weights(dir.file("dp.pth"), dir.file("d.vdbw"), opt);
  EXPECT_TRUE(vn::WeightsFile(dir.file("t.vdbw")).contains("conv1.weight"));
  EXPECT_TRUE(vn::WeightsFile(dir.file("d.vdbw")).contains("layer4.2.conv3.weight"));
  EXPECT_EQ(vn::canonical_tensor_name("module.fc.weight"), "fc.weight");
  EXPECT_EQ(vn::canonical_tensor_name("Mixed_7c.branch_pool.conv.weight"), "Mixed_7c.branch_pool.conv.weight");
}

TEST(ConvertWeights, InceptionPresetsAndOverrides) {
  ScratchDir dir("convert_inception");
  Spec s;
  s.emplace_back("Conv2d_1a_3x3.conv.weight", std::vector<int64_t>{32, 3, 3, 3}, generated(32 * 27, 1));
  s.emplace_back("Mixed_7c.branch_pool.conv.weight", std::vector<int64_t>{192, 2048, 1, 1}, generated(192 * 2048, 2));
  s.emplace_back("fc.weight", std::vector<int64_t>{4, 2048}, generated(4 * 2048, 3));
  s.emplace_back("fc.bias", std::vector<int64_t>{4}, generated(4, 4));
  write_file(dir.file("inc.safetensors"), visiondb::test::make_safetensors(s));
  vn::ConvertOptions opt;
  opt.architecture = "inception_v3";
  vn::convert_weights(dir.file("inc.safetensors"), dir.file("i.vdbw"), opt);
  const auto m = vn::WeightsFile(dir.file("i.vdbw")).metadata();
  EXPECT_EQ(m.input_height, 299);
  EXPECT_EQ(m.resize_size, 342);
  EXPECT_TRUE(m.transform_input);
  EXPECT_EQ(m.num_classes, 4);
  opt.mean = std::array<float, 3>{0.5f, 0.5f, 0.5f};
  opt.std = std::array<float, 3>{0.5f, 0.5f, 0.5f};
  opt.transform_input = false;
  vn::convert_weights(dir.file("inc.safetensors"), dir.file("j.vdbw"), opt);
  const auto n = vn::WeightsFile(dir.file("j.vdbw")).metadata();
  EXPECT_EQ(n.mean[0], 0.5f);
  EXPECT_FALSE(n.transform_input);
  // The wrong architecture is named with the tensor that shows it.
  opt = {};
  opt.architecture = "resnet50";
  EXPECT_NE(error_of([&] { vn::convert_weights(dir.file("inc.safetensors"), dir.file("k.vdbw"), opt); })
                .find("does not hold a resnet50 network: tensor \"conv1.weight\" is missing"),
            std::string::npos);
}

TEST(ConvertWeights, ErrorsNameTheFileOrTensor) {
  ScratchDir dir("convert_errors");
  Spec bad = resnet_like();
  std::get<1>(bad[0]) = {64, 3, 5, 5};
  std::get<2>(bad[0]).resize(64 * 3 * 25);
  write_file(dir.file("bad.safetensors"), visiondb::test::make_safetensors(bad));
  vn::ConvertOptions opt;
  opt.architecture = "resnet50";
  EXPECT_EQ(error_of([&] { vn::convert_weights(dir.file("bad.safetensors"), dir.file("o.vdbw"), opt); }),
            "tensor \"conv1.weight\" has shape [64, 3, 5, 5], expected [64, 3, 7, 7]");
  write_file(dir.file("good.safetensors"), visiondb::test::make_safetensors(resnet_like()));
  write_labels(dir.file("labels.txt"), 9);
  opt.labels_path = dir.file("labels.txt");
  EXPECT_NE(error_of([&] { vn::convert_weights(dir.file("good.safetensors"), dir.file("o.vdbw"), opt); })
                .find("has 9 labels, the classifier has 10 outputs"),
            std::string::npos);
  opt.labels_path.clear();
  opt.architecture = "vgg16";
  EXPECT_NE(error_of([&] { vn::convert_weights(dir.file("good.safetensors"), dir.file("o.vdbw"), opt); })
                .find("unknown architecture"),
            std::string::npos);
  write_file(dir.file("junk.bin"), {1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
  opt.architecture = "resnet50";
  EXPECT_NE(error_of([&] { vn::convert_weights(dir.file("junk.bin"), dir.file("o.vdbw"), opt); })
                .find("neither a torch.save checkpoint"),
            std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(dir.file("o.vdbw")));
}

TEST(ConvertWeights, LabelsFileOfTheSharedData) {
  const char* env = std::getenv("VISIONDB_DATA_DIR");
  const std::string dir = env && *env ? env : std::string(VISIONDB_SOURCE_DIR) + "/../shared/data";
  const std::string path = dir + "/imagenet/imagenet_classes.txt";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "no " << path;
  const auto labels = vn::read_labels_file(path);
  ASSERT_EQ(labels.size(), 1000u);
  EXPECT_EQ(labels[0], "tench");
  EXPECT_EQ(labels[258], "Samoyed");
  EXPECT_EQ(labels[999], "toilet tissue");
}

TEST(ConvertWeights, LabelsThatAreNotUtf8AreReplacedNotFatal) {
  ScratchDir dir("convert_latin1");
  write_file(dir.file("in.safetensors"), visiondb::test::make_safetensors(resnet_like()));
  {
    std::ofstream f(dir.file("labels.txt"), std::ios::binary);
    for (int i = 0; i < 10; ++i) f << (i == 4 ? "caf\xe9" : "label") << "\n";  // Latin-1 e-acute
  }
  vn::ConvertOptions opt;
  opt.architecture = "resnet50";
  opt.labels_path = dir.file("labels.txt");
  vn::convert_weights(dir.file("in.safetensors"), dir.file("o.vdbw"), opt);
  EXPECT_EQ(vn::WeightsFile(dir.file("o.vdbw")).metadata().labels[4], "caf\xef\xbf\xbd");  // U+FFFD
}
