#include "visiondb/sql/lexer.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace visiondb;
using namespace visiondb::sql;

namespace {

std::vector<TokenKind> kinds(std::string_view sql) {
  std::vector<TokenKind> out;
  for (const Token& t : tokenize(sql)) out.push_back(t.kind);
  return out;
}

Token single(std::string_view sql) {
  std::vector<Token> tokens = tokenize(sql);
  EXPECT_EQ(tokens.size(), 2u) << sql;
  EXPECT_EQ(tokens.back().kind, TokenKind::EndOfInput);
  return tokens.front();
}

SqlError lex_error(std::string_view sql) {
  try {
    tokenize(sql);
  } catch (const SqlError& e) {
    return e;
  }
  ADD_FAILURE() << "expected a lexical error for: " << sql;
  return SqlError(ErrorKind::Internal, "");
}

}  // namespace

TEST(Keywords, TableIsSortedAndComplete) {
  for (int k = 1; k < static_cast<int>(Keyword::Count_); ++k) {
    auto kw = static_cast<Keyword>(k);
    ASSERT_FALSE(keyword_name(kw).empty()) << k;
    EXPECT_EQ(lookup_keyword(keyword_name(kw)), kw) << keyword_name(kw);
    if (k > 1) {
      EXPECT_LT(keyword_name(static_cast<Keyword>(k - 1)), keyword_name(kw));
    }
  }
  EXPECT_EQ(lookup_keyword("select"), Keyword::Select);
  EXPECT_EQ(lookup_keyword("SeLeCt"), Keyword::Select);
  EXPECT_EQ(lookup_keyword("table"), Keyword::None);  // non-reserved in BigQuery
  EXPECT_EQ(lookup_keyword("offset"), Keyword::None);
  EXPECT_EQ(lookup_keyword(""), Keyword::None);
  EXPECT_EQ(lookup_keyword("a_very_long_word_that_is_not_a_keyword"), Keyword::None);
}

TEST(Lexer, WordsKeywordsAndSpans) {
  std::vector<Token> t = tokenize("SELECT  my_col1 FROM\n t");
  ASSERT_EQ(t.size(), 5u);
  EXPECT_TRUE(t[0].is(Keyword::Select));
  EXPECT_EQ(t[1].kind, TokenKind::Identifier);
  EXPECT_EQ(t[1].value, "my_col1");
  EXPECT_EQ(t[1].span.offset, 8u);
  EXPECT_EQ(t[1].span.length, 7u);
  EXPECT_TRUE(t[2].is(Keyword::From));
  EXPECT_EQ(t[3].span.offset, 22u);
  EXPECT_EQ(t[4].kind, TokenKind::EndOfInput);
  EXPECT_EQ(t[4].span.offset, 23u);
  EXPECT_TRUE(single("Model").is_word("MODEL"));
  EXPECT_FALSE(single("`model`").is_word("MODEL"));  // quoted names are never contextual keywords
}

TEST(Lexer, BacktickNamesKeepDotsDashesAndEscapes) {
  Token t = single("`abis-345004.yoga_set.yoga_health`");
  EXPECT_EQ(t.kind, TokenKind::Identifier);
  EXPECT_TRUE(t.quoted);
  EXPECT_EQ(t.value, "abis-345004.yoga_set.yoga_health");
  EXPECT_EQ(t.span.length, 34u);
  EXPECT_EQ(single("`select`").kind, TokenKind::Identifier);
  EXPECT_EQ(single(R"(`a\`b`)").value, "a`b");
  EXPECT_EQ(single(R"(`tab\there`)").value, "tab\there");
}

TEST(Lexer, StringForms) {
  EXPECT_EQ(single("'abc'").value, "abc");
  EXPECT_EQ(single("\"abc\"").value, "abc");
  EXPECT_EQ(single("''").value, "");
}

TEST(Lexer, AdjacentQuotesAreTwoLiterals) {
  // BigQuery has no '' escape inside '...'; 'it''s' is 'it' followed by 's'.
  EXPECT_EQ(kinds("'it''s'"), (std::vector<TokenKind>{TokenKind::StringLiteral, TokenKind::StringLiteral,
                                                       TokenKind::EndOfInput}));
}

TEST(Lexer, TripleQuotedStrings) {
  EXPECT_EQ(single("'''a'b\"c\nd'''").value, "a'b\"c\nd");
  EXPECT_EQ(single("\"\"\"x\"\"y\"\"\"").value, "x\"\"y");
  EXPECT_EQ(single("''''''").value, "");
}

TEST(Lexer, EscapesFollowBigQuery) {
  EXPECT_EQ(single(R"('a\nb\tc\\d\'e\"f\`g\?h')").value, "a\nb\tc\\d'e\"f`g?h");
  EXPECT_EQ(single(R"('\a\b\f\r\v')").value, "\a\b\f\r\v");
  EXPECT_EQ(single(R"('\x41\X42')").value, "AB");
  EXPECT_EQ(single(R"('\101')").value, "A");
  EXPECT_EQ(single(R"('\u00e9')").value, "\xC3\xA9");
  EXPECT_EQ(single(R"('\U0001F600')").value, "\xF0\x9F\x98\x80");
  EXPECT_EQ(single("'caf\xC3\xA9'").value, "caf\xC3\xA9");
}

TEST(Lexer, RawStringsKeepBackslashes) {
  Token t = single(R"(r'a\d+\.jpg')");
  EXPECT_EQ(t.kind, TokenKind::StringLiteral);
  EXPECT_EQ(t.value, R"(a\d+\.jpg)");
  EXPECT_EQ(single(R"(R"\n")").value, R"(\n)");
  EXPECT_EQ(single(R"(r'\'')").value, R"(\')");  // an escaped quote does not end a raw string
  EXPECT_EQ(single("r'''a\\b'''").value, "a\\b");
}

TEST(Lexer, BytesLiterals) {
  Token t = single(R"(b'\x00\xff')");
  EXPECT_EQ(t.kind, TokenKind::BytesLiteral);
  EXPECT_EQ(t.value, std::string("\x00\xff", 2));
  EXPECT_EQ(single("B\"abc\"").kind, TokenKind::BytesLiteral);
  Token rb = single(R"(rb'\x00')");
  EXPECT_EQ(rb.kind, TokenKind::BytesLiteral);
  EXPECT_EQ(rb.value, R"(\x00)");
  EXPECT_EQ(single(R"(BR'\d')").value, R"(\d)");
  // A word that merely starts with r or b is an identifier.
  EXPECT_EQ(single("rb").kind, TokenKind::Identifier);
  EXPECT_EQ(single("bread").kind, TokenKind::Identifier);
}

TEST(Lexer, Numbers) {
  EXPECT_EQ(single("42").kind, TokenKind::IntegerLiteral);
  EXPECT_EQ(single("0x1F").kind, TokenKind::IntegerLiteral);
  EXPECT_EQ(single("0x1F").value, "0x1F");
  for (const char* f : {"1.", ".5", "1.5", "1e-3", "1E+10", "2.5e3", ".5e1"}) {
    Token t = single(f);
    EXPECT_EQ(t.kind, TokenKind::FloatLiteral) << f;
    EXPECT_EQ(t.value, f);
  }
  // "t.5" is not a thing, but a path followed by a number must still lex.
  EXPECT_EQ(kinds("a.b"), (std::vector<TokenKind>{TokenKind::Identifier, TokenKind::Dot, TokenKind::Identifier,
                                                   TokenKind::EndOfInput}));
}

TEST(Lexer, Parameters) {
  Token named = single("@min_score");
  EXPECT_EQ(named.kind, TokenKind::NamedParameter);
  EXPECT_EQ(named.value, "min_score");
  Token sys = single("@@threads");
  EXPECT_EQ(sys.kind, TokenKind::SystemVariable);
  EXPECT_EQ(sys.value, "threads");
  EXPECT_EQ(single("?").kind, TokenKind::PositionalParameter);
  Token quoted = single("@`select`");
  EXPECT_EQ(quoted.value, "select");
  EXPECT_TRUE(quoted.quoted);
}

TEST(Lexer, Operators) {
  EXPECT_EQ(kinds("|| <> != << >> & | ^ ~ <= >= < > = => + - * / ( ) [ ] , ; ."),
            (std::vector<TokenKind>{TokenKind::Concat, TokenKind::NotEqual, TokenKind::NotEqual, TokenKind::ShiftLeft,
                                    TokenKind::ShiftRight, TokenKind::Ampersand, TokenKind::Pipe, TokenKind::Caret,
                                    TokenKind::Tilde, TokenKind::LessEqual, TokenKind::GreaterEqual, TokenKind::Less,
                                    TokenKind::Greater, TokenKind::Equal, TokenKind::Arrow, TokenKind::Plus,
                                    TokenKind::Minus, TokenKind::Star, TokenKind::Slash, TokenKind::LParen,
                                    TokenKind::RParen, TokenKind::LBracket, TokenKind::RBracket, TokenKind::Comma,
                                    TokenKind::Semicolon, TokenKind::Dot, TokenKind::EndOfInput}));
}

TEST(Lexer, CommentsAreSkipped) {
  EXPECT_EQ(kinds("1 -- to the end\n+ # also\n2 /* block\n * comment */ - 3"),
            (std::vector<TokenKind>{TokenKind::IntegerLiteral, TokenKind::Plus, TokenKind::IntegerLiteral,
                                    TokenKind::Minus, TokenKind::IntegerLiteral, TokenKind::EndOfInput}));
  EXPECT_EQ(kinds("-- only a comment"), (std::vector<TokenKind>{TokenKind::EndOfInput}));
  EXPECT_EQ(kinds("SELECT\r\n\t1 -- crlf\r\n;\r\n"),
            (std::vector<TokenKind>{TokenKind::Keyword, TokenKind::IntegerLiteral, TokenKind::Semicolon,
                                    TokenKind::EndOfInput}));
  EXPECT_EQ(kinds("'--not a comment'"), (std::vector<TokenKind>{TokenKind::StringLiteral, TokenKind::EndOfInput}));
}

TEST(Lexer, ErrorsCarryTheirSpan) {
  SqlError e = lex_error("SELECT 'abc");
  EXPECT_EQ(e.message(), "unterminated string literal");
  EXPECT_EQ(e.span().offset, 7u);
  EXPECT_EQ(e.kind(), ErrorKind::Syntax);

  e = lex_error("SELECT 'abc\n'");
  EXPECT_EQ(e.message(), "unterminated string literal");
  EXPECT_EQ(e.span().offset, 7u);
  EXPECT_EQ(e.span().length, 4u);

  e = lex_error("SELECT '''abc");
  EXPECT_EQ(e.message(), "unterminated string literal");
  e = lex_error("SELECT b'abc");
  EXPECT_EQ(e.message(), "unterminated bytes literal");

  e = lex_error("SELECT 1 /* never closed");
  EXPECT_EQ(e.message(), "unterminated comment");
  EXPECT_EQ(e.span().offset, 9u);

  e = lex_error("SELECT `abc");
  EXPECT_EQ(e.message(), "unterminated quoted identifier");
  e = lex_error("SELECT ``");
  EXPECT_EQ(e.message(), "quoted identifier cannot be empty");

  e = lex_error(R"(SELECT 'a\qb')");
  EXPECT_EQ(e.message(), "invalid escape sequence \"\\q\"");
  EXPECT_EQ(e.span().offset, 9u);
  EXPECT_EQ(e.span().length, 2u);
  EXPECT_EQ(lex_error(R"('\x4')").message(), "invalid escape sequence \"\\x4'\"");
  EXPECT_EQ(lex_error(R"('\uD800')").message(), "invalid escape sequence \"\\uD800\"");
  EXPECT_EQ(lex_error(R"(b'\u0041')").message(), "invalid escape sequence \"\\u\"");
  EXPECT_EQ(lex_error(R"('\xff')").message(), "invalid escape sequence \"\\xff\"");  // STRING stays UTF-8

  e = lex_error("SELECT a ! b");
  EXPECT_EQ(e.message(), "unexpected character \"!\"");
  EXPECT_EQ(e.span().offset, 9u);
  EXPECT_EQ(lex_error("SELECT \xC3\xA9").message(), "unexpected character \"\xC3\xA9\"");
  EXPECT_EQ(lex_error(std::string("SELECT \x01", 8)).message(), "unexpected character \"\\x01\"");

  EXPECT_EQ(lex_error("SELECT 1e").message(), "invalid floating point literal");
  EXPECT_EQ(lex_error("SELECT 123abc").message(), "missing whitespace between literal and alias");
  EXPECT_EQ(lex_error("SELECT @ x").message(), "expected a parameter name after \"@\"");
  EXPECT_EQ(lex_error("SELECT @@").message(), "expected a system variable name after \"@@\"");
}

TEST(Lexer, ErrorRendersTheCaretLine) {
  SqlError e = lex_error("SELECT\n  'abc");
  e.attach_query("SELECT\n  'abc");
  EXPECT_EQ(std::string(e.what()),
            "Parser Error: unterminated string literal\n"
            "LINE 2:   'abc\n"
            "          ^~~~");
}

TEST(IsCompleteStatement, WaitsForTheSemicolon) {
  EXPECT_TRUE(is_complete_statement("SELECT 1;"));
  EXPECT_TRUE(is_complete_statement("SELECT 1;  \n"));
  EXPECT_TRUE(is_complete_statement("SELECT 1; -- done\n"));
  EXPECT_TRUE(is_complete_statement("SELECT 1; SELECT 2;"));
  EXPECT_TRUE(is_complete_statement("SELECT 1\r\n;\r\n"));
  EXPECT_TRUE(is_complete_statement("SELECT a\n  FROM t\n WHERE b = ';'\n;"));
  EXPECT_FALSE(is_complete_statement("SELECT 1"));
  EXPECT_FALSE(is_complete_statement("SELECT 1; SELECT 2"));
  EXPECT_FALSE(is_complete_statement(""));
  EXPECT_FALSE(is_complete_statement("   -- just a comment"));
  EXPECT_FALSE(is_complete_statement("SELECT 'a;"));
  EXPECT_FALSE(is_complete_statement("SELECT '''a;\nb;"));
  EXPECT_FALSE(is_complete_statement("SELECT 1 /* ;"));
  EXPECT_FALSE(is_complete_statement("SELECT 1 -- ;"));
  EXPECT_FALSE(is_complete_statement("SELECT `a;"));
  EXPECT_TRUE(is_complete_statement("SELECT '''a;\nb''';"));
  // An error that cannot be fixed by more input: run it, so that the user sees the message.
  EXPECT_TRUE(is_complete_statement("SELECT 'abc\n';"));
  EXPECT_TRUE(is_complete_statement("SELECT a ! b;"));
  EXPECT_FALSE(is_complete_statement("SELECT a ! b"));
}
