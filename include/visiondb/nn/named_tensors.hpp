// NamedTensors: an in-memory set of named fp32 tensors, what the .pth and .safetensors readers
// produce and what the converter writes; also a WeightSource, so that a network can load from it.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "visiondb/common/aligned_buffer.hpp"
#include "visiondb/common/error.hpp"
#include "visiondb/nn/weight_source.hpp"

namespace visiondb::nn {

/// One tensor: its name, shape, values (row-major fp32) and the dtype it was stored in.
struct NamedTensor {
  std::string name;
  std::vector<int64_t> shape;
  AlignedBuffer<float> values;
  std::string source_dtype;  ///< "F32", "F16", "BF16", "F64", "I64", ... as read from the file
};

/// An ordered set of named tensors (file order is kept).
class NamedTensors final : public WeightSource {
 public:
  explicit NamedTensors(std::string origin = "memory") : origin_(std::move(origin)) {}

  /// Adds a tensor; throws InvalidArgument for a duplicate name or a size that does not match the shape.
  void add(NamedTensor tensor);
  /// Removes a tensor; returns false when absent.
  bool remove(std::string_view name);
  /// Renames every tensor through `rename` (an empty result drops the tensor).
  template <class F>
  void rename_all(F&& rename) {
    std::vector<NamedTensor> old = std::move(tensors_);
    tensors_.clear();
    index_.clear();
    for (auto& t : old) {
      std::string n = rename(std::string_view(t.name));
      if (n.empty()) continue;
      t.name = std::move(n);
      add(std::move(t));
    }
  }

  const std::vector<NamedTensor>& tensors() const noexcept { return tensors_; }
  const NamedTensor* find(std::string_view name) const;
  std::size_t size() const noexcept { return tensors_.size(); }

  std::span<const float> tensor(std::string_view name, std::span<const int64_t> shape) const override;
  bool contains(std::string_view name) const override { return find(name) != nullptr; }
  std::vector<std::string> names() const override;
  std::string origin() const override { return origin_; }

 private:
  std::string origin_;
  std::vector<NamedTensor> tensors_;
  std::unordered_map<std::string, std::size_t> index_;
};

/// Number of elements of a shape (1 for a scalar); throws InvalidArgument on a negative dimension
/// or an overflow past 2^62.
int64_t shape_numel(std::span<const int64_t> shape);

/// Checks that a tensor called `name` with shape `actual` has shape `expected`, throwing
/// ShapeError naming the tensor and both shapes otherwise.
void check_tensor_shape(std::string_view name, std::span<const int64_t> expected, std::span<const int64_t> actual);

/// The error a WeightSource throws for a tensor it does not hold (visiondb::Error, kind Shape).
[[noreturn]] void throw_missing_tensor(std::string_view name, std::string_view origin);

}  // namespace visiondb::nn

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/nn/detail/named_tensors_impl.hpp"
#endif
