// GeneratedWeights: deterministic network parameters from a counter-based generator, identical
// bit for bit to tools/make_nn_fixtures.py, so that tests compare against PyTorch without any
// weight file. The scaling keeps activations in a trained network's range (He-uniform convs,
// batch-norm statistics near identity, small gamma on the last BN of each residual branch).
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "visiondb/common/aligned_buffer.hpp"
#include "visiondb/config.hpp"
#include "visiondb/nn/weight_source.hpp"

namespace visiondb::nn {

/// A tensor's name and shape, as in a torchvision state_dict.
struct TensorSpec {
  std::string name;
  std::vector<int64_t> shape;
};

/// 64-bit FNV-1a of a string: the generator's per-tensor key.
uint64_t fnv1a64(std::string_view text) noexcept;

/// `count` values of the generator for `name`: float(double(u) * scale + offset), u in [-1, 1)
/// from splitmix64(key + (i + 1) * golden) with key = fnv1a64(name) ^ (seed * golden).
std::vector<float> generate_values(std::string_view name, std::size_t count, float scale, float offset, uint64_t seed);

/// The scale and offset the generator uses for a tensor, from its name and shape.
struct GenerationLaw {
  float scale = 0;
  float offset = 0;
};
GenerationLaw generation_law(std::string_view name, std::span<const int64_t> shape);

/// A generated input batch (NCHW, the tensor named "input"), as make_nn_fixtures.py builds it.
std::vector<float> generated_input(int n, int c, int h, int w, uint64_t seed = 1);

/// Every tensor of `specs`, generated at construction.
class GeneratedWeights final : public WeightSource {
 public:
  explicit GeneratedWeights(const std::vector<TensorSpec>& specs, uint64_t seed = 1);

  std::span<const float> tensor(std::string_view name, std::span<const int64_t> shape) const override;
  bool contains(std::string_view name) const override;
  std::vector<std::string> names() const override;
  std::string origin() const override;

  /// Replaces or adds a tensor (tests use it to plant bad shapes or extra names).
  void set(const std::string& name, std::vector<int64_t> shape, std::vector<float> values);
  /// Removes a tensor (tests use it to check the missing-tensor error).
  void erase(const std::string& name);

 private:
  struct Entry {
    std::vector<int64_t> shape;
    std::vector<float> values;
  };
  std::map<std::string, Entry, std::less<>> tensors_;
  uint64_t seed_;
};

}  // namespace visiondb::nn

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/nn/detail/generated_weights_impl.hpp"
#endif
