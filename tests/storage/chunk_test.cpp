#include "visiondb/storage/chunk.hpp"

#include <gtest/gtest.h>

using namespace visiondb;

TEST(ChunkBuilder, SplitsIntoVectorSizedChunks) {
  ChunkBuilder b({LogicalType::int64(), LogicalType::string()});
  const size_t n = 2 * kVectorSize + 5;
  for (size_t i = 0; i < n; ++i) b.append_row({Value::int64(int64_t(i)), Value::string("r" + std::to_string(i))});
  auto chunks = b.finish();
  ASSERT_EQ(chunks.size(), 3u);
  EXPECT_EQ(chunks[0]->size(), kVectorSize);
  EXPECT_EQ(chunks[2]->size(), 5u);
  EXPECT_EQ(chunks[2]->get(1, 4), Value::string("r" + std::to_string(n - 1)));
}

TEST(Chunk, SelectionSelectsWithoutCopying) {
  Column c(LogicalType::int64());
  for (int i = 0; i < 10; ++i) c.append_int64(i * 10);
  Chunk ch({std::make_shared<const Column>(std::move(c))}, 10);
  ch.set_selection(std::make_shared<const SelectionVector>(SelectionVector{1, 5, 9}));
  EXPECT_EQ(ch.size(), 3u);
  EXPECT_EQ(ch.physical_size(), 10u);
  EXPECT_EQ(ch.get(0, 1), Value::int64(50));
  Chunk flat = ch.flattened();
  EXPECT_FALSE(flat.has_selection());
  EXPECT_EQ(flat.column(0).size(), 3u);
  EXPECT_EQ(flat.get(0, 2), Value::int64(90));

  ChunkBuilder b({LogicalType::int64()});
  b.append_chunk_rows(ch, 1, 2);
  auto out = b.finish();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0]->get(0, 0), Value::int64(50));
  EXPECT_EQ(out[0]->get(0, 1), Value::int64(90));
}
