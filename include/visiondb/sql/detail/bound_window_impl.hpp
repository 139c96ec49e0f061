// Out-of-line parts of bound_window.hpp.
#pragma once

#include "visiondb/config.hpp"
#include "visiondb/sql/bound_window.hpp"

namespace visiondb::sql {

VISIONDB_INLINE std::string_view window_function_name(WindowFunctionKind k) noexcept {
  switch (k) {
    case WindowFunctionKind::RowNumber: return "ROW_NUMBER";
    case WindowFunctionKind::Rank: return "RANK";
    case WindowFunctionKind::DenseRank: return "DENSE_RANK";
    case WindowFunctionKind::PercentRank: return "PERCENT_RANK";
    case WindowFunctionKind::CumeDist: return "CUME_DIST";
    case WindowFunctionKind::Ntile: return "NTILE";
    case WindowFunctionKind::Lag: return "LAG";
    case WindowFunctionKind::Lead: return "LEAD";
    case WindowFunctionKind::FirstValue: return "FIRST_VALUE";
    case WindowFunctionKind::LastValue: return "LAST_VALUE";
    case WindowFunctionKind::NthValue: return "NTH_VALUE";
    case WindowFunctionKind::Aggregate: return "";
  }
  return "";
}

namespace detail {
inline std::string frame_bound_text(const WindowFrameBound& b) {
  switch (b.kind) {
    case FrameBoundKind::UnboundedPreceding: return "UNBOUNDED PRECEDING";
    case FrameBoundKind::Preceding: return b.offset.to_string() + " PRECEDING";
    case FrameBoundKind::CurrentRow: return "CURRENT ROW";
    case FrameBoundKind::Following: return b.offset.to_string() + " FOLLOWING";
    case FrameBoundKind::UnboundedFollowing: return "UNBOUNDED FOLLOWING";
  }
  return "?";
}
}  // namespace detail

VISIONDB_INLINE std::string WindowFrameSpec::to_string() const {
  return std::string(unit == FrameUnit::Rows ? "ROWS" : "RANGE") + " BETWEEN " + detail::frame_bound_text(start) +
         " AND " + detail::frame_bound_text(end);
}

VISIONDB_INLINE bool BoundWindow::same_ordering(const BoundWindow& o) const {
  if (partition_count != o.partition_count || order_count() != o.order_count()) return false;
  for (size_t i = 0; i < partition_count; ++i)
    if (partition(i)->to_string() != o.partition(i)->to_string() || partition(i)->type != o.partition(i)->type) return false;
  for (size_t i = 0; i < order_count(); ++i)
    if (order(i)->to_string() != o.order(i)->to_string() || order(i)->type != o.order(i)->type ||
        descending[i] != o.descending[i] || nulls_first[i] != o.nulls_first[i])
      return false;
  return true;
}

VISIONDB_INLINE BoundExprPtr BoundWindow::clone() const {
  auto out = std::make_unique<BoundWindow>(function, type, span);
  out->aggregate = aggregate;
  out->distinct = distinct;
  out->ignore_nulls = ignore_nulls;
  out->arg_count = arg_count;
  out->partition_count = partition_count;
  out->descending = descending;
  out->nulls_first = nulls_first;
  out->frame = frame;
  out->constant_arg = constant_arg;
  clone_children_into(*out);
  return out;
}

VISIONDB_INLINE std::string BoundWindow::to_string() const {
  std::string out = function == WindowFunctionKind::Aggregate ? aggregate->name() : std::string(window_function_name(function));
  out += "(";
  if (distinct) out += "DISTINCT ";
  for (size_t i = 0; i < arg_count; ++i) out += (i ? ", " : "") + arg(i)->to_string();
  if (ignore_nulls) out += " IGNORE NULLS";
  out += ") OVER (";
  std::string spec;
  if (partition_count) {
    spec += "PARTITION BY ";
    for (size_t i = 0; i < partition_count; ++i) spec += (i ? ", " : "") + partition(i)->to_string();
  }
  if (order_count()) {
    spec += std::string(spec.empty() ? "" : " ") + "ORDER BY ";
    for (size_t i = 0; i < order_count(); ++i)
      spec += (i ? ", " : "") + order(i)->to_string() + (descending[i] ? " DESC" : "");
  }
  return out + spec + ")";
}

}  // namespace visiondb::sql
