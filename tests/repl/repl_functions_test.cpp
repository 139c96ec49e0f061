// The REPL's .functions: the SQL functions of the session with their signatures and bodies, and
// with `all` the built-in functions.
#include <gtest/gtest.h>

#include "repl/repl_process.hpp"

using visiondb::testing::run_repl;

TEST(ReplFunctions, ListsSqlFunctions) {
  auto r = run_repl({"--format", "csv"},
                    "CREATE FUNCTION add_one(x INT64) AS (x + 1);\n"
                    "CREATE TEMP FUNCTION as_text(s ANY TYPE) RETURNS STRING AS (CAST(s AS STRING));\n"
                    ".functions\n"
                    "SELECT add_one(41) AS a, as_text(1.5) AS t;\n");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out,
            "FUNCTION add_one(x INT64) AS (x + 1)\n"
            "TEMP FUNCTION as_text(s ANY TYPE) RETURNS STRING AS (CAST(s AS STRING))\n"
            "a,t\n42,1.5\n");
}

TEST(ReplFunctions, AllAddsBuiltIns) {
  auto r = run_repl({"--format", "csv"}, ".functions all\n");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("array_length"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("array_agg (aggregate)"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("$offset"), std::string::npos) << r.out;
}
