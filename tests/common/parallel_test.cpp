#include "visiondb/common/parallel.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <numeric>
#include <vector>

using namespace visiondb;

TEST(Parallel, ForCoversEveryIndexOnce) {
  std::vector<std::atomic<int>> hits(10007);
  parallel_for(0, hits.size(), 64, [&](size_t b, size_t e) {
    for (size_t i = b; i < e; ++i) hits[i]++;
  });
  for (auto& h : hits) ASSERT_EQ(h.load(), 1);
}

TEST(Parallel, DeterministicReduceIsTheSameAtOneAndTwoThreads) {
  std::vector<float> v(100003);
  for (size_t i = 0; i < v.size(); ++i) v[i] = 1.0f / float(i + 1);
  auto sum = [&] {
    return parallel_deterministic_reduce(
        size_t{0}, v.size(), 1024, 0.0f,
        [&](size_t b, size_t e, float acc) {
          for (size_t i = b; i < e; ++i) acc += v[i];
          return acc;
        },
        [](float a, float b) { return a + b; });
  };
  TaskArena one(1), two(2);
  float a = one.execute(sum), b = two.execute(sum);
  EXPECT_EQ(a, b);
  EXPECT_EQ(one.threads(), 1);
}
