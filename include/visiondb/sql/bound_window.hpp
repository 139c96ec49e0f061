// BoundWindow: a window (analytic) function call as the binder resolves it: the function, its
// arguments, PARTITION BY, ORDER BY and the frame (BigQuery's default filled in). It lives in a
// LogicalWindow; the select list reads its result through a column reference.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "visiondb/sql/ast_expr.hpp"
#include "visiondb/sql/bound_expression.hpp"

namespace visiondb::sql {

enum class WindowFunctionKind : uint8_t {
  RowNumber, Rank, DenseRank, PercentRank, CumeDist, Ntile,  // numbering
  Lag, Lead, FirstValue, LastValue, NthValue,                  // navigation
  Aggregate,                                                    // any aggregate OVER (...)
};

/// The SQL name of a window function kind (ROW_NUMBER, ...; "" for Aggregate).
std::string_view window_function_name(WindowFunctionKind k) noexcept;

/// One end of a frame, with its offset evaluated (INT64 for ROWS, a number for RANGE).
struct WindowFrameBound {
  FrameBoundKind kind = FrameBoundKind::CurrentRow;
  Value offset;
};

/// ROWS|RANGE BETWEEN start AND end.
struct WindowFrameSpec {
  FrameUnit unit = FrameUnit::Rows;
  WindowFrameBound start;
  WindowFrameBound end;
  std::string to_string() const;
};

class BoundWindow final : public BoundExpr {
 public:
  BoundWindow(WindowFunctionKind function, LogicalType type, SourceSpan span = {})
      : BoundExpr(BoundExprKind::Window, std::move(type), span), function(function) {}

  WindowFunctionKind function;
  /// Aggregate: the aggregate (DISTINCT already wrapped in when distinct).
  std::shared_ptr<const AggregateFunction> aggregate;
  bool distinct = false;
  /// FIRST_VALUE / LAST_VALUE / NTH_VALUE ... IGNORE NULLS.
  bool ignore_nulls = false;
  /// children: the arguments, then the PARTITION BY keys, then the ORDER BY keys.
  size_t arg_count = 0;
  size_t partition_count = 0;
  std::vector<bool> descending;   ///< per ORDER BY key
  std::vector<bool> nulls_first;  ///< per ORDER BY key
  WindowFrameSpec frame;
  /// LAG / LEAD offset, NTH_VALUE's n, NTILE's bucket count (constants).
  int64_t constant_arg = 0;

  size_t order_count() const noexcept { return descending.size(); }
  const BoundExprPtr& arg(size_t i) const { return children[i]; }
  const BoundExprPtr& partition(size_t i) const { return children[arg_count + i]; }
  const BoundExprPtr& order(size_t i) const { return children[arg_count + partition_count + i]; }
  /// True when two calls share PARTITION BY and ORDER BY (one sort serves both).
  bool same_ordering(const BoundWindow& other) const;

  BoundExprPtr clone() const override;
  std::string to_string() const override;
};

}  // namespace visiondb::sql

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/sql/detail/bound_window_impl.hpp"
#endif
