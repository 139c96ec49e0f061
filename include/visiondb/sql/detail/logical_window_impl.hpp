// Out-of-line parts of logical_window.hpp.
#pragma once

#include "visiondb/config.hpp"
#include "visiondb/sql/logical_window.hpp"

namespace visiondb::sql {

VISIONDB_INLINE std::vector<ColumnBinding> LogicalWindow::bindings() const {
  auto out = children[0]->bindings();
  for (uint32_t c : window_ids) out.push_back({table_index, c});
  return out;
}

VISIONDB_INLINE std::vector<LogicalType> LogicalWindow::types() const {
  auto out = children[0]->types();
  for (const auto& w : windows) out.push_back(w->type);
  return out;
}

VISIONDB_INLINE std::string LogicalWindow::describe() const {
  std::string out = "WINDOW ";
  for (size_t i = 0; i < windows.size(); ++i) out += (i ? ", " : "") + windows[i]->to_string();
  if (partition_limit >= 0) out += " KEEP TOP " + std::to_string(partition_limit) + " PER PARTITION";
  return out;
}

VISIONDB_INLINE LogicalOpPtr LogicalWindow::clone() const {
  std::vector<BoundExprPtr> ws;
  for (const auto& w : windows) ws.push_back(w->clone());
  auto out = std::make_unique<LogicalWindow>(table_index, nullptr, std::move(ws));
  out->window_ids = window_ids;
  out->partition_limit = partition_limit;
  clone_children_into(*out);
  return out;
}

}  // namespace visiondb::sql
