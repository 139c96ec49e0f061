// Syntax errors: exact messages and positions, and the rendered caret line.
#include <gtest/gtest.h>

#include "sql_test_util.hpp"

using namespace visiondb;
using namespace visiondb::sql;
using visiondb::sql::testing::parse_error;

namespace {
struct ErrorCase {
  const char* sql;
  const char* message;
  uint32_t offset;
  uint32_t length;
};
}  // namespace

TEST(ParserError, MessagesAndSpans) {
  const ErrorCase cases[] = {
      {"SELECT * FORM t", "syntax error at or near \"FORM\": expected end of statement", 9, 4},
      {"SELECT a FORM t", "syntax error at or near \"FORM\": did you mean FROM?", 9, 4},
      {"SELECT a FROM t WEHRE a > 1", "syntax error at or near \"WEHRE\": did you mean WHERE?", 16, 5},
      {"SELECT a FROM t AS x LIMT 5", "syntax error at or near \"LIMT\": expected end of statement", 21, 4},
      {"SELECT a FROM t LIMT 5", "syntax error at or near \"LIMT\": did you mean LIMIT?", 16, 4},
      {"SELECT a FROM t WHERE", "syntax error at end of input: expected expression", 21, 0},
      {"SELECT 1 +", "syntax error at end of input: expected expression", 10, 0},
      {"SELECT (1 + 2", "syntax error at end of input: expected \")\"", 13, 0},
      {"SELECT f(1, ) FROM t", "syntax error at or near \")\": expected expression", 12, 1},
      {"SELEC 1", "syntax error at or near \"SELEC\": expected statement", 0, 5},
      {"SELECT a FROM", "syntax error at end of input: expected table name, subquery or UNNEST", 13, 0},
      {"SELECT a FROM t WHERE a = = 1", "syntax error at or near \"=\": expected expression", 26, 1},
      {"SELECT a = b = c", "syntax error at or near \"=\": comparison operators are not associative; add parentheses",
       13, 1},
      {"SELECT 1 UNION SELECT 2", "syntax error at or near \"SELECT\": expected ALL or DISTINCT after UNION", 15, 6},
      {"SELECT 1 INTERSECT ALL SELECT 2", "syntax error at or near \"ALL\": expected DISTINCT after INTERSECT", 19, 3},
      {"SELECT 1 UNION ALL SELECT 2 UNION DISTINCT SELECT 3",
       "syntax error at or near \"UNION\": different set operations cannot be combined without parentheses", 28, 5},
      {"SELECT * FROM a JOIN b WHERE x", "syntax error at or near \"WHERE\": expected ON or USING", 23, 5},
      {"SELECT CAST(x AS) FROM t", "syntax error at or near \")\": expected type name", 16, 1},
      {"SELECT ARRAY<INT64 [1]", "syntax error at or near \"[\": expected \">\"", 19, 1},
      {"SELECT CASE END", "syntax error at or near \"END\": expected expression", 12, 3},
      {"SELECT CASE x END", "syntax error at or near \"END\": expected WHEN", 14, 3},
      {"SELECT x IS 5", "syntax error at or near \"5\": expected NULL, TRUE, FALSE or DISTINCT FROM", 12, 1},
      {"SELECT x IN 5", "syntax error at or near \"5\": expected \"(\" or UNNEST after IN", 12, 1},
      {"SELECT a = NOT b", "syntax error at or near \"NOT\": expected an operand (put NOT ... in parentheses)", 11, 3},
      {"DELETE FROM t", "syntax error at end of input: expected WHERE", 13, 0},
      {"CREATE TABLE t", "syntax error at end of input: expected column list or AS query", 14, 0},
      {"CREATE GADGET g", "syntax error at or near \"GADGET\": expected TABLE, EXTERNAL TABLE, SCHEMA, MODEL, "
                          "FUNCTION or VIEW",
       7, 6},
      {"CREATE TEMP MODEL m", "syntax error at or near \"MODEL\": expected TABLE or FUNCTION after TEMP", 12, 5},
      {"CREATE OR REPLACE TABLE IF NOT EXISTS t (a INT64)",
       "syntax error at or near \"IF\": OR REPLACE and IF NOT EXISTS cannot be combined", 24, 2},
      {"LOAD DATA t FROM FILES()", "syntax error at or near \"t\": expected INTO or OVERWRITE", 10, 1},
      {"SELECT 99999999999999999999", "integer literal \"99999999999999999999\" is out of range for INT64", 7, 20},
      {"SELECT -9223372036854775809", "integer literal \"-9223372036854775809\" is out of range for INT64", 8, 19},
      {"SELECT 1e999", "floating point literal \"1e999\" is out of range", 7, 5},
      {"SELECT 'abc", "unterminated string literal", 7, 4},
      {"SELECT 1; SELEC 2", "syntax error at or near \"SELEC\": expected statement", 10, 5},
      {"SELECT 1 SELECT 2", "syntax error at or near \"SELECT\": expected end of statement", 9, 6},
      {"EXPLAIN EXPLAIN SELECT 1", "syntax error at or near \"EXPLAIN\": EXPLAIN cannot be nested", 8, 7},
      {"SELECT a[OFFSET(1] FROM t", "syntax error at or near \"]\": expected \")\"", 17, 1},
      {"SELECT AS THING 1", "syntax error at or near \"THING\": expected STRUCT or VALUE after SELECT AS", 10, 5},
      {"SELECT COUNT(*) OVER (ROWS 1) FROM t", "syntax error at or near \")\": expected PRECEDING or FOLLOWING", 28,
       1},
      {"SELECT INTERVAL 1 `day`", "syntax error at or near \"`day`\": expected date part", 18, 5},
      {"SELECT CAST(x AS `INT64`)", "syntax error at or near \"`INT64`\": expected type name", 17, 7},
      {"SELECT `a.`.b FROM t", "syntax error at or near \"`a.`\": empty name part in quoted path", 7, 4},
  };
  for (const ErrorCase& c : cases) {
    SCOPED_TRACE(c.sql);
    SqlError e = parse_error(c.sql);
    EXPECT_EQ(e.kind(), ErrorKind::Syntax);
    EXPECT_EQ(e.message(), c.message);
    EXPECT_EQ(e.span().offset, c.offset);
    EXPECT_EQ(e.span().length, c.length);
  }
}

TEST(ParserError, EmptyInput) {
  for (const char* sql : {"", "   ", "-- nothing\n"}) {
    try {
      parse_statement(sql);
      ADD_FAILURE() << "no error for: " << sql;
    } catch (const SqlError& e) {
      EXPECT_EQ(e.message(), "syntax error at end of input: expected statement");
    }
  }
  EXPECT_TRUE(parse_script("").empty());
  EXPECT_TRUE(parse_script(";;").empty());  // empty statements of a script are skipped
  EXPECT_THROW(parse_statement(";"), SqlError);
  EXPECT_THROW(parse_statement("SELECT 1;;"), SqlError);
}

TEST(ParserError, RendersLineAndCaret) {
  try {
    parse_statement("SELECT a,\n       b\n  FORM t");
    FAIL() << "no error";
  } catch (const SqlError& e) {
    EXPECT_EQ(std::string(e.what()),
              "Parser Error: syntax error at or near \"FORM\": did you mean FROM?\n"
              "LINE 3:   FORM t\n"
              "          ^~~~");
    EXPECT_EQ(e.position().line, 3u);
    EXPECT_EQ(e.position().column, 3u);
  }
  try {
    parse_statement("SELECT *\n  FORM t");
    FAIL() << "no error";
  } catch (const SqlError& e) {
    EXPECT_EQ(std::string(e.what()),
              "Parser Error: syntax error at or near \"FORM\": expected end of statement\n"
              "LINE 2:   FORM t\n"
              "          ^~~~");
  }
  try {
    parse_statement("SELECT 1 +\n");
    FAIL() << "no error";
  } catch (const SqlError& e) {
    // At the end of input the caret sits just after the last token.
    EXPECT_EQ(std::string(e.what()),
              "Parser Error: syntax error at end of input: expected expression\n"
              "LINE 1: SELECT 1 +\n"
              "                  ^");
  }
}

TEST(ParserError, LongTokensAreShortenedInMessages) {
  std::string name(100, 'x');
  SqlError e = parse_error("SELECT 1 " + name + " " + name);
  EXPECT_EQ(e.message(), "syntax error at or near \"" + std::string(40, 'x') + "...\": expected end of statement");
  EXPECT_EQ(parse_error("SELECT 1 '''a\nb'''").message(),
            "syntax error at or near \"'''a b'''\": expected end of statement");
}

TEST(ParserError, DeepNestingIsAnErrorNotACrash) {
  for (int depth : {2000, 100000}) {
    std::string sql = "SELECT " + std::string(depth, '(') + "1" + std::string(depth, ')');
    SqlError e = parse_error(sql);
    EXPECT_EQ(e.message().find("statement is nested too deeply"), e.message().find("statement"));
    EXPECT_NE(e.message().find("more than 1000 levels"), std::string::npos) << e.message();
  }
  // Other recursive forms hit the same limit.
  std::string unary = "SELECT ";
  for (int i = 0; i < 50000; ++i) unary += "- ";  // "--" would start a comment
  unary += "x";
  EXPECT_NE(parse_error(unary).message().find("nested too deeply"), std::string::npos);
  std::string nots = "SELECT ";
  for (int i = 0; i < 5000; ++i) nots += "NOT ";
  EXPECT_NE(parse_error(nots + "x").message().find("nested too deeply"), std::string::npos);
  std::string subqueries;
  for (int i = 0; i < 3000; ++i) subqueries += "SELECT * FROM (";
  subqueries += "SELECT 1" + std::string(3000, ')');
  EXPECT_NE(parse_error(subqueries).message().find("nested too deeply"), std::string::npos);
  std::string types = "SELECT CAST(x AS ";
  for (int i = 0; i < 3000; ++i) types += "ARRAY<";
  EXPECT_NE(parse_error(types).message().find("nested too deeply"), std::string::npos);
  std::string chain = "SELECT 1";
  for (int i = 0; i < 5000; ++i) chain += " + 1";
  EXPECT_NE(parse_error(chain).message().find("nested too deeply"), std::string::npos);
  std::string subscripts = "SELECT a";
  for (int i = 0; i < 5000; ++i) subscripts += "[0]";
  EXPECT_NE(parse_error(subscripts).message().find("nested too deeply"), std::string::npos);
  std::string unions = "SELECT 1";
  for (int i = 0; i < 5000; ++i) unions += " UNION ALL SELECT 1";
  EXPECT_NE(parse_error(unions).message().find("nested too deeply"), std::string::npos);
  std::string joins = "SELECT * FROM t0";
  for (int i = 0; i < 5000; ++i) joins += ", t";
  EXPECT_NE(parse_error(joins).message().find("nested too deeply"), std::string::npos);
}

TEST(ParserError, ReasonableNestingParses) {
  std::string sql = "SELECT " + std::string(300, '(') + "1" + std::string(300, ')');
  EXPECT_NO_THROW(parse_statement(sql));
  std::string chain = "SELECT 1";
  for (int i = 0; i < 500; ++i) chain += " + 1";
  EXPECT_NO_THROW(parse_statement(chain));
  ParserOptions tight;
  tight.max_depth = 10;
  EXPECT_THROW(parse_statement("SELECT ((((((((((1))))))))))", tight), SqlError);
}
