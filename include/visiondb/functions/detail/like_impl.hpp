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
  bool has_one = false;
  for (size_t i = 0; i < pattern.size(); ++i) {
    char c = pattern[i];
    if (c == '\\') {
      if (i + 1 >= pattern.size())
        throw SqlError(ErrorKind::Execution, "LIKE pattern ends with a backslash: '" + std::string(pattern) + "'");
      tokens_.push_back({Tok::Byte, pattern[++i]});
    } else if (c == '%') {
      if (tokens_.empty() || tokens_.back().first != Tok::Any) tokens_.push_back({Tok::Any, 0});
    } else if (c == '_') {
      tokens_.push_back({Tok::One, 0});
      has_one = true;
    } else {
      tokens_.push_back({Tok::Byte, c});
    }
  }
  if (has_one) return;  // General
  // Split into %-separated literals.
  std::vector<std::string> parts(1);
  for (auto& [t, c] : tokens_) {
    if (t == Tok::Any) parts.emplace_back();
    else parts.back() += c;
  }
  anchored_start_ = tokens_.empty() || tokens_.front().first != Tok::Any;
  anchored_end_ = tokens_.empty() || tokens_.back().first != Tok::Any;
  // parts: [first, middle..., last]; first empty when the pattern starts with %, same at the end.
  if (parts.size() == 1) {
    kind_ = Kind::Exact;
    literal_ = parts[0];
  } else if (parts.size() == 2) {
    if (anchored_start_ && anchored_end_) {
      kind_ = Kind::PrefixSuffix;
      literal_ = parts[0];
      literal2_ = parts[1];
    } else if (anchored_start_) {
      kind_ = Kind::Prefix;
      literal_ = parts[0];
    } else if (anchored_end_) {
      kind_ = Kind::Suffix;
      literal_ = parts[1];
    } else {
      kind_ = Kind::Contains;  // "%%" or "%": parts both empty -> contains "" = always true
      literal_ = parts[0] + parts[1];
    }
  } else if (parts.size() == 3 && !anchored_start_ && !anchored_end_) {
    kind_ = Kind::Contains;
    literal_ = parts[1];
  } else {
    kind_ = Kind::Segments;
    segments_ = std::move(parts);
  }
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
    case Kind::Segments: {
      const std::string& first = segments_.front();
      const std::string& last = segments_.back();
      if (s.size() < first.size() + last.size()) return false;
      if (std::memcmp(s.data(), first.data(), first.size()) != 0) return false;
      if (std::memcmp(s.data() + s.size() - last.size(), last.data(), last.size()) != 0) return false;
      std::string_view mid = s.substr(first.size(), s.size() - first.size() - last.size());
      size_t pos = 0;
      for (size_t k = 1; k + 1 < segments_.size(); ++k) {
        size_t at;
        if (!detail::find_bytes(mid, segments_[k], pos, at)) return false;
        pos = at + segments_[k].size();
      }
      return true;
    }
    case Kind::General: return general_match(s);
  }
  return false;
}

// Wildcard matching with backtracking to the last '%' [the classic two-pointer algorithm].
VISIONDB_INLINE bool LikeMatcher::general_match(std::string_view s) const {
  size_t si = 0, ti = 0;
  size_t star_ti = SIZE_MAX, star_si = 0;
  const size_t n = s.size(), m = tokens_.size();
  while (si < n) {
    if (ti < m && tokens_[ti].first == Tok::Byte && tokens_[ti].second == s[si]) {
      ++si;
      ++ti;
    } else if (ti < m && tokens_[ti].first == Tok::One) {
      si += bytes_ ? 1 : detail::utf8_char_length(static_cast<unsigned char>(s[si]));
      ++ti;
    } else if (ti < m && tokens_[ti].first == Tok::Any) {
      star_ti = ti++;
      star_si = si;
    } else if (star_ti != SIZE_MAX) {
      ti = star_ti + 1;
      star_si += bytes_ ? 1 : detail::utf8_char_length(static_cast<unsigned char>(s[star_si]));
      si = star_si;
    } else {
      return false;
    }
  }
  if (si > n) return false;
  while (ti < m && tokens_[ti].first == Tok::Any) ++ti;
  return ti == m;
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
