// Grammar-based generation: random expression trees written fully parenthesised must parse to the
// same tree, and the printer's minimal-parenthesis form must parse back to it too; random queries
// and statements written in canonical form must print back unchanged. This checks the grammar, the
// precedence table and the printer against each other on thousands of shapes.
#include <gtest/gtest.h>

#include <cstdio>
#include <random>
#include <string>

#include "visiondb/sql/ast_printer.hpp"
#include "visiondb/sql/parser.hpp"

using namespace visiondb::sql;

namespace {

constexpr uint32_t kSeed = 777;

// A generated expression: its text (fully parenthesised, as PrintOptions::fully_parenthesized
// prints it) and whether it is an operator form (then it gets parentheses as an operand).
struct Gen {
  std::string text;
  bool is_operator = false;
  bool is_unary = false;  // a prefix - or ~: another prefix operator takes it without parentheses
};

class ExprGenerator {
 public:
  explicit ExprGenerator(uint32_t seed) : rng_(seed) {}

  Gen expr(int depth) {
    if (depth <= 0 || pick(5) == 0) return leaf();
    switch (pick(11)) {
      case 0: case 1: case 2: {
        static const char* kOps[] = {"+", "-", "*", "/", "||", "&", "|", "^", "<<", ">>", "=", "!=", "<",
                                     "<=", ">", ">=", "AND", "OR", "IS DISTINCT FROM"};
        const char* op = kOps[pick(sizeof kOps / sizeof kOps[0])];
        return {operand(expr(depth - 1)) + " " + op + " " + operand(expr(depth - 1)), true};
      }
      case 3: return {"NOT " + operand(expr(depth - 1)), true};
      case 4: {
        // -(7) stays a unary minus (-7 would be a literal); ~7 needs no parentheses.
        bool minus = pick(2) == 0;
        Gen x = expr(depth - 1);
        std::string op = minus ? "-" : "~";
        if (minus && is_number(x.text)) return {op + "(" + x.text + ")", true, true};
        if (x.is_unary) return {op + " " + x.text, true, true};  // "- -x": no parentheses
        return {op + (x.is_operator ? "(" + x.text + ")" : x.text), true, true};
      }
      case 5:
        return {operand(expr(depth - 1)) + (pick(2) ? " IS NOT NULL" : " IS TRUE"), true};
      case 6:
        return {operand(expr(depth - 1)) + (pick(2) ? " NOT BETWEEN " : " BETWEEN ") + operand(expr(depth - 1)) +
                    " AND " + operand(expr(depth - 1)),
                true};
      case 7:
        if (pick(2)) return {operand(expr(depth - 1)) + " LIKE " + operand(expr(depth - 1)), true};
        return {operand(expr(depth - 1)) + " NOT IN (" + expr(depth - 1).text + ", " + expr(depth - 1).text + ")",
                true};
      case 8: return {"f(" + expr(depth - 1).text + ", " + expr(depth - 1).text + ")", false};
      case 9: return {operand(expr(depth - 1)) + "[OFFSET(" + expr(depth - 1).text + ")]", false};
      default:
        return {"CASE WHEN " + expr(depth - 1).text + " THEN " + expr(depth - 1).text + " ELSE " +
                    expr(depth - 1).text + " END",
                false};
    }
  }

 private:
  Gen leaf() {
    static const char* kLeaves[] = {"c1", "t.c2", "7", "2.5", "'s'", "NULL", "TRUE", "@p", "[1, 2]"};
    return {kLeaves[pick(sizeof kLeaves / sizeof kLeaves[0])], false};
  }
  static bool is_number(const std::string& s) { return s == "7" || s == "2.5"; }
  static std::string operand(const Gen& g) { return g.is_operator ? "(" + g.text + ")" : g.text; }
  size_t pick(size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng_); }

  std::mt19937 rng_;
};

}  // namespace

TEST(ParserGenerated, FullyParenthesisedTreesRoundTrip) {
  std::printf("ParserGenerated seed: %u\n", kSeed);
  ExprGenerator gen(kSeed);
  PrintOptions full;
  full.fully_parenthesized = true;
  int checked = 0;
  constexpr int kCases = 2500;
  for (int i = 0; i < kCases; ++i) {
    std::string text = gen.expr(5).text;
    ExprPtr parsed;
    try {
      parsed = parse_expression(text);
    } catch (const visiondb::SqlError& e) {
      // Every operand is parenthesised, so BigQuery accepts all generated text: an error is a bug.
      ADD_FAILURE() << "does not parse: " << text << "\n" << e.what();
      continue;
    }
    std::string tree = to_sql(*parsed, full);
    if (tree != text) {
      size_t at = 0;
      while (at < tree.size() && at < text.size() && tree[at] == text[at]) ++at;
      ADD_FAILURE() << "seed " << kSeed << " case " << i << ": trees differ at " << at << ":\n  parsed:    ..."
                    << tree.substr(at > 60 ? at - 60 : 0, 120) << "\n  generated: ..."
                    << text.substr(at > 60 ? at - 60 : 0, 120);
    }
    std::string minimal = to_sql(*parsed);
    EXPECT_EQ(to_sql(*parse_expression(minimal), full), text) << "minimal form: " << minimal;
    ++checked;
  }
  EXPECT_EQ(checked, kCases);
}

namespace {

// Writes random queries and statements directly in the printer's canonical form.
class QueryGenerator {
 public:
  explicit QueryGenerator(uint32_t seed) : rng_(seed) {}

  std::string statement() {
    switch (pick(8)) {
      case 0: return "CREATE OR REPLACE TABLE ds.out AS " + query(3);
      case 1: return "INSERT INTO t (a, b) " + query(3);
      case 2: return "EXPLAIN " + query(3);
      case 3: return "CREATE TEMP FUNCTION f(x INT64) AS ((" + query(2) + "))";
      case 4: return "CREATE MODEL m OPTIONS(model_type = 'RANDOM_FOREST_CLASSIFIER', input_label_cols = ['label']) AS " +
                     query(2);
      default: return query(3);
    }
  }

  std::string query(int depth) {
    std::string out;
    if (depth > 0 && pick(5) == 0) out += "WITH w AS (" + query(depth - 1) + ") ";
    out += body(depth);
    if (pick(3) == 0) out += " ORDER BY " + expr(depth) + (pick(2) ? " DESC" : "") + (pick(3) ? "" : " NULLS LAST");
    if (pick(3) == 0) out += " LIMIT " + std::to_string(pick(100)) + (pick(2) ? " OFFSET 2" : "");
    return out;
  }

 private:
  std::string body(int depth) {
    if (depth <= 0 || pick(4) != 0) return select(depth);
    static const char* kOps[] = {" UNION ALL ", " UNION DISTINCT ", " INTERSECT DISTINCT ", " EXCEPT DISTINCT "};
    const char* op = kOps[pick(4)];
    std::string out = set_input(depth - 1);
    for (int n = 1 + static_cast<int>(pick(3)); n > 0; --n) out += op + set_input(depth - 1);
    return out;
  }
  std::string set_input(int depth) { return pick(2) ? select(depth) : "(" + query(depth) + ")"; }

  std::string select(int depth) {
    std::string out = "SELECT ";
    if (pick(6) == 0) out += "DISTINCT ";
    if (pick(10) == 0) out += "AS STRUCT ";
    for (int n = 1 + static_cast<int>(pick(3)), i = 0; i < n; ++i) out += (i ? ", " : "") + select_item(depth);
    if (pick(5) != 0) out += " FROM " + from_item(depth);
    if (pick(2)) out += " WHERE " + expr(depth);
    if (pick(4) == 0) out += " GROUP BY " + expr(depth) + (pick(2) ? ", 2" : "");
    if (pick(6) == 0) out += " HAVING COUNT(*) > 1";
    if (pick(8) == 0) out += " QUALIFY ROW_NUMBER() OVER w1 = 1 WINDOW w1 AS (PARTITION BY c1 ORDER BY c2 DESC)";
    return out;
  }

  std::string select_item(int depth) {
    switch (pick(7)) {
      case 0: return "*";
      case 1: return "t.*";
      case 2: return "* EXCEPT (a, b)";
      case 3: return "s.* REPLACE (1 AS b)";
      case 4: return expr(depth) + " AS " + alias();
      default: return expr(depth);
    }
  }

  std::string from_item(int depth) {
    std::string out = table_primary(depth);
    for (int n = static_cast<int>(pick(3)); n > 0; --n) {
      switch (pick(5)) {
        case 0: out += ", " + table_primary(depth); break;
        case 1: out += " CROSS JOIN " + table_primary(depth); break;
        case 2: out += " LEFT JOIN " + table_primary(depth) + " USING (k)"; break;
        case 3: out += " JOIN (a JOIN b ON a.k = b.k) ON t.k = a.k"; break;
        default: out += " JOIN " + table_primary(depth) + " ON " + expr(depth); break;
      }
    }
    return out;
  }

  std::string table_primary(int depth) {
    switch (depth > 0 ? pick(6) : pick(3)) {
      case 0: return "t";
      case 1: return "`abis-345004`.yoga_set.yoga_health AS h";
      case 2: return "UNNEST(t.scores) AS score WITH OFFSET AS i";
      case 3: return "(" + query(depth - 1) + ") AS sq";
      case 4: return "ML.PREDICT(MODEL ds.m, (" + query(depth - 1) + "))";
      default: return "VECTOR_SEARCH(TABLE emb, 'e', (" + query(depth - 1) + "), top_k => 5)";
    }
  }

  std::string expr(int depth) {
    static const char* kLeaves[] = {
        "c1", "t.c2", "7", "'s'", "c1 + 1", "f(c1, 2)", "COUNT(*)", "c1 IN (1, 2)", "arr[OFFSET(0)]", "(s).a",
        "CAST(c1 AS STRING)", "SUM(c1) OVER (PARTITION BY c2 ORDER BY c1 DESC)", "c1 IS NOT NULL AND c2 < 3",
        "SPLIT(uri, '/')[OFFSET(ARRAY_LENGTH(SPLIT(uri, '/')) - 1)]", "ML.DECODE_IMAGE(data)", "x IN UNNEST(arr)",
        "CASE WHEN c1 THEN 1 ELSE 2 END", "STRUCT(1 AS a, 'x' AS b)", "[1, 2]", "-c1 * 2", "NOT c1 = 2",
    };
    if (depth <= 0 || pick(3) != 0) return kLeaves[pick(sizeof kLeaves / sizeof kLeaves[0])];
    switch (pick(4)) {
      case 0: return "(" + query(depth - 1) + ")";
      case 1: return "EXISTS(" + query(depth - 1) + ")";
      case 2: return "ARRAY(" + query(depth - 1) + ")";
      default: return "c1 NOT IN (" + query(depth - 1) + ")";
    }
  }

  std::string alias() {
    static const char* kAliases[] = {"x", "img", "label_i", "`select`", "`two words`"};
    return kAliases[pick(5)];
  }
  size_t pick(size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng_); }

  std::mt19937 rng_;
};

}  // namespace

TEST(ParserGenerated, CanonicalStatementsPrintUnchanged) {
  std::printf("ParserGenerated query seed: %u\n", kSeed + 1);
  QueryGenerator gen(kSeed + 1);
  for (int i = 0; i < 800; ++i) {
    std::string sql = gen.statement();
    std::string printed;
    try {
      printed = to_sql(*parse_statement(sql));
    } catch (const visiondb::SqlError& e) {
      ADD_FAILURE() << "case " << i << " does not parse: " << sql << "\n" << e.what();
      continue;
    }
    EXPECT_EQ(printed, sql) << "case " << i;
  }
}
