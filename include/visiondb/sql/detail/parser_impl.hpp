// The parser: the Parser class (one member function per grammar rule), its token helpers and the
// public entry points of parser.hpp. The rules live in parser_expr_impl.hpp (expressions),
// parser_call_impl.hpp (calls, windows, types), parser_query_impl.hpp (queries) and
// parser_statement_impl.hpp (statements).
#pragma once

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "visiondb/sql/detail/char_class.hpp"
#include "visiondb/sql/detail/precedence.hpp"
#include "visiondb/sql/lexer.hpp"
#include "visiondb/sql/parser.hpp"

namespace visiondb::sql::detail {

class Parser {
 public:
  Parser(std::string_view text, const ParserOptions& options);

  StatementPtr parse_one_statement();
  std::vector<ScriptStatement> parse_all_statements();
  ExprPtr parse_lone_expression();
  TypeName parse_lone_type();

 private:
  // ---- tokens ----
  const Token& peek(size_t ahead = 0) const noexcept {
    size_t i = pos_ + ahead;
    return i < tokens_.size() ? tokens_[i] : tokens_.back();
  }
  bool at(TokenKind kind) const noexcept { return peek().kind == kind; }
  bool at(Keyword keyword) const noexcept { return peek().is(keyword); }
  bool at_word(std::string_view word) const noexcept { return peek().is_word(word); }
  const Token& advance() noexcept;
  bool accept(TokenKind kind) noexcept;
  bool accept(Keyword keyword) noexcept;
  bool accept_word(std::string_view word) noexcept;
  const Token& expect(TokenKind kind);
  const Token& expect(Keyword keyword);
  const Token& expect_word(std::string_view word);
  void expect_closing_angle();
  bool at_query_start(size_t ahead = 0) const noexcept;
  bool at_query_continuation() const noexcept;
  uint32_t start_offset() const noexcept { return peek().span.offset; }
  SourceSpan span_from(uint32_t start) const noexcept {
    return SourceSpan{start, last_end_ > start ? last_end_ - start : 0};
  }

  // ---- errors and depth ----
  [[noreturn]] void fail_at(const Token& token, std::string_view detail) const;
  [[noreturn]] void fail_expected(std::string_view what) const { fail_at(peek(), "expected " + std::string(what)); }
  std::string token_text(const Token& token) const;
  class DepthGuard;
  void enter_depth();

  // ---- names and types ----
  Identifier parse_identifier(std::string_view what = "identifier");
  bool at_identifier() const noexcept { return at(TokenKind::Identifier); }
  IdentifierPath parse_path(std::string_view what = "name");
  void append_path_part(IdentifierPath& path, const Token& token);
  Identifier parse_optional_alias();
  std::string parse_word(std::string_view what);
  int64_t parse_integer_token(const Token& token, bool negative) const;

  // ---- expressions (parser_expr_impl.hpp) ----
  ExprPtr parse_expr(int min_precedence = kPrecOr);
  ExprPtr parse_prefix(int min_precedence);
  ExprPtr parse_infix(ExprPtr left, int precedence);
  int infix_precedence() const noexcept;
  ExprPtr parse_in_rhs(ExprPtr operand, bool negated, uint32_t start);
  ExprPtr parse_postfix(ExprPtr expr);
  ExprPtr parse_primary();
  ExprPtr parse_number_literal(bool negative, uint32_t start);
  ExprPtr parse_parenthesized();
  ExprPtr parse_path_or_call();
  ExprPtr parse_case();
  ExprPtr parse_cast(bool safe);
  ExprPtr parse_extract();
  ExprPtr parse_interval();
  ExprPtr parse_array_constructor();
  ExprPtr parse_struct_constructor();
  ExprPtr parse_typed_literal(LiteralKind kind, uint32_t start);
  std::vector<OrderByItem> parse_order_by_list();
  std::vector<ExprPtr> parse_expr_list();

  // ---- calls, windows and types (parser_call_impl.hpp) ----
  ExprPtr parse_function_call(IdentifierPath name, uint32_t start);
  std::vector<FunctionArg> parse_function_args(FunctionCallExpr* call);
  FunctionArg parse_function_arg();
  std::unique_ptr<WindowSpec> parse_over_clause();
  WindowSpec parse_window_spec();
  FrameBound parse_frame_bound();
  TypeName parse_type();

  // ---- queries (parser_query_impl.hpp) ----
  std::unique_ptr<Query> parse_query();
  std::unique_ptr<Query> parse_parenthesized_query();
  std::unique_ptr<Query> finish_query(std::unique_ptr<Query> query, QueryNodePtr first, uint32_t start);
  std::unique_ptr<Query> continue_query(std::unique_ptr<Query> first, uint32_t start);
  void parse_with_clause(Query& query);
  QueryNodePtr parse_set_operations(QueryNodePtr first);
  QueryNodePtr parse_query_primary();
  std::unique_ptr<Select> parse_select();
  std::vector<SelectItem> parse_select_list(bool allow_trailing_comma);
  SelectItem parse_select_item();
  void parse_star_modifiers(SelectItem& item);
  TableRefPtr parse_from_item();
  TableRefPtr parse_table_primary();
  TableRefPtr parse_parenthesized_table();
  TableRefPtr parse_unnest_ref();
  void parse_table_alias(TableRef& ref);
  std::unique_ptr<GroupByClause> parse_group_by();
  std::vector<NamedWindow> parse_window_clause();

  // ---- statements (parser_statement_impl.hpp) ----
  StatementPtr parse_statement();
  StatementPtr parse_explain();
  StatementPtr parse_create();
  StatementPtr parse_create_table(CreateFlags flags, uint32_t start);
  StatementPtr parse_create_external_table(CreateFlags flags, uint32_t start);
  StatementPtr parse_create_schema(CreateFlags flags, uint32_t start);
  StatementPtr parse_create_model(CreateFlags flags, uint32_t start);
  StatementPtr parse_create_function(CreateFlags flags, uint32_t start);
  StatementPtr parse_create_view(CreateFlags flags, uint32_t start);
  StatementPtr parse_insert();
  StatementPtr parse_delete();
  StatementPtr parse_update();
  StatementPtr parse_truncate();
  StatementPtr parse_drop();
  StatementPtr parse_load_data();
  StatementPtr parse_export_data();
  StatementPtr parse_export_model();
  StatementPtr parse_set();
  StatementPtr parse_declare();
  void parse_if_not_exists(CreateFlags& flags);
  std::vector<ColumnDef> parse_column_defs();
  OptionList parse_options_list();
  OptionList parse_optional_options();
  IdentifierPath parse_optional_connection();
  std::vector<Identifier> parse_identifier_list();

  std::string_view text_;
  ParserOptions options_;
  std::vector<Token> tokens_;
  size_t pos_ = 0;
  uint32_t last_end_ = 0;          // end offset of the last consumed token
  uint32_t depth_ = 0;
  uint32_t positional_params_ = 0; // ? parameters seen in the current statement
};

/// Raises the nesting depth for the lifetime of a rule invocation.
class Parser::DepthGuard {
 public:
  explicit DepthGuard(Parser& parser) : parser_(parser), saved_(parser.depth_) { parser.enter_depth(); }
  ~DepthGuard() { parser_.depth_ = saved_; }
  DepthGuard(const DepthGuard&) = delete;
  DepthGuard& operator=(const DepthGuard&) = delete;

 private:
  Parser& parser_;
  uint32_t saved_;
};

// ---- construction and token helpers ------------------------------------------------------------

VISIONDB_INLINE Parser::Parser(std::string_view text, const ParserOptions& options)
    : text_(text), options_(options), tokens_(tokenize(text)) {}

VISIONDB_INLINE const Token& Parser::advance() noexcept {
  const Token& t = peek();
  if (pos_ + 1 < tokens_.size()) {
    last_end_ = t.span.offset + t.span.length;
    ++pos_;
  }
  return t;
}

VISIONDB_INLINE bool Parser::accept(TokenKind kind) noexcept {
  if (!at(kind)) return false;
  advance();
  return true;
}

VISIONDB_INLINE bool Parser::accept(Keyword keyword) noexcept {
  if (!at(keyword)) return false;
  advance();
  return true;
}

VISIONDB_INLINE bool Parser::accept_word(std::string_view word) noexcept {
  if (!at_word(word)) return false;
  advance();
  return true;
}

VISIONDB_INLINE const Token& Parser::expect(TokenKind kind) {
  if (!at(kind)) fail_expected(token_kind_name(kind));
  return advance();
}

VISIONDB_INLINE const Token& Parser::expect(Keyword keyword) {
  if (!at(keyword)) fail_expected(keyword_name(keyword));
  return advance();
}

VISIONDB_INLINE const Token& Parser::expect_word(std::string_view word) {
  if (!at_word(word)) fail_expected(word);
  return advance();
}

VISIONDB_INLINE void Parser::expect_closing_angle() {
  if (accept(TokenKind::Greater)) return;
  if (at(TokenKind::ShiftRight)) {
    // ARRAY<ARRAY<INT64>>: the lexer saw ">>"; consume its first half only.
    Token& t = tokens_[pos_];
    last_end_ = t.span.offset + 1;
    t.kind = TokenKind::Greater;
    t.span = SourceSpan{t.span.offset + 1, 1};
    return;
  }
  fail_expected("\">\"");
}

VISIONDB_INLINE bool Parser::at_query_start(size_t ahead) const noexcept {
  return peek(ahead).is(Keyword::Select) || peek(ahead).is(Keyword::With);
}

VISIONDB_INLINE bool Parser::at_query_continuation() const noexcept {
  return at(Keyword::Union) || at(Keyword::Intersect) || at(Keyword::Except) || at(Keyword::Order) ||
         at(Keyword::Limit);
}

VISIONDB_INLINE std::string Parser::token_text(const Token& token) const {
  std::string_view raw = text_.substr(token.span.offset, token.span.length);
  constexpr size_t kMaxShown = 40;
  std::string shown(raw.substr(0, kMaxShown));
  for (char& c : shown)
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';  // keep the message on one line
  return raw.size() > kMaxShown ? shown + "..." : shown;
}

VISIONDB_INLINE void Parser::fail_at(const Token& token, std::string_view detail) const {
  std::string message;
  SourceSpan span = token.span;
  if (token.kind == TokenKind::EndOfInput) {
    message = "syntax error at end of input";
    span = SourceSpan{last_end_, 0};
  } else {
    message = "syntax error at or near \"" + token_text(token) + "\"";
  }
  message += ": ";
  message += detail;
  visiondb::detail::throw_sql_error(ErrorKind::Syntax, std::move(message), span);
}

VISIONDB_INLINE void Parser::enter_depth() {
  if (++depth_ > options_.max_depth)
    fail_at(peek(), "statement is nested too deeply (more than " + std::to_string(options_.max_depth) + " levels)");
}

// The clause keyword that word is one typo away from (one letter changed, added, dropped, or two
// neighbours swapped), or "" when there is none: FORM -> FROM, WHER -> WHERE.
inline std::string_view misspelt_clause_keyword(std::string_view word) {
  static constexpr std::string_view kClauses[] = {"FROM",  "WHERE", "GROUP",   "ORDER", "LIMIT",
                                                  "HAVING", "UNION", "QUALIFY", "WINDOW", "JOIN"};
  if (word.size() < 4 || word.size() > 8) return {};
  std::string upper = to_upper(word);
  for (std::string_view k : kClauses) {
    // Optimal string alignment distance, small enough to compute in full.
    size_t n = upper.size(), m = k.size();
    if (n + 1 < m || m + 1 < n) continue;
    size_t d[10][10];
    for (size_t i = 0; i <= n; ++i) d[i][0] = i;
    for (size_t j = 0; j <= m; ++j) d[0][j] = j;
    for (size_t i = 1; i <= n; ++i)
      for (size_t j = 1; j <= m; ++j) {
        size_t cost = upper[i - 1] == k[j - 1] ? 0 : 1;
        d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
        if (i > 1 && j > 1 && upper[i - 1] == k[j - 2] && upper[i - 2] == k[j - 1])
          d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    if (d[n][m] == 1) return k;
  }
  return {};
}

// ---- names -------------------------------------------------------------------------------------

VISIONDB_INLINE Identifier Parser::parse_identifier(std::string_view what) {
  if (!at_identifier()) fail_expected(what);
  const Token& t = advance();
  return Identifier{t.value, t.span, t.quoted};
}

VISIONDB_INLINE void Parser::append_path_part(IdentifierPath& path, const Token& token) {
  if (token.quoted && token.value.find('.') != std::string::npos) {
    // `proj.ds.t` names the same table as proj.ds.t.
    std::string_view rest = token.value;
    for (;;) {
      size_t dot = rest.find('.');
      std::string_view part = rest.substr(0, dot);
      if (part.empty()) fail_at(token, "empty name part in quoted path");
      path.parts.push_back(Identifier{std::string(part), token.span, true});
      if (dot == std::string_view::npos) break;
      rest.remove_prefix(dot + 1);
    }
  } else {
    // A keyword after '.' is a plain name (t.all); its value is the spelling the text used.
    path.parts.push_back(Identifier{token.value, token.span, token.quoted});
  }
}

VISIONDB_INLINE IdentifierPath Parser::parse_path(std::string_view what) {
  IdentifierPath path;
  uint32_t start = start_offset();
  if (!at_identifier()) fail_expected(what);
  append_path_part(path, advance());
  while (at(TokenKind::Dot) && (peek(1).is(TokenKind::Identifier) || peek(1).is(TokenKind::Keyword))) {
    advance();
    append_path_part(path, advance());
  }
  path.span = span_from(start);
  return path;
}

// An unquoted name used as a keyword (a date part, a type name), upper-cased.
VISIONDB_INLINE std::string Parser::parse_word(std::string_view what) {
  if (!at_identifier() || peek().quoted) fail_expected(what);
  return to_upper(advance().value);
}

VISIONDB_INLINE Identifier Parser::parse_optional_alias() {
  if (accept(Keyword::As)) return parse_identifier("alias");
  if (!at_identifier()) return {};
  // "SELECT a FORM t": an implicit alias that looks like a misspelt clause keyword and is followed
  // by something no alias can be followed by is reported as the typo it is.
  const Token& next = peek(1);
  if (!peek().quoted && (next.is(TokenKind::Identifier) || next.is(TokenKind::IntegerLiteral) ||
                         next.is(TokenKind::StringLiteral) || next.is(TokenKind::Star))) {
    std::string_view suggestion = misspelt_clause_keyword(peek().value);
    if (!suggestion.empty()) fail_at(peek(), "did you mean " + std::string(suggestion) + "?");
  }
  return parse_identifier();
}

VISIONDB_INLINE int64_t Parser::parse_integer_token(const Token& token, bool negative) const {
  std::string_view s = token.value;
  bool hex = s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
  const uint64_t base = hex ? 16 : 10;
  const uint64_t limit = negative ? (uint64_t{1} << 63) : (uint64_t{1} << 63) - 1;
  uint64_t value = 0;
  for (size_t i = hex ? 2 : 0; i < s.size(); ++i) {
    auto digit = static_cast<uint64_t>(hex_value(s[i]));
    if (value > (limit - digit) / base)
      visiondb::detail::throw_sql_error(
          ErrorKind::Syntax,
          "integer literal \"" + std::string(negative ? "-" : "") + token_text(token) + "\" is out of range for INT64",
          token.span);
    value = value * base + digit;
  }
  return static_cast<int64_t>(negative ? 0 - value : value);
}

// ---- entry points ------------------------------------------------------------------------------

VISIONDB_INLINE StatementPtr Parser::parse_one_statement() {
  StatementPtr statement = parse_statement();
  accept(TokenKind::Semicolon);
  if (!at(TokenKind::EndOfInput)) fail_expected("end of statement");
  return statement;
}

VISIONDB_INLINE std::vector<ScriptStatement> Parser::parse_all_statements() {
  std::vector<ScriptStatement> out;
  for (;;) {
    while (accept(TokenKind::Semicolon)) {
    }
    if (at(TokenKind::EndOfInput)) return out;
    uint32_t start = start_offset();
    depth_ = 0;
    positional_params_ = 0;
    StatementPtr statement = parse_statement();
    SourceSpan span = span_from(start);
    out.push_back(ScriptStatement{std::move(statement), span});
    if (!at(TokenKind::EndOfInput) && !at(TokenKind::Semicolon)) fail_expected("end of statement");
  }
}

VISIONDB_INLINE ExprPtr Parser::parse_lone_expression() {
  ExprPtr e = parse_expr();
  if (!at(TokenKind::EndOfInput)) fail_expected("end of expression");
  return e;
}

VISIONDB_INLINE TypeName Parser::parse_lone_type() {
  TypeName t = parse_type();
  if (!at(TokenKind::EndOfInput)) fail_expected("end of type");
  return t;
}

// Runs fn and attaches text to any SqlError it throws, so that what() shows the caret line.
template <class Fn>
auto with_query_text(std::string_view text, Fn&& fn) -> decltype(fn()) {
  try {
    return fn();
  } catch (SqlError& e) {
    e.attach_query(text);
    throw;
  }
}

}  // namespace visiondb::sql::detail

namespace visiondb::sql {

VISIONDB_INLINE StatementPtr parse_statement(std::string_view sql, const ParserOptions& options) {
  return detail::with_query_text(sql, [&] { return detail::Parser(sql, options).parse_one_statement(); });
}

VISIONDB_INLINE std::vector<ScriptStatement> parse_script(std::string_view sql, const ParserOptions& options) {
  return detail::with_query_text(sql, [&] { return detail::Parser(sql, options).parse_all_statements(); });
}

VISIONDB_INLINE ExprPtr parse_expression(std::string_view sql, const ParserOptions& options) {
  return detail::with_query_text(sql, [&] { return detail::Parser(sql, options).parse_lone_expression(); });
}

VISIONDB_INLINE TypeName parse_type_name(std::string_view sql, const ParserOptions& options) {
  return detail::with_query_text(sql, [&] { return detail::Parser(sql, options).parse_lone_type(); });
}

VISIONDB_INLINE std::vector<SourceSpan> split_statements(std::string_view sql) {
  return detail::with_query_text(sql, [&] {
    std::vector<SourceSpan> spans;
    Lexer lexer(sql);
    uint32_t start = 0, end = 0;
    bool any = false;
    for (;;) {
      Token t = lexer.next();
      if (t.kind == TokenKind::EndOfInput || t.kind == TokenKind::Semicolon) {
        if (any) spans.push_back(SourceSpan{start, end - start});
        any = false;
        if (t.kind == TokenKind::EndOfInput) return spans;
        continue;
      }
      if (!any) start = t.span.offset;
      any = true;
      end = t.span.offset + t.span.length;
    }
  });
}

}  // namespace visiondb::sql

#include "visiondb/sql/detail/parser_expr_impl.hpp"
#include "visiondb/sql/detail/parser_call_impl.hpp"
#include "visiondb/sql/detail/parser_query_impl.hpp"
#include "visiondb/sql/detail/parser_statement_impl.hpp"
