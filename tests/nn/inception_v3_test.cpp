#include "visiondb/models/inception_v3.hpp"

#include <gtest/gtest.h>

#include "network_check.hpp"
#include "visiondb/common/error.hpp"
#include "visiondb/nn/kernels/gemm_bf16.hpp"

namespace visiondb::models {
namespace {

TEST(InceptionV3, MatchesPyTorchOnGeneratedWeights) {
  nn::GeneratedWeights w(InceptionV3::tensor_specs(), 1);
  // torchvision's checkpoints carry the auxiliary head: it is accepted and skipped.
  w.set("AuxLogits.fc.bias", {1000}, std::vector<float>(1000));
  InceptionV3 net(w);
  EXPECT_FALSE(net.winograd());  // an explicit option
  nn::test::check_against_fixture(net, "inception_v3_generated.json");
  net.set_winograd(true);
  nn::test::check_against_fixture(net, "inception_v3_generated.json");
  if (nn::bf16_gemm_available()) nn::test::check_bf16_against_fixture(net, "inception_v3_generated.json");
}

}  // namespace
}  // namespace visiondb::models
