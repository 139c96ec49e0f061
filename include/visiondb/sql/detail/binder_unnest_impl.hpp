// Out-of-line parts of binder.hpp: UNNEST in FROM. `FROM UNNEST(a)`, `FROM t, UNNEST(t.a) AS x
// WITH OFFSET AS i`, `t CROSS JOIN UNNEST(...)`, `t LEFT JOIN UNNEST(...)`, and BigQuery's
// implicit form `FROM t, t.a AS x` become a LogicalUnnest over the FROM items to their left.
#pragma once

#include "visiondb/config.hpp"
#include "visiondb/sql/detail/binder_state.hpp"
#include "visiondb/sql/logical_unnest.hpp"
#include "visiondb/storage/detail/text.hpp"

namespace visiondb::sql {

VISIONDB_INLINE bool BinderImpl::is_unnest_ref(const TableRef& ref, const Scope& scope) const {
  if (ref.kind == TableRefKind::Unnest) return true;
  const auto* named = ref.as_if<NamedTableRef>();
  if (!named || named->name.parts.size() < 2) return false;
  // t.arr where t is a FROM item in scope (range variables win over dataset names, as in BigQuery).
  for (const auto& rel : scope.relations)
    if (!rel.alias.empty() && visiondb::detail::iequals(rel.alias, named->name.parts[0].name)) return true;
  return false;
}

VISIONDB_INLINE LogicalOpPtr BinderImpl::bind_unnest(const TableRef& ref, LogicalOpPtr input, Scope& scope, bool outer) {
  const std::string saved_clause = scope.clause;
  scope.clause = "FROM";
  BoundExprPtr array;
  std::string alias = ref.alias.name;
  bool with_offset = false;
  std::string offset_name = "offset";
  SourceSpan offset_span = ref.span;
  if (const auto* u = ref.as_if<UnnestTableRef>()) {
    array = bind_expr(*u->array);
    if (alias.empty()) {
      if (const auto* c = u->array->as_if<ColumnRefExpr>()) alias = c->path.parts.back().name;
      else if (const auto* f = u->array->as_if<FieldAccessExpr>()) alias = f->field.name;
    }
    with_offset = u->with_offset;
    if (!u->offset_alias.empty()) {
      offset_name = u->offset_alias.name;
      offset_span = u->offset_alias.span;
    }
  } else {
    const auto& named = ref.as<NamedTableRef>();
    ColumnRefExpr path;
    path.path = named.name;
    path.span = named.name.span;
    array = bind_expr(path);
    if (alias.empty()) alias = named.name.parts.back().name;
    with_offset = named.with_offset;
    if (!named.offset_alias.empty()) {
      offset_name = named.offset_alias.name;
      offset_span = named.offset_alias.span;
    }
  }
  scope.clause = saved_clause;
  if (array->type.id() == TypeId::Null) array = cast_to(std::move(array), LogicalType::array(LogicalType::int64()));
  if (array->type.id() != TypeId::Array)
    detail::type_error("UNNEST expects an ARRAY, got " + array->type.to_string(), ref.span);
  const LogicalType element = array->type.element();
  if (!input) {
    auto one = std::make_unique<LogicalValues>(new_index(), std::vector<LogicalType>{});
    one->rows.emplace_back();
    input = std::move(one);
  }
  for (const auto& r : scope.relations)
    if (!alias.empty() && !r.alias.empty() && visiondb::detail::iequals(r.alias, alias))
      detail::bind_error("duplicate table alias " + detail::quote_name(alias) + " in FROM; give one of them another alias", ref.span);
  auto node = std::make_unique<LogicalUnnest>(new_index(), std::move(input), std::move(array), outer);
  ScopeRelation rel;
  rel.alias = alias;
  const bool expand = element.id() == TypeId::Struct && !element.fields().empty();
  node->column_ids.push_back(LogicalUnnest::kElement);
  rel.columns.push_back({alias, element, {node->table_index, LogicalUnnest::kElement}, !expand, expand});
  if (expand) {
    const auto& fs = element.fields();
    for (uint32_t k = 0; k < fs.size(); ++k) {
      node->column_ids.push_back(LogicalUnnest::kFirstField + k);
      rel.columns.push_back({fs[k].name, *fs[k].type, {node->table_index, LogicalUnnest::kFirstField + k}, true});
    }
  }
  scope.relations.push_back(std::move(rel));
  if (with_offset) {
    if (visiondb::detail::iequals(offset_name, alias))
      detail::bind_error("the WITH OFFSET alias " + detail::quote_name(offset_name) + " is the UNNEST alias too", offset_span);
    node->column_ids.push_back(LogicalUnnest::kOffset);
    ScopeRelation off;
    off.columns.push_back({offset_name, LogicalType::int64(), {node->table_index, LogicalUnnest::kOffset}, true});
    scope.relations.push_back(std::move(off));
  }
  return node;
}

VISIONDB_INLINE LogicalOpPtr BinderImpl::bind_unnest_join(const JoinTableRef& ref, LogicalOpPtr left, Scope& scope) {
  if (ref.join_kind == JoinKind::Right || ref.join_kind == JoinKind::Full)
    detail::bind_error(std::string(ref.join_kind == JoinKind::Right ? "RIGHT" : "FULL") +
                           " JOIN with UNNEST is not supported; use LEFT JOIN or a comma",
                       ref.span);
  if (!ref.using_columns.empty()) detail::bind_error("JOIN UNNEST cannot have a USING clause", ref.span);
  const bool outer = ref.join_kind == JoinKind::Left;
  LogicalOpPtr plan = bind_unnest(*ref.right, std::move(left), scope, outer);
  if (!ref.on) return plan;
  std::string saved = scope.clause;
  scope.clause = "JOIN ON";
  BoundExprPtr cond = bind_expr(*ref.on);
  scope.clause = saved;
  if (cond->type.id() != TypeId::Bool && cond->type.id() != TypeId::Null)
    detail::type_error("JOIN ON clause should return type BOOL, but returns " + cond->type.to_string(), ref.on->span);
  bool always = cond->kind == BoundExprKind::Constant && !static_cast<const BoundConstant&>(*cond).value.is_null() &&
                static_cast<const BoundConstant&>(*cond).value.as_bool();
  if (always) return plan;
  if (outer) detail::bind_error("LEFT JOIN UNNEST supports only ON TRUE; filter the elements in WHERE", ref.on->span);
  return std::make_unique<LogicalFilter>(std::move(plan), std::move(cond));
}

}  // namespace visiondb::sql
