// The hand-written lexer: SQL text -> tokens with their spans. Strings, bytes, backtick names and
// escapes follow BigQuery's lexical rules; comments (--, #, /* */) and whitespace are skipped.
#pragma once

#include <string_view>
#include <vector>

#include "visiondb/sql/token.hpp"

namespace visiondb::sql {

/// Reads tokens one at a time. Errors (an unterminated string, a bad escape, a stray character)
/// throw SqlError of kind Syntax with the span of the offending text.
class Lexer {
 public:
  explicit Lexer(std::string_view text);
  /// The next token; TokenKind::EndOfInput at the end (and on every call after it).
  Token next();
  /// Offset of the first byte not yet consumed.
  uint32_t offset() const noexcept { return static_cast<uint32_t>(pos_); }

 private:
  void skip_whitespace_and_comments();
  Token lex_word();
  Token lex_quoted_identifier();
  Token lex_string(size_t prefix_length, bool raw, bool bytes);
  Token lex_number();
  Token lex_parameter();
  Token lex_operator();
  Token make(TokenKind kind, size_t start) const;
  [[noreturn]] void fail(std::string message, size_t start, size_t length) const;
  // Decodes one escape sequence at pos_ (just past the backslash) into out.
  void decode_escape(std::string& out, bool bytes);
  char peek(size_t ahead = 0) const noexcept { return pos_ + ahead < text_.size() ? text_[pos_ + ahead] : '\0'; }

  std::string_view text_;
  size_t pos_ = 0;
};

/// All tokens of text, ending with one TokenKind::EndOfInput token.
std::vector<Token> tokenize(std::string_view text);

/// True when buffer's last token is ';' outside any string or comment: the REPL's test for "run it
/// now" versus "read another line". A string or comment still open at the end is not complete; a
/// buffer with another lexical error is complete when its last character is ';' (so that the parser
/// reports the error).
bool is_complete_statement(std::string_view buffer) noexcept;

}  // namespace visiondb::sql

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/sql/detail/lexer_impl.hpp"
#endif
