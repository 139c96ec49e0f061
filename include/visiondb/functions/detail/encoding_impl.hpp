// Out-of-line parts of scalar/encoding.hpp.
#pragma once

#include <string>

#include "visiondb/config.hpp"
#include "visiondb/functions/scalar/encoding.hpp"

namespace visiondb::fn::detail {

inline int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

struct ToHexOp {
  static bool apply(std::string_view s, std::string& r) {
    static constexpr char kDigits[] = "0123456789abcdef";
    r.resize(s.size() * 2);
    for (size_t i = 0; i < s.size(); ++i) {
      unsigned char c = static_cast<unsigned char>(s[i]);
      r[2 * i] = kDigits[c >> 4];
      r[2 * i + 1] = kDigits[c & 15];
    }
    return true;
  }
  static std::string error(std::string_view) { return {}; }
};

struct FromHexOp {
  static bool apply(std::string_view s, std::string& r) {
    for (char c : s)
      if (hex_value(c) < 0) return false;
    r.resize((s.size() + 1) / 2);
    size_t i = 0, o = 0;
    if (s.size() % 2) r[o++] = static_cast<char>(hex_value(s[i++]));
    for (; i < s.size(); i += 2) r[o++] = static_cast<char>(hex_value(s[i]) * 16 + hex_value(s[i + 1]));
    return true;
  }
  static std::string error(std::string_view s) {
    size_t k = 0;
    while (k < s.size() && hex_value(s[k]) >= 0) ++k;
    return "failed to decode invalid hexadecimal string due to character at offset " + std::to_string(k) + ": " +
           std::string(s);
  }
};

inline constexpr char kBase64Alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

struct ToBase64Op {
  static bool apply(std::string_view s, std::string& r) {
    r.clear();
    r.reserve((s.size() + 2) / 3 * 4);
    size_t i = 0;
    auto b = [&](size_t k) { return static_cast<uint32_t>(static_cast<unsigned char>(s[k])); };
    for (; i + 3 <= s.size(); i += 3) {
      uint32_t v = b(i) << 16 | b(i + 1) << 8 | b(i + 2);
      for (int k = 3; k >= 0; --k) r += kBase64Alphabet[(v >> (6 * k)) & 63];
    }
    if (size_t rest = s.size() - i) {
      uint32_t v = b(i) << 16 | (rest == 2 ? b(i + 1) << 8 : 0);
      r += kBase64Alphabet[(v >> 18) & 63];
      r += kBase64Alphabet[(v >> 12) & 63];
      r += rest == 2 ? kBase64Alphabet[(v >> 6) & 63] : '=';
      r += '=';
    }
    return true;
  }
  static std::string error(std::string_view) { return {}; }
};

// Decodes the standard alphabet; whitespace is skipped and the '=' padding may be left out (as
// absl::Base64Unescape, which BigQuery's implementation uses, allows).
struct FromBase64Op {
  static bool apply(std::string_view s, std::string& r) {
    r.clear();
    uint32_t acc = 0;
    int bits = 0, digits = 0, pad = 0;
    for (char c : s) {
      if (c == ' ' || c == '\n' || c == '\r' || c == '\t') continue;
      if (c == '=') {
        ++pad;
        continue;
      }
      if (pad) return false;  // data after padding
      int v = c >= 'A' && c <= 'Z' ? c - 'A' : c >= 'a' && c <= 'z' ? c - 'a' + 26 : c >= '0' && c <= '9' ? c - '0' + 52
              : c == '+' ? 62 : c == '/' ? 63 : -1;
      if (v < 0) return false;
      acc = (acc << 6) | static_cast<uint32_t>(v);
      bits += 6;
      ++digits;
      if (bits >= 8) {
        bits -= 8;
        r += static_cast<char>((acc >> bits) & 0xFF);
      }
    }
    if (digits % 4 == 1) return false;
    if (pad && (pad > 2 || (digits + pad) % 4 != 0)) return false;
    return true;
  }
  static std::string error(std::string_view) { return "failed to decode invalid base64 string"; }
};

}  // namespace visiondb::fn::detail

namespace visiondb::fn {

VISIONDB_INLINE FunctionSet ToHexFunction::overloads() {
  return {nary<std::string_view, detail::ToHexOp, std::string_view>({LogicalType::bytes()}, LogicalType::string())};
}
VISIONDB_INLINE FunctionSet FromHexFunction::overloads() {
  return {nary<std::string_view, detail::FromHexOp, std::string_view>({LogicalType::string()}, LogicalType::bytes())};
}
VISIONDB_INLINE FunctionSet ToBase64Function::overloads() {
  return {nary<std::string_view, detail::ToBase64Op, std::string_view>({LogicalType::bytes()}, LogicalType::string())};
}
VISIONDB_INLINE FunctionSet FromBase64Function::overloads() {
  return {nary<std::string_view, detail::FromBase64Op, std::string_view>({LogicalType::string()}, LogicalType::bytes())};
}

}  // namespace visiondb::fn
