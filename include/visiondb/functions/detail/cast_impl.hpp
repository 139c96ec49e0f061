// Out-of-line parts of scalar/cast.hpp.
#pragma once

#include <charconv>
#include <cmath>
#include <cstring>

#include "visiondb/common/error.hpp"
#include "visiondb/config.hpp"
#include "visiondb/functions/detail/time_zone.hpp"
#include "visiondb/functions/scalar/cast.hpp"
#include "visiondb/storage/detail/civil_time.hpp"
#include "visiondb/storage/detail/text.hpp"
#include "visiondb/storage/detail/format.hpp"

namespace visiondb::fn {

namespace detail {

inline std::string_view trim_spaces(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

inline bool valid_utf8(std::string_view s) {
  size_t i = 0, n = s.size();
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  while (i < n) {
    unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len = (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (len == 0 || i + len > n) return false;
    for (size_t k = 1; k < len; ++k)
      if ((p[i + k] & 0xC0) != 0x80) return false;
    i += len;
  }
  return true;
}

inline bool parse_digits(std::string_view s, size_t& pos, size_t count, int& out) {
  if (pos + count > s.size()) return false;
  int v = 0;
  for (size_t k = 0; k < count; ++k) {
    char c = s[pos + k];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  pos += count;
  out = v;
  return true;
}

// "YYYY-MM-DD" at pos (year 1 to 4 digits as BigQuery accepts, usually 4).
inline bool parse_date_at(std::string_view s, size_t& pos, int64_t& days) {
  size_t start = pos;
  while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
  size_t ylen = pos - start;
  if (ylen < 1 || ylen > 4 || pos >= s.size() || s[pos] != '-') return false;
  int year = 0;
  for (size_t k = start; k < pos; ++k) year = year * 10 + (s[k] - '0');
  ++pos;
  int month = 0, day = 0;
  size_t mstart = pos;
  while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
  if (pos - mstart < 1 || pos - mstart > 2) return false;
  for (size_t k = mstart; k < pos; ++k) month = month * 10 + (s[k] - '0');
  if (pos >= s.size() || s[pos] != '-') return false;
  ++pos;
  size_t dstart = pos;
  while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
  if (pos - dstart < 1 || pos - dstart > 2) return false;
  for (size_t k = dstart; k < pos; ++k) day = day * 10 + (s[k] - '0');
  if (month < 1 || month > 12 || day < 1 || year < 1) return false;
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  int dim = kDays[month - 1] + (month == 2 && leap ? 1 : 0);
  if (day > dim) return false;
  days = visiondb::detail::days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  return true;
}

[[noreturn]] inline void cast_error(const std::string& what) { throw SqlError(ErrorKind::Execution, what); }

}  // namespace detail

VISIONDB_INLINE std::optional<int64_t> parse_int64(std::string_view s) {
  s = detail::trim_spaces(s);
  bool neg = false;
  std::string_view body = s;
  if (!body.empty() && (body[0] == '-' || body[0] == '+')) {
    neg = body[0] == '-';
    body.remove_prefix(1);
  }
  if (body.empty()) return std::nullopt;
  int base = 10;
  if (body.size() > 2 && body[0] == '0' && (body[1] == 'x' || body[1] == 'X')) {
    base = 16;
    body.remove_prefix(2);
  }
  uint64_t v = 0;
  auto res = std::from_chars(body.data(), body.data() + body.size(), v, base);
  if (res.ec != std::errc() || res.ptr != body.data() + body.size()) return std::nullopt;
  if (neg) {
    if (v > uint64_t{1} << 63) return std::nullopt;
    return static_cast<int64_t>(0 - v);
  }
  if (v > static_cast<uint64_t>(INT64_MAX)) return std::nullopt;
  return static_cast<int64_t>(v);
}

VISIONDB_INLINE std::optional<double> parse_float64(std::string_view s) {
  s = detail::trim_spaces(s);
  if (s.empty()) return std::nullopt;
  std::string_view body = s;
  bool neg = false;
  if (body[0] == '-' || body[0] == '+') {
    neg = body[0] == '-';
    body.remove_prefix(1);
  }
  std::string lower = visiondb::detail::to_lower(body);
  if (lower == "inf" || lower == "infinity") return neg ? -INFINITY : INFINITY;
  if (lower == "nan") return NAN;
  if (body.empty() || body[0] == '+' || body[0] == '-') return std::nullopt;
  double v = 0;
  auto res = std::from_chars(body.data(), body.data() + body.size(), v);
  if (res.ec == std::errc::result_out_of_range) {
    // Overflow to infinity is an error in BigQuery; underflow to 0 is fine.
    return std::nullopt;
  }
  if (res.ec != std::errc() || res.ptr != body.data() + body.size()) return std::nullopt;
  return neg ? -v : v;
}

VISIONDB_INLINE std::optional<int32_t> parse_date(std::string_view s) {
  s = detail::trim_spaces(s);
  size_t pos = 0;
  int64_t days = 0;
  if (!detail::parse_date_at(s, pos, days) || pos != s.size()) return std::nullopt;
  return static_cast<int32_t>(days);
}

VISIONDB_INLINE std::optional<int64_t> parse_timestamp(std::string_view s) {
  s = detail::trim_spaces(s);
  size_t pos = 0;
  int64_t days = 0;
  if (!detail::parse_date_at(s, pos, days)) return std::nullopt;
  int64_t micros = days * 86400000000LL;
  if (pos < s.size() && (s[pos] == ' ' || s[pos] == 'T' || s[pos] == 't')) {
    size_t save = pos;
    ++pos;
    int hh = 0, mm = 0, ss = 0;
    if (detail::parse_digits(s, pos, 2, hh) || (pos = save + 1, detail::parse_digits(s, pos, 1, hh))) {
      if (pos >= s.size() || s[pos] != ':') return std::nullopt;
      ++pos;
      if (!detail::parse_digits(s, pos, 2, mm)) return std::nullopt;
      int64_t frac = 0;
      if (pos < s.size() && s[pos] == ':') {
        ++pos;
        if (!detail::parse_digits(s, pos, 2, ss)) return std::nullopt;
        if (pos < s.size() && s[pos] == '.') {
          ++pos;
          size_t fs = pos;
          int64_t scale = 100000;
          while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
            if (pos - fs < 6) frac += (s[pos] - '0') * scale;
            scale /= 10;
            ++pos;
          }
          if (pos == fs) return std::nullopt;
        }
      }
      if (hh > 23 || mm > 59 || ss > 59) return std::nullopt;
      micros += (int64_t{hh} * 3600 + mm * 60 + ss) * 1000000LL + frac;
    } else {
      pos = save;
    }
  }
  // Time zone: Z, UTC, +HH[:MM], -HH[:MM].
  while (pos < s.size() && s[pos] == ' ') ++pos;
  if (pos < s.size()) {
    std::string_view tz = s.substr(pos);
    if (tz == "Z" || tz == "z" || visiondb::detail::iequals(tz, "UTC")) return micros;
    if (tz[0] != '+' && tz[0] != '-') {
      // A zone name ('2024-05-01 12:00:00 America/Los_Angeles'): the wall time in that zone.
      auto zone = detail::TimeZone::find(tz);
      if (!zone) return std::nullopt;
      int64_t secs = visiondb::detail::floor_div(micros, 1000000);
      return zone->to_utc(secs) * 1000000 + (micros - secs * 1000000);
    }
    int sign = tz[0] == '-' ? -1 : 1;
    size_t p = 1;
    int th = 0, tm = 0;
    if (!detail::parse_digits(tz, p, 2, th) && !(p = 1, detail::parse_digits(tz, p, 1, th))) return std::nullopt;
    if (p < tz.size() && tz[p] == ':') {
      ++p;
      if (!detail::parse_digits(tz, p, 2, tm)) return std::nullopt;
    } else if (p + 2 == tz.size()) {
      if (!detail::parse_digits(tz, p, 2, tm)) return std::nullopt;
    }
    if (p != tz.size() || th > 14 || tm > 59) return std::nullopt;
    micros -= sign * (int64_t{th} * 3600 + tm * 60) * 1000000LL;
  }
  return micros;
}

VISIONDB_INLINE std::string format_float64(double d) { return visiondb::detail::format_double(d); }

VISIONDB_INLINE bool can_cast(const LogicalType& from, const LogicalType& to) {
  TypeId f = from.id(), t = to.id();
  if (f == TypeId::Null || from == to) return true;
  switch (t) {
    case TypeId::Int64: return f == TypeId::Float64 || f == TypeId::String || f == TypeId::Bool;
    case TypeId::Float64: return f == TypeId::Int64 || f == TypeId::String;
    case TypeId::Bool: return f == TypeId::Int64 || f == TypeId::String;
    case TypeId::String:
      return f == TypeId::Int64 || f == TypeId::Float64 || f == TypeId::Bool || f == TypeId::Bytes ||
             f == TypeId::Date || f == TypeId::Timestamp;
    case TypeId::Bytes: return f == TypeId::String;
    case TypeId::Date: return f == TypeId::String || f == TypeId::Timestamp;
    case TypeId::Timestamp: return f == TypeId::String || f == TypeId::Date;
    case TypeId::Array: return f == TypeId::Array && can_cast(from.element(), to.element());
    case TypeId::Struct: {
      if (f != TypeId::Struct || from.fields().size() != to.fields().size()) return false;
      for (size_t i = 0; i < from.fields().size(); ++i)
        if (!can_cast(*from.fields()[i].type, *to.fields()[i].type)) return false;
      return true;
    }
    default: return false;
  }
}

namespace detail {

inline std::string show(std::string_view s) { return std::string(s); }

// One value in, one value out; false = not convertible (msg says why).
struct CastRow {
  bool safe;
  [[noreturn]] void fail(const std::string& msg) const { cast_error(msg); }
};

inline bool double_to_int(double d, int64_t& out) {
  if (!std::isfinite(d)) return false;
  double r = std::round(d);  // half away from zero, as BigQuery
  if (r < -9223372036854775808.0 || r >= 9223372036854775808.0) return false;
  out = static_cast<int64_t>(r);
  return true;
}

template <class T>
T* fixed_out(Column& out, size_t n) {
  out.resize(n);
  return out.data<T>();
}

}  // namespace detail

VISIONDB_INLINE void cast_column(const ColumnView& in, size_t n, const LogicalType& to, bool safe, Column& out) {
  const Column& c = *in.column;
  const LogicalType& from = c.type();
  TypeId f = from.id(), t = to.id();
  auto fail = [&](size_t i, const std::string& msg) {
    if (!safe) detail::cast_error(msg);
    out.set_null(i);
  };
  if (f == TypeId::Null) {
    for (size_t i = 0; i < n; ++i) out.append_null();
    return;
  }
  if (from == to) {
    for (size_t i = 0; i < n; ++i) out.append_from(c, in.row(i));
    return;
  }
  if (f == TypeId::Array && t == TypeId::Array) {
    // Element by element in one bulk cast of all the rows' elements (no Value per element).
    std::vector<uint32_t> rows;
    for (size_t i = 0; i < n; ++i) {
      const uint32_t r = in.row(i);
      if (!c.is_valid(r)) continue;
      auto [b, e] = c.array_range(r);
      for (int64_t k = b; k < e; ++k) rows.push_back(static_cast<uint32_t>(k));
    }
    Column elements(to.element());
    cast_column(ColumnView(&c.child(), rows.data()), rows.size(), to.element(), safe, elements);
    size_t pos = 0;
    for (size_t i = 0; i < n; ++i) {
      const uint32_t r = in.row(i);
      if (!c.is_valid(r)) {
        out.append_null();
        continue;
      }
      const size_t len = c.array_length(r);
      out.child().append_range(elements, pos, len);
      out.close_array_row();
      pos += len;
    }
    return;
  }
  const bool nulls = !in.all_valid();
  // Fixed-width outputs: fill a buffer, NULLs marked afterwards.
  switch (t) {
    case TypeId::Int64: {
      int64_t* o = detail::fixed_out<int64_t>(out, n);
      for (size_t i = 0; i < n; ++i) {
        uint32_t r = in.row(i);
        if (nulls && !c.is_valid(r)) {
          out.set_null(i);
          continue;
        }
        if (f == TypeId::Float64) {
          double d = c.data<double>()[r];
          if (!detail::double_to_int(d, o[i])) fail(i, "cannot cast " + format_float64(d) + " to INT64: out of range");
        } else if (f == TypeId::Bool) {
          o[i] = c.data<uint8_t>()[r];
        } else {  // String
          auto v = parse_int64(c.string_at(r));
          if (v) o[i] = *v;
          else fail(i, "bad int64 value: " + detail::show(c.string_at(r)));
        }
      }
      return;
    }
    case TypeId::Float64: {
      double* o = detail::fixed_out<double>(out, n);
      for (size_t i = 0; i < n; ++i) {
        uint32_t r = in.row(i);
        if (nulls && !c.is_valid(r)) {
          out.set_null(i);
          continue;
        }
        if (f == TypeId::Int64) {
          o[i] = static_cast<double>(c.data<int64_t>()[r]);
        } else {
          auto v = parse_float64(c.string_at(r));
          if (v) o[i] = *v;
          else fail(i, "bad double value: " + detail::show(c.string_at(r)));
        }
      }
      return;
    }
    case TypeId::Bool: {
      uint8_t* o = detail::fixed_out<uint8_t>(out, n);
      for (size_t i = 0; i < n; ++i) {
        uint32_t r = in.row(i);
        if (nulls && !c.is_valid(r)) {
          out.set_null(i);
          continue;
        }
        if (f == TypeId::Int64) {
          o[i] = c.data<int64_t>()[r] != 0;
        } else {
          std::string_view s = detail::trim_spaces(c.string_at(r));
          if (visiondb::detail::iequals(s, "true")) o[i] = 1;
          else if (visiondb::detail::iequals(s, "false")) o[i] = 0;
          else fail(i, "bad bool value: " + detail::show(c.string_at(r)));
        }
      }
      return;
    }
    case TypeId::Date: {
      int32_t* o = detail::fixed_out<int32_t>(out, n);
      for (size_t i = 0; i < n; ++i) {
        uint32_t r = in.row(i);
        if (nulls && !c.is_valid(r)) {
          out.set_null(i);
          continue;
        }
        if (f == TypeId::Timestamp) {
          o[i] = static_cast<int32_t>(visiondb::detail::floor_div(c.data<int64_t>()[r], 86400000000LL));
        } else {
          auto v = parse_date(c.string_at(r));
          if (v) o[i] = *v;
          else fail(i, "invalid date: '" + detail::show(c.string_at(r)) + "'");
        }
      }
      return;
    }
    case TypeId::Timestamp: {
      int64_t* o = detail::fixed_out<int64_t>(out, n);
      for (size_t i = 0; i < n; ++i) {
        uint32_t r = in.row(i);
        if (nulls && !c.is_valid(r)) {
          out.set_null(i);
          continue;
        }
        if (f == TypeId::Date) {
          o[i] = int64_t{c.data<int32_t>()[r]} * 86400000000LL;
        } else {
          auto v = parse_timestamp(c.string_at(r));
          if (v) o[i] = *v;
          else fail(i, "invalid timestamp: '" + detail::show(c.string_at(r)) + "'");
        }
      }
      return;
    }
    default: break;
  }
  // Variable-width and nested outputs: appended row by row.
  for (size_t i = 0; i < n; ++i) {
    uint32_t r = in.row(i);
    if (nulls && !c.is_valid(r)) {
      out.append_null();
      continue;
    }
    switch (t) {
      case TypeId::String:
        switch (f) {
          case TypeId::Int64: out.append_string(std::to_string(c.data<int64_t>()[r])); break;
          case TypeId::Float64: out.append_string(format_float64(c.data<double>()[r])); break;
          case TypeId::Bool: out.append_string(c.data<uint8_t>()[r] ? "true" : "false"); break;
          case TypeId::Date: out.append_string(visiondb::detail::format_date(c.data<int32_t>()[r])); break;
          case TypeId::Timestamp: out.append_string(visiondb::detail::format_timestamp(c.data<int64_t>()[r])); break;
          case TypeId::Bytes: {
            std::string_view s = c.string_at(r);
            if (detail::valid_utf8(s)) {
              out.append_string(s);
            } else {
              if (!safe) detail::cast_error("cannot cast BYTES to STRING: the bytes are not valid UTF-8");
              out.append_null();
            }
            break;
          }
          default: detail::cast_error("cannot cast " + from.to_string() + " to STRING");
        }
        break;
      case TypeId::Bytes: out.append_string(c.string_at(r)); break;
      case TypeId::Array:
      case TypeId::Struct: {
        Value v = cast_value(c.get(r), to, safe);
        out.append(v);
        break;
      }
      default: detail::cast_error("cannot cast " + from.to_string() + " to " + to.to_string());
    }
  }
}

VISIONDB_INLINE Value cast_value(const Value& v, const LogicalType& to, bool safe) {
  if (v.is_null()) return Value::null(to);
  if (v.type() == to) return v;
  if (to.id() == TypeId::Array && v.type().id() == TypeId::Array) {
    std::vector<Value> xs;
    for (const auto& e : v.children()) xs.push_back(cast_value(e, to.element(), safe));
    return Value::array(to.element(), std::move(xs));
  }
  if (to.id() == TypeId::Struct && v.type().id() == TypeId::Struct) {
    std::vector<Value> xs;
    const auto& fs = to.fields();
    for (size_t i = 0; i < fs.size(); ++i) xs.push_back(cast_value(v.children()[i], *fs[i].type, safe));
    return Value::structure(to, std::move(xs));
  }
  Column in(v.type());
  in.append(v);
  Column out(to);
  cast_column(ColumnView(&in), 1, to, safe, out);
  return out.get(0);
}

}  // namespace visiondb::fn
