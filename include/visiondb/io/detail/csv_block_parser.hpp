// BlockParser: step 3 of the CSV reader (csv_reader_impl.hpp): the rows that start in one block
// of the file, tokenized 64 bytes at a time into field boundaries for 2048 rows, then converted
// column by column into one Chunk.
#pragma once

#include <algorithm>
#include <bit>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "visiondb/io/csv_options.hpp"
#include "visiondb/io/detail/csv_scan.hpp"
#include "visiondb/io/detail/csv_text.hpp"
#include "visiondb/io/detail/csv_tokenizer.hpp"
#include "visiondb/storage/chunk.hpp"

namespace visiondb::io::detail {

inline constexpr uint8_t kFieldHasQuote = 1;
inline constexpr uint8_t kFieldMissing = 2;
inline constexpr size_t kPrefetchDistance = 4096;

/// A row that could not be loaded: where (absolute offset of the row or the field), which column
/// (-1: the whole row) and why.
struct BadRecord {
  size_t offset;
  int column;
  std::string message;
};

/// What every block of a file parses with.
struct ParseSpec {
  const CsvReadOptions* options = nullptr;
  int quote = -1;
  char delimiter = ',';
  size_t columns = 0;
  std::vector<LogicalType> types;  // TypeId::Null: no value seen yet (inference)
  bool infer = false;              // a value that does not convert widens the type instead of failing the row
  size_t max_bad = 0;              // a block stops after this many bad rows (max_bad_records + 1)
};

struct BlockResult {
  std::vector<std::shared_ptr<const Chunk>> chunks;
  size_t rows = 0;
  std::vector<BadRecord> bad;
  std::vector<TypeId> widen;  // per column: Null, or the join of the values that did not fit
};

inline std::string excerpt(std::string_view s) {
  constexpr size_t kMax = 48;
  std::string out = s.size() > kMax ? std::string(s.substr(0, kMax)) + "..." : std::string(s);
  for (char& c : out)
    if (c == '\n' || c == '\r') c = ' ';
  return out;
}

inline const char* type_label(TypeId id) noexcept {
  switch (id) {
    case TypeId::Bool: return "BOOL";
    case TypeId::Int64: return "INT64";
    case TypeId::Float64: return "FLOAT64";
    case TypeId::String: return "STRING";
    case TypeId::Bytes: return "BYTES";
    case TypeId::Timestamp: return "TIMESTAMP";
    case TypeId::Date: return "DATE";
    default: return "?";
  }
}

// ---- step 3: one block -----------------------------------------------------------------------

class BlockParser {
 public:
  BlockParser(const char* data, size_t size, const ParseSpec& spec, BlockResult& out)
      : d_(data), size_(size), spec_(spec), nc_(spec.columns), out_(out) {
    begin_.resize(kVectorSize * nc_);
    end_.resize(kVectorSize * nc_);
    flags_.resize(kVectorSize * nc_);
    row_bad_.resize(kVectorSize);
    out_.widen.assign(nc_, TypeId::Null);
    const std::string& marker = spec.options->null_marker;
    marker_ = marker;
  }

  /// Parses the rows that start in [start, limit): start is a row start (outside quotes).
  void run(size_t start, size_t limit) {
    if (start >= limit || start >= size_) return;
    base_ = start;
    rows_ = 0;
    size_t field_begin = start, row_start = start;
    int64_t last_quote = -1;
    uint64_t carry = 0;  // all ones while inside quotes
    const int q = spec_.quote;
    const char delim = spec_.delimiter;
    for (size_t w = start; w < size_; w += 64) {
      const size_t n = std::min<size_t>(64, size_ - w);
      // The work between loads hides the stream from the hardware prefetcher: fetch ahead.
      __builtin_prefetch(d_ + w + kPrefetchDistance);
      ByteMasks m = n == 64 ? scan64(d_ + w, q, delim) : scan_tail(d_ + w, n, q, delim);
      if (n < 64) {
        const uint64_t valid = (uint64_t{1} << n) - 1;
        m.quote &= valid;
        m.delimiter &= valid;
        m.newline &= valid;
      }
      const uint64_t inside = prefix_xor(m.quote) ^ carry;
      carry = static_cast<uint64_t>(static_cast<int64_t>(inside) >> 63);
      uint64_t sep = (m.delimiter | m.newline) & ~inside;
      while (sep) {
        const unsigned i = static_cast<unsigned>(std::countr_zero(sep));
        sep &= sep - 1;
        const size_t p = w + i;
        const uint64_t q_before = m.quote & ((uint64_t{1} << i) - 1);
        const int64_t lq = q_before ? static_cast<int64_t>(w + 63 - std::countl_zero(q_before)) : last_quote;
        const bool has_quote = lq >= static_cast<int64_t>(field_begin);
        if ((m.newline >> i) & 1) {
          size_t e = p;
          if (e > field_begin && d_[e - 1] == '\r') --e;
          add_field(field_begin, e, has_quote);
          const bool stop = close_row(row_start, p);
          row_start = field_begin = p + 1;
          if (stop || row_start >= limit) return finish();
        } else {
          add_field(field_begin, p, has_quote);
          field_begin = p + 1;
        }
      }
      if (m.quote) last_quote = static_cast<int64_t>(w + 63 - std::countl_zero(m.quote));
    }
    // The end of the file closes the last row (no final newline).
    if (field_begin < size_ || fields_in_row_ > 0) {
      size_t e = size_;
      if (e > field_begin && d_[e - 1] == '\r') --e;
      const bool has_quote = last_quote >= static_cast<int64_t>(field_begin);
      add_field(field_begin, e, has_quote);
      if (carry) {
        fields_in_row_ = 0;
        add_bad(row_start, -1, field_error_message(FieldError::Unterminated));
      } else {
        close_row(row_start, size_);
      }
    }
    finish();
  }

 private:
  void add_field(size_t b, size_t e, bool has_quote) {
    if (fields_in_row_ < nc_) {
      const size_t s = rows_ * nc_ + fields_in_row_;
      begin_[s] = static_cast<uint32_t>(b - base_);
      end_[s] = static_cast<uint32_t>(e - base_);
      flags_[s] = has_quote ? kFieldHasQuote : 0;
    }
    ++fields_in_row_;
  }

  // Closes the row [row_start, p); returns true when the block must stop (too many bad rows).
  bool close_row(size_t row_start, size_t p) {
    const size_t found = fields_in_row_;
    fields_in_row_ = 0;
    const size_t s0 = rows_ * nc_;
    if (found == 1 && nc_ > 1 && begin_[s0] == end_[s0] && flags_[s0] == 0) return false;  // blank line
    if (found < nc_) {
      if (!spec_.options->allow_jagged_rows)
        return add_bad(row_start, -1, "expected " + std::to_string(nc_) + " fields, found " + std::to_string(found) +
                                          " (allow_jagged_rows=true reads the missing ones as NULL)");
      for (size_t c = found; c < nc_; ++c) flags_[s0 + c] = kFieldMissing;
    } else if (found > nc_ && !spec_.options->ignore_unknown_values) {
      return add_bad(row_start, -1, "expected " + std::to_string(nc_) + " fields, found " + std::to_string(found) +
                                        " (ignore_unknown_values=true drops the extra ones)");
    }
    if (!spec_.options->allow_quoted_newlines && std::memchr(d_ + row_start, '\n', p - row_start))
      return add_bad(row_start, -1, "newline inside a quoted field (allow_quoted_newlines is false)");
    ++rows_;
    // Offsets are 32-bit from the batch's first row: flush early on (absurdly) long rows.
    if (rows_ == kVectorSize || p + 1 - base_ > (uint64_t{1} << 31)) {
      convert();
      base_ = p + 1;
    }
    return false;
  }

  bool add_bad(size_t offset, int column, std::string message) {
    out_.bad.push_back({offset, column, std::move(message)});
    return out_.bad.size() >= spec_.max_bad;
  }

  void finish() {
    if (rows_ > 0) convert();
    // Field-count errors are found while tokenizing, value errors when a batch converts: put them
    // back in file order.
    std::stable_sort(out_.bad.begin(), out_.bad.end(),
                     [](const BadRecord& a, const BadRecord& b) { return a.offset < b.offset; });
  }

  // ---- conversion of the batch's rows into one chunk ----

  // The text of field slot s when it is not a plain field: false for a missing field (NULL) or a
  // malformed one (its row is marked bad).
  bool slow_text(size_t r, size_t c, size_t s, std::string_view& text, bool& quoted) {
    if (flags_[s] & kFieldMissing) return false;
    const size_t b = base_ + begin_[s], e = base_ + end_[s];
    FieldError err = unquote_field(d_, b, e, static_cast<char>(spec_.quote), scratch_, text);
    if (err != FieldError::None) {
      mark_bad(r, b, static_cast<int>(c), field_error_message(err));
      return false;
    }
    quoted = true;
    return true;
  }

  void mark_bad(size_t r, size_t offset, int column, std::string message) {
    if (row_bad_[r]) return;
    row_bad_[r] = 1;
    ++bad_in_batch_;
    out_.bad.push_back({offset, column, std::move(message)});
  }

  // A value of column c that does not convert: widens (inference) or marks the row bad.
  void fail(size_t r, size_t c, size_t s, std::string_view text, TypeId type, bool empty_marker_rule) {
    if (spec_.infer) {
      out_.widen[c] = join_types(out_.widen[c], empty_marker_rule ? TypeId::String : infer_type(text));
      return;
    }
    std::string msg = empty_marker_rule
                          ? std::string("empty value is not a valid ") + type_label(type) + " (the null_marker is '" +
                                marker_ + "')"
                          : "cannot parse '" + excerpt(text) + "' as " + type_label(type);
    mark_bad(r, base_ + begin_[s], static_cast<int>(c), std::move(msg));
  }

  template <class T, class Parse>
  Column convert_fixed(size_t c, const LogicalType& type, Parse&& parse) {
    Column col(type);
    col.resize(rows_);
    T* out = col.data<T>();
    const bool default_marker = marker_.empty();
    for (size_t r = 0; r < rows_; ++r) {
      const size_t s = r * nc_ + c;
      std::string_view text;
      bool quoted = false;
      if (flags_[s] == 0) {
        text = std::string_view(d_ + base_ + begin_[s], end_[s] - begin_[s]);
      } else if (!slow_text(r, c, s, text, quoted)) {
        col.set_null(r);
        continue;
      }
      if (text.empty()) {
        col.set_null(r);
        if (!default_marker) fail(r, c, s, text, type.id(), true);
        continue;
      }
      if (!quoted && !default_marker && text == marker_) {
        col.set_null(r);
        continue;
      }
      if (!parse(text, out[r])) {
        col.set_null(r);
        fail(r, c, s, text, type.id(), false);
      }
    }
    return col;
  }

  Column convert_string(size_t c, const LogicalType& type) {
    Column col(type);
    col.reserve(rows_);
    size_t bytes = 0;
    for (size_t r = 0; r < rows_; ++r) bytes += end_[r * nc_ + c] - begin_[r * nc_ + c];
    col.reserve_bytes(bytes);
    const bool is_bytes = type.id() == TypeId::Bytes;
    for (size_t r = 0; r < rows_; ++r) {
      const size_t s = r * nc_ + c;
      std::string_view text;
      bool quoted = false;
      if (flags_[s] == 0) {
        text = std::string_view(d_ + base_ + begin_[s], end_[s] - begin_[s]);
      } else if (!slow_text(r, c, s, text, quoted)) {
        col.append_null();
        continue;
      }
      if (!quoted && text.size() == marker_.size() && text == marker_) {
        col.append_null();
        continue;
      }
      if (is_bytes) {
        if (!decode_base64(text, decoded_)) {
          col.append_null();
          if (!spec_.infer)
            mark_bad(r, base_ + begin_[s], static_cast<int>(c),
                     "cannot parse '" + excerpt(text) + "' as BYTES (base64 expected)");
          continue;
        }
        col.append_string(decoded_);
      } else {
        col.append_string(text);
      }
    }
    return col;
  }

  // A column whose type is still unknown (no value seen in the sample): every value widens it.
  Column convert_unknown(size_t c) {
    Column col(LogicalType::null());
    for (size_t r = 0; r < rows_; ++r) {
      col.append_null();
      const size_t s = r * nc_ + c;
      std::string_view text;
      bool quoted = false;
      if (flags_[s] == 0) {
        text = std::string_view(d_ + base_ + begin_[s], end_[s] - begin_[s]);
      } else if (!slow_text(r, c, s, text, quoted)) {
        continue;
      }
      if (text.empty()) {
        // A quoted empty field, or an empty one beside a custom null marker, is an empty string.
        if (quoted || !marker_.empty()) out_.widen[c] = join_types(out_.widen[c], TypeId::String);
        continue;
      }
      if (!quoted && text == marker_) continue;
      out_.widen[c] = join_types(out_.widen[c], infer_type(text));
    }
    return col;
  }

  void convert() {
    std::vector<ColumnPtr> columns;
    columns.reserve(nc_);
    const bool lenient_bool = !spec_.infer;
    for (size_t c = 0; c < nc_; ++c) {
      const LogicalType& t = spec_.types[c];
      Column col;
      switch (t.id()) {
        case TypeId::Int64:
          col = convert_fixed<int64_t>(c, t, [](std::string_view s, int64_t& v) { return parse_int64(s, v); });
          break;
        case TypeId::Float64:
          col = convert_fixed<double>(c, t, [](std::string_view s, double& v) { return parse_float64(s, v); });
          break;
        case TypeId::Bool:
          col = convert_fixed<uint8_t>(c, t, [lenient_bool](std::string_view s, uint8_t& v) {
            bool b;
            if (!parse_bool(s, lenient_bool, b)) return false;
            v = b ? 1 : 0;
            return true;
          });
          break;
        case TypeId::Date:
          col = convert_fixed<int32_t>(c, t, [](std::string_view s, int32_t& v) { return parse_date(s, v); });
          break;
        case TypeId::Timestamp:
          col = convert_fixed<int64_t>(c, t, [](std::string_view s, int64_t& v) { return parse_timestamp(s, v); });
          break;
        case TypeId::String:
        case TypeId::Bytes: col = convert_string(c, t); break;
        default: col = convert_unknown(c); break;
      }
      columns.push_back(std::make_shared<const Column>(std::move(col)));
    }
    size_t rows = rows_;
    if (bad_in_batch_ > 0) {
      std::vector<uint32_t> keep;
      keep.reserve(rows_);
      for (size_t r = 0; r < rows_; ++r)
        if (!row_bad_[r]) keep.push_back(static_cast<uint32_t>(r));
      for (auto& col : columns) col = std::make_shared<const Column>(col->gather(keep));
      rows = keep.size();
      std::fill(row_bad_.begin(), row_bad_.begin() + static_cast<ptrdiff_t>(rows_), 0);
      bad_in_batch_ = 0;
    }
    if (rows > 0) {
      out_.chunks.push_back(std::make_shared<const Chunk>(std::move(columns), rows));
      out_.rows += rows;
    }
    rows_ = 0;
  }

  const char* d_;
  size_t size_;
  const ParseSpec& spec_;
  size_t nc_;
  BlockResult& out_;
  std::string marker_;
  size_t base_ = 0;
  size_t rows_ = 0;
  size_t fields_in_row_ = 0;
  std::vector<uint32_t> begin_, end_;
  std::vector<uint8_t> flags_;
  std::vector<uint8_t> row_bad_;
  size_t bad_in_batch_ = 0;
  std::string scratch_, decoded_;
};

}  // namespace visiondb::io::detail
