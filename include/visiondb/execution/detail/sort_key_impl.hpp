// Out-of-line parts of sort_key.hpp.
#pragma once

#include <cmath>
#include <cstring>

#include "visiondb/config.hpp"
#include "visiondb/execution/sort_key.hpp"

namespace visiondb::exec {

namespace detail {
inline void put_be(char* p, uint64_t v, size_t bytes) {
  for (size_t k = 0; k < bytes; ++k) p[k] = static_cast<char>(v >> (8 * (bytes - 1 - k)));
}
}  // namespace detail

VISIONDB_INLINE void SortKeyEncoder::encode(std::span<const ColumnView> keys, size_t n, uint64_t first_position,
                                            SortKeys& out) const {
  // Sizes first (fixed types have one size; strings vary).
  size_t base_rows = out.rows();
  std::vector<uint32_t> sizes(n, 8);  // the position suffix
  for (size_t k = 0; k < specs_.size(); ++k) {
    const ColumnView& v = keys[k];
    const size_t w = specs_[k].type.fixed_width();
    for (size_t i = 0; i < n; ++i) {
      if (w) {
        sizes[i] += static_cast<uint32_t>(1 + w);
        continue;
      }
      uint32_t r = v.row(i);
      if (v.column->type().id() == TypeId::Null || !v.column->is_valid(r)) {
        sizes[i] += 1;
        continue;
      }
      std::string_view s = v.column->string_at(r);
      size_t zeros = 0;
      for (char ch : s) zeros += ch == 0;
      sizes[i] += static_cast<uint32_t>(1 + s.size() + zeros + 2);
    }
  }
  size_t start = out.bytes.size();
  size_t total = 0;
  for (uint32_t s : sizes) total += s;
  out.bytes.resize(start + total);
  out.offsets.reserve(base_rows + n + 1);
  size_t off = start;
  for (size_t i = 0; i < n; ++i) {
    off += sizes[i];
    out.offsets.push_back(static_cast<uint32_t>(off));
  }
  char* base = out.bytes.data();
  std::vector<size_t> pos(n);
  for (size_t i = 0; i < n; ++i) pos[i] = out.offsets[base_rows + i];
  for (size_t k = 0; k < specs_.size(); ++k) {
    const ColumnView& v = keys[k];
    const SortSpec& spec = specs_[k];
    const size_t w = spec.type.fixed_width();
    const bool untyped = v.column->type().id() == TypeId::Null;
    const char null_byte = spec.nulls_first ? 0 : 2;
    for (size_t i = 0; i < n; ++i) {
      char* p = base + pos[i];
      uint32_t r = v.row(i);
      const bool valid = !untyped && v.column->is_valid(r);
      if (!valid) {
        *p = null_byte;
        if (w) std::memset(p + 1, 0, w);
        pos[i] += 1 + w;
        continue;
      }
      *p = 1;
      if (w) {
        uint64_t bits = sort_order_bits(*v.column, r);
        if (spec.descending) bits = ~bits;
        detail::put_be(p + 1, bits, w);
        pos[i] += 1 + w;
        continue;
      }
      std::string_view s = v.column->string_at(r);
      char* q = p + 1;
      const char inv = spec.descending ? static_cast<char>(0xFF) : 0;
      for (char ch : s) {
        *q++ = static_cast<char>(ch ^ inv);
        if (ch == 0) *q++ = static_cast<char>(1 ^ inv);
      }
      *q++ = inv;
      *q++ = inv;
      pos[i] = static_cast<size_t>(q - base);
    }
  }
  for (size_t i = 0; i < n; ++i) detail::put_be(base + pos[i], first_position + i, 8);
}

}  // namespace visiondb::exec
