// The recursive-descent parser: SQL text -> AST (ast.hpp). One statement, a whole script, or a
// lone expression or type. Errors are SqlError of kind Syntax with the span of the offending token
// and the text attached, so what() shows "LINE n: ..." with a caret.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "visiondb/sql/ast.hpp"

namespace visiondb::sql {

struct ParserOptions {
  /// Nesting limit (parentheses, subqueries, operator chains, types): deeper input is an error, so
  /// that neither the parser nor later passes over the AST can exhaust the stack.
  uint32_t max_depth = 1000;
};

/// One statement of a script with the span of its text (without the ';' that ends it).
struct ScriptStatement {
  StatementPtr statement;
  SourceSpan span;
};

/// Parses exactly one statement, optionally followed by ';'.
StatementPtr parse_statement(std::string_view sql, const ParserOptions& options = {});

/// Parses a script: statements separated by ';' (empty statements are skipped). Spans are offsets
/// into sql. Stops at the first error.
std::vector<ScriptStatement> parse_script(std::string_view sql, const ParserOptions& options = {});

/// Parses one expression (all of sql).
ExprPtr parse_expression(std::string_view sql, const ParserOptions& options = {});

/// Parses one type name (all of sql), e.g. "ARRAY<STRUCT<a INT64, b STRING>>".
TypeName parse_type_name(std::string_view sql, const ParserOptions& options = {});

/// The spans of the statements of a script, split at ';' outside strings, quoted names and
/// comments, without parsing them; spans of empty statements are left out. Lexical errors throw.
std::vector<SourceSpan> split_statements(std::string_view sql);

}  // namespace visiondb::sql

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/sql/detail/parser_impl.hpp"
#endif
