// Out-of-line parts of scalar/like.hpp.
#pragma once

#include <cstring>
#include <memory>

#include "visiondb/config.hpp"
#include "visiondb/functions/scalar/like.hpp"

namespace visiondb::fn {

namespace detail {
inline bool find_bytes(std::string_view hay, std::string_view needle, size_t from, size_t& at) {
  if (needle.empty()) {
    at = from;
    return from <= hay.size();
  }
  if (from > hay.size()) return false;
  const void* p = memmem(hay.data() + from, hay.size() - from, needle.data(), needle.size());
  if (!p) return false;
  at = static_cast<size_t>(static_cast<const char*>(p) - hay.data());
  return true;
}
inline size_t utf8_char_length(unsigned char c) {
  if (c < 0x80) return 1;
  if ((c >> 5) == 0x6) return 2;
  if ((c >> 4) == 0xE) return 3;
  if ((c >> 3) == 0x1E) return 4;
  return 1;
}
}  // namespace detail

VISIONDB_INLINE LikeMatcher::LikeMatcher(std::string_view pattern, bool bytes) : bytes_(bytes) {
  segments_.emplace_back();
  bool has_any = false, leading_percent = false, trailing_percent = false;
  for (size_t i = 0; i < pattern.size(); ++i) {
    char c = pattern[i];
    if (c == '%') {
      if (i == 0) leading_percent = true;
      if (i + 1 == pattern.size()) trailing_percent = true;
      if (!segments_.back().literal.empty() || segments_.size() == 1) segments_.emplace_back();
      continue;
    }
    Segment& seg = segments_.back();
    if (c == '\\') {
      if (i + 1 >= pattern.size())
        throw SqlError(ErrorKind::Execution, "LIKE pattern ends with a backslash: '" + std::string(pattern) + "'");
      c = pattern[++i];
      seg.literal += c;
      seg.any.push_back(0);
    } else if (c == '_') {
      seg.literal += '\0';
      seg.any.push_back(1);
      seg.has_any = has_any = true;
    } else {
      seg.literal += c;
      seg.any.push_back(0);
    }
  }
  // A trailing '%' leaves an empty last segment; a leading one an empty first segment.
  anchored_start_ = !leading_percent;
  anchored_end_ = !trailing_percent;
  if (!anchored_end_ && segments_.size() > 1 && segments_.back().literal.empty()) segments_.pop_back();
  if (!anchored_start_ && !segments_.empty() && segments_.front().literal.empty()) segments_.erase(segments_.begin());
  if (segments_.empty()) segments_.emplace_back();
  for (auto& seg : segments_) {
    size_t k = 0;
    while (k < seg.any.size() && !seg.any[k]) ++k;
    seg.anchor = seg.literal.substr(0, k);
  }
  if (has_any) return;  // Segments
  // Literal-only patterns get the cheap matchers.
  if (segments_.size() == 1) {
    if (anchored_start_ && anchored_end_) kind_ = Kind::Exact;
    else if (anchored_start_) kind_ = Kind::Prefix;
    else if (anchored_end_) kind_ = Kind::Suffix;
    else kind_ = Kind::Contains;
    literal_ = segments_[0].literal;
  } else if (segments_.size() == 2 && anchored_start_ && anchored_end_) {
    kind_ = Kind::PrefixSuffix;
    literal_ = segments_[0].literal;
    literal2_ = segments_[1].literal;
  }
}

VISIONDB_INLINE size_t LikeMatcher::match_forward(const Segment& seg, std::string_view s, size_t at) const {
  size_t p = at;
  const size_t n = s.size();
  for (size_t k = 0; k < seg.literal.size(); ++k) {
    if (p >= n) return std::string_view::npos;
    if (seg.any[k]) {
      p += bytes_ ? 1 : detail::utf8_char_length(static_cast<unsigned char>(s[p]));
      if (p > n) return std::string_view::npos;
    } else {
      if (s[p] != seg.literal[k]) return std::string_view::npos;
      ++p;
    }
  }
  return p;
}

VISIONDB_INLINE size_t LikeMatcher::match_backward(const Segment& seg, std::string_view s, size_t end) const {
  size_t p = end;
  for (size_t k = seg.literal.size(); k-- > 0;) {
    if (p == 0) return std::string_view::npos;
    if (seg.any[k]) {
      --p;
      if (!bytes_)
        while (p > 0 && (static_cast<unsigned char>(s[p]) & 0xC0) == 0x80) --p;
    } else {
      if (s[p - 1] != seg.literal[k]) return std::string_view::npos;
      --p;
    }
  }
  return p;
}

VISIONDB_INLINE size_t LikeMatcher::find_forward(const Segment& seg, std::string_view s, size_t from, size_t limit) const {
  if (!seg.has_any) {
    size_t at;
    if (!detail::find_bytes(s.substr(0, limit), seg.literal, from, at)) return std::string_view::npos;
    return at + seg.literal.size();
  }
  for (size_t start = from; start <= limit;) {
    if (!seg.anchor.empty()) {
      size_t at;
      if (!detail::find_bytes(s.substr(0, limit), seg.anchor, start, at)) return std::string_view::npos;
      start = at;
    }
    size_t e = match_forward(seg, s, start);
    if (e != std::string_view::npos && e <= limit) return e;
    if (start >= s.size()) break;
    start += bytes_ ? 1 : detail::utf8_char_length(static_cast<unsigned char>(s[start]));
  }
  return std::string_view::npos;
}

VISIONDB_INLINE bool LikeMatcher::matches(std::string_view s) const {
  switch (kind_) {
    case Kind::Exact: return s == literal_;
    case Kind::Prefix: return s.size() >= literal_.size() && std::memcmp(s.data(), literal_.data(), literal_.size()) == 0;
    case Kind::Suffix:
      return s.size() >= literal_.size() &&
             std::memcmp(s.data() + s.size() - literal_.size(), literal_.data(), literal_.size()) == 0;
    case Kind::PrefixSuffix:
      return s.size() >= literal_.size() + literal2_.size() &&
             std::memcmp(s.data(), literal_.data(), literal_.size()) == 0 &&
             std::memcmp(s.data() + s.size() - literal2_.size(), literal2_.data(), literal2_.size()) == 0;
    case Kind::Contains: {
      size_t at;
      return detail::find_bytes(s, literal_, 0, at);
    }
    case Kind::Segments: break;
  }
  // Anchored ends first (cheap rejections), then the middle segments leftmost-first.
  size_t first = 0, last = segments_.size();
  size_t pos = 0, end = s.size();
  if (anchored_start_) {
    pos = match_forward(segments_[0], s, 0);
    if (pos == std::string_view::npos) return false;
    first = 1;
    if (segments_.size() == 1) return !anchored_end_ || pos == s.size();
  }
  if (anchored_end_) {
    end = match_backward(segments_.back(), s, s.size());
    if (end == std::string_view::npos || end < pos) return false;
    last = segments_.size() - 1;
  }
  for (size_t k = first; k < last; ++k) {
    size_t e = find_forward(segments_[k], s, pos, end);
    if (e == std::string_view::npos) return false;
    pos = e;
  }
  return true;
}

namespace detail {
class LikeFunctionImpl final : public ScalarFunction {
 public:
  LikeFunctionImpl(LogicalType t, bool negated)
      : ScalarFunction("", {t, t}, LogicalType::boolean()), bytes_(t.id() == TypeId::Bytes), negated_(negated) {}
  std::shared_ptr<const void> prepare(std::span<const Value* const> constants) const override {
    if (constants.size() == 2 && constants[1] && !constants[1]->is_null())
      return std::make_shared<LikeMatcher>(constants[1]->as_string(), bytes_);
    return nullptr;
  }
  void execute(std::span<const ColumnView> args, size_t n, Column& out, const FunctionContext& ctx) const override {
    const auto* matcher = static_cast<const LikeMatcher*>(ctx.prepared);
    const ColumnView& s = args[0];
    const ColumnView& p = args[1];
    out.resize(n);
    uint8_t* o = out.data<uint8_t>();
    const Column& cs = *s.column;
    const bool nulls = !s.all_valid() || !p.all_valid();
    if (matcher) {
      if (!nulls && !s.sel && !s.constant) {
        for (size_t i = 0; i < n; ++i) o[i] = matcher->matches(cs.string_at(i)) != negated_;
        return;
      }
      for (size_t i = 0; i < n; ++i) {
        uint32_t r = s.row(i);
        if (!cs.is_valid(r) || p.is_null(i)) {
          out.set_null(i);
          continue;
        }
        o[i] = matcher->matches(cs.string_at(r)) != negated_;
      }
      return;
    }
    std::unique_ptr<LikeMatcher> cached;
    std::string cached_pattern;
    for (size_t i = 0; i < n; ++i) {
      uint32_t r = s.row(i), rp = p.row(i);
      if (!cs.is_valid(r) || !p.column->is_valid(rp)) {
        out.set_null(i);
        continue;
      }
      std::string_view pat = p.column->string_at(rp);
      if (!cached || pat != cached_pattern) {
        cached = std::make_unique<LikeMatcher>(pat, bytes_);
        cached_pattern = std::string(pat);
      }
      o[i] = cached->matches(cs.string_at(r)) != negated_;
    }
  }

 private:
  bool bytes_, negated_;
};
}  // namespace detail

VISIONDB_INLINE FunctionSet like_overloads(bool negated) {
  return {std::make_shared<detail::LikeFunctionImpl>(LogicalType::string(), negated),
          std::make_shared<detail::LikeFunctionImpl>(LogicalType::bytes(), negated)};
}

}  // namespace visiondb::fn
