#include "visiondb/functions/scalar/like.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>

using visiondb::fn::LikeMatcher;

namespace {

// The definition, directly: '%' any run, '_' one UTF-8 character (one byte for BYTES), '\' escapes.
bool reference(std::string_view p, std::string_view s, bool bytes) {
  if (p.empty()) return s.empty();
  if (p[0] == '%') {
    for (size_t i = 0; i <= s.size(); ++i)
      if (reference(p.substr(1), s.substr(i), bytes)) return true;
    return false;
  }
  if (s.empty()) return false;
  if (p[0] == '_') {
    size_t len = 1;
    if (!bytes) {
      unsigned char c = static_cast<unsigned char>(s[0]);
      len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : 4;
    }
    return len <= s.size() && reference(p.substr(1), s.substr(len), bytes);
  }
  if (p[0] == '\\') return s[0] == p[1] && reference(p.substr(2), s.substr(1), bytes);
  return s[0] == p[0] && reference(p.substr(1), s.substr(1), bytes);
}

}  // namespace

TEST(Like, FixedCases) {
  EXPECT_TRUE(LikeMatcher("%/cat_7/%3.jpg", false).matches("images/cat_7/img_123.jpg"));
  EXPECT_FALSE(LikeMatcher("%/cat_7/%3.jpg", false).matches("images/cat_7/img_124.jpg"));
  EXPECT_TRUE(LikeMatcher("%/cat_7/%3.jpg", false).matches("images/catX7/3.jpg"));
  EXPECT_TRUE(LikeMatcher("a%a", false).matches("aa"));
  EXPECT_FALSE(LikeMatcher("a%a", false).matches("a"));
  EXPECT_TRUE(LikeMatcher("_", false).matches("é"));
  EXPECT_FALSE(LikeMatcher("_", true).matches("é"));
  EXPECT_TRUE(LikeMatcher("", false).matches(""));
  EXPECT_TRUE(LikeMatcher("%", false).matches(""));
  EXPECT_TRUE(LikeMatcher("50\\%", false).matches("50%"));
  EXPECT_FALSE(LikeMatcher("50\\%", false).matches("500"));
  EXPECT_THROW(LikeMatcher("ab\\", false), visiondb::SqlError);
}

TEST(Like, AgreesWithTheDefinitionOnRandomPatterns) {
  std::mt19937 rng(7);
  const std::string alphabet = "ab_%\\";
  const std::string text_chars = "abé_%";
  for (int iter = 0; iter < 20000; ++iter) {
    std::string p;
    int plen = static_cast<int>(rng() % 7);
    for (int i = 0; i < plen; ++i) p += alphabet[rng() % alphabet.size()];
    if (!p.empty() && p.back() == '\\') p.pop_back();
    // a backslash escapes the next character; keep escapes well-formed
    std::string fixed;
    for (size_t i = 0; i < p.size(); ++i) {
      fixed += p[i];
      if (p[i] == '\\') {
        if (i + 1 < p.size()) fixed += p[++i];
        else fixed.pop_back();
      }
    }
    std::string s;
    int slen = static_cast<int>(rng() % 7);
    for (int i = 0; i < slen; ++i) {
      char c = text_chars[rng() % text_chars.size()];
      if (c == '\xc3' || c == '\xa9') continue;
      if (rng() % 5 == 0) s += "é";
      else s += "ab_%"[rng() % 4];
    }
    for (bool bytes : {false, true}) {
      LikeMatcher m(fixed, bytes);
      ASSERT_EQ(m.matches(s), reference(fixed, s, bytes)) << "pattern '" << fixed << "' text '" << s << "' bytes=" << bytes;
    }
  }
}
