// Out-of-line parts of result_printer.hpp.
#pragma once

#include <ostream>
#include <sstream>

#include "visiondb/api/result_printer.hpp"
#include "visiondb/config.hpp"
#include "visiondb/io/csv_writer.hpp"
#include "visiondb/io/detail/csv_text.hpp"
#include "visiondb/storage/detail/civil_time.hpp"
#include "visiondb/storage/detail/text.hpp"

namespace visiondb {

VISIONDB_INLINE OutputFormat parse_output_format(std::string_view name) {
  using detail::iequals;
  if (iequals(name, "table") || iequals(name, "box")) return OutputFormat::Table;
  if (iequals(name, "csv")) return OutputFormat::Csv;
  if (iequals(name, "json")) return OutputFormat::Json;
  if (iequals(name, "jsonl") || iequals(name, "ndjson")) return OutputFormat::JsonLines;
  if (iequals(name, "markdown") || iequals(name, "md")) return OutputFormat::Markdown;
  detail::throw_invalid_argument("unknown output format '" + std::string(name) +
                                 "': expected table, csv, json, jsonl or markdown");
}

VISIONDB_INLINE std::string_view output_format_name(OutputFormat f) noexcept {
  switch (f) {
    case OutputFormat::Table: return "table";
    case OutputFormat::Csv: return "csv";
    case OutputFormat::Json: return "json";
    case OutputFormat::JsonLines: return "jsonl";
    case OutputFormat::Markdown: return "markdown";
  }
  return "table";
}

namespace detail::printer {

inline bool right_aligned(const LogicalType& t) noexcept { return t.is_numeric(); }

/// Display text of a value (table and Markdown): NULL as "NULL", BYTES in base64.
inline std::string display_text(const Column& col, size_t row) {
  if (col.is_null(row)) return "NULL";
  switch (col.type().id()) {
    case TypeId::Bytes: {
      std::string out;
      io::detail::append_base64(out, col.string_at(row));
      return out;
    }
    case TypeId::String: return std::string(col.string_at(row));
    case TypeId::Int64: {
      std::string out;
      io::detail::append_int64(out, col.data<int64_t>()[row]);
      return out;
    }
    default: return col.get(row).to_string();
  }
}

/// Characters as a terminal counts them (UTF-8 code points).
inline size_t display_width(std::string_view s) noexcept {
  size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

/// Line breaks and tabs shown as \n, \r, \t so that a value stays on its line; cut to max_width.
inline std::string cell_text(std::string s, size_t max_width) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (c == '\n') out += "\\n";
    else if (c == '\r') out += "\\r";
    else if (c == '\t') out += "\\t";
    else out += c;
  }
  if (max_width > 1 && display_width(out) > max_width) {
    size_t keep = 0, width = 0;
    while (keep < out.size() && width < max_width - 1) {
      ++keep;
      while (keep < out.size() && (static_cast<unsigned char>(out[keep]) & 0xC0) == 0x80) ++keep;
      ++width;
    }
    out.resize(keep);
    out += "\xE2\x80\xA6";  // …
  }
  return out;
}

inline void pad(std::string& out, size_t n) { out.append(n, ' '); }

// ---- table -------------------------------------------------------------------------------------

inline void print_table(std::ostream& os, const QueryResult& r, const PrintOptions& o) {
  const size_t nc = r.column_count();
  if (nc == 0) return;
  const size_t rows = r.row_count();
  const bool elide = o.max_rows > 0 && rows > o.max_rows;
  const size_t head = elide ? (o.max_rows + 1) / 2 : rows;
  const size_t tail = elide ? o.max_rows / 2 : 0;

  std::vector<std::vector<std::string>> cells;  // shown rows, in order
  cells.reserve(head + tail);
  // Rows [first, last) of the result, walked through its chunks.
  auto add_rows = [&](size_t first, size_t last) {
    size_t start = 0;
    for (const auto& ch : r.chunks()) {
      const size_t n = ch->size();
      for (size_t i = std::max(first, start); i < std::min(last, start + n); ++i) {
        std::vector<std::string> line(nc);
        for (size_t c = 0; c < nc; ++c) line[c] = cell_text(display_text(ch->column(c), i - start), o.max_column_width);
        cells.push_back(std::move(line));
      }
      start += n;
      if (start >= last) break;
    }
  };
  add_rows(0, head);
  if (tail) add_rows(rows - tail, rows);

  std::vector<std::string> names(nc), types(nc);
  std::vector<size_t> width(nc, 1);
  for (size_t c = 0; c < nc; ++c) {
    names[c] = cell_text(r.column_name(c), o.max_column_width);
    types[c] = r.column_type(c).to_string();
    width[c] = std::max({width[c], display_width(names[c]), display_width(types[c])});
    for (const auto& line : cells) width[c] = std::max(width[c], display_width(line[c]));
  }
  auto rule = [&](const char* left, const char* mid, const char* right) {
    std::string s = left;
    for (size_t c = 0; c < nc; ++c) {
      if (c) s += mid;
      for (size_t k = 0; k < width[c] + 2; ++k) s += "\xE2\x94\x80";  // ─
    }
    s += right;
    s += '\n';
    return s;
  };
  const char* bar = "\xE2\x94\x82";  // │
  auto centered = [&](const std::vector<std::string>& v) {
    std::string s = bar;
    for (size_t c = 0; c < nc; ++c) {
      const size_t space = width[c] - display_width(v[c]);
      pad(s, 1 + space / 2);
      s += v[c];
      pad(s, 1 + space - space / 2);
      s += bar;
    }
    s += '\n';
    return s;
  };
  auto data_line = [&](const std::vector<std::string>& v) {
    std::string s = bar;
    for (size_t c = 0; c < nc; ++c) {
      const size_t space = width[c] - display_width(v[c]);
      s += ' ';
      if (right_aligned(r.column_type(c))) {
        pad(s, space);
        s += v[c];
      } else {
        s += v[c];
        pad(s, space);
      }
      s += ' ';
      s += bar;
    }
    s += '\n';
    return s;
  };
  std::string out = rule("\xE2\x94\x8C", "\xE2\x94\xAC", "\xE2\x94\x90");  // ┌ ┬ ┐
  out += centered(names);
  out += centered(types);
  out += rule("\xE2\x94\x9C", "\xE2\x94\xBC", "\xE2\x94\xA4");  // ├ ┼ ┤
  for (size_t i = 0; i < cells.size(); ++i) {
    if (elide && i == head) out += centered(std::vector<std::string>(nc, "\xC2\xB7"));  // ·
    out += data_line(cells[i]);
  }
  out += rule("\xE2\x94\x94", "\xE2\x94\xB4", "\xE2\x94\x98");  // └ ┴ ┘
  if (elide) out += std::to_string(rows) + " rows (" + std::to_string(head + tail) + " shown)\n";
  os << out;
}

// ---- CSV ---------------------------------------------------------------------------------------

inline void print_csv(std::ostream& os, const QueryResult& r, const PrintOptions& o) {
  std::string out;
  if (o.header) {
    for (size_t c = 0; c < r.column_count(); ++c) {
      if (c) out += ',';
      io::append_csv_text(out, r.column_name(c), ',');
    }
    out += '\n';
  }
  for (const auto& ch : r.chunks()) {
    for (size_t i = 0; i < ch->size(); ++i) {
      for (size_t c = 0; c < ch->column_count(); ++c) {
        if (c) out += ',';
        const Column& col = ch->column(c);
        const TypeId id = col.type().id();
        if ((id == TypeId::Array || id == TypeId::Struct || id == TypeId::Object) && !col.is_null(i))
          io::append_csv_text(out, col.get(i).to_string(), ',');
        else
          io::append_csv_value(out, col, i, ',');
      }
      out += '\n';
    }
    os.write(out.data(), static_cast<std::streamsize>(out.size()));
    out.clear();
  }
  os.write(out.data(), static_cast<std::streamsize>(out.size()));
}

// ---- JSON --------------------------------------------------------------------------------------

inline void json_string(std::string& out, std::string_view s) {
  out += '"';
  for (char ch : s) {
    const unsigned char c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        if (c < 0x20) {
          static constexpr char kHex[] = "0123456789abcdef";
          out += "\\u00";
          out += kHex[c >> 4];
          out += kHex[c & 15];
        } else {
          out += ch;
        }
    }
  }
  out += '"';
}

/// A value as JSON, as BigQuery's TO_JSON_STRING writes it: numbers (non-finite FLOAT64 as the
/// strings "NaN", "Infinity", "-Infinity"), TIMESTAMP as "2024-05-01T12:00:00Z", BYTES in base64,
/// ARRAY as an array and STRUCT as an object.
inline void json_value(std::string& out, const Column& col, size_t row) {
  if (col.is_null(row)) {
    out += "null";
    return;
  }
  switch (col.type().id()) {
    case TypeId::Bool: out += col.data<uint8_t>()[row] ? "true" : "false"; return;
    case TypeId::Int64: io::detail::append_int64(out, col.data<int64_t>()[row]); return;
    case TypeId::Float64: {
      const double v = col.data<double>()[row];
      if (v != v || v == __builtin_inf() || v == -__builtin_inf()) {
        out += '"';
        io::detail::append_float64(out, v);
        out += '"';
      } else {
        io::detail::append_float64(out, v);
      }
      return;
    }
    case TypeId::String: json_string(out, col.string_at(row)); return;
    case TypeId::Bytes: {
      std::string b;
      io::detail::append_base64(b, col.string_at(row));
      json_string(out, b);
      return;
    }
    case TypeId::Date: json_string(out, detail::format_date(col.data<int32_t>()[row])); return;
    case TypeId::Timestamp: {
      std::string t = detail::format_timestamp(col.data<int64_t>()[row]);  // "YYYY-MM-DD hh:mm:ss[.f]+00"
      t[10] = 'T';
      t.replace(t.size() - 3, 3, "Z");
      json_string(out, t);
      return;
    }
    case TypeId::Array: {
      out += '[';
      auto [b, e] = col.array_range(row);
      for (int64_t i = b; i < e; ++i) {
        if (i > b) out += ',';
        json_value(out, col.child(), static_cast<size_t>(i));
      }
      out += ']';
      return;
    }
    case TypeId::Struct: {
      out += '{';
      const auto& fields = col.type().fields();
      for (size_t f = 0; f < col.field_count(); ++f) {
        if (f) out += ',';
        json_string(out, fields[f].name.empty() ? "_field_" + std::to_string(f + 1) : fields[f].name);
        out += ':';
        json_value(out, col.field(f), row);
      }
      out += '}';
      return;
    }
    case TypeId::Object: json_string(out, col.get(row).to_string()); return;
    case TypeId::Null: out += "null"; return;
  }
}

inline void print_json(std::ostream& os, const QueryResult& r, bool lines) {
  std::vector<std::string> keys(r.column_count());
  for (size_t c = 0; c < keys.size(); ++c) {
    json_string(keys[c], r.column_name(c));
    keys[c] += ':';
  }
  std::string out;
  if (!lines) out += '[';
  bool first = true;
  for (const auto& ch : r.chunks()) {
    for (size_t i = 0; i < ch->size(); ++i) {
      if (!lines && !first) out += ",\n";
      first = false;
      out += '{';
      for (size_t c = 0; c < ch->column_count(); ++c) {
        if (c) out += ',';
        out += keys[c];
        json_value(out, ch->column(c), i);
      }
      out += '}';
      if (lines) out += '\n';
    }
    os.write(out.data(), static_cast<std::streamsize>(out.size()));
    out.clear();
  }
  if (!lines) out += "]\n";
  os.write(out.data(), static_cast<std::streamsize>(out.size()));
}

// ---- Markdown ----------------------------------------------------------------------------------

inline std::string markdown_cell(std::string s) {
  std::string out;
  for (char c : s) {
    if (c == '|') out += "\\|";
    else if (c == '\n') out += "<br>";
    else if (c != '\r') out += c;
  }
  return out;
}

inline void print_markdown(std::ostream& os, const QueryResult& r, const PrintOptions& o) {
  const size_t nc = r.column_count();
  if (nc == 0) return;
  std::string out;
  if (o.header) {
    out += '|';
    for (size_t c = 0; c < nc; ++c) out += ' ' + markdown_cell(r.column_name(c)) + " |";
    out += "\n|";
    for (size_t c = 0; c < nc; ++c) out += right_aligned(r.column_type(c)) ? "---:|" : "---|";
    out += '\n';
  }
  for (const auto& ch : r.chunks()) {
    for (size_t i = 0; i < ch->size(); ++i) {
      out += '|';
      for (size_t c = 0; c < nc; ++c) out += ' ' + markdown_cell(display_text(ch->column(c), i)) + " |";
      out += '\n';
    }
    os.write(out.data(), static_cast<std::streamsize>(out.size()));
    out.clear();
  }
}

}  // namespace detail::printer

VISIONDB_INLINE void print_result(std::ostream& os, const QueryResult& r, const PrintOptions& o) {
  if (!r.has_rows()) {
    if (o.format == OutputFormat::Table && !r.status().empty()) {
      os << r.status();
      if (r.rows_affected() > 0) os << " (" << r.rows_affected() << (r.rows_affected() == 1 ? " row)" : " rows)");
      os << '\n';
    }
    return;
  }
  switch (o.format) {
    case OutputFormat::Table: detail::printer::print_table(os, r, o); break;
    case OutputFormat::Csv: detail::printer::print_csv(os, r, o); break;
    case OutputFormat::Json: detail::printer::print_json(os, r, false); break;
    case OutputFormat::JsonLines: detail::printer::print_json(os, r, true); break;
    case OutputFormat::Markdown: detail::printer::print_markdown(os, r, o); break;
  }
}

VISIONDB_INLINE std::string format_result(const QueryResult& r, const PrintOptions& o) {
  std::ostringstream os;
  print_result(os, r, o);
  return os.str();
}

}  // namespace visiondb
