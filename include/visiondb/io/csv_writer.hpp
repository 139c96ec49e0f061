// CSV export (EXPORT DATA ... format='CSV'): RFC 4180 quoting, a header row, NULL as an empty
// field, BigQuery's text forms (TIMESTAMP "2024-05-01 12:00:00 UTC", BYTES in base64), and no
// ARRAY or STRUCT columns (BigQuery refuses them for CSV). The file appears complete or not at
// all: it is written to a temporary file beside the target and renamed.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "visiondb/common/error.hpp"
#include "visiondb/io/csv_options.hpp"
#include "visiondb/storage/chunk.hpp"
#include "visiondb/storage/types.hpp"

namespace visiondb::io {

/// Appends `text` as one CSV field: quoted (quotes doubled) when it holds the delimiter, a quote,
/// a line break, or is empty (so that an empty string and NULL stay apart).
void append_csv_text(std::string& out, std::string_view text, char delimiter = ',');

/// Appends the value at `row` of `column` as one CSV field; NULL appends nothing.
/// The column must not be nested (see check_csv_types).
void append_csv_value(std::string& out, const Column& column, size_t row, char delimiter = ',');

/// Throws InvalidArgument naming the first column whose type CSV cannot hold (ARRAY, STRUCT,
/// OBJECT values).
void check_csv_types(const std::vector<std::string>& names, const std::vector<LogicalType>& types);

/// The file an EXPORT DATA uri writes: "file://" removed, and BigQuery's single '*' wildcard
/// replaced by the shard number 000000000000 (visiondb writes one file).
std::string export_path_of(std::string_view uri);

/// Writes the rows as CSV to `path`; returns the number of rows written. Throws IoError when the
/// file exists and options.overwrite is false, or when writing fails (nothing is left behind).
size_t write_csv(const std::string& path, const std::vector<std::string>& names, const std::vector<LogicalType>& types,
                 const std::vector<std::shared_ptr<const Chunk>>& chunks, const CsvWriteOptions& options = {});

}  // namespace visiondb::io

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/io/detail/csv_writer_impl.hpp"
#endif
