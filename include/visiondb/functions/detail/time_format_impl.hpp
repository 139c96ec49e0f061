// Out-of-line parts of detail/time_format.hpp.
#pragma once

#include <cctype>
#include <cstdio>

#include "visiondb/config.hpp"
#include "visiondb/functions/detail/time_format.hpp"
#include "visiondb/storage/detail/civil_time.hpp"

namespace visiondb::fn::detail {

namespace time_text {
inline constexpr const char* kWeekdays[] = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};
inline constexpr const char* kMonths[] = {"January", "February", "March",     "April",   "May",      "June",
                                          "July",    "August",   "September", "October", "November", "December"};

struct Fields {
  int64_t year = 1970;
  unsigned month = 1, day = 1;
  int64_t days = 0;  // since the epoch
  int hour = 0, minute = 0, second = 0, micros = 0;
  int weekday = 4;  // 0 Sunday
  int64_t yday = 1;
  int32_t offset = 0;
};

inline int64_t fdiv(int64_t a, int64_t b) { return visiondb::detail::floor_div(a, b); }

inline Fields fields_of(int64_t t, const TimeZone& tz) {
  Fields f;
  int64_t secs = fdiv(t, 1000000);
  f.offset = tz.offset_at(secs);
  int64_t local = t + int64_t{f.offset} * 1000000;
  f.days = fdiv(local, 86400000000LL);
  int64_t in_day = local - f.days * 86400000000LL;
  auto c = visiondb::detail::civil_from_days(f.days);
  f.year = c.year;
  f.month = c.month;
  f.day = c.day;
  f.hour = static_cast<int>(in_day / 3600000000LL);
  f.minute = static_cast<int>(in_day / 60000000 % 60);
  f.second = static_cast<int>(in_day / 1000000 % 60);
  f.micros = static_cast<int>(in_day % 1000000);
  f.weekday = static_cast<int>(((f.days + 4) % 7 + 7) % 7);
  f.yday = f.days - visiondb::detail::days_from_civil(f.year, 1, 1) + 1;
  return f;
}

inline void num(std::string& out, int64_t v, int width, char pad = '0') {
  char buf[32];
  int n = std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(v < 0 ? -v : v));
  if (v < 0) out += '-';
  for (int k = n; k < width; ++k) out += pad;
  out.append(buf, static_cast<size_t>(n));
}

inline int64_t iso_start(int64_t year) {
  int64_t jan4 = visiondb::detail::days_from_civil(year, 1, 4);
  return jan4 - (((jan4 + 4) % 7 + 7) % 7 + 6) % 7;
}
inline int64_t iso_year_of(int64_t days, int64_t year) {
  if (days >= iso_start(year + 1)) return year + 1;
  if (days < iso_start(year)) return year - 1;
  return year;
}
}  // namespace time_text

VISIONDB_INLINE void format_time(std::string_view format, int64_t t, const TimeZone& tz, std::string& out) {
  using namespace time_text;
  out.clear();
  const Fields f = fields_of(t, tz);
  const int64_t iso_year = iso_year_of(f.days, f.year);
  for (size_t i = 0; i < format.size(); ++i) {
    char c = format[i];
    if (c != '%' || i + 1 >= format.size()) {
      out += c;
      continue;
    }
    char e = format[++i];
    switch (e) {
      case 'A': out += kWeekdays[f.weekday]; break;
      case 'a': out.append(kWeekdays[f.weekday], 3); break;
      case 'B': out += kMonths[f.month - 1]; break;
      case 'b':
      case 'h': out.append(kMonths[f.month - 1], 3); break;
      case 'C': num(out, fdiv(f.year, 100), 2); break;
      case 'c': {
        out.append(kWeekdays[f.weekday], 3);
        out += ' ';
        out.append(kMonths[f.month - 1], 3);
        out += ' ';
        num(out, f.day, 2, ' ');
        out += ' ';
        num(out, f.hour, 2);
        out += ':';
        num(out, f.minute, 2);
        out += ':';
        num(out, f.second, 2);
        out += ' ';
        num(out, f.year, 4);
        break;
      }
      case 'D':
        num(out, f.month, 2);
        out += '/';
        num(out, f.day, 2);
        out += '/';
        num(out, f.year % 100, 2);
        break;
      case 'd': num(out, f.day, 2); break;
      case 'e': num(out, f.day, 2, ' '); break;
      case 'F':
        num(out, f.year, 4);
        out += '-';
        num(out, f.month, 2);
        out += '-';
        num(out, f.day, 2);
        break;
      case 'G': num(out, iso_year, 4); break;
      case 'g': num(out, (iso_year % 100 + 100) % 100, 2); break;
      case 'H': num(out, f.hour, 2); break;
      case 'I': num(out, (f.hour + 11) % 12 + 1, 2); break;
      case 'j': num(out, f.yday, 3); break;
      case 'k': num(out, f.hour, 2, ' '); break;
      case 'l': num(out, (f.hour + 11) % 12 + 1, 2, ' '); break;
      case 'M': num(out, f.minute, 2); break;
      case 'm': num(out, f.month, 2); break;
      case 'n': out += '\n'; break;
      case 'P': out += f.hour < 12 ? "am" : "pm"; break;
      case 'p': out += f.hour < 12 ? "AM" : "PM"; break;
      case 'Q': num(out, (f.month - 1) / 3 + 1, 1); break;
      case 'R':
        num(out, f.hour, 2);
        out += ':';
        num(out, f.minute, 2);
        break;
      case 'S': num(out, f.second, 2); break;
      case 's': num(out, fdiv(t, 1000000), 1); break;
      case 'T':
      case 'X':
        num(out, f.hour, 2);
        out += ':';
        num(out, f.minute, 2);
        out += ':';
        num(out, f.second, 2);
        break;
      case 't': out += '\t'; break;
      case 'U': {
        int64_t jan1 = f.days - f.yday + 1;
        int64_t first = jan1 + (7 - ((jan1 + 4) % 7 + 7) % 7) % 7;  // first Sunday
        num(out, f.days < first ? 0 : (f.days - first) / 7 + 1, 2);
        break;
      }
      case 'W': {
        int64_t jan1 = f.days - f.yday + 1;
        int64_t first = jan1 + (8 - ((jan1 + 4) % 7 + 7) % 7) % 7;  // first Monday
        num(out, f.days < first ? 0 : (f.days - first) / 7 + 1, 2);
        break;
      }
      case 'u': num(out, f.weekday == 0 ? 7 : f.weekday, 1); break;
      case 'V': num(out, (f.days - iso_start(iso_year)) / 7 + 1, 2); break;
      case 'w': num(out, f.weekday, 1); break;
      case 'x':
        num(out, f.month, 2);
        out += '/';
        num(out, f.day, 2);
        out += '/';
        num(out, f.year % 100, 2);
        break;
      case 'Y': num(out, f.year, 1); break;
      case 'y': num(out, f.year % 100, 2); break;
      case 'Z': out += tz.abbreviation_at(fdiv(t, 1000000)); break;
      case 'z': out += offset_text(f.offset, false); break;
      case '%': out += '%'; break;
      case 'E': {
        // %Ez, %E#S, %E*S, %E4Y
        if (i + 1 < format.size() && format[i + 1] == 'z') {
          ++i;
          out += offset_text(f.offset, true);
        } else if (i + 2 < format.size() && format[i + 1] == '*' && format[i + 2] == 'S') {
          i += 2;
          num(out, f.second, 2);
          if (f.micros) {
            char buf[16];
            std::snprintf(buf, sizeof buf, ".%06d", f.micros);
            std::string frac = buf;
            while (frac.back() == '0') frac.pop_back();
            out += frac;
          }
        } else if (i + 2 < format.size() && format[i + 1] >= '0' && format[i + 1] <= '9' && format[i + 2] == 'S') {
          int digits = format[i + 1] - '0';
          i += 2;
          num(out, f.second, 2);
          if (digits > 0) {
            char buf[16];
            std::snprintf(buf, sizeof buf, ".%06d", f.micros);
            std::string frac = buf;
            frac.resize(static_cast<size_t>(1 + std::min(digits, 6)));
            for (int k = 6; k < digits; ++k) frac += '0';
            out += frac;
          }
        } else if (i + 2 < format.size() && format[i + 1] == '4' && format[i + 2] == 'Y') {
          i += 2;
          num(out, f.year, 4);
        } else {
          out += "%E";
        }
        break;
      }
      default:
        out += '%';
        out += e;
    }
  }
}

namespace time_text {
// Reads up to `max` digits (at least one) with an optional sign when `sign`.
inline bool read_int(std::string_view s, size_t& at, int max, int64_t& v, bool sign = false) {
  bool neg = false;
  if (sign && at < s.size() && (s[at] == '-' || s[at] == '+')) neg = s[at++] == '-';
  size_t start = at;
  v = 0;
  while (at < s.size() && at - start < static_cast<size_t>(max) && s[at] >= '0' && s[at] <= '9') v = v * 10 + (s[at++] - '0');
  if (at == start) return false;
  if (neg) v = -v;
  return true;
}
inline bool read_name(std::string_view s, size_t& at, const char* const* names, int count, int& index) {
  for (int k = 0; k < count; ++k) {
    std::string_view full = names[k];
    for (size_t len : {full.size(), size_t{3}}) {
      if (at + len > s.size()) continue;
      bool same = true;
      for (size_t j = 0; j < len && same; ++j) same = std::tolower(static_cast<unsigned char>(s[at + j])) == std::tolower(static_cast<unsigned char>(full[j]));
      if (same) {
        at += len;
        index = k;
        return true;
      }
    }
  }
  return false;
}
inline bool read_offset(std::string_view s, size_t& at, int32_t& offset) {
  if (at < s.size() && (s[at] == 'Z' || s[at] == 'z')) {
    ++at;
    offset = 0;
    return true;
  }
  if (at >= s.size() || (s[at] != '+' && s[at] != '-')) return false;
  int sign = s[at++] == '-' ? -1 : 1;
  int64_t h = 0, m = 0;
  size_t start = at;
  if (!read_int(s, at, 2, h)) return false;
  if (at < s.size() && s[at] == ':') ++at;
  if (at < s.size() && s[at] >= '0' && s[at] <= '9' && !read_int(s, at, 2, m)) return false;
  if (at - start < 1 || h > 14 || m > 59) return false;
  offset = static_cast<int32_t>(sign * (h * 3600 + m * 60));
  return true;
}
}  // namespace time_text

VISIONDB_INLINE bool parse_time(std::string_view format, std::string_view s, const TimeZone& tz, int64_t& out,
                                std::string* why) {
  using namespace time_text;
  std::string expanded;
  if (format.find("%c") != std::string_view::npos) {
    // %c is "%a %b %e %H:%M:%S %Y" (and %% must stay whole while replacing).
    for (size_t i = 0; i < format.size(); ++i) {
      if (format[i] == '%' && i + 1 < format.size()) {
        if (format[i + 1] == 'c') expanded += "%a %b %e %H:%M:%S %Y";
        else expanded.append(format.substr(i, 2));
        ++i;
      } else {
        expanded += format[i];
      }
    }
    format = expanded;
  }
  int64_t year = 1970, month = 1, day = 1, hour = 0, minute = 0, second = 0, micros = 0, yday = -1;
  int64_t epoch_seconds = INT64_MIN;
  bool pm = false, has_ampm = false, has_offset = false;
  int32_t offset = 0;
  std::shared_ptr<const TimeZone> zone;
  size_t at = 0;
  auto fail = [&](std::string msg) {
    if (why) *why = std::move(msg);
    return false;
  };
  for (size_t i = 0; i < format.size(); ++i) {
    char c = format[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      while (at < s.size() && std::isspace(static_cast<unsigned char>(s[at]))) ++at;
      continue;
    }
    if (c != '%' || i + 1 >= format.size()) {
      if (at >= s.size() || s[at] != c) return fail("mismatch at '" + std::string(s.substr(at)) + "'");
      ++at;
      continue;
    }
    char e = format[++i];
    int64_t v = 0;
    int index = 0;
    bool ok = true;
    switch (e) {
      case 'Y': ok = read_int(s, at, 4, year, true); break;
      case 'C': {
        ok = read_int(s, at, 2, v);
        year = v * 100 + year % 100;
        break;
      }
      case 'y': ok = read_int(s, at, 2, v), year = v < 69 ? 2000 + v : 1900 + v; break;
      case 'm': ok = read_int(s, at, 2, month); break;
      case 'd':
      case 'e':
        while (e == 'e' && at < s.size() && s[at] == ' ') ++at;
        ok = read_int(s, at, 2, day);
        break;
      case 'j': ok = read_int(s, at, 3, yday); break;
      case 'H':
      case 'k':
        while (e == 'k' && at < s.size() && s[at] == ' ') ++at;
        ok = read_int(s, at, 2, hour);
        break;
      case 'I':
      case 'l':
        while (e == 'l' && at < s.size() && s[at] == ' ') ++at;
        ok = read_int(s, at, 2, hour);
        has_ampm = true;
        break;
      case 'M': ok = read_int(s, at, 2, minute); break;
      case 'S': ok = read_int(s, at, 2, second); break;
      case 's': ok = read_int(s, at, 19, epoch_seconds, true); break;
      case 'p':
      case 'P':
        if (at + 2 <= s.size() && (std::tolower(static_cast<unsigned char>(s[at])) == 'a' ||
                                   std::tolower(static_cast<unsigned char>(s[at])) == 'p') &&
            std::tolower(static_cast<unsigned char>(s[at + 1])) == 'm') {
          pm = std::tolower(static_cast<unsigned char>(s[at])) == 'p';
          has_ampm = true;
          at += 2;
        } else {
          ok = false;
        }
        break;
      case 'B':
      case 'b':
      case 'h': ok = read_name(s, at, kMonths, 12, index), month = index + 1; break;
      case 'A':
      case 'a': ok = read_name(s, at, kWeekdays, 7, index); break;
      case 'F':
        ok = read_int(s, at, 4, year, true) && at < s.size() && s[at++] == '-' && read_int(s, at, 2, month) &&
             at < s.size() && s[at++] == '-' && read_int(s, at, 2, day);
        break;
      case 'D':
      case 'x':
        ok = read_int(s, at, 2, month) && at < s.size() && s[at++] == '/' && read_int(s, at, 2, day) && at < s.size() &&
             s[at++] == '/' && read_int(s, at, 2, v);
        year = v < 69 ? 2000 + v : 1900 + v;
        break;
      case 'T':
      case 'X':
        ok = read_int(s, at, 2, hour) && at < s.size() && s[at++] == ':' && read_int(s, at, 2, minute) && at < s.size() &&
             s[at++] == ':' && read_int(s, at, 2, second);
        break;
      case 'R':
        ok = read_int(s, at, 2, hour) && at < s.size() && s[at++] == ':' && read_int(s, at, 2, minute);
        break;
      case 'z': ok = read_offset(s, at, offset), has_offset = true; break;
      case 'Z': {
        size_t start = at;
        while (at < s.size() && !std::isspace(static_cast<unsigned char>(s[at]))) ++at;
        zone = TimeZone::find(s.substr(start, at - start));
        ok = zone != nullptr;
        break;
      }
      case 'n':
      case 't':
        while (at < s.size() && std::isspace(static_cast<unsigned char>(s[at]))) ++at;
        break;
      case '%': ok = at < s.size() && s[at++] == '%'; break;
      case 'E': {
        if (i + 1 < format.size() && format[i + 1] == 'z') {
          ++i;
          ok = read_offset(s, at, offset);
          has_offset = true;
        } else if (i + 2 < format.size() && (format[i + 1] == '*' || (format[i + 1] >= '0' && format[i + 1] <= '9')) &&
                   format[i + 2] == 'S') {
          i += 2;
          ok = read_int(s, at, 2, second);
          if (ok && at < s.size() && s[at] == '.') {
            ++at;
            size_t start = at;
            int64_t scale = 100000;
            while (at < s.size() && s[at] >= '0' && s[at] <= '9') {
              if (at - start < 6) micros += (s[at] - '0') * scale;
              scale /= 10;
              ++at;
            }
            ok = at > start;
          }
        } else if (i + 2 < format.size() && format[i + 1] == '4' && format[i + 2] == 'Y') {
          i += 2;
          ok = read_int(s, at, 4, year);
        } else {
          return fail("unsupported format element %E" + std::string(format.substr(i + 1, 1)));
        }
        break;
      }
      default: return fail("unsupported format element %" + std::string(1, e));
    }
    if (!ok) return fail("mismatch at '" + std::string(s.substr(std::min(at, s.size()))) + "' for %" + std::string(1, e));
  }
  while (at < s.size() && std::isspace(static_cast<unsigned char>(s[at]))) ++at;
  if (at != s.size()) return fail("illegal non-space trailing data '" + std::string(s.substr(at)) + "'");
  if (epoch_seconds != INT64_MIN) {
    out = epoch_seconds * 1000000;
    return true;
  }
  if (has_ampm) {
    if (hour < 1 || hour > 12) return fail("hour out of range");
    hour = hour % 12 + (pm ? 12 : 0);
  }
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59 || year < 1 || year > 9999)
    return fail("field out of range");
  static const int kDim[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  if (day > kDim[month - 1] + (month == 2 && leap)) return fail("day out of range");
  int64_t days = visiondb::detail::days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  if (yday > 0) days = visiondb::detail::days_from_civil(year, 1, 1) + yday - 1;
  int64_t local = (days * 86400 + hour * 3600 + minute * 60 + second);
  int64_t secs = has_offset ? local - offset : zone ? zone->to_utc(local) : tz.to_utc(local);
  out = secs * 1000000 + micros;
  return true;
}

VISIONDB_INLINE bool parse_timestamp_text(std::string_view s, int64_t& local_micros, std::shared_ptr<const TimeZone>& zone) {
  using namespace time_text;
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  size_t at = 0;
  int64_t y, mo, d, h = 0, mi = 0, sec = 0, micros = 0;
  if (!read_int(s, at, 4, y) || at >= s.size() || s[at++] != '-' || !read_int(s, at, 2, mo) || at >= s.size() ||
      s[at++] != '-' || !read_int(s, at, 2, d))
    return false;
  if (at < s.size() && (s[at] == ' ' || s[at] == 'T' || s[at] == 't') && at + 1 < s.size() && s[at + 1] >= '0' &&
      s[at + 1] <= '9') {
    ++at;
    if (!read_int(s, at, 2, h) || at >= s.size() || s[at++] != ':' || !read_int(s, at, 2, mi)) return false;
    if (at < s.size() && s[at] == ':') {
      ++at;
      if (!read_int(s, at, 2, sec)) return false;
      if (at < s.size() && s[at] == '.') {
        ++at;
        size_t start = at;
        int64_t scale = 100000;
        while (at < s.size() && s[at] >= '0' && s[at] <= '9') {
          if (at - start < 6) micros += (s[at] - '0') * scale;
          scale /= 10;
          ++at;
        }
        if (at == start) return false;
      }
    }
  }
  static const int kDim[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > kDim[mo - 1] + (mo == 2 && leap) || h > 23 || mi > 59 || sec > 59)
    return false;
  while (at < s.size() && s[at] == ' ') ++at;
  zone = nullptr;
  if (at < s.size()) {
    zone = TimeZone::find(s.substr(at));
    if (!zone) return false;
  }
  int64_t days = visiondb::detail::days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
  local_micros = ((days * 24 + h) * 60 + mi) * 60000000LL + sec * 1000000 + micros;
  return true;
}

}  // namespace visiondb::fn::detail
