// The planner's decorrelation: correlated subqueries of the common shapes become joins, so they
// run once instead of once per outer row.
//   WHERE [NOT] EXISTS (SELECT ... FROM X WHERE <corr> AND <rest>)  -> SEMI / ANTI JOIN X ON <corr>
//   WHERE x IN (SELECT y FROM X WHERE <corr> AND <rest>)            -> SEMI JOIN X ON x = y AND <corr>
//   (SELECT f(agg) FROM X WHERE k1 = outer1 AND ... AND <rest>)      -> LEFT JOIN (SELECT k1, .., agg
//        FROM X WHERE <rest> GROUP BY k1, ..) ON k = outer, COUNTs of missing groups read as 0
// <corr> are the WHERE terms that read outer columns; everything else must be uncorrelated.
// Other shapes keep the executor's per-row evaluation (memoized by outer value).
#pragma once

#include <functional>
#include <vector>

#include "visiondb/sql/logical_plan.hpp"

namespace visiondb::sql::detail {

inline bool expr_references_outer(const BoundExpr& e, uint32_t level);

inline bool plan_references_outer(const LogicalOp& op, uint32_t level) {
  bool found = false;
  for_each_expression(const_cast<LogicalOp&>(op), [&](BoundExprPtr& e) { found = found || expr_references_outer(*e, level); });
  for (const auto& c : op.children) found = found || plan_references_outer(*c, level);
  return found;
}

// A ColumnRef of depth >= level (seen from where e stands), nested subquery plans included.
inline bool expr_references_outer(const BoundExpr& e, uint32_t level) {
  if (e.kind == BoundExprKind::ColumnRef) return static_cast<const BoundColumnRef&>(e).depth >= level;
  if (e.kind == BoundExprKind::Subquery && plan_references_outer(*static_cast<const BoundSubquery&>(e).plan, level + 1))
    return true;
  for (const auto& c : e.children)
    if (expr_references_outer(*c, level)) return true;
  return false;
}

inline bool contains_subquery(const BoundExpr& e) {
  if (e.kind == BoundExprKind::Subquery) return true;
  for (const auto& c : e.children)
    if (contains_subquery(*c)) return true;
  return false;
}

// Rewrites the depth-1 references of a correlated term into the outer query's expressions for
// them (the subquery's value children); false when the term reads anything deeper.
inline bool localize(BoundExprPtr& e, const BoundSubquery& sub, size_t first_value) {
  if (e->kind == BoundExprKind::ColumnRef) {
    auto& r = static_cast<BoundColumnRef&>(*e);
    if (r.depth == 0) return true;
    if (r.depth > 1) return false;
    for (size_t k = 0; k < sub.correlated.size(); ++k)
      if (sub.correlated[k] == r.binding) {
        SourceSpan span = e->span;
        e = sub.children[first_value + k]->clone();
        e->span = span;
        return true;
      }
    return false;
  }
  if (e->kind == BoundExprKind::Subquery) return false;
  for (auto& c : e->children)
    if (!localize(c, sub, first_value)) return false;
  return true;
}

// The subquery's body without its top projections (and a LIMIT >= 1 for EXISTS), split into the
// WHERE terms that read the outer query and the rest. Null when the shape does not fit.
struct CorrelatedParts {
  LogicalOpPtr body;                 // uncorrelated
  std::vector<BoundExprPtr> terms;   // correlated, already localized
  BoundExprPtr value;                // IN: the projected expression (over body's columns)
  bool ok = false;
};

inline CorrelatedParts split_correlated(const BoundSubquery& sub, bool keep_value) {
  CorrelatedParts out;
  LogicalOpPtr body = sub.plan->clone();
  const size_t first_value = sub.subquery_kind == BoundSubqueryKind::In ? 1 : 0;
  if (keep_value) {
    if (body->kind != LogicalOpKind::Projection) return out;
    auto& p = static_cast<LogicalProjection&>(*body);
    if (p.exprs.size() != 1 || expr_references_outer(*p.exprs[0], 1) || contains_subquery(*p.exprs[0])) return out;
    out.value = std::move(p.exprs[0]);
    body = std::move(body->children[0]);
  } else {
    for (;;) {
      if (body->kind == LogicalOpKind::Projection && !body->children.empty()) {
        body = std::move(body->children[0]);
      } else if (body->kind == LogicalOpKind::Limit && static_cast<LogicalLimit&>(*body).offset == 0 &&
                 static_cast<LogicalLimit&>(*body).limit != 0) {
        body = std::move(body->children[0]);
      } else {
        break;
      }
    }
  }
  if (body->kind == LogicalOpKind::Filter) {
    auto& f = static_cast<LogicalFilter&>(*body);
    std::vector<BoundExprPtr> rest;
    for (auto& t : f.predicates) {
      if (!expr_references_outer(*t, 1)) {
        rest.push_back(std::move(t));
        continue;
      }
      if (contains_subquery(*t) || !localize(t, sub, first_value)) return out;
      out.terms.push_back(std::move(t));
    }
    if (rest.empty()) {
      body = std::move(body->children[0]);
    } else {
      f.predicates = std::move(rest);
    }
  }
  if (out.terms.empty() || plan_references_outer(*body, 1)) return out;
  out.body = std::move(body);
  out.ok = true;
  return out;
}

// WHERE [NOT] EXISTS / IN (correlated) -> SEMI / ANTI joins of the filter's input.
inline LogicalOpPtr decorrelate_filter(LogicalOpPtr op) {
  auto& f = static_cast<LogicalFilter&>(*op);
  std::vector<BoundExprPtr> keep;
  LogicalOpPtr input = std::move(op->children[0]);
  for (auto& p : f.predicates) {
    const BoundExpr* e = p.get();
    bool negated = false;
    if (e->kind == BoundExprKind::Not && e->children[0]->kind == BoundExprKind::Subquery) {
      e = e->children[0].get();
      negated = true;
    }
    if (e->kind != BoundExprKind::Subquery) {
      keep.push_back(std::move(p));
      continue;
    }
    const auto& sub = static_cast<const BoundSubquery&>(*e);
    const bool exists = sub.subquery_kind == BoundSubqueryKind::Exists;
    const bool in = sub.subquery_kind == BoundSubqueryKind::In && !negated && !sub.negated && sub.in_equal;
    if (sub.correlated.empty() || (!exists && !in)) {
      keep.push_back(std::move(p));
      continue;
    }
    CorrelatedParts parts = split_correlated(sub, in);
    if (!parts.ok) {
      keep.push_back(std::move(p));
      continue;
    }
    auto join = std::make_unique<LogicalJoin>(negated ? JoinType::Anti : JoinType::Semi, std::move(input), std::move(parts.body));
    if (in) {
      std::vector<BoundExprPtr> args;
      args.push_back(sub.children[0]->clone());
      args.push_back(std::move(parts.value));
      join->conditions.push_back(std::make_unique<BoundFunction>(sub.in_equal, std::move(args), false, sub.span));
    }
    for (auto& t : parts.terms) join->conditions.push_back(std::move(t));
    input = std::move(join);
  }
  if (keep.empty()) return input;
  f.predicates = std::move(keep);
  op->children[0] = std::move(input);
  return op;
}

// A correlated scalar subquery over an ungrouped aggregate whose correlated terms are all
// `inner = outer`: the grouped aggregate, left-joined. Returns the expression that replaces the
// subquery (reading the join's aggregate columns), or null when the shape does not fit.
inline BoundExprPtr decorrelate_scalar(const BoundSubquery& sub, LogicalOpPtr& input, uint32_t& next_index) {
  if (sub.subquery_kind != BoundSubqueryKind::Scalar || sub.correlated.empty()) return nullptr;
  LogicalOpPtr plan = sub.plan->clone();
  if (plan->kind != LogicalOpKind::Projection) return nullptr;
  auto& proj = static_cast<LogicalProjection&>(*plan);
  if (proj.exprs.size() != 1 || proj.children.empty() || proj.children[0]->kind != LogicalOpKind::Aggregate) return nullptr;
  auto& agg = static_cast<LogicalAggregate&>(*proj.children[0]);
  if (!agg.groups.empty() || expr_references_outer(*proj.exprs[0], 1) || contains_subquery(*proj.exprs[0])) return nullptr;
  for (const auto& a : agg.aggregates)
    if (expr_references_outer(*a, 1)) return nullptr;
  // The aggregate's input: its correlated terms must be inner = outer.
  LogicalOpPtr body = std::move(agg.children[0]);
  std::vector<BoundExprPtr> inner_keys, outer_keys;
  std::vector<std::shared_ptr<const ScalarFunction>> equals;
  if (body->kind == LogicalOpKind::Filter) {
    auto& f = static_cast<LogicalFilter&>(*body);
    std::vector<BoundExprPtr> rest;
    for (auto& t : f.predicates) {
      if (!expr_references_outer(*t, 1)) {
        rest.push_back(std::move(t));
        continue;
      }
      if (t->kind != BoundExprKind::Function || t->children.size() != 2 ||
          static_cast<const BoundFunction&>(*t).function->name() != "=")
        return nullptr;
      int outer_side = -1;
      for (int k = 0; k < 2; ++k)
        if (expr_references_outer(*t->children[static_cast<size_t>(k)], 1)) outer_side = outer_side == -1 ? k : 2;
      if (outer_side < 0 || outer_side > 1) return nullptr;
      BoundExprPtr outer = std::move(t->children[static_cast<size_t>(outer_side)]);
      BoundExprPtr inner = std::move(t->children[static_cast<size_t>(1 - outer_side)]);
      if (contains_subquery(*inner) || contains_subquery(*outer) || !localize(outer, sub, 0)) return nullptr;
      inner_keys.push_back(std::move(inner));
      outer_keys.push_back(std::move(outer));
      equals.push_back(static_cast<const BoundFunction&>(*t).function);
    }
    if (rest.empty()) body = std::move(body->children[0]);
    else f.predicates = std::move(rest);
  }
  if (inner_keys.empty() || plan_references_outer(*body, 1)) return nullptr;
  // GROUP BY the inner keys; LEFT JOIN on key = outer.
  auto grouped = std::make_unique<LogicalAggregate>(next_index++, agg.aggregate_index, std::move(body));
  const uint32_t group_index = grouped->group_index;
  std::vector<LogicalType> key_types;
  std::vector<std::string> key_names;
  for (auto& k : inner_keys) {
    key_types.push_back(k->type);
    key_names.push_back(k->to_string());
    grouped->groups.push_back(std::move(k));
  }
  grouped->aggregates = std::move(agg.aggregates);
  grouped->aggregate_ids = agg.aggregate_ids;
  std::vector<std::string> agg_names;
  for (const auto& a : grouped->aggregates) agg_names.push_back(static_cast<const BoundAggregate&>(*a).function->name());
  auto join = std::make_unique<LogicalJoin>(JoinType::Left, std::move(input), std::move(grouped));
  // The equalities of the original terms (both sides have one type), in join order.
  for (size_t k = 0; k < outer_keys.size(); ++k) {
    std::vector<BoundExprPtr> args;
    args.push_back(std::move(outer_keys[k]));
    args.push_back(make_column_ref({group_index, static_cast<uint32_t>(k)}, key_types[k], key_names[k]));
    join->conditions.push_back(std::make_unique<BoundFunction>(equals[k], std::move(args), false, sub.span));
  }
  input = std::move(join);
  // The subquery's value over the joined aggregate columns; a missing group counts 0.
  BoundExprPtr value = std::move(proj.exprs[0]);
  const uint32_t aggregate_index = agg.aggregate_index;
  replace_column_refs(value, [&](const BoundColumnRef& r) -> BoundExprPtr {
    if (r.binding.table != aggregate_index) return nullptr;
    size_t pos = 0;
    while (pos < agg.aggregate_ids.size() && agg.aggregate_ids[pos] != r.binding.column) ++pos;
    auto ref = make_column_ref(r.binding, r.type, r.name);
    if (pos < agg_names.size() && (agg_names[pos] == "count" || agg_names[pos] == "countif")) {
      std::vector<BoundExprPtr> args;
      args.push_back(std::move(ref));
      args.push_back(make_constant(Value::int64(0)));
      return std::make_unique<BoundOperator>(BoundExprKind::Coalesce, LogicalType::int64(), std::move(args));
    }
    return ref;
  });
  value->span = sub.span;
  return value;
}

inline LogicalOpPtr decorrelate(LogicalOpPtr op, uint32_t& next_index) {
  for (auto& c : op->children) c = decorrelate(std::move(c), next_index);
  if (op->kind == LogicalOpKind::Filter) op = decorrelate_filter(std::move(op));
  if (op->kind != LogicalOpKind::Filter && op->kind != LogicalOpKind::Projection) return op;
  if (op->children.empty()) return op;
  // Scalar subqueries anywhere in the operator's expressions.
  LogicalOpPtr& input = op->children[0];
  std::function<void(BoundExprPtr&)> walk = [&](BoundExprPtr& e) {
    if (e->kind == BoundExprKind::Subquery) {
      if (auto repl = decorrelate_scalar(static_cast<const BoundSubquery&>(*e), input, next_index)) {
        e = std::move(repl);
        return;
      }
    }
    for (auto& c : e->children) walk(c);
  };
  for_each_expression(*op, walk);
  return op;
}

}  // namespace visiondb::sql::detail
