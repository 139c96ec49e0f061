// The tokens of visiondb's SQL dialect (BigQuery Standard SQL): kinds, reserved keywords and the
// Token record the lexer produces. Non-reserved words (TABLE, MODEL, OFFSET, DATE, ...) are
// identifiers that the parser recognises by context, as BigQuery does.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "visiondb/common/error.hpp"

namespace visiondb::sql {

/// What a token is; operators are named after their spelling.
enum class TokenKind : uint8_t {
  EndOfInput,
  Identifier,           ///< unquoted word that is not reserved, or a `backtick-quoted` name
  Keyword,              ///< a reserved keyword (see Keyword)
  IntegerLiteral,       ///< 42, 0x2A (value holds the text as written)
  FloatLiteral,         ///< 1.5, 1., .5, 1e-3 (value holds the text as written)
  StringLiteral,        ///< '...', "...", '''...''', """...""", r'...' (value holds the decoded string)
  BytesLiteral,         ///< b'...', rb'...', br'...' (value holds the decoded bytes)
  NamedParameter,       ///< @name (value holds name)
  SystemVariable,       ///< @@name (value holds name)
  PositionalParameter,  ///< ?
  LParen,               ///< (
  RParen,               ///< )
  LBracket,             ///< [
  RBracket,             ///< ]
  Comma,                ///< ,
  Semicolon,            ///< ;
  Dot,                  ///< .
  Star,                 ///< *
  Plus,                 ///< +
  Minus,                ///< -
  Slash,                ///< /
  Concat,               ///< ||
  Equal,                ///< =
  NotEqual,             ///< != or <>
  Less,                 ///< <
  LessEqual,            ///< <=
  Greater,              ///< >
  GreaterEqual,         ///< >=
  ShiftLeft,            ///< <<
  ShiftRight,           ///< >>
  Ampersand,            ///< &
  Pipe,                 ///< |
  Caret,                ///< ^
  Tilde,                ///< ~
  Arrow,                ///< => (named function arguments)
};

/// BigQuery's reserved keywords: they need backticks to be used as names.
enum class Keyword : uint8_t {
  None,
  All, And, Any, Array, As, Asc, AssertRowsModified, At, Between, By, Case, Cast, Collate, Contains,
  Create, Cross, Cube, Current, Default, Define, Desc, Distinct, Else, End, Enum, Escape, Except,
  Exclude, Exists, Extract, False, Fetch, Following, For, From, Full, Group, Grouping, Groups, Hash,
  Having, If, Ignore, In, Inner, Intersect, Interval, Into, Is, Join, Lateral, Left, Like, Limit,
  Lookup, Merge, Natural, New, No, Not, Null, Nulls, Of, On, Or, Order, Outer, Over, Partition,
  Preceding, Proto, Qualify, Range, Recursive, Respect, Right, Rollup, Rows, Select, Set, Some, Struct,
  Tablesample, Then, To, Treat, True, Unbounded, Union, Unnest, Using, When, Where, Window, With,
  Within,
  Count_  // number of enumerators, not a keyword
};

/// The upper-case spelling of a keyword, e.g. "SELECT"; "" for Keyword::None.
std::string_view keyword_name(Keyword keyword) noexcept;

/// The reserved keyword spelled by word (any case), or Keyword::None.
Keyword lookup_keyword(std::string_view word) noexcept;

/// A short description of a token kind for messages, e.g. "string literal", "\")\"".
std::string_view token_kind_name(TokenKind kind) noexcept;

/// One token with its place in the text.
struct Token {
  TokenKind kind = TokenKind::EndOfInput;
  Keyword keyword = Keyword::None;  ///< for TokenKind::Keyword
  bool quoted = false;              ///< a `backtick-quoted` identifier or parameter name
  SourceSpan span;                  ///< bytes of the text this token covers
  std::string value;                ///< decoded name, string or bytes value, or the literal's text

  bool is(TokenKind k) const noexcept { return kind == k; }
  bool is(Keyword k) const noexcept { return kind == TokenKind::Keyword && keyword == k; }
  /// An unquoted identifier spelled word, ignoring case (the parser's contextual keywords).
  bool is_word(std::string_view word) const noexcept;
};

/// ASCII case-insensitive equality.
bool iequals(std::string_view a, std::string_view b) noexcept;

}  // namespace visiondb::sql

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/sql/detail/token_impl.hpp"
#endif
