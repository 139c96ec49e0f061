// Out-of-line parts of csv_options.hpp: OPTIONS(name=value) entries to CSV options.
#pragma once

#include "visiondb/common/error.hpp"
#include "visiondb/config.hpp"
#include "visiondb/io/csv_options.hpp"
#include "visiondb/storage/detail/text.hpp"

namespace visiondb::io {

namespace detail {

inline std::string option_type_error(std::string_view name, std::string_view expected, const Value& v) {
  return "option " + std::string(name) + " expects " + std::string(expected) + ", got " +
         (v.is_null() ? std::string("NULL") : v.type().to_string());
}

inline const std::string& string_option(std::string_view name, const Value& v) {
  if (v.is_null() || v.type().id() != TypeId::String)
    visiondb::detail::throw_invalid_argument(option_type_error(name, "a STRING", v));
  return v.as_string();
}

inline bool bool_option(std::string_view name, const Value& v) {
  if (v.is_null() || v.type().id() != TypeId::Bool)
    visiondb::detail::throw_invalid_argument(option_type_error(name, "a BOOL", v));
  return v.as_bool();
}

inline int64_t count_option(std::string_view name, const Value& v) {
  if (v.is_null() || v.type().id() != TypeId::Int64)
    visiondb::detail::throw_invalid_argument(option_type_error(name, "an INT64", v));
  if (v.as_int64() < 0)
    visiondb::detail::throw_invalid_argument("option " + std::string(name) + " must be >= 0, got " +
                                             std::to_string(v.as_int64()));
  return v.as_int64();
}

// BigQuery takes the first byte of the delimiter and spells tab as "\t" or "tab".
inline char delimiter_option(std::string_view name, const Value& v) {
  const std::string& s = string_option(name, v);
  if (s == "\\t" || visiondb::detail::iequals(s, "tab")) return '\t';
  if (s.size() != 1)
    visiondb::detail::throw_invalid_argument("option " + std::string(name) +
                                             " must be one character (or '\\t' / 'tab'), got '" + s + "'");
  if (s[0] == '\n' || s[0] == '\r')
    visiondb::detail::throw_invalid_argument("option " + std::string(name) + " cannot be a line break");
  return s[0];
}

}  // namespace detail

VISIONDB_INLINE bool apply_csv_read_option(CsvReadOptions& o, std::string_view name, const Value& v) {
  using visiondb::detail::iequals;
  if (iequals(name, "field_delimiter")) {
    o.field_delimiter = detail::delimiter_option(name, v);
  } else if (iequals(name, "quote")) {
    const std::string& s = detail::string_option(name, v);
    if (s.size() > 1)
      visiondb::detail::throw_invalid_argument("option quote must be one character or '', got '" + s + "'");
    o.quote = s.empty() ? std::nullopt : std::optional<char>(s[0]);
  } else if (iequals(name, "skip_leading_rows")) {
    o.skip_leading_rows = detail::count_option(name, v);
  } else if (iequals(name, "null_marker")) {
    o.null_marker = detail::string_option(name, v);
  } else if (iequals(name, "max_bad_records")) {
    o.max_bad_records = detail::count_option(name, v);
  } else if (iequals(name, "allow_jagged_rows")) {
    o.allow_jagged_rows = detail::bool_option(name, v);
  } else if (iequals(name, "ignore_unknown_values")) {
    o.ignore_unknown_values = detail::bool_option(name, v);
  } else if (iequals(name, "allow_quoted_newlines")) {
    o.allow_quoted_newlines = detail::bool_option(name, v);
  } else if (iequals(name, "encoding")) {
    const std::string& s = detail::string_option(name, v);
    if (!iequals(s, "UTF-8") && !iequals(s, "UTF8"))
      visiondb::detail::throw_invalid_argument("option encoding: only 'UTF-8' is supported, got '" + s + "'");
  } else {
    return false;
  }
  if (o.quote && *o.quote == o.field_delimiter)
    visiondb::detail::throw_invalid_argument("options quote and field_delimiter must differ");
  return true;
}

VISIONDB_INLINE bool apply_csv_write_option(CsvWriteOptions& o, std::string_view name, const Value& v) {
  using visiondb::detail::iequals;
  if (iequals(name, "field_delimiter")) {
    o.field_delimiter = detail::delimiter_option(name, v);
    if (o.field_delimiter == '"')
      visiondb::detail::throw_invalid_argument("option field_delimiter cannot be the quote character");
  } else if (iequals(name, "header")) {
    o.header = detail::bool_option(name, v);
  } else if (iequals(name, "overwrite")) {
    o.overwrite = detail::bool_option(name, v);
  } else if (iequals(name, "compression")) {
    const std::string& s = detail::string_option(name, v);
    if (!iequals(s, "NONE"))
      visiondb::detail::throw_invalid_argument("option compression: only 'NONE' is supported for CSV, got '" + s +
                                               "'");
  } else {
    return false;
  }
  return true;
}

VISIONDB_INLINE std::vector<std::string> string_list_option(std::string_view option, const Value& v) {
  std::vector<std::string> out;
  if (!v.is_null() && v.type().id() == TypeId::String) {
    out.push_back(v.as_string());
    return out;
  }
  if (v.is_null() || v.type().id() != TypeId::Array)
    visiondb::detail::throw_invalid_argument(detail::option_type_error(option, "an ARRAY<STRING>", v));
  for (const Value& e : v.children()) {
    if (e.is_null() || e.type().id() != TypeId::String)
      visiondb::detail::throw_invalid_argument(detail::option_type_error(option, "an ARRAY<STRING>", v));
    out.push_back(e.as_string());
  }
  return out;
}

}  // namespace visiondb::io
