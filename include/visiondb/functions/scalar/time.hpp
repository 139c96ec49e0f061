// DATE and TIMESTAMP functions with BigQuery's semantics (GoogleSQL date_functions and
// timestamp_functions): EXTRACT, CURRENT_TIMESTAMP / CURRENT_DATE, TIMESTAMP_ADD / _SUB / _DIFF /
// _TRUNC, DATE_ADD / _SUB / _DIFF / _TRUNC, DATE(...), TIMESTAMP(...), the UNIX_* and
// TIMESTAMP_SECONDS family. Date-part and INTERVAL arguments reach the kernels as INT64 part codes
// (sql/detail/date_part.hpp) put there by the binder (sql/detail/binder_datetime_impl.hpp). Time
// zones are UTC by default; see detail/time_zone.hpp for the accepted spellings. TIMESTAMP values
// range over 0001-01-01 00:00:00 .. 9999-12-31 23:59:59.999999 UTC; leaving it is an error.
#pragma once

#include "visiondb/functions/function.hpp"

namespace visiondb::fn {

#define VISIONDB_TIME_FUNCTION(Type, sql_name, text)               \
  struct Type {                                                    \
    static constexpr std::string_view name = sql_name, doc = text; \
    static FunctionSet overloads();                                \
  };
VISIONDB_TIME_FUNCTION(ExtractFunction, "extract", "EXTRACT(part FROM x [AT TIME ZONE tz]): a part of a DATE or TIMESTAMP")
VISIONDB_TIME_FUNCTION(CurrentTimestampFunction, "current_timestamp", "CURRENT_TIMESTAMP(): the statement's start time")
VISIONDB_TIME_FUNCTION(CurrentDateFunction, "current_date", "CURRENT_DATE([tz]): today's date (UTC by default)")
VISIONDB_TIME_FUNCTION(TimestampAddFunction, "timestamp_add", "TIMESTAMP_ADD(t, INTERVAL n part): t plus n parts")
VISIONDB_TIME_FUNCTION(TimestampSubFunction, "timestamp_sub", "TIMESTAMP_SUB(t, INTERVAL n part): t minus n parts")
VISIONDB_TIME_FUNCTION(TimestampDiffFunction, "timestamp_diff", "TIMESTAMP_DIFF(a, b, part): whole parts from b to a")
VISIONDB_TIME_FUNCTION(TimestampTruncFunction, "timestamp_trunc", "TIMESTAMP_TRUNC(t, part[, tz]): t rounded down to the part")
VISIONDB_TIME_FUNCTION(DateAddFunction, "date_add", "DATE_ADD(d, INTERVAL n part): d plus n days, weeks, months, quarters or years")
VISIONDB_TIME_FUNCTION(DateSubFunction, "date_sub", "DATE_SUB(d, INTERVAL n part): d minus n parts")
VISIONDB_TIME_FUNCTION(DateDiffFunction, "date_diff", "DATE_DIFF(a, b, part): part boundaries from b to a")
VISIONDB_TIME_FUNCTION(DateTruncFunction, "date_trunc", "DATE_TRUNC(d, part): d rounded down to the part")
VISIONDB_TIME_FUNCTION(DateFunction, "date", "DATE(t[, tz]) / DATE(year, month, day): a DATE")
VISIONDB_TIME_FUNCTION(TimestampFunction, "timestamp", "TIMESTAMP(s[, tz]) / TIMESTAMP(d[, tz]): a TIMESTAMP")
VISIONDB_TIME_FUNCTION(UnixSecondsFunction, "unix_seconds", "UNIX_SECONDS(t): seconds since 1970-01-01 UTC")
VISIONDB_TIME_FUNCTION(UnixMillisFunction, "unix_millis", "UNIX_MILLIS(t): milliseconds since 1970-01-01 UTC")
VISIONDB_TIME_FUNCTION(UnixMicrosFunction, "unix_micros", "UNIX_MICROS(t): microseconds since 1970-01-01 UTC")
VISIONDB_TIME_FUNCTION(TimestampSecondsFunction, "timestamp_seconds", "TIMESTAMP_SECONDS(n): the TIMESTAMP n seconds after the epoch")
VISIONDB_TIME_FUNCTION(TimestampMillisFunction, "timestamp_millis", "TIMESTAMP_MILLIS(n): ... n milliseconds after the epoch")
VISIONDB_TIME_FUNCTION(TimestampMicrosFunction, "timestamp_micros", "TIMESTAMP_MICROS(n): ... n microseconds after the epoch")
VISIONDB_TIME_FUNCTION(UnixDateFunction, "unix_date", "UNIX_DATE(d): days since 1970-01-01")
VISIONDB_TIME_FUNCTION(DateFromUnixDateFunction, "date_from_unix_date", "DATE_FROM_UNIX_DATE(n): the DATE n days after 1970-01-01")
VISIONDB_TIME_FUNCTION(LastDayFunction, "last_day", "LAST_DAY(d[, part]): the last day of d's month (or week, quarter, year)")
VISIONDB_TIME_FUNCTION(FormatTimestampFunction, "format_timestamp", "FORMAT_TIMESTAMP(format, t[, tz]): t as text (%Y-%m-%d ...)")
VISIONDB_TIME_FUNCTION(FormatDateFunction, "format_date", "FORMAT_DATE(format, d): d as text")
VISIONDB_TIME_FUNCTION(ParseTimestampFunction, "parse_timestamp", "PARSE_TIMESTAMP(format, s[, tz]): the TIMESTAMP text s shows")
VISIONDB_TIME_FUNCTION(ParseDateFunction, "parse_date", "PARSE_DATE(format, s): the DATE text s shows")
#undef VISIONDB_TIME_FUNCTION

}  // namespace visiondb::fn

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/functions/detail/time_impl.hpp"
#endif
