// Date parts as the binder hands them to the date and time functions: EXTRACT(part FROM x),
// TIMESTAMP_DIFF(a, b, part), TIMESTAMP_TRUNC(t, part), DATE_ADD(d, INTERVAL n part), ... The
// binder turns the part keyword into one of these codes (an INT64 constant argument), so the
// kernels switch on an integer and an invalid part is an error at bind time.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace visiondb::sql::detail {

enum class DatePart : int64_t {
  Microsecond,
  Millisecond,
  Second,
  Minute,
  Hour,
  DayOfWeek,
  Day,
  DayOfYear,
  Week,  ///< WEEK = WEEK(SUNDAY); WEEK(<weekday>) is Week + weekday (0 Sunday .. 6 Saturday)
  IsoWeek = Week + 7,
  Month,
  Quarter,
  Year,
  IsoYear,
  Date,
};

/// The first day of weeks of a WEEK(<weekday>) part (0 Sunday .. 6 Saturday), or -1.
inline int week_start(DatePart p) noexcept {
  auto v = static_cast<int64_t>(p), w = static_cast<int64_t>(DatePart::Week);
  return v >= w && v < w + 7 ? static_cast<int>(v - w) : -1;
}

/// "YEAR", "WEEK" with argument "MONDAY", ... (upper case) -> the part; nullopt for an unknown one.
inline std::optional<DatePart> parse_date_part(std::string_view name, std::string_view argument = {}) {
  static constexpr std::string_view kDays[] = {"SUNDAY", "MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY"};
  if (name == "WEEK") {
    if (argument.empty()) return DatePart::Week;
    for (int d = 0; d < 7; ++d)
      if (argument == kDays[d]) return static_cast<DatePart>(static_cast<int64_t>(DatePart::Week) + d);
    return std::nullopt;
  }
  if (!argument.empty()) return std::nullopt;
  struct Entry {
    std::string_view name;
    DatePart part;
  };
  static constexpr Entry kParts[] = {{"MICROSECOND", DatePart::Microsecond}, {"MILLISECOND", DatePart::Millisecond},
                                     {"SECOND", DatePart::Second},           {"MINUTE", DatePart::Minute},
                                     {"HOUR", DatePart::Hour},               {"DAYOFWEEK", DatePart::DayOfWeek},
                                     {"DAY", DatePart::Day},                 {"DAYOFYEAR", DatePart::DayOfYear},
                                     {"ISOWEEK", DatePart::IsoWeek},         {"MONTH", DatePart::Month},
                                     {"QUARTER", DatePart::Quarter},         {"YEAR", DatePart::Year},
                                     {"ISOYEAR", DatePart::IsoYear},         {"DATE", DatePart::Date}};
  for (const auto& e : kParts)
    if (e.name == name) return e.part;
  return std::nullopt;
}

/// The SQL spelling of a part: "WEEK(MONDAY)".
inline std::string date_part_name(DatePart p) {
  static constexpr std::string_view kNames[] = {"MICROSECOND", "MILLISECOND", "SECOND", "MINUTE", "HOUR",
                                                "DAYOFWEEK",   "DAY",         "DAYOFYEAR"};
  static constexpr std::string_view kDays[] = {"SUNDAY", "MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY"};
  auto v = static_cast<int64_t>(p);
  if (v < static_cast<int64_t>(DatePart::Week)) return std::string(kNames[v]);
  if (int w = week_start(p); w >= 0) return w == 0 ? "WEEK" : "WEEK(" + std::string(kDays[w]) + ")";
  switch (p) {
    case DatePart::IsoWeek: return "ISOWEEK";
    case DatePart::Month: return "MONTH";
    case DatePart::Quarter: return "QUARTER";
    case DatePart::Year: return "YEAR";
    case DatePart::IsoYear: return "ISOYEAR";
    default: return "DATE";
  }
}

}  // namespace visiondb::sql::detail
