// Shared files of the ml_sql tests, written once per test run into a scratch folder: converted
// weights files (.vdbw) of ResNet-50 (with labels) and Inception-v3 (without) from the
// deterministic generator, a folder of PNG/JPEG/BMP images of several sizes and channel counts,
// and the references (the networks run directly, outside SQL).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "visiondb/models/network.hpp"
#include "visiondb/nn/weights_file.hpp"

namespace visiondb::test {

struct CnnFiles {
  std::string dir;              ///< the scratch folder (removed at exit)
  std::string resnet50;         ///< resnet50.vdbw, 1000 labels "class_0".."class_999"
  std::string inception_v3;     ///< inception_v3.vdbw, no labels
  std::string images;           ///< folder of the images
  std::vector<std::string> image_paths;  ///< sorted by path
};

/// The files, written on first use.
const CnnFiles& cnn_files();

/// The network of a weights file, loaded directly (models::ResNet50 / InceptionV3).
std::unique_ptr<models::Network> load_network(const nn::WeightsFile& weights);

/// The reference outputs of `net` for the image files: each decoded as RGB, preprocessed with the
/// file's own preprocessing, then run as one batch with every output requested.
models::Outputs reference_outputs(const nn::WeightsFile& weights, const models::Network& net,
                                  const std::vector<std::string>& paths);

/// Writes a small PNG (width x height, `channels`) with a pattern that depends on `seed`.
void write_png(const std::string& path, int width, int height, int channels, int seed);

/// The SQL string literal of a path.
std::string sql_quote(const std::string& s);

}  // namespace visiondb::test
