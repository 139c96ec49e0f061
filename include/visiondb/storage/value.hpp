// Value: one dynamically typed SQL value (constants, parameters, row-at-a-time access, tests).
// The executor works on columns; Value is for the edges.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "visiondb/storage/object.hpp"
#include "visiondb/storage/types.hpp"

namespace visiondb {

class Value {
 public:
  /// An untyped NULL.
  Value() = default;

  static Value null(LogicalType type = LogicalType::null());
  static Value boolean(bool v);
  static Value int64(int64_t v);
  static Value float64(double v);
  static Value string(std::string v);
  static Value bytes(std::string v);
  /// Microseconds since the Unix epoch, UTC.
  static Value timestamp(int64_t micros);
  /// Days since 1970-01-01.
  static Value date(int32_t days);
  static Value array(LogicalType element, std::vector<Value> elements);
  /// A STRUCT value; `type` must be a STRUCT type with as many fields as `fields`.
  static Value structure(LogicalType type, std::vector<Value> fields);
  static Value object(LogicalType type, std::shared_ptr<const Object> object);

  const LogicalType& type() const noexcept { return type_; }
  bool is_null() const noexcept { return null_; }

  bool as_bool() const { return std::get<bool>(data_); }
  int64_t as_int64() const { return std::get<int64_t>(data_); }
  double as_float64() const { return std::get<double>(data_); }
  /// STRING and BYTES payloads.
  const std::string& as_string() const { return std::get<std::string>(data_); }
  int64_t as_timestamp() const { return std::get<int64_t>(data_); }
  int32_t as_date() const { return static_cast<int32_t>(std::get<int64_t>(data_)); }
  /// ARRAY elements or STRUCT fields.
  const std::vector<Value>& children() const { return std::get<std::vector<Value>>(data_); }
  const std::shared_ptr<const Object>& as_object() const { return std::get<std::shared_ptr<const Object>>(data_); }

  /// A numeric value (INT64 or FLOAT64) as double.
  double to_double() const;

  /// Display form, as the REPL prints it: strings unquoted, arrays "[1, 2]", structs "{a: 1, b: x}",
  /// FLOAT64 in shortest round-trip form, TIMESTAMP "2024-05-01 12:00:00+00".
  std::string to_string() const;
  /// A SQL literal that reads back as this value: 'it''s' -> "'it\\'s'", [1, 2], STRUCT(...).
  std::string to_sql() const;

  /// Structural equality (NULL equals NULL; types must match; NaN equals NaN). For tests and
  /// grouping, not for SQL's three-valued `=`.
  friend bool operator==(const Value& a, const Value& b);
  friend bool operator!=(const Value& a, const Value& b) { return !(a == b); }

 private:
  LogicalType type_;
  bool null_ = true;
  std::variant<std::monostate, bool, int64_t, double, std::string, std::vector<Value>, std::shared_ptr<const Object>> data_;
};

}  // namespace visiondb

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/storage/detail/value_impl.hpp"
#endif
