// Out-of-line parts of weights_convert.hpp.
#pragma once

#include <cstring>
#include <fstream>
#include <map>

#include "visiondb/common/error.hpp"
#include "visiondb/nn/detail/mapped_file.hpp"
#include "visiondb/nn/detail/sha256.hpp"
#include "visiondb/nn/pth_reader.hpp"
#include "visiondb/nn/safetensors_reader.hpp"
#include "visiondb/nn/weights_convert.hpp"

namespace visiondb::nn {

VISIONDB_INLINE std::string canonical_tensor_name(std::string_view name) {
  for (std::string_view prefix : {"module.", "model."})
    if (name.substr(0, prefix.size()) == prefix) name.remove_prefix(prefix.size());
  return std::string(name);
}

namespace detail {
inline NamedTensors read_checkpoint_bytes(std::span<const uint8_t> bytes, const std::string& path,
                                          CheckpointFormat* format) {
  NamedTensors tensors(path);
  CheckpointFormat f;
  if (bytes.size() >= 4 && std::memcmp(bytes.data(), "PK\x03\x04", 4) == 0) {
    f = CheckpointFormat::Pth;
    tensors = read_pth(bytes, path);
  } else if (bytes.size() >= 2 && bytes[0] == 0x80 && bytes[1] <= 5) {
    f = CheckpointFormat::Pth;
    tensors = read_pth(bytes, path);  // names the legacy format
  } else if (bytes.size() >= 9 && bytes[8] == '{') {
    f = CheckpointFormat::Safetensors;
    tensors = read_safetensors(bytes, path);
  } else {
    visiondb::detail::throw_io_error(path, "neither a torch.save checkpoint (.pth) nor a .safetensors file");
  }
  if (format) *format = f;
  tensors.rename_all([](std::string_view n) { return canonical_tensor_name(n); });
  return tensors;
}
}  // namespace detail

VISIONDB_INLINE NamedTensors read_checkpoint(const std::string& path, CheckpointFormat* format) {
  const detail::MappedFile file(path);
  return detail::read_checkpoint_bytes(file.bytes(), path, format);
}

VISIONDB_INLINE std::vector<std::string> read_labels_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) visiondb::detail::throw_io_error(path, "cannot open the labels file");
  std::vector<std::string> labels;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    labels.push_back(line);
  }
  while (!labels.empty() && labels.back().empty()) labels.pop_back();
  if (labels.empty()) visiondb::detail::throw_io_error(path, "the labels file is empty");
  return labels;
}

VISIONDB_INLINE ConvertReport convert_weights(const std::string& input, const std::string& output,
                                              const ConvertOptions& options) {
  ConvertReport report;
  WeightsMetadata meta = WeightsMetadata::for_architecture(options.architecture);
  const detail::MappedFile file(input);
  NamedTensors tensors = detail::read_checkpoint_bytes(file.bytes(), input, &report.format);

  // The tensors that tell the two architectures apart, and the classifier's width.
  struct Key {
    const char* name;
    std::vector<int64_t> shape;  // -1: any
  };
  const bool resnet = options.architecture == "resnet50";
  const std::vector<Key> keys =
      resnet ? std::vector<Key>{{"conv1.weight", {64, 3, 7, 7}}, {"layer4.2.conv3.weight", {2048, 512, 1, 1}},
                                {"fc.weight", {-1, 2048}}}
             : std::vector<Key>{{"Conv2d_1a_3x3.conv.weight", {32, 3, 3, 3}},
                                {"Mixed_7c.branch_pool.conv.weight", {192, 2048, 1, 1}},
                                {"fc.weight", {-1, 2048}}};
  for (const auto& key : keys) {
    const NamedTensor* t = tensors.find(key.name);
    if (!t) {
      visiondb::detail::throw_io_error(input, "does not hold a " + options.architecture + " network: tensor \"" +
                                                  key.name + "\" is missing");
    }
    std::vector<int64_t> expected = key.shape;
    for (size_t d = 0; d < expected.size() && d < t->shape.size(); ++d)
      if (expected[d] < 0) expected[d] = t->shape[d];
    check_tensor_shape(key.name, expected, t->shape);
  }
  meta.num_classes = static_cast<int>(tensors.find("fc.weight")->shape[0]);
  const NamedTensor* fc_bias = tensors.find("fc.bias");
  if (!fc_bias) visiondb::detail::throw_io_error(input, "tensor \"fc.bias\" is missing");
  check_tensor_shape("fc.bias", std::vector<int64_t>{meta.num_classes}, fc_bias->shape);

  if (!options.labels_path.empty()) {
    meta.labels = read_labels_file(options.labels_path);
    if (static_cast<int>(meta.labels.size()) != meta.num_classes) {
      visiondb::detail::throw_io_error(options.labels_path,
                                       "has " + std::to_string(meta.labels.size()) + " labels, the classifier has " +
                                           std::to_string(meta.num_classes) + " outputs");
    }
  }
  if (options.resize_size) meta.resize_size = *options.resize_size;
  if (options.mean) meta.mean = *options.mean;
  if (options.std) meta.std = *options.std;
  if (options.transform_input) meta.transform_input = *options.transform_input;
  const size_t slash = input.find_last_of('/');
  meta.source_file = slash == std::string::npos ? input : input.substr(slash + 1);
  meta.source_sha256 = detail::sha256_hex(file.bytes());
  meta.source_format = report.format == CheckpointFormat::Pth ? "pth" : "safetensors";

  std::vector<WeightsTensorToWrite> out;
  std::map<std::string, size_t> from_dtype;
  for (const auto& t : tensors.tensors()) {
    const std::string_view n = t.name;
    if (n.size() >= 19 && n.substr(n.size() - 19) == "num_batches_tracked") {
      report.dropped.push_back(t.name);  // training bookkeeping, unused at inference
      continue;
    }
    if (t.source_dtype != "F32") ++from_dtype[t.source_dtype];
    out.push_back({t.name, t.shape, t.values.span()});
    report.values_written += t.values.size();
  }
  for (const auto& [dtype, count] : from_dtype)
    report.converted.push_back(std::to_string(count) + " tensors from " + dtype);
  write_weights_file(output, meta, out);
  report.tensors_written = out.size();
  report.metadata = std::move(meta);
  report.output_bytes = detail::MappedFile(output).size();
  return report;
}

}  // namespace visiondb::nn
