// The networks load from a converted weights file (.vdbw) as from any other WeightSource: the
// generated weights written to a file and read back give PyTorch's outputs.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

#include "network_check.hpp"
#include "visiondb/models/resnet50.hpp"
#include "visiondb/models/zoo.hpp"
#include "visiondb/nn/weights_file.hpp"

namespace visiondb::models {
namespace {

TEST(ConvertedWeights, ResNet50FromAVdbwFileMatchesPyTorch) {
  const nn::GeneratedWeights generated(ResNet50::tensor_specs(), 1);
  std::vector<nn::WeightsTensorToWrite> tensors;
  for (const auto& spec : ResNet50::tensor_specs()) tensors.push_back({spec.name, spec.shape, generated.tensor(spec.name, spec.shape)});
  const std::string path = std::string(VISIONDB_BINARY_DIR) + "/nn_test_resnet50_generated.vdbw";
  nn::write_weights_file(path, nn::WeightsMetadata::for_architecture("resnet50"), tensors);
  {
    const nn::WeightsFile file(path);
    EXPECT_EQ(file.metadata().architecture, "resnet50");
    auto net = load_model(file.metadata().architecture, file);
    nn::test::check_against_fixture(*net, "resnet50_generated.json");
  }
  std::remove(path.c_str());
}

}  // namespace
}  // namespace visiondb::models
