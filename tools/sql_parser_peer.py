#!/usr/bin/env python3
"""Peer figures for bench/sql_parser_bench.cpp: SQLite (Python's sqlite3 module) on the same text.

- sqlite3.complete_statement(): SQLite's tokenizer-level scan (peer of tokenize / is_complete_statement);
- execute() with the statement cache off, on empty tables: SQLite's parse + name resolution + code
  generation + one step (an upper bound on its parse time; visiondb's parser builds only the AST).

Usage: python3 tools/sql_parser_peer.py   (prints CPU microseconds per call; compare with the
bench's CPU column, which stays meaningful on a loaded machine)
"""
import sqlite3
import time

PORTABLE = ("SELECT a, b, SUM(c) AS s, COUNT(*) AS n FROM t JOIN u ON t.k = u.k WHERE a > 1 AND b LIKE 'x%' "
            "AND c BETWEEN 1 AND 100 AND d IN (1, 2, 3) GROUP BY a, b HAVING SUM(c) > 10 ORDER BY a DESC, b LIMIT 10")


def per_call_us(fn, seconds=1.0):
    n, start = 0, time.process_time()
    while True:
        for _ in range(200):
            fn()
        n += 200
        elapsed = time.process_time() - start
        if elapsed >= seconds:
            return elapsed / n * 1e6


def main():
    conn = sqlite3.connect(":memory:", cached_statements=0)
    conn.execute("CREATE TABLE t (a INT, b TEXT, c INT, d INT, k INT)")
    conn.execute("CREATE TABLE u (k INT)")
    empty = per_call_us(lambda: None)
    print(f"python call overhead            {empty:8.3f} us")
    print(f"sqlite complete_statement        {per_call_us(lambda: sqlite3.complete_statement(PORTABLE + ';')):8.3f} us")
    print(f"sqlite prepare+step (no cache)   {per_call_us(lambda: conn.execute(PORTABLE).fetchall()):8.3f} us")
    print(f"sqlite version {sqlite3.sqlite_version}, query {len(PORTABLE)} bytes")


if __name__ == "__main__":
    main()
