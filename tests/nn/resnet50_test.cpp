#include "visiondb/models/resnet50.hpp"

#include <gtest/gtest.h>

#include "network_check.hpp"
#include "visiondb/common/error.hpp"
#include "visiondb/models/zoo.hpp"
#include "visiondb/nn/kernels/gemm_bf16.hpp"

namespace visiondb::models {
namespace {

const nn::GeneratedWeights& weights() {
  static const nn::GeneratedWeights w(ResNet50::tensor_specs(), 1);
  return w;
}

TEST(ResNet50, MatchesPyTorchOnGeneratedWeights) {
  ResNet50 net(weights());
  EXPECT_FALSE(net.winograd());  // the default: the exact fp32 path; Winograd is an explicit option
  nn::test::check_against_fixture(net, "resnet50_generated.json");
}

TEST(ResNet50, MatchesPyTorchWithWinograd) {
  ResNet50 net(weights());
  net.set_winograd(true);
  nn::test::check_against_fixture(net, "resnet50_generated.json");
  net.set_winograd(false);
  // The two paths round differently (so Winograd did run), by far less than the tolerance.
  const auto input = nn::generated_input(2, 3, 224, 224, 1);
  const OutputRequest what{true, false, true};
  const Outputs off = net.run(input, 2, what);
  net.set_winograd(true);
  const Outputs on = net.run(input, 2, what);
  EXPECT_NE(on.embedding, off.embedding);
  const double logit_diff = nn::test::relative_inf_error(on.logits, off.logits);
  const double emb_diff = nn::test::relative_inf_error(on.embedding, off.embedding);
  EXPECT_LE(logit_diff, 2e-5);
  EXPECT_LE(emb_diff, 2e-5);
  std::printf("resnet50 Winograd on vs off: logits %.3g, embedding %.3g\n", logit_diff, emb_diff);
}

TEST(ResNet50, Bf16PrecisionStaysCloseToFp32) {
  if (!nn::bf16_gemm_available()) GTEST_SKIP() << "no AVX512-BF16 in this build";
  ResNet50 net(weights());
  nn::test::check_bf16_against_fixture(net, "resnet50_generated.json");
}

TEST(ResNet50, RejectsBadInputSize) {
  static const ResNet50 net(weights());
  std::vector<float> input(3 * 224 * 224 - 1);
  EXPECT_THROW(net.run(input, 1, OutputRequest{true, false, false}), ShapeError);
}

std::string load_error(const nn::GeneratedWeights& w) {
  try {
    ResNet50 net(w);
  } catch (const ShapeError& e) {
    return e.what();
  }
  return "";
}

TEST(ResNet50, NamesMissingMisshapedAndExtraTensors) {
  nn::GeneratedWeights missing = weights();
  missing.erase("layer3.2.bn2.running_var");
  EXPECT_NE(load_error(missing).find("\"layer3.2.bn2.running_var\": missing"), std::string::npos) << load_error(missing);

  nn::GeneratedWeights misshaped = weights();
  misshaped.set("layer2.0.conv2.weight", {128, 128, 1, 1}, std::vector<float>(128 * 128));
  const std::string m = load_error(misshaped);
  EXPECT_NE(m.find("layer2.0.conv2.weight"), std::string::npos) << m;
  EXPECT_NE(m.find("[128, 128, 3, 3]"), std::string::npos) << m;
  EXPECT_NE(m.find("[128, 128, 1, 1]"), std::string::npos) << m;

  nn::GeneratedWeights extra = weights();
  extra.set("layer5.0.conv1.weight", {1}, {0.0f});
  extra.set("bn1.num_batches_tracked", {}, {0.0f});  // ignored, as torchvision's counters are
  const std::string x = load_error(extra);
  EXPECT_NE(x.find("layer5.0.conv1.weight"), std::string::npos) << x;
  EXPECT_EQ(x.find("num_batches_tracked"), std::string::npos) << x;
}

TEST(ModelZoo, FindsBothNetworksByName) {
  ASSERT_NE(find_model("RESNET50"), nullptr);
  EXPECT_EQ(find_model("resnet50")->preprocessing.resize_size, 256);
  ASSERT_NE(find_model("Inception_V3"), nullptr);
  EXPECT_EQ(find_model("inception_v3")->preprocessing.input_size, 299);
  EXPECT_EQ(find_model("inception_v3")->preprocessing.resize_size, 342);
  EXPECT_EQ(find_model("vgg16"), nullptr);
  EXPECT_THROW(load_model("vgg16", weights()), InvalidArgument);
}

}  // namespace
}  // namespace visiondb::models
