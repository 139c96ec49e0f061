// Issue 3's function list against the registry, docs/sql.md and the tests: every function is
// callable (a registered name, or syntax the parser and binder handle), has an example call in
// docs/sql.md and is called by at least one test. tools/check_dialect_coverage.py is the same check
// as a script.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "visiondb/functions/registry.hpp"

namespace {

namespace fs = std::filesystem;

const char* const kIssueFunctions[] = {
    "ARRAY_LENGTH", "ARRAY_AGG", "ARRAY_CONCAT", "ARRAY_TO_STRING", "ARRAY_REVERSE", "GENERATE_ARRAY", "ARRAY", "UNNEST",
    "OFFSET", "ORDINAL", "SAFE_OFFSET", "SAFE_ORDINAL", "SPLIT", "CONCAT", "LENGTH", "CHAR_LENGTH", "BYTE_LENGTH", "LOWER",
    "UPPER", "INITCAP", "SUBSTR", "STRPOS", "INSTR", "LEFT", "RIGHT", "STARTS_WITH", "ENDS_WITH", "CONTAINS_SUBSTR",
    "REPLACE", "TRIM", "LTRIM", "RTRIM", "LPAD", "RPAD", "REPEAT", "REVERSE", "FORMAT", "TO_HEX", "FROM_BASE64",
    "TO_BASE64", "REGEXP_CONTAINS", "REGEXP_EXTRACT", "REGEXP_EXTRACT_ALL", "REGEXP_REPLACE", "REGEXP_INSTR", "ABS",
    "SIGN", "ROUND", "TRUNC", "CEIL", "FLOOR", "SQRT", "POW", "EXP", "LN", "LOG", "LOG10", "MOD", "DIV", "SAFE_DIVIDE",
    "IEEE_DIVIDE", "GREATEST", "LEAST", "RAND", "IS_NAN", "IS_INF", "COUNTIF", "LOGICAL_AND", "LOGICAL_OR", "STDDEV",
    "STDDEV_SAMP", "STDDEV_POP", "VARIANCE", "VAR_SAMP", "VAR_POP", "CORR", "APPROX_COUNT_DISTINCT", "APPROX_QUANTILES",
    "CURRENT_TIMESTAMP", "EXTRACT", "TIMESTAMP_DIFF", "TIMESTAMP_ADD", "TIMESTAMP_SUB", "FORMAT_TIMESTAMP", "DATE",
    "ROW_NUMBER", "RANK", "DENSE_RANK", "PERCENT_RANK", "CUME_DIST", "NTILE", "LAG", "LEAD", "FIRST_VALUE", "LAST_VALUE",
    "NTH_VALUE"};

// Handled by the parser or binder rather than the registry (CONCAT: the binder folds it into ||).
const std::set<std::string> kSyntax = {"CONCAT", "ARRAY",      "UNNEST",      "OFFSET",    "ORDINAL",     "SAFE_OFFSET",
                                       "SAFE_ORDINAL", "EXTRACT",   "SAFE_DIVIDE", "ROW_NUMBER", "RANK",
                                       "DENSE_RANK", "PERCENT_RANK", "CUME_DIST", "NTILE",       "LAG",
                                       "LEAD",       "FIRST_VALUE", "LAST_VALUE", "NTH_VALUE"};

std::string source_dir() {
  const char* env = std::getenv("VISIONDB_SOURCE_DIR");
  return env ? env : VISIONDB_SOURCE_DIR;
}

std::string upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

std::string read_upper(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return upper(ss.str());
}

// True when `text` calls `name(`: the name not preceded by a word character, then optional spaces and '('.
bool calls(const std::string& text, const std::string& name) {
  for (size_t at = text.find(name); at != std::string::npos; at = text.find(name, at + 1)) {
    if (at > 0 && (std::isalnum(static_cast<unsigned char>(text[at - 1])) || text[at - 1] == '_')) continue;
    size_t k = at + name.size();
    while (k < text.size() && text[k] == ' ') ++k;
    if (k < text.size() && text[k] == '(') return true;
  }
  return false;
}

TEST(DialectCoverage, EveryIssueFunctionIsCallableDocumentedAndTested) {
  auto registry = visiondb::fn::Registry::builtins();
  const std::string docs = read_upper(fs::path(source_dir()) / "docs" / "sql.md");
  ASSERT_FALSE(docs.empty());
  std::string tests;
  for (const auto& e : fs::recursive_directory_iterator(fs::path(source_dir()) / "tests")) {
    const std::string name = e.path().filename().string();
    if (e.is_regular_file() && (e.path().extension() == ".test" || name.ends_with("_test.cpp")) &&
        name != "coverage_test.cpp")
      tests += read_upper(e.path()) + "\n";
  }
  for (const char* f : kIssueFunctions) {
    const std::string name = f;
    if (!kSyntax.count(name))
      EXPECT_TRUE(registry->has_scalar(name) || registry->has_aggregate(name)) << name << " is not registered";
    EXPECT_TRUE(calls(docs, name)) << name << " has no example call in docs/sql.md";
    EXPECT_TRUE(calls(tests, name)) << name << " is not called by any test";
  }
}

}  // namespace
