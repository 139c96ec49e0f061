// Text forms of values shared by storage, functions and results: shortest round-trip doubles and
// quoted SQL strings.
#pragma once

#include <charconv>
#include <cmath>
#include <string>

namespace visiondb {

namespace detail {
/// Shortest decimal that reads back as the same double; "inf", "-inf", "nan" as BigQuery prints them.
inline std::string format_double(double d) {
  if (std::isnan(d)) return "nan";
  if (std::isinf(d)) return d > 0 ? "inf" : "-inf";
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, d);
  return std::string(buf, res.ptr);
}

inline std::string quote_sql_string(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "'";
}
}  // namespace detail

}  // namespace visiondb
