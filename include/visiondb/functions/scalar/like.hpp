// LIKE / NOT LIKE: '%' matches any run of characters, '_' exactly one (one UTF-8 character for
// STRING, one byte for BYTES), '\' escapes. A constant pattern is compiled once per call site into
// the cheapest matcher: equality, prefix, suffix, substring (memmem) or the general matcher.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "visiondb/functions/function.hpp"

namespace visiondb::fn {

class LikeMatcher {
 public:
  /// Throws SqlError (Execution) for a pattern ending in a lone '\'.
  LikeMatcher(std::string_view pattern, bool bytes);
  bool matches(std::string_view s) const;

 private:
  enum class Kind { Exact, Prefix, Suffix, Contains, PrefixSuffix, Segments, General };
  bool general_match(std::string_view s) const;
  Kind kind_ = Kind::General;
  bool bytes_ = false;
  std::string literal_, literal2_;          // Exact/Prefix/Suffix/Contains; PrefixSuffix: prefix, suffix
  std::vector<std::string> segments_;       // Segments: %-separated literals
  bool anchored_start_ = false, anchored_end_ = false;
  // General: the pattern as tokens: a literal byte, '_' (any one) or '%' (any run).
  enum class Tok : uint8_t { Byte, One, Any };
  std::vector<std::pair<Tok, char>> tokens_;
};

/// "like" and "not like" for STRING and BYTES.
FunctionSet like_overloads(bool negated);

struct LikeFunction {
  static constexpr std::string_view name = "like", doc = "s LIKE pattern: '%' any run, '_' one character, '\\' escapes";
  static FunctionSet overloads() { return like_overloads(false); }
};
struct NotLikeFunction {
  static constexpr std::string_view name = "not like", doc = "s NOT LIKE pattern";
  static FunctionSet overloads() { return like_overloads(true); }
};

}  // namespace visiondb::fn

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/functions/detail/like_impl.hpp"
#endif
