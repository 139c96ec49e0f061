// PhysicalPlanner: logical plan -> operators. Resolves ColumnBindings to column positions,
// prepares functions for their call sites (a constant LIKE pattern or regexp compiled once),
// splits join conditions into hash keys and a residual, picks the build side, and turns subquery
// expressions into SubqueryRunners.
#pragma once

#include <memory>
#include <unordered_map>
#include <vector>

#include "visiondb/execution/expression.hpp"
#include "visiondb/execution/operator.hpp"
#include "visiondb/sql/logical_plan.hpp"

namespace visiondb::exec {

using BindingMap = std::unordered_map<sql::ColumnBinding, size_t, sql::ColumnBindingHash>;

class PhysicalPlanner {
 public:
  explicit PhysicalPlanner(ExecContext& ctx) : ctx_(ctx) {}
  OperatorPtr plan(const sql::LogicalOp& op);
  /// Compiles a bound expression against an input whose columns have these bindings.
  ExprUPtr compile(const sql::BoundExpr& e, const BindingMap& input);
  static BindingMap binding_map(const std::vector<sql::ColumnBinding>& bindings);

 private:
  OperatorPtr plan_get(const sql::LogicalGet& op);
  OperatorPtr plan_join(const sql::LogicalJoin& op);
  OperatorPtr plan_aggregate(const sql::LogicalAggregate& op);
  OperatorPtr plan_set_op(const sql::LogicalSetOp& op);
  ExecContext& ctx_;
};

/// Plans and runs a logical plan; its output chunks in order.
std::vector<ChunkPtr> execute_plan(const sql::LogicalOp& plan, ExecContext& ctx);

/// Evaluates a bound expression that reads no column (the planner's constant folding).
Value evaluate_constant_expr(const sql::BoundExpr& e);

}  // namespace visiondb::exec

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/execution/detail/physical_planner_impl.hpp"
#endif
