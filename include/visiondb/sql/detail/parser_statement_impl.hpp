// Parser rules for statements: queries, EXPLAIN, CREATE ..., DML, LOAD DATA, EXPORT DATA, EXPORT MODEL, SET,
// DECLARE.
#pragma once

#include "visiondb/sql/detail/parser_impl.hpp"

namespace visiondb::sql::detail {

VISIONDB_INLINE StatementPtr Parser::parse_statement() {
  DepthGuard guard(*this);
  uint32_t start = start_offset();
  const Token& t = peek();
  if (at_query_start() || at(TokenKind::LParen)) {
    auto statement = std::make_unique<QueryStatement>();
    statement->query = parse_query();
    statement->span = span_from(start);
    return statement;
  }
  if (t.is(Keyword::Create)) return parse_create();
  if (t.is(Keyword::Set)) return parse_set();
  if (t.kind == TokenKind::Identifier && !t.quoted) {
    if (t.is_word("EXPLAIN")) return parse_explain();
    if (t.is_word("INSERT")) return parse_insert();
    if (t.is_word("DELETE")) return parse_delete();
    if (t.is_word("UPDATE")) return parse_update();
    if (t.is_word("TRUNCATE")) return parse_truncate();
    if (t.is_word("DROP")) return parse_drop();
    if (t.is_word("LOAD")) return parse_load_data();
    if (t.is_word("EXPORT")) return peek(1).is_word("MODEL") ? parse_export_model() : parse_export_data();
    if (t.is_word("DECLARE")) return parse_declare();
  }
  fail_expected("statement");
}

VISIONDB_INLINE StatementPtr Parser::parse_explain() {
  uint32_t start = start_offset();
  expect_word("EXPLAIN");
  auto statement = std::make_unique<ExplainStatement>();
  statement->analyze = accept_word("ANALYZE");
  if (at_word("EXPLAIN")) fail_at(peek(), "EXPLAIN cannot be nested");
  statement->statement = parse_statement();
  statement->span = span_from(start);
  return statement;
}

// ---- CREATE ------------------------------------------------------------------------------------

VISIONDB_INLINE StatementPtr Parser::parse_create() {
  uint32_t start = start_offset();
  expect(Keyword::Create);
  CreateFlags flags;
  if (accept(Keyword::Or)) {
    expect_word("REPLACE");
    flags.or_replace = true;
  }
  flags.temporary = accept_word("TEMP") || accept_word("TEMPORARY");
  const Token& object = peek();
  if (flags.temporary && !object.is_word("TABLE") && !object.is_word("FUNCTION"))
    fail_expected("TABLE or FUNCTION after TEMP");
  if (accept_word("TABLE")) return parse_create_table(flags, start);
  if (accept_word("EXTERNAL")) {
    expect_word("TABLE");
    return parse_create_external_table(flags, start);
  }
  if (accept_word("SCHEMA")) return parse_create_schema(flags, start);
  if (accept_word("MODEL")) return parse_create_model(flags, start);
  if (accept_word("FUNCTION")) return parse_create_function(flags, start);
  if (accept_word("VIEW")) return parse_create_view(flags, start);
  fail_expected("TABLE, EXTERNAL TABLE, SCHEMA, MODEL, FUNCTION or VIEW");
}

VISIONDB_INLINE void Parser::parse_if_not_exists(CreateFlags& flags) {
  if (!at(Keyword::If)) return;
  const Token& if_token = advance();
  expect(Keyword::Not);
  expect(Keyword::Exists);
  if (flags.or_replace) fail_at(if_token, "OR REPLACE and IF NOT EXISTS cannot be combined");
  flags.if_not_exists = true;
}

VISIONDB_INLINE StatementPtr Parser::parse_create_table(CreateFlags flags, uint32_t start) {
  auto statement = std::make_unique<CreateTableStatement>();
  parse_if_not_exists(flags);
  statement->flags = flags;
  statement->name = parse_path("table name");
  if (at(TokenKind::LParen)) statement->columns = parse_column_defs();
  statement->options = parse_optional_options();
  if (accept(Keyword::As)) statement->as_query = parse_query();
  if (statement->columns.empty() && !statement->as_query) fail_expected("column list or AS query");
  statement->span = span_from(start);
  return statement;
}

VISIONDB_INLINE StatementPtr Parser::parse_create_external_table(CreateFlags flags, uint32_t start) {
  auto statement = std::make_unique<CreateExternalTableStatement>();
  parse_if_not_exists(flags);
  statement->flags = flags;
  statement->name = parse_path("table name");
  if (at(TokenKind::LParen)) statement->columns = parse_column_defs();
  statement->connection = parse_optional_connection();
  if (!at_word("OPTIONS")) fail_expected("OPTIONS");
  statement->options = parse_optional_options();
  statement->span = span_from(start);
  return statement;
}

VISIONDB_INLINE StatementPtr Parser::parse_create_schema(CreateFlags flags, uint32_t start) {
  auto statement = std::make_unique<CreateSchemaStatement>();
  parse_if_not_exists(flags);
  statement->flags = flags;
  statement->name = parse_path("schema name");
  statement->options = parse_optional_options();
  statement->span = span_from(start);
  return statement;
}

VISIONDB_INLINE StatementPtr Parser::parse_create_model(CreateFlags flags, uint32_t start) {
  auto statement = std::make_unique<CreateModelStatement>();
  parse_if_not_exists(flags);
  statement->flags = flags;
  statement->name = parse_path("model name");
  if (at_word("TRANSFORM") && peek(1).is(TokenKind::LParen)) {
    advance();
    advance();
    statement->transform = parse_select_list(false);
    expect(TokenKind::RParen);
  }
  statement->options = parse_optional_options();
  if (accept(Keyword::As)) statement->as_query = parse_query();
  statement->span = span_from(start);
  return statement;
}

VISIONDB_INLINE StatementPtr Parser::parse_create_function(CreateFlags flags, uint32_t start) {
  auto statement = std::make_unique<CreateFunctionStatement>();
  parse_if_not_exists(flags);
  statement->flags = flags;
  statement->name = parse_path("function name");
  expect(TokenKind::LParen);
  if (!at(TokenKind::RParen)) {
    do {
      FunctionParam param;
      uint32_t param_start = start_offset();
      param.name = parse_identifier("parameter name");
      param.type = parse_type();
      param.span = span_from(param_start);
      statement->params.push_back(std::move(param));
    } while (accept(TokenKind::Comma));
  }
  expect(TokenKind::RParen);
  if (accept_word("RETURNS")) statement->returns = std::make_unique<TypeName>(parse_type());
  expect(Keyword::As);
  uint32_t body_start = start_offset();
  expect(TokenKind::LParen);
  if (at_query_start()) {
    // AS (SELECT ...): the body is a scalar subquery.
    auto sub = std::make_unique<SubqueryExpr>();
    sub->query = parse_query();
    expect(TokenKind::RParen);
    sub->span = span_from(body_start);
    statement->body = std::move(sub);
  } else {
    statement->body = parse_expr();
    expect(TokenKind::RParen);
  }
  statement->options = parse_optional_options();
  statement->span = span_from(start);
  return statement;
}

VISIONDB_INLINE StatementPtr Parser::parse_create_view(CreateFlags flags, uint32_t start) {
  auto statement = std::make_unique<CreateViewStatement>();
  parse_if_not_exists(flags);
  statement->flags = flags;
  statement->name = parse_path("view name");
  if (at(TokenKind::LParen)) statement->columns = parse_identifier_list();
  statement->options = parse_optional_options();
  expect(Keyword::As);
  statement->query = parse_query();
  statement->span = span_from(start);
  return statement;
}

VISIONDB_INLINE std::vector<ColumnDef> Parser::parse_column_defs() {
  std::vector<ColumnDef> columns;
  expect(TokenKind::LParen);
  do {
    ColumnDef column;
    uint32_t start = start_offset();
    column.name = parse_identifier("column name");
    column.type = parse_type();
    if (accept(Keyword::Not)) {
      expect(Keyword::Null);
      column.not_null = true;
    }
    column.options = parse_optional_options();
    column.span = span_from(start);
    columns.push_back(std::move(column));
  } while (accept(TokenKind::Comma));
  expect(TokenKind::RParen);
  return columns;
}

VISIONDB_INLINE OptionList Parser::parse_options_list() {
  OptionList options;
  expect(TokenKind::LParen);
  if (!at(TokenKind::RParen)) {
    do {
      OptionEntry entry;
      uint32_t start = start_offset();
      if (!at(TokenKind::Identifier) && !at(TokenKind::Keyword)) fail_expected("option name");
      const Token& name = advance();
      entry.name = Identifier{name.value, name.span, name.quoted};
      expect(TokenKind::Equal);
      entry.value = parse_expr();
      entry.span = span_from(start);
      options.push_back(std::move(entry));
    } while (accept(TokenKind::Comma));
  }
  expect(TokenKind::RParen);
  return options;
}

VISIONDB_INLINE OptionList Parser::parse_optional_options() {
  if (!at_word("OPTIONS") || !peek(1).is(TokenKind::LParen)) return {};
  advance();
  return parse_options_list();
}

VISIONDB_INLINE IdentifierPath Parser::parse_optional_connection() {
  if (!at(Keyword::With) || !peek(1).is_word("CONNECTION")) return {};
  advance();
  advance();
  if (at(Keyword::Default)) {
    IdentifierPath path;
    const Token& t = advance();
    path.parts.push_back(Identifier{"DEFAULT", t.span, false});
    path.span = t.span;
    return path;
  }
  return parse_path("connection name");
}

VISIONDB_INLINE std::vector<Identifier> Parser::parse_identifier_list() {
  std::vector<Identifier> names;
  expect(TokenKind::LParen);
  do {
    names.push_back(parse_identifier("column name"));
  } while (accept(TokenKind::Comma));
  expect(TokenKind::RParen);
  return names;
}

// ---- DML ---------------------------------------------------------------------------------------

VISIONDB_INLINE StatementPtr Parser::parse_insert() {
  uint32_t start = start_offset();
  expect_word("INSERT");
  accept(Keyword::Into);
  auto statement = std::make_unique<InsertStatement>();
  statement->table = parse_path("table name");
  // INSERT t (a, b) ... versus INSERT t (SELECT ...).
  if (at(TokenKind::LParen) && !at_query_start(1) && !peek(1).is(TokenKind::LParen))
    statement->columns = parse_identifier_list();
  if (accept_word("VALUES")) {
    do {
      expect(TokenKind::LParen);
      statement->values.push_back(parse_expr_list());
      expect(TokenKind::RParen);
    } while (accept(TokenKind::Comma));
  } else if (at_query_start() || at(TokenKind::LParen)) {
    statement->query = parse_query();
  } else {
    fail_expected("VALUES or a query");
  }
  statement->span = span_from(start);
  return statement;
}

VISIONDB_INLINE StatementPtr Parser::parse_delete() {
  uint32_t start = start_offset();
  expect_word("DELETE");
  accept(Keyword::From);
  auto statement = std::make_unique<DeleteStatement>();
  statement->table = parse_path("table name");
  statement->alias = parse_optional_alias();
  expect(Keyword::Where);
  statement->where = parse_expr();
  statement->span = span_from(start);
  return statement;
}

VISIONDB_INLINE StatementPtr Parser::parse_update() {
  uint32_t start = start_offset();
  expect_word("UPDATE");
  auto statement = std::make_unique<UpdateStatement>();
  statement->table = parse_path("table name");
  statement->alias = parse_optional_alias();
  expect(Keyword::Set);
  do {
    UpdateAssignment assignment;
    uint32_t item_start = start_offset();
    assignment.target = parse_path("column name");
    expect(TokenKind::Equal);
    assignment.value = parse_expr();
    assignment.span = span_from(item_start);
    statement->assignments.push_back(std::move(assignment));
  } while (accept(TokenKind::Comma));
  if (accept(Keyword::From)) statement->from = parse_from_item();
  expect(Keyword::Where);
  statement->where = parse_expr();
  statement->span = span_from(start);
  return statement;
}

VISIONDB_INLINE StatementPtr Parser::parse_truncate() {
  uint32_t start = start_offset();
  expect_word("TRUNCATE");
  expect_word("TABLE");
  auto statement = std::make_unique<TruncateStatement>();
  statement->table = parse_path("table name");
  statement->span = span_from(start);
  return statement;
}

VISIONDB_INLINE StatementPtr Parser::parse_drop() {
  uint32_t start = start_offset();
  expect_word("DROP");
  auto statement = std::make_unique<DropStatement>();
  if (accept_word("TABLE")) {
    statement->object = ObjectKind::Table;
  } else if (accept_word("EXTERNAL")) {
    expect_word("TABLE");
    statement->object = ObjectKind::ExternalTable;
  } else if (accept_word("SCHEMA")) {
    statement->object = ObjectKind::Schema;
  } else if (accept_word("MODEL")) {
    statement->object = ObjectKind::Model;
  } else if (at_word("TEMP") || at_word("TEMPORARY") || at_word("FUNCTION")) {
    if (!at_word("FUNCTION")) advance();
    expect_word("FUNCTION");
    statement->object = ObjectKind::Function;
  } else if (accept_word("VIEW")) {
    statement->object = ObjectKind::View;
  } else {
    fail_expected("TABLE, EXTERNAL TABLE, SCHEMA, MODEL, FUNCTION or VIEW");
  }
  if (accept(Keyword::If)) {
    expect(Keyword::Exists);
    statement->if_exists = true;
  }
  statement->name = parse_path("name");
  if (accept_word("CASCADE"))
    statement->cascade = true;
  else if (accept_word("RESTRICT"))
    statement->restrict = true;
  statement->span = span_from(start);
  return statement;
}

// ---- LOAD DATA, EXPORT DATA --------------------------------------------------------------------

VISIONDB_INLINE StatementPtr Parser::parse_load_data() {
  uint32_t start = start_offset();
  expect_word("LOAD");
  expect_word("DATA");
  auto statement = std::make_unique<LoadDataStatement>();
  if (accept_word("OVERWRITE"))
    statement->overwrite = true;
  else if (!accept(Keyword::Into))
    fail_expected("INTO or OVERWRITE");
  if (accept_word("TEMP") || accept_word("TEMPORARY")) {
    expect_word("TABLE");
    statement->temporary = true;
  }
  statement->table = parse_path("table name");
  if (at(TokenKind::LParen)) statement->columns = parse_column_defs();
  statement->options = parse_optional_options();
  expect(Keyword::From);
  expect_word("FILES");
  statement->from_files = parse_options_list();
  statement->connection = parse_optional_connection();
  statement->span = span_from(start);
  return statement;
}

VISIONDB_INLINE StatementPtr Parser::parse_export_data() {
  uint32_t start = start_offset();
  expect_word("EXPORT");
  expect_word("DATA");
  auto statement = std::make_unique<ExportDataStatement>();
  statement->connection = parse_optional_connection();
  if (!at_word("OPTIONS")) fail_expected("OPTIONS");
  statement->options = parse_optional_options();
  expect(Keyword::As);
  statement->query = parse_query();
  statement->span = span_from(start);
  return statement;
}

VISIONDB_INLINE StatementPtr Parser::parse_export_model() {
  uint32_t start = start_offset();
  expect_word("EXPORT");
  expect_word("MODEL");
  auto statement = std::make_unique<ExportModelStatement>();
  statement->model = parse_path("model name");
  statement->connection = parse_optional_connection();
  if (!at_word("OPTIONS")) fail_expected("OPTIONS");
  statement->options = parse_optional_options();
  statement->span = span_from(start);
  return statement;
}

// ---- SET, DECLARE ------------------------------------------------------------------------------

VISIONDB_INLINE StatementPtr Parser::parse_set() {
  uint32_t start = start_offset();
  expect(Keyword::Set);
  auto statement = std::make_unique<SetStatement>();
  if (at(TokenKind::SystemVariable)) {
    uint32_t target_start = start_offset();
    const Token& t = advance();
    statement->system_variable = true;
    statement->target.parts.push_back(Identifier{t.value, t.span, t.quoted});
    while (at(TokenKind::Dot) && peek(1).is(TokenKind::Identifier) && !peek(1).quoted) {
      advance();
      append_path_part(statement->target, advance());
    }
    statement->target.span = span_from(target_start);
  } else {
    statement->target = parse_path("variable or setting name");
  }
  expect(TokenKind::Equal);
  statement->value = parse_expr();
  statement->span = span_from(start);
  return statement;
}

VISIONDB_INLINE StatementPtr Parser::parse_declare() {
  uint32_t start = start_offset();
  expect_word("DECLARE");
  auto statement = std::make_unique<DeclareStatement>();
  do {
    statement->names.push_back(parse_identifier("variable name"));
  } while (accept(TokenKind::Comma));
  if (!at(Keyword::Default) && !at(TokenKind::EndOfInput) && !at(TokenKind::Semicolon))
    statement->type = std::make_unique<TypeName>(parse_type());
  if (accept(Keyword::Default)) statement->default_value = parse_expr();
  if (!statement->type && !statement->default_value) fail_expected("type or DEFAULT");
  statement->span = span_from(start);
  return statement;
}

}  // namespace visiondb::sql::detail
