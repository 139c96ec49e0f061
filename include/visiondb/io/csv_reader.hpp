// CSV import: RFC 4180 files (quoted fields, doubled quotes, newlines inside quotes, CRLF) read in
// parallel into 2048-row chunks, with BigQuery's options (csv_options.hpp), type inference or an
// explicit schema, and bad rows counted against max_bad_records. A bad row that fails the load
// is an IoError naming the file, the line and the column:
//   "data.csv": line 7, column 3 (price): cannot parse 'abc' as FLOAT64
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "visiondb/common/error.hpp"
#include "visiondb/io/csv_options.hpp"
#include "visiondb/storage/table.hpp"

namespace visiondb::io {

/// The rows read from one or more CSV files.
struct CsvData {
  /// Column names (from the header row, or BigQuery's "int64_field_0" style) and types.
  Schema schema;
  /// The rows, in file order, in chunks of at most 2048 rows.
  std::shared_ptr<const TableData> data;
  /// Rows skipped as bad (at most options.max_bad_records).
  size_t bad_records = 0;
  /// The files read, after glob expansion.
  std::vector<std::string> files;
};

/// Reads every file the URIs name (globs with *, ** and ?; see glob.hpp), in order; the files must
/// have the same columns. Parses in parallel on the calling task arena's workers. Throws IoError
/// for a missing file or a bad row past max_bad_records, InvalidArgument for bad options.
CsvData read_csv(const std::vector<std::string>& uris, const CsvReadOptions& options = {});

/// Reads one file (no glob expansion).
CsvData read_csv_file(const std::string& path, const CsvReadOptions& options = {});

/// The schema read_csv would infer, from the header and the first options.sample_rows rows of
/// each file only (fast; a later value may need a wider type than the sample shows). With an
/// explicit options.schema, returns it.
Schema infer_csv_schema(const std::vector<std::string>& uris, const CsvReadOptions& options = {});

}  // namespace visiondb::io

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/io/detail/csv_reader_impl.hpp"
#endif
