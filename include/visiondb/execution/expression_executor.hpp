// ExpressionExecutor: evaluates an exec::Expr over a chunk, column at a time. Column references
// come back as views of the input (no copy); functions run their kernels over whole columns;
// CASE, COALESCE, AND and OR evaluate each branch only on the rows that reach it, so
// `IF(x = 0, NULL, 1 / x)` never divides by zero.
#pragma once

#include <memory>
#include <vector>

#include "visiondb/execution/expression.hpp"

namespace visiondb::exec {

/// An expression result: a column read through an optional selection, or one constant row.
struct Vec {
  ColumnPtr column;
  std::shared_ptr<const SelectionVector> sel_owner;  ///< keeps `sel` alive
  const uint32_t* sel = nullptr;
  bool constant = false;
  ColumnView view() const noexcept { return ColumnView(column.get(), sel, constant); }
};

class ExpressionExecutor {
 public:
  /// Evaluates e over logical rows of `in`: rows[0..n) when `rows` is given, else all n = in.size().
  /// Errors are SqlError with the span of the failing expression.
  static Vec evaluate(const Expr& e, const Chunk& in, const uint32_t* rows, size_t n);
  /// The positions k in [0, n) where the predicate is TRUE (k indexes `rows` when given, else the
  /// logical rows of `in`), ascending.
  static void select(const Expr& e, const Chunk& in, const uint32_t* rows, size_t n, std::vector<uint32_t>& out);
  /// A dense n-row column holding v's rows.
  static ColumnPtr flatten(const Vec& v, size_t n);
  /// Evaluates an expression that reads no column (constant folding); one row.
  static Value evaluate_constant(const Expr& e);
};

}  // namespace visiondb::exec

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/execution/detail/expression_executor_impl.hpp"
#endif
