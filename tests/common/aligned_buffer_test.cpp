#include "visiondb/common/aligned_buffer.hpp"

#include <gtest/gtest.h>

#include <cstdint>

using namespace visiondb;

TEST(AlignedBuffer, IsAlignedZeroedAndKeepsContentsOnGrowth) {
  AlignedBuffer<float> b(13);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(b.data()) % kBufferAlignment, 0u);
  for (float v : b) EXPECT_EQ(v, 0.0f);
  for (size_t i = 0; i < b.size(); ++i) b[i] = float(i);
  b.resize(1000);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(b.data()) % kBufferAlignment, 0u);
  EXPECT_EQ(b[12], 12.0f);
  EXPECT_EQ(b[999], 0.0f);
  EXPECT_EQ(b.capacity() * sizeof(float) % kBufferAlignment, 0u);
  AlignedBuffer<float> c = b;
  EXPECT_EQ(c[5], 5.0f);
  AlignedBuffer<float> d = std::move(c);
  EXPECT_EQ(d.size(), 1000u);
  EXPECT_EQ(c.size(), 0u);
}
