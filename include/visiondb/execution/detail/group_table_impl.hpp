// Out-of-line parts of group_table.hpp.
#pragma once

#include <algorithm>
#include <climits>
#include <limits>
#include <cstring>

#include "visiondb/config.hpp"
#include "visiondb/execution/group_table.hpp"

namespace visiondb::exec {

VISIONDB_INLINE GroupTable::GroupTable(const KeyEncoder& encoder,
                                       std::vector<std::shared_ptr<const sql::AggregateFunction>> aggregates,
                                       bool allow_direct)
    : encoder_(encoder), fixed_(encoder.fixed_mode()) {
  direct_ = allow_direct && fixed_ && encoder.types()[0].id() == TypeId::Int64;
  if (fixed_) {
    fslots_.assign(1024, FixedSlot{0, 0, 0});
    mask_ = fslots_.size() - 1;
  } else {
    slots_.assign(1024, 0);
    mask_ = slots_.size() - 1;
  }
  for (const auto& t : encoder.types()) key_columns_.emplace_back(t);
  for (const auto& a : aggregates) states_.push_back(a->make_states());
}

VISIONDB_INLINE uint32_t GroupTable::add_group(uint64_t hash) {
  uint32_t g = static_cast<uint32_t>(hashes_.size());
  hashes_.push_back(hash);
  return g;
}

VISIONDB_INLINE void GroupTable::grow() {
  slots_.assign(slots_.size() * 2, 0);
  mask_ = slots_.size() - 1;
  for (uint32_t g = 0; g < hashes_.size(); ++g) {
    uint64_t h = hashes_[g];
    uint64_t idx = h & mask_;
    while (slots_[idx]) idx = (idx + 1) & mask_;
    slots_[idx] = ((h >> 32) << 32) | (uint64_t{g} + 1);
  }
}

VISIONDB_INLINE uint32_t GroupTable::find_or_add_fixed(uint64_t hash, uint64_t key, uint32_t null,
                                                      uint32_t source_row) {
  for (uint64_t idx = hash & mask_;; idx = (idx + 1) & mask_) {
    FixedSlot& slot = fslots_[idx];
    if (slot.gid1 == 0) {
      const uint32_t g = add_group(hash);
      slot = {key, g + 1, null};
      fixed_keys_.push_back(key);
      fixed_null_.push_back(static_cast<uint8_t>(null));
      new_rows_.push_back(source_row);
      return g;
    }
    if (slot.key == key && slot.null == null) return slot.gid1 - 1;
  }
}

VISIONDB_INLINE void GroupTable::grow_fixed() { rehash_fixed(fslots_.size() * 2); }

VISIONDB_INLINE void GroupTable::rehash_fixed(size_t slots) {
  fslots_.assign(slots, FixedSlot{0, 0, 0});
  mask_ = fslots_.size() - 1;
  for (uint32_t g = 0; g < hashes_.size(); ++g) {
    uint64_t idx = hashes_[g] & mask_;
    while (fslots_[idx].gid1) idx = (idx + 1) & mask_;
    fslots_[idx] = {fixed_keys_[g], g + 1, fixed_null_[g]};
  }
}

VISIONDB_INLINE void GroupTable::admit_direct(int64_t lo, int64_t hi) {
  if (lo > hi) return;  // no valid key
  if (!direct_cover(lo, hi)) {
    leave_direct();
    return;
  }
  seen_lo_ = std::min(seen_lo_, lo);
  seen_hi_ = std::max(seen_hi_, hi);
}

VISIONDB_INLINE bool GroupTable::direct_cover(int64_t lo, int64_t hi) {
  // Offsets as unsigned differences: exact for any two int64 values a >= b.
  const auto offset = [](int64_t a, int64_t b) { return static_cast<uint64_t>(a) - static_cast<uint64_t>(b); };
  if (!dir_.empty() && lo >= dir_min_ && offset(hi, dir_min_) < dir_.size()) return true;
  const bool first = dir_.empty();
  const int64_t need_lo = first ? lo : std::min(lo, seen_lo_), need_hi = first ? hi : std::max(hi, seen_hi_);
  const uint64_t span = offset(need_hi, need_lo);
  if (span >= kDirectMaxSpan) return false;
  // Room to grow further on the side that grew (keys often arrive roughly ascending).
  const uint64_t size = std::min<uint64_t>(kDirectMaxSpan, std::max<uint64_t>(span + 1, dir_.size() * 2));
  const uint64_t slack = size - 1 - span;
  int64_t new_min = need_lo;
  if (!first && lo < dir_min_ && offset(need_lo, std::numeric_limits<int64_t>::min()) >= slack)
    new_min = static_cast<int64_t>(static_cast<uint64_t>(need_lo) - slack);
  std::vector<uint32_t> wider(size, 0);
  // The old directory's used part, [seen_lo_, seen_hi_], moves to its place in the new one.
  if (!first)
    std::memcpy(wider.data() + offset(seen_lo_, new_min), dir_.data() + offset(seen_lo_, dir_min_),
                (offset(seen_hi_, seen_lo_) + 1) * sizeof(uint32_t));
  dir_ = std::move(wider);
  dir_min_ = new_min;
  seen_lo_ = need_lo;
  seen_hi_ = need_hi;
  return true;
}

VISIONDB_INLINE void GroupTable::leave_direct() {
  direct_ = false;
  dir_ = {};
  size_t slots = 1024;
  while ((hashes_.size() + 1) * 4 > slots * 3) slots *= 2;
  rehash_fixed(slots);
}

VISIONDB_INLINE void GroupTable::find_or_create(const EncodedKeys& keys, std::span<const ColumnView> key_columns,
                                                uint32_t* gids) {
  const size_t n = keys.n;
  const size_t before = hashes_.size();
  new_rows_.clear();
  if (direct_) {
    int64_t lo = INT64_MAX, hi = INT64_MIN;
    for (size_t i = 0; i < n; ++i) {
      const int64_t k = static_cast<int64_t>(keys.fixed[i]);
      const bool valid = !keys.any_null[i];
      lo = valid && k < lo ? k : lo;
      hi = valid && k > hi ? k : hi;
    }
    admit_direct(lo, hi);
  }
  for (size_t i = 0; direct_ && i < n; ++i) {
    uint32_t& gid1 = keys.any_null[i] ? null_gid1_
                                      : dir_[static_cast<uint64_t>(keys.fixed[i]) - static_cast<uint64_t>(dir_min_)];
    if (gid1 == 0) {
      gid1 = add_group(keys.hashes[i]) + 1;
      fixed_keys_.push_back(keys.fixed[i]);
      fixed_null_.push_back(keys.any_null[i]);
      new_rows_.push_back(static_cast<uint32_t>(i));
    }
    gids[i] = gid1 - 1;
  }
  for (size_t i = 0; fixed_ && !direct_ && i < n; ++i) {
    if (fixed_full()) grow_fixed();
    if (i + 8 < n) __builtin_prefetch(&fslots_[keys.hashes[i + 8] & mask_]);
    gids[i] = find_or_add_fixed(keys.hashes[i], keys.fixed[i], keys.any_null[i], static_cast<uint32_t>(i));
  }
  for (size_t i = 0; !fixed_ && i < n; ++i) {
    if ((hashes_.size() + 1) * 2 > slots_.size()) grow();
    if (i + 8 < n) __builtin_prefetch(&slots_[keys.hashes[i + 8] & mask_]);
    const uint64_t h = keys.hashes[i];
    const uint64_t salt = h >> 32;
    uint64_t idx = h & mask_;
    for (;;) {
      uint64_t e = slots_[idx];
      if (e == 0) {
        uint32_t g = add_group(h);
        slots_[idx] = (salt << 32) | (uint64_t{g} + 1);
        if (fixed_) {
          fixed_keys_.push_back(keys.fixed[i]);
          fixed_null_.push_back(keys.any_null[i]);
        } else {
          std::string_view k = keys.key(i);
          key_bytes_.append(k.data(), k.size());
          key_offsets_.push_back(static_cast<uint32_t>(key_bytes_.size()));
          fixed_null_.push_back(keys.any_null[i]);
        }
        new_rows_.push_back(static_cast<uint32_t>(i));
        gids[i] = g;
        break;
      }
      if ((e >> 32) == salt) {
        uint32_t g = static_cast<uint32_t>(e & 0xffffffffu) - 1;
        if (fixed_ ? equal_fixed(g, keys.fixed[i], keys.any_null[i]) : equal_bytes(g, keys.key(i), keys.any_null[i])) {
          gids[i] = g;
          break;
        }
      }
      idx = (idx + 1) & mask_;
    }
  }
  if (hashes_.size() != before) {
    // The new groups' key values, appended in bulk.
    std::vector<uint32_t> phys(new_rows_.size());
    for (size_t c = 0; c < key_columns_.size(); ++c) {
      for (size_t k = 0; k < new_rows_.size(); ++k) phys[k] = key_columns[c].row(new_rows_[k]);
      key_columns_[c].append_gather(*key_columns[c].column, phys.data(), phys.size());
    }
    for (auto& s : states_) s->resize(hashes_.size());
  }
}

VISIONDB_INLINE void GroupTable::find(const EncodedKeys& keys, uint32_t* gids) const {
  for (size_t i = 0; direct_ && i < keys.n; ++i) {
    const uint64_t at = static_cast<uint64_t>(keys.fixed[i]) - static_cast<uint64_t>(dir_min_);
    const uint32_t gid1 = keys.any_null[i] ? null_gid1_ : at < dir_.size() ? dir_[at] : 0;
    gids[i] = gid1 ? gid1 - 1 : UINT32_MAX;
  }
  for (size_t i = 0; fixed_ && !direct_ && i < keys.n; ++i) {
    uint64_t idx = keys.hashes[i] & mask_;
    gids[i] = UINT32_MAX;
    for (;;) {
      const FixedSlot& slot = fslots_[idx];
      if (slot.gid1 == 0) break;
      if (slot.key == keys.fixed[i] && slot.null == keys.any_null[i]) {
        gids[i] = slot.gid1 - 1;
        break;
      }
      idx = (idx + 1) & mask_;
    }
  }
  for (size_t i = 0; !fixed_ && i < keys.n; ++i) {
    const uint64_t h = keys.hashes[i];
    const uint64_t salt = h >> 32;
    uint64_t idx = h & mask_;
    gids[i] = UINT32_MAX;
    for (;;) {
      uint64_t e = slots_[idx];
      if (e == 0) break;
      if ((e >> 32) == salt) {
        uint32_t g = static_cast<uint32_t>(e & 0xffffffffu) - 1;
        if (fixed_ ? equal_fixed(g, keys.fixed[i], keys.any_null[i]) : equal_bytes(g, keys.key(i), keys.any_null[i])) {
          gids[i] = g;
          break;
        }
      }
      idx = (idx + 1) & mask_;
    }
  }
}

VISIONDB_INLINE void GroupTable::absorb(const GroupTable& other, std::span<const uint32_t> gids, uint32_t* dst) {
  const size_t before = hashes_.size();
  new_rows_.clear();
  if (direct_) {
    int64_t lo = INT64_MAX, hi = INT64_MIN;
    for (uint32_t og : gids) {
      const int64_t k = static_cast<int64_t>(other.fixed_keys_[og]);
      const bool valid = !other.fixed_null_[og];
      lo = valid && k < lo ? k : lo;
      hi = valid && k > hi ? k : hi;
    }
    admit_direct(lo, hi);
  }
  for (size_t i = 0; direct_ && i < gids.size(); ++i) {
    const uint32_t og = gids[i];
    const uint64_t key = other.fixed_keys_[og];
    uint32_t& gid1 = other.fixed_null_[og] ? null_gid1_
                                           : dir_[key - static_cast<uint64_t>(dir_min_)];
    if (gid1 == 0) {
      gid1 = add_group(other.hashes_[og]) + 1;
      fixed_keys_.push_back(key);
      fixed_null_.push_back(other.fixed_null_[og]);
      new_rows_.push_back(og);
    }
    dst[i] = gid1 - 1;
  }
  if (!direct_ && fixed_) {
    // Room for all of them at once rather than doubling step by step.
    size_t slots = fslots_.size();
    while ((hashes_.size() + gids.size() + 1) * 4 > slots * 3) slots *= 2;
    if (slots != fslots_.size()) rehash_fixed(slots);
  }
  for (size_t i = 0; fixed_ && !direct_ && i < gids.size(); ++i) {
    if (fixed_full()) grow_fixed();
    const uint32_t og = gids[i];
    if (i + 8 < gids.size()) __builtin_prefetch(&fslots_[other.hashes_[gids[i + 8]] & mask_]);
    dst[i] = find_or_add_fixed(other.hashes_[og], other.fixed_keys_[og], other.fixed_null_[og], og);
  }
  for (size_t i = 0; !fixed_ && i < gids.size(); ++i) {
    if ((hashes_.size() + 1) * 2 > slots_.size()) grow();
    const uint32_t og = gids[i];
    const uint64_t h = other.hashes_[og];
    const uint64_t salt = h >> 32;
    uint64_t idx = h & mask_;
    std::string_view okey;
    if (!fixed_)
      okey = std::string_view(other.key_bytes_.data() + other.key_offsets_[og],
                              other.key_offsets_[og + 1] - other.key_offsets_[og]);
    for (;;) {
      uint64_t e = slots_[idx];
      if (e == 0) {
        uint32_t g = add_group(h);
        slots_[idx] = (salt << 32) | (uint64_t{g} + 1);
        if (fixed_) {
          fixed_keys_.push_back(other.fixed_keys_[og]);
          fixed_null_.push_back(other.fixed_null_[og]);
        } else {
          key_bytes_.append(okey.data(), okey.size());
          key_offsets_.push_back(static_cast<uint32_t>(key_bytes_.size()));
          fixed_null_.push_back(other.fixed_null_[og]);
        }
        new_rows_.push_back(og);
        dst[i] = g;
        break;
      }
      if ((e >> 32) == salt) {
        uint32_t g = static_cast<uint32_t>(e & 0xffffffffu) - 1;
        if (fixed_ ? equal_fixed(g, other.fixed_keys_[og], other.fixed_null_[og])
                   : equal_bytes(g, okey, other.fixed_null_[og])) {
          dst[i] = g;
          break;
        }
      }
      idx = (idx + 1) & mask_;
    }
  }
  if (hashes_.size() != before) {
    for (size_t c = 0; c < key_columns_.size(); ++c)
      key_columns_[c].append_gather(other.key_columns_[c], new_rows_.data(), new_rows_.size());
    for (auto& s : states_) s->resize(hashes_.size());
  }
}

}  // namespace visiondb::exec
