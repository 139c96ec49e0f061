// Column: a typed array of values with NULLs, in Apache Arrow's layout (validity bitmap, values
// buffer; int64 offsets + bytes for STRING/BYTES; int64 offsets + child for ARRAY; one child per
// STRUCT field), so results can later leave through the Arrow C Data Interface without copying.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "visiondb/common/aligned_buffer.hpp"
#include "visiondb/common/assert.hpp"
#include "visiondb/storage/object.hpp"
#include "visiondb/storage/types.hpp"
#include "visiondb/storage/validity.hpp"
#include "visiondb/storage/value.hpp"

namespace visiondb {

class Column {
 public:
  Column() : Column(LogicalType::null()) {}
  explicit Column(LogicalType type);

  const LogicalType& type() const noexcept { return type_; }
  size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }

  ValidityMask& validity() noexcept { return validity_; }
  const ValidityMask& validity() const noexcept { return validity_; }
  bool is_valid(size_t row) const noexcept { return validity_.is_valid(row); }
  bool is_null(size_t row) const noexcept { return !validity_.is_valid(row); }
  void set_null(size_t row) { validity_.set_invalid(row); }

  // ---- fixed-width values (BOOL as uint8_t, INT64, FLOAT64, TIMESTAMP as int64_t, DATE as int32_t)
  template <class T>
  T* data() noexcept {
    VISIONDB_ASSERT(sizeof(T) == type_.fixed_width());
    return reinterpret_cast<T*>(values_.data());
  }
  template <class T>
  const T* data() const noexcept {
    VISIONDB_ASSERT(sizeof(T) == type_.fixed_width());
    return reinterpret_cast<const T*>(values_.data());
  }
  template <class T>
  std::span<const T> values() const noexcept {
    return {data<T>(), size_};
  }

  /// Sets the row count of a fixed-width, STRUCT, OBJECT or NULL column; new rows are zero/empty
  /// and valid. For STRING/BYTES/ARRAY new rows are empty strings/arrays.
  void resize(size_t rows);
  void reserve(size_t rows);

  // ---- STRING / BYTES
  std::string_view string_at(size_t row) const noexcept {
    return {bytes_.data() + offsets_[row], static_cast<size_t>(offsets_[row + 1] - offsets_[row])};
  }
  /// size()+1 offsets into the byte buffer (Arrow large_utf8); also the ARRAY offsets into child().
  const int64_t* offsets() const noexcept { return offsets_.data(); }
  const char* byte_data() const noexcept { return bytes_.data(); }
  size_t byte_size() const noexcept { return static_cast<size_t>(offsets_[size_]); }
  /// Reserves payload bytes ahead of many append_string() calls.
  void reserve_bytes(size_t n) { bytes_.reserve(n); }

  // ---- ARRAY
  Column& child() noexcept { return children_[0]; }
  const Column& child() const noexcept { return children_[0]; }
  /// Elements [first, last) of child() that make up row `row`.
  std::pair<int64_t, int64_t> array_range(size_t row) const noexcept { return {offsets_[row], offsets_[row + 1]}; }
  size_t array_length(size_t row) const noexcept { return static_cast<size_t>(offsets_[row + 1] - offsets_[row]); }

  // ---- STRUCT
  size_t field_count() const noexcept { return children_.size(); }
  Column& field(size_t i) noexcept { return children_[i]; }
  const Column& field(size_t i) const noexcept { return children_[i]; }

  // ---- OBJECT
  const std::shared_ptr<const Object>& object_at(size_t row) const noexcept { return objects_[row]; }

  // ---- building, one row at a time
  void append_null();
  void append_bool(bool v) { append_fixed<uint8_t>(v ? 1 : 0); }
  void append_int64(int64_t v) { append_fixed<int64_t>(v); }
  void append_float64(double v) { append_fixed<double>(v); }
  void append_timestamp(int64_t micros) { append_fixed<int64_t>(micros); }
  void append_date(int32_t days) { append_fixed<int32_t>(days); }
  /// STRING or BYTES.
  void append_string(std::string_view s);
  /// ARRAY: call after appending the row's elements to child(); closes the row.
  void close_array_row();
  /// STRUCT: call after appending one value (maybe NULL) to every field.
  void close_struct_row(bool valid = true);
  void append_object(std::shared_ptr<const Object> object);
  /// Appends any value; it must have this column's type (an untyped NULL is accepted).
  void append(const Value& value);
  /// Appends row `row` of `src` (same type).
  void append_from(const Column& src, size_t row);
  /// Appends rows [first, first+count) of `src` (same type), in bulk where the layout allows.
  void append_range(const Column& src, size_t first, size_t count);

  // ---- reading and reshaping
  /// Row `row` as a Value.
  Value get(size_t row) const;
  /// A new column holding the given rows, in order.
  Column gather(std::span<const uint32_t> rows) const;
  /// STRING/BYTES: appends n values in one go; a null data pointer appends NULL.
  void append_strings(const std::string_view* values, const bool* valid, size_t n);
  /// Appends rows rows[0..n) of `src` (same type); a row index of UINT32_MAX appends NULL. Bulk
  /// copies for fixed-width and STRING/BYTES columns.
  void append_gather(const Column& src, const uint32_t* rows, size_t n);
  /// A new column holding rows [first, first+count).
  Column slice(size_t first, size_t count) const;
  /// Approximate bytes held.
  size_t memory_bytes() const noexcept;

  /// A column of `rows` copies of `value`.
  static Column constant(const Value& value, size_t rows);

 private:
  template <class T>
  void append_fixed(T v) {
    VISIONDB_ASSERT(sizeof(T) == type_.fixed_width());
    size_t bytes = (size_ + 1) * sizeof(T);
    if (bytes > values_.size()) values_.resize(std::max(bytes, values_.size() * 2));
    reinterpret_cast<T*>(values_.data())[size_] = v;
    ++size_;
    validity_.resize(size_);
  }

  LogicalType type_;
  size_t size_ = 0;
  ValidityMask validity_;
  AlignedBuffer<uint8_t> values_;  // fixed-width values; capacity may exceed size_ * width
  AlignedBuffer<int64_t> offsets_;  // STRING/BYTES/ARRAY: size_ + 1 entries
  AlignedBuffer<char> bytes_;       // STRING/BYTES payload
  std::vector<Column> children_;    // ARRAY: the elements; STRUCT: one per field
  std::vector<std::shared_ptr<const Object>> objects_;
};

}  // namespace visiondb

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/storage/detail/column_impl.hpp"
#endif
