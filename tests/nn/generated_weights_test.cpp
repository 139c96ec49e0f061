#include "visiondb/nn/generated_weights.hpp"

#include <gtest/gtest.h>

#include "nn_test_util.hpp"
#include "visiondb/common/error.hpp"
#include "visiondb/models/resnet50.hpp"

namespace visiondb::nn {
namespace {

// The C++ generator gives the same floats as tools/make_nn_fixtures.py, bit for bit.
TEST(GeneratedWeights, MatchesThePythonGenerator) {
  for (const char* file : {"resnet50_generated.json", "inception_v3_generated.json"}) {
    const auto fx = test::load_fixture(file);
    const auto& check = fx.at("generator_check");
    const uint64_t seed = fx.at("generator").at("seed").get<uint64_t>();
    for (const auto& [name, entry] : check.items()) {
      const auto want = test::fixture_floats(entry);
      std::vector<float> got;
      if (name == "input") {
        got = generated_input(1, 3, 2, 4, seed);
      } else {
        // The fixture holds the first 8 values; the law depends on the full shape.
        std::vector<TensorSpec> specs =
            std::string(file).rfind("resnet", 0) == 0 ? models::ResNet50::tensor_specs() : std::vector<TensorSpec>{};
        if (specs.empty()) {
          if (name == "fc.bias") specs.push_back({"fc.bias", {1000}});
          else specs.push_back({name, {32, 3, 3, 3}});  // Conv2d_1a_3x3.conv.weight
        }
        for (const auto& s : specs)
          if (s.name == name) {
            const GenerationLaw law = generation_law(s.name, s.shape);
            got = generate_values(s.name, 8, law.scale, law.offset, seed);
          }
      }
      ASSERT_EQ(got.size(), want.size()) << name;
      for (std::size_t i = 0; i < want.size(); ++i) EXPECT_EQ(got[i], want[i]) << file << " " << name << "[" << i << "]";
    }
  }
}

TEST(GeneratedWeights, ReportsMissingAndMisshapedTensors) {
  GeneratedWeights w({{"a.weight", {2, 3, 1, 1}}});
  const int64_t good[] = {2, 3, 1, 1}, bad[] = {3, 2, 1, 1};
  EXPECT_EQ(w.tensor("a.weight", good).size(), 6u);
  EXPECT_THROW(w.tensor("a.weight", bad), ShapeError);
  EXPECT_THROW(w.tensor("b.weight", good), ShapeError);
  EXPECT_EQ(w.origin(), "generated(seed=1)");
}

}  // namespace
}  // namespace visiondb::nn
