// GroupTable: the hash table of a GROUP BY (and of DISTINCT and set operations): maps each distinct
// key to a dense group id, keeps the keys' values as columns for the output and, per aggregate,
// the states of every group. Open addressing with linear probing over one flat array of 64-bit
// slots (32 bits of hash to skip most key comparisons, 32 bits of group id).
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <cstring>
#include <string_view>
#include <vector>

#include "visiondb/execution/key_encoder.hpp"
#include "visiondb/sql/function_interface.hpp"

namespace visiondb::exec {

class GroupTable {
 public:
  /// allow_direct: a single INT64 key may use the key-indexed directory (see direct_).
  GroupTable(const KeyEncoder& encoder, std::vector<std::shared_ptr<const sql::AggregateFunction>> aggregates,
             bool allow_direct = true);

  /// Finds or creates the group of each row: gids[i] for rows [0, n).
  void find_or_create(const EncodedKeys& keys, std::span<const ColumnView> key_columns, uint32_t* gids);
  /// Finds the group of each row, or UINT32_MAX (for lookups: INTERSECT, EXCEPT).
  void find(const EncodedKeys& keys, uint32_t* gids) const;
  /// Adds the groups `gids` of `other` (same encoder) to this table: dst[i] receives their ids here.
  void absorb(const GroupTable& other, std::span<const uint32_t> gids, uint32_t* dst);

  size_t size() const noexcept { return hashes_.size(); }
  /// Direct mode with some non-NULL key: the smallest and largest key seen.
  bool direct_range(int64_t& lo, int64_t& hi) const noexcept {
    if (!direct_ || dir_.empty()) return false;
    lo = seen_lo_;
    hi = seen_hi_;
    return true;
  }
  bool direct() const noexcept { return direct_; }
  /// Fixed mode: group g's key bits (an INT64 key's value in direct mode) and whether it is NULL.
  uint64_t group_key(size_t g) const noexcept { return fixed_keys_[g]; }
  bool group_key_null(size_t g) const noexcept { return fixed_null_[g] != 0; }
  uint64_t group_hash(size_t g) const noexcept { return hashes_[g]; }
  const std::vector<Column>& key_columns() const noexcept { return key_columns_; }
  std::vector<std::unique_ptr<sql::AggregateStates>>& states() noexcept { return states_; }

 private:
  bool equal_fixed(uint32_t g, uint64_t key, uint8_t null) const noexcept {
    return fixed_keys_[g] == key && fixed_null_[g] == null;
  }
  bool equal_bytes(uint32_t g, std::string_view key, uint8_t null) const noexcept {
    size_t len = key_offsets_[g + 1] - key_offsets_[g];
    if (len != key.size() || fixed_null_[g] != null) return false;
    const char* a = key_bytes_.data() + key_offsets_[g];
    if (len <= 16) {  // short keys: no call
      for (size_t k = 0; k < len; ++k)
        if (a[k] != key[k]) return false;
      return true;
    }
    return std::memcmp(a, key.data(), len) == 0;
  }
  uint32_t add_group(uint64_t hash);
  void grow();
  // Fixed mode: the key lives in the slot, so a probe touches one cache line.
  struct FixedSlot {
    uint64_t key;
    uint32_t gid1;  // group id + 1; 0: empty
    uint32_t null;
  };
  bool fixed_full() const noexcept { return (hashes_.size() + 1) * 4 > fslots_.size() * 3; }
  void grow_fixed();
  void rehash_fixed(size_t slots);
  /// The group of a fixed-width key, added (remembering `source_row` in new_rows_) when new.
  uint32_t find_or_add_fixed(uint64_t hash, uint64_t key, uint32_t null, uint32_t source_row);
  std::vector<FixedSlot> fslots_;
  // Direct mode: one INT64 key whose values seen so far span at most kDirectMaxSpan values (ids,
  // codes, foreign keys). dir_[key - dir_min_] is the group id + 1 (0: none): a probe reads 4
  // bytes of a compact array instead of a 16-byte slot of a table four times the groups, and
  // never compares keys. A wider key leaves the mode for good (the groups move into fslots_).
  static constexpr uint64_t kDirectMaxSpan = uint64_t{1} << 22;
  bool direct_ = false;
  int64_t dir_min_ = 0;
  int64_t seen_lo_ = 0, seen_hi_ = 0;  // direct mode: the smallest and largest key seen (dir_ not empty)
  std::vector<uint32_t> dir_;
  uint32_t null_gid1_ = 0;  // direct mode: the NULL key's group id + 1
  bool direct_cover(int64_t lo, int64_t hi);
  // Keys in [lo, hi] (none when lo > hi) are about to be inserted: the directory grows to cover
  // them, or direct mode ends.
  void admit_direct(int64_t lo, int64_t hi);
  void leave_direct();

  const KeyEncoder& encoder_;
  bool fixed_;
  std::vector<uint64_t> slots_;
  uint64_t mask_ = 0;
  std::vector<uint64_t> hashes_;
  std::vector<uint64_t> fixed_keys_;
  std::vector<uint8_t> fixed_null_;
  std::string key_bytes_;
  std::vector<uint32_t> key_offsets_{0};
  std::vector<Column> key_columns_;
  std::vector<std::unique_ptr<sql::AggregateStates>> states_;
  std::vector<uint32_t> new_rows_;  // scratch: rows that created a group, for the bulk key copy
};

}  // namespace visiondb::exec

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/execution/detail/group_table_impl.hpp"
#endif
