// Options of CSV import (LOAD DATA, CREATE EXTERNAL TABLE ... format='CSV') and export
// (EXPORT DATA ... format='CSV'), with BigQuery's option names and defaults, and the functions
// that set them from a statement's OPTIONS(name=value, ...).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "visiondb/common/error.hpp"
#include "visiondb/storage/table.hpp"
#include "visiondb/storage/value.hpp"

namespace visiondb::io {

/// How a CSV file is read. Defaults follow BigQuery's LOAD DATA, except allow_quoted_newlines
/// (true here: RFC 4180 allows newlines in quoted fields, and parsing them costs nothing extra).
struct CsvReadOptions {
  /// The field separator: one byte (BigQuery: field_delimiter; '\t' also as "\\t" or "tab").
  char field_delimiter = ',';
  /// The quote byte; no quoting at all when unset (BigQuery: quote='').
  std::optional<char> quote = '"';
  /// Rows skipped at the top of each file. Unset: the first row is taken as a header when it
  /// looks like one: every field a non-empty string while some column below (or, with a schema,
  /// some schema column) has another type that the field does not fit (BigQuery's rule).
  /// N > 0: rows 1..N-1 are skipped and row N names the columns (unless a schema is given; blank
  /// fields get default names). 0: no header.
  std::optional<int64_t> skip_leading_rows;
  /// The text that means NULL. With the default (empty), an empty unquoted field is NULL for
  /// every type and a quoted empty field "" is the empty string for STRING/BYTES. With a custom
  /// marker, an unquoted field equal to it is NULL, and an empty field is the empty string for
  /// STRING/BYTES and a bad value for other types (BigQuery's rule).
  std::string null_marker;
  /// Bad rows (wrong field count, malformed quoting, a value that does not convert to the
  /// explicit schema's type) skipped before the load fails; 0 = the first one fails it.
  int64_t max_bad_records = 0;
  /// Rows with fewer fields than columns: the missing trailing ones are NULL when true, else the
  /// row is bad.
  bool allow_jagged_rows = false;
  /// Rows with more fields than columns: extra fields are dropped when true, else the row is bad.
  bool ignore_unknown_values = false;
  /// Newlines inside quoted fields are data when true, else such a row is bad.
  bool allow_quoted_newlines = true;
  /// The column names and types; unset: inferred (BOOL, INT64, FLOAT64, DATE, TIMESTAMP, STRING)
  /// from a sample, widened while reading when a later value does not fit.
  std::optional<Schema> schema;
  /// Rows sampled for type inference at the head of the data (and again at a few places across
  /// the file).
  size_t sample_rows = 4096;
  /// Bytes per parallel work block; 0 picks it from the file size and the worker count (tests set
  /// it small to split small files into many blocks).
  size_t block_bytes = 0;
};

/// How a query result is written as CSV (EXPORT DATA ... format='CSV').
struct CsvWriteOptions {
  char field_delimiter = ',';
  /// Writes the column names as the first row (BigQuery's default).
  bool header = true;
  /// Replaces an existing file when true; otherwise an existing file is an error.
  bool overwrite = false;
};

/// Sets one CSV reading option from an OPTIONS(name=value) entry. Returns false when `name` is
/// not a CSV reading option (the caller handles format, uris, ...); throws InvalidArgument for a
/// value of the wrong type or range.
bool apply_csv_read_option(CsvReadOptions& options, std::string_view name, const Value& value);

/// Sets one CSV writing option (field_delimiter, header, overwrite, compression='NONE').
/// Returns false when `name` is not one; throws InvalidArgument for a bad value.
bool apply_csv_write_option(CsvWriteOptions& options, std::string_view name, const Value& value);

/// The strings of an ARRAY<STRING> option value such as uris=['a.csv', 'b/*.csv'], or of a single
/// STRING; throws InvalidArgument naming `option` otherwise.
std::vector<std::string> string_list_option(std::string_view option, const Value& value);

}  // namespace visiondb::io

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/io/detail/csv_options_impl.hpp"
#endif
