// Out-of-line parts of lexer.hpp.
#pragma once

#include <algorithm>
#include <limits>
#include <string>

#include "visiondb/sql/detail/char_class.hpp"
#include "visiondb/sql/lexer.hpp"

namespace visiondb::sql {

namespace detail {
inline void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}
// A character shown in a message: printable ASCII as is, anything else as \xHH.
inline std::string printable_char(char c) {
  auto u = static_cast<unsigned char>(c);
  if (u >= 0x20 && u < 0x7F) return std::string(1, c);
  const char* hex = "0123456789ABCDEF";
  return std::string("\\x") + hex[u >> 4] + hex[u & 15];
}
}  // namespace detail

VISIONDB_INLINE Lexer::Lexer(std::string_view text) : text_(text) {
  if (text.size() >= std::numeric_limits<uint32_t>::max())
    visiondb::detail::throw_sql_error(ErrorKind::Syntax, "statement text is too long (4 GiB or more)");
}

VISIONDB_INLINE void Lexer::fail(std::string message, size_t start, size_t length) const {
  visiondb::detail::throw_sql_error(ErrorKind::Syntax, std::move(message),
                          SourceSpan{static_cast<uint32_t>(start), static_cast<uint32_t>(length)});
}

VISIONDB_INLINE Token Lexer::make(TokenKind kind, size_t start) const {
  Token t;
  t.kind = kind;
  t.span = SourceSpan{static_cast<uint32_t>(start), static_cast<uint32_t>(pos_ - start)};
  return t;
}

VISIONDB_INLINE void Lexer::skip_whitespace_and_comments() {
  for (;;) {
    char c = peek();
    if (pos_ >= text_.size()) return;
    if (detail::is_space(c)) {
      ++pos_;
    } else if (c == '#' || (c == '-' && peek(1) == '-')) {
      while (pos_ < text_.size() && text_[pos_] != '\n') ++pos_;
    } else if (c == '/' && peek(1) == '*') {
      size_t start = pos_;
      size_t end = text_.find("*/", pos_ + 2);
      if (end == std::string_view::npos) fail("unterminated comment", start, text_.size() - start);
      pos_ = end + 2;
    } else {
      return;
    }
  }
}

VISIONDB_INLINE Token Lexer::next() {
  skip_whitespace_and_comments();
  if (pos_ >= text_.size()) return make(TokenKind::EndOfInput, pos_);
  char c = peek();
  // String prefixes: r'', b'', rb'', br'' in any case.
  if (c == 'r' || c == 'R' || c == 'b' || c == 'B') {
    char c1 = peek(1);
    if (c1 == '\'' || c1 == '"') return lex_string(1, c == 'r' || c == 'R', c == 'b' || c == 'B');
    char c2 = peek(2);
    bool rb = (c == 'r' || c == 'R') && (c1 == 'b' || c1 == 'B');
    bool br = (c == 'b' || c == 'B') && (c1 == 'r' || c1 == 'R');
    if ((rb || br) && (c2 == '\'' || c2 == '"')) return lex_string(2, true, true);
  }
  if (detail::is_ident_start(c)) return lex_word();
  if (detail::is_digit(c) || (c == '.' && detail::is_digit(peek(1)))) return lex_number();
  if (c == '\'' || c == '"') return lex_string(0, false, false);
  if (c == '`') return lex_quoted_identifier();
  if (c == '@') return lex_parameter();
  return lex_operator();
}

VISIONDB_INLINE Token Lexer::lex_word() {
  size_t start = pos_;
  while (pos_ < text_.size() && detail::is_ident_char(text_[pos_])) ++pos_;
  std::string_view word = text_.substr(start, pos_ - start);
  Keyword kw = lookup_keyword(word);
  Token t = make(kw == Keyword::None ? TokenKind::Identifier : TokenKind::Keyword, start);
  t.keyword = kw;
  t.value = std::string(word);
  return t;
}

VISIONDB_INLINE void Lexer::decode_escape(std::string& out, bool bytes) {
  size_t escape_start = pos_ - 1;
  auto bad = [&](size_t length) {
    size_t end = std::min(text_.size(), escape_start + length);
    fail("invalid escape sequence \"" + std::string(text_.substr(escape_start, end - escape_start)) + "\"",
         escape_start, end - escape_start);
  };
  if (pos_ >= text_.size()) bad(1);
  char c = text_[pos_++];
  switch (c) {
    case 'a': out += '\a'; return;
    case 'b': out += '\b'; return;
    case 'f': out += '\f'; return;
    case 'n': out += '\n'; return;
    case 'r': out += '\r'; return;
    case 't': out += '\t'; return;
    case 'v': out += '\v'; return;
    case '\\': case '?': case '"': case '\'': case '`': out += c; return;
    case 'x': case 'X': {
      if (!detail::is_hex_digit(peek()) || !detail::is_hex_digit(peek(1))) bad(4);
      int v = detail::hex_value(peek()) * 16 + detail::hex_value(peek(1));
      pos_ += 2;
      if (!bytes && v >= 0x80) bad(4);  // a STRING must stay valid UTF-8
      out += static_cast<char>(v);
      return;
    }
    case 'u': case 'U': {
      if (bytes) bad(2);
      size_t digits = c == 'u' ? 4 : 8;
      uint32_t cp = 0;
      for (size_t i = 0; i < digits; ++i) {
        if (!detail::is_hex_digit(peek(i))) bad(2 + digits);
        cp = cp * 16 + static_cast<uint32_t>(detail::hex_value(peek(i)));
      }
      if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) bad(2 + digits);
      pos_ += digits;
      detail::append_utf8(out, cp);
      return;
    }
    default:
      if (c >= '0' && c <= '7') {
        // \ooo: exactly three octal digits.
        if (!(peek() >= '0' && peek() <= '7') || !(peek(1) >= '0' && peek(1) <= '7')) bad(4);
        int v = (c - '0') * 64 + (peek() - '0') * 8 + (peek(1) - '0');
        pos_ += 2;
        if (v > 255 || (!bytes && v >= 0x80)) bad(4);
        out += static_cast<char>(v);
        return;
      }
      bad(2);
  }
}

VISIONDB_INLINE Token Lexer::lex_quoted_identifier() {
  size_t start = pos_++;
  std::string name;
  for (;;) {
    if (pos_ >= text_.size() || text_[pos_] == '\n') fail("unterminated quoted identifier", start, pos_ - start);
    char c = text_[pos_++];
    if (c == '`') break;
    if (c == '\\') {
      decode_escape(name, false);
    } else {
      name += c;
    }
  }
  if (name.empty()) fail("quoted identifier cannot be empty", start, pos_ - start);
  Token t = make(TokenKind::Identifier, start);
  t.quoted = true;
  t.value = std::move(name);
  return t;
}

VISIONDB_INLINE Token Lexer::lex_string(size_t prefix_length, bool raw, bool bytes) {
  size_t start = pos_;
  pos_ += prefix_length;
  char quote = text_[pos_];
  bool triple = peek(1) == quote && peek(2) == quote;
  pos_ += triple ? 3 : 1;
  std::string value;
  for (;;) {
    if (pos_ >= text_.size()) fail(bytes ? "unterminated bytes literal" : "unterminated string literal", start,
                                   pos_ - start);
    char c = text_[pos_];
    if (c == quote) {
      if (!triple) {
        ++pos_;
        break;
      }
      if (peek(1) == quote && peek(2) == quote) {
        pos_ += 3;
        break;
      }
      value += c;
      ++pos_;
    } else if (c == '\n' && !triple) {
      fail(bytes ? "unterminated bytes literal" : "unterminated string literal", start, pos_ - start);
    } else if (c == '\\') {
      ++pos_;
      if (raw) {
        // A raw string keeps the backslash and the next character; the pair never ends the string.
        value += '\\';
        if (pos_ < text_.size()) value += text_[pos_++];
      } else {
        decode_escape(value, bytes);
      }
    } else {
      value += c;
      ++pos_;
    }
  }
  Token t = make(bytes ? TokenKind::BytesLiteral : TokenKind::StringLiteral, start);
  t.value = std::move(value);
  return t;
}

VISIONDB_INLINE Token Lexer::lex_number() {
  size_t start = pos_;
  bool is_float = false;
  if (peek() == '0' && (peek(1) == 'x' || peek(1) == 'X') && detail::is_hex_digit(peek(2))) {
    pos_ += 2;
    while (detail::is_hex_digit(peek())) ++pos_;
  } else {
    while (detail::is_digit(peek())) ++pos_;
    if (peek() == '.') {
      is_float = true;
      ++pos_;
      while (detail::is_digit(peek())) ++pos_;
    }
    if (peek() == 'e' || peek() == 'E') {
      ++pos_;
      if (peek() == '+' || peek() == '-') ++pos_;
      if (!detail::is_digit(peek())) fail("invalid floating point literal", start, pos_ - start);
      while (detail::is_digit(peek())) ++pos_;
      is_float = true;
    }
  }
  if (detail::is_ident_char(peek())) {
    size_t end = pos_;
    while (end < text_.size() && detail::is_ident_char(text_[end])) ++end;
    fail("missing whitespace between literal and alias", start, end - start);
  }
  Token t = make(is_float ? TokenKind::FloatLiteral : TokenKind::IntegerLiteral, start);
  t.value = std::string(text_.substr(start, pos_ - start));
  return t;
}

VISIONDB_INLINE Token Lexer::lex_parameter() {
  size_t start = pos_++;
  bool system = false;
  if (peek() == '@') {
    system = true;
    ++pos_;
  }
  Token t;
  if (peek() == '`') {
    Token name = lex_quoted_identifier();
    t.value = std::move(name.value);
    t.quoted = true;
  } else if (detail::is_ident_start(peek())) {
    size_t name_start = pos_;
    while (detail::is_ident_char(peek())) ++pos_;
    t.value = std::string(text_.substr(name_start, pos_ - name_start));
  } else {
    fail(system ? "expected a system variable name after \"@@\"" : "expected a parameter name after \"@\"", start,
         pos_ - start);
  }
  Token out = make(system ? TokenKind::SystemVariable : TokenKind::NamedParameter, start);
  out.value = std::move(t.value);
  out.quoted = t.quoted;
  return out;
}

VISIONDB_INLINE Token Lexer::lex_operator() {
  size_t start = pos_;
  char c = text_[pos_++];
  auto two = [&](char second) -> bool {
    if (peek() != second) return false;
    ++pos_;
    return true;
  };
  switch (c) {
    case '(': return make(TokenKind::LParen, start);
    case ')': return make(TokenKind::RParen, start);
    case '[': return make(TokenKind::LBracket, start);
    case ']': return make(TokenKind::RBracket, start);
    case ',': return make(TokenKind::Comma, start);
    case ';': return make(TokenKind::Semicolon, start);
    case '.': return make(TokenKind::Dot, start);
    case '*': return make(TokenKind::Star, start);
    case '+': return make(TokenKind::Plus, start);
    case '-': return make(TokenKind::Minus, start);
    case '/': return make(TokenKind::Slash, start);
    case '&': return make(TokenKind::Ampersand, start);
    case '^': return make(TokenKind::Caret, start);
    case '~': return make(TokenKind::Tilde, start);
    case '?': return make(TokenKind::PositionalParameter, start);
    case '|':
      if (two('|')) return make(TokenKind::Concat, start);
      return make(TokenKind::Pipe, start);
    case '=':
      if (two('>')) return make(TokenKind::Arrow, start);
      return make(TokenKind::Equal, start);
    case '!':
      if (two('=')) return make(TokenKind::NotEqual, start);
      break;
    case '<':
      if (two('=')) return make(TokenKind::LessEqual, start);
      if (two('>')) return make(TokenKind::NotEqual, start);
      if (two('<')) return make(TokenKind::ShiftLeft, start);
      return make(TokenKind::Less, start);
    case '>':
      if (two('=')) return make(TokenKind::GreaterEqual, start);
      if (two('>')) return make(TokenKind::ShiftRight, start);
      return make(TokenKind::Greater, start);
    default: break;
  }
  // One UTF-8 sequence at most, so that the message shows a whole character where it can.
  size_t length = 1;
  auto u = static_cast<unsigned char>(c);
  if (u >= 0xC0) {
    size_t want = u >= 0xF0 ? 4 : u >= 0xE0 ? 3 : 2;
    while (length < want && start + length < text_.size() &&
           (static_cast<unsigned char>(text_[start + length]) & 0xC0) == 0x80)
      ++length;
  }
  std::string shown = u >= 0x80 && length > 1 ? std::string(text_.substr(start, length)) : detail::printable_char(c);
  fail("unexpected character \"" + shown + "\"", start, length);
}

VISIONDB_INLINE std::vector<Token> tokenize(std::string_view text) {
  Lexer lexer(text);
  std::vector<Token> tokens;
  tokens.reserve(std::min<size_t>(text.size() / 6 + 2, size_t{1} << 16));  // about one token per 6 bytes
  for (;;) {
    tokens.push_back(lexer.next());
    if (tokens.back().kind == TokenKind::EndOfInput) return tokens;
  }
}

VISIONDB_INLINE bool is_complete_statement(std::string_view buffer) noexcept {
  try {
    Lexer lexer(buffer);
    TokenKind last = TokenKind::EndOfInput;
    for (;;) {
      Token t = lexer.next();
      if (t.kind == TokenKind::EndOfInput) break;
      last = t.kind;
    }
    return last == TokenKind::Semicolon;
  } catch (const SqlError& e) {
    // Still inside a literal or comment that runs to the end: wait for more input.
    size_t end = buffer.find_last_not_of(" \t\r\n\f\v");
    if (end == std::string_view::npos) return false;
    if (static_cast<size_t>(e.span().offset) + e.span().length >= end + 1) return false;
    return buffer[end] == ';';
  } catch (...) {
    return false;
  }
}

}  // namespace visiondb::sql
