// The ml_sql tests' files (the stb_image_write implementation lives in this TU only).
#include "ml_sql/cnn_fixture.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>

#include "visiondb/image/decode.hpp"
#include "visiondb/image/preprocess.hpp"
#include "visiondb/models/inception_v3.hpp"
#include "visiondb/models/resnet50.hpp"
#include "visiondb/nn/generated_weights.hpp"

#include "visiondb/image/encode.hpp"

namespace visiondb::test {
namespace {

std::vector<uint8_t> pattern(int width, int height, int channels, int seed) {
  std::vector<uint8_t> px(size_t(width) * size_t(height) * size_t(channels));
  uint32_t state = 0x9e3779b9u * static_cast<uint32_t>(seed + 1);
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x)
      for (int c = 0; c < channels; ++c) {
        state = state * 1664525u + 1013904223u;
        // Smooth gradients plus some noise: resizing has real work to do.
        int v = (x * (3 + c) + y * (5 - c) + seed * 41) % 256;
        v = (v + static_cast<int>(state >> 28)) % 256;
        px[(size_t(y) * size_t(width) + size_t(x)) * size_t(channels) + size_t(c)] = static_cast<uint8_t>(v);
      }
  return px;
}

void write_weights(const std::string& path, const std::string& architecture, std::vector<nn::TensorSpec> specs,
                   uint64_t seed, bool labels) {
  const nn::GeneratedWeights generated(specs, seed);
  std::vector<nn::WeightsTensorToWrite> tensors;
  for (const auto& s : specs) tensors.push_back({s.name, s.shape, generated.tensor(s.name, s.shape)});
  nn::WeightsMetadata meta = nn::WeightsMetadata::for_architecture(architecture);
  meta.num_classes = 1000;
  meta.source_format = "generated";
  if (labels)
    for (int i = 0; i < 1000; ++i) meta.labels.push_back("class_" + std::to_string(i));
  nn::write_weights_file(path, meta, tensors);
}

struct Owner {
  CnnFiles files;
  ~Owner() {
    std::error_code ec;
    if (!files.dir.empty()) std::filesystem::remove_all(files.dir, ec);
  }
};

}  // namespace

void write_png(const std::string& path, int width, int height, int channels, int seed) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  const auto px = pattern(width, height, channels, seed);
  img::write_image_file(path, px.data(), width, height, channels, img::ImageFileFormat::Png);
}

const CnnFiles& cnn_files() {
  static Owner owner = [] {
    Owner o;
    CnnFiles& f = o.files;
    f.dir = (std::filesystem::temp_directory_path() / ("visiondb_ml_sql_test_" + std::to_string(::getpid()))).string();
    std::filesystem::remove_all(f.dir);
    std::filesystem::create_directories(f.dir);
    f.resnet50 = f.dir + "/resnet50.vdbw";
    f.inception_v3 = f.dir + "/inception_v3.vdbw";
    write_weights(f.resnet50, "resnet50", models::ResNet50::tensor_specs(), 1, true);
    write_weights(f.inception_v3, "inception_v3", models::InceptionV3::tensor_specs(), 2, false);
    f.images = f.dir + "/images";
    // Several sizes (landscape, portrait, smaller than the crop), gray, RGBA, and three formats.
    write_png(f.images + "/a_rgb.png", 300, 200, 3, 1);
    write_png(f.images + "/b_portrait.png", 180, 260, 3, 2);
    write_png(f.images + "/c_gray.png", 240, 240, 1, 3);
    write_png(f.images + "/d_rgba.png", 320, 240, 4, 4);
    write_png(f.images + "/e_small.png", 120, 90, 3, 5);
    {
      const auto px = pattern(257, 230, 3, 6);
      img::write_image_file(f.images + "/f_photo.jpg", px.data(), 257, 230, 3, img::ImageFileFormat::Jpeg);
      const auto px2 = pattern(200, 199, 3, 7);
      img::write_image_file(f.images + "/g_bitmap.bmp", px2.data(), 200, 199, 3, img::ImageFileFormat::Bmp);
    }
    for (const auto& e : std::filesystem::directory_iterator(f.images)) f.image_paths.push_back(e.path().string());
    std::sort(f.image_paths.begin(), f.image_paths.end());
    return o;
  }();
  return owner.files;
}

std::unique_ptr<models::Network> load_network(const nn::WeightsFile& weights) {
  if (weights.metadata().architecture == "resnet50") return std::make_unique<models::ResNet50>(weights);
  return std::make_unique<models::InceptionV3>(weights, weights.metadata().transform_input);
}

models::Outputs reference_outputs(const nn::WeightsFile& weights, const models::Network& net,
                                  const std::vector<std::string>& paths) {
  const nn::WeightsMetadata& m = weights.metadata();
  img::PreprocessParams p;
  p.resize_shorter = m.resize_size;
  p.crop_height = m.input_height;
  p.crop_width = m.input_width;
  p.mean = m.mean;
  p.std = m.std;
  std::vector<float> batch(paths.size() * p.output_size());
  for (size_t i = 0; i < paths.size(); ++i) {
    const img::Image image = img::decode_image_file(paths[i]);
    img::preprocess_image(image, p, std::span<float>(batch.data() + i * p.output_size(), p.output_size()));
  }
  return net.run(batch, paths.size(), {.logits = true, .probabilities = true, .embedding = true});
}

std::string sql_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

}  // namespace visiondb::test
