// Robustness: random token sequences, every truncation and random byte edits of valid statements
// reach the parser; the only allowed failure is SqlError, and whatever parses round-trips.
#include <gtest/gtest.h>

#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "visiondb/sql/ast_printer.hpp"
#include "visiondb/sql/lexer.hpp"
#include "visiondb/sql/parser.hpp"

using namespace visiondb;
using namespace visiondb::sql;

namespace {

constexpr uint32_t kSeed = 20261121;

const std::vector<std::string>& valid_statements() {
  static const std::vector<std::string> statements = {
      "SELECT SPLIT(uri, \"/\")[OFFSET(ARRAY_LENGTH(SPLIT(uri, \"/\")) - 1)] AS img FROM ML.PREDICT(MODEL "
      "yoga_set.yoga_poses_resnet, (SELECT uri, ML.DECODE_IMAGE(data) AS input_1 FROM yoga_set.yoga_poses WHERE "
      "REGEXP_CONTAINS(uri, 'Downdog'))), UNNEST(activation_49) AS score WITH OFFSET i",
      "WITH p AS (SELECT uri, score, ROW_NUMBER() OVER (PARTITION BY uri ORDER BY score DESC) rn FROM t) SELECT * "
      "EXCEPT (rn) FROM p WHERE rn <= 3 ORDER BY uri, score DESC NULLS LAST LIMIT @n OFFSET ?",
      "CREATE OR REPLACE EXTERNAL TABLE `ds.imgs` WITH CONNECTION `us.c` OPTIONS(object_metadata = 'SIMPLE', "
      "uris = ['a/**/*.jpg', \"b/?.png\"])",
      "CREATE OR REPLACE MODEL m OPTIONS(model_type = 'RANDOM_FOREST_CLASSIFIER', input_label_cols = ['label']) AS "
      "SELECT * EXCEPT(uri) FROM emb",
      "CREATE TEMP FUNCTION f(x INT64, s STRING) RETURNS STRUCT<a INT64, b ARRAY<STRING>> AS (STRUCT(x AS a, [s] AS "
      "b))",
      "INSERT INTO t (a, b) VALUES (1, 'x'), (-2, NULL), (0x1F, b'\\x00')",
      "SELECT CASE WHEN a IS NOT NULL THEN CAST(a AS STRING FORMAT 'YYYY') ELSE '''x''' END, EXTRACT(HOUR FROM ts "
      "AT TIME ZONE 'UTC'), TIMESTAMP_ADD(ts, INTERVAL 1 HOUR), x NOT BETWEEN 1 AND 2, y NOT LIKE r'%\\d', z IN "
      "UNNEST(arr), ARRAY_AGG(DISTINCT q IGNORE NULLS ORDER BY q LIMIT 3) FROM t GROUP BY 1, 2 HAVING COUNT(*) > 1",
      "SELECT * FROM a LEFT OUTER JOIN b USING (k) FULL JOIN (c CROSS JOIN d) ON a.x = c.y, UNNEST(a.arr) WITH "
      "OFFSET AS o WHERE EXISTS (SELECT 1 FROM e WHERE e.k = a.k) QUALIFY SUM(x) OVER w > 0 WINDOW w AS (ORDER BY "
      "t ROWS BETWEEN 2 PRECEDING AND CURRENT ROW)",
      "(SELECT 1 UNION ALL SELECT 2) INTERSECT DISTINCT (SELECT 1) ORDER BY 1",
      "LOAD DATA INTO t (a STRING) FROM FILES(format = 'CSV', uris = ['x.csv'], skip_leading_rows = 1)",
      "EXPORT DATA OPTIONS(uri = 'o.csv', format = 'CSV', overwrite = true) AS SELECT * FROM t",
      "SELECT * FROM VECTOR_SEARCH(TABLE emb, 'e', (SELECT e FROM q), top_k => 5, distance_type => 'COSINE')",
      "UPDATE t SET a = a + 1, s.f = @v WHERE b IS DISTINCT FROM c; DELETE t WHERE TRUE; DROP TABLE IF EXISTS t",
      "SET @@threads = 2; DECLARE x INT64 DEFAULT 1; EXPLAIN ANALYZE SELECT -(-1), ~a & b | c ^ d << 2 >> 1",
      "SELECT STRUCT<a INT64>(1).a, (1, 'x'), ARRAY<FLOAT64>[1., .5, 1e-3], a[SAFE_ORDINAL(1)], f(x).g, (s).h, "
      "SAFE.SUBSTR(s, 1), IF(a, LEFT(s, 1), RIGHT(s, 1)), CURRENT_TIMESTAMP, DATE '2020-01-01' /* c */ -- end",
  };
  return statements;
}

// Fragments random statements are built from: keywords, names, literals, punctuation.
const std::vector<std::string>& vocabulary() {
  static const std::vector<std::string> words = {
      "SELECT", "FROM", "WHERE", "GROUP", "BY", "ORDER", "LIMIT", "OFFSET", "HAVING", "QUALIFY", "WINDOW", "WITH",
      "RECURSIVE", "AS", "DISTINCT", "ALL", "UNION", "INTERSECT", "EXCEPT", "JOIN", "LEFT", "RIGHT", "FULL", "CROSS",
      "INNER", "OUTER", "ON", "USING", "UNNEST", "CASE", "WHEN", "THEN", "ELSE", "END", "CAST", "SAFE_CAST",
      "EXTRACT", "INTERVAL", "ARRAY", "STRUCT", "EXISTS", "IN", "NOT", "AND", "OR", "IS", "NULL", "TRUE", "FALSE",
      "LIKE", "BETWEEN", "OVER", "PARTITION", "ROWS", "RANGE", "PRECEDING", "FOLLOWING", "UNBOUNDED", "CURRENT",
      "ROW", "IGNORE", "RESPECT", "NULLS", "FIRST", "LAST", "ASC", "DESC", "CREATE", "OR", "REPLACE", "TEMP",
      "TABLE", "EXTERNAL", "SCHEMA", "MODEL", "FUNCTION", "VIEW", "IF", "OPTIONS", "TRANSFORM", "RETURNS", "INSERT",
      "INTO", "VALUES", "DELETE", "UPDATE", "SET", "TRUNCATE", "DROP", "CASCADE", "LOAD", "DATA", "OVERWRITE",
      "FILES", "EXPORT", "EXPLAIN", "ANALYZE", "DECLARE", "DEFAULT", "CONNECTION", "FORMAT", "AT", "TIME", "ZONE",
      "TO", "ML.PREDICT", "SAFE.", "OFFSET(", "ORDINAL(", "SAFE_OFFSET(", "a", "b", "t", "x", "`q.r-s`", "f", "1",
      "0", "-1", "2.5", ".5", "1e3", "0xff", "'s'", "\"d\"", "'''t'''", "r'\\d'", "b'\\x00'", "@p", "@@v", "?",
      "INT64", "STRING", "FLOAT64", "DATE", "TIMESTAMP '2020-01-01'", "<", ">", ">>", "<=", ">=", "=", "!=", "<>",
      "+", "-", "*", "/", "||", "&", "|", "^", "~", "<<", "=>", "(", ")", "(", ")", "[", "]", ",", ",", ".", ";",
      "*", "--c\n", "/*c*/", "#c\n",
  };
  return words;
}

// Parses sql as a script; fails the test on any exception other than SqlError, and on a statement
// whose printed form does not parse back to the same text. Returns whether it parsed.
bool parses_cleanly(const std::string& sql) {
  (void)is_complete_statement(sql);
  try {
    split_statements(sql);
  } catch (const SqlError&) {
  } catch (const std::exception& e) {
    ADD_FAILURE() << "split_statements threw " << e.what() << " for: " << sql;
  }
  std::vector<ScriptStatement> script;
  try {
    script = parse_script(sql);
  } catch (const SqlError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Syntax) << sql;
    EXPECT_LE(e.span().offset, sql.size()) << sql;
    return false;
  } catch (const std::exception& e) {
    ADD_FAILURE() << "not a SqlError: " << e.what() << " for: " << sql;
    return false;
  }
  for (const ScriptStatement& s : script) {
    std::string printed = to_sql(*s.statement);
    try {
      EXPECT_EQ(to_sql(*parse_statement(printed)), printed) << "from: " << sql;
    } catch (const SqlError& e) {
      ADD_FAILURE() << "printed form does not parse: " << printed << "\n" << e.what() << "\nfrom: " << sql;
    }
  }
  return true;
}

}  // namespace

TEST(ParserFuzz, ValidStatementsParse) {
  for (const std::string& sql : valid_statements()) EXPECT_TRUE(parses_cleanly(sql)) << sql;
}

TEST(ParserFuzz, EveryTruncationFailsCleanly) {
  size_t parsed = 0, total = 0;
  for (const std::string& sql : valid_statements()) {
    for (size_t n = 0; n < sql.size(); ++n) {
      parsed += parses_cleanly(sql.substr(0, n));
      ++total;
    }
  }
  EXPECT_GT(total, 2000u);
  EXPECT_LT(parsed, total);
}

TEST(ParserFuzz, RandomTokenSequences) {
  std::printf("ParserFuzz seed: %u\n", kSeed);
  SCOPED_TRACE("seed " + std::to_string(kSeed));
  std::mt19937 rng(kSeed);
  const auto& words = vocabulary();
  std::uniform_int_distribution<size_t> pick(0, words.size() - 1);
  std::uniform_int_distribution<int> length(1, 40);
  size_t parsed = 0;
  constexpr int kCases = 6000;
  for (int i = 0; i < kCases; ++i) {
    std::string sql;
    // Half of the cases start like a statement, so that the parser gets past the first token.
    if (i % 2 == 0) sql = "SELECT ";
    for (int n = length(rng); n > 0; --n) {
      sql += words[pick(rng)];
      if (rng() % 4 != 0) sql += ' ';
    }
    parsed += parses_cleanly(sql);
  }
  std::printf("ParserFuzz: %zu of %d random sequences parsed\n", parsed, kCases);
}

TEST(ParserFuzz, RandomByteEditsOfValidStatements) {
  std::mt19937 rng(kSeed + 1);
  const char alphabet[] = "()[],.;'\"`@?*+-/<>=!|&^~#\\ \nabcSELECTFROM0123456789";
  for (const std::string& base : valid_statements()) {
    for (int i = 0; i < 300; ++i) {
      std::string sql = base;
      for (int edits = 1 + static_cast<int>(rng() % 3); edits > 0; --edits) {
        size_t at = rng() % (sql.size() + 1);
        char c = alphabet[rng() % (sizeof alphabet - 1)];
        switch (rng() % 3) {
          case 0: sql.insert(sql.begin() + static_cast<std::ptrdiff_t>(at), c); break;
          case 1: if (at < sql.size()) sql[at] = c; break;
          default: if (at < sql.size()) sql.erase(at, 1); break;
        }
      }
      parses_cleanly(sql);
    }
  }
}

TEST(ParserFuzz, ArbitraryBytes) {
  std::mt19937 rng(kSeed + 2);
  for (int i = 0; i < 2000; ++i) {
    std::string sql(rng() % 64, '\0');
    for (char& c : sql) c = static_cast<char>(rng() & 0xFF);
    parses_cleanly(sql);
  }
}
