// Out-of-line parts of types.hpp.
#pragma once

#include "visiondb/common/error.hpp"
#include "visiondb/config.hpp"
#include "visiondb/storage/types.hpp"
#include "visiondb/storage/detail/text.hpp"

namespace visiondb {

VISIONDB_INLINE LogicalType LogicalType::array(LogicalType element) {
  LogicalType t(TypeId::Array);
  auto info = std::make_shared<Info>();
  info->element = std::make_shared<const LogicalType>(std::move(element));
  t.info_ = std::move(info);
  return t;
}

VISIONDB_INLINE LogicalType LogicalType::structure(std::vector<std::pair<std::string, LogicalType>> fields) {
  LogicalType t(TypeId::Struct);
  auto info = std::make_shared<Info>();
  for (auto& [name, type] : fields)
    info->fields.push_back(StructField{std::move(name), std::make_shared<const LogicalType>(std::move(type))});
  t.info_ = std::move(info);
  return t;
}

VISIONDB_INLINE LogicalType LogicalType::object(std::string name) {
  LogicalType t(TypeId::Object);
  auto info = std::make_shared<Info>();
  info->object_name = std::move(name);
  t.info_ = std::move(info);
  return t;
}

VISIONDB_INLINE size_t LogicalType::fixed_width() const noexcept {
  switch (id_) {
    case TypeId::Bool: return 1;
    case TypeId::Int64:
    case TypeId::Float64:
    case TypeId::Timestamp: return 8;
    case TypeId::Date: return 4;
    default: return 0;
  }
}

VISIONDB_INLINE const LogicalType& LogicalType::element() const {
  if (id_ != TypeId::Array || !info_) detail::throw_internal("element() of non-array type " + to_string());
  return *info_->element;
}

VISIONDB_INLINE const std::vector<StructField>& LogicalType::fields() const {
  if (id_ != TypeId::Struct || !info_) detail::throw_internal("fields() of non-struct type " + to_string());
  return info_->fields;
}

VISIONDB_INLINE int LogicalType::field_index(std::string_view name) const {
  const auto& fs = fields();
  for (size_t i = 0; i < fs.size(); ++i)
    if (detail::iequals(fs[i].name, name)) return static_cast<int>(i);
  return -1;
}

VISIONDB_INLINE const std::string& LogicalType::object_name() const {
  if (id_ != TypeId::Object || !info_) detail::throw_internal("object_name() of non-object type");
  return info_->object_name;
}

VISIONDB_INLINE std::string LogicalType::to_string() const {
  switch (id_) {
    case TypeId::Null: return "NULL";
    case TypeId::Bool: return "BOOL";
    case TypeId::Int64: return "INT64";
    case TypeId::Float64: return "FLOAT64";
    case TypeId::String: return "STRING";
    case TypeId::Bytes: return "BYTES";
    case TypeId::Timestamp: return "TIMESTAMP";
    case TypeId::Date: return "DATE";
    case TypeId::Array: return "ARRAY<" + element().to_string() + ">";
    case TypeId::Struct: {
      std::string out = "STRUCT<";
      const auto& fs = fields();
      for (size_t i = 0; i < fs.size(); ++i) {
        if (i) out += ", ";
        if (!fs[i].name.empty()) out += fs[i].name + " ";
        out += fs[i].type->to_string();
      }
      return out + ">";
    }
    case TypeId::Object: return object_name();
  }
  return "?";
}

VISIONDB_INLINE bool operator==(const LogicalType& a, const LogicalType& b) {
  if (a.id_ != b.id_) return false;
  switch (a.id_) {
    case TypeId::Array: return a.element() == b.element();
    case TypeId::Struct: {
      const auto &fa = a.fields(), &fb = b.fields();
      if (fa.size() != fb.size()) return false;
      for (size_t i = 0; i < fa.size(); ++i)
        if (!detail::iequals(fa[i].name, fb[i].name) || *fa[i].type != *fb[i].type) return false;
      return true;
    }
    case TypeId::Object: return a.object_name() == b.object_name();
    default: return true;
  }
}

}  // namespace visiondb
