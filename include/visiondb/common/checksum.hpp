// Checksums implemented in the library: CRC-32 (zip, PNG) and XXH64 (converted weight files).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace visiondb {

namespace detail {
// Slicing-by-8 tables for the reflected CRC-32 polynomial 0xEDB88320 (zlib's).
struct Crc32Tables {
  uint32_t t[8][256];
  constexpr Crc32Tables() : t{} {
    for (uint32_t i = 0; i < 256; ++i) {
      uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      t[0][i] = c;
    }
    for (uint32_t i = 0; i < 256; ++i)
      for (int s = 1; s < 8; ++s) t[s][i] = (t[s - 1][i] >> 8) ^ t[0][t[s - 1][i] & 0xFF];
  }
};
inline constexpr Crc32Tables kCrc32Tables{};

inline uint64_t load_le64(const unsigned char* p) noexcept {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;  // little-endian host (x86-64, aarch64)
}
inline uint32_t load_le32(const unsigned char* p) noexcept {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}
}  // namespace detail

/// Continues a CRC-32 (zlib's; start with crc = 0) over `size` bytes.
inline uint32_t crc32_update(uint32_t crc, const void* data, std::size_t size) noexcept {
  const auto& t = detail::kCrc32Tables.t;
  const auto* p = static_cast<const unsigned char*>(data);
  crc = ~crc;
  while (size >= 8) {
    uint32_t lo = detail::load_le32(p) ^ crc;
    uint32_t hi = detail::load_le32(p + 4);
    crc = t[7][lo & 0xFF] ^ t[6][(lo >> 8) & 0xFF] ^ t[5][(lo >> 16) & 0xFF] ^ t[4][lo >> 24] ^ t[3][hi & 0xFF] ^
          t[2][(hi >> 8) & 0xFF] ^ t[1][(hi >> 16) & 0xFF] ^ t[0][hi >> 24];
    p += 8;
    size -= 8;
  }
  while (size--) crc = t[0][(crc ^ *p++) & 0xFF] ^ (crc >> 8);
  return ~crc;
}

/// CRC-32 of a byte range.
inline uint32_t crc32(const void* data, std::size_t size) noexcept { return crc32_update(0, data, size); }

namespace detail {
inline constexpr uint64_t kXxhPrime1 = 0x9E3779B185EBCA87ull;
inline constexpr uint64_t kXxhPrime2 = 0xC2B2AE3D27D4EB4Full;
inline constexpr uint64_t kXxhPrime3 = 0x165667B19E3779F9ull;
inline constexpr uint64_t kXxhPrime4 = 0x85EBCA77C2B2AE63ull;
inline constexpr uint64_t kXxhPrime5 = 0x27D4EB2F165667C5ull;
inline uint64_t rotl64(uint64_t x, int r) noexcept { return (x << r) | (x >> (64 - r)); }
inline uint64_t xxh64_round(uint64_t acc, uint64_t input) noexcept {
  acc += input * kXxhPrime2;
  return rotl64(acc, 31) * kXxhPrime1;
}
inline uint64_t xxh64_merge(uint64_t acc, uint64_t val) noexcept {
  acc ^= xxh64_round(0, val);
  return acc * kXxhPrime1 + kXxhPrime4;
}
}  // namespace detail

/// XXH64 (Yann Collet's xxHash, 64-bit) of a byte range; equal to the reference XXH64(data, size, seed).
inline uint64_t xxhash64(const void* data, std::size_t size, uint64_t seed = 0) noexcept {
  using namespace detail;
  const auto* p = static_cast<const unsigned char*>(data);
  const unsigned char* end = p + size;
  uint64_t h;
  if (size >= 32) {
    uint64_t v1 = seed + kXxhPrime1 + kXxhPrime2, v2 = seed + kXxhPrime2, v3 = seed, v4 = seed - kXxhPrime1;
    const unsigned char* limit = end - 32;
    do {
      v1 = xxh64_round(v1, load_le64(p));
      v2 = xxh64_round(v2, load_le64(p + 8));
      v3 = xxh64_round(v3, load_le64(p + 16));
      v4 = xxh64_round(v4, load_le64(p + 24));
      p += 32;
    } while (p <= limit);
    h = rotl64(v1, 1) + rotl64(v2, 7) + rotl64(v3, 12) + rotl64(v4, 18);
    h = xxh64_merge(h, v1);
    h = xxh64_merge(h, v2);
    h = xxh64_merge(h, v3);
    h = xxh64_merge(h, v4);
  } else {
    h = seed + kXxhPrime5;
  }
  h += static_cast<uint64_t>(size);
  while (p + 8 <= end) {
    h ^= xxh64_round(0, load_le64(p));
    h = rotl64(h, 27) * kXxhPrime1 + kXxhPrime4;
    p += 8;
  }
  if (p + 4 <= end) {
    h ^= static_cast<uint64_t>(load_le32(p)) * kXxhPrime1;
    h = rotl64(h, 23) * kXxhPrime2 + kXxhPrime3;
    p += 4;
  }
  while (p < end) {
    h ^= (*p++) * kXxhPrime5;
    h = rotl64(h, 11) * kXxhPrime1;
  }
  h ^= h >> 33;
  h *= kXxhPrime2;
  h ^= h >> 29;
  h *= kXxhPrime3;
  h ^= h >> 32;
  return h;
}

}  // namespace visiondb
