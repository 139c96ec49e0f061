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

/// A fast hash of bytes: 8 bytes per step, multiply-mix [after wyhash's structure].
inline uint64_t hash_bytes(const char* p, size_t n) noexcept {
  uint64_t h = 0x9e3779b97f4a7c15ULL ^ (n * 0xbf58476d1ce4e5b9ULL);
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    std::memcpy(&w, p + i, 8);
    h = (h ^ w) * 0x9fb21c651e98df25ULL;
    h ^= h >> 29;
  }
  if (i < n) {
    uint64_t w = 0;
    std::memcpy(&w, p + i, n - i);
    h = (h ^ w) * 0x9fb21c651e98df25ULL;
    h ^= h >> 29;
  }
  return hash_u64(h);
}
inline uint64_t hash_bytes(std::string_view s) noexcept { return hash_bytes(s.data(), s.size()); }

}  // namespace visiondb::exec
