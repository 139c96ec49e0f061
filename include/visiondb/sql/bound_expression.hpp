// Bound expressions: what the binder makes of AST expressions. Names are resolved to
// ColumnBindings, functions to overloads, every node has a type and the span of its text. The
// planner rewrites them; the physical planner turns bindings into column positions.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "visiondb/common/error.hpp"
#include "visiondb/sql/function_interface.hpp"
#include "visiondb/storage/types.hpp"
#include "visiondb/storage/value.hpp"

namespace visiondb::sql {

class LogicalOp;

/// A column produced by a logical operator: (the operator's table index, its column number).
/// Stable under rewrites: pruning a column never renumbers the others.
struct ColumnBinding {
  uint32_t table = 0;
  uint32_t column = 0;
  friend bool operator==(const ColumnBinding&, const ColumnBinding&) = default;
  friend bool operator<(const ColumnBinding& a, const ColumnBinding& b) {
    return a.table != b.table ? a.table < b.table : a.column < b.column;
  }
};

struct ColumnBindingHash {
  size_t operator()(const ColumnBinding& b) const noexcept {
    return std::hash<uint64_t>()((uint64_t{b.table} << 32) | b.column);
  }
};

enum class BoundExprKind : uint8_t {
  Constant,
  ColumnRef,     ///< a column of the input, or (depth > 0) of an enclosing query: correlated
  Function,      ///< a scalar function call; operators (+, =, LIKE) are functions too
  Cast,          ///< CAST / SAFE_CAST
  And,           ///< n-ary, three-valued
  Or,            ///< n-ary, three-valued
  Not,
  IsNull,
  IsNotNull,
  Case,          ///< children: when0, then0, when1, then1, ..., else
  Coalesce,      ///< first non-NULL child, evaluated lazily
  InList,        ///< children: needle, item0, item1, ...
  Subquery,      ///< scalar, EXISTS, IN (subquery)
  Aggregate,     ///< only inside LogicalAggregate
  Window,        ///< BoundWindow: a window function call, only inside LogicalWindow
  ArrayPack,     ///< [a, b, ...] with non-constant elements: children are the elements
  StructPack,    ///< STRUCT(a AS x, ...) / (a, b): children are the fields, in order
  FieldAccess,   ///< BoundFieldAccess: one field of a STRUCT value (NULL when the STRUCT is)
};

class BoundExpr;
using BoundExprPtr = std::unique_ptr<BoundExpr>;

class BoundExpr {
 public:
  BoundExpr(BoundExprKind kind, LogicalType type, SourceSpan span = {})
      : kind(kind), type(std::move(type)), span(span) {}
  virtual ~BoundExpr() = default;

  BoundExprKind kind;
  LogicalType type;
  SourceSpan span;
  std::vector<BoundExprPtr> children;

  /// A deep copy.
  virtual BoundExprPtr clone() const = 0;
  /// SQL-like text for EXPLAIN.
  virtual std::string to_string() const = 0;
  /// False when it or a child calls a non-deterministic function or runs a subquery.
  bool is_foldable() const;
  /// True when it reads no column at all (depth 0 or outer).
  bool is_constant_tree() const;

 protected:
  void clone_children_into(BoundExpr& out) const {
    for (const auto& c : children) out.children.push_back(c->clone());
  }
};

class BoundConstant final : public BoundExpr {
 public:
  explicit BoundConstant(Value v, SourceSpan span = {})
      : BoundExpr(BoundExprKind::Constant, v.type(), span), value(std::move(v)) {}
  Value value;
  BoundExprPtr clone() const override { return std::make_unique<BoundConstant>(value, span); }
  std::string to_string() const override { return value.to_sql(); }
};

class BoundColumnRef final : public BoundExpr {
 public:
  BoundColumnRef(ColumnBinding b, LogicalType type, std::string name, SourceSpan span = {}, uint32_t depth = 0)
      : BoundExpr(BoundExprKind::ColumnRef, std::move(type), span), binding(b), name(std::move(name)), depth(depth) {}
  ColumnBinding binding;
  std::string name;
  /// 0: a column of this query's input; n > 0: of the query n levels out (correlated).
  uint32_t depth = 0;
  BoundExprPtr clone() const override { return std::make_unique<BoundColumnRef>(binding, type, name, span, depth); }
  std::string to_string() const override {
    return (name.empty() ? "#" + std::to_string(binding.table) + "." + std::to_string(binding.column) : name) +
           (depth ? "(outer)" : "");
  }
};

class BoundFunction final : public BoundExpr {
 public:
  BoundFunction(std::shared_ptr<const ScalarFunction> fn, std::vector<BoundExprPtr> args, bool safe, SourceSpan span = {})
      : BoundExpr(BoundExprKind::Function, fn->return_type(), span), function(std::move(fn)), safe(safe) {
    children = std::move(args);
  }
  std::shared_ptr<const ScalarFunction> function;
  bool safe = false;
  BoundExprPtr clone() const override;
  std::string to_string() const override;
};

class BoundCast final : public BoundExpr {
 public:
  BoundCast(BoundExprPtr child, LogicalType target, std::shared_ptr<const ScalarFunction> fn, bool safe, SourceSpan span = {})
      : BoundExpr(BoundExprKind::Cast, std::move(target), span), function(std::move(fn)), safe(safe) {
    children.push_back(std::move(child));
  }
  /// The conversion kernel (from FunctionCatalog::resolve_cast).
  std::shared_ptr<const ScalarFunction> function;
  bool safe = false;
  BoundExprPtr clone() const override {
    return std::make_unique<BoundCast>(children[0]->clone(), type, function, safe, span);
  }
  std::string to_string() const override {
    return std::string(safe ? "SAFE_CAST(" : "CAST(") + children[0]->to_string() + " AS " + type.to_string() + ")";
  }
};

/// AND, OR, NOT, IS [NOT] NULL, CASE, COALESCE, IN (list): special forms, evaluated lazily where
/// SQL requires (a CASE branch runs only on the rows that reach it).
class BoundOperator final : public BoundExpr {
 public:
  BoundOperator(BoundExprKind kind, LogicalType type, std::vector<BoundExprPtr> args, SourceSpan span = {})
      : BoundExpr(kind, std::move(type), span) {
    children = std::move(args);
  }
  BoundExprPtr clone() const override;
  std::string to_string() const override;
};

enum class BoundSubqueryKind : uint8_t { Scalar, Exists, In, Array };

/// A subquery used as an expression. Uncorrelated ones run once per statement; correlated ones
/// (their plan reads ColumnRefs of depth 1) run per distinct outer row.
class BoundSubquery final : public BoundExpr {
 public:
  BoundSubquery(BoundSubqueryKind sk, LogicalType type, std::shared_ptr<LogicalOp> plan, SourceSpan span = {})
      : BoundExpr(BoundExprKind::Subquery, std::move(type), span), subquery_kind(sk), plan(std::move(plan)) {}
  BoundSubqueryKind subquery_kind;
  /// The subquery's plan; its first output column is the value (Scalar, In, Array).
  std::shared_ptr<LogicalOp> plan;
  /// NOT IN.
  bool negated = false;
  /// IN: the `=` between the needle and the subquery's column (the planner's semi joins use it).
  std::shared_ptr<const ScalarFunction> in_equal;
  /// The outer columns the plan reads (its depth-1 ColumnRefs), in a fixed order. The children
  /// are, for IN, the needle first, then one expression per correlated column giving its value
  /// in the outer query (a column reference there, or a GROUP BY key after aggregation).
  std::vector<ColumnBinding> correlated;
  BoundExprPtr clone() const override;
  std::string to_string() const override;
};

class BoundAggregate final : public BoundExpr {
 public:
  BoundAggregate(std::shared_ptr<const AggregateFunction> fn, std::vector<BoundExprPtr> args, bool distinct,
                SourceSpan span = {})
      : BoundExpr(BoundExprKind::Aggregate, fn->return_type(), span), function(std::move(fn)), distinct(distinct) {
    children = std::move(args);
  }
  std::shared_ptr<const AggregateFunction> function;
  bool distinct = false;
  /// For DISTINCT: the same aggregate without DISTINCT (the planner's two-level GROUP BY uses it).
  std::shared_ptr<const AggregateFunction> plain_function;
  /// " IGNORE NULLS ORDER BY k DESC LIMIT 3" when the call has modifiers: its children are then
  /// the arguments followed by the ORDER BY keys.
  std::string modifiers;
  size_t order_keys = 0;
  BoundExprPtr clone() const override;
  std::string to_string() const override;
};

/// s.field: field `field` of the STRUCT child.
class BoundFieldAccess final : public BoundExpr {
 public:
  BoundFieldAccess(BoundExprPtr child, size_t field, SourceSpan span = {})
      : BoundExpr(BoundExprKind::FieldAccess, *child->type.fields()[field].type, span), field(field) {
    children.push_back(std::move(child));
  }
  size_t field;
  BoundExprPtr clone() const override { return std::make_unique<BoundFieldAccess>(children[0]->clone(), field, span); }
  std::string to_string() const override {
    const auto& name = children[0]->type.fields()[field].name;
    return children[0]->to_string() + "." + (name.empty() ? "_field_" + std::to_string(field + 1) : name);
  }
};

// ---- small builders -------------------------------------------------------------------------

inline BoundExprPtr make_constant(Value v, SourceSpan span = {}) { return std::make_unique<BoundConstant>(std::move(v), span); }
inline BoundExprPtr make_column_ref(ColumnBinding b, LogicalType t, std::string name = {}) {
  return std::make_unique<BoundColumnRef>(b, std::move(t), std::move(name));
}
BoundExprPtr make_and(std::vector<BoundExprPtr> terms);
/// Splits nested ANDs into their terms.
void split_conjunction(BoundExprPtr expr, std::vector<BoundExprPtr>& out);
/// Calls f on every node, parents before children (subquery plans are not entered).
void visit_bound(const BoundExpr& e, const std::function<void(const BoundExpr&)>& f);
void visit_bound_mut(BoundExpr& e, const std::function<void(BoundExpr&)>& f);
/// The depth-0 bindings an expression reads.
void collect_bindings(const BoundExpr& e, std::vector<ColumnBinding>& out);
/// Replaces every depth-0 ColumnRef for which f returns an expression.
void replace_column_refs(BoundExprPtr& e, const std::function<BoundExprPtr(const BoundColumnRef&)>& f);

}  // namespace visiondb::sql

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/sql/detail/bound_expression_impl.hpp"
#endif
