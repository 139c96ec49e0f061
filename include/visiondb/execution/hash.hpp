// Hashing for hash tables: a strong 64-bit mix for fixed-width keys and a fast hash for byte
// strings, both seeded, so partition bits and bucket bits are independent enough.
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>

namespace visiondb::exec {

/// A 64-bit finalizer (murmur3's fmix64): every input bit affects every output bit.
inline uint64_t hash_u64(uint64_t x) noexcept {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return x;
}

inline uint64_t hash_combine(uint64_t a, uint64_t b) noexcept { return hash_u64(a ^ (b + 0x9e3779b97f4a7c15ULL + (a << 6) + (a >> 2))); }

namespace detail {
inline uint64_t read8(const char* p) noexcept {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}
inline uint64_t read4(const char* p) noexcept {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}
inline uint64_t mum(uint64_t a, uint64_t b) noexcept {
  unsigned __int128 r = static_cast<unsigned __int128>(a) * b;
  return static_cast<uint64_t>(r) ^ static_cast<uint64_t>(r >> 64);
}
}  // namespace detail

/// A fast hash of bytes with fixed-size loads only (short keys cost a few instructions)
/// [after wyhash's structure].
inline uint64_t hash_bytes(const char* p, size_t n) noexcept {
  constexpr uint64_t k0 = 0xa0761d6478bd642fULL, k1 = 0xe7037ed1a0b428dbULL, k2 = 0x8ebc6af09c88c6e3ULL;
  uint64_t seed = k0 ^ (n * k2);
  uint64_t a, b;
  if (n <= 16) {
    if (n >= 4) {
      const size_t step = (n >> 3) << 2;
      a = (detail::read4(p) << 32) | detail::read4(p + step);
      b = (detail::read4(p + n - 4) << 32) | detail::read4(p + n - 4 - step);
    } else if (n > 0) {
      a = (uint64_t{static_cast<unsigned char>(p[0])} << 16) | (uint64_t{static_cast<unsigned char>(p[n >> 1])} << 8) |
          static_cast<unsigned char>(p[n - 1]);
      b = 0;
    } else {
      a = b = 0;
    }
  } else {
    size_t i = n;
    while (i > 16) {
      seed = detail::mum(detail::read8(p) ^ k1, detail::read8(p + 8) ^ seed);
      p += 16;
      i -= 16;
    }
    a = detail::read8(p + i - 16);
    b = detail::read8(p + i - 8);
  }
  return detail::mum(k1 ^ n, detail::mum(a ^ k1, b ^ seed));
}
inline uint64_t hash_bytes(std::string_view s) noexcept { return hash_bytes(s.data(), s.size()); }

}  // namespace visiondb::exec
