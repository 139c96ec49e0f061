// Text <-> value conversions of CSV fields: the parsers the reader converts columns with (and
// infers types with), and the formatters the writer uses. BigQuery's text forms.
#pragma once

#include <charconv>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "visiondb/storage/detail/civil_time.hpp"
#include "visiondb/storage/types.hpp"

namespace visiondb::io::detail {

inline bool is_blank(char c) noexcept { return c == ' ' || c == '\t'; }

/// The text without leading and trailing spaces and tabs.
inline std::string_view trim_blanks(std::string_view s) noexcept {
  while (!s.empty() && is_blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_blank(s.back())) s.remove_suffix(1);
  return s;
}

/// [+-]digits, within INT64.
inline bool parse_int64(std::string_view s, int64_t& out) noexcept {
  // Fast path: up to 18 digits cannot overflow.
  if (!s.empty() && s.size() <= 18 && s[0] >= '0' && s[0] <= '9') {
    uint64_t v = 0;
    unsigned bad = 0;
    for (char ch : s) {
      const unsigned d = static_cast<unsigned char>(ch) - '0';
      bad |= d > 9;
      v = v * 10 + d;
    }
    if (!bad) {
      out = static_cast<int64_t>(v);
      return true;
    }
  }
  if (!s.empty() && (is_blank(s.front()) || is_blank(s.back()))) s = trim_blanks(s);
  const char* p = s.data();
  const char* e = p + s.size();
  bool neg = false;
  if (p != e && (*p == '-' || *p == '+')) neg = *p++ == '-';
  if (p == e || e - p > 19) {
    if (e - p <= 19) return false;
    // Twenty or more characters: only leading zeros could keep it in range; rare, go slow.
    while (p != e && *p == '0') ++p;
    if (e - p > 19) return false;
    if (p == e) {
      out = 0;
      return true;
    }
  }
  uint64_t v = 0;
  for (; p != e; ++p) {
    unsigned d = static_cast<unsigned char>(*p) - '0';
    if (d > 9) return false;
    if (v > (UINT64_MAX - d) / 10) return false;
    v = v * 10 + d;
  }
  if (neg) {
    if (v > uint64_t{1} << 63) return false;
    out = static_cast<int64_t>(0 - v);
  } else {
    if (v > static_cast<uint64_t>(INT64_MAX)) return false;
    out = static_cast<int64_t>(v);
  }
  return true;
}

/// Decimal or scientific notation, "inf", "infinity", "nan" (any case, with a sign).
inline bool parse_float64(std::string_view s, double& out) noexcept {
  if (!s.empty() && (is_blank(s.front()) || is_blank(s.back()))) s = trim_blanks(s);
  if (s.empty()) return false;
  const char* p = s.data();
  const char* e = p + s.size();
  if (*p == '+') {
    ++p;
    if (p == e || *p == '-' || *p == '+') return false;
  }
  auto r = std::from_chars(p, e, out, std::chars_format::general);
  if (r.ec == std::errc::result_out_of_range) {
    // Under- or overflow: from_chars leaves out unset; fall back to strtod's saturating answer.
    std::string copy(p, e);
    out = std::strtod(copy.c_str(), nullptr);
    return true;
  }
  return r.ec == std::errc() && r.ptr == e;
}

inline bool iequal_ascii(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (x != b[i]) return false;
  }
  return true;
}

/// "true"/"false" in any case; with `lenient` also t/f, yes/no, y/n, 1/0 (BigQuery's CSV BOOL).
inline bool parse_bool(std::string_view s, bool lenient, bool& out) noexcept {
  s = trim_blanks(s);
  if (iequal_ascii(s, "true")) return out = true, true;
  if (iequal_ascii(s, "false")) return out = false, true;
  if (!lenient) return false;
  if (iequal_ascii(s, "t") || iequal_ascii(s, "yes") || iequal_ascii(s, "y") || s == "1") return out = true, true;
  if (iequal_ascii(s, "f") || iequal_ascii(s, "no") || iequal_ascii(s, "n") || s == "0") return out = false, true;
  return false;
}

// Reads 1..max_digits digits into v; advances p.
inline bool read_digits(const char*& p, const char* e, int min_digits, int max_digits, int64_t& v) noexcept {
  v = 0;
  int n = 0;
  while (p != e && n < max_digits && *p >= '0' && *p <= '9') {
    v = v * 10 + (*p - '0');
    ++p;
    ++n;
  }
  return n >= min_digits;
}

inline unsigned days_in_month(int64_t y, int64_t m) noexcept {
  static constexpr unsigned kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kDays[m - 1];
}

// YYYY-[M]M-[D]D at p; advances p.
inline bool read_date(const char*& p, const char* e, int64_t& days) noexcept {
  int64_t y, m, d;
  if (!read_digits(p, e, 4, 4, y) || p == e || *p++ != '-') return false;
  if (!read_digits(p, e, 1, 2, m) || p == e || *p++ != '-') return false;
  if (!read_digits(p, e, 1, 2, d)) return false;
  if (y < 1 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m)) return false;
  days = visiondb::detail::days_from_civil(y, static_cast<unsigned>(m), static_cast<unsigned>(d));
  return true;
}

/// YYYY-[M]M-[D]D (BigQuery's canonical DATE form).
inline bool parse_date(std::string_view s, int32_t& out) noexcept {
  s = trim_blanks(s);
  const char* p = s.data();
  const char* e = p + s.size();
  int64_t days;
  if (!read_date(p, e, days) || p != e) return false;
  out = static_cast<int32_t>(days);
  return true;
}

/// YYYY-[M]M-[D]D[( |T)[H]H:[M]M[:[S]S[.F{1,6}]]][ ][Z|UTC|(+|-)H[H][[:]MM]], UTC when no zone
/// is given; a date alone is its midnight. `require_time` rejects a date alone (inference).
inline bool parse_timestamp(std::string_view s, int64_t& out, bool require_time = false) noexcept {
  s = trim_blanks(s);
  const char* p = s.data();
  const char* e = p + s.size();
  int64_t days;
  if (!read_date(p, e, days)) return false;
  int64_t micros = 0;
  if (p == e) {
    if (require_time) return false;
    out = days * 86400000000LL;
    return true;
  }
  if (*p != ' ' && *p != 'T' && *p != 't') return false;
  ++p;
  int64_t hh, mi, ss = 0;
  if (!read_digits(p, e, 1, 2, hh) || p == e || *p++ != ':') return false;
  if (!read_digits(p, e, 1, 2, mi)) return false;
  if (p != e && *p == ':') {
    ++p;
    if (!read_digits(p, e, 1, 2, ss)) return false;
    if (p != e && *p == '.') {
      ++p;
      int64_t frac = 0;
      int n = 0;
      while (p != e && *p >= '0' && *p <= '9') {
        if (n < 6) frac = frac * 10 + (*p - '0');
        ++p;
        ++n;
      }
      if (n == 0 || n > 9) return false;
      for (int k = std::min(n, 6); k < 6; ++k) frac *= 10;
      micros = frac;
    }
  }
  if (hh > 23 || mi > 59 || ss > 60) return false;  // 60: a leap second, as BigQuery accepts
  int64_t offset_minutes = 0;
  if (p != e && *p == ' ') ++p;
  if (p != e) {
    std::string_view zone(p, static_cast<size_t>(e - p));
    if (zone == "Z" || zone == "z" || iequal_ascii(zone, "utc")) {
      p = e;
    } else if (*p == '+' || *p == '-') {
      int sign = *p++ == '-' ? -1 : 1;
      int64_t oh, om = 0;
      if (!read_digits(p, e, 1, 2, oh)) return false;
      if (p != e && *p == ':') ++p;
      if (p != e && !read_digits(p, e, 2, 2, om)) return false;
      if (oh > 14 || om > 59) return false;
      offset_minutes = sign * (oh * 60 + om);
    } else {
      return false;
    }
  }
  if (p != e) return false;
  out = days * 86400000000LL + ((hh * 60 + mi - offset_minutes) * 60 + ss) * 1000000LL + micros;
  return true;
}

/// The narrowest type of a non-NULL text value: BOOL, INT64, FLOAT64, DATE, TIMESTAMP or STRING.
inline TypeId infer_type(std::string_view s) noexcept {
  s = trim_blanks(s);
  if (s.empty()) return TypeId::String;
  const char c = s[0];
  if ((c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.') {
    int64_t i;
    if (parse_int64(s, i)) return TypeId::Int64;
    double d;
    if (parse_float64(s, d)) return TypeId::Float64;
    int32_t day;
    if (parse_date(s, day)) return TypeId::Date;
    int64_t ts;
    if (parse_timestamp(s, ts, true)) return TypeId::Timestamp;
    return TypeId::String;
  }
  bool b;
  if (parse_bool(s, false, b)) return TypeId::Bool;
  double d;
  // Only the spelled-out specials count as numbers ("nan", "inf", "infinity" with their case);
  // any other word is a string.
  if ((c == 'n' || c == 'N' || c == 'i' || c == 'I') && parse_float64(s, d)) return TypeId::Float64;
  return TypeId::String;
}

/// The least type that holds values of both: NULL joins anything; INT64 and FLOAT64 give FLOAT64;
/// DATE and TIMESTAMP give TIMESTAMP; other pairs give STRING.
inline TypeId join_types(TypeId a, TypeId b) noexcept {
  if (a == TypeId::Null) return b;
  if (b == TypeId::Null || a == b) return a;
  auto pair = [&](TypeId x, TypeId y) { return (a == x && b == y) || (a == y && b == x); };
  if (pair(TypeId::Int64, TypeId::Float64)) return TypeId::Float64;
  if (pair(TypeId::Date, TypeId::Timestamp)) return TypeId::Timestamp;
  return TypeId::String;
}

// ---- formatting -------------------------------------------------------------------------------

/// Shortest text that reads back as the same double; "NaN", "Infinity", "-Infinity" (BigQuery's).
inline void append_float64(std::string& out, double v) {
  if (v != v) {
    out += "NaN";
    return;
  }
  if (v == __builtin_inf()) {
    out += "Infinity";
    return;
  }
  if (v == -__builtin_inf()) {
    out += "-Infinity";
    return;
  }
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}

inline void append_int64(std::string& out, int64_t v) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}

/// "2024-05-01 12:00:00[.ffffff] UTC": BigQuery's CSV export form of a TIMESTAMP.
inline void append_timestamp_utc(std::string& out, int64_t micros) {
  std::string s = visiondb::detail::format_timestamp(micros);  // "... +00"
  if (s.size() >= 3 && s.compare(s.size() - 3, 3, "+00") == 0) s.resize(s.size() - 3);
  out += s;
  out += " UTC";
}

/// Standard base64 with padding (BigQuery's text form of BYTES).
inline void append_base64(std::string& out, std::string_view bytes) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    uint32_t v = (uint32_t(uint8_t(bytes[i])) << 16) | (uint32_t(uint8_t(bytes[i + 1])) << 8) | uint8_t(bytes[i + 2]);
    out += kAlphabet[v >> 18];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  if (size_t rest = bytes.size() - i) {
    uint32_t v = uint32_t(uint8_t(bytes[i])) << 16;
    if (rest == 2) v |= uint32_t(uint8_t(bytes[i + 1])) << 8;
    out += kAlphabet[v >> 18];
    out += kAlphabet[(v >> 12) & 63];
    out += rest == 2 ? kAlphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
}

}  // namespace visiondb::io::detail
