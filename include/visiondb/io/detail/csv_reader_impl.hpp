// Out-of-line parts of csv_reader.hpp: the parallel CSV parser.
//
// A file is mapped and read in three steps:
//  1. the head, serially: the UTF-8 BOM, skipped and header rows, and a sample for inference;
//  2. the body split into blocks of a few MB; in parallel, each block's quote count, whose prefix
//     parity tells whether the block starts inside quotes [Ge et al., "Speculative distributed CSV
//     parsing"; simdcsv];
//  3. in parallel, each block parses the rows that start in it (running past its end to finish
//     the last one): a 64-byte-at-a-time tokenizer records field boundaries for 2048 rows, then
//     each column is converted into a typed Column, giving one Chunk.
// Inferred types widen when a value does not fit (INT64 -> FLOAT64 -> STRING, ...); the body is
// then parsed again with the wider types, so the result is what a full pre-scan would give.
#pragma once

#include <algorithm>
#include <bit>
#include <cstring>
#include <limits>

#include "visiondb/common/error.hpp"
#include "visiondb/common/parallel.hpp"
#include "visiondb/config.hpp"
#include "visiondb/io/csv_reader.hpp"
#include "visiondb/io/detail/csv_block_parser.hpp"
#include "visiondb/io/detail/csv_scan.hpp"
#include "visiondb/io/detail/csv_text.hpp"
#include "visiondb/io/detail/csv_tokenizer.hpp"
#include "visiondb/io/detail/mapped_file.hpp"
#include "visiondb/io/glob.hpp"
#include "visiondb/storage/chunk.hpp"

namespace visiondb::io {

namespace detail {

// ---- steps 1 and 2: the head of a file, and its blocks ---------------------------------------

/// What the serial look at a file's head found.
struct FileHead {
  size_t data_begin = 0;             // the first data row
  bool has_header = false;
  std::vector<std::string> header;   // the header row's fields
  size_t first_row_fields = 0;       // fields of the first data row (0: no data row)
  std::vector<TypeId> sample_types;  // per field position: the join of the sampled values
};

inline size_t skip_bom(const char* d, size_t size) noexcept {
  return size >= 3 && static_cast<unsigned char>(d[0]) == 0xEF && static_cast<unsigned char>(d[1]) == 0xBB &&
                 static_cast<unsigned char>(d[2]) == 0xBF
             ? 3
             : 0;
}

// The values of a row as text, for the head: false for a field with malformed quoting.
inline void decode_row(const char* d, const std::vector<RawField>& fields, int quote, std::vector<std::string>& texts,
                       std::vector<uint8_t>& quoted, std::vector<uint8_t>& ok) {
  texts.clear();
  quoted.clear();
  ok.clear();
  std::string scratch;
  for (const RawField& f : fields) {
    std::string_view text(d + f.begin, f.end - f.begin);
    bool is_quoted = false, good = true;
    if (f.has_quote) {
      good = unquote_field(d, f.begin, f.end, static_cast<char>(quote), scratch, text) == FieldError::None;
      is_quoted = true;
    }
    texts.emplace_back(text);
    quoted.push_back(is_quoted);
    ok.push_back(good);
  }
}

inline bool blank_row(const std::vector<RawField>& fields) noexcept {
  return fields.size() == 1 && fields[0].begin == fields[0].end;
}

// Whether a text converts to a column of that type (BOOL leniently, as with a schema).
inline bool fits_type(std::string_view text, TypeId type) {
  switch (type) {
    case TypeId::Bool: {
      bool b;
      return parse_bool(text, true, b);
    }
    case TypeId::Int64: {
      int64_t v;
      return parse_int64(text, v);
    }
    case TypeId::Float64: {
      double v;
      return parse_float64(text, v);
    }
    case TypeId::Date: {
      int32_t v;
      return parse_date(text, v);
    }
    case TypeId::Timestamp: {
      int64_t v;
      return parse_timestamp(text, v);
    }
    default: return true;
  }
}

inline FileHead read_head(const char* d, size_t size, const CsvReadOptions& o, int quote, bool want_header) {
  FileHead head;
  size_t pos = skip_bom(d, size);
  std::vector<RawField> fields;
  std::vector<std::string> texts;
  std::vector<uint8_t> quoted, ok;
  // Rows skipped on request; the last of them is the header when the schema is inferred.
  bool explicit_header = false;
  if (o.skip_leading_rows) {
    for (int64_t i = 0; i < *o.skip_leading_rows && pos < size; ++i) {
      RowSplit rs = split_row(d, size, pos, quote, o.field_delimiter, fields);
      if (i + 1 == *o.skip_leading_rows && want_header) {
        decode_row(d, fields, quote, texts, quoted, ok);
        // Blank fields get default names; a row without any name is no header.
        bool usable = false;
        for (auto& t : texts) usable = usable || !trim_blanks(t).empty();
        if (usable) {
          head.header = texts;
          explicit_header = true;
        }
      }
      pos = rs.next;
    }
  }
  // With skip_leading_rows unset, the first row may be a header (with a schema too, so that a
  // schema inferred earlier by infer_csv_schema reads the same files the same way).
  const bool auto_header = !o.skip_leading_rows;
  size_t candidate_pos = pos;
  std::vector<std::string> candidate;
  std::vector<TypeId> candidate_types;
  size_t sampled = 0;
  bool first = true;
  while (pos < size && sampled < o.sample_rows) {
    RowSplit rs = split_row(d, size, pos, quote, o.field_delimiter, fields);
    const size_t row_pos = pos;
    pos = rs.next;
    if (blank_row(fields) && !first) continue;
    decode_row(d, fields, quote, texts, quoted, ok);
    std::vector<TypeId> types(texts.size(), TypeId::Null);
    for (size_t i = 0; i < texts.size(); ++i) {
      if (!ok[i]) continue;
      const std::string& t = texts[i];
      if (t.empty()) {
        if (quoted[i] || !o.null_marker.empty()) types[i] = TypeId::String;
        continue;
      }
      if (!quoted[i] && t == o.null_marker) continue;
      types[i] = infer_type(t);
    }
    if (first && auto_header) {
      // Held back until the sample shows whether it is a header.
      candidate = texts;
      candidate_types = types;
      candidate_pos = row_pos;
      first = false;
      continue;
    }
    if (first) head.first_row_fields = fields.size();
    first = false;
    if (head.sample_types.size() < types.size()) head.sample_types.resize(types.size(), TypeId::Null);
    for (size_t i = 0; i < types.size(); ++i) head.sample_types[i] = join_types(head.sample_types[i], types[i]);
    ++sampled;
  }
  if (auto_header && !candidate.empty()) {
    // BigQuery's rule: the first row is a header when all its fields are strings while some column
    // below holds another type.
    // With a schema, "some column below" is a schema column whose type the field does not fit.
    bool all_strings = true, other_below = false;
    for (size_t i = 0; i < candidate.size(); ++i) {
      all_strings = all_strings && candidate_types[i] == TypeId::String && !trim_blanks(candidate[i]).empty();
      if (o.schema) {
        if (i < o.schema->size() && !fits_type(candidate[i], (*o.schema)[i].type.id())) other_below = true;
      } else if (i < head.sample_types.size() && head.sample_types[i] != TypeId::Null &&
                 head.sample_types[i] != TypeId::String) {
        other_below = true;
      }
    }
    if (all_strings && other_below) {
      head.has_header = want_header;
      head.header = candidate;
      head.data_begin = candidate_pos;
      // The data begins after the header row.
      RowSplit rs = split_row(d, size, candidate_pos, quote, o.field_delimiter, fields);
      head.data_begin = rs.next;
    } else {
      head.data_begin = candidate_pos;
      head.first_row_fields = candidate.size();
      if (head.sample_types.size() < candidate_types.size()) head.sample_types.resize(candidate_types.size(), TypeId::Null);
      for (size_t i = 0; i < candidate_types.size(); ++i)
        head.sample_types[i] = join_types(head.sample_types[i], candidate_types[i]);
    }
  } else {
    head.has_header = explicit_header;
    head.data_begin = candidate_pos;
  }
  return head;
}

/// The body of a file cut into blocks, and whether each block starts inside quotes.
struct BlockPlan {
  std::vector<size_t> begin;  // block b is [begin[b], begin[b+1]); the last ends at the file's end
  std::vector<uint8_t> in_quotes;
};

inline BlockPlan plan_blocks(const char* d, size_t size, size_t data_begin, size_t block_bytes, int quote) {
  BlockPlan plan;
  if (data_begin >= size) return plan;
  const size_t body = size - data_begin;
  if (block_bytes == 0) {
    const size_t workers = static_cast<size_t>(std::max(1, current_concurrency()));
    block_bytes = std::clamp<size_t>(body / (workers * 8), size_t{1} << 20, size_t{16} << 20);
  }
  const size_t blocks = (body + block_bytes - 1) / block_bytes;
  plan.begin.resize(blocks);
  for (size_t b = 0; b < blocks; ++b) plan.begin[b] = data_begin + b * block_bytes;
  plan.in_quotes.assign(blocks, 0);
  if (quote < 0 || blocks == 1) return plan;
  std::vector<uint8_t> parity(blocks, 0);
  parallel_for_each_index(0, blocks - 1, [&](size_t b) {
    const size_t lo = plan.begin[b], hi = plan.begin[b + 1];
    uint64_t count = 0;
    size_t w = lo;
    for (; w + 64 <= hi; w += 64) count += static_cast<uint64_t>(std::popcount(scan64(d + w, quote, '\n').quote));
    for (; w < hi; ++w) count += static_cast<unsigned char>(d[w]) == quote;
    parity[b] = count & 1;
  });
  for (size_t b = 1; b < blocks; ++b) plan.in_quotes[b] = plan.in_quotes[b - 1] ^ parity[b - 1];
  return plan;
}

/// The first row start at or after pos, given whether pos is inside quotes; size when none.
inline size_t first_row_start(const char* d, size_t size, size_t pos, bool in_quotes, int quote, char delimiter) {
  if (!in_quotes && d[pos - 1] == '\n') return pos;
  uint64_t carry = in_quotes ? ~uint64_t{0} : 0;
  for (size_t w = pos; w < size; w += 64) {
    const size_t n = std::min<size_t>(64, size - w);
    ByteMasks m = n == 64 ? scan64(d + w, quote, delimiter) : scan_tail(d + w, n, quote, delimiter);
    if (n < 64) {
      m.quote &= (uint64_t{1} << n) - 1;
      m.newline &= (uint64_t{1} << n) - 1;
    }
    const uint64_t inside = prefix_xor(m.quote) ^ carry;
    carry = static_cast<uint64_t>(static_cast<int64_t>(inside) >> 63);
    const uint64_t nl = m.newline & ~inside;
    if (nl) return w + static_cast<size_t>(std::countr_zero(nl)) + 1;
  }
  return size;
}

/// Parses a file's body with the plan's blocks in parallel; results in block order.
inline std::vector<BlockResult> parse_body(const char* d, size_t size, size_t data_begin, const BlockPlan& plan,
                                           const ParseSpec& spec) {
  const size_t blocks = plan.begin.size();
  std::vector<BlockResult> results(blocks);
  parallel_for_each_index(0, blocks, [&](size_t b) {
    const size_t lo = plan.begin[b];
    const size_t hi = b + 1 < blocks ? plan.begin[b + 1] : size;
    const size_t start =
        b == 0 ? data_begin : first_row_start(d, size, lo, plan.in_quotes[b], spec.quote, spec.delimiter);
    BlockParser parser(d, size, spec, results[b]);
    parser.run(start, hi);
  });
  return results;
}

inline size_t line_of(const char* d, size_t offset) noexcept {
  return 1 + static_cast<size_t>(std::count(d, d + offset, '\n'));
}

inline std::string default_column_name(TypeId t, size_t i) {
  const char* prefix = "string";
  switch (t) {
    case TypeId::Bool: prefix = "bool"; break;
    case TypeId::Int64: prefix = "int64"; break;
    case TypeId::Float64: prefix = "double"; break;
    case TypeId::Date: prefix = "date"; break;
    case TypeId::Timestamp: prefix = "timestamp"; break;
    default: break;
  }
  return std::string(prefix) + "_field_" + std::to_string(i);
}

inline void check_read_options(const CsvReadOptions& o) {
  if (o.quote && *o.quote == o.field_delimiter)
    visiondb::detail::throw_invalid_argument("CSV options quote and field_delimiter must differ");
  if (o.field_delimiter == '\n' || o.field_delimiter == '\r' || (o.quote && (*o.quote == '\n' || *o.quote == '\r')))
    visiondb::detail::throw_invalid_argument("CSV field_delimiter and quote cannot be line breaks");
  if (o.max_bad_records < 0) visiondb::detail::throw_invalid_argument("max_bad_records must be >= 0");
  if (o.schema) {
    if (o.schema->size() == 0) visiondb::detail::throw_invalid_argument("a CSV schema needs at least one column");
    for (const auto& c : o.schema->columns()) {
      switch (c.type.id()) {
        case TypeId::Bool:
        case TypeId::Int64:
        case TypeId::Float64:
        case TypeId::String:
        case TypeId::Bytes:
        case TypeId::Timestamp:
        case TypeId::Date: break;
        default:
          visiondb::detail::throw_invalid_argument("column \"" + c.name + "\" has type " + c.type.to_string() +
                                                   ", which CSV cannot hold (BigQuery's rule: no ARRAY or STRUCT in CSV)");
      }
    }
  }
}

// The per-file state of one read.
struct CsvFile {
  std::string path;
  std::unique_ptr<MappedFile> map;
  FileHead head;
  BlockPlan plan;
};

// Heads of all files; the column names and first types.
inline void open_files(const std::vector<std::string>& paths, const CsvReadOptions& o, int quote,
                       std::vector<CsvFile>& files) {
  files.resize(paths.size());
  for (size_t i = 0; i < paths.size(); ++i) {
    files[i].path = paths[i];
    files[i].map = std::make_unique<MappedFile>(paths[i]);
    files[i].head = read_head(files[i].map->data(), files[i].map->size(), o, quote, !o.schema.has_value());
  }
}

struct Columns {
  std::vector<std::string> names;
  std::vector<TypeId> types;  // Null: unknown yet
};

inline Columns initial_columns(const std::vector<CsvFile>& files, const CsvReadOptions& o) {
  Columns cols;
  if (o.schema) {
    for (const auto& c : o.schema->columns()) {
      cols.names.push_back(c.name);
      cols.types.push_back(c.type.id());
    }
    return cols;
  }
  size_t n = 0;
  const FileHead* named = nullptr;
  for (const auto& f : files) {
    if (f.head.has_header) {
      n = f.head.header.size();
      named = &f.head;
      break;
    }
    if (f.head.first_row_fields) {
      n = f.head.first_row_fields;
      break;
    }
  }
  if (n == 0) {
    std::string path = files.empty() ? std::string("(no file)") : files.front().path;
    visiondb::detail::throw_io_error(path, "cannot infer a schema: the file has no rows (give a schema)");
  }
  cols.types.assign(n, TypeId::Null);
  for (const auto& f : files)
    for (size_t i = 0; i < n && i < f.head.sample_types.size(); ++i)
      cols.types[i] = join_types(cols.types[i], f.head.sample_types[i]);
  if (named) {
    for (size_t i = 0; i < n; ++i) {
      std::string name(trim_blanks(named->header[i]));
      cols.names.push_back(name);
    }
  } else {
    cols.names.assign(n, std::string());
  }
  return cols;
}

// Header names made unique (case-insensitively, as BigQuery compares them); empty ones and
// headerless files get BigQuery's "<type>_field_<i>" names.
inline std::vector<std::string> final_names(const Columns& cols) {
  std::vector<std::string> out;
  for (size_t i = 0; i < cols.names.size(); ++i) {
    std::string name = cols.names[i].empty() ? default_column_name(cols.types[i], i) : cols.names[i];
    auto taken = [&](const std::string& s) {
      for (const auto& o : out)
        if (visiondb::detail::iequals(o, s)) return true;
      return false;
    };
    if (taken(name)) {
      // (appending piecewise: GCC 12 warns falsely about "_" + std::to_string(k))
      auto numbered = [&](int k) {
        std::string s = name;
        s += '_';
        s += std::to_string(k);
        return s;
      };
      int k = 2;
      while (taken(numbered(k))) ++k;
      name = numbered(k);
    }
    out.push_back(std::move(name));
  }
  return out;
}

inline std::string describe_bad(const CsvFile& f, const BadRecord& bad, const std::vector<std::string>& names) {
  std::string msg = "line " + std::to_string(line_of(f.map->data(), bad.offset));
  if (bad.column >= 0) {
    msg += ", column " + std::to_string(bad.column + 1);
    if (static_cast<size_t>(bad.column) < names.size() && !names[static_cast<size_t>(bad.column)].empty())
      msg += " (" + names[static_cast<size_t>(bad.column)] + ")";
  }
  return msg + ": " + bad.message;
}

inline CsvData read_files(const std::vector<std::string>& paths, const CsvReadOptions& o) {
  check_read_options(o);
  const int quote = o.quote ? static_cast<unsigned char>(*o.quote) : -1;
  std::vector<CsvFile> files;
  open_files(paths, o, quote, files);
  Columns cols = initial_columns(files, o);
  const size_t nc = cols.types.size();
  std::vector<std::string> names_for_errors = cols.names;
  if (o.schema)
    for (size_t i = 0; i < nc; ++i) names_for_errors[i] = (*o.schema)[i].name;

  for (auto& f : files)
    f.plan = plan_blocks(f.map->data(), f.map->size(), f.head.data_begin, o.block_bytes, quote);

  const size_t max_bad = static_cast<size_t>(o.max_bad_records);
  for (;;) {
    ParseSpec spec;
    spec.options = &o;
    spec.quote = quote;
    spec.delimiter = o.field_delimiter;
    spec.columns = nc;
    spec.infer = !o.schema.has_value();
    spec.max_bad = max_bad + 1;
    for (size_t i = 0; i < nc; ++i)
      spec.types.push_back(o.schema ? (*o.schema)[i].type : LogicalType(cols.types[i]));

    std::vector<std::vector<BlockResult>> per_file;
    size_t bad_total = 0;
    const BadRecord* first_bad = nullptr;
    const CsvFile* first_bad_file = nullptr;
    std::vector<TypeId> widen(nc, TypeId::Null);
    for (const auto& f : files) {
      per_file.push_back(parse_body(f.map->data(), f.map->size(), f.head.data_begin, f.plan, spec));
      for (const auto& br : per_file.back()) {
        for (const auto& bad : br.bad) {
          if (!first_bad) {
            first_bad = &bad;
            first_bad_file = &f;
          }
          ++bad_total;
        }
        for (size_t c = 0; c < nc; ++c) widen[c] = join_types(widen[c], br.widen[c]);
      }
      if (bad_total > max_bad) {
        std::string msg = describe_bad(*first_bad_file, *first_bad, names_for_errors);
        if (max_bad > 0) msg += " (more than max_bad_records = " + std::to_string(max_bad) + " bad rows)";
        visiondb::detail::throw_io_error(first_bad_file->path, std::move(msg));
      }
    }
    bool widened = false;
    for (size_t c = 0; c < nc; ++c) {
      TypeId t = join_types(cols.types[c], widen[c]);
      if (t != cols.types[c]) {
        cols.types[c] = t;
        widened = true;
      }
    }
    if (widened) continue;  // parse again with the wider types

    CsvData out;
    out.files = paths;
    out.bad_records = bad_total;
    std::vector<std::string> names = o.schema ? names_for_errors : final_names(cols);
    for (size_t c = 0; c < nc; ++c) {
      LogicalType t = o.schema ? (*o.schema)[c].type
                               : LogicalType(cols.types[c] == TypeId::Null ? TypeId::String : cols.types[c]);
      out.schema.add({names[c], t, false});
    }
    auto data = std::make_shared<TableData>();
    for (auto& blocks : per_file)
      for (auto& br : blocks)
        for (auto& chunk : br.chunks) {
          // Columns that never held a value are all-NULL STRING columns.
          bool unknown = false;
          for (size_t c = 0; c < nc; ++c) unknown = unknown || chunk->column(c).type().id() == TypeId::Null;
          if (unknown) {
            std::vector<ColumnPtr> cs = chunk->columns();
            for (size_t c = 0; c < nc; ++c) {
              if (cs[c]->type().id() != TypeId::Null) continue;
              Column col(LogicalType::string());
              for (size_t r = 0; r < chunk->size(); ++r) col.append_null();
              cs[c] = std::make_shared<const Column>(std::move(col));
            }
            chunk = std::make_shared<const Chunk>(std::move(cs), chunk->size());
          }
          data->rows += chunk->size();
          data->chunks.push_back(std::move(chunk));
        }
    out.data = std::move(data);
    return out;
  }
}

}  // namespace detail

VISIONDB_INLINE CsvData read_csv(const std::vector<std::string>& uris, const CsvReadOptions& options) {
  if (uris.empty()) visiondb::detail::throw_invalid_argument("CSV import needs at least one uri");
  return detail::read_files(expand_uris(uris), options);
}

VISIONDB_INLINE CsvData read_csv_file(const std::string& path, const CsvReadOptions& options) {
  return detail::read_files({path}, options);
}

VISIONDB_INLINE Schema infer_csv_schema(const std::vector<std::string>& uris, const CsvReadOptions& options) {
  detail::check_read_options(options);
  if (options.schema) return *options.schema;
  const int quote = options.quote ? static_cast<unsigned char>(*options.quote) : -1;
  std::vector<detail::CsvFile> files;
  detail::open_files(expand_uris(uris), options, quote, files);
  detail::Columns cols = detail::initial_columns(files, options);
  std::vector<std::string> names = detail::final_names(cols);
  Schema schema;
  for (size_t c = 0; c < cols.types.size(); ++c)
    schema.add({names[c], LogicalType(cols.types[c] == TypeId::Null ? TypeId::String : cols.types[c]), false});
  return schema;
}

}  // namespace visiondb::io
