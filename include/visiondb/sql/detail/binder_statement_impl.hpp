// Out-of-line parts of binder.hpp: statements.
#pragma once

#include <set>

#include "visiondb/config.hpp"
#include "visiondb/sql/detail/binder_state.hpp"
#include "visiondb/storage/detail/text.hpp"

namespace visiondb::sql {

namespace detail {
// INSERT / UPDATE coercion: the same type, NULL, INT64 into FLOAT64.
inline bool assignable(const LogicalType& from, const LogicalType& to) {
  if (from == to || from.id() == TypeId::Null) return true;
  if (from.id() == TypeId::Int64 && to.id() == TypeId::Float64) return true;
  if (from.id() == TypeId::Array && to.id() == TypeId::Array) return assignable(from.element(), to.element());
  return false;
}
}  // namespace detail

VISIONDB_INLINE BoundStatement BinderImpl::bind_statement(const Statement& s) {
  BoundStatement out;
  out.span = s.span;
  switch (s.kind) {
    case StatementKind::Query:
      out.kind = BoundStatementKind::Query;
      out.query = std::make_unique<BoundQuery>(bind_query(*s.as<QueryStatement>().query));
      return out;
    case StatementKind::Explain: {
      const auto& e = s.as<ExplainStatement>();
      auto inner = std::make_unique<BoundStatement>(bind_statement(*e.statement));
      if (inner->kind != BoundStatementKind::Query) detail::bind_error("EXPLAIN supports queries only", e.statement->span);
      out.kind = BoundStatementKind::Explain;
      out.analyze = e.analyze;
      out.explained = std::move(inner);
      return out;
    }
    case StatementKind::CreateTable: return bind_create_table(s.as<CreateTableStatement>());
    case StatementKind::CreateExternalTable: return bind_external_table(s.as<CreateExternalTableStatement>());
    case StatementKind::CreateSchema: {
      const auto& c = s.as<CreateSchemaStatement>();
      if (c.name.parts.size() > 2) detail::bind_error("invalid dataset name " + detail::quote_name(c.name.to_string()), c.name.span);
      out.kind = BoundStatementKind::CreateSchema;
      out.name = {"", c.name.parts.back().name};
      out.if_not_exists = c.flags.if_not_exists;
      out.or_replace = c.flags.or_replace;
      return out;
    }
    case StatementKind::Insert: return bind_insert(s.as<InsertStatement>());
    case StatementKind::Delete: return bind_delete(s.as<DeleteStatement>());
    case StatementKind::Update: return bind_update(s.as<UpdateStatement>());
    case StatementKind::Truncate: {
      out.kind = BoundStatementKind::Truncate;
      out.table = find_table(s.as<TruncateStatement>().table);
      return out;
    }
    case StatementKind::Drop: return bind_drop(s.as<DropStatement>());
    case StatementKind::LoadData: return bind_load_data(s.as<LoadDataStatement>());
    case StatementKind::ExportData: return bind_export_data(s.as<ExportDataStatement>());
    case StatementKind::ExportModel: return bind_export_model(s.as<ExportModelStatement>());
    case StatementKind::Set: {
      const auto& set = s.as<SetStatement>();
      out.kind = BoundStatementKind::Set;
      out.setting = visiondb::detail::to_lower(set.target.to_string());
      out.value = evaluate_constant(*set.value, "a SET value");
      return out;
    }
    case StatementKind::CreateModel: return bind_create_model(s.as<CreateModelStatement>());
    case StatementKind::CreateFunction: return bind_create_function(s.as<CreateFunctionStatement>());
    case StatementKind::CreateView: detail::bind_error("CREATE VIEW is not supported yet", s.span);
    case StatementKind::Declare: detail::bind_error("DECLARE is not supported yet", s.span);
  }
  detail::bind_error("unsupported statement", s.span);
}

VISIONDB_INLINE Schema BinderImpl::bind_columns(const std::vector<ColumnDef>& columns) {
  Schema schema;
  for (const auto& c : columns) {
    if (schema.find(c.name.name) >= 0) detail::bind_error("duplicate column name " + detail::quote_name(c.name.name), c.name.span);
    schema.add({c.name.name, bind_type_name(c.type), c.not_null});
  }
  return schema;
}

VISIONDB_INLINE std::vector<BoundOption> BinderImpl::bind_options(const OptionList& options) {
  std::vector<BoundOption> out;
  for (const auto& o : options) {
    std::string name = visiondb::detail::to_lower(o.name.name);
    for (const auto& prev : out)
      if (prev.name == name) detail::bind_error("duplicate option " + detail::quote_name(o.name.name), o.name.span);
    out.push_back({name, evaluate_constant(*o.value, "an OPTIONS value"), o.span});
  }
  return out;
}

VISIONDB_INLINE BoundStatement BinderImpl::bind_create_head(BoundStatementKind kind, const Statement& s,
                                                            const IdentifierPath& name, const CreateFlags& flags,
                                                            const char* what) {
  BoundStatement out;
  out.kind = kind;
  out.span = s.span;
  out.name = qualified_name(name, what);
  out.or_replace = flags.or_replace;
  out.if_not_exists = flags.if_not_exists;
  if (!out.name.dataset.empty() && !catalog_.has_dataset(out.name.dataset))
    detail::bind_error("dataset " + detail::quote_name(out.name.dataset) + " not found", name.span);
  return out;
}

VISIONDB_INLINE BoundStatement BinderImpl::bind_create_table(const CreateTableStatement& s) {
  BoundStatement out = bind_create_head(BoundStatementKind::CreateTable, s, s.name, s.flags, "table");
  bind_options(s.options);
  if (!s.columns.empty()) out.schema = bind_columns(s.columns);
  if (s.as_query) {
    BoundQuery q = bind_query(*s.as_query);
    if (!s.columns.empty()) {
      if (q.names.size() != out.schema.size())
        detail::bind_error("the query has " + std::to_string(q.names.size()) + " columns but the table has " +
                               std::to_string(out.schema.size()),
                           s.as_query->span);
      auto b = q.plan->bindings();
      std::vector<BoundExprPtr> xs;
      for (size_t i = 0; i < q.names.size(); ++i) {
        if (!detail::assignable(q.types[i], out.schema[i].type))
          detail::type_error("query column " + std::to_string(i + 1) + " has type " + q.types[i].to_string() +
                                 " which cannot be assigned to column " + detail::quote_name(out.schema[i].name) +
                                 ", which has type " + out.schema[i].type.to_string(),
                             s.as_query->span);
        xs.push_back(cast_to(make_column_ref(b[i], q.types[i], q.names[i]), out.schema[i].type));
      }
      q.plan = std::make_unique<LogicalProjection>(new_index(), std::move(q.plan), std::move(xs));
      q.names.clear();
      q.types.clear();
      for (const auto& c : out.schema.columns()) {
        q.names.push_back(c.name);
        q.types.push_back(c.type);
      }
    } else {
      for (size_t i = 0; i < q.names.size(); ++i) {
        if (q.names[i].empty() || (q.names[i][0] == 'f' && q.names[i].back() == '_' && q.names[i].size() > 2 &&
                                   q.names[i].substr(1, q.names[i].size() - 2).find_first_not_of("0123456789") == std::string::npos))
          detail::bind_error("CREATE TABLE AS SELECT needs a name for column " + std::to_string(i + 1) + "; add an alias",
                             s.as_query->span);
        if (out.schema.find(q.names[i]) >= 0)
          detail::bind_error("duplicate column name " + detail::quote_name(q.names[i]) + " in CREATE TABLE AS SELECT", s.as_query->span);
        out.schema.add({q.names[i], q.types[i], false});
      }
    }
    out.query = std::make_unique<BoundQuery>(std::move(q));
  } else if (s.columns.empty()) {
    detail::bind_error("CREATE TABLE needs a column list or AS SELECT", s.span);
  }
  return out;
}

VISIONDB_INLINE BoundStatement BinderImpl::bind_insert(const InsertStatement& s) {
  BoundStatement out;
  out.kind = BoundStatementKind::Insert;
  out.span = s.span;
  out.table = find_table(s.table);
  const Schema& schema = out.table->schema();
  // Target columns.
  std::vector<int> targets;
  if (s.columns.empty()) {
    for (size_t i = 0; i < schema.size(); ++i) targets.push_back(static_cast<int>(i));
  } else {
    for (const auto& c : s.columns) {
      int idx = schema.find(c.name);
      if (idx < 0) detail::bind_error("column " + detail::quote_name(c.name) + " not found in table " + detail::quote_name(s.table.to_string()), c.span);
      if (std::find(targets.begin(), targets.end(), idx) != targets.end())
        detail::bind_error("column " + detail::quote_name(c.name) + " appears more than once in the INSERT column list", c.span);
      targets.push_back(idx);
    }
  }
  auto coerce = [&](BoundExprPtr e, size_t k, SourceSpan span) {
    const ColumnDefinition& col = schema[static_cast<size_t>(targets[k])];
    if (e->kind == BoundExprKind::Constant && e->type.id() == TypeId::String &&
        (col.type.id() == TypeId::Date || col.type.id() == TypeId::Timestamp))
      return cast_to(std::move(e), col.type, span);
    if (!detail::assignable(e->type, col.type))
      detail::type_error("value of type " + e->type.to_string() + " cannot be assigned to column " + detail::quote_name(col.name) +
                             ", which has type " + col.type.to_string(),
                         span);
    return cast_to(std::move(e), col.type, span);
  };
  LogicalOpPtr source;
  std::vector<ColumnBinding> source_bindings;
  std::vector<LogicalType> target_types;
  for (int t : targets) target_types.push_back(schema[static_cast<size_t>(t)].type);
  if (!s.values.empty()) {
    auto values = std::make_unique<LogicalValues>(new_index(), target_types);
    Scope empty;
    empty.clause = "VALUES";
    std::vector<Scope*> saved;
    saved.swap(scopes_);
    scopes_.push_back(&empty);
    try {
      for (const auto& row : s.values) {
        if (row.size() != targets.size())
          detail::bind_error("inserted row has " + std::to_string(row.size()) + " values but " + std::to_string(targets.size()) +
                                 " columns are being inserted",
                             row.empty() ? s.span : row[0]->span);
        std::vector<BoundExprPtr> bound;
        for (size_t k = 0; k < row.size(); ++k) bound.push_back(coerce(bind_expr(*row[k]), k, row[k]->span));
        values->rows.push_back(std::move(bound));
      }
    } catch (...) {
      scopes_.swap(saved);
      throw;
    }
    scopes_.swap(saved);
    source_bindings = values->bindings();
    source = std::move(values);
  } else {
    BoundQuery q = bind_query(*s.query);
    if (q.names.size() != targets.size())
      detail::bind_error("the query returns " + std::to_string(q.names.size()) + " columns but " + std::to_string(targets.size()) +
                             " columns are being inserted",
                         s.query->span);
    auto b = q.plan->bindings();
    std::vector<BoundExprPtr> xs;
    for (size_t k = 0; k < targets.size(); ++k) {
      const ColumnDefinition& col = schema[static_cast<size_t>(targets[k])];
      if (!detail::assignable(q.types[k], col.type))
        detail::type_error("query column " + std::to_string(k + 1) + " has type " + q.types[k].to_string() +
                               " which cannot be inserted into column " + detail::quote_name(col.name) + ", which has type " +
                               col.type.to_string(),
                           s.query->span);
      xs.push_back(cast_to(make_column_ref(b[k], q.types[k], q.names[k]), col.type));
    }
    auto proj = std::make_unique<LogicalProjection>(new_index(), std::move(q.plan), std::move(xs));
    source_bindings = proj->bindings();
    source = std::move(proj);
  }
  // Every column of the table, in order: the inserted value or NULL.
  std::vector<BoundExprPtr> row;
  BoundQuery q;
  for (size_t c = 0; c < schema.size(); ++c) {
    auto it = std::find(targets.begin(), targets.end(), static_cast<int>(c));
    if (it != targets.end()) {
      size_t k = static_cast<size_t>(it - targets.begin());
      row.push_back(make_column_ref(source_bindings[k], schema[c].type, schema[c].name));
    } else {
      if (schema[c].not_null)
        detail::bind_error("required column " + detail::quote_name(schema[c].name) + " has no value in INSERT", s.span);
      row.push_back(make_constant(Value::null(schema[c].type)));
    }
    q.names.push_back(schema[c].name);
    q.types.push_back(schema[c].type);
  }
  q.plan = std::make_unique<LogicalProjection>(new_index(), std::move(source), std::move(row));
  out.query = std::make_unique<BoundQuery>(std::move(q));
  return out;
}

VISIONDB_INLINE BoundStatement BinderImpl::bind_delete(const DeleteStatement& s) {
  BoundStatement out;
  out.kind = BoundStatementKind::Delete;
  out.span = s.span;
  out.table = find_table(s.table);
  // The rows the table keeps: NOT COALESCE(condition, FALSE).
  Scope local;
  local.clause = "WHERE";
  scopes_.push_back(&local);
  struct Pop {
    std::vector<Scope*>& s;
    ~Pop() { s.pop_back(); }
  } pop{scopes_};
  NamedTableRef ref;
  ref.name = s.table;
  ref.alias = s.alias;
  LogicalOpPtr plan = bind_named_table(ref, local);
  if (!s.where) detail::bind_error("DELETE must have a WHERE clause", s.span);
  BoundExprPtr cond = bind_expr(*s.where);
  if (cond->type.id() != TypeId::Bool && cond->type.id() != TypeId::Null)
    detail::type_error("WHERE clause should return type BOOL, but returns " + cond->type.to_string(), s.where->span);
  cond = cast_to(std::move(cond), LogicalType::boolean());
  std::vector<BoundExprPtr> c;
  c.push_back(std::move(cond));
  c.push_back(make_constant(Value::boolean(false)));
  std::vector<BoundExprPtr> n;
  n.push_back(std::make_unique<BoundOperator>(BoundExprKind::Coalesce, LogicalType::boolean(), std::move(c), s.where->span));
  plan = std::make_unique<LogicalFilter>(
      std::move(plan), std::make_unique<BoundOperator>(BoundExprKind::Not, LogicalType::boolean(), std::move(n), s.where->span));
  BoundQuery q;
  std::vector<BoundExprPtr> cols;
  for (const auto& col : local.relations[0].columns) {
    cols.push_back(make_column_ref(col.binding, col.type, col.name));
    q.names.push_back(col.name);
    q.types.push_back(col.type);
  }
  q.plan = std::make_unique<LogicalProjection>(new_index(), std::move(plan), std::move(cols));
  out.query = std::make_unique<BoundQuery>(std::move(q));
  return out;
}

VISIONDB_INLINE BoundStatement BinderImpl::bind_update(const UpdateStatement& s) {
  BoundStatement out;
  out.kind = BoundStatementKind::Update;
  out.span = s.span;
  out.table = find_table(s.table);
  if (s.from) detail::bind_error("UPDATE ... FROM is not supported yet", s.from->span);
  if (!s.where) detail::bind_error("UPDATE must have a WHERE clause", s.span);
  Scope local;
  local.clause = "UPDATE";
  scopes_.push_back(&local);
  struct Pop {
    std::vector<Scope*>& s;
    ~Pop() { s.pop_back(); }
  } pop{scopes_};
  NamedTableRef ref;
  ref.name = s.table;
  ref.alias = s.alias;
  LogicalOpPtr plan = bind_named_table(ref, local);
  const Schema& schema = out.table->schema();
  BoundExprPtr cond = bind_expr(*s.where);
  if (cond->type.id() != TypeId::Bool && cond->type.id() != TypeId::Null)
    detail::type_error("WHERE clause should return type BOOL, but returns " + cond->type.to_string(), s.where->span);
  cond = cast_to(std::move(cond), LogicalType::boolean());
  std::vector<BoundExprPtr> values(schema.size());
  for (const auto& a : s.assignments) {
    const std::string& name = a.target.parts.back().name;
    if (a.target.parts.size() > 2 ||
        (a.target.parts.size() == 2 && !visiondb::detail::iequals(a.target.parts[0].name, local.relations[0].alias)))
      detail::bind_error("UPDATE of struct fields is not supported", a.target.span);
    int idx = schema.find(name);
    if (idx < 0) detail::bind_error("column " + detail::quote_name(name) + " not found in table " + detail::quote_name(s.table.to_string()), a.target.span);
    if (values[static_cast<size_t>(idx)]) detail::bind_error("column " + detail::quote_name(name) + " is assigned more than once", a.target.span);
    BoundExprPtr v = bind_expr(*a.value);
    if (!detail::assignable(v->type, schema[static_cast<size_t>(idx)].type))
      detail::type_error("value of type " + v->type.to_string() + " cannot be assigned to column " + detail::quote_name(name) +
                             ", which has type " + schema[static_cast<size_t>(idx)].type.to_string(),
                         a.value->span);
    values[static_cast<size_t>(idx)] = cast_to(std::move(v), schema[static_cast<size_t>(idx)].type);
  }
  auto is_hit = [&]() {
    std::vector<BoundExprPtr> c;
    c.push_back(cond->clone());
    c.push_back(make_constant(Value::boolean(false)));
    return std::make_unique<BoundOperator>(BoundExprKind::Coalesce, LogicalType::boolean(), std::move(c), s.where->span);
  };
  // The new rows: CASE WHEN hit THEN value ELSE column END; and the count of hits.
  BoundQuery q, count;
  std::vector<BoundExprPtr> cols;
  for (size_t c = 0; c < schema.size(); ++c) {
    const auto& col = local.relations[0].columns[c];
    BoundExprPtr ref_expr = make_column_ref(col.binding, col.type, col.name);
    if (values[c]) {
      std::vector<BoundExprPtr> k;
      k.push_back(is_hit());
      k.push_back(std::move(values[c]));
      k.push_back(std::move(ref_expr));
      ref_expr = std::make_unique<BoundOperator>(BoundExprKind::Case, col.type, std::move(k), s.span);
    }
    cols.push_back(std::move(ref_expr));
    q.names.push_back(col.name);
    q.types.push_back(col.type);
  }
  LogicalOpPtr count_plan = plan->clone();
  q.plan = std::make_unique<LogicalProjection>(new_index(), std::move(plan), std::move(cols));
  out.query = std::make_unique<BoundQuery>(std::move(q));
  // Rows changed: the plan above with only the hits.
  auto hits = std::make_unique<LogicalFilter>(std::move(count_plan), is_hit());
  std::vector<BoundExprPtr> none;
  none.push_back(make_constant(Value::boolean(true)));
  count.plan = std::make_unique<LogicalProjection>(new_index(), std::move(hits), std::move(none));
  count.names = {"hit"};
  count.types = {LogicalType::boolean()};
  auto counted = std::make_unique<BoundStatement>();
  counted->kind = BoundStatementKind::Query;
  counted->query = std::make_unique<BoundQuery>(std::move(count));
  out.explained = std::move(counted);
  return out;
}

VISIONDB_INLINE BoundStatement BinderImpl::bind_drop(const DropStatement& s) {
  BoundStatement out;
  out.kind = BoundStatementKind::Drop;
  out.span = s.span;
  out.if_exists = s.if_exists;
  out.cascade = s.cascade;
  switch (s.object) {
    case ObjectKind::Schema:
      out.drop_schema = true;
      out.name = {"", s.name.parts.back().name};
      return out;
    case ObjectKind::Table: out.drop_kind = CatalogEntryKind::Table; break;
    case ObjectKind::ExternalTable: out.drop_kind = CatalogEntryKind::ExternalTable; break;
    case ObjectKind::View: out.drop_kind = CatalogEntryKind::View; break;
    case ObjectKind::Model: out.drop_kind = CatalogEntryKind::Model; break;
    case ObjectKind::Function: out.drop_kind = CatalogEntryKind::Function; break;
  }
  out.name = qualified_name(s.name, "object");
  return out;
}

VISIONDB_INLINE BoundStatement BinderImpl::bind_external_table(const CreateExternalTableStatement& s) {
  BoundStatement out = bind_create_head(BoundStatementKind::CreateExternalTable, s, s.name, s.flags, "table");
  if (!s.columns.empty()) out.schema = bind_columns(s.columns);
  out.options = bind_options(s.options);
  return out;
}

VISIONDB_INLINE BoundStatement BinderImpl::bind_create_model(const CreateModelStatement& s) {
  BoundStatement out = bind_create_head(BoundStatementKind::CreateModel, s, s.name, s.flags, "model");
  if (!s.transform.empty()) detail::bind_error("TRANSFORM is not supported; compute the features in the AS query", s.transform[0].span);
  out.options = bind_options(s.options);
  if (s.as_query) out.query = std::make_unique<BoundQuery>(bind_query(*s.as_query));
  return out;
}

VISIONDB_INLINE BoundStatement BinderImpl::bind_load_data(const LoadDataStatement& s) {
  BoundStatement out;
  out.kind = BoundStatementKind::LoadData;
  out.span = s.span;
  out.name = qualified_name(s.table, "table");
  out.overwrite = s.overwrite;
  if (!s.columns.empty()) out.schema = bind_columns(s.columns);
  if (auto entry = catalog_.find(CatalogEntryKind::Table, out.name)) {
    out.table = std::dynamic_pointer_cast<Table>(entry);
    if (!out.table) detail::bind_error(detail::quote_name(s.table.to_string()) + " is not a table", s.table.span);
  }
  bind_options(s.options);
  out.options = bind_options(s.from_files);
  return out;
}

VISIONDB_INLINE BoundStatement BinderImpl::bind_export_data(const ExportDataStatement& s) {
  BoundStatement out;
  out.kind = BoundStatementKind::ExportData;
  out.span = s.span;
  out.options = bind_options(s.options);
  out.query = std::make_unique<BoundQuery>(bind_query(*s.query));
  return out;
}

VISIONDB_INLINE BoundStatement BinderImpl::bind_export_model(const ExportModelStatement& s) {
  BoundStatement out;
  out.kind = BoundStatementKind::ExportModel;
  out.span = s.span;
  out.name = qualified_name(s.model, "model");
  out.entry = catalog_.find(CatalogEntryKind::Model, out.name);
  if (!out.entry) detail::bind_error("model " + detail::quote_name(s.model.to_string()) + " not found", s.model.span);
  out.options = bind_options(s.options);
  return out;
}

}  // namespace visiondb::sql
