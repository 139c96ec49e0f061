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
  /// Throws SqlError (Execution) for a pattern ending in a lone '\\'.
  LikeMatcher(std::string_view pattern, bool bytes);
  bool matches(std::string_view s) const;

 private:
  // A run of the pattern between two '%': literal bytes and '_' (one character).
  struct Segment {
    std::string literal;           // the bytes, with '_' positions holding anything
    std::vector<uint8_t> any;      // 1 where the pattern has '_'
    bool has_any = false;
    std::string anchor;            // the longest literal prefix (for memmem)
  };
  enum class Kind { Exact, Prefix, Suffix, Contains, PrefixSuffix, Segments };
  // The end of a match of seg starting at `at`, or npos.
  size_t match_forward(const Segment& seg, std::string_view s, size_t at) const;
  // The start of a match of seg ending at `end`, or npos.
  size_t match_backward(const Segment& seg, std::string_view s, size_t end) const;
  // The end of the first match of seg starting in [from, limit] and ending by `limit`, or npos.
  size_t find_forward(const Segment& seg, std::string_view s, size_t from, size_t limit) const;

  Kind kind_ = Kind::Segments;
  bool bytes_ = false;
  std::string literal_, literal2_;  // Exact/Prefix/Suffix/Contains; PrefixSuffix: prefix, suffix
  std::vector<Segment> segments_;
  bool anchored_start_ = false, anchored_end_ = false;
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
