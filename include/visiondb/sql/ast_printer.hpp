// AST -> SQL text in canonical form: one line, upper-case keywords, minimal parentheses, names
// quoted only when they must be. parse(to_sql(parse(x))) gives the same tree as parse(x); EXPLAIN
// and error messages use it to show expressions.
#pragma once

#include <string>
#include <string_view>

#include "visiondb/sql/ast.hpp"

namespace visiondb::sql {

struct PrintOptions {
  /// Parenthesise every operator expression that is an operand ("1 + (2 * 3)"): shows the tree.
  bool fully_parenthesized = false;
};

/// A statement as canonical SQL, without the ';'.
std::string to_sql(const Statement& statement, const PrintOptions& options = {});
/// A query, SELECT block or set operation as canonical SQL.
std::string to_sql(const QueryNode& query, const PrintOptions& options = {});
/// An expression as canonical SQL, e.g. for EXPLAIN lines and error messages.
std::string to_sql(const Expr& expr, const PrintOptions& options = {});
/// A FROM item (joins included) as canonical SQL.
std::string to_sql(const TableRef& table, const PrintOptions& options = {});
/// A type as written, upper-cased: ARRAY<STRUCT<a INT64>>, STRING(10).
std::string to_sql(const TypeName& type);

/// name, or `name` when it is a reserved keyword or not a plain identifier.
std::string quote_identifier(std::string_view name);
/// 'value' with BigQuery escapes.
std::string quote_string(std::string_view value);
/// b'value' with BigQuery escapes.
std::string quote_bytes(std::string_view value);

}  // namespace visiondb::sql

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/sql/detail/ast_printer_impl.hpp"
#endif
