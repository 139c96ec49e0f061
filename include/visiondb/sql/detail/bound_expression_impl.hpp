// Out-of-line parts of bound_expression.hpp.
#pragma once

#include "visiondb/config.hpp"
#include "visiondb/sql/bound_expression.hpp"

namespace visiondb::sql {

VISIONDB_INLINE bool BoundExpr::is_foldable() const {
  if (kind == ExprKind::Subquery || kind == ExprKind::Aggregate || kind == ExprKind::Window ||
      kind == ExprKind::ColumnRef)
    return false;
  if (kind == ExprKind::Function && !static_cast<const FunctionExpr*>(this)->function->deterministic()) return false;
  for (const auto& c : children)
    if (!c->is_foldable()) return false;
  return true;
}

VISIONDB_INLINE bool BoundExpr::is_constant_tree() const {
  if (kind == ExprKind::ColumnRef) return false;
  if (kind == ExprKind::Subquery && !static_cast<const SubqueryExpr*>(this)->correlated.empty()) return false;
  for (const auto& c : children)
    if (!c->is_constant_tree()) return false;
  return true;
}

VISIONDB_INLINE ExprPtr FunctionExpr::clone() const {
  std::vector<ExprPtr> args;
  for (const auto& c : children) args.push_back(c->clone());
  return std::make_unique<FunctionExpr>(function, std::move(args), safe, span);
}

namespace detail {
inline bool is_operator_name(const std::string& n) {
  return !n.empty() && !((n[0] >= 'a' && n[0] <= 'z') || (n[0] >= 'A' && n[0] <= 'Z') || n[0] == '_');
}
}  // namespace detail

VISIONDB_INLINE std::string FunctionExpr::to_string() const {
  const std::string& n = function->name();
  if (detail::is_operator_name(n) && children.size() == 2)
    return "(" + children[0]->to_string() + " " + n + " " + children[1]->to_string() + ")";
  if (detail::is_operator_name(n) && children.size() == 1) return "(" + n + children[0]->to_string() + ")";
  if ((n == "like" || n == "not like") && children.size() == 2)
    return "(" + children[0]->to_string() + " " + (n == "like" ? "LIKE " : "NOT LIKE ") + children[1]->to_string() + ")";
  std::string out = (safe ? "SAFE." : "") + n + "(";
  for (size_t i = 0; i < children.size(); ++i) out += (i ? ", " : "") + children[i]->to_string();
  return out + ")";
}

VISIONDB_INLINE ExprPtr OperatorExpr::clone() const {
  std::vector<ExprPtr> args;
  for (const auto& c : children) args.push_back(c->clone());
  return std::make_unique<OperatorExpr>(kind, type, std::move(args), span);
}

VISIONDB_INLINE std::string OperatorExpr::to_string() const {
  auto join = [&](const char* sep, size_t from = 0) {
    std::string out;
    for (size_t i = from; i < children.size(); ++i) out += (i > from ? sep : "") + children[i]->to_string();
    return out;
  };
  switch (kind) {
    case ExprKind::And: return "(" + join(" AND ") + ")";
    case ExprKind::Or: return "(" + join(" OR ") + ")";
    case ExprKind::Not: return "(NOT " + children[0]->to_string() + ")";
    case ExprKind::IsNull: return "(" + children[0]->to_string() + " IS NULL)";
    case ExprKind::IsNotNull: return "(" + children[0]->to_string() + " IS NOT NULL)";
    case ExprKind::Coalesce: return "COALESCE(" + join(", ") + ")";
    case ExprKind::InList: return "(" + children[0]->to_string() + " IN (" + join(", ", 1) + "))";
    case ExprKind::Case: {
      std::string out = "CASE";
      for (size_t i = 0; i + 1 < children.size(); i += 2)
        out += " WHEN " + children[i]->to_string() + " THEN " + children[i + 1]->to_string();
      return out + " ELSE " + children.back()->to_string() + " END";
    }
    default: return "?";
  }
}

VISIONDB_INLINE ExprPtr SubqueryExpr::clone() const {
  auto out = std::make_unique<SubqueryExpr>(subquery_kind, type, plan, span);
  out->negated = negated;
  out->correlated = correlated;
  out->correlated_types = correlated_types;
  clone_children_into(*out);
  return out;
}

VISIONDB_INLINE std::string SubqueryExpr::to_string() const {
  switch (subquery_kind) {
    case SubqueryKind::Scalar: return "(SUBQUERY)";
    case SubqueryKind::Exists: return "EXISTS(SUBQUERY)";
    case SubqueryKind::Array: return "ARRAY(SUBQUERY)";
    case SubqueryKind::In:
      return "(" + children[0]->to_string() + (negated ? " NOT IN " : " IN ") + "(SUBQUERY))";
  }
  return "(SUBQUERY)";
}

VISIONDB_INLINE ExprPtr AggregateExpr::clone() const {
  std::vector<ExprPtr> args;
  for (const auto& c : children) args.push_back(c->clone());
  return std::make_unique<AggregateExpr>(function, std::move(args), distinct, span);
}

VISIONDB_INLINE std::string AggregateExpr::to_string() const {
  std::string out = function->name() + "(" + (distinct ? "DISTINCT " : "");
  if (children.empty() && function->name() == "count") out += "*";
  for (size_t i = 0; i < children.size(); ++i) out += (i ? ", " : "") + children[i]->to_string();
  return out + ")";
}

VISIONDB_INLINE ExprPtr make_and(std::vector<ExprPtr> terms) {
  if (terms.empty()) return make_constant(Value::boolean(true));
  if (terms.size() == 1) return std::move(terms[0]);
  return std::make_unique<OperatorExpr>(ExprKind::And, LogicalType::boolean(), std::move(terms));
}

VISIONDB_INLINE void split_conjunction(ExprPtr expr, std::vector<ExprPtr>& out) {
  if (expr->kind == ExprKind::And) {
    for (auto& c : expr->children) split_conjunction(std::move(c), out);
    return;
  }
  out.push_back(std::move(expr));
}

VISIONDB_INLINE void visit_expr(const BoundExpr& e, const std::function<void(const BoundExpr&)>& f) {
  f(e);
  for (const auto& c : e.children) visit_expr(*c, f);
}

VISIONDB_INLINE void visit_expr_mut(BoundExpr& e, const std::function<void(BoundExpr&)>& f) {
  f(e);
  for (auto& c : e.children) visit_expr_mut(*c, f);
}

VISIONDB_INLINE void collect_bindings(const BoundExpr& e, std::vector<ColumnBinding>& out) {
  visit_expr(e, [&](const BoundExpr& x) {
    if (x.kind == ExprKind::ColumnRef) {
      const auto& r = static_cast<const ColumnRefExpr&>(x);
      if (r.depth == 0) out.push_back(r.binding);
    }
  });
}

VISIONDB_INLINE void replace_column_refs(ExprPtr& e, const std::function<ExprPtr(const ColumnRefExpr&)>& f) {
  if (e->kind == ExprKind::ColumnRef) {
    const auto& r = static_cast<const ColumnRefExpr&>(*e);
    if (r.depth == 0)
      if (ExprPtr repl = f(r)) e = std::move(repl);
    return;
  }
  for (auto& c : e->children) replace_column_refs(c, f);
}

}  // namespace visiondb::sql
