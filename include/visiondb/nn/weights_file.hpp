// visiondb's converted weights (.vdbw): one memory-mappable file holding a network's fp32 tensors
// (torchvision state_dict names, row-major, 64-byte aligned, each with an XXH64 checksum) and a
// JSON metadata block (architecture, input and resize size, mean/std, labels, source, converter).
// The layout is specified in docs/weights-format.md.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "visiondb/common/error.hpp"
#include "visiondb/nn/detail/mapped_file.hpp"
#include "visiondb/nn/weight_source.hpp"

namespace visiondb::nn {

/// The file's magic bytes and the one version this build reads and writes.
inline constexpr char kWeightsMagic[8] = {'\x89', 'V', 'D', 'B', 'W', '\r', '\n', '\x1a'};
inline constexpr uint32_t kWeightsVersion = 1;
/// Alignment of every tensor's data in the file.
inline constexpr uint64_t kWeightsAlignment = 64;

/// What a converted file says about its network, besides the tensors.
struct WeightsMetadata {
  std::string architecture;  ///< "resnet50" or "inception_v3"
  int input_height = 224;
  int input_width = 224;
  int resize_size = 256;  ///< the shorter side before the center crop
  std::array<float, 3> mean{0.485f, 0.456f, 0.406f};
  std::array<float, 3> std{0.229f, 0.224f, 0.225f};
  bool transform_input = false;  ///< torchvision Inception-v3's re-normalisation of its input
  int num_classes = 0;
  std::vector<std::string> labels;  ///< empty, or num_classes names
  std::string source_file;          ///< the checkpoint converted (file name)
  std::string source_sha256;
  std::string source_format;  ///< "pth", "safetensors" or "generated"
  std::string converter_version;

  /// torchvision's presets for an architecture ("resnet50": 256/224; "inception_v3": 342/299 and
  /// transform_input); throws InvalidArgument for another name.
  static WeightsMetadata for_architecture(std::string_view architecture);
  /// The metadata as the file's JSON block.
  std::string to_json() const;
  /// Parses a JSON block; throws InvalidArgument naming the field that is missing or wrong.
  static WeightsMetadata from_json(std::string_view json);
};

/// One entry of the tensor table.
struct WeightsTensorInfo {
  std::string name;
  std::vector<int64_t> shape;
  uint64_t offset = 0;  ///< from the start of the file, a multiple of 64
  uint64_t bytes = 0;   ///< 4 * number of elements
  uint64_t xxh64 = 0;   ///< XXH64 (seed 0) of the tensor's bytes
};

struct WeightsOpenOptions {
  /// Verify every tensor's checksum at open (in parallel); costs a read of the whole file.
  bool verify_checksums = true;
};

/// A converted weights file, memory-mapped read-only.
class WeightsFile final : public WeightSource {
 public:
  /// Opens and validates `path`: magic, version, sizes, header checksum, table bounds and
  /// alignment, and (by default) every tensor's checksum. Throws IoError naming the file and the
  /// problem (truncated, corrupt, not a weights file, unsupported version).
  explicit WeightsFile(const std::string& path, const WeightsOpenOptions& options = {});

  const WeightsMetadata& metadata() const noexcept { return metadata_; }
  /// The raw JSON metadata block (fields this build does not know included).
  const std::string& metadata_json() const noexcept { return metadata_json_; }
  const std::vector<WeightsTensorInfo>& tensor_infos() const noexcept { return infos_; }
  const WeightsTensorInfo* find(std::string_view name) const;
  /// The data of a tensor whatever its shape (throws Error kind Shape when missing).
  std::span<const float> data(std::string_view name) const;
  /// Re-reads every tensor and checks its checksum; throws IoError naming the first bad tensor.
  void verify_checksums() const;
  /// The file's size in bytes.
  std::size_t file_size() const noexcept { return file_.size(); }

  std::span<const float> tensor(std::string_view name, std::span<const int64_t> shape) const override;
  bool contains(std::string_view name) const override { return find(name) != nullptr; }
  std::vector<std::string> names() const override;
  std::string origin() const override { return "\"" + file_.path() + "\""; }

 private:
  detail::MappedFile file_;
  WeightsMetadata metadata_;
  std::string metadata_json_;
  std::vector<WeightsTensorInfo> infos_;
  std::unordered_map<std::string, std::size_t> index_;
};

/// A tensor to write: name, shape and row-major fp32 values.
struct WeightsTensorToWrite {
  std::string name;
  std::vector<int64_t> shape;
  std::span<const float> values;
};

/// Writes a converted weights file: to a temporary file beside `path`, flushed and fsync'd, then
/// renamed over `path`, so that `path` is never left half-written. Throws InvalidArgument for a
/// tensor whose values do not match its shape or a duplicate name, IoError when writing fails.
void write_weights_file(const std::string& path, const WeightsMetadata& metadata,
                        std::span<const WeightsTensorToWrite> tensors);

}  // namespace visiondb::nn

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/nn/detail/weights_file_impl.hpp"
#endif
