// Out-of-line parts of scalar/time.hpp: civil-time arithmetic and the kernels.
#pragma once

#include <chrono>
#include <string>

#include "visiondb/config.hpp"
#include "visiondb/functions/detail/time_format.hpp"
#include "visiondb/functions/detail/time_zone.hpp"
#include "visiondb/functions/scalar/cast.hpp"
#include "visiondb/functions/scalar/time.hpp"
#include "visiondb/sql/detail/date_part.hpp"
#include "visiondb/storage/detail/civil_time.hpp"

namespace visiondb::fn::detail {

using sql::detail::DatePart;
using visiondb::detail::CivilDate;
using visiondb::detail::civil_from_days;
using visiondb::detail::days_from_civil;
using visiondb::detail::floor_div;

inline constexpr int64_t kMicrosPerDay = 86400000000LL;
inline constexpr int64_t kMinTimestamp = -62135596800000000LL;    // 0001-01-01 00:00:00 UTC
inline constexpr int64_t kMaxTimestamp = 253402300799999999LL;    // 9999-12-31 23:59:59.999999 UTC
inline constexpr int64_t kMinDate = -719162, kMaxDate = 2932896;  // 0001-01-01, 9999-12-31

inline bool timestamp_in_range(int64_t t) { return t >= kMinTimestamp && t <= kMaxTimestamp; }
inline bool date_in_range(int64_t d) { return d >= kMinDate && d <= kMaxDate; }

/// 0 Sunday .. 6 Saturday (1970-01-01 was a Thursday).
inline int weekday(int64_t days) { return static_cast<int>(((days + 4) % 7 + 7) % 7); }
inline int64_t day_of_year(int64_t days) { return days - days_from_civil(civil_from_days(days).year, 1, 1) + 1; }
inline int64_t iso_year_start(int64_t year) {
  int64_t jan4 = days_from_civil(year, 1, 4);
  return jan4 - (weekday(jan4) + 6) % 7;
}
inline int64_t iso_year(int64_t days) {
  int64_t y = civil_from_days(days).year;
  if (days >= iso_year_start(y + 1)) return y + 1;
  if (days < iso_year_start(y)) return y - 1;
  return y;
}
inline int64_t iso_week(int64_t days) { return (days - iso_year_start(iso_year(days))) / 7 + 1; }
/// Week number with weeks starting on `start` (0 Sunday); days before the year's first such day are week 0.
inline int64_t week_number(int64_t days, int start) {
  int64_t jan1 = days_from_civil(civil_from_days(days).year, 1, 1);
  int64_t first = jan1 + (start - weekday(jan1) + 7) % 7;
  return days < first ? 0 : (days - first) / 7 + 1;
}
inline int days_in_month(int64_t y, unsigned m) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return kDays[m - 1] + (m == 2 && leap ? 1 : 0);
}

/// EXTRACT of a date part from days since the epoch.
inline int64_t extract_days(int64_t days, DatePart part) {
  CivilDate c = civil_from_days(days);
  if (int w = sql::detail::week_start(part); w >= 0) return week_number(days, w);
  switch (part) {
    case DatePart::DayOfWeek: return weekday(days) + 1;
    case DatePart::Day: return c.day;
    case DatePart::DayOfYear: return day_of_year(days);
    case DatePart::IsoWeek: return iso_week(days);
    case DatePart::Month: return c.month;
    case DatePart::Quarter: return (c.month - 1) / 3 + 1;
    case DatePart::Year: return c.year;
    case DatePart::IsoYear: return iso_year(days);
    default: return 0;
  }
}

/// The first day of the period (week, month, ...) containing `days`.
inline int64_t trunc_days(int64_t days, DatePart part) {
  if (int w = sql::detail::week_start(part); w >= 0) return days - (weekday(days) - w + 7) % 7;
  CivilDate c = civil_from_days(days);
  switch (part) {
    case DatePart::IsoWeek: return days - (weekday(days) + 6) % 7;
    case DatePart::Month: return days_from_civil(c.year, c.month, 1);
    case DatePart::Quarter: return days_from_civil(c.year, (c.month - 1) / 3 * 3 + 1, 1);
    case DatePart::Year: return days_from_civil(c.year, 1, 1);
    case DatePart::IsoYear: return iso_year_start(iso_year(days));
    default: return days;
  }
}

/// Local wall-clock microseconds of an instant in `tz`.
inline int64_t to_local(int64_t utc_micros, const TimeZone& tz) {
  return utc_micros + int64_t{tz.offset_at(floor_div(utc_micros, 1000000))} * 1000000;
}
inline int64_t from_local(int64_t local_micros, const TimeZone& tz) {
  int64_t secs = floor_div(local_micros, 1000000);
  return tz.to_utc(secs) * 1000000 + (local_micros - secs * 1000000);
}

inline int64_t extract_micros(int64_t local, DatePart part) {
  int64_t days = floor_div(local, kMicrosPerDay), in_day = local - days * kMicrosPerDay;
  switch (part) {
    case DatePart::Microsecond: return in_day % 1000000;
    case DatePart::Millisecond: return in_day % 1000000 / 1000;
    case DatePart::Second: return in_day / 1000000 % 60;
    case DatePart::Minute: return in_day / 60000000 % 60;
    case DatePart::Hour: return in_day / 3600000000LL;
    default: return extract_days(days, part);
  }
}

inline int64_t part_micros(DatePart part) {
  switch (part) {
    case DatePart::Microsecond: return 1;
    case DatePart::Millisecond: return 1000;
    case DatePart::Second: return 1000000;
    case DatePart::Minute: return 60000000;
    case DatePart::Hour: return 3600000000LL;
    default: return kMicrosPerDay;  // DAY: 24 hours
  }
}

inline int64_t trunc_local(int64_t local, DatePart part) {
  if (static_cast<int64_t>(part) <= static_cast<int64_t>(DatePart::Hour)) {
    int64_t unit = part_micros(part);
    return floor_div(local, unit) * unit;
  }
  return trunc_days(floor_div(local, kMicrosPerDay), part) * kMicrosPerDay;
}

// Months added with the day clamped to the month's length (2024-01-31 + 1 MONTH = 2024-02-29).
inline bool add_months(int64_t days, int64_t months, int64_t& out) {
  CivilDate c = civil_from_days(days);
  __int128 total = static_cast<__int128>(c.year) * 12 + (c.month - 1) + months;
  if (total < 0 || total > 9999 * 12 + 11) return false;
  int64_t y = static_cast<int64_t>(total / 12);
  unsigned m = static_cast<unsigned>(total % 12) + 1;
  out = days_from_civil(y, m, std::min<unsigned>(c.day, static_cast<unsigned>(days_in_month(y, m))));
  return true;
}

/// A time-zone argument, looked up once per distinct name in a chunk.
struct ZoneCache {
  std::string name;
  std::shared_ptr<const TimeZone> zone;
  const TimeZone* get(std::string_view n) {
    if (!zone || n != name) {
      zone = TimeZone::find(n);
      name = std::string(n);
    }
    return zone.get();
  }
};
inline const TimeZone* zone_of(std::string_view name) {
  thread_local ZoneCache cache;
  return cache.get(name);
}
inline std::string zone_error(std::string_view name) { return "invalid time zone: '" + std::string(name) + "'"; }
inline std::string ts_text(int64_t t) { return visiondb::detail::format_timestamp(t); }
inline std::string date_text(int64_t d) { return visiondb::detail::format_date(d); }

// ---- kernels (parts arrive as INT64 codes, checked by the binder) --------------------------

struct ExtractTimestampOp {
  static int64_t apply(int64_t t, int64_t part) { return extract_micros(t, static_cast<DatePart>(part)); }
  static bool apply(int64_t t, int64_t part, std::string_view tz, int64_t& r) {
    const TimeZone* z = zone_of(tz);
    if (!z) return false;
    r = extract_micros(to_local(t, *z), static_cast<DatePart>(part));
    return true;
  }
  static std::string error(int64_t, int64_t, std::string_view tz) { return zone_error(tz); }
};
struct ExtractDateOp {
  static int64_t apply(int32_t d, int64_t part) { return extract_days(d, static_cast<DatePart>(part)); }
};

template <int Sign>
struct TimestampAddOp {
  static bool apply(int64_t t, int64_t n, int64_t part, int64_t& r) {
    int64_t delta;
    if (__builtin_mul_overflow(n, part_micros(static_cast<DatePart>(part)), &delta)) return false;
    if (Sign < 0 && delta == INT64_MIN) return false;
    if (__builtin_add_overflow(t, Sign * delta, &r)) return false;
    return timestamp_in_range(r);
  }
  static std::string error(int64_t t, int64_t n, int64_t part) {
    return std::string("timestamp out of range: ") + (Sign > 0 ? "TIMESTAMP_ADD(" : "TIMESTAMP_SUB(") + ts_text(t) +
           ", INTERVAL " + std::to_string(n) + " " + sql::detail::date_part_name(static_cast<DatePart>(part)) + ")";
  }
};
struct TimestampDiffOp {
  static int64_t apply(int64_t a, int64_t b, int64_t part) { return (a - b) / part_micros(static_cast<DatePart>(part)); }
};
struct TimestampTruncOp {
  static int64_t apply(int64_t t, int64_t part) { return trunc_local(t, static_cast<DatePart>(part)); }
  static bool apply(int64_t t, int64_t part, std::string_view tz, int64_t& r) {
    const TimeZone* z = zone_of(tz);
    if (!z) return false;
    r = from_local(trunc_local(to_local(t, *z), static_cast<DatePart>(part)), *z);
    return true;
  }
  static std::string error(int64_t, int64_t, std::string_view tz) { return zone_error(tz); }
};

template <int Sign>
struct DateAddOp {
  static bool apply(int32_t d, int64_t n, int64_t part, int32_t& r) {
    if (Sign < 0 && n == INT64_MIN) return false;
    n *= Sign;
    int64_t out;
    switch (static_cast<DatePart>(part)) {
      case DatePart::Day:
        if (n > 4000000 || n < -4000000) return false;
        out = d + n;
        break;
      case DatePart::Week:
        if (n > 600000 || n < -600000) return false;
        out = d + 7 * n;
        break;
      case DatePart::Month:
      case DatePart::Quarter:
      case DatePart::Year: {
        int64_t months;
        int64_t k = static_cast<DatePart>(part) == DatePart::Month ? 1 : static_cast<DatePart>(part) == DatePart::Quarter ? 3 : 12;
        if (__builtin_mul_overflow(n, k, &months) || !add_months(d, months, out)) return false;
        break;
      }
      default: return false;
    }
    if (!date_in_range(out)) return false;
    r = static_cast<int32_t>(out);
    return true;
  }
  static std::string error(int32_t d, int64_t n, int64_t part) {
    return std::string("date out of range: ") + (Sign > 0 ? "DATE_ADD(" : "DATE_SUB(") + date_text(d) + ", INTERVAL " +
           std::to_string(n) + " " + sql::detail::date_part_name(static_cast<DatePart>(part)) + ")";
  }
};
struct DateDiffOp {
  static int64_t apply(int32_t a, int32_t b, int64_t part) {
    auto p = static_cast<DatePart>(part);
    if (sql::detail::week_start(p) >= 0 || p == DatePart::IsoWeek) return (trunc_days(a, p) - trunc_days(b, p)) / 7;
    CivilDate ca = civil_from_days(a), cb = civil_from_days(b);
    switch (p) {
      case DatePart::Month: return (ca.year * 12 + ca.month) - (cb.year * 12 + cb.month);
      case DatePart::Quarter: return (ca.year * 4 + (ca.month - 1) / 3) - (cb.year * 4 + (cb.month - 1) / 3);
      case DatePart::Year: return ca.year - cb.year;
      case DatePart::IsoYear: return iso_year(a) - iso_year(b);
      default: return int64_t{a} - b;
    }
  }
};
struct DateTruncOp {
  static int32_t apply(int32_t d, int64_t part) { return static_cast<int32_t>(trunc_days(d, static_cast<DatePart>(part))); }
};
struct LastDayOp {
  static int32_t apply(int32_t d, int64_t part) {
    auto p = static_cast<DatePart>(part);
    int64_t start = trunc_days(d, p), next;
    if (sql::detail::week_start(p) >= 0 || p == DatePart::IsoWeek) return static_cast<int32_t>(start + 6);
    if (p == DatePart::IsoYear) return static_cast<int32_t>(iso_year_start(iso_year(d) + 1) - 1);
    int64_t months = p == DatePart::Month ? 1 : p == DatePart::Quarter ? 3 : 12;
    add_months(start, months, next);
    return static_cast<int32_t>(next - 1);
  }
};

struct LastDayOfMonthOp {
  static int32_t apply(int32_t d) { return LastDayOp::apply(d, static_cast<int64_t>(DatePart::Month)); }
};

struct DateFromTimestampOp {
  static int32_t apply(int64_t t) { return static_cast<int32_t>(floor_div(t, kMicrosPerDay)); }
  static bool apply(int64_t t, std::string_view tz, int32_t& r) {
    const TimeZone* z = zone_of(tz);
    if (!z) return false;
    r = static_cast<int32_t>(floor_div(to_local(t, *z), kMicrosPerDay));
    return true;
  }
  static std::string error(int64_t, std::string_view tz) { return zone_error(tz); }
};
struct DateFromPartsOp {
  static bool apply(int64_t y, int64_t m, int64_t d, int32_t& r) {
    if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, static_cast<unsigned>(m))) return false;
    r = static_cast<int32_t>(days_from_civil(y, static_cast<unsigned>(m), static_cast<unsigned>(d)));
    return true;
  }
  static std::string error(int64_t y, int64_t m, int64_t d) {
    return "input calculates to invalid date: " + std::to_string(y) + "-" + std::to_string(m) + "-" + std::to_string(d);
  }
};
struct DateIdentityOp {
  static int32_t apply(int32_t d) { return d; }
};

struct TimestampFromStringOp {
  static bool apply(std::string_view s, int64_t& r) { return parse(s, TimeZone::utc().get(), r); }
  static bool apply(std::string_view s, std::string_view tz, int64_t& r) {
    const TimeZone* z = zone_of(tz);
    return z && parse(s, z, r);
  }
  static bool parse(std::string_view s, const TimeZone* default_zone, int64_t& r) {
    int64_t local = 0;
    std::shared_ptr<const TimeZone> zone;
    if (!parse_timestamp_text(s, local, zone)) return false;
    r = from_local(local, zone ? *zone : *default_zone);
    return timestamp_in_range(r);
  }
  static std::string error(std::string_view s) { return "invalid timestamp: '" + std::string(s) + "'"; }
  static std::string error(std::string_view s, std::string_view tz) {
    return zone_of(tz) ? error(s) : zone_error(tz);
  }
};
struct TimestampFromDateOp {
  static int64_t apply(int32_t d) { return int64_t{d} * kMicrosPerDay; }
  static bool apply(int32_t d, std::string_view tz, int64_t& r) {
    const TimeZone* z = zone_of(tz);
    if (!z) return false;
    r = from_local(int64_t{d} * kMicrosPerDay, *z);
    return timestamp_in_range(r);
  }
  static std::string error(int32_t, std::string_view tz) { return zone_error(tz); }
};
struct TimestampIdentityOp {
  static int64_t apply(int64_t t) { return t; }
};

template <int64_t Unit>
struct UnixOp {
  static int64_t apply(int64_t t) { return floor_div(t, Unit); }
};
template <int64_t Unit, const char* Name>
struct FromUnixOp {
  static bool apply(int64_t n, int64_t& r) {
    if (__builtin_mul_overflow(n, Unit, &r)) return false;
    return timestamp_in_range(r);
  }
  static std::string error(int64_t n) { return std::string("timestamp out of range: ") + Name + "(" + std::to_string(n) + ")"; }
};
inline constexpr char kTimestampSeconds[] = "TIMESTAMP_SECONDS", kTimestampMillis[] = "TIMESTAMP_MILLIS",
                      kTimestampMicros[] = "TIMESTAMP_MICROS";
struct UnixDateOp {
  static int64_t apply(int32_t d) { return d; }
};
struct DateFromUnixDateOp {
  static bool apply(int64_t n, int32_t& r) {
    if (!date_in_range(n)) return false;
    r = static_cast<int32_t>(n);
    return true;
  }
  static std::string error(int64_t n) { return "date out of range: DATE_FROM_UNIX_DATE(" + std::to_string(n) + ")"; }
};

struct FormatTimestampOp {
  static bool apply(std::string_view fmt, int64_t t, std::string& r) {
    format_time(fmt, t, *TimeZone::utc(), r);
    return true;
  }
  static bool apply(std::string_view fmt, int64_t t, std::string_view tz, std::string& r) {
    const TimeZone* z = zone_of(tz);
    if (!z) return false;
    format_time(fmt, t, *z, r);
    return true;
  }
  static std::string error(std::string_view, int64_t) { return {}; }
  static std::string error(std::string_view, int64_t, std::string_view tz) { return zone_error(tz); }
};
struct FormatDateOp {
  static bool apply(std::string_view fmt, int32_t d, std::string& r) {
    format_time(fmt, int64_t{d} * kMicrosPerDay, *TimeZone::utc(), r);
    return true;
  }
  static std::string error(std::string_view, int32_t) { return {}; }
};
struct ParseTimestampOp {
  static bool apply(std::string_view fmt, std::string_view s, int64_t& r) { return apply(fmt, s, "UTC", r); }
  static bool apply(std::string_view fmt, std::string_view s, std::string_view tz, int64_t& r) {
    const TimeZone* z = zone_of(tz);
    return z && parse_time(fmt, s, *z, r, nullptr) && timestamp_in_range(r);
  }
  static std::string error(std::string_view fmt, std::string_view s) { return error(fmt, s, "UTC"); }
  static std::string error(std::string_view fmt, std::string_view s, std::string_view tz) {
    if (!zone_of(tz)) return zone_error(tz);
    std::string why;
    int64_t r;
    parse_time(fmt, s, *zone_of(tz), r, &why);
    return "failed to parse input string \"" + std::string(s) + "\"" + (why.empty() ? "" : ": " + why);
  }
};
struct ParseDateOp {
  static bool apply(std::string_view fmt, std::string_view s, int32_t& r) {
    int64_t t;
    if (!parse_time(fmt, s, *TimeZone::utc(), t, nullptr)) return false;
    int64_t d = floor_div(t, kMicrosPerDay);
    if (!date_in_range(d)) return false;
    r = static_cast<int32_t>(d);
    return true;
  }
  static std::string error(std::string_view fmt, std::string_view s) { return ParseTimestampOp::error(fmt, s); }
};

// CURRENT_TIMESTAMP / CURRENT_DATE: deterministic within a statement (folded to a constant).
class CurrentTimeFunction final : public ScalarFunction {
 public:
  CurrentTimeFunction(std::vector<LogicalType> args, LogicalType ret) : ScalarFunction("", std::move(args), std::move(ret)) {}
  void execute(std::span<const ColumnView> args, size_t n, Column& out, const FunctionContext& ctx) const override {
    using namespace std::chrono;
    const int64_t now = duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
    out.resize(n);
    const bool date = return_type().id() == TypeId::Date;
    for (size_t i = 0; i < n; ++i) {
      if (!date) {
        out.data<int64_t>()[i] = now;
        continue;
      }
      const TimeZone* z = TimeZone::utc().get();
      if (!args.empty()) {
        if (args[0].is_null(i)) {
          out.set_null(i);
          continue;
        }
        std::string_view tz = args[0].column->string_at(args[0].row(i));
        z = zone_of(tz);
        if (!z) {
          if (!ctx.safe) throw_execution_error(zone_error(tz));
          out.set_null(i);
          continue;
        }
      }
      out.data<int32_t>()[i] = static_cast<int32_t>(floor_div(to_local(now, *z), kMicrosPerDay));
    }
  }
};

}  // namespace visiondb::fn::detail

namespace visiondb::fn {

namespace detail {
inline LogicalType ts_t() { return LogicalType::timestamp(); }
inline LogicalType day_t() { return LogicalType::date(); }
inline LogicalType i64_t() { return LogicalType::int64(); }
inline LogicalType s_t() { return LogicalType::string(); }
}  // namespace detail

VISIONDB_INLINE FunctionSet ExtractFunction::overloads() {
  using namespace detail;
  using SV = std::string_view;
  return {nary<int64_t, ExtractTimestampOp, int64_t, int64_t>({ts_t(), i64_t()}, i64_t()),
          nary<int64_t, ExtractTimestampOp, int64_t, int64_t, SV>({ts_t(), i64_t(), s_t()}, i64_t()),
          nary<int64_t, ExtractDateOp, int32_t, int64_t>({day_t(), i64_t()}, i64_t())};
}
VISIONDB_INLINE FunctionSet CurrentTimestampFunction::overloads() {
  return {std::make_shared<detail::CurrentTimeFunction>(std::vector<LogicalType>{}, LogicalType::timestamp())};
}
VISIONDB_INLINE FunctionSet CurrentDateFunction::overloads() {
  return {std::make_shared<detail::CurrentTimeFunction>(std::vector<LogicalType>{}, LogicalType::date()),
          std::make_shared<detail::CurrentTimeFunction>(std::vector<LogicalType>{LogicalType::string()}, LogicalType::date())};
}
VISIONDB_INLINE FunctionSet TimestampAddFunction::overloads() {
  using namespace detail;
  return {nary<int64_t, TimestampAddOp<1>, int64_t, int64_t, int64_t>({ts_t(), i64_t(), i64_t()}, ts_t())};
}
VISIONDB_INLINE FunctionSet TimestampSubFunction::overloads() {
  using namespace detail;
  return {nary<int64_t, TimestampAddOp<-1>, int64_t, int64_t, int64_t>({ts_t(), i64_t(), i64_t()}, ts_t())};
}
VISIONDB_INLINE FunctionSet TimestampDiffFunction::overloads() {
  using namespace detail;
  return {nary<int64_t, TimestampDiffOp, int64_t, int64_t, int64_t>({ts_t(), ts_t(), i64_t()}, i64_t())};
}
VISIONDB_INLINE FunctionSet TimestampTruncFunction::overloads() {
  using namespace detail;
  using SV = std::string_view;
  return {nary<int64_t, TimestampTruncOp, int64_t, int64_t>({ts_t(), i64_t()}, ts_t()),
          nary<int64_t, TimestampTruncOp, int64_t, int64_t, SV>({ts_t(), i64_t(), s_t()}, ts_t())};
}
VISIONDB_INLINE FunctionSet DateAddFunction::overloads() {
  using namespace detail;
  return {nary<int32_t, DateAddOp<1>, int32_t, int64_t, int64_t>({day_t(), i64_t(), i64_t()}, day_t())};
}
VISIONDB_INLINE FunctionSet DateSubFunction::overloads() {
  using namespace detail;
  return {nary<int32_t, DateAddOp<-1>, int32_t, int64_t, int64_t>({day_t(), i64_t(), i64_t()}, day_t())};
}
VISIONDB_INLINE FunctionSet DateDiffFunction::overloads() {
  using namespace detail;
  return {nary<int64_t, DateDiffOp, int32_t, int32_t, int64_t>({day_t(), day_t(), i64_t()}, i64_t())};
}
VISIONDB_INLINE FunctionSet DateTruncFunction::overloads() {
  using namespace detail;
  return {nary<int32_t, DateTruncOp, int32_t, int64_t>({day_t(), i64_t()}, day_t())};
}
VISIONDB_INLINE FunctionSet LastDayFunction::overloads() {
  using namespace detail;
  return {nary<int32_t, LastDayOfMonthOp, int32_t>({day_t()}, day_t()),
          nary<int32_t, LastDayOp, int32_t, int64_t>({day_t(), i64_t()}, day_t())};
}
VISIONDB_INLINE FunctionSet DateFunction::overloads() {
  using namespace detail;
  using SV = std::string_view;
  return {nary<int32_t, DateFromTimestampOp, int64_t>({ts_t()}, day_t()),
          nary<int32_t, DateFromTimestampOp, int64_t, SV>({ts_t(), s_t()}, day_t()),
          nary<int32_t, DateFromPartsOp, int64_t, int64_t, int64_t>({i64_t(), i64_t(), i64_t()}, day_t()),
          nary<int32_t, DateIdentityOp, int32_t>({day_t()}, day_t())};
}
VISIONDB_INLINE FunctionSet TimestampFunction::overloads() {
  using namespace detail;
  using SV = std::string_view;
  return {nary<int64_t, TimestampFromStringOp, SV>({s_t()}, ts_t()),
          nary<int64_t, TimestampFromStringOp, SV, SV>({s_t(), s_t()}, ts_t()),
          nary<int64_t, TimestampFromDateOp, int32_t>({day_t()}, ts_t()),
          nary<int64_t, TimestampFromDateOp, int32_t, SV>({day_t(), s_t()}, ts_t()),
          nary<int64_t, TimestampIdentityOp, int64_t>({ts_t()}, ts_t())};
}
VISIONDB_INLINE FunctionSet UnixSecondsFunction::overloads() {
  return {nary<int64_t, detail::UnixOp<1000000>, int64_t>({detail::ts_t()}, detail::i64_t())};
}
VISIONDB_INLINE FunctionSet UnixMillisFunction::overloads() {
  return {nary<int64_t, detail::UnixOp<1000>, int64_t>({detail::ts_t()}, detail::i64_t())};
}
VISIONDB_INLINE FunctionSet UnixMicrosFunction::overloads() {
  return {nary<int64_t, detail::UnixOp<1>, int64_t>({detail::ts_t()}, detail::i64_t())};
}
VISIONDB_INLINE FunctionSet TimestampSecondsFunction::overloads() {
  using namespace detail;
  return {nary<int64_t, FromUnixOp<1000000, kTimestampSeconds>, int64_t>({i64_t()}, ts_t())};
}
VISIONDB_INLINE FunctionSet TimestampMillisFunction::overloads() {
  using namespace detail;
  return {nary<int64_t, FromUnixOp<1000, kTimestampMillis>, int64_t>({i64_t()}, ts_t())};
}
VISIONDB_INLINE FunctionSet TimestampMicrosFunction::overloads() {
  using namespace detail;
  return {nary<int64_t, FromUnixOp<1, kTimestampMicros>, int64_t>({i64_t()}, ts_t())};
}
VISIONDB_INLINE FunctionSet UnixDateFunction::overloads() {
  return {nary<int64_t, detail::UnixDateOp, int32_t>({detail::day_t()}, detail::i64_t())};
}
VISIONDB_INLINE FunctionSet DateFromUnixDateFunction::overloads() {
  return {nary<int32_t, detail::DateFromUnixDateOp, int64_t>({detail::i64_t()}, detail::day_t())};
}
VISIONDB_INLINE FunctionSet FormatTimestampFunction::overloads() {
  using namespace detail;
  using SV = std::string_view;
  return {nary<SV, FormatTimestampOp, SV, int64_t>({s_t(), ts_t()}, s_t()),
          nary<SV, FormatTimestampOp, SV, int64_t, SV>({s_t(), ts_t(), s_t()}, s_t())};
}
VISIONDB_INLINE FunctionSet FormatDateFunction::overloads() {
  using namespace detail;
  using SV = std::string_view;
  return {nary<SV, FormatDateOp, SV, int32_t>({s_t(), day_t()}, s_t())};
}
VISIONDB_INLINE FunctionSet ParseTimestampFunction::overloads() {
  using namespace detail;
  using SV = std::string_view;
  return {nary<int64_t, ParseTimestampOp, SV, SV>({s_t(), s_t()}, ts_t()),
          nary<int64_t, ParseTimestampOp, SV, SV, SV>({s_t(), s_t(), s_t()}, ts_t())};
}
VISIONDB_INLINE FunctionSet ParseDateFunction::overloads() {
  using namespace detail;
  using SV = std::string_view;
  return {nary<int32_t, ParseDateOp, SV, SV>({s_t(), s_t()}, day_t())};
}

}  // namespace visiondb::fn
