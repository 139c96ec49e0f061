// Out-of-line parts of bound_expression.hpp.
#pragma once

#include "visiondb/config.hpp"
#include "visiondb/sql/bound_expression.hpp"

namespace visiondb::sql {

VISIONDB_INLINE bool BoundExpr::is_foldable() const {
  if (kind == BoundExprKind::Subquery || kind == BoundExprKind::Aggregate || kind == BoundExprKind::Window ||
      kind == BoundExprKind::ColumnRef)
    return false;
  if (kind == BoundExprKind::Function && !static_cast<const BoundFunction*>(this)->function->deterministic()) return false;
  for (const auto& c : children)
    if (!c->is_foldable()) return false;
  return true;
}

VISIONDB_INLINE bool BoundExpr::is_constant_tree() const {
  if (kind == BoundExprKind::ColumnRef) return false;
  if (kind == BoundExprKind::Subquery && !static_cast<const BoundSubquery*>(this)->correlated.empty()) return false;
  for (const auto& c : children)
    if (!c->is_constant_tree()) return false;
  return true;
}

VISIONDB_INLINE BoundExprPtr BoundFunction::clone() const {
  std::vector<BoundExprPtr> args;
  for (const auto& c : children) args.push_back(c->clone());
  return std::make_unique<BoundFunction>(function, std::move(args), safe, span);
}

namespace detail {
inline bool is_operator_name(const std::string& n) {
  return !n.empty() && !((n[0] >= 'a' && n[0] <= 'z') || (n[0] >= 'A' && n[0] <= 'Z') || n[0] == '_');
}
}  // namespace detail

VISIONDB_INLINE std::string BoundFunction::to_string() const {
  const std::string& n = function->name();
  if ((n == "$offset" || n == "$ordinal") && children.size() == 2)
    return children[0]->to_string() + "[" + (safe ? "SAFE_" : "") + (n == "$offset" ? "OFFSET(" : "ORDINAL(") +
           children[1]->to_string() + ")]";
  if (n == "$in_unnest" && children.size() == 2)
    return "(" + children[0]->to_string() + " IN UNNEST(" + children[1]->to_string() + "))";
  if (detail::is_operator_name(n) && children.size() == 2)
    return "(" + children[0]->to_string() + " " + n + " " + children[1]->to_string() + ")";
  if (detail::is_operator_name(n) && children.size() == 1) return "(" + n + children[0]->to_string() + ")";
  if ((n == "like" || n == "not like") && children.size() == 2)
    return "(" + children[0]->to_string() + " " + (n == "like" ? "LIKE " : "NOT LIKE ") + children[1]->to_string() + ")";
  std::string out = (safe ? "SAFE." : "") + n + "(";
  for (size_t i = 0; i < children.size(); ++i) out += (i ? ", " : "") + children[i]->to_string();
  return out + ")";
}

VISIONDB_INLINE BoundExprPtr BoundOperator::clone() const {
  std::vector<BoundExprPtr> args;
  for (const auto& c : children) args.push_back(c->clone());
  return std::make_unique<BoundOperator>(kind, type, std::move(args), span);
}

VISIONDB_INLINE std::string BoundOperator::to_string() const {
  auto join = [&](const char* sep, size_t from = 0) {
    std::string out;
    for (size_t i = from; i < children.size(); ++i) out += (i > from ? sep : "") + children[i]->to_string();
    return out;
  };
  switch (kind) {
    case BoundExprKind::And: return "(" + join(" AND ") + ")";
    case BoundExprKind::Or: return "(" + join(" OR ") + ")";
    case BoundExprKind::Not: return "(NOT " + children[0]->to_string() + ")";
    case BoundExprKind::IsNull: return "(" + children[0]->to_string() + " IS NULL)";
    case BoundExprKind::IsNotNull: return "(" + children[0]->to_string() + " IS NOT NULL)";
    case BoundExprKind::Coalesce: return "COALESCE(" + join(", ") + ")";
    case BoundExprKind::InList: return "(" + children[0]->to_string() + " IN (" + join(", ", 1) + "))";
    case BoundExprKind::ArrayPack: return "[" + join(", ") + "]";
    case BoundExprKind::StructPack: {
      std::string out = "STRUCT(";
      const auto& fs = type.fields();
      for (size_t i = 0; i < children.size(); ++i)
        out += (i ? ", " : "") + children[i]->to_string() + (fs[i].name.empty() ? "" : " AS " + fs[i].name);
      return out + ")";
    }
    case BoundExprKind::Case: {
      std::string out = "CASE";
      for (size_t i = 0; i + 1 < children.size(); i += 2)
        out += " WHEN " + children[i]->to_string() + " THEN " + children[i + 1]->to_string();
      return out + " ELSE " + children.back()->to_string() + " END";
    }
    default: return "?";
  }
}

VISIONDB_INLINE BoundExprPtr BoundSubquery::clone() const {
  auto out = std::make_unique<BoundSubquery>(subquery_kind, type, plan, span);
  out->negated = negated;
  out->in_equal = in_equal;
  out->correlated = correlated;
  clone_children_into(*out);
  return out;
}

VISIONDB_INLINE std::string BoundSubquery::to_string() const {
  switch (subquery_kind) {
    case BoundSubqueryKind::Scalar: return "(SUBQUERY)";
    case BoundSubqueryKind::Exists: return "EXISTS(SUBQUERY)";
    case BoundSubqueryKind::Array: return "ARRAY(SUBQUERY)";
    case BoundSubqueryKind::In:
      return "(" + children[0]->to_string() + (negated ? " NOT IN " : " IN ") + "(SUBQUERY))";
  }
  return "(SUBQUERY)";
}

VISIONDB_INLINE BoundExprPtr BoundAggregate::clone() const {
  std::vector<BoundExprPtr> args;
  for (const auto& c : children) args.push_back(c->clone());
  auto out = std::make_unique<BoundAggregate>(function, std::move(args), distinct, span);
  out->plain_function = plain_function;
  out->modifiers = modifiers;
  out->order_keys = order_keys;
  return out;
}

VISIONDB_INLINE std::string BoundAggregate::to_string() const {
  std::string out = function->name() + "(" + (distinct ? "DISTINCT " : "");
  if (children.empty() && function->name() == "count") out += "*";
  const size_t args = children.size() - order_keys;
  for (size_t i = 0; i < args; ++i) out += (i ? ", " : "") + children[i]->to_string();
  return out + modifiers + ")";
}

VISIONDB_INLINE BoundExprPtr make_and(std::vector<BoundExprPtr> terms) {
  if (terms.empty()) return make_constant(Value::boolean(true));
  if (terms.size() == 1) return std::move(terms[0]);
  return std::make_unique<BoundOperator>(BoundExprKind::And, LogicalType::boolean(), std::move(terms));
}

VISIONDB_INLINE void split_conjunction(BoundExprPtr expr, std::vector<BoundExprPtr>& out) {
  if (expr->kind == BoundExprKind::And) {
    for (auto& c : expr->children) split_conjunction(std::move(c), out);
    return;
  }
  out.push_back(std::move(expr));
}

VISIONDB_INLINE void visit_bound(const BoundExpr& e, const std::function<void(const BoundExpr&)>& f) {
  f(e);
  for (const auto& c : e.children) visit_bound(*c, f);
}

VISIONDB_INLINE void visit_bound_mut(BoundExpr& e, const std::function<void(BoundExpr&)>& f) {
  f(e);
  for (auto& c : e.children) visit_bound_mut(*c, f);
}

VISIONDB_INLINE void collect_bindings(const BoundExpr& e, std::vector<ColumnBinding>& out) {
  visit_bound(e, [&](const BoundExpr& x) {
    if (x.kind == BoundExprKind::ColumnRef) {
      const auto& r = static_cast<const BoundColumnRef&>(x);
      if (r.depth == 0) out.push_back(r.binding);
    }
  });
}

VISIONDB_INLINE void replace_column_refs(BoundExprPtr& e, const std::function<BoundExprPtr(const BoundColumnRef&)>& f) {
  if (e->kind == BoundExprKind::ColumnRef) {
    const auto& r = static_cast<const BoundColumnRef&>(*e);
    if (r.depth == 0)
      if (BoundExprPtr repl = f(r)) e = std::move(repl);
    return;
  }
  for (auto& c : e->children) replace_column_refs(c, f);
}

}  // namespace visiondb::sql
