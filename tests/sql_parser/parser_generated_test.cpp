// Grammar-based generation: random expression trees written fully parenthesised must parse to the
// same tree, and the printer's minimal-parenthesis form must parse back to it too. This checks the
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
  for (int i = 0; i < 4000; ++i) {
    std::string text = gen.expr(6).text;
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
  EXPECT_EQ(checked, 4000);
}
