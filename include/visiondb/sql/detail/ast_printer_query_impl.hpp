// SqlPrinter: queries, FROM items and statements.
#pragma once

#include <string>

#include "visiondb/sql/detail/ast_printer_impl.hpp"

namespace visiondb::sql::detail {

// ---- queries -----------------------------------------------------------------------------------

VISIONDB_INLINE void SqlPrinter::query_node(const QueryNode& q) {
  switch (q.kind) {
    case QueryNodeKind::Select: select(q.as<Select>()); return;
    case QueryNodeKind::SetOperation: set_operation(q.as<SetOperation>()); return;
    case QueryNodeKind::Query: query(q.as<Query>()); return;
  }
}

VISIONDB_INLINE void SqlPrinter::query(const Query& q) {
  if (!q.with.empty()) {
    out_ += q.recursive ? "WITH RECURSIVE " : "WITH ";
    for (size_t i = 0; i < q.with.size(); ++i) {
      if (i) out_ += ", ";
      ident(q.with[i].name);
      out_ += " AS (";
      query(*q.with[i].query);
      out_ += ')';
    }
    out_ += ' ';
  }
  if (q.body->kind == QueryNodeKind::Query) {
    out_ += '(';
    query(q.body->as<Query>());
    out_ += ')';
  } else {
    query_node(*q.body);
  }
  if (!q.order_by.empty()) {
    out_ += " ORDER BY ";
    order_by(q.order_by);
  }
  if (q.limit) {
    out_ += " LIMIT ";
    expr(*q.limit);
    if (q.offset) {
      out_ += " OFFSET ";
      expr(*q.offset);
    }
  }
}

VISIONDB_INLINE void SqlPrinter::set_operation(const SetOperation& s) {
  const char* op = s.op == SetOperator::Union ? " UNION " : s.op == SetOperator::Intersect ? " INTERSECT " : " EXCEPT ";
  for (size_t i = 0; i < s.inputs.size(); ++i) {
    if (i) {
      out_ += op;
      out_ += s.distinct ? "DISTINCT " : "ALL ";
    }
    const QueryNode& input = *s.inputs[i];
    bool wrap = input.kind != QueryNodeKind::Select;
    if (wrap) out_ += '(';
    query_node(input);
    if (wrap) out_ += ')';
  }
}

VISIONDB_INLINE void SqlPrinter::select_item(const SelectItem& item) {
  switch (item.kind) {
    case SelectItemKind::Expr:
      expr(*item.expr);
      alias(item.alias);
      return;
    case SelectItemKind::DotStar:
      if (is_numeric_literal(*item.expr)) {
        out_ += '(';
        expr(*item.expr);
        out_ += ')';
      } else {
        operand(*item.expr, kPrecPrimary);
      }
      out_ += ".*";
      break;
    case SelectItemKind::Star: out_ += '*'; break;
  }
  if (!item.except_columns.empty()) {
    out_ += " EXCEPT ";
    identifier_list(item.except_columns);
  }
  if (!item.replacements.empty()) {
    out_ += " REPLACE (";
    for (size_t i = 0; i < item.replacements.size(); ++i) {
      if (i) out_ += ", ";
      expr(*item.replacements[i].expr);
      out_ += " AS ";
      ident(item.replacements[i].column);
    }
    out_ += ')';
  }
}

VISIONDB_INLINE void SqlPrinter::select(const Select& s) {
  out_ += "SELECT ";
  if (s.distinct) out_ += "DISTINCT ";
  if (s.select_as == SelectAs::Struct) out_ += "AS STRUCT ";
  if (s.select_as == SelectAs::Value) out_ += "AS VALUE ";
  for (size_t i = 0; i < s.items.size(); ++i) {
    if (i) out_ += ", ";
    select_item(s.items[i]);
  }
  if (s.from) {
    out_ += " FROM ";
    table_ref(*s.from);
  }
  if (s.where) {
    out_ += " WHERE ";
    expr(*s.where);
  }
  if (s.group_by) {
    out_ += " GROUP BY ";
    switch (s.group_by->kind) {
      case GroupByKind::All: out_ += "ALL"; break;
      case GroupByKind::Expressions: expr_list(s.group_by->items); break;
      case GroupByKind::Rollup: out_ += "ROLLUP("; expr_list(s.group_by->items); out_ += ')'; break;
      case GroupByKind::Cube: out_ += "CUBE("; expr_list(s.group_by->items); out_ += ')'; break;
    }
  }
  if (s.having) {
    out_ += " HAVING ";
    expr(*s.having);
  }
  if (s.qualify) {
    out_ += " QUALIFY ";
    expr(*s.qualify);
  }
  for (size_t i = 0; i < s.windows.size(); ++i) {
    out_ += i ? ", " : " WINDOW ";
    ident(s.windows[i].name);
    out_ += " AS ";
    const WindowSpec& w = s.windows[i].spec;
    bool alias_only = w.partition_by.empty() && w.order_by.empty() && !w.frame && !w.base_window.empty();
    window_spec(w, !alias_only);
  }
}

VISIONDB_INLINE void SqlPrinter::table_ref(const TableRef& t) {
  switch (t.kind) {
    case TableRefKind::Named: {
      const auto& n = t.as<NamedTableRef>();
      path(n.name);
      alias(n.alias);
      if (n.with_offset) {
        out_ += " WITH OFFSET";
        alias(n.offset_alias);
      }
      return;
    }
    case TableRefKind::Subquery:
      out_ += '(';
      query(*t.as<SubqueryTableRef>().query);
      out_ += ')';
      break;
    case TableRefKind::Unnest: {
      const auto& u = t.as<UnnestTableRef>();
      out_ += "UNNEST(";
      expr(*u.array);
      out_ += ')';
      alias(u.alias);
      if (u.with_offset) {
        out_ += " WITH OFFSET";
        alias(u.offset_alias);
      }
      return;
    }
    case TableRefKind::TableFunction: {
      const auto& f = t.as<TableFunctionRef>();
      path(f.name);
      out_ += '(';
      args(f.args);
      out_ += ')';
      break;
    }
    case TableRefKind::Join: {
      const auto& j = t.as<JoinTableRef>();
      table_ref(*j.left);
      switch (j.join_kind) {
        case JoinKind::Comma: out_ += ", "; break;
        case JoinKind::Cross: out_ += " CROSS JOIN "; break;
        case JoinKind::Inner: out_ += " JOIN "; break;
        case JoinKind::Left: out_ += " LEFT JOIN "; break;
        case JoinKind::Right: out_ += " RIGHT JOIN "; break;
        case JoinKind::Full: out_ += " FULL JOIN "; break;
      }
      bool wrap = j.right->kind == TableRefKind::Join;
      if (wrap) out_ += '(';
      table_ref(*j.right);
      if (wrap) out_ += ')';
      if (j.on) {
        out_ += " ON ";
        expr(*j.on);
      }
      if (!j.using_columns.empty()) {
        out_ += " USING ";
        identifier_list(j.using_columns);
      }
      return;
    }
  }
  alias(t.alias);
}

// ---- statements --------------------------------------------------------------------------------

VISIONDB_INLINE void SqlPrinter::identifier_list(const std::vector<Identifier>& names) {
  out_ += '(';
  for (size_t i = 0; i < names.size(); ++i) {
    if (i) out_ += ", ";
    ident(names[i]);
  }
  out_ += ')';
}

VISIONDB_INLINE void SqlPrinter::option_entries(const OptionList& list) {
  out_ += '(';
  for (size_t i = 0; i < list.size(); ++i) {
    if (i) out_ += ", ";
    ident(list[i].name);
    out_ += " = ";
    expr(*list[i].value);
  }
  out_ += ')';
}

VISIONDB_INLINE void SqlPrinter::options(const OptionList& list) {
  if (list.empty()) return;
  out_ += " OPTIONS";
  option_entries(list);
}

VISIONDB_INLINE void SqlPrinter::column_defs(const std::vector<ColumnDef>& columns) {
  if (columns.empty()) return;
  out_ += " (";
  for (size_t i = 0; i < columns.size(); ++i) {
    if (i) out_ += ", ";
    ident(columns[i].name);
    out_ += ' ';
    type(columns[i].type);
    if (columns[i].not_null) out_ += " NOT NULL";
    options(columns[i].options);
  }
  out_ += ')';
}

VISIONDB_INLINE void SqlPrinter::create_prefix(const char* object, const CreateFlags& flags,
                                               const IdentifierPath& name) {
  out_ += "CREATE ";
  if (flags.or_replace) out_ += "OR REPLACE ";
  if (flags.temporary) out_ += "TEMP ";
  out_ += object;
  out_ += ' ';
  if (flags.if_not_exists) out_ += "IF NOT EXISTS ";
  path(name);
}

VISIONDB_INLINE void SqlPrinter::statement(const Statement& s) {
  switch (s.kind) {
    case StatementKind::Query: query(*s.as<QueryStatement>().query); return;
    case StatementKind::Explain: {
      const auto& e = s.as<ExplainStatement>();
      out_ += e.analyze ? "EXPLAIN ANALYZE " : "EXPLAIN ";
      statement(*e.statement);
      return;
    }
    case StatementKind::CreateTable: {
      const auto& c = s.as<CreateTableStatement>();
      create_prefix("TABLE", c.flags, c.name);
      column_defs(c.columns);
      options(c.options);
      if (c.as_query) {
        out_ += " AS ";
        query(*c.as_query);
      }
      return;
    }
    case StatementKind::CreateExternalTable: {
      const auto& c = s.as<CreateExternalTableStatement>();
      create_prefix("EXTERNAL TABLE", c.flags, c.name);
      column_defs(c.columns);
      if (!c.connection.empty()) {
        out_ += " WITH CONNECTION ";
        if (c.connection.parts.size() == 1 && c.connection.parts[0].name == "DEFAULT" && !c.connection.parts[0].quoted)
          out_ += "DEFAULT";
        else
          path(c.connection);
      }
      options(c.options);
      return;
    }
    case StatementKind::CreateSchema: {
      const auto& c = s.as<CreateSchemaStatement>();
      create_prefix("SCHEMA", c.flags, c.name);
      options(c.options);
      return;
    }
    case StatementKind::CreateModel: {
      const auto& c = s.as<CreateModelStatement>();
      create_prefix("MODEL", c.flags, c.name);
      if (!c.transform.empty()) {
        out_ += " TRANSFORM(";
        for (size_t i = 0; i < c.transform.size(); ++i) {
          if (i) out_ += ", ";
          select_item(c.transform[i]);
        }
        out_ += ')';
      }
      options(c.options);
      if (c.as_query) {
        out_ += " AS ";
        query(*c.as_query);
      }
      return;
    }
    case StatementKind::CreateFunction: {
      const auto& c = s.as<CreateFunctionStatement>();
      create_prefix("FUNCTION", c.flags, c.name);
      out_ += '(';
      for (size_t i = 0; i < c.params.size(); ++i) {
        if (i) out_ += ", ";
        ident(c.params[i].name);
        out_ += ' ';
        type(c.params[i].type);
      }
      out_ += ')';
      if (c.returns) {
        out_ += " RETURNS ";
        type(*c.returns);
      }
      out_ += " AS (";
      expr(*c.body);
      out_ += ')';
      options(c.options);
      return;
    }
    case StatementKind::CreateView: {
      const auto& c = s.as<CreateViewStatement>();
      create_prefix("VIEW", c.flags, c.name);
      if (!c.columns.empty()) {
        out_ += ' ';
        identifier_list(c.columns);
      }
      options(c.options);
      out_ += " AS ";
      query(*c.query);
      return;
    }
    case StatementKind::Insert: {
      const auto& i = s.as<InsertStatement>();
      out_ += "INSERT INTO ";
      path(i.table);
      if (!i.columns.empty()) {
        out_ += ' ';
        identifier_list(i.columns);
      }
      if (i.query) {
        out_ += ' ';
        query(*i.query);
        return;
      }
      out_ += " VALUES ";
      for (size_t r = 0; r < i.values.size(); ++r) {
        if (r) out_ += ", ";
        out_ += '(';
        expr_list(i.values[r]);
        out_ += ')';
      }
      return;
    }
    case StatementKind::Delete: {
      const auto& d = s.as<DeleteStatement>();
      out_ += "DELETE FROM ";
      path(d.table);
      alias(d.alias);
      out_ += " WHERE ";
      expr(*d.where);
      return;
    }
    case StatementKind::Update: {
      const auto& u = s.as<UpdateStatement>();
      out_ += "UPDATE ";
      path(u.table);
      alias(u.alias);
      out_ += " SET ";
      for (size_t i = 0; i < u.assignments.size(); ++i) {
        if (i) out_ += ", ";
        path(u.assignments[i].target);
        out_ += " = ";
        expr(*u.assignments[i].value);
      }
      if (u.from) {
        out_ += " FROM ";
        table_ref(*u.from);
      }
      out_ += " WHERE ";
      expr(*u.where);
      return;
    }
    case StatementKind::Truncate:
      out_ += "TRUNCATE TABLE ";
      path(s.as<TruncateStatement>().table);
      return;
    case StatementKind::Drop: {
      const auto& d = s.as<DropStatement>();
      static constexpr const char* kObjects[] = {"TABLE", "EXTERNAL TABLE", "SCHEMA", "MODEL", "FUNCTION", "VIEW"};
      out_ += "DROP ";
      out_ += kObjects[static_cast<int>(d.object)];
      out_ += d.if_exists ? " IF EXISTS " : " ";
      path(d.name);
      if (d.cascade) out_ += " CASCADE";
      if (d.restrict) out_ += " RESTRICT";
      return;
    }
    case StatementKind::LoadData: {
      const auto& l = s.as<LoadDataStatement>();
      out_ += l.overwrite ? "LOAD DATA OVERWRITE " : "LOAD DATA INTO ";
      if (l.temporary) out_ += "TEMP TABLE ";
      path(l.table);
      column_defs(l.columns);
      options(l.options);
      out_ += " FROM FILES";
      option_entries(l.from_files);
      if (!l.connection.empty()) {
        out_ += " WITH CONNECTION ";
        path(l.connection);
      }
      return;
    }
    case StatementKind::ExportData: {
      const auto& x = s.as<ExportDataStatement>();
      out_ += "EXPORT DATA";
      if (!x.connection.empty()) {
        out_ += " WITH CONNECTION ";
        path(x.connection);
      }
      options(x.options);
      out_ += " AS ";
      query(*x.query);
      return;
    }
    case StatementKind::ExportModel: {
      const auto& x = s.as<ExportModelStatement>();
      out_ += "EXPORT MODEL ";
      path(x.model);
      if (!x.connection.empty()) {
        out_ += " WITH CONNECTION ";
        path(x.connection);
      }
      options(x.options);
      return;
    }
    case StatementKind::Set: {
      const auto& st = s.as<SetStatement>();
      out_ += "SET ";
      if (st.system_variable) {
        out_ += "@@";
        out_ += st.target.to_string();
      } else {
        path(st.target);
      }
      out_ += " = ";
      expr(*st.value);
      return;
    }
    case StatementKind::Declare: {
      const auto& d = s.as<DeclareStatement>();
      out_ += "DECLARE ";
      for (size_t i = 0; i < d.names.size(); ++i) {
        if (i) out_ += ", ";
        ident(d.names[i]);
      }
      if (d.type) {
        out_ += ' ';
        type(*d.type);
      }
      if (d.default_value) {
        out_ += " DEFAULT ";
        expr(*d.default_value);
      }
      return;
    }
  }
}

}  // namespace visiondb::sql::detail
