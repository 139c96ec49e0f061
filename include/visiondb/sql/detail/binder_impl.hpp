// Out-of-line parts of binder.hpp: queries (SELECT, set operations, ORDER BY / LIMIT) and FROM.
// Expressions are in binder_expression_impl.hpp, statements in binder_statement_impl.hpp.
#pragma once

#include <algorithm>

#include "visiondb/config.hpp"
#include "visiondb/sql/binder.hpp"
#include "visiondb/sql/detail/binder_state.hpp"
#include "visiondb/sql/logical_window.hpp"
#include "visiondb/storage/detail/text.hpp"

namespace visiondb::sql {

namespace detail {

[[noreturn]] inline void bind_error(std::string message, SourceSpan span) {
  throw SqlError(ErrorKind::Bind, std::move(message), span);
}
[[noreturn]] inline void type_error(std::string message, SourceSpan span) {
  throw SqlError(ErrorKind::Type, std::move(message), span);
}

// Not "quoted": in one header-only TU, ADL would also find std::quoted.
inline std::string quote_name(std::string_view s) { return "\"" + std::string(s) + "\""; }

// Levenshtein distance, for "did you mean".
inline size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      bool same = visiondb::detail::ascii_lower(a[i - 1]) == visiondb::detail::ascii_lower(b[j - 1]);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (same ? 0 : 1)});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

inline std::string did_you_mean(std::string_view name, const std::vector<std::string>& candidates) {
  std::string best;
  size_t best_d = SIZE_MAX;
  for (const auto& c : candidates) {
    size_t d = edit_distance(name, c);
    if (d < best_d) {
      best_d = d;
      best = c;
    }
  }
  size_t limit = std::max<size_t>(1, std::min<size_t>(3, name.size() / 3 + 1));
  if (best.empty() || best == name || best_d > limit) return {};
  return " (did you mean " + quote_name(best) + "?)";
}

// True when the expression (not entering subqueries) calls an aggregate function.
inline bool has_aggregate(const Expr& e, const FunctionCatalog& functions) {
  if (const auto* f = e.as_if<FunctionCallExpr>()) {
    if (!f->over && functions.has_aggregate(visiondb::detail::to_lower(f->upper_name()))) return true;
  }
  bool found = false;
  for_each_child_expr(e, [&](const Expr& c) { found = found || has_aggregate(c, functions); });
  return found;
}

}  // namespace detail

// ---- public front ------------------------------------------------------------------------------

VISIONDB_INLINE Binder::Binder(Catalog& catalog, const FunctionCatalog& functions, const ConstantEvaluator& evaluator,
                               const Parameters& parameters)
    : impl_(std::make_unique<BinderImpl>(catalog, functions, evaluator, parameters)) {}
VISIONDB_INLINE Binder::~Binder() = default;
VISIONDB_INLINE BoundStatement Binder::bind(const Statement& statement) { return impl_->bind_statement(statement); }
VISIONDB_INLINE BoundQuery Binder::bind_query(const Query& query) { return impl_->bind_query(query); }

VISIONDB_INLINE LogicalType bind_type_name(const TypeName& t) {
  if (t.is_array()) {
    LogicalType element = bind_type_name(*t.element);
    if (element.id() == TypeId::Array) detail::type_error("arrays of arrays are not supported", t.span);
    return LogicalType::array(std::move(element));
  }
  if (t.is_struct()) {
    std::vector<std::pair<std::string, LogicalType>> fields;
    for (const auto& f : t.fields) fields.emplace_back(f.name.name, bind_type_name(f.type));
    return LogicalType::structure(std::move(fields));
  }
  std::string n = canonical_type_name(t.name);
  if (n == "INT64") return LogicalType::int64();
  if (n == "FLOAT64" || n == "FLOAT" || n == "DOUBLE") return LogicalType::float64();
  if (n == "BOOL") return LogicalType::boolean();
  if (n == "STRING") return LogicalType::string();
  if (n == "BYTES") return LogicalType::bytes();
  if (n == "DATE") return LogicalType::date();
  if (n == "TIMESTAMP") return LogicalType::timestamp();
  detail::type_error("type " + n + " is not supported", t.span);
}

VISIONDB_INLINE LogicalType common_supertype(const LogicalType& a, const LogicalType& b, bool& ok) {
  ok = true;
  if (a.id() == TypeId::Null) return b;
  if (b.id() == TypeId::Null) return a;
  if (a == b) return a;
  if (a.is_numeric() && b.is_numeric()) return LogicalType::float64();
  if (a.id() == TypeId::Array && b.id() == TypeId::Array) {
    LogicalType e = common_supertype(a.element(), b.element(), ok);
    return ok ? LogicalType::array(e) : a;
  }
  // STRUCTs match by position (BigQuery: [STRUCT(1 AS x, 2 AS y), (3, 4)]); a field keeps the first
  // name given to it.
  if (a.id() == TypeId::Struct && b.id() == TypeId::Struct && a.fields().size() == b.fields().size()) {
    std::vector<std::pair<std::string, LogicalType>> fields;
    for (size_t i = 0; i < a.fields().size() && ok; ++i) {
      const auto& fa = a.fields()[i];
      const auto& fb = b.fields()[i];
      LogicalType t = common_supertype(*fa.type, *fb.type, ok);
      fields.emplace_back(fa.name.empty() ? fb.name : fa.name, t);
    }
    return ok ? LogicalType::structure(std::move(fields)) : a;
  }
  ok = false;
  return a;
}

// ---- queries -----------------------------------------------------------------------------------

VISIONDB_INLINE BoundQuery BinderImpl::bind_query(const Query& q) {
  if (q.recursive) detail::bind_error("WITH RECURSIVE is not supported", q.span);
  const size_t saved = ctes_.size();
  for (const auto& cte : q.with) {
    for (size_t k = saved; k < ctes_.size(); ++k)
      if (visiondb::detail::iequals(ctes_[k].name, cte.name.name))
        detail::bind_error("duplicate WITH name " + detail::quote_name(cte.name.name), cte.name.span);
    ctes_.push_back({cte.name.name, cte.query.get(), ctes_.size()});
  }
  BoundQuery out;
  try {
    if (const auto* sel = q.body->as_if<Select>()) {
      out = bind_select(*sel, q.order_by, q.limit.get(), q.offset.get());
    } else {
      out = apply_order_limit(bind_query_node(*q.body), q.order_by, q.limit.get(), q.offset.get());
    }
  } catch (...) {
    ctes_.resize(saved);
    throw;
  }
  ctes_.resize(saved);
  return out;
}

VISIONDB_INLINE BoundQuery BinderImpl::bind_query_node(const QueryNode& node) {
  switch (node.kind) {
    case QueryNodeKind::Select: return bind_select(node.as<Select>(), {}, nullptr, nullptr);
    case QueryNodeKind::SetOperation: return bind_set_operation(node.as<SetOperation>());
    case QueryNodeKind::Query: return bind_query(node.as<Query>());
  }
  detail::bind_error("unknown query", node.span);
}

VISIONDB_INLINE BoundQuery BinderImpl::bind_isolated(const Query& q) {
  std::vector<Scope*> saved;
  saved.swap(scopes_);
  try {
    BoundQuery out = bind_query(q);
    scopes_.swap(saved);
    return out;
  } catch (...) {
    scopes_.swap(saved);
    throw;
  }
}

VISIONDB_INLINE int64_t BinderImpl::bind_limit_value(const Expr& e, const char* what) {
  Value v = evaluate_constant(e, what);
  if (v.is_null() || v.type().id() != TypeId::Int64)
    detail::type_error(std::string(what) + " expects an integer literal or parameter", e.span);
  if (v.as_int64() < 0) detail::bind_error(std::string(what) + " expects a non-negative integer", e.span);
  return v.as_int64();
}

VISIONDB_INLINE BoundQuery BinderImpl::apply_order_limit(BoundQuery q, const std::vector<OrderByItem>& order_by,
                                                        const Expr* limit, const Expr* offset) {
  if (!order_by.empty()) {
    auto bindings = q.plan->bindings();
    std::vector<OrderKey> keys;
    for (const auto& item : order_by) {
      int col = -1;
      if (const auto* lit = item.expr->as_if<LiteralExpr>(); lit && lit->literal_kind == LiteralKind::Int64) {
        if (lit->int_value < 1 || lit->int_value > static_cast<int64_t>(q.names.size()))
          detail::bind_error("ORDER BY position " + std::to_string(lit->int_value) + " is out of range", item.expr->span);
        col = static_cast<int>(lit->int_value - 1);
      } else if (const auto* ref = item.expr->as_if<ColumnRefExpr>(); ref && ref->path.parts.size() == 1) {
        for (size_t i = 0; i < q.names.size(); ++i)
          if (visiondb::detail::iequals(q.names[i], ref->path.parts[0].name)) {
            col = static_cast<int>(i);
            break;
          }
      }
      if (col < 0)
        detail::bind_error("ORDER BY of a set operation must name an output column or position", item.expr->span);
      if (const LogicalType& t = q.types[static_cast<size_t>(col)];
          t.id() == TypeId::Array || t.id() == TypeId::Struct || t.id() == TypeId::Object)
        detail::type_error("ORDER BY does not support expressions of type " + t.to_string(), item.expr->span);
      OrderKey k;
      k.expr = make_column_ref(bindings[static_cast<size_t>(col)], q.types[static_cast<size_t>(col)], q.names[static_cast<size_t>(col)]);
      k.descending = item.descending;
      k.nulls_first = item.nulls == OrderByItem::Nulls::Default ? !item.descending : item.nulls == OrderByItem::Nulls::First;
      keys.push_back(std::move(k));
    }
    q.plan = std::make_unique<LogicalOrder>(std::move(q.plan), std::move(keys));
  }
  if (limit || offset) {
    int64_t l = limit ? bind_limit_value(*limit, "LIMIT") : -1;
    int64_t o = offset ? bind_limit_value(*offset, "OFFSET") : 0;
    q.plan = std::make_unique<LogicalLimit>(std::move(q.plan), l, o);
  }
  return q;
}

VISIONDB_INLINE BoundQuery BinderImpl::bind_set_operation(const SetOperation& s) {
  std::vector<BoundQuery> inputs;
  for (const auto& in : s.inputs) inputs.push_back(bind_query_node(*in));
  const char* opname = s.op == SetOperator::Union ? (s.distinct ? "UNION DISTINCT" : "UNION ALL")
                       : s.op == SetOperator::Intersect ? "INTERSECT DISTINCT"
                                                        : "EXCEPT DISTINCT";
  if (!s.distinct && s.op != SetOperator::Union)
    detail::bind_error(std::string(s.op == SetOperator::Intersect ? "INTERSECT" : "EXCEPT") + " ALL is not supported; use DISTINCT",
                       s.span);
  const size_t width = inputs[0].names.size();
  for (size_t i = 1; i < inputs.size(); ++i)
    if (inputs[i].names.size() != width)
      detail::bind_error("queries in " + std::string(opname) + " have mismatched column count: query 1 has " +
                             std::to_string(width) + " columns, query " + std::to_string(i + 1) + " has " +
                             std::to_string(inputs[i].names.size()),
                         s.inputs[i]->span);
  // Column types: the common supertype of every input's column.
  std::vector<LogicalType> types = inputs[0].types;
  for (size_t i = 1; i < inputs.size(); ++i)
    for (size_t c = 0; c < width; ++c) {
      bool ok;
      LogicalType t = common_supertype(types[c], inputs[i].types[c], ok);
      if (!ok)
        detail::type_error("column " + std::to_string(c + 1) + " in " + opname + " has incompatible types: " +
                               types[c].to_string() + ", " + inputs[i].types[c].to_string(),
                           s.inputs[i]->span);
      types[c] = t;
    }
  for (auto& t : types)
    if (t.id() == TypeId::Null) t = LogicalType::int64();
  // DISTINCT set operations compare rows: as GROUP BY, not over ARRAY or IMAGE values.
  if (s.distinct)
    for (size_t c = 0; c < width; ++c)
      if (types[c].id() == TypeId::Array || types[c].id() == TypeId::Object)
        detail::type_error("column " + std::to_string(c + 1) + " in " + opname + " has type " + types[c].to_string() +
                               ", which does not support set operation comparisons",
                           s.span);
  // Cast inputs whose columns differ.
  for (auto& in : inputs) {
    bool same = true;
    for (size_t c = 0; c < width; ++c) same &= in.types[c] == types[c];
    if (same) continue;
    auto bindings = in.plan->bindings();
    std::vector<BoundExprPtr> exprs;
    for (size_t c = 0; c < width; ++c)
      exprs.push_back(cast_to(make_column_ref(bindings[c], in.types[c], in.names[c]), types[c]));
    in.plan = std::make_unique<LogicalProjection>(new_index(), std::move(in.plan), std::move(exprs));
    in.types = types;
  }
  SetOpKind kind = s.op == SetOperator::Union ? (s.distinct ? SetOpKind::Union : SetOpKind::UnionAll)
                   : s.op == SetOperator::Intersect ? SetOpKind::Intersect
                                                    : SetOpKind::Except;
  BoundQuery out;
  out.names = inputs[0].names;
  out.types = types;
  out.plan = std::move(inputs[0].plan);
  for (size_t i = 1; i < inputs.size(); ++i)
    out.plan = std::make_unique<LogicalSetOp>(kind, new_index(), types, std::move(out.plan), std::move(inputs[i].plan));
  return out;
}

VISIONDB_INLINE BoundQuery BinderImpl::bind_select(const Select& s, const std::vector<OrderByItem>& order_by,
                                                  const Expr* limit, const Expr* offset) {
  for (size_t i = 0; i < s.windows.size(); ++i)
    for (size_t j = 0; j < i; ++j)
      if (visiondb::detail::iequals(s.windows[i].name.name, s.windows[j].name.name))
        detail::bind_error("duplicate window name " + detail::quote_name(s.windows[i].name.name), s.windows[i].name.span);
  Scope local;
  scopes_.push_back(&local);
  struct Pop {
    std::vector<Scope*>& s;
    ~Pop() { s.pop_back(); }
  } pop{scopes_};

  // FROM
  LogicalOpPtr plan;
  if (s.from) {
    local.clause = "FROM";
    plan = bind_from(*s.from, local);
  } else {
    auto one = std::make_unique<LogicalValues>(new_index(), std::vector<LogicalType>{});
    one->rows.emplace_back();
    plan = std::move(one);
  }
  // WHERE
  if (s.where) {
    local.clause = "WHERE";
    BoundExprPtr pred = bind_expr(*s.where);
    if (pred->type.id() != TypeId::Bool && pred->type.id() != TypeId::Null)
      detail::type_error("WHERE clause should return type BOOL, but returns " + pred->type.to_string(), s.where->span);
    plan = std::make_unique<LogicalFilter>(std::move(plan), std::move(pred));
  }

  // Is this an aggregating query?
  bool aggregating = s.group_by != nullptr || (s.having != nullptr);
  for (const auto& item : s.items)
    if (item.kind == SelectItemKind::Expr && detail::has_aggregate(*item.expr, functions_)) aggregating = true;
  for (const auto& o : order_by)
    if (detail::has_aggregate(*o.expr, functions_)) aggregating = true;

  AggregateState agg;
  if (aggregating) {
    agg.group_index = new_index();
    agg.aggregate_index = new_index();
  }
  WindowState win;
  win.index = new_index();
  win.named = &s.windows;
  // GROUP BY
  if (s.group_by) {
    if (s.group_by->kind != GroupByKind::Expressions)
      detail::bind_error("GROUP BY ROLLUP, CUBE and ALL are not supported yet", s.group_by->span);
    local.clause = "GROUP BY";
    for (const auto& item : s.group_by->items) {
      const Expr* target = item.get();
      if (const auto* lit = item->as_if<LiteralExpr>(); lit && lit->literal_kind == LiteralKind::Int64) {
        int64_t k = lit->int_value;
        if (k < 1 || k > static_cast<int64_t>(s.items.size()) || s.items[static_cast<size_t>(k - 1)].kind != SelectItemKind::Expr)
          detail::bind_error("GROUP BY position " + std::to_string(k) + " is out of range", item->span);
        target = s.items[static_cast<size_t>(k - 1)].expr.get();
        if (detail::has_aggregate(*target, functions_))
          detail::bind_error("GROUP BY position " + std::to_string(k) + " refers to an aggregate", item->span);
      } else if (const auto* ref = item->as_if<ColumnRefExpr>(); ref && ref->path.parts.size() == 1) {
        // A select-list alias, unless a FROM column has that name.
        bool is_column = false;
        for (const auto& rel : local.relations)
          for (const auto& c : rel.columns) is_column |= visiondb::detail::iequals(c.name, ref->path.parts[0].name);
        for (const auto& u : local.usings) is_column |= visiondb::detail::iequals(u.name, ref->path.parts[0].name);
        if (!is_column)
          for (const auto& si : s.items)
            if (si.kind == SelectItemKind::Expr && visiondb::detail::iequals(si.alias.name, ref->path.parts[0].name)) {
              target = si.expr.get();
              if (detail::has_aggregate(*target, functions_))
                detail::bind_error("GROUP BY " + detail::quote_name(si.alias.name) + " refers to an aggregate", item->span);
              break;
            }
      }
      BoundExprPtr g = bind_expr(*target);
      if (g->type.id() == TypeId::Array || g->type.id() == TypeId::Object)
        detail::type_error("grouping by expressions of type " + g->type.to_string() + " is not allowed", item->span);
      std::string key = fingerprint(*g);
      if (std::find(agg.group_keys.begin(), agg.group_keys.end(), key) != agg.group_keys.end()) continue;
      agg.group_keys.push_back(key);
      agg.groups.push_back(std::move(g));
    }
  }

  // SELECT list
  local.clause = "SELECT";
  if (aggregating) local.aggregate = &agg;
  local.window = &win;
  std::vector<BoundExprPtr> exprs;
  std::vector<std::string> names;
  std::vector<std::string> aliases;  // explicit aliases, for ORDER BY
  auto add_column = [&](BoundExprPtr e, std::string name, std::string alias = {}) {
    exprs.push_back(std::move(e));
    names.push_back(std::move(name));
    aliases.push_back(std::move(alias));
  };
  for (const auto& item : s.items) {
    switch (item.kind) {
      case SelectItemKind::Star:
      case SelectItemKind::DotStar: {
        // The relations the star covers.
        std::vector<const ScopeRelation*> rels;
        bool with_usings = item.kind == SelectItemKind::Star;
        if (item.kind == SelectItemKind::Star) {
          for (const auto& r : local.relations) rels.push_back(&r);
        } else {
          const auto* ref = item.expr->as_if<ColumnRefExpr>();
          if (ref && ref->path.parts.size() == 1)
            for (const auto& r : local.relations)
              if (visiondb::detail::iequals(r.alias, ref->path.parts[0].name)) rels.push_back(&r);
        }
        std::vector<std::pair<std::string, BoundExprPtr>> cols;
        if (item.kind == SelectItemKind::DotStar && rels.empty()) {
          // s.*, f(x).*: the fields of a STRUCT value.
          BoundExprPtr base = bind_expr(*item.expr);
          if (base->type.id() != TypeId::Struct)
            detail::type_error("dot-star is not supported for type " + base->type.to_string() +
                                   "; it expands a table alias or a STRUCT",
                               item.expr->span);
          const auto& fs = base->type.fields();
          for (size_t k = 0; k < fs.size(); ++k)
            cols.emplace_back(fs[k].name, std::make_unique<BoundFieldAccess>(base->clone(), k, item.expr->span));
        }
        if (with_usings)
          for (const auto& u : local.usings) cols.emplace_back(u.name, u.expr->clone());
        for (const auto* r : rels)
          for (const auto& c : r->columns)
            if (!c.pseudo && (c.in_star || (!with_usings && !c.value_column)))
              cols.emplace_back(c.name, make_column_ref(c.binding, c.type, c.name));
        if (item.kind == SelectItemKind::Star && local.relations.empty())
          detail::bind_error("SELECT * must have a FROM clause", item.span);
        for (const auto& ex : item.except_columns) {
          auto it = std::find_if(cols.begin(), cols.end(), [&](const auto& c) { return visiondb::detail::iequals(c.first, ex.name); });
          if (it == cols.end()) detail::bind_error("column " + detail::quote_name(ex.name) + " in SELECT * EXCEPT list does not exist", ex.span);
          cols.erase(it);
        }
        for (const auto& rep : item.replacements) {
          auto it = std::find_if(cols.begin(), cols.end(), [&](const auto& c) { return visiondb::detail::iequals(c.first, rep.column.name); });
          if (it == cols.end())
            detail::bind_error("column " + detail::quote_name(rep.column.name) + " in SELECT * REPLACE list does not exist", rep.column.span);
          it->second = bind_expr(*rep.expr);
        }
        for (auto& [n, e] : cols) {
          if (aggregating) e = check_grouped(std::move(e), "SELECT list");
          add_column(std::move(e), n);
        }
        break;
      }
      case SelectItemKind::Expr: {
        BoundExprPtr e = bind_expr(*item.expr);
        if (aggregating) e = check_grouped(std::move(e), "SELECT list");
        std::string name = item.alias.name;
        if (name.empty()) {
          if (const auto* ref = item.expr->as_if<ColumnRefExpr>()) name = ref->path.parts.back().name;
          else if (const auto* fa = item.expr->as_if<FieldAccessExpr>()) name = fa->field.name;
          else name = "f" + std::to_string(anonymous_columns_++) + "_";
        }
        add_column(std::move(e), std::move(name), item.alias.name);
        break;
      }
    }
  }
  const size_t visible = exprs.size();
  for (auto& e : exprs)
    if (e->type.id() == TypeId::Null) e = cast_to(std::move(e), LogicalType::int64());

  // HAVING
  BoundExprPtr having;
  if (s.having) {
    local.clause = "HAVING";
    local.window = nullptr;
    having = check_grouped(bind_expr(*s.having), "HAVING clause");
    if (having->type.id() != TypeId::Bool && having->type.id() != TypeId::Null)
      detail::type_error("HAVING clause should return type BOOL, but returns " + having->type.to_string(), s.having->span);
  }
  // QUALIFY: after the window functions; it may read select-list aliases.
  BoundExprPtr qualify;
  if (s.qualify) {
    local.clause = "QUALIFY";
    local.window = &win;
    for (size_t i = 0; i < visible; ++i)
      if (!aliases[i].empty()) local.select_aliases.emplace_back(aliases[i], exprs[i].get());
    try {
      qualify = bind_expr(*s.qualify);
    } catch (...) {
      local.select_aliases.clear();
      throw;
    }
    local.select_aliases.clear();
    if (aggregating) qualify = check_grouped(std::move(qualify), "QUALIFY clause");
    if (qualify->type.id() != TypeId::Bool && qualify->type.id() != TypeId::Null)
      detail::type_error("QUALIFY clause should return type BOOL, but returns " + qualify->type.to_string(), s.qualify->span);
  }

  // ORDER BY: output columns by position or alias, else expressions (hidden columns when new).
  std::vector<std::pair<size_t, const OrderByItem*>> order_columns;
  local.clause = "ORDER BY";
  local.window = &win;
  for (const auto& item : order_by) {
    size_t col = SIZE_MAX;
    if (const auto* lit = item.expr->as_if<LiteralExpr>(); lit && lit->literal_kind == LiteralKind::Int64) {
      if (lit->int_value < 1 || lit->int_value > static_cast<int64_t>(visible))
        detail::bind_error("ORDER BY position " + std::to_string(lit->int_value) + " is out of range", item.expr->span);
      col = static_cast<size_t>(lit->int_value - 1);
    } else if (const auto* ref = item.expr->as_if<ColumnRefExpr>(); ref && ref->path.parts.size() == 1) {
      for (size_t i = 0; i < visible; ++i) {
        if (!aliases[i].empty() && visiondb::detail::iequals(aliases[i], ref->path.parts[0].name)) {
          col = i;
          break;
        }
      }
    }
    if (col == SIZE_MAX) {
      BoundExprPtr e = bind_expr(*item.expr);
      if (aggregating) e = check_grouped(std::move(e), "ORDER BY clause");
      std::string key = fingerprint(*e);
      for (size_t i = 0; i < exprs.size(); ++i)
        if (fingerprint(*exprs[i]) == key) {
          col = i;
          break;
        }
      if (col == SIZE_MAX) {
        if (s.distinct)
          detail::bind_error("ORDER BY clause expression references a column that is not visible after SELECT DISTINCT",
                             item.expr->span);
        col = exprs.size();
        exprs.push_back(std::move(e));
        names.push_back("");
      }
    }
    // Output columns too: ARRAY, STRUCT and IMAGE values have no order.
    if (const LogicalType& t = exprs[col]->type; t.id() == TypeId::Array || t.id() == TypeId::Struct || t.id() == TypeId::Object)
      detail::type_error("ORDER BY does not support expressions of type " + t.to_string(), item.expr->span);
    order_columns.emplace_back(col, &item);
  }
  local.aggregate = nullptr;
  local.window = nullptr;
  if (s.qualify && win.windows.empty())
    detail::bind_error("QUALIFY needs a window function in the SELECT list or the QUALIFY clause", s.qualify->span);

  // Assemble: FROM -> WHERE -> AGGREGATE -> HAVING -> PROJECT -> DISTINCT -> ORDER -> LIMIT.
  if (aggregating) {
    auto node = std::make_unique<LogicalAggregate>(agg.group_index, agg.aggregate_index, std::move(plan));
    node->groups = std::move(agg.groups);
    node->aggregates = std::move(agg.aggregates);
    for (uint32_t i = 0; i < node->aggregates.size(); ++i) node->aggregate_ids.push_back(i);
    plan = std::move(node);
  }
  if (having) plan = std::make_unique<LogicalFilter>(std::move(plan), std::move(having));
  if (!win.windows.empty()) plan = std::make_unique<LogicalWindow>(win.index, std::move(plan), std::move(win.windows));
  if (qualify) plan = std::make_unique<LogicalFilter>(std::move(plan), std::move(qualify));
  std::vector<LogicalType> types;
  for (const auto& e : exprs) types.push_back(e->type);
  const uint32_t projection_index = new_index();
  plan = std::make_unique<LogicalProjection>(projection_index, std::move(plan), std::move(exprs));
  if (s.distinct) {
    for (size_t i = 0; i < visible; ++i)
      if (types[i].id() == TypeId::Array || types[i].id() == TypeId::Object)
        detail::type_error("SELECT DISTINCT over a column of type " + types[i].to_string() + " is not allowed", s.span);
    auto distinct = std::make_unique<LogicalAggregate>(new_index(), new_index(), std::move(plan));
    for (uint32_t i = 0; i < visible; ++i)
      distinct->groups.push_back(make_column_ref({projection_index, i}, types[i], names[i]));
    plan = std::move(distinct);
  }
  auto top = plan->bindings();
  if (!order_columns.empty()) {
    std::vector<OrderKey> keys;
    for (const auto& [col, item] : order_columns) {
      OrderKey k;
      k.expr = make_column_ref(top[col], types[col], names[col]);
      k.descending = item->descending;
      k.nulls_first = item->nulls == OrderByItem::Nulls::Default ? !item->descending : item->nulls == OrderByItem::Nulls::First;
      keys.push_back(std::move(k));
    }
    plan = std::make_unique<LogicalOrder>(std::move(plan), std::move(keys));
  }
  if (limit || offset) {
    int64_t l = limit ? bind_limit_value(*limit, "LIMIT") : -1;
    int64_t o = offset ? bind_limit_value(*offset, "OFFSET") : 0;
    plan = std::make_unique<LogicalLimit>(std::move(plan), l, o);
  }
  if (types.size() > visible) {
    std::vector<BoundExprPtr> keep;
    for (size_t i = 0; i < visible; ++i) keep.push_back(make_column_ref(top[i], types[i], names[i]));
    plan = std::make_unique<LogicalProjection>(new_index(), std::move(plan), std::move(keep));
  }
  names.resize(visible);
  types.resize(visible);
  if (s.select_as != SelectAs::None) return select_as(s, BoundQuery{std::move(plan), std::move(names), std::move(types)});
  return BoundQuery{std::move(plan), std::move(names), std::move(types)};
}

// ---- FROM --------------------------------------------------------------------------------------

VISIONDB_INLINE LogicalOpPtr BinderImpl::bind_from(const TableRef& ref, Scope& scope) {
  switch (ref.kind) {
    case TableRefKind::Named: return bind_named_table(ref.as<NamedTableRef>(), scope);
    case TableRefKind::Subquery: {
      const auto& sub = ref.as<SubqueryTableRef>();
      return relation_from_query(bind_isolated(*sub.query), sub.alias.name, scope);
    }
    case TableRefKind::Join: return bind_join(ref.as<JoinTableRef>(), scope);
    case TableRefKind::TableFunction: return bind_table_function(ref.as<TableFunctionRef>(), scope);
    case TableRefKind::Unnest: return bind_unnest(ref, nullptr, scope, false);
  }
  detail::bind_error("unsupported FROM item", ref.span);
}

VISIONDB_INLINE LogicalOpPtr BinderImpl::relation_from_query(BoundQuery q, const std::string& alias, Scope& scope) {
  ScopeRelation rel;
  rel.alias = alias;
  auto bindings = q.plan->bindings();
  for (size_t i = 0; i < q.names.size(); ++i) rel.columns.push_back({q.names[i], q.types[i], bindings[i], true});
  scope.relations.push_back(std::move(rel));
  return std::move(q.plan);
}

VISIONDB_INLINE QualifiedName BinderImpl::qualified_name(const IdentifierPath& path, const char* what) const {
  const auto& p = path.parts;
  if (p.size() == 1) return {"", p[0].name};
  if (p.size() == 2) return {p[0].name, p[1].name};
  if (p.size() == 3) return {p[1].name, p[2].name};  // project.dataset.name: the project is ignored
  detail::bind_error(std::string("invalid ") + what + " name " + detail::quote_name(path.to_string()), path.span);
}

VISIONDB_INLINE std::shared_ptr<Table> BinderImpl::find_table(const IdentifierPath& path) const {
  QualifiedName qn = qualified_name(path, "table");
  auto entry = catalog_.find(CatalogEntryKind::Table, qn);
  if (!entry) {
    std::vector<std::string> names;
    for (const auto& e : catalog_.list(CatalogEntryKind::Table)) names.push_back(e->name().name);
    if (!qn.dataset.empty() && !catalog_.has_dataset(qn.dataset))
      detail::bind_error("dataset " + detail::quote_name(qn.dataset) + " not found", path.span);
    detail::bind_error("table " + detail::quote_name(path.to_string()) + " not found" + detail::did_you_mean(qn.name, names),
                       path.span);
  }
  auto table = std::dynamic_pointer_cast<Table>(entry);
  if (!table) detail::bind_error(detail::quote_name(path.to_string()) + " is not a table", path.span);
  return table;
}

VISIONDB_INLINE LogicalOpPtr BinderImpl::bind_named_table(const NamedTableRef& ref, Scope& scope) {
  const auto& parts = ref.name.parts;
  if (parts.size() == 1) {
    for (size_t k = ctes_.size(); k-- > 0;) {
      if (!visiondb::detail::iequals(ctes_[k].name, parts[0].name)) continue;
      // A CTE: its body, bound where it was defined (seeing only the CTEs before it).
      std::vector<CteEntry> saved(ctes_.begin() + static_cast<ptrdiff_t>(ctes_[k].visible), ctes_.end());
      const Query* body = ctes_[k].query;
      std::string name = ctes_[k].name;
      ctes_.resize(ctes_[k].visible);
      BoundQuery q;
      try {
        q = bind_isolated(*body);
      } catch (...) {
        ctes_.insert(ctes_.end(), saved.begin(), saved.end());
        throw;
      }
      ctes_.insert(ctes_.end(), saved.begin(), saved.end());
      return relation_from_query(std::move(q), ref.alias.empty() ? name : ref.alias.name, scope);
    }
  }
  QualifiedName qn = qualified_name(ref.name, "table");
  auto entry = catalog_.find(CatalogEntryKind::Table, qn);
  if (!entry) find_table(ref.name);  // throws the error with suggestions
  auto source = std::dynamic_pointer_cast<DataSource>(entry);
  if (!source) detail::bind_error(detail::quote_name(ref.name.to_string()) + " cannot be read", ref.name.span);
  const Schema& schema = source->source_schema();
  auto get = std::make_unique<LogicalGet>(new_index(), source, qn.to_string(), source->open());
  ScopeRelation rel;
  rel.alias = ref.alias.empty() ? qn.name : ref.alias.name;
  for (uint32_t c = 0; c < schema.size(); ++c) {
    get->column_ids.push_back(c);
    rel.columns.push_back({schema[c].name, schema[c].type, {get->table_index, c}, true, schema[c].pseudo});
  }
  for (const auto& r : scope.relations)
    if (!r.alias.empty() && visiondb::detail::iequals(r.alias, rel.alias))
      detail::bind_error("duplicate table alias " + detail::quote_name(rel.alias) + " in FROM; give one of them another alias",
                         ref.span);
  scope.relations.push_back(std::move(rel));
  return get;
}

VISIONDB_INLINE LogicalOpPtr BinderImpl::bind_join(const JoinTableRef& ref, Scope& scope) {
  LogicalOpPtr left = bind_from(*ref.left, scope);
  if (is_unnest_ref(*ref.right, scope)) return bind_unnest_join(ref, std::move(left), scope);
  const size_t n_left = scope.relations.size();
  LogicalOpPtr right = bind_from(*ref.right, scope);
  JoinType type = JoinType::Inner;
  switch (ref.join_kind) {
    case JoinKind::Left: type = JoinType::Left; break;
    case JoinKind::Right: type = JoinType::Right; break;
    case JoinKind::Full: type = JoinType::Full; break;
    default: break;
  }
  auto join = std::make_unique<LogicalJoin>(type, std::move(left), std::move(right));
  if (ref.on) {
    std::string saved = scope.clause;
    scope.clause = "JOIN ON";
    BoundExprPtr cond = bind_expr(*ref.on);
    scope.clause = saved;
    if (cond->type.id() != TypeId::Bool && cond->type.id() != TypeId::Null)
      detail::type_error("JOIN ON clause should return type BOOL, but returns " + cond->type.to_string(), ref.on->span);
    split_conjunction(std::move(cond), join->conditions);
  }
  for (const auto& col : ref.using_columns) {
    auto find_side = [&](size_t from, size_t to, const char* side) -> ScopeColumn* {
      ScopeColumn* found = nullptr;
      for (size_t r = from; r < to; ++r)
        for (auto& c : scope.relations[r].columns)
          if (visiondb::detail::iequals(c.name, col.name)) {
            if (found) detail::bind_error("column " + detail::quote_name(col.name) + " in USING clause is ambiguous on the " + side + " side", col.span);
            found = &c;
          }
      if (!found) detail::bind_error("column " + detail::quote_name(col.name) + " in USING clause not found on the " + side + " side", col.span);
      return found;
    };
    ScopeColumn* l = find_side(0, n_left, "left");
    ScopeColumn* r = find_side(n_left, scope.relations.size(), "right");
    BoundExprPtr lref = make_column_ref(l->binding, l->type, l->name);
    BoundExprPtr rref = make_column_ref(r->binding, r->type, r->name);
    join->conditions.push_back(comparison("=", lref->clone(), rref->clone(), col.span));
    l->in_star = false;
    r->in_star = false;
    UsingColumn u;
    u.name = l->name;
    if (type == JoinType::Right) {
      u.expr = std::move(rref);
    } else if (type == JoinType::Full) {
      std::vector<BoundExprPtr*> both{&lref, &rref};
      LogicalType t = unify(both, "USING column " + detail::quote_name(col.name), col.span);
      std::vector<BoundExprPtr> args;
      args.push_back(std::move(lref));
      args.push_back(std::move(rref));
      u.expr = std::make_unique<BoundOperator>(BoundExprKind::Coalesce, t, std::move(args), col.span);
    } else {
      u.expr = std::move(lref);
    }
    scope.usings.push_back(std::move(u));
  }
  return join;
}

VISIONDB_INLINE LogicalOpPtr BinderImpl::bind_table_function(const TableFunctionRef& ref, Scope& scope) {
  std::string name = visiondb::detail::to_lower(ref.upper_name());
  auto fn = functions_.find_table_function(name);
  if (!fn) {
    std::vector<std::string> all = functions_.names();
    detail::bind_error("table function " + detail::quote_name(ref.name.to_string()) + " not found" + detail::did_you_mean(name, all),
                       ref.name.span);
  }
  std::vector<TableFunctionArgument> args;
  std::vector<LogicalOpPtr> inputs;  // the TABLE / (query) arguments, in order: the node's children
  for (const auto& a : ref.args) {
    TableFunctionArgument arg;
    arg.name = a.name.name;
    arg.span = a.span;
    switch (a.kind) {
      case FunctionArgKind::Expr:
        arg.kind = TableFunctionArgument::Kind::Scalar;
        arg.value = evaluate_constant(*a.expr, "a table function argument");
        break;
      case FunctionArgKind::Model: {
        arg.kind = TableFunctionArgument::Kind::Model;
        QualifiedName qn = qualified_name(a.object, "model");
        auto entry = catalog_.find(CatalogEntryKind::Model, qn);
        if (!entry) detail::bind_error("model " + detail::quote_name(a.object.to_string()) + " not found", a.object.span);
        arg.entry = entry;
        arg.entry_name = a.object.to_string();
        break;
      }
      case FunctionArgKind::Table:
      case FunctionArgKind::Query: {
        if (inputs.size() >= fn->max_table_arguments())
          detail::bind_error(fn->max_table_arguments() == 1 ? "a table function takes at most one table argument"
                                                             : "too many table arguments for " + ref.upper_name(),
                             a.span);
        arg.kind = TableFunctionArgument::Kind::Table;
        BoundQuery q;
        if (a.kind == FunctionArgKind::Query && !scopes_.empty() && scopes_[0]->clause == "SQL function body") {
          // In a SQL function's body the query may read the function's parameters (a stored
          // function scoring its argument through ML.PREDICT): they become correlated values.
          // No other outer column is visible, as for any FROM subquery.
          std::vector<std::pair<std::vector<ScopeRelation>, std::vector<UsingColumn>>> hidden(scopes_.size());
          auto unhide = [&] {
            for (size_t i = 1; i < scopes_.size(); ++i) {
              scopes_[i]->relations.swap(hidden[i].first);
              scopes_[i]->usings.swap(hidden[i].second);
            }
          };
          for (size_t i = 1; i < scopes_.size(); ++i) {
            scopes_[i]->relations.swap(hidden[i].first);
            scopes_[i]->usings.swap(hidden[i].second);
          }
          try {
            q = bind_query(*a.query);
          } catch (...) {
            unhide();
            throw;
          }
          unhide();
        } else if (a.kind == FunctionArgKind::Query) {
          q = bind_isolated(*a.query);
        } else {
          Scope tmp;
          NamedTableRef named;
          named.name.parts = a.object.parts;
          named.name.span = a.object.span;
          named.span = a.span;
          q.plan = bind_named_table(named, tmp);
          for (const auto& c : tmp.relations[0].columns) {
            q.names.push_back(c.name);
            q.types.push_back(c.type);
          }
        }
        arg.input_names = q.names;
        arg.input_types = q.types;
        inputs.push_back(std::move(q.plan));
        break;
      }
    }
    args.push_back(std::move(arg));
  }
  auto bound = fn->bind(args, ref.span);
  auto node = std::make_unique<LogicalTableFunction>(new_index(), ref.name.to_string(), bound);
  for (auto& input : inputs) node->children.push_back(std::move(input));
  ScopeRelation rel;
  rel.alias = ref.alias.empty() ? ref.name.parts.back().name : ref.alias.name;
  for (uint32_t c = 0; c < bound->names.size(); ++c) {
    node->column_ids.push_back(c);
    rel.columns.push_back({bound->names[c], bound->types[c], {node->table_index, c}, true});
  }
  scope.relations.push_back(std::move(rel));
  return node;
}

}  // namespace visiondb::sql

#include "visiondb/sql/detail/binder_expression_impl.hpp"
#include "visiondb/sql/detail/binder_statement_impl.hpp"
#include "visiondb/sql/detail/binder_nested_impl.hpp"
#include "visiondb/sql/detail/binder_unnest_impl.hpp"
#include "visiondb/sql/detail/binder_window_impl.hpp"
#include "visiondb/sql/detail/binder_function_impl.hpp"
