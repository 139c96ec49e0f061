// Out-of-line parts of value.hpp.
#pragma once

#include <charconv>
#include <cmath>

#include "visiondb/common/error.hpp"
#include "visiondb/config.hpp"
#include "visiondb/storage/detail/civil_time.hpp"
#include "visiondb/storage/detail/format.hpp"
#include "visiondb/storage/value.hpp"

namespace visiondb {

VISIONDB_INLINE Value Value::null(LogicalType type) {
  Value v;
  v.type_ = std::move(type);
  return v;
}

#define VISIONDB_VALUE_CTOR(fn, Arg, typeexpr, store) \
  VISIONDB_INLINE Value Value::fn(Arg x) {           \
    Value v;                                         \
    v.type_ = typeexpr;                              \
    v.null_ = false;                                 \
    v.data_ = store;                                 \
    return v;                                        \
  }
VISIONDB_VALUE_CTOR(boolean, bool, LogicalType::boolean(), x)
VISIONDB_VALUE_CTOR(int64, int64_t, LogicalType::int64(), x)
VISIONDB_VALUE_CTOR(float64, double, LogicalType::float64(), x)
VISIONDB_VALUE_CTOR(string, std::string, LogicalType::string(), std::move(x))
VISIONDB_VALUE_CTOR(bytes, std::string, LogicalType::bytes(), std::move(x))
VISIONDB_VALUE_CTOR(timestamp, int64_t, LogicalType::timestamp(), x)
VISIONDB_VALUE_CTOR(date, int32_t, LogicalType::date(), static_cast<int64_t>(x))
#undef VISIONDB_VALUE_CTOR

VISIONDB_INLINE Value Value::array(LogicalType element, std::vector<Value> elements) {
  Value v;
  v.type_ = LogicalType::array(std::move(element));
  v.null_ = false;
  v.data_ = std::move(elements);
  return v;
}

VISIONDB_INLINE Value Value::structure(LogicalType type, std::vector<Value> fields) {
  if (type.id() != TypeId::Struct || type.fields().size() != fields.size())
    detail::throw_internal("struct value does not match its type " + type.to_string());
  Value v;
  v.type_ = std::move(type);
  v.null_ = false;
  v.data_ = std::move(fields);
  return v;
}

VISIONDB_INLINE Value Value::object(LogicalType type, std::shared_ptr<const Object> object) {
  Value v;
  v.type_ = std::move(type);
  v.null_ = object == nullptr;
  v.data_ = std::move(object);
  return v;
}

VISIONDB_INLINE double Value::to_double() const {
  if (type_.id() == TypeId::Int64) return static_cast<double>(as_int64());
  if (type_.id() == TypeId::Float64) return as_float64();
  detail::throw_internal("to_double() of " + type_.to_string());
}


VISIONDB_INLINE std::string Value::to_string() const {
  if (null_) return "NULL";
  switch (type_.id()) {
    case TypeId::Null: return "NULL";
    case TypeId::Bool: return as_bool() ? "true" : "false";
    case TypeId::Int64: return std::to_string(as_int64());
    case TypeId::Float64: return detail::format_double(as_float64());
    case TypeId::String: return as_string();
    case TypeId::Bytes: return as_string();
    case TypeId::Timestamp: return detail::format_timestamp(as_timestamp());
    case TypeId::Date: return detail::format_date(as_date());
    case TypeId::Array: {
      std::string out = "[";
      const auto& xs = children();
      for (size_t i = 0; i < xs.size(); ++i) {
        if (i) out += ", ";
        out += xs[i].type().id() == TypeId::String && !xs[i].is_null() ? detail::quote_sql_string(xs[i].as_string())
                                                                        : xs[i].to_string();
      }
      return out + "]";
    }
    case TypeId::Struct: {
      std::string out = "{";
      const auto& fs = type_.fields();
      const auto& xs = children();
      for (size_t i = 0; i < xs.size(); ++i) {
        if (i) out += ", ";
        if (!fs[i].name.empty()) out += fs[i].name + ": ";
        out += xs[i].to_string();
      }
      return out + "}";
    }
    case TypeId::Object: return as_object()->to_string();
  }
  return "?";
}

VISIONDB_INLINE std::string Value::to_sql() const {
  if (null_) return type_.id() == TypeId::Null ? "NULL" : "CAST(NULL AS " + type_.to_string() + ")";
  switch (type_.id()) {
    case TypeId::String: return detail::quote_sql_string(as_string());
    case TypeId::Bytes: return "b" + detail::quote_sql_string(as_string());
    case TypeId::Float64: {
      double d = as_float64();
      if (std::isnan(d) || std::isinf(d)) return "CAST('" + detail::format_double(d) + "' AS FLOAT64)";
      std::string s = detail::format_double(d);
      if (s.find_first_of(".e") == std::string::npos) s += ".0";
      return s;
    }
    case TypeId::Timestamp: return "TIMESTAMP '" + to_string() + "'";
    case TypeId::Date: return "DATE '" + to_string() + "'";
    case TypeId::Array: {
      std::string out = type_.to_string() + "[";
      const auto& xs = children();
      for (size_t i = 0; i < xs.size(); ++i) out += (i ? ", " : "") + xs[i].to_sql();
      return out + "]";
    }
    case TypeId::Struct: {
      std::string out = "STRUCT(";
      const auto& fs = type_.fields();
      const auto& xs = children();
      for (size_t i = 0; i < xs.size(); ++i) {
        out += (i ? ", " : "") + xs[i].to_sql();
        if (!fs[i].name.empty()) out += " AS " + fs[i].name;
      }
      return out + ")";
    }
    default: return to_string();
  }
}

VISIONDB_INLINE bool operator==(const Value& a, const Value& b) {
  if (a.null_ || b.null_) return a.null_ == b.null_;
  if (a.type_ != b.type_) return false;
  if (a.type_.id() == TypeId::Float64) {
    double x = a.as_float64(), y = b.as_float64();
    return x == y || (std::isnan(x) && std::isnan(y));
  }
  return a.data_ == b.data_;
}

}  // namespace visiondb
