// Text forms of timestamps: FORMAT_TIMESTAMP's format elements (GoogleSQL format-elements:
// %Y %m %d %H %M %S %E<n>S %E*S %A %a %B %b %c %D %F %T ... %z %Ez %Z %%), the PARSE_TIMESTAMP
// reader for the same elements, and the TIMESTAMP-literal reader with zone names.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "visiondb/functions/detail/time_zone.hpp"

namespace visiondb::fn::detail {

/// Appends `t` (microseconds since the epoch, UTC) formatted in zone `tz` to `out` (cleared first).
void format_time(std::string_view format, int64_t t, const TimeZone& tz, std::string& out);

/// Reads `s` as `format` describes; fields left out default to 1970-01-01 00:00:00 and `tz`
/// (unless the text names a zone with %z / %Ez / %Z). False, with `why` set when asked, on a mismatch.
bool parse_time(std::string_view format, std::string_view s, const TimeZone& tz, int64_t& out, std::string* why);

/// "YYYY-[M]M-[D]D[( |T)[H]H:MM[:SS[.ffffff]]][ ][zone]": local microseconds and the zone when
/// one is written (Z, UTC, +HH[:MM], or an IANA name such as America/Los_Angeles).
bool parse_timestamp_text(std::string_view s, int64_t& local_micros, std::shared_ptr<const TimeZone>& zone);

}  // namespace visiondb::fn::detail

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/functions/detail/time_format_impl.hpp"
#endif
