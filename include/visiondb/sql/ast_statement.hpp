// Statement nodes of the AST: queries, EXPLAIN, DDL (tables, external/object tables, schemas,
// models, SQL functions, views), DML (INSERT, DELETE, UPDATE, TRUNCATE), LOAD DATA, EXPORT DATA, EXPORT MODEL,
// SET and DECLARE. Each derives from Statement with a fixed StatementKind and has as<T>().
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "visiondb/sql/ast_query.hpp"

namespace visiondb::sql {

enum class StatementKind : uint8_t {
  Query,                ///< QueryStatement
  Explain,              ///< ExplainStatement
  CreateTable,          ///< CreateTableStatement
  CreateExternalTable,  ///< CreateExternalTableStatement
  CreateSchema,         ///< CreateSchemaStatement
  CreateModel,          ///< CreateModelStatement
  CreateFunction,       ///< CreateFunctionStatement
  CreateView,           ///< CreateViewStatement
  Insert,               ///< InsertStatement
  Delete,               ///< DeleteStatement
  Update,               ///< UpdateStatement
  Truncate,             ///< TruncateStatement
  Drop,                 ///< DropStatement
  LoadData,             ///< LoadDataStatement
  ExportData,           ///< ExportDataStatement
  ExportModel,          ///< ExportModelStatement
  Set,                  ///< SetStatement
  Declare,              ///< DeclareStatement
};

/// Base of every statement.
struct Statement {
  const StatementKind kind;
  SourceSpan span;  ///< the statement's text, without the ';' that ends it

  explicit Statement(StatementKind k) : kind(k) {}
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  virtual ~Statement() = default;

  template <class T>
  T& as() {
    VISIONDB_ASSERT(kind == T::kKind);
    return static_cast<T&>(*this);
  }
  template <class T>
  const T& as() const {
    VISIONDB_ASSERT(kind == T::kKind);
    return static_cast<const T&>(*this);
  }
  template <class T>
  const T* as_if() const {
    return kind == T::kKind ? static_cast<const T*>(this) : nullptr;
  }
};

using StatementPtr = std::unique_ptr<Statement>;

/// One key = value of an OPTIONS(...) list; values are any expression (literals, arrays of
/// literals, parameters), evaluated by the binder.
struct OptionEntry {
  Identifier name;
  ExprPtr value;
  SourceSpan span;
};

using OptionList = std::vector<OptionEntry>;

/// name type [NOT NULL] [OPTIONS(...)] in a column list.
struct ColumnDef {
  Identifier name;
  TypeName type;
  bool not_null = false;
  OptionList options;
  SourceSpan span;
};

/// The flags of CREATE [OR REPLACE] [TEMP] <object> [IF NOT EXISTS].
struct CreateFlags {
  bool or_replace = false;
  bool temporary = false;
  bool if_not_exists = false;
};

/// A query run as a statement.
struct QueryStatement final : Statement {
  static constexpr StatementKind kKind = StatementKind::Query;
  QueryStatement() : Statement(kKind) {}

  std::unique_ptr<Query> query;
};

/// EXPLAIN [ANALYZE] statement.
struct ExplainStatement final : Statement {
  static constexpr StatementKind kKind = StatementKind::Explain;
  ExplainStatement() : Statement(kKind) {}

  bool analyze = false;
  StatementPtr statement;
};

/// CREATE [OR REPLACE] [TEMP] TABLE [IF NOT EXISTS] name [(columns)] [OPTIONS(...)] [AS query].
struct CreateTableStatement final : Statement {
  static constexpr StatementKind kKind = StatementKind::CreateTable;
  CreateTableStatement() : Statement(kKind) {}

  CreateFlags flags;
  IdentifierPath name;
  std::vector<ColumnDef> columns;  ///< empty when not written
  OptionList options;
  std::unique_ptr<Query> as_query;  ///< null without AS
};

/// CREATE [OR REPLACE] EXTERNAL TABLE [IF NOT EXISTS] name [(columns)] [WITH CONNECTION conn]
/// OPTIONS(...): CSV tables and object tables (object_metadata = 'SIMPLE').
struct CreateExternalTableStatement final : Statement {
  static constexpr StatementKind kKind = StatementKind::CreateExternalTable;
  CreateExternalTableStatement() : Statement(kKind) {}

  CreateFlags flags;
  IdentifierPath name;
  std::vector<ColumnDef> columns;
  IdentifierPath connection;  ///< WITH CONNECTION `us.conn` (empty when absent; DEFAULT is "DEFAULT")
  OptionList options;
};

/// CREATE SCHEMA [IF NOT EXISTS] name [OPTIONS(...)].
struct CreateSchemaStatement final : Statement {
  static constexpr StatementKind kKind = StatementKind::CreateSchema;
  CreateSchemaStatement() : Statement(kKind) {}

  CreateFlags flags;
  IdentifierPath name;
  OptionList options;
};

/// CREATE [OR REPLACE] MODEL [IF NOT EXISTS] name [TRANSFORM(select list)] [OPTIONS(...)] [AS query].
struct CreateModelStatement final : Statement {
  static constexpr StatementKind kKind = StatementKind::CreateModel;
  CreateModelStatement() : Statement(kKind) {}

  CreateFlags flags;
  IdentifierPath name;
  std::vector<SelectItem> transform;  ///< empty without TRANSFORM
  OptionList options;
  std::unique_ptr<Query> as_query;    ///< the training query (null for imported models)
};

/// One parameter of a SQL function: name type (type "ANY TYPE" for templated parameters).
struct FunctionParam {
  Identifier name;
  TypeName type;
  SourceSpan span;
};

/// CREATE [OR REPLACE] [TEMP] FUNCTION [IF NOT EXISTS] name(params) [RETURNS type] AS (expr).
struct CreateFunctionStatement final : Statement {
  static constexpr StatementKind kKind = StatementKind::CreateFunction;
  CreateFunctionStatement() : Statement(kKind) {}

  CreateFlags flags;
  IdentifierPath name;
  std::vector<FunctionParam> params;
  std::unique_ptr<TypeName> returns;  ///< null without RETURNS
  ExprPtr body;
  OptionList options;
};

/// CREATE [OR REPLACE] VIEW [IF NOT EXISTS] name [(columns)] [OPTIONS(...)] AS query.
struct CreateViewStatement final : Statement {
  static constexpr StatementKind kKind = StatementKind::CreateView;
  CreateViewStatement() : Statement(kKind) {}

  CreateFlags flags;
  IdentifierPath name;
  std::vector<Identifier> columns;
  OptionList options;
  std::unique_ptr<Query> query;
};

/// INSERT [INTO] name [(columns)] VALUES (row), ... | query.
struct InsertStatement final : Statement {
  static constexpr StatementKind kKind = StatementKind::Insert;
  InsertStatement() : Statement(kKind) {}

  IdentifierPath table;
  std::vector<Identifier> columns;            ///< empty when not written
  std::vector<std::vector<ExprPtr>> values;   ///< VALUES rows (empty with a query)
  std::unique_ptr<Query> query;               ///< null with VALUES
};

/// DELETE [FROM] name [[AS] alias] WHERE condition.
struct DeleteStatement final : Statement {
  static constexpr StatementKind kKind = StatementKind::Delete;
  DeleteStatement() : Statement(kKind) {}

  IdentifierPath table;
  Identifier alias;
  ExprPtr where;
};

/// target = value in UPDATE ... SET; target is a column or a path into a struct column.
struct UpdateAssignment {
  IdentifierPath target;
  ExprPtr value;
  SourceSpan span;
};

/// UPDATE name [[AS] alias] SET col = expr, ... [FROM from_item] WHERE condition.
struct UpdateStatement final : Statement {
  static constexpr StatementKind kKind = StatementKind::Update;
  UpdateStatement() : Statement(kKind) {}

  IdentifierPath table;
  Identifier alias;
  std::vector<UpdateAssignment> assignments;
  TableRefPtr from;  ///< null without FROM
  ExprPtr where;
};

/// TRUNCATE TABLE name.
struct TruncateStatement final : Statement {
  static constexpr StatementKind kKind = StatementKind::Truncate;
  TruncateStatement() : Statement(kKind) {}

  IdentifierPath table;
};

enum class ObjectKind : uint8_t { Table, ExternalTable, Schema, Model, Function, View };

/// DROP TABLE | EXTERNAL TABLE | SCHEMA | MODEL | [TEMP] FUNCTION | VIEW [IF EXISTS] name
/// [CASCADE | RESTRICT].
struct DropStatement final : Statement {
  static constexpr StatementKind kKind = StatementKind::Drop;
  DropStatement() : Statement(kKind) {}

  ObjectKind object = ObjectKind::Table;
  bool if_exists = false;
  bool cascade = false;
  bool restrict = false;
  IdentifierPath name;
};

/// LOAD DATA {INTO|OVERWRITE} [TEMP TABLE] name [(columns)] [OPTIONS(...)] FROM FILES(...)
/// [WITH CONNECTION conn].
struct LoadDataStatement final : Statement {
  static constexpr StatementKind kKind = StatementKind::LoadData;
  LoadDataStatement() : Statement(kKind) {}

  bool overwrite = false;
  bool temporary = false;
  IdentifierPath table;
  std::vector<ColumnDef> columns;
  OptionList options;     ///< the table's OPTIONS(...)
  OptionList from_files;  ///< FROM FILES(format = 'CSV', uris = [...], ...)
  IdentifierPath connection;
};

/// EXPORT DATA [WITH CONNECTION conn] OPTIONS(uri = ..., format = ..., ...) AS query.
struct ExportDataStatement final : Statement {
  static constexpr StatementKind kKind = StatementKind::ExportData;
  ExportDataStatement() : Statement(kKind) {}

  IdentifierPath connection;
  OptionList options;
  std::unique_ptr<Query> query;
};

/// EXPORT MODEL name [WITH CONNECTION conn] OPTIONS(uri = ...).
struct ExportModelStatement final : Statement {
  static constexpr StatementKind kKind = StatementKind::ExportModel;
  ExportModelStatement() : Statement(kKind) {}

  IdentifierPath model;
  IdentifierPath connection;
  OptionList options;
};

/// SET name = expr (a session setting or a declared variable) or SET @@name = expr.
struct SetStatement final : Statement {
  static constexpr StatementKind kKind = StatementKind::Set;
  SetStatement() : Statement(kKind) {}

  IdentifierPath target;        ///< threads, @@dataset_id -> "dataset_id", @@script.x -> script.x
  bool system_variable = false; ///< written @@name
  ExprPtr value;
};

/// DECLARE name, ... [type] [DEFAULT expr].
struct DeclareStatement final : Statement {
  static constexpr StatementKind kKind = StatementKind::Declare;
  DeclareStatement() : Statement(kKind) {}

  std::vector<Identifier> names;
  std::unique_ptr<TypeName> type;  ///< null when not written
  ExprPtr default_value;           ///< null without DEFAULT
};

}  // namespace visiondb::sql
