// Out-of-line parts of named_tensors.hpp.
#pragma once

#include "visiondb/common/error.hpp"
#include "visiondb/nn/named_tensors.hpp"

namespace visiondb::nn {

VISIONDB_INLINE int64_t shape_numel(std::span<const int64_t> shape) {
  int64_t n = 1;
  for (int64_t d : shape) {
    if (d < 0) visiondb::detail::throw_invalid_argument("negative tensor dimension " + std::to_string(d));
    if (d != 0 && n > (int64_t{1} << 62) / d) visiondb::detail::throw_invalid_argument("tensor too large");
    n *= d;
  }
  return n;
}

VISIONDB_INLINE void check_tensor_shape(std::string_view name, std::span<const int64_t> expected,
                                        std::span<const int64_t> actual) {
  if (expected.size() == actual.size() && std::equal(expected.begin(), expected.end(), actual.begin())) return;
  throw ShapeError(std::string(name), std::vector<int64_t>(expected.begin(), expected.end()),
                   std::vector<int64_t>(actual.begin(), actual.end()));
}

VISIONDB_INLINE void throw_missing_tensor(std::string_view name, std::string_view origin) {
  throw Error(ErrorKind::Shape, "tensor \"" + std::string(name) + "\" is missing from " + std::string(origin));
}

VISIONDB_INLINE void NamedTensors::add(NamedTensor tensor) {
  if (index_.count(tensor.name)) visiondb::detail::throw_invalid_argument("duplicate tensor \"" + tensor.name + "\"");
  if (static_cast<int64_t>(tensor.values.size()) != shape_numel(tensor.shape)) {
    visiondb::detail::throw_invalid_argument("tensor \"" + tensor.name + "\" holds " +
                                             std::to_string(tensor.values.size()) + " values for shape " +
                                             format_shape(tensor.shape));
  }
  index_.emplace(tensor.name, tensors_.size());
  tensors_.push_back(std::move(tensor));
}

VISIONDB_INLINE bool NamedTensors::remove(std::string_view name) {
  auto it = index_.find(std::string(name));
  if (it == index_.end()) return false;
  tensors_.erase(tensors_.begin() + static_cast<std::ptrdiff_t>(it->second));
  index_.clear();
  for (std::size_t i = 0; i < tensors_.size(); ++i) index_.emplace(tensors_[i].name, i);
  return true;
}

VISIONDB_INLINE const NamedTensor* NamedTensors::find(std::string_view name) const {
  auto it = index_.find(std::string(name));
  return it == index_.end() ? nullptr : &tensors_[it->second];
}

VISIONDB_INLINE std::span<const float> NamedTensors::tensor(std::string_view name,
                                                            std::span<const int64_t> shape) const {
  const NamedTensor* t = find(name);
  if (!t) throw_missing_tensor(name, origin_);
  check_tensor_shape(name, shape, t->shape);
  return t->values.span();
}

VISIONDB_INLINE std::vector<std::string> NamedTensors::names() const {
  std::vector<std::string> out;
  out.reserve(tensors_.size());
  for (const auto& t : tensors_) out.push_back(t.name);
  return out;
}

}  // namespace visiondb::nn
