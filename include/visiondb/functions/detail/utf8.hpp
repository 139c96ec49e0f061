// UTF-8 helpers for the string functions: stepping over characters, decoding and encoding code
// points, Unicode case mapping (the C library's tables through the built-in C.UTF-8 locale, so
// the user's locale never matters) and the White_Space property TRIM uses.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <locale.h>
#include <wctype.h>

namespace visiondb::fn::detail {

/// True for a byte that starts a character (not a 10xxxxxx continuation byte).
inline bool utf8_lead(char c) noexcept { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }

/// Characters in s (continuation bytes do not count).
inline int64_t utf8_length(std::string_view s) noexcept {
  int64_t n = 0;
  for (char c : s) n += utf8_lead(c);
  return n;
}

/// The byte offset after moving `chars` characters forward from byte `at` (stops at the end).
/// `moved` gets the number of characters actually stepped over.
inline size_t utf8_forward(std::string_view s, size_t at, int64_t chars, int64_t* moved = nullptr) noexcept {
  int64_t k = 0;
  while (k < chars && at < s.size()) {
    ++at;
    while (at < s.size() && !utf8_lead(s[at])) ++at;
    ++k;
  }
  if (moved) *moved = k;
  return at;
}

/// The byte offset after moving `chars` characters backward from byte `at` (stops at 0).
inline size_t utf8_backward(std::string_view s, size_t at, int64_t chars, int64_t* moved = nullptr) noexcept {
  int64_t k = 0;
  while (k < chars && at > 0) {
    --at;
    while (at > 0 && !utf8_lead(s[at])) --at;
    ++k;
  }
  if (moved) *moved = k;
  return at;
}

/// Decodes the code point at s[at] and advances `at`; malformed bytes decode as themselves.
inline uint32_t utf8_decode(std::string_view s, size_t& at) noexcept {
  auto b = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
  unsigned char c = b(at);
  int len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
  if (at + len > s.size()) len = 1;
  uint32_t cp = len == 1 ? c : len == 2 ? (c & 0x1Fu) : len == 3 ? (c & 0x0Fu) : (c & 0x07u);
  for (int k = 1; k < len; ++k) {
    if ((b(at + k) & 0xC0) != 0x80) {
      len = 1;
      cp = c;
      break;
    }
    cp = (cp << 6) | (b(at + k) & 0x3Fu);
  }
  at += static_cast<size_t>(len);
  return cp;
}

/// Appends the UTF-8 encoding of cp.
inline void utf8_append(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

/// True when s is well-formed UTF-8 (no overlongs, surrogates or code points past U+10FFFF).
inline bool utf8_valid(std::string_view s) noexcept {
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    int len = (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (len == 0 || i + len > s.size()) return false;
    size_t at = i;
    uint32_t cp = utf8_decode(s, at);
    if (at != i + static_cast<size_t>(len)) return false;
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
      return false;
    i = at;
  }
  return true;
}

/// Unicode's White_Space property (what TRIM removes by default).
inline bool unicode_space(uint32_t cp) noexcept {
  return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 || cp == 0xA0 || cp == 0x1680 ||
         (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F ||
         cp == 0x3000;
}

// The C.UTF-8 locale (built into glibc >= 2.35) carries the Unicode case tables; created once.
inline locale_t unicode_locale() noexcept {
  static locale_t loc = newlocale(LC_CTYPE_MASK, "C.UTF-8", static_cast<locale_t>(nullptr));
  return loc;
}

/// Simple (one to one) Unicode case mappings; ASCII-only if the C.UTF-8 locale is missing.
inline uint32_t unicode_lower(uint32_t cp) noexcept {
  if (cp < 0x80) return cp >= 'A' && cp <= 'Z' ? cp + 32 : cp;
  locale_t l = unicode_locale();
  return l ? static_cast<uint32_t>(towlower_l(static_cast<wint_t>(cp), l)) : cp;
}
inline uint32_t unicode_upper(uint32_t cp) noexcept {
  if (cp < 0x80) return cp >= 'a' && cp <= 'z' ? cp - 32 : cp;
  locale_t l = unicode_locale();
  return l ? static_cast<uint32_t>(towupper_l(static_cast<wint_t>(cp), l)) : cp;
}

}  // namespace visiondb::fn::detail
