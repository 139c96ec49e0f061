// Compiled mode: the SQL front end's out-of-line code (tokens, lexer, AST helpers, parser, printer).
#include "visiondb/sql/detail/token_impl.hpp"
#include "visiondb/sql/detail/lexer_impl.hpp"
#include "visiondb/sql/detail/ast_type_impl.hpp"
#include "visiondb/sql/detail/ast_impl.hpp"
#include "visiondb/sql/detail/parser_impl.hpp"
#include "visiondb/sql/detail/ast_printer_impl.hpp"
