// Converting what users have (a torchvision .pth checkpoint or a .safetensors file, torchvision or
// timm naming) into visiondb's converted weights file; the library side of visiondb-convert.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "visiondb/nn/named_tensors.hpp"
#include "visiondb/nn/weights_file.hpp"

namespace visiondb::nn {

/// A checkpoint format, recognised by the file's first bytes.
enum class CheckpointFormat { Pth, Safetensors };

/// Reads a .pth or .safetensors file (chosen from its signature, not its name), fp32, with names
/// made canonical (canonical_tensor_name). `format` receives the format read when not null.
NamedTensors read_checkpoint(const std::string& path, CheckpointFormat* format = nullptr);

/// torchvision's name of a tensor from a torchvision or timm checkpoint: "module." / "model."
/// wrappers removed. timm's resnet50 and inception_v3 use torchvision's names (timm's models were
/// ported from torchvision), so nothing else changes; docs/weights-format.md lists the checks.
std::string canonical_tensor_name(std::string_view name);

/// One label per line (trailing '\r' and blank last line ignored); throws IoError naming the file.
std::vector<std::string> read_labels_file(const std::string& path);

struct ConvertOptions {
  std::string architecture;  ///< "resnet50" or "inception_v3"
  std::string labels_path;   ///< optional: one label per line, as many as the classifier has outputs
  std::optional<int> resize_size;                 ///< overrides the architecture's preset
  std::optional<std::array<float, 3>> mean, std;  ///< overrides (timm's Inception weights use 0.5)
  std::optional<bool> transform_input;            ///< overrides (Inception-v3 only)
};

/// What a conversion did, for the CLI to print.
struct ConvertReport {
  CheckpointFormat format = CheckpointFormat::Pth;
  std::size_t tensors_written = 0;
  uint64_t values_written = 0;
  uint64_t output_bytes = 0;
  std::vector<std::string> dropped;    ///< tensors not written (num_batches_tracked)
  std::vector<std::string> converted;  ///< "<n> tensors from F16", ...
  WeightsMetadata metadata;
};

/// Converts `input` into a weights file at `output`. Checks the tensors that identify the
/// architecture (stem convolution and classifier) and the label count; the networks check the
/// whole set when they load. Throws IoError / ShapeError / InvalidArgument naming the file or tensor.
ConvertReport convert_weights(const std::string& input, const std::string& output, const ConvertOptions& options);

}  // namespace visiondb::nn

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/nn/detail/weights_convert_impl.hpp"
#endif
