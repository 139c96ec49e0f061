// Out-of-line parts of key_encoder.hpp.
#pragma once

#include <cmath>
#include <cstring>
#include <limits>

#include "visiondb/config.hpp"
#include "visiondb/execution/hash.hpp"
#include "visiondb/execution/key_encoder.hpp"

namespace visiondb::exec {

VISIONDB_INLINE uint64_t fixed_key_bits(const Column& c, uint32_t row) noexcept {
  switch (c.type().id()) {
    case TypeId::Bool: return c.data<uint8_t>()[row];
    case TypeId::Date: return static_cast<uint64_t>(static_cast<int64_t>(c.data<int32_t>()[row]));
    case TypeId::Float64: {
      double d = c.data<double>()[row];
      if (d == 0) d = 0;
      if (std::isnan(d)) d = std::numeric_limits<double>::quiet_NaN();
      uint64_t bits;
      std::memcpy(&bits, &d, 8);
      return bits;
    }
    default: return static_cast<uint64_t>(c.data<int64_t>()[row]);
  }
}

VISIONDB_INLINE KeyEncoder::KeyEncoder(std::vector<LogicalType> types) : types_(std::move(types)) {
  fixed_ = types_.size() == 1 && types_[0].fixed_width() > 0;
  string_ = types_.size() == 1 && types_[0].is_varlen();
}

namespace detail {
inline size_t key_payload_size(const Column& c, uint32_t row) {
  if (c.type().is_varlen()) return 4 + c.string_at(row).size();
  if (size_t w = c.type().fixed_width()) return w;
  return 4 + c.get(row).to_sql().size();
}
}  // namespace detail

VISIONDB_INLINE void KeyEncoder::encode(std::span<const ColumnView> keys, size_t n, EncodedKeys& out) const {
  out.n = n;
  out.hashes.resize(n);
  out.any_null.assign(n, 0);
  if (fixed_) {
    const ColumnView& v = keys[0];
    const Column& c = *v.column;
    out.fixed.resize(n);
    const bool nulls = !v.all_valid();
    TypeId id = c.type().id();
    if (!nulls && !v.sel && !v.constant && (id == TypeId::Int64 || id == TypeId::Timestamp)) {
      const int64_t* p = c.data<int64_t>();
      for (size_t i = 0; i < n; ++i) {
        out.fixed[i] = static_cast<uint64_t>(p[i]);
        out.hashes[i] = hash_u64(out.fixed[i]);
      }
      return;
    }
    for (size_t i = 0; i < n; ++i) {
      uint32_t r = v.row(i);
      if (nulls && !c.is_valid(r)) {
        out.fixed[i] = 0;
        out.any_null[i] = 1;
        out.hashes[i] = kNullHash;
        continue;
      }
      out.fixed[i] = fixed_key_bits(c, r);
      out.hashes[i] = hash_u64(out.fixed[i]);
    }
    return;
  }
  out.use_views = string_;
  if (string_) {
    const ColumnView& v = keys[0];
    const Column& c = *v.column;
    const bool nulls = !v.all_valid();
    out.views.resize(n);
    for (size_t i = 0; i < n; ++i) {
      uint32_t r = v.row(i);
      if (nulls && !c.is_valid(r)) {
        out.views[i] = {};
        out.any_null[i] = 1;
        out.hashes[i] = kNullHash;
        continue;
      }
      out.views[i] = c.string_at(r);
      out.hashes[i] = hash_bytes(out.views[i]);
    }
    return;
  }
  // Bytes mode: sizes, offsets, then column by column.
  out.offsets.assign(n + 1, 0);
  for (const ColumnView& v : keys) {
    const Column& c = *v.column;
    const size_t w = c.type().fixed_width();
    const bool nulls = !v.all_valid();
    for (size_t i = 0; i < n; ++i) {
      uint32_t r = v.row(i);
      size_t sz = 1;
      if (!nulls || c.is_valid(r)) sz += w ? w : detail::key_payload_size(c, r);
      out.offsets[i + 1] += static_cast<uint32_t>(sz);
    }
  }
  for (size_t i = 0; i < n; ++i) out.offsets[i + 1] += out.offsets[i];
  out.bytes.resize(out.offsets[n]);
  std::vector<uint32_t> pos(out.offsets.begin(), out.offsets.end() - 1);
  char* base = out.bytes.data();
  for (const ColumnView& v : keys) {
    const Column& c = *v.column;
    const size_t w = c.type().fixed_width();
    const bool nulls = !v.all_valid();
    const bool varlen = c.type().is_varlen();
    for (size_t i = 0; i < n; ++i) {
      uint32_t r = v.row(i);
      char* p = base + pos[i];
      if (nulls && !c.is_valid(r)) {
        *p = 0;
        pos[i] += 1;
        out.any_null[i] = 1;
        continue;
      }
      *p++ = 1;
      if (w) {
        uint64_t bits = fixed_key_bits(c, r);
        std::memcpy(p, &bits, w);  // little-endian: the low w bytes hold the value
        pos[i] += static_cast<uint32_t>(1 + w);
      } else if (varlen) {
        std::string_view s = c.string_at(r);
        uint32_t len = static_cast<uint32_t>(s.size());
        std::memcpy(p, &len, 4);
        std::memcpy(p + 4, s.data(), s.size());
        pos[i] += static_cast<uint32_t>(1 + 4 + s.size());
      } else {
        std::string s = c.get(r).to_sql();
        uint32_t len = static_cast<uint32_t>(s.size());
        std::memcpy(p, &len, 4);
        std::memcpy(p + 4, s.data(), s.size());
        pos[i] += static_cast<uint32_t>(1 + 4 + s.size());
      }
    }
  }
  for (size_t i = 0; i < n; ++i) out.hashes[i] = hash_bytes(out.key(i));
}

}  // namespace visiondb::exec
