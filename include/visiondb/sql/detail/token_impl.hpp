// Out-of-line parts of token.hpp: the keyword table.
#pragma once

#include <array>
#include <cstdint>

#include "visiondb/sql/detail/char_class.hpp"
#include "visiondb/sql/token.hpp"

namespace visiondb::sql {

namespace detail {
// Indexed by Keyword; sorted, so lookup_keyword can binary-search it.
inline constexpr std::array<std::string_view, static_cast<size_t>(Keyword::Count_)> kKeywordNames = {
    "",          "ALL",       "AND",       "ANY",       "ARRAY",     "AS",        "ASC",
    "ASSERT_ROWS_MODIFIED",   "AT",        "BETWEEN",   "BY",        "CASE",      "CAST",
    "COLLATE",   "CONTAINS",  "CREATE",    "CROSS",     "CUBE",      "CURRENT",   "DEFAULT",
    "DEFINE",    "DESC",      "DISTINCT",  "ELSE",      "END",       "ENUM",      "ESCAPE",
    "EXCEPT",    "EXCLUDE",   "EXISTS",    "EXTRACT",   "FALSE",     "FETCH",     "FOLLOWING",
    "FOR",       "FROM",      "FULL",      "GROUP",     "GROUPING",  "GROUPS",    "HASH",
    "HAVING",    "IF",        "IGNORE",    "IN",        "INNER",     "INTERSECT", "INTERVAL",
    "INTO",      "IS",        "JOIN",      "LATERAL",   "LEFT",      "LIKE",      "LIMIT",
    "LOOKUP",    "MERGE",     "NATURAL",   "NEW",       "NO",        "NOT",       "NULL",
    "NULLS",     "OF",        "ON",        "OR",        "ORDER",     "OUTER",     "OVER",
    "PARTITION", "PRECEDING", "PROTO",     "QUALIFY",   "RANGE",     "RECURSIVE", "RESPECT",
    "RIGHT",     "ROLLUP",    "ROWS",      "SELECT",    "SET",       "SOME",      "STRUCT",
    "TABLESAMPLE",            "THEN",      "TO",        "TREAT",     "TRUE",      "UNBOUNDED",
    "UNION",     "UNNEST",    "USING",     "WHEN",      "WHERE",     "WINDOW",    "WITH",
    "WITHIN",
};
// kKeywordLetterStart[c - 'A'] .. kKeywordLetterStart[c - 'A' + 1]: the keywords starting with c.
inline constexpr std::array<uint8_t, 27> kKeywordLetterStart = [] {
  std::array<uint8_t, 27> start{};
  size_t k = 1;
  for (int letter = 0; letter < 26; ++letter) {
    start[letter] = static_cast<uint8_t>(k);
    while (k < kKeywordNames.size() && kKeywordNames[k][0] == 'A' + letter) ++k;
  }
  start[26] = static_cast<uint8_t>(k);
  return start;
}();
static_assert(kKeywordLetterStart[26] == kKeywordNames.size(), "keyword table must be sorted by first letter");

}  // namespace detail

VISIONDB_INLINE bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (detail::ascii_upper(a[i]) != detail::ascii_upper(b[i])) return false;
  return true;
}

VISIONDB_INLINE std::string_view keyword_name(Keyword keyword) noexcept {
  auto i = static_cast<size_t>(keyword);
  return i < detail::kKeywordNames.size() ? detail::kKeywordNames[i] : std::string_view{};
}

VISIONDB_INLINE Keyword lookup_keyword(std::string_view word) noexcept {
  if (word.size() < 2 || word.size() > 20) return Keyword::None;
  char first = detail::ascii_upper(word[0]);
  if (first < 'A' || first > 'Z') return Keyword::None;
  // The table is sorted, so the keywords with one first letter are one range of it.
  int letter = first - 'A';
  for (size_t k = detail::kKeywordLetterStart[letter]; k < detail::kKeywordLetterStart[letter + 1]; ++k) {
    std::string_view name = detail::kKeywordNames[k];
    if (name.size() != word.size()) continue;
    size_t i = 1;
    while (i < name.size() && detail::ascii_upper(word[i]) == name[i]) ++i;
    if (i == name.size()) return static_cast<Keyword>(k);
  }
  return Keyword::None;
}

VISIONDB_INLINE std::string_view token_kind_name(TokenKind kind) noexcept {
  switch (kind) {
    case TokenKind::EndOfInput: return "end of input";
    case TokenKind::Identifier: return "identifier";
    case TokenKind::Keyword: return "keyword";
    case TokenKind::IntegerLiteral: return "integer literal";
    case TokenKind::FloatLiteral: return "floating point literal";
    case TokenKind::StringLiteral: return "string literal";
    case TokenKind::BytesLiteral: return "bytes literal";
    case TokenKind::NamedParameter: return "query parameter";
    case TokenKind::SystemVariable: return "system variable";
    case TokenKind::PositionalParameter: return "\"?\"";
    case TokenKind::LParen: return "\"(\"";
    case TokenKind::RParen: return "\")\"";
    case TokenKind::LBracket: return "\"[\"";
    case TokenKind::RBracket: return "\"]\"";
    case TokenKind::Comma: return "\",\"";
    case TokenKind::Semicolon: return "\";\"";
    case TokenKind::Dot: return "\".\"";
    case TokenKind::Star: return "\"*\"";
    case TokenKind::Plus: return "\"+\"";
    case TokenKind::Minus: return "\"-\"";
    case TokenKind::Slash: return "\"/\"";
    case TokenKind::Concat: return "\"||\"";
    case TokenKind::Equal: return "\"=\"";
    case TokenKind::NotEqual: return "\"!=\"";
    case TokenKind::Less: return "\"<\"";
    case TokenKind::LessEqual: return "\"<=\"";
    case TokenKind::Greater: return "\">\"";
    case TokenKind::GreaterEqual: return "\">=\"";
    case TokenKind::ShiftLeft: return "\"<<\"";
    case TokenKind::ShiftRight: return "\">>\"";
    case TokenKind::Ampersand: return "\"&\"";
    case TokenKind::Pipe: return "\"|\"";
    case TokenKind::Caret: return "\"^\"";
    case TokenKind::Tilde: return "\"~\"";
    case TokenKind::Arrow: return "\"=>\"";
  }
  return "token";
}

VISIONDB_INLINE bool Token::is_word(std::string_view word) const noexcept {
  return kind == TokenKind::Identifier && !quoted && iequals(value, word);
}

}  // namespace visiondb::sql
