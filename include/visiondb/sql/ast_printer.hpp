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

std::string to_sql(const Statement& statement, const PrintOptions& options = {});
std::string to_sql(const QueryNode& query, const PrintOptions& options = {});
std::string to_sql(const Expr& expr, const PrintOptions& options = {});
std::string to_sql(const TableRef& table, const PrintOptions& options = {});
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
