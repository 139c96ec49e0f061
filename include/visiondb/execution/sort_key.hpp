// SortKeyEncoder: ORDER BY keys as byte strings that compare with memcmp [DuckDB's normalized
// keys]: per key a NULL byte placed by NULLS FIRST/LAST, then the value in an order-preserving
// big-endian form (inverted for DESC). BigQuery's order: NULL, NaN, -inf, ..., +inf. A row
// position is appended last, so equal keys keep scan order and results do not depend on threads.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "visiondb/storage/column_view.hpp"

namespace visiondb::exec {

struct SortSpec {
  LogicalType type;
  bool descending = false;
  bool nulls_first = true;
};

/// The keys of many rows, back to back.
struct SortKeys {
  std::string bytes;
  std::vector<uint32_t> offsets{0};  ///< rows + 1 entries
  size_t rows() const noexcept { return offsets.size() - 1; }
  std::string_view key(size_t i) const noexcept { return {bytes.data() + offsets[i], offsets[i + 1] - offsets[i]}; }
  void clear() {
    bytes.clear();
    offsets.assign(1, 0);
  }
};

class SortKeyEncoder {
 public:
  SortKeyEncoder() = default;
  explicit SortKeyEncoder(std::vector<SortSpec> specs) : specs_(std::move(specs)) {}
  /// Appends the keys of rows [0, n); row i gets position first_position + i.
  void encode(std::span<const ColumnView> keys, size_t n, uint64_t first_position, SortKeys& out) const;
  const std::vector<SortSpec>& specs() const noexcept { return specs_; }

 private:
  std::vector<SortSpec> specs_;
};

/// A fixed-width value as unsigned bits that order like the value (BigQuery: NaN before -inf).
inline uint64_t sort_order_bits(const Column& c, uint32_t r) {
  switch (c.type().id()) {
    case TypeId::Bool: return c.data<uint8_t>()[r] ? 1 : 0;
    case TypeId::Date: return static_cast<uint32_t>(c.data<int32_t>()[r]) ^ 0x80000000u;
    case TypeId::Float64: {
      double d = c.data<double>()[r];
      if (std::isnan(d)) return 0;  // NaN sorts before every number
      if (d == 0) d = 0;
      uint64_t bits;
      std::memcpy(&bits, &d, 8);
      return (bits >> 63) ? ~bits : (bits | 0x8000000000000000ULL);
    }
    default: return static_cast<uint64_t>(c.data<int64_t>()[r]) ^ 0x8000000000000000ULL;
  }
}

/// True when key a sorts before key b.
inline bool sort_key_less(std::string_view a, std::string_view b) noexcept { return a < b; }

}  // namespace visiondb::exec

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/execution/detail/sort_key_impl.hpp"
#endif
