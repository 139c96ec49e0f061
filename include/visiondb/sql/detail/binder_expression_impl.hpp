// Out-of-line parts of binder.hpp: expressions.
#pragma once

#include "visiondb/config.hpp"
#include "visiondb/sql/detail/binder_datetime_impl.hpp"
#include "visiondb/sql/detail/binder_state.hpp"
#include "visiondb/storage/detail/text.hpp"

namespace visiondb::sql {

VISIONDB_INLINE BoundExprPtr BinderImpl::bind_expr(const Expr& e) {
  switch (e.kind) {
    case ExprKind::Literal: return bind_literal(e.as<LiteralExpr>());
    case ExprKind::ColumnRef: return bind_column_ref(e.as<ColumnRefExpr>());
    case ExprKind::Parameter: return bind_parameter(e.as<ParameterExpr>());
    case ExprKind::Unary: return bind_unary(e.as<UnaryExpr>());
    case ExprKind::Binary: return bind_binary(e.as<BinaryExpr>());
    case ExprKind::Is: return bind_is(e.as<IsExpr>());
    case ExprKind::Between: return bind_between(e.as<BetweenExpr>());
    case ExprKind::Like: return bind_like(e.as<LikeExpr>());
    case ExprKind::In: return bind_in(e.as<InExpr>());
    case ExprKind::Subquery: return bind_subquery(e.as<SubqueryExpr>());
    case ExprKind::Case: return bind_case(e.as<CaseExpr>());
    case ExprKind::Cast: return bind_cast(e.as<CastExpr>());
    case ExprKind::FunctionCall: return bind_function(e.as<FunctionCallExpr>());
    case ExprKind::Array: return bind_array(e.as<ArrayExpr>());
    case ExprKind::Extract: return detail::bind_extract(*this, e.as<ExtractExpr>());
    case ExprKind::Interval:
      detail::bind_error("INTERVAL values are only supported as arguments of TIMESTAMP_ADD, TIMESTAMP_SUB, DATE_ADD and DATE_SUB", e.span);
    case ExprKind::Struct: return bind_struct(e.as<StructExpr>());
    case ExprKind::Subscript: return bind_subscript(e.as<SubscriptExpr>());
    case ExprKind::FieldAccess: return bind_field_access(e.as<FieldAccessExpr>());
  }
  detail::bind_error("unsupported expression", e.span);
}

VISIONDB_INLINE BoundExprPtr BinderImpl::bind_literal(const LiteralExpr& e) {
  switch (e.literal_kind) {
    case LiteralKind::Null: return make_constant(Value::null(), e.span);
    case LiteralKind::Bool: return make_constant(Value::boolean(e.bool_value), e.span);
    case LiteralKind::Int64: return make_constant(Value::int64(e.int_value), e.span);
    case LiteralKind::Float64: return make_constant(Value::float64(e.float_value), e.span);
    case LiteralKind::String: return make_constant(Value::string(e.string_value), e.span);
    case LiteralKind::Bytes: return make_constant(Value::bytes(e.string_value), e.span);
    case LiteralKind::Date:
    case LiteralKind::Timestamp: {
      LogicalType t = e.literal_kind == LiteralKind::Date ? LogicalType::date() : LogicalType::timestamp();
      BoundExprPtr c = cast_to(make_constant(Value::string(e.string_value), e.span), t, e.span);
      try {
        return make_constant(evaluator_.evaluate(*c), e.span);
      } catch (const Error&) {
        detail::type_error("invalid " + t.to_string() + " literal '" + e.string_value + "'", e.span);
      }
    }
    default: detail::type_error("literals of this type are not supported", e.span);
  }
}

VISIONDB_INLINE BoundExprPtr BinderImpl::bind_parameter(const ParameterExpr& e) {
  switch (e.parameter_kind) {
    case ParameterKind::Named: {
      auto it = params_.named.find(visiondb::detail::to_lower(e.name));
      if (it == params_.named.end()) detail::bind_error("query parameter @" + e.name + " has no value", e.span);
      return make_constant(it->second, e.span);
    }
    case ParameterKind::Positional:
      if (e.position >= params_.positional.size())
        detail::bind_error("positional parameter " + std::to_string(e.position + 1) + " has no value", e.span);
      return make_constant(params_.positional[e.position], e.span);
    case ParameterKind::System: detail::bind_error("system variable @@" + e.name + " is not supported", e.span);
  }
  detail::bind_error("bad parameter", e.span);
}

VISIONDB_INLINE BoundExprPtr BinderImpl::bind_column_ref(const ColumnRefExpr& e) {
  const auto& parts = e.path.parts;
  const std::string& first = parts[0].name;
  uint32_t depth = 0;
  for (size_t i = scopes_.size(); i-- > 0;) {
    Scope& s = *scopes_[i];
    if (s.boundary) {
      ++depth;
      continue;
    }
    const ScopeColumn* found = nullptr;
    const UsingColumn* using_col = nullptr;
    size_t used_parts = 1;
    // t.column
    if (parts.size() >= 2) {
      for (const auto& rel : s.relations) {
        if (rel.alias.empty() || !visiondb::detail::iequals(rel.alias, first)) continue;
        for (const auto& c : rel.columns)
          if (visiondb::detail::iequals(c.name, parts[1].name)) found = &c;
        if (!found)
          detail::bind_error("column " + detail::quote_name(parts[1].name) + " not found in table " + detail::quote_name(rel.alias), e.span);
        used_parts = 2;
        break;
      }
    }
    // column
    if (!found) {
      for (const auto& u : s.usings)
        if (visiondb::detail::iequals(u.name, first)) using_col = &u;
      if (!using_col) {
        // A range variable (UNNEST(t.scores) AS scores) wins over a column of the same name.
        bool found_is_range = false;
        for (const auto& rel : s.relations)
          for (const auto& c : rel.columns) {
            if (!visiondb::detail::iequals(c.name, first)) continue;
            const bool is_range = !rel.alias.empty() && visiondb::detail::iequals(rel.alias, c.name);
            if (found) {
              if (is_range == found_is_range)
                detail::bind_error("column name " + detail::quote_name(first) + " is ambiguous", e.span);
              if (!is_range) continue;
            }
            found = &c;
            found_is_range = is_range;
          }
      }
    }
    if (!found && !using_col && depth == 0 && !s.select_aliases.empty()) {
      // QUALIFY reads select-list aliases when no FROM column has the name.
      for (const auto& [alias, expr] : s.select_aliases) {
        if (!visiondb::detail::iequals(alias, first)) continue;
        BoundExprPtr out = expr->clone();
        for (size_t k = 1; k < parts.size(); ++k) out = field_access(std::move(out), parts[k], e.span);
        return out;
      }
    }
    if (!found && !using_col) continue;
    // s.a.b: the parts after the column are STRUCT fields.
    auto with_fields = [&](BoundExprPtr base) {
      for (size_t k = used_parts; k < parts.size(); ++k) base = field_access(std::move(base), parts[k], e.span);
      return base;
    };
    if (using_col) {
      if (depth > 0) detail::bind_error("correlated references to USING columns are not supported", e.span);
      auto out = using_col->expr->clone();
      out->span = e.span;
      return with_fields(std::move(out));
    }
    if (depth > 0) {
      // Correlated: the boundary just above the owning scope collects it.
      for (size_t j = i + 1; j < scopes_.size(); ++j)
        if (scopes_[j]->boundary) {
          auto& list = scopes_[j]->correlated;
          if (std::find(list.begin(), list.end(), found->binding) == list.end()) {
            list.push_back(found->binding);
            scopes_[j]->correlated_types.push_back(found->type);
            scopes_[j]->correlated_names.push_back(found->name);
          }
          break;
        }
    }
    return with_fields(std::make_unique<BoundColumnRef>(found->binding, found->type, found->name, e.span, depth));
  }
  // Not found: say where we looked, and what was close.
  std::vector<std::string> names;
  const Scope* here = nullptr;
  for (size_t i = scopes_.size(); i-- > 0;)
    if (!scopes_[i]->boundary) {
      here = scopes_[i];
      break;
    }
  if (here) {
    for (const auto& rel : here->relations)
      for (const auto& c : rel.columns) names.push_back(c.name);
  }
  std::string where;
  if (here && here->relations.size() == 1 && !here->relations[0].alias.empty())
    where = " in table " + detail::quote_name(here->relations[0].alias);
  std::string shown = parts.size() >= 2 ? e.path.to_string() : first;
  if (parts.size() >= 2 && here) {
    bool alias_exists = false;
    for (const auto& rel : here->relations) alias_exists |= visiondb::detail::iequals(rel.alias, first);
    if (!alias_exists)
      detail::bind_error("table or column " + detail::quote_name(first) + " not found" + detail::did_you_mean(first, names), e.span);
  }
  detail::bind_error("column " + detail::quote_name(shown) + " not found" + where + detail::did_you_mean(parts.back().name, names),
                     e.span);
}

VISIONDB_INLINE BoundExprPtr BinderImpl::cast_to(BoundExprPtr e, const LogicalType& t, SourceSpan span, bool safe) {
  if (e->type == t) return e;
  if (!span.valid()) span = e->span;
  auto fn = functions_.resolve_cast(e->type, t, span);
  return std::make_unique<BoundCast>(std::move(e), t, std::move(fn), safe, span);
}

VISIONDB_INLINE LogicalType BinderImpl::unify(std::vector<BoundExprPtr*> exprs, const std::string& what, SourceSpan span) {
  LogicalType t = LogicalType::null();
  bool ok = true;
  for (auto* e : exprs) {
    t = common_supertype(t, (*e)->type, ok);
    if (!ok) {
      std::string list;
      for (size_t k = 0; k < exprs.size(); ++k) list += (k ? ", " : "") + (*exprs[k])->type.to_string();
      detail::type_error(what + " have incompatible types: " + list, span);
    }
  }
  if (t.id() == TypeId::Null) return t;
  for (auto* e : exprs) *e = cast_to(std::move(*e), t);
  return t;
}

VISIONDB_INLINE BoundExprPtr BinderImpl::call(const std::string& name, std::vector<BoundExprPtr> args, SourceSpan span,
                                             bool safe) {
  std::vector<LogicalType> types;
  for (const auto& a : args) types.push_back(a->type);
  ResolvedScalar r = functions_.resolve_scalar(name, types, span);
  for (size_t i = 0; i < args.size(); ++i) args[i] = cast_to(std::move(args[i]), r.arg_types[i]);
  return std::make_unique<BoundFunction>(r.function, std::move(args), safe, span);
}

VISIONDB_INLINE BoundExprPtr BinderImpl::comparison(const char* op, BoundExprPtr a, BoundExprPtr b, SourceSpan span) {
  // Literal coercion: a string literal meets a DATE or TIMESTAMP; NULL meets anything.
  auto coerce = [&](BoundExprPtr& lit, const BoundExprPtr& other) {
    if (lit->kind != BoundExprKind::Constant) return;
    TypeId o = other->type.id();
    if (lit->type.id() == TypeId::String && (o == TypeId::Date || o == TypeId::Timestamp)) {
      BoundExprPtr c = cast_to(std::move(lit), other->type);
      try {
        lit = make_constant(evaluator_.evaluate(*c), c->span);
      } catch (const Error&) {
        lit = std::move(c);
      }
    } else if (lit->type.id() == TypeId::Null && o != TypeId::Null) {
      lit = cast_to(std::move(lit), other->type);
    }
  };
  coerce(a, b);
  coerce(b, a);
  if (a->type.id() == TypeId::Struct || a->type.id() == TypeId::Array)
    detail::type_error(std::string("operator ") + op + " is not defined for " + a->type.to_string(), span);
  std::vector<BoundExprPtr> args;
  args.push_back(std::move(a));
  args.push_back(std::move(b));
  return call(op, std::move(args), span);
}

VISIONDB_INLINE BoundExprPtr BinderImpl::bind_unary(const UnaryExpr& e) {
  BoundExprPtr x = bind_expr(*e.operand);
  switch (e.op) {
    case UnaryOp::Minus: {
      std::vector<BoundExprPtr> args;
      args.push_back(std::move(x));
      return call("-", std::move(args), e.span);
    }
    case UnaryOp::Plus:
      if (!x->type.is_numeric() && x->type.id() != TypeId::Null)
        detail::type_error("unary + expects a number, got " + x->type.to_string(), e.span);
      return x;
    case UnaryOp::Not: {
      x = cast_to(std::move(x), LogicalType::boolean(), e.span);
      std::vector<BoundExprPtr> args;
      args.push_back(std::move(x));
      return std::make_unique<BoundOperator>(BoundExprKind::Not, LogicalType::boolean(), std::move(args), e.span);
    }
    case UnaryOp::BitwiseNot: detail::bind_error("bitwise operators are not supported yet", e.span);
  }
  detail::bind_error("bad unary operator", e.span);
}

VISIONDB_INLINE BoundExprPtr BinderImpl::bind_binary(const BinaryExpr& e) {
  if (e.op == BinaryOp::And || e.op == BinaryOp::Or) {
    std::vector<BoundExprPtr> args;
    for (const Expr* side : {e.left.get(), e.right.get()}) {
      BoundExprPtr x = bind_expr(*side);
      if (x->type.id() != TypeId::Bool && x->type.id() != TypeId::Null)
        detail::type_error(std::string(e.op == BinaryOp::And ? "AND" : "OR") + " expects BOOL operands, got " +
                               x->type.to_string(),
                           side->span);
      x = cast_to(std::move(x), LogicalType::boolean());
      // Flatten a AND b AND c.
      BoundExprKind k = e.op == BinaryOp::And ? BoundExprKind::And : BoundExprKind::Or;
      if (x->kind == k) {
        for (auto& c : x->children) args.push_back(std::move(c));
      } else {
        args.push_back(std::move(x));
      }
    }
    return std::make_unique<BoundOperator>(e.op == BinaryOp::And ? BoundExprKind::And : BoundExprKind::Or,
                                           LogicalType::boolean(), std::move(args), e.span);
  }
  BoundExprPtr a = bind_expr(*e.left);
  BoundExprPtr b = bind_expr(*e.right);
  switch (e.op) {
    case BinaryOp::Add:
    case BinaryOp::Subtract:
    case BinaryOp::Multiply:
    case BinaryOp::Divide:
    case BinaryOp::Concat: {
      const char* name = e.op == BinaryOp::Add ? "+" : e.op == BinaryOp::Subtract ? "-" : e.op == BinaryOp::Multiply ? "*"
                         : e.op == BinaryOp::Divide ? "/" : "||";
      if (e.op == BinaryOp::Concat && (a->type.id() == TypeId::Array || b->type.id() == TypeId::Array)) {
        std::vector<BoundExprPtr> args;
        args.push_back(std::move(a));
        args.push_back(std::move(b));
        return call("array_concat", std::move(args), e.span);
      }
      if (e.op == BinaryOp::Concat) {
        if (a->type.id() == TypeId::Null) a = cast_to(std::move(a), b->type.id() == TypeId::Null ? LogicalType::string() : b->type);
        if (b->type.id() == TypeId::Null) b = cast_to(std::move(b), a->type);
      }
      std::vector<BoundExprPtr> args;
      args.push_back(std::move(a));
      args.push_back(std::move(b));
      return call(name, std::move(args), e.span);
    }
    case BinaryOp::Equal: return comparison("=", std::move(a), std::move(b), e.span);
    case BinaryOp::NotEqual: return comparison("!=", std::move(a), std::move(b), e.span);
    case BinaryOp::Less: return comparison("<", std::move(a), std::move(b), e.span);
    case BinaryOp::LessEqual: return comparison("<=", std::move(a), std::move(b), e.span);
    case BinaryOp::Greater: return comparison(">", std::move(a), std::move(b), e.span);
    case BinaryOp::GreaterEqual: return comparison(">=", std::move(a), std::move(b), e.span);
    case BinaryOp::IsDistinctFrom:
    case BinaryOp::IsNotDistinctFrom: {
      // CASE WHEN a IS NULL THEN b IS NULL WHEN b IS NULL THEN FALSE ELSE a = b END (negated for DISTINCT).
      auto is_null = [&](const BoundExprPtr& x) {
        std::vector<BoundExprPtr> v;
        v.push_back(x->clone());
        return std::make_unique<BoundOperator>(BoundExprKind::IsNull, LogicalType::boolean(), std::move(v), e.span);
      };
      std::vector<BoundExprPtr> c;
      c.push_back(is_null(a));
      c.push_back(is_null(b));
      c.push_back(is_null(b));
      c.push_back(make_constant(Value::boolean(false)));
      c.push_back(comparison("=", a->clone(), b->clone(), e.span));
      BoundExprPtr same = std::make_unique<BoundOperator>(BoundExprKind::Case, LogicalType::boolean(), std::move(c), e.span);
      if (e.op == BinaryOp::IsNotDistinctFrom) return same;
      std::vector<BoundExprPtr> n;
      n.push_back(std::move(same));
      return std::make_unique<BoundOperator>(BoundExprKind::Not, LogicalType::boolean(), std::move(n), e.span);
    }
    default: detail::bind_error("operator " + std::string(binary_op_name(e.op)) + " is not supported yet", e.span);
  }
}

VISIONDB_INLINE BoundExprPtr BinderImpl::bind_is(const IsExpr& e) {
  BoundExprPtr x = bind_expr(*e.operand);
  std::vector<BoundExprPtr> args;
  if (e.test == IsTest::Null) {
    args.push_back(std::move(x));
    return std::make_unique<BoundOperator>(e.negated ? BoundExprKind::IsNotNull : BoundExprKind::IsNull,
                                           LogicalType::boolean(), std::move(args), e.span);
  }
  if (x->type.id() != TypeId::Bool && x->type.id() != TypeId::Null)
    detail::type_error("IS TRUE / IS FALSE expects a BOOL, got " + x->type.to_string(), e.span);
  x = cast_to(std::move(x), LogicalType::boolean());
  // x IS TRUE = COALESCE(x, FALSE); x IS FALSE = COALESCE(NOT x, FALSE).
  if (e.test == IsTest::False) {
    std::vector<BoundExprPtr> n;
    n.push_back(std::move(x));
    x = std::make_unique<BoundOperator>(BoundExprKind::Not, LogicalType::boolean(), std::move(n), e.span);
  }
  args.push_back(std::move(x));
  args.push_back(make_constant(Value::boolean(false)));
  BoundExprPtr out = std::make_unique<BoundOperator>(BoundExprKind::Coalesce, LogicalType::boolean(), std::move(args), e.span);
  if (!e.negated) return out;
  std::vector<BoundExprPtr> n;
  n.push_back(std::move(out));
  return std::make_unique<BoundOperator>(BoundExprKind::Not, LogicalType::boolean(), std::move(n), e.span);
}

VISIONDB_INLINE BoundExprPtr BinderImpl::bind_between(const BetweenExpr& e) {
  BoundExprPtr x = bind_expr(*e.operand);
  BoundExprPtr lo = bind_expr(*e.low);
  BoundExprPtr hi = bind_expr(*e.high);
  std::vector<BoundExprPtr> terms;
  terms.push_back(comparison(">=", x->clone(), std::move(lo), e.span));
  terms.push_back(comparison("<=", std::move(x), std::move(hi), e.span));
  BoundExprPtr out = std::make_unique<BoundOperator>(BoundExprKind::And, LogicalType::boolean(), std::move(terms), e.span);
  if (!e.negated) return out;
  std::vector<BoundExprPtr> n;
  n.push_back(std::move(out));
  return std::make_unique<BoundOperator>(BoundExprKind::Not, LogicalType::boolean(), std::move(n), e.span);
}

VISIONDB_INLINE BoundExprPtr BinderImpl::bind_like(const LikeExpr& e) {
  std::vector<BoundExprPtr> args;
  args.push_back(bind_expr(*e.operand));
  args.push_back(bind_expr(*e.pattern));
  if (args[0]->type.id() == TypeId::Null) args[0] = cast_to(std::move(args[0]), args[1]->type.id() == TypeId::Bytes ? LogicalType::bytes() : LogicalType::string());
  if (args[1]->type.id() == TypeId::Null) args[1] = cast_to(std::move(args[1]), args[0]->type);
  return call(e.negated ? "not like" : "like", std::move(args), e.span);
}

VISIONDB_INLINE BoundExprPtr BinderImpl::bind_in(const InExpr& e) {
  BoundExprPtr needle = bind_expr(*e.operand);
  if (e.in_kind == InKind::Subquery) return bind_subquery_plan(*e.query, BoundSubqueryKind::In, e.span, std::move(needle), e.negated);
  if (e.in_kind == InKind::Unnest) return bind_in_unnest(e, std::move(needle));
  std::vector<BoundExprPtr> items;
  for (const auto& item : e.list) items.push_back(bind_expr(*item));
  std::vector<BoundExprPtr*> all{&needle};
  for (auto& i : items) all.push_back(&i);
  LogicalType t = unify(all, "IN list elements", e.span);
  if (t.id() == TypeId::Struct || t.id() == TypeId::Array || t.id() == TypeId::Object)
    detail::type_error("IN is not defined for " + t.to_string(), e.span);
  bool all_constant = true;
  for (const auto& i : items) all_constant &= i->is_constant_tree() && i->is_foldable();
  BoundExprPtr out;
  if (all_constant && t.id() != TypeId::Null) {
    std::vector<BoundExprPtr> args;
    args.push_back(std::move(needle));
    for (auto& i : items) {
      if (i->kind != BoundExprKind::Constant) {
        try {
          i = make_constant(evaluator_.evaluate(*i), i->span);
        } catch (const Error&) {
          all_constant = false;
        }
      }
      args.push_back(std::move(i));
    }
    if (all_constant) out = std::make_unique<BoundOperator>(BoundExprKind::InList, LogicalType::boolean(), std::move(args), e.span);
    else {
      needle = std::move(args[0]);
      items.clear();
      for (size_t k = 1; k < args.size(); ++k) items.push_back(std::move(args[k]));
    }
  }
  if (!out) {
    std::vector<BoundExprPtr> ors;
    for (auto& i : items) ors.push_back(comparison("=", needle->clone(), std::move(i), e.span));
    out = std::make_unique<BoundOperator>(BoundExprKind::Or, LogicalType::boolean(), std::move(ors), e.span);
  }
  if (!e.negated) return out;
  std::vector<BoundExprPtr> n;
  n.push_back(std::move(out));
  return std::make_unique<BoundOperator>(BoundExprKind::Not, LogicalType::boolean(), std::move(n), e.span);
}

VISIONDB_INLINE BoundExprPtr BinderImpl::bind_subquery(const SubqueryExpr& e) {
  switch (e.subquery_kind) {
    case SubqueryKind::Scalar: return bind_subquery_plan(*e.query, BoundSubqueryKind::Scalar, e.span, nullptr, false);
    case SubqueryKind::Exists: return bind_subquery_plan(*e.query, BoundSubqueryKind::Exists, e.span, nullptr, false);
    case SubqueryKind::Array: return bind_subquery_plan(*e.query, BoundSubqueryKind::Array, e.span, nullptr, false);
  }
  detail::bind_error("bad subquery", e.span);
}

VISIONDB_INLINE BoundExprPtr BinderImpl::bind_subquery_plan(const Query& q, BoundSubqueryKind kind, SourceSpan span,
                                                           BoundExprPtr needle, bool negated) {
  Scope boundary;
  boundary.boundary = true;
  scopes_.push_back(&boundary);
  BoundQuery bq;
  try {
    bq = bind_query(q);
  } catch (...) {
    scopes_.pop_back();
    throw;
  }
  scopes_.pop_back();
  LogicalType type = LogicalType::boolean();
  if (kind != BoundSubqueryKind::Exists && bq.names.size() != 1)
    detail::bind_error(kind == BoundSubqueryKind::In ? "IN subquery must return exactly one column"
                                                     : "scalar subquery cannot have more than one column",
                       span);
  if (kind == BoundSubqueryKind::Scalar) type = bq.types[0];
  if (kind == BoundSubqueryKind::Array) type = LogicalType::array(bq.types[0]);
  if (kind == BoundSubqueryKind::In) {
    bool ok;
    LogicalType t = common_supertype(needle->type, bq.types[0], ok);
    if (!ok)
      detail::type_error("cannot execute IN subquery with uncomparable types " + needle->type.to_string() + " and " +
                             bq.types[0].to_string(),
                         span);
    if (t.id() == TypeId::Null) t = LogicalType::int64();
    needle = cast_to(std::move(needle), t);
    if (bq.types[0] != t) {
      auto b = bq.plan->bindings();
      std::vector<BoundExprPtr> x;
      x.push_back(cast_to(make_column_ref(b[0], bq.types[0], bq.names[0]), t));
      bq.plan = std::make_unique<LogicalProjection>(new_index(), std::move(bq.plan), std::move(x));
    }
  }
  auto out = std::make_unique<BoundSubquery>(kind, type, std::shared_ptr<LogicalOp>(std::move(bq.plan)), span);
  out->negated = negated;
  if (kind == BoundSubqueryKind::In && needle->type.id() != TypeId::Struct && needle->type.id() != TypeId::Array)
    out->in_equal = functions_.resolve_scalar("=", {needle->type, needle->type}, span).function;
  if (needle) out->children.push_back(std::move(needle));
  out->correlated = boundary.correlated;
  for (size_t k = 0; k < boundary.correlated.size(); ++k)
    out->children.push_back(make_column_ref(boundary.correlated[k], boundary.correlated_types[k], boundary.correlated_names[k]));
  return out;
}

VISIONDB_INLINE BoundExprPtr BinderImpl::bind_case(const CaseExpr& e) {
  std::vector<BoundExprPtr> conds, results;
  BoundExprPtr operand;
  if (e.operand) operand = bind_expr(*e.operand);
  for (const auto& w : e.whens) {
    BoundExprPtr c = bind_expr(*w.condition);
    if (operand) {
      c = comparison("=", operand->clone(), std::move(c), w.condition->span);
    } else {
      if (c->type.id() != TypeId::Bool && c->type.id() != TypeId::Null)
        detail::type_error("CASE WHEN expects BOOL, got " + c->type.to_string(), w.condition->span);
      c = cast_to(std::move(c), LogicalType::boolean());
    }
    conds.push_back(std::move(c));
    results.push_back(bind_expr(*w.result));
  }
  results.push_back(e.else_result ? bind_expr(*e.else_result) : make_constant(Value::null()));
  std::vector<BoundExprPtr*> rs;
  for (auto& r : results) rs.push_back(&r);
  LogicalType t = unify(rs, "CASE results", e.span);
  if (t.id() == TypeId::Null) {
    t = LogicalType::int64();
    for (auto& r : results) r = cast_to(std::move(r), t);
  }
  std::vector<BoundExprPtr> args;
  for (size_t i = 0; i < conds.size(); ++i) {
    args.push_back(std::move(conds[i]));
    args.push_back(std::move(results[i]));
  }
  args.push_back(std::move(results.back()));
  return std::make_unique<BoundOperator>(BoundExprKind::Case, t, std::move(args), e.span);
}

VISIONDB_INLINE BoundExprPtr BinderImpl::bind_cast(const CastExpr& e) {
  if (e.format) detail::bind_error("CAST ... FORMAT is not supported yet", e.format->span);
  LogicalType t = bind_type_name(e.type);
  BoundExprPtr x = bind_expr(*e.operand);
  if (x->type == t) return x;
  return cast_to(std::move(x), t, e.span, e.safe);
}

VISIONDB_INLINE BoundExprPtr BinderImpl::bind_array(const ArrayExpr& e) {
  std::vector<BoundExprPtr> xs;
  for (const auto& el : e.elements) xs.push_back(bind_expr(*el));
  LogicalType t = LogicalType::null();
  if (e.element_type) t = bind_type_name(*e.element_type);
  if (t.id() == TypeId::Null) {
    std::vector<BoundExprPtr*> all;
    for (auto& x : xs) all.push_back(&x);
    t = unify(all, "array elements", e.span);
    if (t.id() == TypeId::Null) t = LogicalType::int64();
  }
  if (t.id() == TypeId::Array) detail::type_error("arrays of arrays are not supported", e.span);
  bool constant = true;
  for (auto& x : xs) {
    if (x->type != t) {
      bool ok;
      LogicalType st = common_supertype(x->type, t, ok);
      if (!ok || st != t) detail::type_error("array element of type " + x->type.to_string() + " does not fit ARRAY<" + t.to_string() + ">", x->span);
    }
    x = cast_to(std::move(x), t);
    constant &= x->is_constant_tree() && x->is_foldable();
  }
  if (constant) {
    std::vector<Value> values;
    try {
      for (auto& x : xs) values.push_back(evaluator_.evaluate(*x));
      return make_constant(Value::array(t, std::move(values)), e.span);
    } catch (const Error&) {
      // An element that fails (1 / 0) fails when the row is reached, as in BigQuery.
    }
  }
  return std::make_unique<BoundOperator>(BoundExprKind::ArrayPack, LogicalType::array(t), std::move(xs), e.span);
}

VISIONDB_INLINE BoundExprPtr BinderImpl::bind_function(const FunctionCallExpr& e) {
  if (e.over) return bind_window(e);
  if (auto f = find_sql_function(e.name)) return bind_sql_function_call(*f, e);
  const std::string lname = visiondb::detail::to_lower(e.upper_name());
  if (functions_.has_aggregate(lname)) return bind_aggregate(e, lname);
  if (e.distinct || !e.order_by.empty() || e.limit || e.star)
    detail::bind_error(visiondb::detail::to_upper(lname) + " is not an aggregate function", e.span);
  if (auto r = detail::bind_datetime_call(*this, e, lname)) return r;
  std::vector<BoundExprPtr> args;
  for (const auto& a : e.args) {
    if (a.kind != FunctionArgKind::Expr || !a.name.empty())
      detail::bind_error("function " + visiondb::detail::to_upper(lname) + " takes expressions only", a.span);
    args.push_back(bind_expr(*a.expr));
  }
  auto arity = [&](size_t lo, size_t hi) {
    if (args.size() < lo || args.size() > hi)
      detail::type_error("function " + visiondb::detail::to_upper(lname) + " expects " +
                             (lo == hi ? std::to_string(lo) : std::to_string(lo) + " to " + std::to_string(hi)) +
                             " arguments, got " + std::to_string(args.size()),
                         e.span);
  };
  auto op = [&](BoundExprKind k, LogicalType t, std::vector<BoundExprPtr> xs) -> BoundExprPtr {
    return std::make_unique<BoundOperator>(k, std::move(t), std::move(xs), e.span);
  };
  if (lname == "if") {
    arity(3, 3);
    if (args[0]->type.id() != TypeId::Bool && args[0]->type.id() != TypeId::Null)
      detail::type_error("IF expects a BOOL condition, got " + args[0]->type.to_string(), e.args[0].span);
    args[0] = cast_to(std::move(args[0]), LogicalType::boolean());
    LogicalType t = unify({&args[1], &args[2]}, "IF results", e.span);
    if (t.id() == TypeId::Null) {
      t = LogicalType::int64();
      args[1] = cast_to(std::move(args[1]), t);
      args[2] = cast_to(std::move(args[2]), t);
    }
    return op(BoundExprKind::Case, t, std::move(args));
  }
  if (lname == "ifnull" || lname == "coalesce") {
    if (lname == "ifnull") arity(2, 2);
    else arity(1, 1000);
    std::vector<BoundExprPtr*> all;
    for (auto& a : args) all.push_back(&a);
    LogicalType t = unify(all, visiondb::detail::to_upper(lname) + " arguments", e.span);
    if (t.id() == TypeId::Null) {
      t = LogicalType::int64();
      for (auto& a : args) a = cast_to(std::move(a), t);
    }
    return op(BoundExprKind::Coalesce, t, std::move(args));
  }
  if (lname == "nullif") {
    arity(2, 2);
    LogicalType t = unify({&args[0], &args[1]}, "NULLIF arguments", e.span);
    if (t.id() == TypeId::Null) t = LogicalType::int64();
    std::vector<BoundExprPtr> c;
    c.push_back(comparison("=", args[0]->clone(), std::move(args[1]), e.span));
    c.push_back(make_constant(Value::null(t)));
    c.push_back(cast_to(std::move(args[0]), t));
    return op(BoundExprKind::Case, t, std::move(c));
  }
  if (lname == "concat") {
    arity(1, 10000);
    for (auto& a : args) a = detail::concat_operand(*this, std::move(a));
    BoundExprPtr acc = std::move(args[0]);
    if (acc->type.id() == TypeId::Null) acc = cast_to(std::move(acc), LogicalType::string());
    if (args.size() == 1) {
      std::vector<BoundExprPtr> xs;
      xs.push_back(std::move(acc));
      xs.push_back(make_constant(acc ? Value::string("") : Value::string("")));
      xs[1] = cast_to(std::move(xs[1]), xs[0]->type);
      return call("||", std::move(xs), e.span, e.safe);
    }
    for (size_t i = 1; i < args.size(); ++i) {
      if (args[i]->type.id() == TypeId::Null) args[i] = cast_to(std::move(args[i]), acc->type);
      std::vector<BoundExprPtr> xs;
      xs.push_back(std::move(acc));
      xs.push_back(std::move(args[i]));
      acc = call("||", std::move(xs), e.span, e.safe);
    }
    return acc;
  }
  if (lname == "safe_divide") {
    arity(2, 2);
    return call("/", std::move(args), e.span, true);
  }
  if (lname == "ml.decode_image" && args.size() == 1) {
    // Straight over an object table's data: the row's uri goes along, so that an error names the file.
    if (BoundExprPtr uri = object_uri_of(*args[0])) args.push_back(std::move(uri));
  }
  return call(lname, std::move(args), e.span, e.safe);
}

VISIONDB_INLINE BoundExprPtr BinderImpl::object_uri_of(const BoundExpr& data) {
  if (data.kind != BoundExprKind::ColumnRef) return nullptr;
  const auto& ref = static_cast<const BoundColumnRef&>(data);
  if (ref.depth != 0) return nullptr;
  for (const auto& rel : scope().relations)
    for (const auto& c : rel.columns) {
      if (!(c.binding == ref.binding) || !c.pseudo) continue;
      for (const auto& u : rel.columns)
        if (u.binding.table == ref.binding.table && u.type.id() == TypeId::String && visiondb::detail::iequals(u.name, "uri"))
          return make_column_ref(u.binding, u.type, u.name);
    }
  return nullptr;
}

VISIONDB_INLINE BoundExprPtr BinderImpl::bind_aggregate(const FunctionCallExpr& e, const std::string& lname) {
  Scope& s = scope();
  const std::string upper = visiondb::detail::to_upper(lname);
  if (s.in_aggregate_args) detail::bind_error("aggregations of aggregations are not allowed", e.span);
  if (!s.aggregate) {
    std::string clause = s.clause.empty() ? "this context" : s.clause + " clause";
    detail::bind_error("aggregate function " + upper + " not allowed in " + clause, e.span);
  }
  // agg(x [IGNORE NULLS] [ORDER BY ...] [LIMIT n]): ARRAY_AGG and STRING_AGG only, as in BigQuery.
  const bool ordered_ok = lname == "array_agg" || lname == "string_agg";
  if ((!e.order_by.empty() || e.limit) && !ordered_ok)
    detail::bind_error("ORDER BY and LIMIT are only allowed in ARRAY_AGG and STRING_AGG, not in " + upper, e.span);
  if (e.null_handling != NullHandling::Default && lname != "array_agg")
    detail::bind_error("IGNORE NULLS and RESPECT NULLS are only allowed in ARRAY_AGG, not in " + upper, e.span);
  AggregateModifiers mods;
  mods.ignore_nulls = e.null_handling == NullHandling::IgnoreNulls;
  std::string modifiers_text = mods.ignore_nulls ? " IGNORE NULLS" : "";
  if (e.limit) {
    mods.limit = bind_limit_value(*e.limit, "LIMIT");
  }
  std::vector<BoundExprPtr> args, keys;
  s.in_aggregate_args = true;
  try {
    for (const auto& a : e.args) {
      if (a.kind != FunctionArgKind::Expr) detail::bind_error("aggregate " + upper + " takes expressions only", a.span);
      args.push_back(bind_expr(*a.expr));
    }
    for (const auto& o : e.order_by) {
      BoundExprPtr k = bind_expr(*o.expr);
      if (k->type.id() == TypeId::Array || k->type.id() == TypeId::Struct || k->type.id() == TypeId::Object)
        detail::type_error("ORDER BY does not support expressions of type " + k->type.to_string(), o.expr->span);
      if (k->type.id() == TypeId::Null) k = cast_to(std::move(k), LogicalType::int64());
      modifiers_text += std::string(keys.empty() ? " ORDER BY " : ", ") + k->to_string() + (o.descending ? " DESC" : "");
      mods.order_types.push_back(k->type);
      mods.descending.push_back(o.descending);
      mods.nulls_first.push_back(o.nulls == OrderByItem::Nulls::Default ? !o.descending : o.nulls == OrderByItem::Nulls::First);
      keys.push_back(std::move(k));
    }
  } catch (...) {
    s.in_aggregate_args = false;
    throw;
  }
  s.in_aggregate_args = false;
  if (e.star && lname != "count") detail::bind_error(upper + "(*) is not allowed; only COUNT(*)", e.span);
  if (!e.star && args.empty() && lname == "count") detail::type_error("COUNT expects an argument or *", e.span);
  if (e.distinct) {
    for (const auto& a : args)
      if (a->type.id() == TypeId::Array || a->type.id() == TypeId::Struct || a->type.id() == TypeId::Object)
        detail::type_error("DISTINCT is not allowed for aggregate arguments of type " + a->type.to_string(), e.span);
  }
  // Untyped NULL arguments take the first overload's type.
  std::vector<LogicalType> types;
  for (const auto& a : args) types.push_back(a->type.id() == TypeId::Null ? LogicalType::int64() : a->type);
  for (size_t i = 0; i < args.size(); ++i)
    if (args[i]->type.id() == TypeId::Null) args[i] = cast_to(std::move(args[i]), types[i]);
  if (e.limit) modifiers_text += " LIMIT " + std::to_string(mods.limit);
  if (e.distinct && !keys.empty()) {
    // BigQuery: with DISTINCT, the ORDER BY keys must be the aggregated expression.
    for (size_t k = 0; k < keys.size(); ++k)
      if (args.empty() || fingerprint(*keys[k]) != fingerprint(*args[0]))
        detail::bind_error("an aggregate with DISTINCT and ORDER BY must order by its argument", e.order_by[k].expr->span);
  }
  ResolvedAggregate r = functions_.resolve_ordered_aggregate(lname, types, e.distinct, mods, e.span);
  for (size_t i = 0; i < args.size(); ++i) args[i] = cast_to(std::move(args[i]), r.arg_types[i]);
  const size_t key_count = keys.size();
  for (auto& k : keys) args.push_back(std::move(k));
  auto agg = std::make_unique<BoundAggregate>(r.function, std::move(args), e.distinct, e.span);
  agg->modifiers = modifiers_text;
  agg->order_keys = key_count;
  if (e.distinct)
    agg->plain_function = functions_.resolve_ordered_aggregate(lname, r.arg_types, false, mods, e.span).function;
  AggregateState& state = *s.aggregate;
  std::string key = fingerprint(*agg);
  uint32_t index = 0;
  auto it = std::find(state.aggregate_keys.begin(), state.aggregate_keys.end(), key);
  if (it != state.aggregate_keys.end()) {
    index = static_cast<uint32_t>(it - state.aggregate_keys.begin());
  } else {
    index = static_cast<uint32_t>(state.aggregates.size());
    state.aggregate_keys.push_back(key);
    state.aggregates.push_back(std::move(agg));
  }
  const auto& stored = *state.aggregates[index];
  return std::make_unique<BoundColumnRef>(ColumnBinding{state.aggregate_index, index}, stored.type, stored.to_string(), e.span);
}

VISIONDB_INLINE std::string BinderImpl::fingerprint(const BoundExpr& e) const {
  std::string out = std::to_string(static_cast<int>(e.kind)) + ":" + e.type.to_string();
  switch (e.kind) {
    case BoundExprKind::Constant: out += "=" + static_cast<const BoundConstant&>(e).value.to_sql(); break;
    case BoundExprKind::ColumnRef: {
      const auto& r = static_cast<const BoundColumnRef&>(e);
      out += "#" + std::to_string(r.binding.table) + "." + std::to_string(r.binding.column) + "@" + std::to_string(r.depth);
      break;
    }
    case BoundExprKind::Function: {
      const auto& f = static_cast<const BoundFunction&>(e);
      out += "fn " + f.function->name() + (f.safe ? " safe" : "");
      break;
    }
    case BoundExprKind::Cast: out += static_cast<const BoundCast&>(e).safe ? " safe" : ""; break;
    case BoundExprKind::FieldAccess: out += "." + std::to_string(static_cast<const BoundFieldAccess&>(e).field); break;
    case BoundExprKind::Aggregate: {
      const auto& a = static_cast<const BoundAggregate&>(e);
      out += "agg " + a.function->name() + (a.distinct ? " distinct" : "") + a.modifiers;
      break;
    }
    case BoundExprKind::Subquery: out += "subquery@" + std::to_string(reinterpret_cast<uintptr_t>(&e)); break;
    default: break;
  }
  out += "(";
  for (const auto& c : e.children) out += fingerprint(*c) + ",";
  return out + ")";
}

VISIONDB_INLINE BoundExprPtr BinderImpl::check_grouped(BoundExprPtr e, const char* clause) {
  AggregateState* agg = nullptr;
  for (size_t i = scopes_.size(); i-- > 0;)
    if (!scopes_[i]->boundary) {
      agg = scopes_[i]->aggregate;
      break;
    }
  if (!agg) return e;
  const WindowState* win = nullptr;
  for (size_t i = scopes_.size(); i-- > 0;)
    if (!scopes_[i]->boundary) {
      win = scopes_[i]->window;
      break;
    }
  std::string key = fingerprint(*e);
  for (size_t k = 0; k < agg->group_keys.size(); ++k)
    if (agg->group_keys[k] == key) {
      auto ref = std::make_unique<BoundColumnRef>(ColumnBinding{agg->group_index, static_cast<uint32_t>(k)}, e->type,
                                                  agg->groups[k]->to_string(), e->span);
      return ref;
    }
  if (e->kind == BoundExprKind::ColumnRef) {
    const auto& r = static_cast<const BoundColumnRef&>(*e);
    if (r.depth == 0 && r.binding.table != agg->aggregate_index && r.binding.table != agg->group_index &&
        !(win && r.binding.table == win->index))
      detail::bind_error(std::string(clause) + " expression references column " + detail::quote_name(r.name) +
                             " which is neither grouped nor aggregated",
                         e->span);
    return e;
  }
  for (auto& c : e->children) c = check_grouped(std::move(c), clause);
  return e;
}

VISIONDB_INLINE Value BinderImpl::evaluate_constant(const Expr& e, const char* what) {
  Scope empty;
  empty.clause = what;
  std::vector<Scope*> saved;
  saved.swap(scopes_);
  scopes_.push_back(&empty);
  BoundExprPtr b;
  try {
    b = bind_expr(e);
  } catch (...) {
    scopes_.swap(saved);
    throw;
  }
  scopes_.swap(saved);
  if (!b->is_constant_tree()) detail::bind_error(std::string(what) + " must be a constant", e.span);
  try {
    return evaluator_.evaluate(*b);
  } catch (const SqlError& err) {
    if (err.span().valid()) throw;
    throw SqlError(err.kind(), err.message(), e.span);
  }
}

}  // namespace visiondb::sql
