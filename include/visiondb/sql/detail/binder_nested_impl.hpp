// Out-of-line parts of binder.hpp: nested values. STRUCT constructors, s.field paths and field
// access, array subscripts in BigQuery's five forms, x IN UNNEST(a).
#pragma once

#include "visiondb/config.hpp"
#include "visiondb/sql/detail/binder_state.hpp"
#include "visiondb/storage/detail/text.hpp"

namespace visiondb::sql {

VISIONDB_INLINE BoundExprPtr BinderImpl::field_access(BoundExprPtr base, const Identifier& field, SourceSpan span) {
  const LogicalType& t = base->type;
  if (t.id() != TypeId::Struct)
    detail::type_error("cannot access field " + field.name + " on a value with type " + t.to_string(), span);
  int k = t.field_index(field.name);
  if (k < 0) {
    std::vector<std::string> names;
    for (const auto& f : t.fields()) names.push_back(f.name);
    detail::bind_error("field " + detail::quote_name(field.name) + " not found in " + t.to_string() +
                           detail::did_you_mean(field.name, names),
                       field.span.valid() ? field.span : span);
  }
  return std::make_unique<BoundFieldAccess>(std::move(base), static_cast<size_t>(k), span);
}

VISIONDB_INLINE BoundExprPtr BinderImpl::bind_field_access(const FieldAccessExpr& e) {
  return field_access(bind_expr(*e.operand), e.field, e.span);
}

VISIONDB_INLINE BoundExprPtr BinderImpl::bind_struct(const StructExpr& e) {
  std::vector<BoundExprPtr> xs;
  std::vector<std::pair<std::string, LogicalType>> fields;
  for (const auto& f : e.fields) {
    xs.push_back(bind_expr(*f.value));
    std::string name = f.alias.name;
    if (name.empty() && !e.tuple_syntax && !e.type) {
      // STRUCT(x, t.y) names its fields after the paths, as BigQuery does.
      if (const auto* ref = f.value->as_if<ColumnRefExpr>()) name = ref->path.parts.back().name;
    }
    fields.emplace_back(std::move(name), xs.back()->type);
  }
  if (e.type) {
    LogicalType declared = bind_type_name(*e.type);
    if (declared.id() != TypeId::Struct || declared.fields().size() != xs.size())
      detail::type_error("STRUCT type " + declared.to_string() + " has " +
                             std::to_string(declared.id() == TypeId::Struct ? declared.fields().size() : 0) +
                             " fields but " + std::to_string(xs.size()) + " values are given",
                         e.span);
    fields.clear();
    for (size_t i = 0; i < xs.size(); ++i) {
      const auto& f = declared.fields()[i];
      bool ok;
      LogicalType t = common_supertype(xs[i]->type, *f.type, ok);
      if (!ok || t != *f.type)
        detail::type_error("STRUCT field " + std::to_string(i + 1) + (f.name.empty() ? "" : " (" + f.name + ")") +
                               " expects " + f.type->to_string() + ", got " + xs[i]->type.to_string(),
                           e.fields[i].value->span);
      fields.emplace_back(f.name, *f.type);
    }
  }
  for (size_t i = 0; i < xs.size(); ++i) {
    if (fields[i].second.id() == TypeId::Null) fields[i].second = LogicalType::int64();
    xs[i] = cast_to(std::move(xs[i]), fields[i].second);
  }
  LogicalType type = LogicalType::structure(std::move(fields));
  bool constant = true;
  for (const auto& x : xs) constant &= x->is_constant_tree() && x->is_foldable();
  if (constant) {
    std::vector<Value> values;
    try {
      for (const auto& x : xs) values.push_back(evaluator_.evaluate(*x));
      return make_constant(Value::structure(type, std::move(values)), e.span);
    } catch (const Error&) {
      // Left to run (and fail) when the row is reached.
    }
  }
  return std::make_unique<BoundOperator>(BoundExprKind::StructPack, std::move(type), std::move(xs), e.span);
}

VISIONDB_INLINE BoundExprPtr BinderImpl::bind_subscript(const SubscriptExpr& e) {
  BoundExprPtr base = bind_expr(*e.operand);
  BoundExprPtr index = bind_expr(*e.index);
  if (base->type.id() != TypeId::Array && base->type.id() != TypeId::Null)
    detail::type_error("array subscript requires an ARRAY, got " + base->type.to_string(), e.span);
  if (index->type.id() != TypeId::Int64 && index->type.id() != TypeId::Null)
    detail::type_error("array index must be INT64, got " + index->type.to_string(), e.index->span);
  const bool ordinal = e.subscript_kind == SubscriptKind::Ordinal || e.subscript_kind == SubscriptKind::SafeOrdinal;
  const bool safe = e.subscript_kind == SubscriptKind::SafeOffset || e.subscript_kind == SubscriptKind::SafeOrdinal;
  std::vector<BoundExprPtr> args;
  args.push_back(std::move(base));
  args.push_back(std::move(index));
  return call(ordinal ? "$ordinal" : "$offset", std::move(args), e.span, safe);
}

VISIONDB_INLINE BoundExprPtr BinderImpl::bind_in_unnest(const InExpr& e, BoundExprPtr needle) {
  BoundExprPtr array = bind_expr(*e.unnest_array);
  if (array->type.id() != TypeId::Array && array->type.id() != TypeId::Null)
    detail::type_error("IN UNNEST requires an ARRAY, got " + array->type.to_string(), e.unnest_array->span);
  std::vector<BoundExprPtr> args;
  args.push_back(std::move(needle));
  args.push_back(std::move(array));
  BoundExprPtr out = call("$in_unnest", std::move(args), e.span);
  if (!e.negated) return out;
  std::vector<BoundExprPtr> n;
  n.push_back(std::move(out));
  return std::make_unique<BoundOperator>(BoundExprKind::Not, LogicalType::boolean(), std::move(n), e.span);
}

VISIONDB_INLINE BoundQuery BinderImpl::select_as(const Select& s, BoundQuery q) {
  auto bindings = q.plan->bindings();
  std::vector<BoundExprPtr> xs;
  if (s.select_as == SelectAs::Value) {
    if (q.names.size() != 1)
      detail::bind_error("SELECT AS VALUE must have exactly one column, not " + std::to_string(q.names.size()), s.span);
    return q;
  }
  std::vector<std::pair<std::string, LogicalType>> fields;
  for (size_t i = 0; i < q.names.size(); ++i) {
    // Unnamed select items are anonymous fields.
    const std::string& n = q.names[i];
    const bool generated = n.size() > 2 && n[0] == 'f' && n.back() == '_' &&
                           n.substr(1, n.size() - 2).find_first_not_of("0123456789") == std::string::npos;
    fields.emplace_back(generated ? std::string() : n, q.types[i]);
    xs.push_back(make_column_ref(bindings[i], q.types[i], n));
  }
  LogicalType t = LogicalType::structure(std::move(fields));
  std::vector<BoundExprPtr> one;
  one.push_back(std::make_unique<BoundOperator>(BoundExprKind::StructPack, t, std::move(xs), s.span));
  BoundQuery out;
  out.plan = std::make_unique<LogicalProjection>(new_index(), std::move(q.plan), std::move(one));
  out.names = {""};
  out.types = {t};
  return out;
}

}  // namespace visiondb::sql
