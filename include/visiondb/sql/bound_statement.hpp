// BoundStatement: a statement after binding: a query plan with its output names, or what a DDL or
// DML statement needs to run (the target table, the schema, the evaluated OPTIONS, ...). The api
// layer executes it.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "visiondb/sql/logical_plan.hpp"
#include "visiondb/storage/catalog_entry.hpp"
#include "visiondb/storage/table.hpp"

namespace visiondb::sql {

/// A bound query: its plan and its result columns.
struct BoundQuery {
  LogicalOpPtr plan;
  std::vector<std::string> names;
  std::vector<LogicalType> types;
};

enum class BoundStatementKind : uint8_t {
  Query,
  Explain,
  CreateTable,
  CreateExternalTable,
  CreateSchema,
  CreateFunction,
  CreateModel,
  Insert,
  Delete,
  Update,
  Truncate,
  Drop,
  Set,
  LoadData,
  ExportData,
  ExportModel,
};

/// OPTIONS(name = value, ...) with the values evaluated.
struct BoundOption {
  std::string name;  ///< lower-cased
  Value value;
  SourceSpan span;
};

/// The option of that (lower-case) name among `options`, or null.
inline const BoundOption* find_option(const std::vector<BoundOption>& options, std::string_view name) {
  for (const auto& o : options)
    if (o.name == name) return &o;
  return nullptr;
}

struct BoundStatement {
  BoundStatementKind kind = BoundStatementKind::Query;
  SourceSpan span;

  /// Query, Explain, CreateTable AS, CreateModel AS (the training data), Insert (the rows to add, in the table's column order),
  /// Delete and Update (the rows the table keeps / becomes), ExportData.
  std::unique_ptr<BoundQuery> query;
  /// Explain: EXPLAIN ANALYZE.
  bool analyze = false;
  /// Explain: the statement explained (a query).
  std::unique_ptr<BoundStatement> explained;

  /// The object created, dropped or changed.
  QualifiedName name;
  bool or_replace = false;
  bool if_not_exists = false;
  bool if_exists = false;
  bool cascade = false;
  /// Drop: what kind of object; drop_schema for DROP SCHEMA.
  CatalogEntryKind drop_kind = CatalogEntryKind::Table;
  bool drop_schema = false;

  /// CreateTable with columns, CreateExternalTable with columns, LoadData with columns.
  Schema schema;
  /// Insert / Delete / Update / Truncate / LoadData: the target table (null when LoadData creates it).
  std::shared_ptr<Table> table;
  /// LoadData: OVERWRITE instead of INTO.
  bool overwrite = false;
  /// CreateExternalTable, CreateModel, LoadData (FROM FILES), ExportData, ExportModel OPTIONS.
  std::vector<BoundOption> options;

  /// CreateFunction: the entry to add to the catalog; ExportModel: the model.
  std::shared_ptr<CatalogEntry> entry;

  /// Set: the setting's name (lower-case) and its value.
  std::string setting;
  Value value;

  /// The value of an option, or null when absent.
  const BoundOption* option(std::string_view name) const { return find_option(options, name); }
};

}  // namespace visiondb::sql
