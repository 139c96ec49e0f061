// The CSV tokenizer's inner step: for 64 bytes at a time, bit masks of the quote, delimiter and
// newline bytes, and the prefix-XOR that turns quote positions into "inside quotes" bits
// [simdcsv; Langdale & Lemire, simdjson]. AVX-512BW, AVX2 or plain code, chosen at compile time.
#pragma once

#include <cstdint>
#include <cstring>

#if defined(__AVX512BW__) || defined(__AVX2__) || defined(__PCLMUL__)
#include <immintrin.h>
#endif

namespace visiondb::io::detail {

struct ByteMasks {
  uint64_t quote;
  uint64_t delimiter;
  uint64_t newline;
};

/// Masks of 64 bytes at p (all readable). Bit i is byte p[i]. quote < 0 means no quoting.
inline ByteMasks scan64(const char* p, int quote, char delimiter) noexcept {
#if defined(__AVX512BW__)
  const __m512i v = _mm512_loadu_si512(reinterpret_cast<const void*>(p));
  ByteMasks m;
  m.quote = quote >= 0 ? _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8(static_cast<char>(quote))) : 0;
  m.delimiter = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8(delimiter));
  m.newline = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('\n'));
  return m;
#elif defined(__AVX2__)
  auto eq = [&](char c) {
    const __m256i s = _mm256_set1_epi8(c);
    const __m256i lo = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
    const __m256i hi = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 32));
    uint64_t a = static_cast<uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(lo, s)));
    uint64_t b = static_cast<uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(hi, s)));
    return a | (b << 32);
  };
  return {quote >= 0 ? eq(static_cast<char>(quote)) : 0, eq(delimiter), eq('\n')};
#else
  ByteMasks m{0, 0, 0};
  for (int i = 0; i < 64; ++i) {
    const uint64_t bit = uint64_t{1} << i;
    if (p[i] == static_cast<char>(quote) && quote >= 0) m.quote |= bit;
    if (p[i] == delimiter) m.delimiter |= bit;
    if (p[i] == '\n') m.newline |= bit;
  }
  return m;
#endif
}

/// Masks of the bytes [p, p+n), n < 64, read through a zero-padded copy (zero is never special).
inline ByteMasks scan_tail(const char* p, size_t n, int quote, char delimiter) noexcept {
  alignas(64) char buf[64] = {};
  std::memcpy(buf, p, n);
  return scan64(buf, quote, delimiter);
}

/// Bit i of the result is the XOR of bits 0..i of x: with x the quote positions, the bits that
/// lie inside quotes (an opening quote included, its closing quote not).
inline uint64_t prefix_xor(uint64_t x) noexcept {
#if defined(__PCLMUL__)
  const __m128i all = _mm_set1_epi8(static_cast<char>(0xFF));
  return static_cast<uint64_t>(_mm_cvtsi128_si64(_mm_clmulepi64_si128(_mm_set_epi64x(0, static_cast<int64_t>(x)), all, 0)));
#else
  x ^= x << 1;
  x ^= x << 2;
  x ^= x << 4;
  x ^= x << 8;
  x ^= x << 16;
  x ^= x << 32;
  return x;
#endif
}

}  // namespace visiondb::io::detail
