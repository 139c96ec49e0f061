// The checksums implemented in the library, against published test vectors.
#include <gtest/gtest.h>

#include <string>

#include "visiondb/common/checksum.hpp"
#include "visiondb/nn/detail/float_convert.hpp"
#include "visiondb/nn/detail/sha256.hpp"

TEST(Checksum, Crc32Vectors) {
  EXPECT_EQ(visiondb::crc32("123456789", 9), 0xCBF43926u);
  EXPECT_EQ(visiondb::crc32("", 0), 0u);
  const std::string s = "The quick brown fox jumps over the lazy dog";
  EXPECT_EQ(visiondb::crc32(s.data(), s.size()), 0x414FA339u);
  // Incremental equals one shot.
  EXPECT_EQ(visiondb::crc32_update(visiondb::crc32(s.data(), 10), s.data() + 10, s.size() - 10), 0x414FA339u);
}

TEST(Checksum, Xxh64Vectors) {
  EXPECT_EQ(visiondb::xxhash64("", 0), 0xEF46DB3751D8E999ull);
  EXPECT_EQ(visiondb::xxhash64("a", 1), 0xD24EC4F1A98C6E5Bull);
  EXPECT_EQ(visiondb::xxhash64("abc", 3), 0x44BC2CF5AD770999ull);
  const std::string s = "Nobody inspects the spammish repetition";  // 39 bytes: the 32-byte stripe path
  EXPECT_EQ(visiondb::xxhash64(s.data(), s.size()), 0xFBCEA83C8A378BF1ull);
}

TEST(Checksum, Sha256Vectors) {
  using visiondb::nn::detail::sha256_hex;
  EXPECT_EQ(sha256_hex({}), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  const std::string abc = "abc";
  EXPECT_EQ(sha256_hex({reinterpret_cast<const uint8_t*>(abc.data()), 3}),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  const std::string million(1000000, 'a');
  EXPECT_EQ(sha256_hex({reinterpret_cast<const uint8_t*>(million.data()), million.size()}),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Checksum, HalfAndBfloat16ToFloat) {
  using visiondb::nn::detail::bf16_to_float;
  using visiondb::nn::detail::half_to_float;
  EXPECT_EQ(half_to_float(0x3C00), 1.0f);
  EXPECT_EQ(half_to_float(0xC000), -2.0f);
  EXPECT_EQ(half_to_float(0x7BFF), 65504.0f);
  EXPECT_EQ(half_to_float(0x0001), 5.9604644775390625e-8f);  // smallest subnormal
  EXPECT_EQ(half_to_float(0x03FF), 6.097555160522461e-05f);  // largest subnormal
  EXPECT_EQ(half_to_float(0x8000), -0.0f);
  EXPECT_TRUE(std::isinf(half_to_float(0x7C00)));
  EXPECT_TRUE(std::isnan(half_to_float(0x7E00)));
  EXPECT_EQ(bf16_to_float(0x3F80), 1.0f);
  EXPECT_EQ(bf16_to_float(0xC0A0), -5.0f);
}
