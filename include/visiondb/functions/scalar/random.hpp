// RAND(): a FLOAT64 in [0, 1), never constant-folded. Each Registry (so each Database) owns a
// RandomSource; `SET rand_seed = n` seeds it so that a query's RAND() values repeat exactly when
// it runs again after the same SET (run on one thread, SET threads = 1, for a fixed row order:
// every chunk draws its own stream in the order chunks reach the function). `SET rand_seed =
// NULL` goes back to an unpredictable seed.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>

#include "visiondb/functions/function.hpp"

namespace visiondb::fn {

/// The seed and stream counter behind RAND() for one Registry. Thread-safe.
class RandomSource {
 public:
  RandomSource();
  /// Seeds it (nullopt: a fresh unpredictable seed). Streams restart from the first.
  void seed(std::optional<uint64_t> seed);
  /// The starting state of the next stream (one per call of the kernel, i.e. per chunk).
  uint64_t next_stream();

 private:
  std::mutex mutex_;
  uint64_t seed_ = 0;
  uint64_t counter_ = 0;
};

struct RandFunction {
  static constexpr std::string_view name = "rand", doc = "RAND(): a random FLOAT64 in [0, 1); SET rand_seed = n repeats it";
  static FunctionSet overloads(std::shared_ptr<RandomSource> source);
};

}  // namespace visiondb::fn

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/functions/detail/random_impl.hpp"
#endif
