// The AST of visiondb's SQL dialect: the contract between the parser and the binder.
// ast_type.hpp: identifiers, dotted names, type names; ast_expr.hpp: expressions;
// ast_query.hpp: queries, SELECT, set operations, FROM items; ast_statement.hpp: statements.
// Every node carries the SourceSpan of its text; nodes own their children by std::unique_ptr.
#pragma once

#include "visiondb/sql/ast_expr.hpp"
#include "visiondb/sql/ast_query.hpp"
#include "visiondb/sql/ast_statement.hpp"
#include "visiondb/sql/ast_type.hpp"
