// Time zones by IANA name (read from the system's TZif files) and their use by the timestamp text
// functions. The SQL-level tests use offsets only; these need /usr/share/zoneinfo (Debian's tzdata)
// and skip without it.
#include "visiondb/functions/detail/time_format.hpp"
#include "visiondb/functions/detail/time_zone.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

using visiondb::fn::detail::TimeZone;

namespace {

bool have_tzdata() {
  const char* dir = std::getenv("TZDIR");
  return std::filesystem::exists(std::string(dir && *dir ? dir : "/usr/share/zoneinfo") + "/America/Los_Angeles");
}

constexpr int64_t kMicros = 1000000;
// 2024-03-10 (US spring forward at 02:00 local) and 2024-11-03 (fall back at 02:00 local).
constexpr int64_t kMar10 = 19792, kNov3 = 20030;  // days since the epoch

}  // namespace

TEST(TimeZone, FixedOffsets) {
  EXPECT_EQ(TimeZone::find("+05:30")->offset_at(0), 19800);
  EXPECT_EQ(TimeZone::find("-8")->offset_at(0), -28800);
  EXPECT_EQ(TimeZone::find("UTC+3")->offset_at(0), 10800);
  EXPECT_EQ(TimeZone::find("-0330")->offset_at(0), -12600);
  EXPECT_EQ(TimeZone::find("UTC")->offset_at(0), 0);
  EXPECT_EQ(TimeZone::find("+15"), nullptr);
  EXPECT_EQ(TimeZone::find("+05:7"), nullptr);
  EXPECT_EQ(TimeZone::find("../../etc/passwd"), nullptr);
  EXPECT_EQ(TimeZone::find(""), nullptr);
}

TEST(TimeZone, NamedZonesFollowDaylightSaving) {
  if (!have_tzdata()) GTEST_SKIP() << "no tzdata in /usr/share/zoneinfo (install Debian's tzdata)";
  auto la = TimeZone::find("America/Los_Angeles");
  ASSERT_NE(la, nullptr);
  const int64_t winter = (kNov3 + 40) * 86400, summer = (kMar10 + 40) * 86400;
  EXPECT_EQ(la->offset_at(winter), -8 * 3600);
  EXPECT_EQ(la->offset_at(summer), -7 * 3600);
  EXPECT_EQ(la->abbreviation_at(winter), "PST");
  EXPECT_EQ(la->abbreviation_at(summer), "PDT");
  // 02:30 on 2024-03-10 does not exist: the offset before the change (PST) applies.
  EXPECT_EQ(la->to_utc(kMar10 * 86400 + 2 * 3600 + 1800), kMar10 * 86400 + 10 * 3600 + 1800);
  // 01:30 on 2024-11-03 happens twice: the first (PDT) is taken.
  EXPECT_EQ(la->to_utc(kNov3 * 86400 + 3600 + 1800), kNov3 * 86400 + 8 * 3600 + 1800);
  // A plain wall time round-trips.
  EXPECT_EQ(la->to_utc(winter + la->offset_at(winter)), winter);
  EXPECT_EQ(TimeZone::find("Mars/Olympus_Mons"), nullptr);
  auto tokyo = TimeZone::find("Asia/Tokyo");
  ASSERT_NE(tokyo, nullptr);
  EXPECT_EQ(tokyo->offset_at(summer), 9 * 3600);
}

TEST(TimeZone, FormatAndParseWithNamedZones) {
  if (!have_tzdata()) GTEST_SKIP() << "no tzdata in /usr/share/zoneinfo (install Debian's tzdata)";
  auto la = TimeZone::find("America/Los_Angeles");
  std::string out;
  // 2008-12-25 15:30:00 UTC is 07:30 PST.
  const int64_t t = 1230219000 * kMicros;
  visiondb::fn::detail::format_time("%Y-%m-%d %H:%M:%S %Z %Ez", t, *la, out);
  EXPECT_EQ(out, "2008-12-25 07:30:00 PST -08:00");
  int64_t parsed = 0;
  ASSERT_TRUE(visiondb::fn::detail::parse_time("%Y-%m-%d %H:%M:%S", "2008-12-25 07:30:00", *la, parsed, nullptr));
  EXPECT_EQ(parsed, t);
  int64_t local = 0;
  std::shared_ptr<const TimeZone> zone;
  ASSERT_TRUE(visiondb::fn::detail::parse_timestamp_text("2008-12-25 07:30:00 America/Los_Angeles", local, zone));
  ASSERT_NE(zone, nullptr);
  EXPECT_EQ(zone->to_utc(local / kMicros) * kMicros, t);
  EXPECT_FALSE(visiondb::fn::detail::parse_timestamp_text("2008-12-25 07:30:00 Nowhere/Land", local, zone));
}
