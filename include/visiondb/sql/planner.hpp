// The planner: rewrites a bound logical plan into a cheaper equivalent before execution.
//   1. constant folding (1 + 2 -> 3, CAST('2024-01-01' AS DATE) -> a DATE);
//   2. filter pushdown: WHERE terms move below projections, aggregates (on grouping columns) and
//      into the join side they read; terms over both sides of a cross product become its join
//      condition (comma joins become hash joins); what reaches a table scan is evaluated there;
//   3. ORDER BY + LIMIT -> TOP N;
//   4. COUNT(DISTINCT x) (all aggregates DISTINCT on one argument) -> a two-level GROUP BY;
//   5. projection pushdown: every operator keeps only the columns someone above reads, down to
//      the scan, which then reads only those (an object table's `data` only when used).
// Subquery plans inside expressions are planned the same way.
#pragma once

#include "visiondb/sql/logical_plan.hpp"

namespace visiondb::sql {

/// Evaluates an expression that reads no column; implemented by the executor (the planner is
/// below it). Throws what the evaluation throws.
class ConstantEvaluator {
 public:
  virtual ~ConstantEvaluator() = default;
  virtual Value evaluate(const BoundExpr& e) const = 0;
};

struct PlannerOptions {
  bool fold_constants = true;
  bool push_filters = true;
  bool prune_columns = true;
  bool top_n = true;
};

/// The optimized plan. The root keeps its output columns.
LogicalOpPtr optimize(LogicalOpPtr plan, const ConstantEvaluator& evaluator, const PlannerOptions& options = {});

/// Folds the constant subtrees of an expression (errors leave the subtree as it is: it may never run).
void fold_constants(BoundExprPtr& e, const ConstantEvaluator& evaluator);

}  // namespace visiondb::sql

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/sql/detail/planner_impl.hpp"
#endif
