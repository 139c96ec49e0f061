#!/usr/bin/env python3
"""Checks the function list of the BigQuery-dialect issue against the code, docs and tests
(the same check runs in CI as tests/dialect/coverage_test.cpp).

For every function the issue names: it must be callable (a registered name in
include/visiondb/functions, or a construct the parser/binder handles: window functions, EXTRACT,
ARRAY(subquery), ...), documented in docs/sql.md with an example (its name in a table row or code
block), and used by at least one test (tests/sql/**/*.test or tests/**/*_test.cpp).
Exit status 1 and a list when something is missing.   Usage: tools/check_dialect_coverage.py
"""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent

# The issue's lists (items 1-4, 6, 7), as written there.
ISSUE_FUNCTIONS = """
ARRAY_LENGTH ARRAY_AGG ARRAY_CONCAT ARRAY_TO_STRING ARRAY_REVERSE GENERATE_ARRAY ARRAY UNNEST OFFSET ORDINAL
SAFE_OFFSET SAFE_ORDINAL
SPLIT CONCAT LENGTH CHAR_LENGTH BYTE_LENGTH LOWER UPPER INITCAP SUBSTR STRPOS INSTR LEFT RIGHT STARTS_WITH
ENDS_WITH CONTAINS_SUBSTR REPLACE TRIM LTRIM RTRIM LPAD RPAD REPEAT REVERSE FORMAT TO_HEX FROM_BASE64 TO_BASE64
REGEXP_CONTAINS REGEXP_EXTRACT REGEXP_EXTRACT_ALL REGEXP_REPLACE REGEXP_INSTR
ABS SIGN ROUND TRUNC CEIL FLOOR SQRT POW EXP LN LOG LOG10 MOD DIV SAFE_DIVIDE IEEE_DIVIDE GREATEST LEAST RAND
IS_NAN IS_INF COUNTIF LOGICAL_AND LOGICAL_OR STDDEV STDDEV_SAMP STDDEV_POP VARIANCE VAR_SAMP VAR_POP CORR
APPROX_COUNT_DISTINCT APPROX_QUANTILES CURRENT_TIMESTAMP EXTRACT TIMESTAMP_DIFF TIMESTAMP_ADD TIMESTAMP_SUB
FORMAT_TIMESTAMP DATE
ROW_NUMBER RANK DENSE_RANK PERCENT_RANK CUME_DIST NTILE LAG LEAD FIRST_VALUE LAST_VALUE NTH_VALUE
""".split()

# Names handled by the parser or binder rather than the registry.
SYNTAX = {"ARRAY", "UNNEST", "OFFSET", "ORDINAL", "SAFE_OFFSET", "SAFE_ORDINAL", "EXTRACT", "SAFE_DIVIDE",
          "ROW_NUMBER", "RANK", "DENSE_RANK", "PERCENT_RANK", "CUME_DIST", "NTILE", "LAG", "LEAD",
          "FIRST_VALUE", "LAST_VALUE", "NTH_VALUE", "ARRAY_AGG", "CURRENT_TIMESTAMP", "DATE"}


def read(path):
    return path.read_text(encoding="utf-8", errors="replace")


def main():
    source = "\n".join(read(p) for p in (ROOT / "include").rglob("*.hpp"))
    registered = {m.upper() for m in re.findall(r'name\s*=\s*"([a-z_][a-z0-9_.]*)"', source)}
    registered |= {m.upper() for m in re.findall(r'add_(?:scalar|aggregate)\("([a-z_][a-z0-9_.]*)"', source)}
    doc = read(ROOT / "docs" / "sql.md")
    doc_example_lines = [l for l in doc.splitlines() if l.startswith("|") or l.startswith("SELECT") or "(" in l]
    tests = "\n".join(read(p) for p in (ROOT / "tests").rglob("*.test")) + "\n".join(
        read(p) for p in (ROOT / "tests").rglob("*_test.cpp"))
    problems = []
    for f in ISSUE_FUNCTIONS:
        word = re.compile(r"(?<![A-Za-z0-9_])" + re.escape(f) + r"\s*\(", re.IGNORECASE)
        if f not in SYNTAX and f not in registered and not re.search(r"\b" + f + r"\b", source, re.IGNORECASE):
            problems.append(f"{f}: not registered")
        if not any(word.search(l) for l in doc_example_lines):
            problems.append(f"{f}: no example call in docs/sql.md")
        if not word.search(tests):
            problems.append(f"{f}: not called by any test")
    for p in problems:
        print(p)
    print(f"{len(ISSUE_FUNCTIONS)} functions checked, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
