// Result printing for the REPL and for programs: a box-drawn table (like DuckDB's), CSV (RFC 4180,
// with a header, like `sqlite3 -csv -header`), JSON (one array of objects per result), JSON lines
// (one object per row) and Markdown. Nested values print as JSON in the JSON formats and in
// BigQuery's literal form ([1, 2], {a: 1}) elsewhere.
#pragma once

#include <iosfwd>
#include <string>
#include <string_view>

#include "visiondb/api/query_result.hpp"
#include "visiondb/common/error.hpp"

namespace visiondb {

enum class OutputFormat {
  Table,     ///< box drawing, names and types on top; long results show their head and tail
  Csv,       ///< header row, then one row per line; NULL is an empty field
  Json,      ///< one JSON array of objects per result: [{"a":1},{"a":2}]
  JsonLines, ///< one JSON object per row and line
  Markdown,  ///< a GitHub-flavoured Markdown table
};

/// "table" (or "box"), "csv", "json", "jsonl" (or "ndjson"), "markdown" (or "md"); throws
/// InvalidArgument for anything else.
OutputFormat parse_output_format(std::string_view name);
/// The name parse_output_format reads back.
std::string_view output_format_name(OutputFormat format) noexcept;

struct PrintOptions {
  OutputFormat format = OutputFormat::Table;
  /// CSV and Markdown: print the column names first.
  bool header = true;
  /// Table: the rows shown (the first and last halves) before the rest is elided; 0 shows all.
  size_t max_rows = 40;
  /// Table: values wider than this many characters are cut with "…".
  size_t max_column_width = 48;
};

/// Writes a result in the chosen format. A statement without rows (DDL, INSERT) prints its status
/// ("CREATE TABLE", "INSERT (3 rows)") in the table format and nothing in the others.
void print_result(std::ostream& out, const QueryResult& result, const PrintOptions& options = {});

/// The same, into a string.
std::string format_result(const QueryResult& result, const PrintOptions& options = {});

}  // namespace visiondb

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/api/detail/result_printer_impl.hpp"
#endif
