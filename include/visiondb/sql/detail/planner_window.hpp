// The planner's top-k rule for window numbering: a filter `rn <= k` (or `rn < k`, `rn = k`) right
// above a window whose only call is rn = ROW_NUMBER() (QUALIFY, or WHERE rn <= k in an outer
// query, once pushed down) needs only the first k rows of each partition, so the window sorts just
// those (a partial sort) and drops the rest. The filter stays: it is still right.
#pragma once

#include <algorithm>

#include "visiondb/sql/logical_window.hpp"

namespace visiondb::sql::detail {

// The k for which `pred` keeps only rows with binding <= k, or -1.
inline int64_t row_number_bound(const BoundExpr& pred, const ColumnBinding& rn) {
  if (pred.kind != BoundExprKind::Function || pred.children.size() != 2) return -1;
  std::string op = static_cast<const BoundFunction&>(pred).function->name();
  const BoundExpr* a = pred.children[0].get();
  const BoundExpr* b = pred.children[1].get();
  if (a->kind == BoundExprKind::Constant) {
    std::swap(a, b);
    op = op == "<" ? ">" : op == "<=" ? ">=" : op == ">" ? "<" : op == ">=" ? "<=" : op;
  }
  if (a->kind != BoundExprKind::ColumnRef || b->kind != BoundExprKind::Constant) return -1;
  const auto& ref = static_cast<const BoundColumnRef&>(*a);
  const Value& v = static_cast<const BoundConstant&>(*b).value;
  if (ref.depth != 0 || !(ref.binding == rn) || v.is_null() || v.type().id() != TypeId::Int64) return -1;
  const int64_t k = v.as_int64();
  if (op == "<=" || op == "=") return std::max<int64_t>(k, 0);
  if (op == "<") return std::max<int64_t>(k - 1, 0);
  return -1;
}

inline LogicalOpPtr limit_window_partitions(LogicalOpPtr op) {
  for (auto& c : op->children) c = limit_window_partitions(std::move(c));
  if (op->kind != LogicalOpKind::Filter || op->children[0]->kind != LogicalOpKind::Window) return op;
  auto& w = static_cast<LogicalWindow&>(*op->children[0]);
  if (w.windows.size() != 1) return op;
  const auto& call = static_cast<const BoundWindow&>(*w.windows[0]);
  if (call.function != WindowFunctionKind::RowNumber) return op;
  const ColumnBinding rn{w.table_index, w.window_ids[0]};
  for (const auto& p : static_cast<LogicalFilter&>(*op).predicates) {
    int64_t k = row_number_bound(*p, rn);
    if (k >= 0) w.partition_limit = w.partition_limit < 0 ? k : std::min(w.partition_limit, k);
  }
  return op;
}

}  // namespace visiondb::sql::detail
