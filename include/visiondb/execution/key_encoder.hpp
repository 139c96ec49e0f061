// KeyEncoder: turns the key columns of a chunk (GROUP BY keys, join keys, DISTINCT rows) into
// per-row keys that hash tables compare cheaply: one uint64 per row for a single fixed-width key,
// else a byte string per row (a validity byte, then the value; strings length-prefixed). Equal
// SQL values give equal keys (-0 and 0 alike, all NaNs alike), so NULLs group together.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "visiondb/storage/column_view.hpp"

namespace visiondb::exec {

/// The keys of n rows.
struct EncodedKeys {
  size_t n = 0;
  std::vector<uint64_t> hashes;
  std::vector<uint8_t> any_null;  ///< 1 when some key column is NULL in that row
  std::vector<uint64_t> fixed;    ///< fixed mode: the key value's bits
  std::string bytes;              ///< bytes mode: the keys back to back
  std::vector<uint32_t> offsets;  ///< bytes mode: n + 1 offsets into bytes
  std::vector<std::string_view> views;  ///< single-string mode: the values themselves (NULL: empty)
  bool use_views = false;
  std::string_view key(size_t i) const noexcept {
    return use_views ? views[i] : std::string_view(bytes.data() + offsets[i], offsets[i + 1] - offsets[i]);
  }
};

class KeyEncoder {
 public:
  KeyEncoder() = default;
  explicit KeyEncoder(std::vector<LogicalType> types);
  /// A single key of at most 8 bytes: keys are EncodedKeys::fixed.
  bool fixed_mode() const noexcept { return fixed_; }
  /// A single STRING/BYTES key: keys are the values (EncodedKeys::views); NULL is told apart by
  /// EncodedKeys::any_null only.
  bool string_mode() const noexcept { return string_; }
  const std::vector<LogicalType>& types() const noexcept { return types_; }
  /// Encodes rows [0, n) of the key columns (one view per key type).
  void encode(std::span<const ColumnView> keys, size_t n, EncodedKeys& out) const;
  /// The hash used for a NULL single fixed key.
  static constexpr uint64_t kNullHash = 0x5bd1e9955bd1e995ULL;

 private:
  std::vector<LogicalType> types_;
  bool fixed_ = false;
  bool string_ = false;
};

/// The 64-bit pattern of one fixed-width value as keys use it (normalized doubles).
uint64_t fixed_key_bits(const Column& c, uint32_t row) noexcept;

}  // namespace visiondb::exec

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/execution/detail/key_encoder_impl.hpp"
#endif
