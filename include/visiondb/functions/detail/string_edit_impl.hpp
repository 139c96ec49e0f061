// Out-of-line parts of scalar/string_edit.hpp.
#pragma once

#include <algorithm>
#include <cstring>
#include <string>

#include "visiondb/config.hpp"
#include "visiondb/functions/detail/utf8.hpp"
#include "visiondb/functions/scalar/string_edit.hpp"

namespace visiondb::fn::detail {

inline constexpr size_t kMaxStringOutput = size_t{1} << 20;  // ZetaSQL's kMaxOutputSize

// Unicode's full lower-case mapping where it differs from the simple one, as ICU applies it
// (BigQuery's implementation): capital sigma is final sigma at the end of a word, and dotted
// capital I becomes i with a combining dot.
inline bool unicode_letter(uint32_t cp) {
  if (cp < 0x80) return (cp | 32) >= 'a' && (cp | 32) <= 'z';
  locale_t l = unicode_locale();
  return l && iswalpha_l(static_cast<wint_t>(cp), l);
}
struct LowerUtf8Op {
  static bool apply(std::string_view s, std::string& r) {
    r.clear();
    size_t at = 0;
    uint32_t prev = 0;
    while (at < s.size()) {
      unsigned char c = static_cast<unsigned char>(s[at]);
      if (c < 0x80) {
        r += static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
        prev = c;
        ++at;
        continue;
      }
      uint32_t cp = utf8_decode(s, at);
      if (cp == 0x03A3) {  // Final_Sigma: after a letter and not before one
        size_t next = at;
        bool before_letter = next < s.size() && unicode_letter(utf8_decode(s, next));
        utf8_append(r, unicode_letter(prev) && !before_letter ? 0x03C2 : 0x03C3);
      } else if (cp == 0x0130) {
        r += "i\xCC\x87";
      } else {
        utf8_append(r, unicode_lower(cp));
      }
      prev = cp;
    }
    return true;
  }
  static std::string error(std::string_view) { return {}; }
};
struct UpperUtf8Op {
  static bool apply(std::string_view s, std::string& r) {
    r.clear();
    size_t at = 0;
    while (at < s.size()) {
      unsigned char c = static_cast<unsigned char>(s[at]);
      if (c < 0x80) {
        r += static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c);
        ++at;
        continue;
      }
      uint32_t cp = utf8_decode(s, at);
      // Full upper-case mappings (Unicode SpecialCasing, as ICU applies them): sharp s and the
      // Latin ligatures expand to two or three letters.
      switch (cp) {
        case 0xDF: r += "SS"; break;
        case 0xFB00: r += "FF"; break;
        case 0xFB01: r += "FI"; break;
        case 0xFB02: r += "FL"; break;
        case 0xFB03: r += "FFI"; break;
        case 0xFB04: r += "FFL"; break;
        case 0xFB05:
        case 0xFB06: r += "ST"; break;
        case 0x0149: r += "\xCA\xBCN"; break;  // 'n preceded by apostrophe
        default: utf8_append(r, unicode_upper(cp));
      }
    }
    return true;
  }
  static std::string error(std::string_view) { return {}; }
};
template <bool Upper>
struct CaseBytesOp {
  static bool apply(std::string_view s, std::string& r) {
    r.assign(s);
    for (char& c : r) {
      if (Upper && c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
      if (!Upper && c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
    }
    return true;
  }
  static std::string error(std::string_view) { return {}; }
};

// INITCAP: the default delimiters are Unicode whitespace plus these (ZetaSQL's list); explicit
// delimiters replace the whole set.
inline bool initcap_default_delimiter(uint32_t cp) {
  static constexpr std::string_view kDelims = "[](){}/|\\<>!?@\"#$&~_,.:;*%+-^";
  return unicode_space(cp) || (cp < 0x80 && kDelims.find(static_cast<char>(cp)) != std::string_view::npos);
}
struct InitcapOp {
  template <class IsDelimiter>
  static void run(std::string_view s, std::string& r, IsDelimiter is_delimiter) {
    r.clear();
    bool start = true;
    size_t at = 0;
    while (at < s.size()) {
      uint32_t cp = utf8_decode(s, at);
      if (is_delimiter(cp)) {
        start = true;
        utf8_append(r, cp);
      } else {
        utf8_append(r, start ? unicode_upper(cp) : unicode_lower(cp));
        start = false;
      }
    }
  }
  static bool apply(std::string_view s, std::string& r) {
    run(s, r, initcap_default_delimiter);
    return true;
  }
  static bool apply(std::string_view s, std::string_view delimiters, std::string& r) {
    run(s, r, [&](uint32_t cp) {
      size_t at = 0;
      while (at < delimiters.size())
        if (utf8_decode(delimiters, at) == cp) return true;
      return false;
    });
    return true;
  }
  static std::string error(std::string_view) { return {}; }
  static std::string error(std::string_view, std::string_view) { return {}; }
};

struct ReplaceOp {
  static bool apply(std::string_view s, std::string_view from, std::string_view to, std::string& r) {
    r.clear();
    if (from.empty()) {
      r.assign(s);
      return s.size() <= kMaxStringOutput;
    }
    size_t start = 0;
    for (;;) {
      size_t p = s.find(from, start);
      if (p == std::string_view::npos) break;
      r.append(s.data() + start, p - start);
      r.append(to);
      if (r.size() > kMaxStringOutput) return false;
      start = p + from.size();
    }
    r.append(s.data() + start, s.size() - start);
    return r.size() <= kMaxStringOutput;
  }
  static std::string error(std::string_view, std::string_view, std::string_view) {
    return "output of REPLACE exceeds max allowed output size of 1MB";
  }
};

// TRIM family: Left/Right select the ends. STRING trims characters, BYTES trims bytes.
template <bool Left, bool Right>
struct TrimOp {
  template <class Drop>
  static std::string_view trim_utf8(std::string_view s, Drop drop) {
    size_t b = 0, e = s.size();
    if (Left) {
      while (b < e) {
        size_t next = b;
        if (!drop(utf8_decode(s, next))) break;
        b = next;
      }
    }
    if (Right) {
      while (e > b) {
        size_t prev = utf8_backward(s, e, 1), at = prev;
        if (!drop(utf8_decode(s, at))) break;
        e = prev;
      }
    }
    return s.substr(b, e - b);
  }
  static bool apply(std::string_view s, std::string_view& r) {
    r = trim_utf8(s, unicode_space);
    return true;
  }
  static bool apply(std::string_view s, std::string_view chars, std::string_view& r) {
    if (chars.size() == 1 && static_cast<unsigned char>(chars[0]) < 0x80) {
      r = trim_utf8(s, [c = static_cast<unsigned char>(chars[0])](uint32_t cp) { return cp == c; });
      return true;
    }
    r = trim_utf8(s, [&](uint32_t cp) {
      size_t at = 0;
      while (at < chars.size())
        if (utf8_decode(chars, at) == cp) return true;
      return false;
    });
    return true;
  }
  static std::string error(std::string_view) { return {}; }
  static std::string error(std::string_view, std::string_view) { return {}; }
};
template <bool Left, bool Right>
struct TrimBytesOp {
  static bool apply(std::string_view s, std::string_view chars, std::string_view& r) {
    bool drop[256] = {};
    for (char c : chars) drop[static_cast<unsigned char>(c)] = true;
    size_t b = 0, e = s.size();
    if (Left)
      while (b < e && drop[static_cast<unsigned char>(s[b])]) ++b;
    if (Right)
      while (e > b && drop[static_cast<unsigned char>(s[e - 1])]) --e;
    r = s.substr(b, e - b);
    return true;
  }
  static std::string error(std::string_view, std::string_view) { return {}; }
};

// LPAD / RPAD (ZetaSQL's PadUtf8 / PadBytes).
template <bool LeftPad, bool Utf8>
struct PadOp {
  static bool apply(std::string_view s, int64_t length, std::string& r) { return apply(s, length, " ", r); }
  static bool apply(std::string_view s, int64_t length, std::string_view pattern, std::string& r) {
    if (length < 0 || static_cast<uint64_t>(length) > kMaxStringOutput || pattern.empty()) return false;
    const int64_t have = Utf8 ? utf8_length(s) : static_cast<int64_t>(s.size());
    if (length <= have) {
      size_t end = Utf8 ? utf8_forward(s, 0, length) : static_cast<size_t>(length);
      r.assign(s.substr(0, end));
      return true;
    }
    // (A pattern of stray continuation bytes still counts as one unit, never zero.)
    const int64_t pattern_units = std::max<int64_t>(1, Utf8 ? utf8_length(pattern) : static_cast<int64_t>(pattern.size()));
    const int64_t pad = length - have;
    const int64_t reps = pad / pattern_units, rem = pad % pattern_units;
    std::string_view tail = pattern.substr(0, Utf8 ? utf8_forward(pattern, 0, rem) : static_cast<size_t>(rem));
    const size_t bytes = static_cast<size_t>(reps) * pattern.size() + tail.size() + s.size();
    if (bytes > kMaxStringOutput) return false;
    r.clear();
    r.reserve(bytes);
    if (!LeftPad) r.append(s);
    for (int64_t k = 0; k < reps; ++k) r.append(pattern);
    r.append(tail);
    if (LeftPad) r.append(s);
    return true;
  }
  static std::string error(std::string_view s, int64_t length) { return error(s, length, " "); }
  static std::string error(std::string_view, int64_t length, std::string_view pattern) {
    if (length < 0) return "second argument (output size) for LPAD/RPAD cannot be negative: " + std::to_string(length);
    if (pattern.empty() && static_cast<uint64_t>(length) <= kMaxStringOutput)
      return "third argument (pad pattern) for LPAD/RPAD cannot be empty";
    return "output of LPAD/RPAD exceeds max allowed output size of 1MB";
  }
};

struct RepeatOp {
  static bool apply(std::string_view s, int64_t n, std::string& r) {
    r.clear();
    if (n < 0) return false;
    if (s.empty() || n == 0) return true;
    if (static_cast<uint64_t>(n) > kMaxStringOutput || s.size() * static_cast<size_t>(n) > kMaxStringOutput) return false;
    r.reserve(s.size() * static_cast<size_t>(n));
    for (int64_t k = 0; k < n; ++k) r.append(s);
    return true;
  }
  static std::string error(std::string_view, int64_t n) {
    if (n < 0) return "second argument (repeat count) for REPEAT cannot be negative: " + std::to_string(n);
    return "output of REPEAT exceeds max allowed output size of 1MB";
  }
};

}  // namespace visiondb::fn::detail

namespace visiondb::fn {

VISIONDB_INLINE FunctionSet LowerFunction::overloads() {
  using SV = std::string_view;
  return {nary<SV, detail::LowerUtf8Op, SV>({LogicalType::string()}, LogicalType::string()),
          nary<SV, detail::CaseBytesOp<false>, SV>({LogicalType::bytes()}, LogicalType::bytes())};
}
VISIONDB_INLINE FunctionSet UpperFunction::overloads() {
  using SV = std::string_view;
  return {nary<SV, detail::UpperUtf8Op, SV>({LogicalType::string()}, LogicalType::string()),
          nary<SV, detail::CaseBytesOp<true>, SV>({LogicalType::bytes()}, LogicalType::bytes())};
}
VISIONDB_INLINE FunctionSet InitcapFunction::overloads() {
  using SV = std::string_view;
  auto s = LogicalType::string();
  return {nary<SV, detail::InitcapOp, SV>({s}, s), nary<SV, detail::InitcapOp, SV, SV>({s, s}, s)};
}
VISIONDB_INLINE FunctionSet ReplaceFunction::overloads() {
  using SV = std::string_view;
  auto s = LogicalType::string(), b = LogicalType::bytes();
  return {nary<SV, detail::ReplaceOp, SV, SV, SV>({s, s, s}, s), nary<SV, detail::ReplaceOp, SV, SV, SV>({b, b, b}, b)};
}

namespace detail {
template <bool L, bool R>
FunctionSet trim_overloads() {
  using SV = std::string_view;
  auto s = LogicalType::string(), b = LogicalType::bytes();
  return {nary<SV, TrimOp<L, R>, SV>({s}, s), nary<SV, TrimOp<L, R>, SV, SV>({s, s}, s),
          nary<SV, TrimBytesOp<L, R>, SV, SV>({b, b}, b)};
}
template <bool Left>
FunctionSet pad_overloads() {
  using SV = std::string_view;
  auto s = LogicalType::string(), b = LogicalType::bytes(), i = LogicalType::int64();
  return {nary<SV, PadOp<Left, true>, SV, int64_t>({s, i}, s), nary<SV, PadOp<Left, true>, SV, int64_t, SV>({s, i, s}, s),
          nary<SV, PadOp<Left, false>, SV, int64_t>({b, i}, b), nary<SV, PadOp<Left, false>, SV, int64_t, SV>({b, i, b}, b)};
}
}  // namespace detail

VISIONDB_INLINE FunctionSet TrimFunction::overloads() { return detail::trim_overloads<true, true>(); }
VISIONDB_INLINE FunctionSet LtrimFunction::overloads() { return detail::trim_overloads<true, false>(); }
VISIONDB_INLINE FunctionSet RtrimFunction::overloads() { return detail::trim_overloads<false, true>(); }
VISIONDB_INLINE FunctionSet LpadFunction::overloads() { return detail::pad_overloads<true>(); }
VISIONDB_INLINE FunctionSet RpadFunction::overloads() { return detail::pad_overloads<false>(); }
VISIONDB_INLINE FunctionSet RepeatFunction::overloads() {
  using SV = std::string_view;
  auto s = LogicalType::string(), b = LogicalType::bytes(), i = LogicalType::int64();
  return {nary<SV, detail::RepeatOp, SV, int64_t>({s, i}, s), nary<SV, detail::RepeatOp, SV, int64_t>({b, i}, b)};
}

}  // namespace visiondb::fn
