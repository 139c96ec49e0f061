// Out-of-line parts of scalar/random.hpp.
#pragma once

#include <random>

#include "visiondb/config.hpp"
#include "visiondb/functions/scalar/random.hpp"

namespace visiondb::fn {

namespace detail {
// splitmix64 [Steele, Lea, Flood 2014]: a full-period 64-bit generator with good mixing.
inline uint64_t splitmix64(uint64_t& state) noexcept {
  uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

class RandFunctionImpl final : public ScalarFunction {
 public:
  explicit RandFunctionImpl(std::shared_ptr<RandomSource> source)
      : ScalarFunction("rand", {}, LogicalType::float64()), source_(std::move(source)) {}
  bool deterministic() const override { return false; }
  void execute(std::span<const ColumnView>, size_t n, Column& out, const FunctionContext&) const override {
    uint64_t state = source_->next_stream();
    out.resize(n);
    double* o = out.data<double>();
    for (size_t i = 0; i < n; ++i) o[i] = static_cast<double>(splitmix64(state) >> 11) * 0x1.0p-53;
  }

 private:
  std::shared_ptr<RandomSource> source_;
};
}  // namespace detail

VISIONDB_INLINE RandomSource::RandomSource() { seed(std::nullopt); }

VISIONDB_INLINE void RandomSource::seed(std::optional<uint64_t> seed) {
  std::lock_guard lock(mutex_);
  if (seed) {
    seed_ = *seed;
  } else {
    std::random_device rd;
    seed_ = (static_cast<uint64_t>(rd()) << 32) ^ rd();
  }
  counter_ = 0;
}

VISIONDB_INLINE uint64_t RandomSource::next_stream() {
  std::lock_guard lock(mutex_);
  uint64_t s = seed_ ^ (0xD1B54A32D192ED03ull * ++counter_);
  return detail::splitmix64(s);
}

VISIONDB_INLINE FunctionSet RandFunction::overloads(std::shared_ptr<RandomSource> source) {
  return {std::make_shared<detail::RandFunctionImpl>(std::move(source))};
}

}  // namespace visiondb::fn
