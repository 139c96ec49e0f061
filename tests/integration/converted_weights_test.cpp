// The weight-loading path end to end, on generated weights: a checkpoint written as .safetensors
// (as torchvision's state_dict would be saved) goes through the converter into a .vdbw file, and
// the network loaded from that file gives exactly the outputs of the network loaded from the
// generator itself (the generated values are checked against PyTorch in tests/nn).
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "visiondb/models/zoo.hpp"
#include "visiondb/nn/generated_weights.hpp"
#include "visiondb/nn/weights_convert.hpp"
#include "visiondb/nn/weights_file.hpp"

using namespace visiondb;

namespace {

namespace fs = std::filesystem;

fs::path scratch_dir() {
  fs::path dir = fs::temp_directory_path() / ("visiondb_integration_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  return dir;
}

// A .safetensors file: 8-byte little-endian header length, a JSON header, then the raw data.
void write_safetensors(const fs::path& path, const nn::WeightSource& source, const std::vector<nn::TensorSpec>& specs) {
  nlohmann::json header = nlohmann::json::object();
  header["__metadata__"] = {{"format", "pt"}};
  uint64_t offset = 0;
  for (const auto& s : specs) {
    uint64_t bytes = 4;
    for (auto d : s.shape) bytes *= static_cast<uint64_t>(d);
    header[s.name] = {{"dtype", "F32"}, {"shape", s.shape}, {"data_offsets", {offset, offset + bytes}}};
    offset += bytes;
  }
  std::string text = header.dump();
  std::ofstream out(path, std::ios::binary);
  uint64_t n = text.size();
  out.write(reinterpret_cast<const char*>(&n), 8);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  for (const auto& s : specs) {
    auto values = source.tensor(s.name, s.shape);
    out.write(reinterpret_cast<const char*>(values.data()), static_cast<std::streamsize>(values.size_bytes()));
  }
  ASSERT_TRUE(out.good()) << path;
}

void expect_same_outputs_through_the_converter(std::string_view arch) {
  const models::ModelEntry* entry = models::find_model(arch);
  ASSERT_NE(entry, nullptr);
  const auto specs = entry->tensor_specs();
  nn::GeneratedWeights generated(specs, /*seed=*/1);

  fs::path dir = scratch_dir();
  fs::path checkpoint = dir / (std::string(arch) + "_generated.safetensors");
  fs::path converted = dir / (std::string(arch) + ".vdbw");
  write_safetensors(checkpoint, generated, specs);

  nn::ConvertOptions options;
  options.architecture = std::string(arch);
  nn::ConvertReport report = nn::convert_weights(checkpoint.string(), converted.string(), options);
  EXPECT_EQ(report.format, nn::CheckpointFormat::Safetensors);
  EXPECT_EQ(report.tensors_written, specs.size());

  nn::WeightsFile file(converted.string());
  EXPECT_EQ(file.metadata().architecture, std::string(arch));
  auto from_generator = models::load_model(arch, generated);
  auto from_file = models::load_model(arch, file);

  const int size = entry->preprocessing.input_size;
  const std::vector<float> input = nn::generated_input(1, 3, size, size, /*seed=*/7);
  models::OutputRequest what{.logits = true, .probabilities = false, .embedding = true};
  models::Outputs a = from_generator->run(input, 1, what);
  models::Outputs b = from_file->run(input, 1, what);
  ASSERT_EQ(a.logits.size(), static_cast<size_t>(entry->num_classes));
  // Same fp32 values, same kernels: the outputs are identical, not merely close.
  EXPECT_EQ(a.logits, b.logits);
  EXPECT_EQ(a.embedding, b.embedding);
  fs::remove_all(dir);
}

}  // namespace

TEST(ConvertedWeights, ResNet50FromSafetensorsMatchesTheGenerator) { expect_same_outputs_through_the_converter("resnet50"); }

TEST(ConvertedWeights, InceptionV3FromSafetensorsMatchesTheGenerator) {
  expect_same_outputs_through_the_converter("inception_v3");
}
