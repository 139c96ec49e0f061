// The generated inputs of the image flows (tools/demo, tests/yoga/, tools/bench_e2e.sh), the same
// bytes on every run and machine: a yoga-like image folder, generated network weights as a .vdbw,
// and the labels of a .vdbw as a CSV table. Compiled into visiondb-demo-data and into the tests.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "visiondb/nn/weights_file.hpp"

namespace visiondb::demo {

/// The poses of the blog's dataset.
inline const std::vector<std::string> kBlogPoses = {"downdog", "goddess", "plank", "tree", "warrior2"};

/// Writes DIR/<pose>/<pose>_NNN.{jpg,png} (NNN from 001): a stick figure in the pose over a room,
/// 256..480 px wide; every fourth image a PNG (every other one of those RGBA), the rest JPEGs
/// (quality 90). Returns the paths written, relative to DIR. Throws IoError / InvalidArgument.
std::vector<std::string> write_yoga_images(const std::string& dir, int per_class, const std::vector<std::string>& poses);

/// Writes the generated weights of `arch` (nn::GeneratedWeights with `seed`: the values
/// tools/make_nn_fixtures.py gives PyTorch) to `out` as a .vdbw, with the labels of `labels_path`
/// (one per line) or, when it is empty, "class_000" ... Returns the metadata written.
nn::WeightsMetadata write_generated_weights(const std::string& out, const std::string& arch, uint64_t seed,
                                            const std::string& labels_path = "");

/// Writes the labels a .vdbw carries as CSV with a header: class_index (0-based), label. Returns
/// the number of labels; throws IoError naming the file when it carries none.
std::size_t write_labels_csv(const std::string& weights, const std::string& out);

}  // namespace visiondb::demo
