// Out-of-line parts of column.hpp.
#pragma once

#include <cstring>

#include "visiondb/common/error.hpp"
#include "visiondb/config.hpp"
#include "visiondb/storage/column.hpp"

namespace visiondb {

VISIONDB_INLINE Column::Column(LogicalType type) : type_(std::move(type)) {
  switch (type_.id()) {
    case TypeId::String:
    case TypeId::Bytes: offsets_.push_back(0); break;
    case TypeId::Array:
      offsets_.push_back(0);
      children_.emplace_back(type_.element());
      break;
    case TypeId::Struct:
      for (const auto& f : type_.fields()) children_.emplace_back(*f.type);
      break;
    default: break;
  }
}

VISIONDB_INLINE void Column::reserve(size_t rows) {
  if (size_t w = type_.fixed_width()) values_.reserve(rows * w);
  if (!offsets_.empty()) offsets_.reserve(rows + 1);
  if (type_.id() == TypeId::Object) objects_.reserve(rows);
}

VISIONDB_INLINE void Column::resize(size_t rows) {
  switch (type_.id()) {
    case TypeId::String:
    case TypeId::Bytes:
    case TypeId::Array: {
      int64_t last = offsets_[size_];
      offsets_.resize(rows + 1);
      for (size_t i = size_ + 1; i <= rows; ++i) offsets_[i] = last;
      break;
    }
    case TypeId::Struct:
      for (auto& c : children_) c.resize(rows);
      break;
    case TypeId::Object: objects_.resize(rows); break;
    case TypeId::Null: break;
    default: {
      size_t w = type_.fixed_width();
      if (values_.size() < rows * w) values_.resize(rows * w);
      if (rows > size_) std::memset(values_.data() + size_ * w, 0, (rows - size_) * w);
    }
  }
  size_ = rows;
  validity_.resize(rows);
}

VISIONDB_INLINE void Column::append_null() {
  switch (type_.id()) {
    case TypeId::String:
    case TypeId::Bytes:
    case TypeId::Array: offsets_.push_back(offsets_[size_]); break;
    case TypeId::Struct:
      for (auto& c : children_) c.append_null();
      break;
    case TypeId::Object: objects_.push_back(nullptr); break;
    case TypeId::Null: break;
    default: {
      size_t w = type_.fixed_width();
      size_t bytes = (size_ + 1) * w;
      if (bytes > values_.size()) values_.resize(std::max(bytes, values_.size() * 2));
      std::memset(values_.data() + size_ * w, 0, w);
    }
  }
  ++size_;
  validity_.resize(size_);
  validity_.set_invalid(size_ - 1);
}

VISIONDB_INLINE void Column::append_string(std::string_view s) {
  VISIONDB_ASSERT(type_.is_varlen());
  bytes_.append(s.data(), s.size());
  offsets_.push_back(offsets_[size_] + static_cast<int64_t>(s.size()));
  ++size_;
  validity_.resize(size_);
}

VISIONDB_INLINE void Column::close_array_row() {
  VISIONDB_ASSERT(type_.id() == TypeId::Array);
  offsets_.push_back(static_cast<int64_t>(children_[0].size()));
  ++size_;
  validity_.resize(size_);
}

VISIONDB_INLINE void Column::close_struct_row(bool valid) {
  VISIONDB_ASSERT(type_.id() == TypeId::Struct);
  ++size_;
  validity_.resize(size_);
  if (!valid) validity_.set_invalid(size_ - 1);
}

VISIONDB_INLINE void Column::append_object(std::shared_ptr<const Object> object) {
  VISIONDB_ASSERT(type_.id() == TypeId::Object);
  bool valid = object != nullptr;
  objects_.push_back(std::move(object));
  ++size_;
  validity_.resize(size_);
  if (!valid) validity_.set_invalid(size_ - 1);
}

VISIONDB_INLINE void Column::append(const Value& v) {
  if (v.is_null()) return append_null();
  switch (type_.id()) {
    case TypeId::Bool: return append_bool(v.as_bool());
    case TypeId::Int64: return append_int64(v.as_int64());
    case TypeId::Float64: return append_float64(v.as_float64());
    case TypeId::String:
    case TypeId::Bytes: return append_string(v.as_string());
    case TypeId::Timestamp: return append_timestamp(v.as_timestamp());
    case TypeId::Date: return append_date(v.as_date());
    case TypeId::Array:
      for (const auto& e : v.children()) children_[0].append(e);
      return close_array_row();
    case TypeId::Struct: {
      const auto& xs = v.children();
      VISIONDB_ASSERT(xs.size() == children_.size());
      for (size_t i = 0; i < xs.size(); ++i) children_[i].append(xs[i]);
      return close_struct_row(true);
    }
    case TypeId::Object: return append_object(v.as_object());
    case TypeId::Null: return append_null();
  }
}

VISIONDB_INLINE void Column::append_from(const Column& src, size_t row) { append_range(src, row, 1); }

VISIONDB_INLINE void Column::append_range(const Column& src, size_t first, size_t count) {
  VISIONDB_ASSERT(src.type_.id() == type_.id());
  if (count == 0) return;
  size_t old = size_;
  switch (type_.id()) {
    case TypeId::String:
    case TypeId::Bytes: {
      int64_t b = src.offsets_[first], e = src.offsets_[first + count];
      int64_t base = offsets_[size_] - b;
      bytes_.append(src.bytes_.data() + b, static_cast<size_t>(e - b));
      for (size_t i = 1; i <= count; ++i) offsets_.push_back(src.offsets_[first + i] + base);
      break;
    }
    case TypeId::Array: {
      int64_t b = src.offsets_[first], e = src.offsets_[first + count];
      int64_t base = static_cast<int64_t>(children_[0].size()) - b;
      children_[0].append_range(src.children_[0], static_cast<size_t>(b), static_cast<size_t>(e - b));
      for (size_t i = 1; i <= count; ++i) offsets_.push_back(src.offsets_[first + i] + base);
      break;
    }
    case TypeId::Struct:
      for (size_t f = 0; f < children_.size(); ++f) children_[f].append_range(src.children_[f], first, count);
      break;
    case TypeId::Object:
      objects_.insert(objects_.end(), src.objects_.begin() + static_cast<ptrdiff_t>(first),
                      src.objects_.begin() + static_cast<ptrdiff_t>(first + count));
      break;
    case TypeId::Null: break;
    default: {
      size_t w = type_.fixed_width();
      size_t bytes = (size_ + count) * w;
      if (bytes > values_.size()) values_.resize(std::max(bytes, values_.size() * 2));
      std::memcpy(values_.data() + size_ * w, src.values_.data() + first * w, count * w);
    }
  }
  size_ += count;
  validity_.resize(size_);
  if (!src.validity_.all_valid() || type_.id() == TypeId::Null) {
    for (size_t i = 0; i < count; ++i)
      if (src.is_null(first + i)) validity_.set_invalid(old + i);
  }
}

VISIONDB_INLINE Value Column::get(size_t row) const {
  if (is_null(row)) return Value::null(type_);
  switch (type_.id()) {
    case TypeId::Bool: return Value::boolean(data<uint8_t>()[row] != 0);
    case TypeId::Int64: return Value::int64(data<int64_t>()[row]);
    case TypeId::Float64: return Value::float64(data<double>()[row]);
    case TypeId::String: return Value::string(std::string(string_at(row)));
    case TypeId::Bytes: return Value::bytes(std::string(string_at(row)));
    case TypeId::Timestamp: return Value::timestamp(data<int64_t>()[row]);
    case TypeId::Date: return Value::date(data<int32_t>()[row]);
    case TypeId::Array: {
      auto [b, e] = array_range(row);
      std::vector<Value> xs;
      xs.reserve(static_cast<size_t>(e - b));
      for (int64_t i = b; i < e; ++i) xs.push_back(children_[0].get(static_cast<size_t>(i)));
      return Value::array(type_.element(), std::move(xs));
    }
    case TypeId::Struct: {
      std::vector<Value> xs;
      for (const auto& c : children_) xs.push_back(c.get(row));
      return Value::structure(type_, std::move(xs));
    }
    case TypeId::Object: return Value::object(type_, objects_[row]);
    case TypeId::Null: return Value::null();
  }
  return Value::null(type_);
}

VISIONDB_INLINE void Column::append_strings(const std::string_view* values, const bool* valid, size_t n) {
  VISIONDB_ASSERT(type_.is_varlen());
  size_t total = 0;
  for (size_t i = 0; i < n; ++i) total += valid[i] ? values[i].size() : 0;
  const size_t old = size_;
  size_t base = bytes_.size();
  bytes_.resize(base + total);
  offsets_.resize(size_ + n + 1);
  char* out = bytes_.data() + base;
  int64_t* oo = offsets_.data() + size_;
  int64_t pos = oo[0];
  for (size_t i = 0; i < n; ++i) {
    if (valid[i]) {
      const size_t len = values[i].size();
      const char* from = values[i].data();
      if (len <= 16) {
        for (size_t k = 0; k < len; ++k) out[k] = from[k];
      } else {
        std::memcpy(out, from, len);
      }
      out += len;
      pos += static_cast<int64_t>(len);
    }
    oo[i + 1] = pos;
  }
  size_ += n;
  validity_.resize(size_);
  for (size_t i = 0; i < n; ++i)
    if (!valid[i]) validity_.set_invalid(old + i);
}

VISIONDB_INLINE void Column::append_gather(const Column& src, const uint32_t* rows, size_t n) {
  VISIONDB_ASSERT(src.type_.id() == type_.id());
  if (n == 0) return;
  const size_t old = size_;
  const bool src_nulls = !src.validity_.all_valid() || src.type_.id() == TypeId::Null;
  if (size_t w = type_.fixed_width()) {
    size_t bytes = (size_ + n) * w;
    if (bytes > values_.size()) values_.resize(std::max(bytes, values_.size() * 2));
    uint8_t* dst = values_.data() + size_ * w;
    const uint8_t* from = src.values_.data();
    auto copy = [&](auto* d, const auto* f) {
      // Random rows (join payloads): prefetch a few ahead to overlap the misses.
      for (size_t i = 0; i < n; ++i) {
        if (i + 16 < n && rows[i + 16] != UINT32_MAX) __builtin_prefetch(&f[rows[i + 16]]);
        d[i] = rows[i] == UINT32_MAX ? 0 : f[rows[i]];
      }
    };
    if (w == 8) copy(reinterpret_cast<int64_t*>(dst), reinterpret_cast<const int64_t*>(from));
    else if (w == 4) copy(reinterpret_cast<int32_t*>(dst), reinterpret_cast<const int32_t*>(from));
    else copy(dst, from);
  } else if (type_.is_varlen()) {
    const int64_t* so = src.offsets_.data();
    size_t total = 0;
    for (size_t i = 0; i < n; ++i) {
      if (i + 16 < n && rows[i + 16] != UINT32_MAX) __builtin_prefetch(&so[rows[i + 16]]);
      if (rows[i] != UINT32_MAX) {
        total += static_cast<size_t>(so[rows[i] + 1] - so[rows[i]]);
        __builtin_prefetch(src.bytes_.data() + so[rows[i]]);
      }
    }
    size_t base = bytes_.size();
    bytes_.resize(base + total);
    offsets_.resize(size_ + n + 1);
    char* out = bytes_.data() + base;
    int64_t* oo = offsets_.data() + size_;
    int64_t pos = oo[0];
    for (size_t i = 0; i < n; ++i) {
      if (rows[i] != UINT32_MAX) {
        const int64_t b = so[rows[i]], len = so[rows[i] + 1] - b;
        const char* from = src.bytes_.data() + b;
        if (len <= 16) {
          for (int64_t k = 0; k < len; ++k) out[k] = from[k];  // short values: no call
        } else {
          std::memcpy(out, from, static_cast<size_t>(len));
        }
        out += len;
        pos += len;
      }
      oo[i + 1] = pos;
    }
  } else {
    for (size_t i = 0; i < n; ++i) rows[i] == UINT32_MAX ? append_null() : append_range(src, rows[i], 1);
    return;
  }
  size_ += n;
  validity_.resize(size_);
  for (size_t i = 0; i < n; ++i)
    if (rows[i] == UINT32_MAX || (src_nulls && !src.is_valid(rows[i]))) validity_.set_invalid(old + i);
}

VISIONDB_INLINE Column Column::gather(std::span<const uint32_t> rows) const {
  Column out(type_);
  if (type_.fixed_width() || type_.is_varlen()) {
    out.append_gather(*this, rows.data(), rows.size());
    return out;
  }
  out.reserve(rows.size());
  for (uint32_t r : rows) out.append_range(*this, r, 1);
  return out;
}

VISIONDB_INLINE Column Column::slice(size_t first, size_t count) const {
  Column out(type_);
  out.append_range(*this, first, count);
  return out;
}

VISIONDB_INLINE size_t Column::memory_bytes() const noexcept {
  size_t n = values_.capacity() + offsets_.capacity() * sizeof(int64_t) + bytes_.capacity() + size_ / 8;
  for (const auto& c : children_) n += c.memory_bytes();
  for (const auto& o : objects_)
    if (o) n += o->memory_bytes();
  return n;
}

VISIONDB_INLINE Column Column::constant(const Value& value, size_t rows) {
  Column out(value.type());
  out.reserve(rows);
  for (size_t i = 0; i < rows; ++i) out.append(value);
  return out;
}

}  // namespace visiondb
