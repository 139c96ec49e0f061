// The logical plan: a tree of relational operators over bound expressions, as the binder builds
// it and the planner rewrites it (filter and projection pushdown, constant folding, joins from
// comma joins, top-N). Every operator names its output columns by ColumnBinding.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "visiondb/sql/bound_expression.hpp"
#include "visiondb/sql/function_interface.hpp"
#include "visiondb/storage/data_source.hpp"
#include "visiondb/storage/table.hpp"

namespace visiondb::sql {

enum class LogicalOpKind : uint8_t {
  Get,            ///< reads a DataSource (table)
  Filter,
  Projection,
  Aggregate,      ///< GROUP BY and aggregates; DISTINCT too (groups only)
  Join,           ///< every join type, cross products included (no condition)
  Order,
  Limit,
  TopN,           ///< Order + Limit, made by the planner
  SetOp,          ///< UNION [ALL], INTERSECT DISTINCT, EXCEPT DISTINCT
  Values,         ///< constant rows (VALUES, SELECT without FROM)
  TableFunction,  ///< FROM fn(...), e.g. ML.PREDICT
  Window,         ///< reserved: window functions
  Unnest,         ///< reserved: UNNEST in FROM
};

class LogicalOp;
using LogicalOpPtr = std::unique_ptr<LogicalOp>;

class LogicalOp {
 public:
  explicit LogicalOp(LogicalOpKind kind) : kind(kind) {}
  virtual ~LogicalOp() = default;
  LogicalOpKind kind;
  std::vector<LogicalOpPtr> children;

  /// The output columns, in order.
  virtual std::vector<ColumnBinding> bindings() const = 0;
  virtual std::vector<LogicalType> types() const = 0;
  /// One EXPLAIN line (without children).
  virtual std::string describe() const = 0;
  /// A rough output row count for choosing join sides.
  virtual double estimate_rows() const;
  /// A deep copy (expressions and children).
  virtual LogicalOpPtr clone() const = 0;
  /// Calls f on each expression slot of an operator that for_each_expression() does not know
  /// (the dialect's UNNEST and WINDOW define theirs).
  virtual void visit_expressions(const std::function<void(BoundExprPtr&)>& f) { (void)f; }

 protected:
  void clone_children_into(LogicalOp& out) const {
    for (const auto& c : children) out.children.push_back(c->clone());
  }
};

/// The plan as indented lines, the root first.
std::string plan_to_string(const LogicalOp& op);

/// Calls f on every expression slot of op itself (not of its children).
void for_each_expression(LogicalOp& op, const std::function<void(BoundExprPtr&)>& f);

class LogicalGet final : public LogicalOp {
 public:
  LogicalGet(uint32_t table_index, std::shared_ptr<const DataSource> source, std::string name,
             std::shared_ptr<const SourceSnapshot> snapshot)
      : LogicalOp(LogicalOpKind::Get), table_index(table_index), source(std::move(source)),
        name(std::move(name)), snapshot(std::move(snapshot)) {}
  uint32_t table_index;
  std::shared_ptr<const DataSource> source;
  std::string name;
  /// The rows this statement reads (opened at bind time: one consistent view per statement).
  std::shared_ptr<const SourceSnapshot> snapshot;
  /// Schema columns read, in output order; binding (table_index, schema column).
  std::vector<uint32_t> column_ids;
  /// Filters pushed into the scan (over this Get's bindings).
  std::vector<BoundExprPtr> filters;

  std::vector<ColumnBinding> bindings() const override;
  std::vector<LogicalType> types() const override;
  std::string describe() const override;
  double estimate_rows() const override;
  LogicalOpPtr clone() const override;
};

class LogicalFilter final : public LogicalOp {
 public:
  LogicalFilter(LogicalOpPtr child, BoundExprPtr predicate) : LogicalOp(LogicalOpKind::Filter) {
    children.push_back(std::move(child));
    split_conjunction(std::move(predicate), predicates);
  }
  LogicalFilter() : LogicalOp(LogicalOpKind::Filter) {}
  /// Conjuncts.
  std::vector<BoundExprPtr> predicates;
  std::vector<ColumnBinding> bindings() const override { return children[0]->bindings(); }
  std::vector<LogicalType> types() const override { return children[0]->types(); }
  std::string describe() const override;
  double estimate_rows() const override { return children[0]->estimate_rows() * 0.5; }
  LogicalOpPtr clone() const override;
};

class LogicalProjection final : public LogicalOp {
 public:
  LogicalProjection(uint32_t table_index, LogicalOpPtr child, std::vector<BoundExprPtr> exprs);
  uint32_t table_index;
  std::vector<BoundExprPtr> exprs;
  /// Binding column number of each expression (stable when others are pruned).
  std::vector<uint32_t> column_ids;
  std::vector<ColumnBinding> bindings() const override;
  std::vector<LogicalType> types() const override;
  std::string describe() const override;
  double estimate_rows() const override { return children[0]->estimate_rows(); }
  LogicalOpPtr clone() const override;
};

class LogicalAggregate final : public LogicalOp {
 public:
  LogicalAggregate(uint32_t group_index, uint32_t aggregate_index, LogicalOpPtr child)
      : LogicalOp(LogicalOpKind::Aggregate), group_index(group_index), aggregate_index(aggregate_index) {
    children.push_back(std::move(child));
  }
  uint32_t group_index;      ///< bindings (group_index, i) for groups[i]
  uint32_t aggregate_index;  ///< bindings (aggregate_index, aggregate_ids[i]) for aggregates[i]
  std::vector<BoundExprPtr> groups;
  std::vector<BoundExprPtr> aggregates;  ///< BoundAggregate each
  std::vector<uint32_t> aggregate_ids;
  std::vector<ColumnBinding> bindings() const override;
  std::vector<LogicalType> types() const override;
  std::string describe() const override;
  double estimate_rows() const override;
  LogicalOpPtr clone() const override;
};

enum class JoinType : uint8_t {
  Inner,
  Left,
  Right,
  Full,
  Semi,  ///< left rows with a match (EXISTS, IN)
  Anti,  ///< left rows without a match (NOT EXISTS)
  Mark,  ///< left rows plus a BOOL: matched, or NULL per IN's rules (x IN (subquery) in expressions)
};
std::string_view join_type_name(JoinType t) noexcept;

class LogicalJoin final : public LogicalOp {
 public:
  LogicalJoin(JoinType type, LogicalOpPtr left, LogicalOpPtr right) : LogicalOp(LogicalOpKind::Join), join_type(type) {
    children.push_back(std::move(left));
    children.push_back(std::move(right));
  }
  JoinType join_type;
  /// Conjuncts over both sides' bindings; empty: a cross product.
  std::vector<BoundExprPtr> conditions;
  /// Mark joins: the binding of the BOOL column; NOT IN uses null-aware anti semantics.
  ColumnBinding mark_binding;
  bool null_aware = false;
  /// INNER/LEFT/RIGHT/FULL: when set, the output is only these columns (left ones first, in
  /// order): the planner's projection pushdown, so the join does not copy what nobody reads.
  bool projected = false;
  std::vector<ColumnBinding> projection;
  std::vector<ColumnBinding> bindings() const override;
  std::vector<LogicalType> types() const override;
  std::string describe() const override;
  double estimate_rows() const override;
  LogicalOpPtr clone() const override;
};

struct OrderKey {
  BoundExprPtr expr;
  bool descending = false;
  bool nulls_first = true;  ///< BigQuery: NULLS FIRST for ASC, NULLS LAST for DESC by default
  OrderKey clone() const { return OrderKey{expr->clone(), descending, nulls_first}; }
  std::string to_string() const;
};

class LogicalOrder final : public LogicalOp {
 public:
  LogicalOrder(LogicalOpPtr child, std::vector<OrderKey> keys) : LogicalOp(LogicalOpKind::Order), keys(std::move(keys)) {
    children.push_back(std::move(child));
  }
  std::vector<OrderKey> keys;
  std::vector<ColumnBinding> bindings() const override { return children[0]->bindings(); }
  std::vector<LogicalType> types() const override { return children[0]->types(); }
  std::string describe() const override;
  double estimate_rows() const override { return children[0]->estimate_rows(); }
  LogicalOpPtr clone() const override;
};

class LogicalLimit final : public LogicalOp {
 public:
  LogicalLimit(LogicalOpPtr child, int64_t limit, int64_t offset)
      : LogicalOp(LogicalOpKind::Limit), limit(limit), offset(offset) {
    children.push_back(std::move(child));
  }
  int64_t limit;  ///< -1: none (OFFSET only)
  int64_t offset;
  std::vector<ColumnBinding> bindings() const override { return children[0]->bindings(); }
  std::vector<LogicalType> types() const override { return children[0]->types(); }
  std::string describe() const override;
  double estimate_rows() const override;
  LogicalOpPtr clone() const override;
};

class LogicalTopN final : public LogicalOp {
 public:
  LogicalTopN(LogicalOpPtr child, std::vector<OrderKey> keys, int64_t limit, int64_t offset)
      : LogicalOp(LogicalOpKind::TopN), keys(std::move(keys)), limit(limit), offset(offset) {
    children.push_back(std::move(child));
  }
  std::vector<OrderKey> keys;
  int64_t limit;
  int64_t offset;
  std::vector<ColumnBinding> bindings() const override { return children[0]->bindings(); }
  std::vector<LogicalType> types() const override { return children[0]->types(); }
  std::string describe() const override;
  double estimate_rows() const override { return static_cast<double>(limit); }
  LogicalOpPtr clone() const override;
};

enum class SetOpKind : uint8_t { UnionAll, Union, Intersect, Except };

class LogicalSetOp final : public LogicalOp {
 public:
  LogicalSetOp(SetOpKind k, uint32_t table_index, std::vector<LogicalType> types, LogicalOpPtr left, LogicalOpPtr right)
      : LogicalOp(LogicalOpKind::SetOp), set_kind(k), table_index(table_index), output_types(std::move(types)) {
    children.push_back(std::move(left));
    children.push_back(std::move(right));
  }
  SetOpKind set_kind;
  uint32_t table_index;
  std::vector<LogicalType> output_types;
  std::vector<ColumnBinding> bindings() const override;
  std::vector<LogicalType> types() const override { return output_types; }
  std::string describe() const override;
  double estimate_rows() const override;
  LogicalOpPtr clone() const override;
};

/// Constant rows; a single row of no columns is the input of SELECT without FROM.
class LogicalValues final : public LogicalOp {
 public:
  LogicalValues(uint32_t table_index, std::vector<LogicalType> types)
      : LogicalOp(LogicalOpKind::Values), table_index(table_index), value_types(std::move(types)) {}
  uint32_t table_index;
  std::vector<LogicalType> value_types;
  std::vector<std::vector<BoundExprPtr>> rows;
  std::vector<ColumnBinding> bindings() const override;
  std::vector<LogicalType> types() const override { return value_types; }
  std::string describe() const override;
  double estimate_rows() const override { return static_cast<double>(rows.size()); }
  LogicalOpPtr clone() const override;
};

class LogicalTableFunction final : public LogicalOp {
 public:
  LogicalTableFunction(uint32_t table_index, std::string name, std::shared_ptr<BoundTableFunction> fn)
      : LogicalOp(LogicalOpKind::TableFunction), table_index(table_index), name(std::move(name)), function(std::move(fn)) {}
  uint32_t table_index;
  std::string name;
  std::shared_ptr<BoundTableFunction> function;
  /// The output columns used (pruned by the planner; the function computes only these).
  std::vector<uint32_t> column_ids;
  std::vector<ColumnBinding> bindings() const override;
  std::vector<LogicalType> types() const override;
  std::string describe() const override;
  double estimate_rows() const override;
  LogicalOpPtr clone() const override;
};

}  // namespace visiondb::sql

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/sql/detail/logical_plan_impl.hpp"
#endif
