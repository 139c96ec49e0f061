// Out-of-line parts of planner.hpp.
#pragma once

#include <algorithm>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "visiondb/config.hpp"
#include "visiondb/sql/detail/planner_decorrelate.hpp"
#include "visiondb/sql/detail/planner_window.hpp"
#include "visiondb/sql/logical_unnest.hpp"
#include "visiondb/sql/logical_window.hpp"
#include "visiondb/sql/planner.hpp"

namespace visiondb::sql {

namespace detail {

using BindingSet = std::unordered_set<ColumnBinding, ColumnBindingHash>;

inline BindingSet binding_set(const LogicalOp& op) {
  auto b = op.bindings();
  return BindingSet(b.begin(), b.end());
}

inline bool reads_only(const BoundExpr& e, const BindingSet& allowed) {
  std::vector<ColumnBinding> bs;
  collect_bindings(e, bs);
  for (const auto& b : bs)
    if (!allowed.count(b)) return false;
  return true;
}

inline bool reads_any(const BoundExpr& e) {
  std::vector<ColumnBinding> bs;
  collect_bindings(e, bs);
  return !bs.empty();
}

inline bool deterministic(const BoundExpr& e) {
  bool ok = true;
  visit_bound(e, [&](const BoundExpr& x) {
    if (x.kind == BoundExprKind::Function && !static_cast<const BoundFunction&>(x).function->deterministic()) ok = false;
  });
  return ok;
}

inline bool is_constant_value(const BoundExpr& e, bool value) {
  if (e.kind != BoundExprKind::Constant) return false;
  const Value& v = static_cast<const BoundConstant&>(e).value;
  return !v.is_null() && v.type().id() == TypeId::Bool && v.as_bool() == value;
}

// ---- constant folding -------------------------------------------------------------------------

inline void optimize_subqueries(BoundExpr& e, const ConstantEvaluator& ev, const PlannerOptions& options);

inline void fold(BoundExprPtr& e, const ConstantEvaluator& ev) {
  for (auto& c : e->children) fold(c, ev);
  if (e->kind == BoundExprKind::Constant || e->kind == BoundExprKind::Aggregate) return;
  // AND / OR with a decided constant.
  if (e->kind == BoundExprKind::And || e->kind == BoundExprKind::Or) {
    const bool is_and = e->kind == BoundExprKind::And;
    std::vector<BoundExprPtr> keep;
    for (auto& c : e->children) {
      if (is_constant_value(*c, !is_and)) {  // FALSE in AND, TRUE in OR decides it
        e = make_constant(Value::boolean(!is_and), e->span);
        return;
      }
      if (is_constant_value(*c, is_and)) continue;  // TRUE in AND, FALSE in OR is neutral
      keep.push_back(std::move(c));
    }
    if (keep.empty()) {
      e = make_constant(Value::boolean(is_and), e->span);
      return;
    }
    if (keep.size() == 1 && keep[0]->type.id() == TypeId::Bool) {
      e = std::move(keep[0]);
      return;
    }
    e->children = std::move(keep);
  }
  bool all_constant = true;
  for (const auto& c : e->children) all_constant &= c->kind == BoundExprKind::Constant;
  if (!all_constant || !e->is_foldable()) return;
  if (e->kind == BoundExprKind::Function && e->children.empty()) return;
  try {
    Value v = ev.evaluate(*e);
    if (v.is_null()) v = Value::null(e->type);
    e = make_constant(std::move(v), e->span);
  } catch (const Error&) {
    // Left as it is: the error is raised if and when the expression runs.
  }
}

// ---- filter pushdown --------------------------------------------------------------------------

inline LogicalOpPtr wrap_filter(LogicalOpPtr op, std::vector<BoundExprPtr> filters) {
  if (filters.empty()) return op;
  auto f = std::make_unique<LogicalFilter>();
  f->children.push_back(std::move(op));
  f->predicates = std::move(filters);
  return f;
}

// Replaces references to `bindings[i]` by clones of exprs[i].
inline void inline_bindings(BoundExprPtr& e, const std::vector<ColumnBinding>& bindings,
                            const std::vector<const BoundExpr*>& exprs) {
  replace_column_refs(e, [&](const BoundColumnRef& r) -> BoundExprPtr {
    for (size_t i = 0; i < bindings.size(); ++i)
      if (bindings[i] == r.binding) return exprs[i]->clone();
    return nullptr;
  });
}

inline LogicalOpPtr push_filters(LogicalOpPtr op, std::vector<BoundExprPtr> filters);

inline LogicalOpPtr push_children_only(LogicalOpPtr op) {
  for (auto& c : op->children) c = push_filters(std::move(c), {});
  return op;
}

inline LogicalOpPtr push_filters(LogicalOpPtr op, std::vector<BoundExprPtr> filters) {
  // Split ANDs; drop TRUE.
  std::vector<BoundExprPtr> terms;
  for (auto& f : filters) split_conjunction(std::move(f), terms);
  filters.clear();
  for (auto& t : terms)
    if (!is_constant_value(*t, true)) filters.push_back(std::move(t));

  switch (op->kind) {
    case LogicalOpKind::Filter: {
      auto& f = static_cast<LogicalFilter&>(*op);
      for (auto& p : f.predicates) filters.push_back(std::move(p));
      return push_filters(std::move(op->children[0]), std::move(filters));
    }
    case LogicalOpKind::Projection: {
      auto& p = static_cast<LogicalProjection&>(*op);
      if (op->children.empty()) return wrap_filter(std::move(op), std::move(filters));
      auto outs = p.bindings();
      std::vector<const BoundExpr*> exprs;
      bool all_det = true;
      for (const auto& e : p.exprs) {
        exprs.push_back(e.get());
        all_det &= deterministic(*e);
      }
      std::vector<BoundExprPtr> below, above;
      for (auto& f : filters) {
        bool has_subquery = false;
        visit_bound(*f, [&](const BoundExpr& x) { has_subquery |= x.kind == BoundExprKind::Subquery; });
        if (all_det && !has_subquery) {
          inline_bindings(f, outs, exprs);
          below.push_back(std::move(f));
        } else {
          above.push_back(std::move(f));
        }
      }
      op->children[0] = push_filters(std::move(op->children[0]), std::move(below));
      return wrap_filter(std::move(op), std::move(above));
    }
    case LogicalOpKind::Aggregate: {
      auto& a = static_cast<LogicalAggregate&>(*op);
      std::vector<ColumnBinding> group_bindings;
      std::vector<const BoundExpr*> group_exprs;
      BindingSet groups;
      for (uint32_t i = 0; i < a.groups.size(); ++i) {
        group_bindings.push_back({a.group_index, i});
        group_exprs.push_back(a.groups[i].get());
        groups.insert({a.group_index, i});
      }
      std::vector<BoundExprPtr> below, above;
      for (auto& f : filters) {
        bool ok = !a.groups.empty() && reads_any(*f) && reads_only(*f, groups);
        for (auto* g : group_exprs) ok &= deterministic(*g);
        if (ok) {
          inline_bindings(f, group_bindings, group_exprs);
          below.push_back(std::move(f));
        } else {
          above.push_back(std::move(f));
        }
      }
      op->children[0] = push_filters(std::move(op->children[0]), std::move(below));
      return wrap_filter(std::move(op), std::move(above));
    }
    case LogicalOpKind::Join: {
      auto& j = static_cast<LogicalJoin&>(*op);
      BindingSet left = binding_set(*op->children[0]);
      BindingSet right = binding_set(*op->children[1]);
      std::vector<BoundExprPtr> to_left, to_right, above;
      const bool inner = j.join_type == JoinType::Inner;
      const bool left_preserving = j.join_type == JoinType::Left || j.join_type == JoinType::Semi ||
                                   j.join_type == JoinType::Anti || j.join_type == JoinType::Mark;
      for (auto& f : filters) {
        bool l = reads_only(*f, left), r = reads_only(*f, right), any = reads_any(*f);
        if (any && l && (inner || left_preserving)) to_left.push_back(std::move(f));
        else if (any && r && (inner || j.join_type == JoinType::Right)) to_right.push_back(std::move(f));
        else if (inner && any) j.conditions.push_back(std::move(f));
        else above.push_back(std::move(f));
      }
      // The ON condition's one-sided terms go down too where that keeps the meaning.
      std::vector<BoundExprPtr> conds;
      for (auto& c : j.conditions) split_conjunction(std::move(c), conds);
      j.conditions.clear();
      for (auto& c : conds) {
        bool l = reads_only(*c, left), r = reads_only(*c, right), any = reads_any(*c);
        if (any && l && inner) to_left.push_back(std::move(c));
        else if (any && r && (inner || j.join_type == JoinType::Left || j.join_type == JoinType::Semi ||
                              j.join_type == JoinType::Anti))
          to_right.push_back(std::move(c));
        else if (any && l && j.join_type == JoinType::Right) to_left.push_back(std::move(c));
        else if (!is_constant_value(*c, true)) j.conditions.push_back(std::move(c));
      }
      op->children[0] = push_filters(std::move(op->children[0]), std::move(to_left));
      op->children[1] = push_filters(std::move(op->children[1]), std::move(to_right));
      return wrap_filter(std::move(op), std::move(above));
    }
    case LogicalOpKind::Get: {
      auto& g = static_cast<LogicalGet&>(*op);
      BindingSet mine;
      for (uint32_t c = 0; c < g.source->source_schema().size(); ++c) mine.insert({g.table_index, c});
      std::vector<BoundExprPtr> above;
      for (auto& f : filters) {
        if (reads_any(*f) && reads_only(*f, mine)) g.filters.push_back(std::move(f));
        else above.push_back(std::move(f));
      }
      return wrap_filter(std::move(op), std::move(above));
    }
    case LogicalOpKind::Order: {
      op->children[0] = push_filters(std::move(op->children[0]), std::move(filters));
      return op;
    }
    case LogicalOpKind::Unnest: {
      // Terms over the input's columns only filter the input rows before they are unnested.
      BindingSet input = binding_set(*op->children[0]);
      std::vector<BoundExprPtr> below, above;
      for (auto& f : filters) {
        if (reads_any(*f) && reads_only(*f, input) && deterministic(*f)) below.push_back(std::move(f));
        else above.push_back(std::move(f));
      }
      op->children[0] = push_filters(std::move(op->children[0]), std::move(below));
      return wrap_filter(std::move(op), std::move(above));
    }
    default: {
      op = push_children_only(std::move(op));
      return wrap_filter(std::move(op), std::move(filters));
    }
  }
}

// ---- TOP N ------------------------------------------------------------------------------------

inline LogicalOpPtr make_top_n(LogicalOpPtr op) {
  for (auto& c : op->children) c = make_top_n(std::move(c));
  if (op->kind == LogicalOpKind::Limit && op->children[0]->kind == LogicalOpKind::Order) {
    auto& lim = static_cast<LogicalLimit&>(*op);
    if (lim.limit >= 0) {
      auto& order = static_cast<LogicalOrder&>(*op->children[0]);
      auto top = std::make_unique<LogicalTopN>(std::move(order.children[0]), std::move(order.keys), lim.limit, lim.offset);
      return top;
    }
  }
  return op;
}

// ---- COUNT(DISTINCT x) -> GROUP BY g, x then COUNT(x) ------------------------------------------

inline uint32_t max_table_index(const LogicalOp& op) {
  uint32_t m = 0;
  for (const auto& b : op.bindings()) m = std::max(m, b.table);
  for (const auto& c : op.children) m = std::max(m, max_table_index(*c));
  // Subquery plans share the statement's index space.
  std::function<void(const BoundExpr&)> in_expr = [&](const BoundExpr& e) {
    if (e.kind == BoundExprKind::Subquery) m = std::max(m, max_table_index(*static_cast<const BoundSubquery&>(e).plan));
    for (const auto& c : e.children) in_expr(*c);
  };
  for_each_expression(const_cast<LogicalOp&>(op), [&](BoundExprPtr& e) { in_expr(*e); });
  switch (op.kind) {
    case LogicalOpKind::Aggregate: {
      const auto& a = static_cast<const LogicalAggregate&>(op);
      m = std::max({m, a.group_index, a.aggregate_index});
      break;
    }
    case LogicalOpKind::Get: m = std::max(m, static_cast<const LogicalGet&>(op).table_index); break;
    case LogicalOpKind::Projection: m = std::max(m, static_cast<const LogicalProjection&>(op).table_index); break;
    case LogicalOpKind::SetOp: m = std::max(m, static_cast<const LogicalSetOp&>(op).table_index); break;
    case LogicalOpKind::Values: m = std::max(m, static_cast<const LogicalValues&>(op).table_index); break;
    case LogicalOpKind::TableFunction: m = std::max(m, static_cast<const LogicalTableFunction&>(op).table_index); break;
    case LogicalOpKind::Unnest: m = std::max(m, static_cast<const LogicalUnnest&>(op).table_index); break;
    case LogicalOpKind::Window: m = std::max(m, static_cast<const LogicalWindow&>(op).table_index); break;
    default: break;
  }
  return m;
}

inline LogicalOpPtr rewrite_distinct_aggregates(LogicalOpPtr op, uint32_t& next_index) {
  for (auto& c : op->children) c = rewrite_distinct_aggregates(std::move(c), next_index);
  if (op->kind != LogicalOpKind::Aggregate) return op;
  auto& a = static_cast<LogicalAggregate&>(*op);
  if (a.aggregates.empty()) return op;
  const BoundExpr* arg = nullptr;
  for (const auto& e : a.aggregates) {
    const auto& agg = static_cast<const BoundAggregate&>(*e);
    if (!agg.distinct || !agg.plain_function || agg.children.size() != 1) return op;
    if (!deterministic(*agg.children[0])) return op;
    if (!arg) arg = agg.children[0].get();
    else if (arg->to_string() != agg.children[0]->to_string()) return op;
  }
  // Inner: GROUP BY g..., x.
  uint32_t inner_groups = next_index++;
  uint32_t inner_aggs = next_index++;
  auto inner = std::make_unique<LogicalAggregate>(inner_groups, inner_aggs, std::move(op->children[0]));
  for (auto& g : a.groups) inner->groups.push_back(g->clone());
  inner->groups.push_back(arg->clone());
  // Outer: GROUP BY the inner group columns; f(x) without DISTINCT.
  LogicalType arg_type = arg->type;
  const uint32_t x_col = static_cast<uint32_t>(a.groups.size());
  for (uint32_t i = 0; i < a.groups.size(); ++i)
    a.groups[i] = make_column_ref({inner_groups, i}, a.groups[i]->type, a.groups[i]->to_string());
  for (auto& e : a.aggregates) {
    auto& agg = static_cast<BoundAggregate&>(*e);
    std::vector<BoundExprPtr> args;
    args.push_back(make_column_ref({inner_groups, x_col}, arg_type, agg.children[0]->to_string()));
    auto plain = std::make_unique<BoundAggregate>(agg.plain_function, std::move(args), false, agg.span);
    e = std::move(plain);
  }
  op->children[0] = std::move(inner);
  return op;
}

// ---- column pruning ---------------------------------------------------------------------------

inline void add_reads(const BoundExpr& e, BindingSet& out) {
  std::vector<ColumnBinding> bs;
  collect_bindings(e, bs);
  out.insert(bs.begin(), bs.end());
}

inline void prune(LogicalOp& op, const BindingSet& required) {
  switch (op.kind) {
    case LogicalOpKind::Projection: {
      auto& p = static_cast<LogicalProjection&>(op);
      std::vector<BoundExprPtr> exprs;
      std::vector<uint32_t> ids;
      for (size_t i = 0; i < p.exprs.size(); ++i)
        if (required.count({p.table_index, p.column_ids[i]})) {
          exprs.push_back(std::move(p.exprs[i]));
          ids.push_back(p.column_ids[i]);
        }
      p.exprs = std::move(exprs);
      p.column_ids = std::move(ids);
      BindingSet child;
      for (const auto& e : p.exprs) add_reads(*e, child);
      if (!op.children.empty()) prune(*op.children[0], child);
      return;
    }
    case LogicalOpKind::Aggregate: {
      auto& a = static_cast<LogicalAggregate&>(op);
      std::vector<BoundExprPtr> aggs;
      std::vector<uint32_t> ids;
      for (size_t i = 0; i < a.aggregates.size(); ++i)
        if (required.count({a.aggregate_index, a.aggregate_ids[i]})) {
          aggs.push_back(std::move(a.aggregates[i]));
          ids.push_back(a.aggregate_ids[i]);
        }
      a.aggregates = std::move(aggs);
      a.aggregate_ids = std::move(ids);
      BindingSet child;
      for (const auto& e : a.groups) add_reads(*e, child);
      for (const auto& e : a.aggregates) add_reads(*e, child);
      prune(*op.children[0], child);
      return;
    }
    case LogicalOpKind::Get: {
      auto& g = static_cast<LogicalGet&>(op);
      std::vector<uint32_t> ids;
      for (uint32_t c : g.column_ids)
        if (required.count({g.table_index, c})) ids.push_back(c);
      g.column_ids = std::move(ids);
      return;
    }
    case LogicalOpKind::TableFunction: {
      auto& t = static_cast<LogicalTableFunction&>(op);
      std::vector<uint32_t> ids;
      for (uint32_t c : t.column_ids)
        if (required.count({t.table_index, c})) ids.push_back(c);
      t.column_ids = std::move(ids);
      for (auto& c : op.children) prune(*c, binding_set(*c));
      return;
    }
    case LogicalOpKind::SetOp:
    case LogicalOpKind::Values:
      for (auto& c : op.children) prune(*c, binding_set(*c));
      return;
    case LogicalOpKind::Window: {
      auto& w = static_cast<LogicalWindow&>(op);
      std::vector<BoundExprPtr> ws;
      std::vector<uint32_t> ids;
      for (size_t i = 0; i < w.windows.size(); ++i)
        if (required.count({w.table_index, w.window_ids[i]})) {
          ws.push_back(std::move(w.windows[i]));
          ids.push_back(w.window_ids[i]);
        }
      w.windows = std::move(ws);
      w.window_ids = std::move(ids);
      BindingSet child = required;
      for (const auto& e : w.windows) add_reads(*e, child);
      prune(*op.children[0], child);
      return;
    }
    case LogicalOpKind::Unnest: {
      auto& u = static_cast<LogicalUnnest&>(op);
      std::vector<uint32_t> ids;
      for (uint32_t c : u.column_ids)
        if (required.count({u.table_index, c})) ids.push_back(c);
      u.column_ids = std::move(ids);
      std::vector<ColumnBinding> pass;
      for (const auto& b : u.children[0]->bindings())
        if (required.count(b)) pass.push_back(b);
      u.child_projection = std::move(pass);
      u.projected = true;
      BindingSet child(u.child_projection.begin(), u.child_projection.end());
      add_reads(*u.array, child);
      prune(*op.children[0], child);
      return;
    }
    default: {
      BindingSet child = required;
      for_each_expression(op, [&](BoundExprPtr& e) { add_reads(*e, child); });
      if (op.kind == LogicalOpKind::Join) {
        auto& j = static_cast<LogicalJoin&>(op);
        if (j.join_type == JoinType::Mark) child.erase(j.mark_binding);
        if (j.join_type == JoinType::Inner || j.join_type == JoinType::Left || j.join_type == JoinType::Right ||
            j.join_type == JoinType::Full) {
          // Output only what is required above (the key columns stay inputs of the join).
          auto all = j.bindings();
          std::vector<ColumnBinding> keep;
          for (const auto& b : all)
            if (required.count(b)) keep.push_back(b);
          j.projection = std::move(keep);
          j.projected = true;
        }
      }
      for (auto& c : op.children) prune(*c, child);
      return;
    }
  }
}

// ---- expressions of every operator ------------------------------------------------------------

inline void for_all_expressions(LogicalOp& op, const std::function<void(BoundExprPtr&)>& f) {
  for_each_expression(op, f);
  for (auto& c : op.children) for_all_expressions(*c, f);
}

inline void optimize_subqueries(BoundExpr& e, const ConstantEvaluator& ev, const PlannerOptions& options) {
  if (e.kind == BoundExprKind::Subquery) {
    auto& s = static_cast<BoundSubquery&>(e);
    s.plan = std::shared_ptr<LogicalOp>(optimize(s.plan->clone(), ev, options));
  }
  for (auto& c : e.children) optimize_subqueries(*c, ev, options);
}

}  // namespace detail

VISIONDB_INLINE void fold_constants(BoundExprPtr& e, const ConstantEvaluator& evaluator) { detail::fold(e, evaluator); }

VISIONDB_INLINE LogicalOpPtr optimize(LogicalOpPtr plan, const ConstantEvaluator& evaluator, const PlannerOptions& options) {
  const auto root_bindings = plan->bindings();
  {
    // Correlated subqueries of the common shapes become joins (on their unoptimized plans).
    uint32_t next_index = detail::max_table_index(*plan) + 1;
    plan = detail::decorrelate(std::move(plan), next_index);
  }
  detail::for_all_expressions(*plan, [&](BoundExprPtr& e) { detail::optimize_subqueries(*e, evaluator, options); });
  if (options.fold_constants) detail::for_all_expressions(*plan, [&](BoundExprPtr& e) { detail::fold(e, evaluator); });
  if (options.push_filters) plan = detail::push_filters(std::move(plan), {});
  if (options.top_n) plan = detail::make_top_n(std::move(plan));
  uint32_t next_index = detail::max_table_index(*plan) + 1;
  plan = detail::rewrite_distinct_aggregates(std::move(plan), next_index);
  if (options.prune_columns) detail::prune(*plan, detail::BindingSet(root_bindings.begin(), root_bindings.end()));
  plan = detail::limit_window_partitions(std::move(plan));
  return plan;
}

}  // namespace visiondb::sql
