// Out-of-line parts of logical_unnest.hpp.
#pragma once

#include <algorithm>

#include "visiondb/config.hpp"
#include "visiondb/sql/logical_unnest.hpp"

namespace visiondb::sql {

VISIONDB_INLINE LogicalType LogicalUnnest::column_type(uint32_t id) const {
  if (id == kElement) return element_type();
  if (id == kOffset) return LogicalType::int64();
  return *element_type().fields()[id - kFirstField].type;
}

VISIONDB_INLINE std::vector<ColumnBinding> LogicalUnnest::bindings() const {
  std::vector<ColumnBinding> out = projected ? child_projection : children[0]->bindings();
  for (uint32_t c : column_ids) out.push_back({table_index, c});
  return out;
}

VISIONDB_INLINE std::vector<LogicalType> LogicalUnnest::types() const {
  std::vector<LogicalType> out;
  auto cb = children[0]->bindings();
  auto ct = children[0]->types();
  if (projected) {
    for (const auto& b : child_projection)
      out.push_back(ct[static_cast<size_t>(std::find(cb.begin(), cb.end(), b) - cb.begin())]);
  } else {
    out = ct;
  }
  for (uint32_t c : column_ids) out.push_back(column_type(c));
  return out;
}

VISIONDB_INLINE std::string LogicalUnnest::describe() const {
  std::string out = std::string(outer ? "LEFT " : "") + "UNNEST " + array->to_string();
  if (std::find(column_ids.begin(), column_ids.end(), kOffset) != column_ids.end()) out += " WITH OFFSET";
  return out;
}

VISIONDB_INLINE double LogicalUnnest::estimate_rows() const { return children[0]->estimate_rows() * 10; }

VISIONDB_INLINE LogicalOpPtr LogicalUnnest::clone() const {
  auto out = std::make_unique<LogicalUnnest>(table_index, nullptr, array->clone(), outer);
  out->column_ids = column_ids;
  out->projected = projected;
  out->child_projection = child_projection;
  clone_children_into(*out);
  return out;
}

}  // namespace visiondb::sql
