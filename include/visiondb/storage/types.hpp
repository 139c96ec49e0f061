// LogicalType: the SQL types of visiondb (BigQuery's names), nestable: ARRAY<T>, STRUCT<...>, and
// OBJECT types that carry values owned by other modules (images, model handles) by pointer.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace visiondb {

/// The kind of a LogicalType. The physical layout of each follows Apache Arrow's (see column.hpp).
enum class TypeId : uint8_t {
  Null,       ///< the type of an untyped NULL literal; coerces to anything
  Bool,       ///< 1 byte per value (Arrow packs bits; we export by conversion)
  Int64,      ///< int64_t
  Float64,    ///< double
  String,     ///< UTF-8, int64 offsets + bytes (Arrow large_utf8)
  Bytes,      ///< raw bytes, int64 offsets + bytes (Arrow large_binary)
  Timestamp,  ///< int64_t microseconds since the Unix epoch, UTC (BigQuery's precision)
  Date,       ///< int32_t days since 1970-01-01 (Arrow date32)
  Array,      ///< int64 offsets + one child column (Arrow large_list)
  Struct,     ///< one child column per field (Arrow struct)
  Object,     ///< a shared pointer per row to an immutable Object (IMAGE, ...); not Arrow-exportable as is
};

class LogicalType;

/// A named field of a STRUCT type.
struct StructField {
  std::string name;
  std::shared_ptr<const LogicalType> type;
};

/// A SQL type: an id plus, for nested types, their children. Cheap to copy (children are shared).
class LogicalType {
 public:
  LogicalType() = default;
  explicit LogicalType(TypeId id) : id_(id) {}

  static LogicalType null() { return LogicalType(TypeId::Null); }
  static LogicalType boolean() { return LogicalType(TypeId::Bool); }
  static LogicalType int64() { return LogicalType(TypeId::Int64); }
  static LogicalType float64() { return LogicalType(TypeId::Float64); }
  static LogicalType string() { return LogicalType(TypeId::String); }
  static LogicalType bytes() { return LogicalType(TypeId::Bytes); }
  static LogicalType timestamp() { return LogicalType(TypeId::Timestamp); }
  static LogicalType date() { return LogicalType(TypeId::Date); }
  /// ARRAY<element>.
  static LogicalType array(LogicalType element);
  /// STRUCT<name type, ...>; field names may be empty (anonymous fields, as BigQuery allows).
  static LogicalType structure(std::vector<std::pair<std::string, LogicalType>> fields);
  /// An extension type whose values are Objects, e.g. object("IMAGE").
  static LogicalType object(std::string name);

  TypeId id() const noexcept { return id_; }
  bool is_numeric() const noexcept { return id_ == TypeId::Int64 || id_ == TypeId::Float64; }
  bool is_nested() const noexcept { return id_ == TypeId::Array || id_ == TypeId::Struct; }
  /// True for types stored as offsets + bytes.
  bool is_varlen() const noexcept { return id_ == TypeId::String || id_ == TypeId::Bytes; }
  /// Bytes per value for fixed-width types, 0 otherwise.
  size_t fixed_width() const noexcept;

  /// The element type of an ARRAY.
  const LogicalType& element() const;
  /// The fields of a STRUCT.
  const std::vector<StructField>& fields() const;
  /// The index of a STRUCT field by case-insensitive name, or -1.
  int field_index(std::string_view name) const;
  /// The name of an OBJECT type ("IMAGE").
  const std::string& object_name() const;

  /// BigQuery spelling: "INT64", "ARRAY<FLOAT64>", "STRUCT<a INT64, b STRING>".
  std::string to_string() const;

  friend bool operator==(const LogicalType& a, const LogicalType& b);
  friend bool operator!=(const LogicalType& a, const LogicalType& b) { return !(a == b); }

 private:
  struct Info {
    std::shared_ptr<const LogicalType> element;
    std::vector<StructField> fields;
    std::string object_name;
  };
  TypeId id_ = TypeId::Null;
  std::shared_ptr<const Info> info_;
};

/// Physical C++ type of each fixed-width TypeId.
template <TypeId> struct PhysicalType;
template <> struct PhysicalType<TypeId::Bool> { using type = uint8_t; };
template <> struct PhysicalType<TypeId::Int64> { using type = int64_t; };
template <> struct PhysicalType<TypeId::Float64> { using type = double; };
template <> struct PhysicalType<TypeId::Timestamp> { using type = int64_t; };
template <> struct PhysicalType<TypeId::Date> { using type = int32_t; };

}  // namespace visiondb

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/storage/detail/types_impl.hpp"
#endif
