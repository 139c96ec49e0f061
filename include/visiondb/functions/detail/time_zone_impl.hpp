// Out-of-line parts of detail/time_zone.hpp: offset parsing and the TZif (RFC 8536) reader.
#pragma once

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <mutex>

#include "visiondb/config.hpp"
#include "visiondb/functions/detail/time_zone.hpp"

namespace visiondb::fn::detail {

VISIONDB_INLINE std::string offset_text(int32_t seconds, bool colon) {
  char sign = seconds < 0 ? '-' : '+';
  int32_t a = seconds < 0 ? -seconds : seconds;
  char buf[16];
  std::snprintf(buf, sizeof buf, colon ? "%c%02d:%02d" : "%c%02d%02d", sign, a / 3600, a / 60 % 60);
  return buf;
}

VISIONDB_INLINE std::shared_ptr<const TimeZone> TimeZone::utc() {
  static std::shared_ptr<const TimeZone> zone = [] {
    auto z = std::make_shared<TimeZone>();
    z->name_ = "UTC";
    z->types_.push_back({0, "UTC"});
    return std::shared_ptr<const TimeZone>(std::move(z));
  }();
  return zone;
}

VISIONDB_INLINE std::shared_ptr<const TimeZone> TimeZone::fixed(int32_t offset_seconds) {
  if (offset_seconds == 0) return utc();
  auto z = std::make_shared<TimeZone>();
  z->name_ = offset_text(offset_seconds, true);
  z->types_.push_back({offset_seconds, "UTC" + offset_text(offset_seconds, true)});
  return z;
}

VISIONDB_INLINE std::shared_ptr<const TimeZone> TimeZone::find(std::string_view name) {
  if (name.empty()) return nullptr;
  // Fixed offsets: [UTC]{+|-}H[H][[:]MM].
  std::string_view s = name;
  bool utc_prefix = false;
  if (s.size() >= 3 && (s.substr(0, 3) == "UTC" || s.substr(0, 3) == "utc")) {
    if (s.size() == 3) return utc();
    s.remove_prefix(3);
    utc_prefix = true;
  }
  if (s == "Z" && !utc_prefix) return utc();
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    int sign = s[0] == '-' ? -1 : 1;
    size_t i = 1;
    int h = 0, m = 0, digits = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9' && digits < 2) h = h * 10 + (s[i++] - '0'), ++digits;
    if (digits == 0) return nullptr;
    if (i < s.size() && s[i] == ':') ++i;
    if (i < s.size()) {
      if (i + 2 != s.size() || s[i] < '0' || s[i] > '9' || s[i + 1] < '0' || s[i + 1] > '9') return nullptr;
      m = (s[i] - '0') * 10 + (s[i + 1] - '0');
    }
    if (h > 14 || m > 59) return nullptr;
    return fixed(sign * (h * 3600 + m * 60));
  }
  if (utc_prefix) return nullptr;
  // IANA names: letters, digits, '/', '_', '-', '+'; no path tricks.
  for (char c : name)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '/' || c == '_' || c == '-' || c == '+')) return nullptr;
  if (name.find("..") != std::string_view::npos || name[0] == '/') return nullptr;
  if (name == "UTC" || name == "Etc/UTC" || name == "GMT" || name == "Etc/GMT") return utc();
  static std::mutex mutex;
  static std::map<std::string, std::shared_ptr<const TimeZone>, std::less<>> cache;
  std::lock_guard lock(mutex);
  if (auto it = cache.find(name); it != cache.end()) return it->second;
  auto zone = load(std::string(name));
  cache.emplace(std::string(name), zone);
  return zone;
}

namespace tzif {
inline int64_t be(const unsigned char* p, int bytes) {
  uint64_t v = 0;
  for (int k = 0; k < bytes; ++k) v = (v << 8) | p[k];
  if (bytes == 4) return static_cast<int32_t>(static_cast<uint32_t>(v));
  return static_cast<int64_t>(v);
}
}  // namespace tzif

VISIONDB_INLINE std::shared_ptr<const TimeZone> TimeZone::load(const std::string& name) {
  const char* dir = std::getenv("TZDIR");
  std::ifstream in(std::string(dir && *dir ? dir : "/usr/share/zoneinfo") + "/" + name, std::ios::binary);
  if (!in) return nullptr;
  std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto u = [&](size_t at) { return reinterpret_cast<const unsigned char*>(data.data()) + at; };
  if (data.size() < 44 || data.compare(0, 4, "TZif") != 0) return nullptr;
  // Header counts: isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt.
  auto counts = [&](size_t at, int64_t c[6]) {
    for (int k = 0; k < 6; ++k) c[k] = tzif::be(u(at + 20 + 4 * k), 4);
  };
  int64_t c[6];
  counts(0, c);
  size_t at = 44;
  int time_bytes = 4;
  if (data[4] >= '2') {
    // Skip the 32-bit block; read the 64-bit one that follows.
    at += static_cast<size_t>(c[3] * 4 + c[3] + c[4] * 6 + c[5] + c[2] * 8 + c[1] + c[0]);
    if (data.size() < at + 44 || data.compare(at, 4, "TZif") != 0) return nullptr;
    counts(at, c);
    at += 44;
    time_bytes = 8;
  }
  const int64_t timecnt = c[3], typecnt = c[4], charcnt = c[5];
  const size_t need = static_cast<size_t>(timecnt * time_bytes + timecnt + typecnt * 6 + charcnt);
  if (typecnt < 1 || data.size() < at + need) return nullptr;
  auto zone = std::make_shared<TimeZone>();
  zone->name_ = name;
  for (int64_t k = 0; k < timecnt; ++k) zone->transitions_.push_back(tzif::be(u(at + k * time_bytes), time_bytes));
  at += static_cast<size_t>(timecnt * time_bytes);
  for (int64_t k = 0; k < timecnt; ++k) zone->transition_type_.push_back(*u(at + k));
  at += static_cast<size_t>(timecnt);
  const size_t abbr_at = at + static_cast<size_t>(typecnt * 6);
  for (int64_t k = 0; k < typecnt; ++k) {
    int32_t off = static_cast<int32_t>(tzif::be(u(at + k * 6), 4));
    size_t ai = *u(at + k * 6 + 5);
    std::string abbr = ai < static_cast<size_t>(charcnt) ? std::string(data.c_str() + abbr_at + ai) : std::string();
    zone->types_.push_back({off, abbr});
  }
  for (uint8_t t : zone->transition_type_)
    if (t >= zone->types_.size()) return nullptr;
  // Before the first transition: the first standard-time type (RFC 8536 §3.2), usually type 0.
  zone->initial_type_ = 0;
  return zone;
}

VISIONDB_INLINE const TimeZone::Type& TimeZone::type_at(int64_t utc_seconds) const noexcept {
  if (transitions_.empty() || utc_seconds < transitions_.front()) return types_[initial_type_];
  size_t k = static_cast<size_t>(std::upper_bound(transitions_.begin(), transitions_.end(), utc_seconds) -
                                 transitions_.begin()) - 1;
  return types_[transition_type_[k]];
}

VISIONDB_INLINE int32_t TimeZone::offset_at(int64_t utc_seconds) const noexcept { return type_at(utc_seconds).offset; }

VISIONDB_INLINE std::string TimeZone::abbreviation_at(int64_t utc_seconds) const {
  const Type& t = type_at(utc_seconds);
  return t.abbreviation.empty() ? offset_text(t.offset, true) : t.abbreviation;
}

VISIONDB_INLINE int64_t TimeZone::to_utc(int64_t local_seconds) const noexcept {
  if (transitions_.empty()) return local_seconds - types_[initial_type_].offset;
  // The offsets a day before and after bracket any transition near this wall time.
  const int32_t before = offset_at(local_seconds - 86400 - 14 * 3600);
  const int32_t after = offset_at(local_seconds + 86400 + 14 * 3600);
  const bool before_ok = offset_at(local_seconds - before) == before;
  const bool after_ok = offset_at(local_seconds - after) == after;
  if (before_ok || !after_ok) return local_seconds - before;  // unique, repeated ("pre") or skipped ("pre")
  return local_seconds - after;
}

}  // namespace visiondb::fn::detail
