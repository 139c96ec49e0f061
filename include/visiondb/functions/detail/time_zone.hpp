// Time zones for the date and time functions: UTC, fixed offsets ('+05:30', '-8', 'UTC+3') and
// IANA names ('America/Los_Angeles') read from the system's TZif files (/usr/share/zoneinfo, or
// $TZDIR), as BigQuery accepts them. Instants beyond a file's last transition keep its last
// offset. Local times that do not exist or exist twice resolve with the offset in force before
// the transition (absl's "pre", which BigQuery's implementation uses).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace visiondb::fn::detail {

class TimeZone {
 public:
  /// A zone by BigQuery's spelling, or null when it is not one.
  static std::shared_ptr<const TimeZone> find(std::string_view name);
  static std::shared_ptr<const TimeZone> utc();
  /// A fixed offset east of UTC, in seconds.
  static std::shared_ptr<const TimeZone> fixed(int32_t offset_seconds);

  /// Seconds east of UTC in force at `utc_seconds` (seconds since the Unix epoch).
  int32_t offset_at(int64_t utc_seconds) const noexcept;
  /// The abbreviation in force ("PST", "UTC"); "+05:30" style for fixed offsets.
  std::string abbreviation_at(int64_t utc_seconds) const;
  /// The instant (seconds since the epoch) of local wall time `local_seconds`.
  int64_t to_utc(int64_t local_seconds) const noexcept;
  const std::string& name() const noexcept { return name_; }

 private:
  struct Type {
    int32_t offset;
    std::string abbreviation;
  };
  std::string name_;
  std::vector<int64_t> transitions_;     // UTC seconds, ascending
  std::vector<uint8_t> transition_type_;  // index into types_ from that transition on
  std::vector<Type> types_;               // types_[0] before the first transition
  size_t initial_type_ = 0;

  static std::shared_ptr<const TimeZone> load(const std::string& name);
  const Type& type_at(int64_t utc_seconds) const noexcept;
};

/// "+05:30" for 19800.
std::string offset_text(int32_t seconds, bool colon);

}  // namespace visiondb::fn::detail

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/functions/detail/time_zone_impl.hpp"
#endif
