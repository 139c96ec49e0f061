// Out-of-line parts of table.hpp.
#pragma once

#include "visiondb/config.hpp"
#include "visiondb/storage/detail/text.hpp"
#include "visiondb/storage/table.hpp"

namespace visiondb {

VISIONDB_INLINE int Schema::find(std::string_view name) const noexcept {
  for (size_t i = 0; i < columns_.size(); ++i)
    if (detail::iequals(columns_[i].name, name)) return static_cast<int>(i);
  return -1;
}

VISIONDB_INLINE std::vector<LogicalType> Schema::types() const {
  std::vector<LogicalType> out;
  out.reserve(columns_.size());
  for (const auto& c : columns_) out.push_back(c.type);
  return out;
}

VISIONDB_INLINE size_t TableData::memory_bytes() const {
  size_t n = 0;
  for (const auto& ch : chunks)
    for (const auto& c : ch->columns()) n += c->memory_bytes();
  return n;
}

VISIONDB_INLINE Table::Table(QualifiedName name, Schema schema)
    : CatalogEntry(CatalogEntryKind::Table, std::move(name)),
      schema_(std::move(schema)),
      data_(std::make_shared<const TableData>()) {}

VISIONDB_INLINE std::shared_ptr<const TableData> Table::snapshot() const {
  std::lock_guard lock(mutex_);
  return data_;
}

VISIONDB_INLINE void Table::commit(std::shared_ptr<const TableData> data) {
  std::lock_guard lock(mutex_);
  data_ = std::move(data);
}

VISIONDB_INLINE std::string Table::describe() const {
  std::string out = "table " + name().to_string() + "(";
  for (size_t i = 0; i < schema_.size(); ++i) {
    if (i) out += ", ";
    out += schema_[i].name + " " + schema_[i].type.to_string();
  }
  return out + ") " + std::to_string(row_count()) + " rows";
}

}  // namespace visiondb
