// Out-of-line parts of generated_weights.hpp. Mirrors tools/make_nn_fixtures.py exactly.
#pragma once

#include <cmath>

#include "visiondb/common/error.hpp"
#include "visiondb/nn/generated_weights.hpp"

namespace visiondb::nn {

namespace detail {
inline constexpr uint64_t kGolden = 0x9E3779B97F4A7C15ull;
inline constexpr float kResidualGamma = 0.3f;
inline constexpr float kInputScale = 1.7f;

inline bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}
// The component before the last dot ("layer1.0.bn3.weight" -> "bn3").
inline std::string_view parent_component(std::string_view name) {
  auto last = name.rfind('.');
  if (last == std::string_view::npos) return {};
  auto prev = name.rfind('.', last - 1);
  return prev == std::string_view::npos ? name.substr(0, last) : name.substr(prev + 1, last - prev - 1);
}
inline bool is_batch_norm(std::string_view name) {
  std::string_view parent = parent_component(name);
  return parent.substr(0, 2) == "bn" || (parent == "1" && name.find("downsample") != std::string_view::npos);
}
}  // namespace detail

VISIONDB_INLINE uint64_t fnv1a64(std::string_view text) noexcept {
  uint64_t h = 0xCBF29CE484222325ull;
  for (unsigned char ch : text) {
    h ^= ch;
    h *= 0x100000001B3ull;
  }
  return h;
}

VISIONDB_INLINE std::vector<float> generate_values(std::string_view name, std::size_t count, float scale, float offset,
                                                   uint64_t seed) {
  const uint64_t key = fnv1a64(name) ^ (seed * detail::kGolden);
  const double s = scale, o = offset;
  std::vector<float> out(count);
  for (std::size_t i = 0; i < count; ++i) {
    uint64_t z = key + (static_cast<uint64_t>(i) + 1) * detail::kGolden;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    z ^= z >> 31;
    // 24 random bits, exactly representable: the same float in C++ and numpy.
    const float u = static_cast<float>(static_cast<int64_t>(z >> 40) - (int64_t{1} << 23)) * (1.0f / (1 << 23));
    // u * s is exact in double, so a fused multiply-add rounds the same way as the separate ops.
    out[i] = static_cast<float>(static_cast<double>(u) * s + o);
  }
  return out;
}

VISIONDB_INLINE GenerationLaw generation_law(std::string_view name, std::span<const int64_t> shape) {
  auto f = [](double v) { return static_cast<float>(v); };
  const std::string_view leaf = name.substr(name.rfind('.') == std::string_view::npos ? 0 : name.rfind('.') + 1);
  if (leaf == "weight" && shape.size() == 4) return {f(std::sqrt(6.0 / static_cast<double>(shape[1] * shape[2] * shape[3]))), 0};
  if (leaf == "weight" && shape.size() == 2) return {f(std::sqrt(3.0 / static_cast<double>(shape[1]))), 0};
  const bool bn = detail::is_batch_norm(name);
  if (leaf == "bias" && !bn) return {0.01f, 0};
  if (leaf == "weight") return detail::parent_component(name) == "bn3" ? GenerationLaw{0.1f, detail::kResidualGamma}
                                                                         : GenerationLaw{0.2f, 1.0f};
  if (leaf == "bias") return {0.1f, 0};
  if (leaf == "running_mean") return {0.1f, 0};
  if (leaf == "running_var") return {0.25f, 1.0f};
  throw ShapeError(std::string(name), "no generation law for this tensor");
}

VISIONDB_INLINE std::vector<float> generated_input(int n, int c, int h, int w, uint64_t seed) {
  return generate_values("input", static_cast<std::size_t>(n) * c * h * w, detail::kInputScale, 0.0f, seed);
}

VISIONDB_INLINE GeneratedWeights::GeneratedWeights(const std::vector<TensorSpec>& specs, uint64_t seed) : seed_(seed) {
  for (const TensorSpec& spec : specs) {
    std::size_t count = 1;
    for (int64_t d : spec.shape) count *= static_cast<std::size_t>(d);
    GenerationLaw law = generation_law(spec.name, spec.shape);
    tensors_[spec.name] = Entry{spec.shape, generate_values(spec.name, count, law.scale, law.offset, seed)};
  }
}

VISIONDB_INLINE std::span<const float> GeneratedWeights::tensor(std::string_view name,
                                                                std::span<const int64_t> shape) const {
  auto it = tensors_.find(name);
  if (it == tensors_.end()) throw ShapeError(std::string(name), "missing from " + origin());
  std::vector<int64_t> expected(shape.begin(), shape.end());
  if (it->second.shape != expected) throw ShapeError(std::string(name), expected, it->second.shape);
  return it->second.values;
}

VISIONDB_INLINE bool GeneratedWeights::contains(std::string_view name) const { return tensors_.find(name) != tensors_.end(); }

VISIONDB_INLINE std::vector<std::string> GeneratedWeights::names() const {
  std::vector<std::string> out;
  out.reserve(tensors_.size());
  for (const auto& kv : tensors_) out.push_back(kv.first);
  return out;
}

VISIONDB_INLINE std::string GeneratedWeights::origin() const { return "generated(seed=" + std::to_string(seed_) + ")"; }

VISIONDB_INLINE void GeneratedWeights::set(const std::string& name, std::vector<int64_t> shape, std::vector<float> values) {
  tensors_[name] = Entry{std::move(shape), std::move(values)};
}

VISIONDB_INLINE void GeneratedWeights::erase(const std::string& name) { tensors_.erase(name); }

}  // namespace visiondb::nn
