// Out-of-line parts of scalar/regexp.hpp (the only place that includes RE2).
#pragma once

#include <cctype>
#include <cstring>
#include <memory>
#include <string>

#include <re2/re2.h>

#include "visiondb/config.hpp"
#include "visiondb/functions/detail/utf8.hpp"
#include "visiondb/functions/scalar/regexp.hpp"

namespace visiondb::fn::detail {

/// A compiled pattern, the literal it reduces to, or the reason it does not compile.
class CompiledRegexp {
 public:
  CompiledRegexp(std::string_view pattern, bool bytes, bool allow_literal) : pattern_(pattern) {
    bool meta = false;
    for (char c : pattern)
      if (std::strchr("\\^$.|?*+()[]{}", c)) meta = true;
    if (!meta && allow_literal) {
      is_literal_ = true;
      return;
    }
    RE2::Options opts;
    opts.set_log_errors(false);
    if (bytes) opts.set_encoding(RE2::Options::EncodingLatin1);
    re_ = std::make_unique<RE2>(re2::StringPiece(pattern.data(), pattern.size()), opts);
    if (!re_->ok()) error_ = "cannot parse regular expression '" + pattern_ + "': " + re_->error();
    else if (allow_literal) required_ = required_literal(pattern);
  }
  bool ok() const noexcept { return error_.empty(); }
  const std::string& error() const noexcept { return error_; }
  const std::string& pattern() const noexcept { return pattern_; }
  const RE2& re() const noexcept { return *re_; }
  bool contains(std::string_view s) const {
    if (is_literal_) return literal_find(pattern_, s);
    // A row without the pattern's required literal cannot match: skip RE2 for it.
    if (!required_.empty() && !literal_find(required_, s)) return false;
    return RE2::PartialMatch(re2::StringPiece(s.data(), s.size()), *re_);
  }

 private:
  // Short haystacks (paths, names): memchr for the first byte, then compare; no per-call setup as
  // memmem's two-way search has.
  static bool literal_find(const std::string& needle, std::string_view s) {
    const size_t m = needle.size();
    if (m == 0) return true;
    if (s.size() < m) return false;
    const char first = needle[0];
    const char* p = s.data();
    const char* last = s.data() + (s.size() - m);
    while (p <= last) {
      p = static_cast<const char*>(std::memchr(p, first, static_cast<size_t>(last - p) + 1));
      if (!p) return false;
      if (std::memcmp(p + 1, needle.data() + 1, m - 1) == 0) return true;
      ++p;
    }
    return false;
  }

  // The longest run of literal characters every match must contain ("77.jpg" in
  // img_[0-9]*77\.jpg$), found conservatively: patterns with groups, alternation, counted
  // repetition or escapes other than escaped punctuation get none.
 public:
  /// Also the public regexp_required_literal() (scalar/regexp.hpp).
  static std::string required_literal(std::string_view p) { return required_literal_impl(p); }

 private:
  static std::string required_literal_impl(std::string_view p) {
    std::string run, best;
    auto flush = [&] {
      if (run.size() > best.size()) best = run;
      run.clear();
    };
    auto drop_last_char = [&] {  // a quantifier makes the previous character optional
      while (!run.empty() && !utf8_lead(run.back())) run.pop_back();
      if (!run.empty()) run.pop_back();
    };
    for (size_t i = 0; i < p.size();) {
      const char c = p[i];
      if (c == '(' || c == ')' || c == '|' || c == '{' || c == '}') return {};
      if (c == '\\') {
        if (i + 1 >= p.size() || std::isalnum(static_cast<unsigned char>(p[i + 1])) ||
            static_cast<unsigned char>(p[i + 1]) >= 0x80)
          return {};
        run += p[i + 1];
        i += 2;
      } else if (c == '.' || c == '^' || c == '$') {
        flush();
        ++i;
      } else if (c == '[') {
        flush();
        size_t j = i + 1;
        if (j < p.size() && p[j] == '^') ++j;
        if (j < p.size() && p[j] == ']') ++j;
        while (j < p.size() && p[j] != ']') j += p[j] == '\\' ? 2 : 1;
        if (j >= p.size()) return {};
        i = j + 1;
      } else if (c == '*' || c == '?') {
        drop_last_char();
        flush();
        ++i;
        while (i < p.size() && (p[i] == '?' || p[i] == '+')) ++i;  // lazy / possessive markers
      } else if (c == '+') {
        flush();  // the character is required, what follows may repeat it
        ++i;
        while (i < p.size() && (p[i] == '?' || p[i] == '+')) ++i;
      } else {
        run += c;
        ++i;
      }
    }
    flush();
    return best.size() >= 2 ? best : std::string();
  }

  std::string pattern_;
  std::string required_;  // a literal every match contains (REGEXP_CONTAINS's prefilter)
  bool is_literal_ = false;
  std::unique_ptr<RE2> re_;
  std::string error_;
};

inline std::string_view view_of(const re2::StringPiece& p) { return {p.data(), p.size()}; }

// ZetaSQL's ExtractAllIterator: successive matches from a start offset; an empty match moves on
// one character; after a match that reaches the end there is no further (empty) match.
class MatchIterator {
 public:
  // An empty input must still have a non-null data pointer, or a match would look like no match.
  MatchIterator(const RE2& re, std::string_view input, bool utf8)
      : re_(re), input_(input.data() ? input : std::string_view("", 0)), utf8_(utf8) {}
  /// The next match (or its capturing group); false when there is none. `found` is false when
  /// the group did not take part in the match.
  bool next(std::string_view& out, bool& found) {
    if (done_) return false;
    re2::StringPiece groups[2];
    re2::StringPiece text(input_.data(), input_.size());
    // Only ask RE2 for the group when there is one: the bounds of a whole match come from its
    // DFAs, a submatch needs a slower engine.
    const int nsub = re_.NumberOfCapturingGroups() == 0 ? 1 : 2;
    if (!re_.Match(text, pos_, input_.size(), RE2::UNANCHORED, groups, nsub)) return false;
    pos_ = static_cast<size_t>(groups[0].data() + groups[0].size() - input_.data());
    const re2::StringPiece& g = re_.NumberOfCapturingGroups() == 0 ? groups[0] : groups[1];
    found = g.data() != nullptr;
    out = found ? view_of(g) : std::string_view();
    if (found) group_end_ = static_cast<size_t>(g.data() + g.size() - input_.data());
    if (groups[0].empty() && pos_ < input_.size()) pos_ = utf8_ ? utf8_forward(input_, pos_, 1) : pos_ + 1;
    if (pos_ >= input_.size()) done_ = true;
    return true;
  }
  /// Where the next search starts (past the last match; one character further after an empty one).
  size_t position() const noexcept { return pos_; }
  /// The end of the last match's capturing group.
  size_t group_end() const noexcept { return group_end_; }

 private:
  const RE2& re_;
  std::string_view input_;
  bool utf8_;
  size_t pos_ = 0;
  size_t group_end_ = 0;
  bool done_ = false;
};

enum class RegexpKind { Contains, Extract, ExtractAll, Replace, Instr };

// Byte offset where a search from 1-based `position` starts, or npos when there is no such
// position (ZetaSQL: past the byte length, except position 1 of an empty value when allowed).
inline size_t regexp_start(std::string_view s, int64_t position, bool utf8, bool empty_ok) {
  if (position > static_cast<int64_t>(s.size()) && !(empty_ok && s.empty() && position == 1))
    return std::string_view::npos;
  if (!utf8) return static_cast<size_t>(position - 1);
  int64_t moved = 0;
  size_t at = utf8_forward(s, 0, position - 1, &moved);
  return moved < position - 1 ? std::string_view::npos : at;
}

class RegexpFunctionImpl final : public ScalarFunction {
 public:
  RegexpFunctionImpl(RegexpKind kind, std::vector<LogicalType> args, LogicalType ret, bool bytes)
      : ScalarFunction("", std::move(args), std::move(ret)), kind_(kind), bytes_(bytes) {}

  std::shared_ptr<const void> prepare(std::span<const Value* const> constants) const override {
    if (constants.size() >= 2 && constants[1] && !constants[1]->is_null())
      return std::make_shared<CompiledRegexp>(constants[1]->as_string(), bytes_, kind_ == RegexpKind::Contains);
    return nullptr;
  }

  void execute(std::span<const ColumnView> args, size_t n, Column& out, const FunctionContext& ctx) const override {
    const auto* prepared = static_cast<const CompiledRegexp*>(ctx.prepared);
    if (kind_ == RegexpKind::Contains && prepared && prepared->ok() && args[0].all_valid() && !args[0].constant)
      return contains_fast(args[0], n, out, *prepared);
    if (kind_ == RegexpKind::Contains || kind_ == RegexpKind::Instr) out.resize(n);
    std::unique_ptr<CompiledRegexp> cached;
    std::string buffer, error;
    bool nulls = false;
    for (const auto& a : args) nulls |= !a.all_valid();
    for (size_t i = 0; i < n; ++i) {
      bool null = false;
      if (nulls)
        for (const auto& a : args) null |= a.is_null(i);
      if (null) {
        out_null(out, i);
        continue;
      }
      const CompiledRegexp* re = prepared;
      if (!re) {
        std::string_view pat = args[1].column->string_at(args[1].row(i));
        if (!cached || pat != cached->pattern())
          cached = std::make_unique<CompiledRegexp>(pat, bytes_, kind_ == RegexpKind::Contains);
        re = cached.get();
      }
      error.clear();
      if (!re->ok()) error = re->error();
      else if (row(args, i, *re, out, buffer, error)) continue;
      if (!ctx.safe) throw_execution_error(error);
      out_null(out, i);
    }
  }

 private:
  void out_null(Column& out, size_t i) const {
    if (kind_ == RegexpKind::Contains || kind_ == RegexpKind::Instr) out.set_null(i);
    else out.append_null();
  }

  // REGEXP_CONTAINS over a column without NULLs: the string bytes are read in place.
  static void contains_fast(const ColumnView& a, size_t n, Column& out, const CompiledRegexp& re) {
    out.resize(n);
    uint8_t* o = out.data<uint8_t>();
    const Column& c = *a.column;
    const int64_t* off = c.offsets();
    const char* bytes = c.byte_data();
    if (!a.sel) {
      for (size_t i = 0; i < n; ++i)
        o[i] = re.contains(std::string_view(bytes + off[i], static_cast<size_t>(off[i + 1] - off[i])));
    } else {
      for (size_t i = 0; i < n; ++i) {
        uint32_t r = a.sel[i];
        o[i] = re.contains(std::string_view(bytes + off[r], static_cast<size_t>(off[r + 1] - off[r])));
      }
    }
  }

  static int64_t int_arg(std::span<const ColumnView> args, size_t k, size_t i, int64_t fallback) {
    return k < args.size() ? args[k].column->data<int64_t>()[args[k].row(i)] : fallback;
  }

  // One row; false with `error` set when the row raises an error.
  bool row(std::span<const ColumnView> args, size_t i, const CompiledRegexp& re, Column& out, std::string& buffer,
           std::string& error) const {
    std::string_view s = args[0].column->string_at(args[0].row(i));
    const bool utf8 = !bytes_;
    switch (kind_) {
      case RegexpKind::Contains: out.data<uint8_t>()[i] = re.contains(s); return true;
      case RegexpKind::Extract: {
        int64_t position = int_arg(args, 2, i, 1), occurrence = int_arg(args, 3, i, 1);
        if (!valid_position(position, occurrence, error)) return false;
        if (!check_groups(re, error)) return false;
        size_t start = regexp_start(s, position, utf8, true);
        if (start == std::string_view::npos) {
          out.append_null();
          return true;
        }
        MatchIterator it(re.re(), s.substr(start), utf8);
        std::string_view m;
        bool found = false, any = true;
        for (int64_t k = 0; k < occurrence && (any = it.next(m, found)); ++k) {
        }
        if (!any || !found) out.append_null();
        else out.append_string(m);
        return true;
      }
      case RegexpKind::ExtractAll: {
        if (!check_groups(re, error)) return false;
        MatchIterator it(re.re(), s, utf8);
        std::string_view m;
        bool found = false;
        Column& child = out.child();
        while (it.next(m, found)) child.append_string(m);
        out.close_array_row();
        return true;
      }
      case RegexpKind::Replace: {
        std::string_view rewrite = args[2].column->string_at(args[2].row(i));
        if (!replace(re.re(), s, rewrite, utf8, buffer, error)) return false;
        out.append_string(buffer);
        return true;
      }
      case RegexpKind::Instr: {
        int64_t position = int_arg(args, 2, i, 1), occurrence = int_arg(args, 3, i, 1);
        int64_t which = int_arg(args, 4, i, 0);
        if (!valid_position(position, occurrence, error)) return false;
        if (which != 0 && which != 1) {
          error = "occurrence_position in REGEXP_INSTR must be 0 or 1, got " + std::to_string(which);
          return false;
        }
        if (!check_groups(re, error)) return false;
        int64_t& o = out.data<int64_t>()[i];
        o = 0;
        size_t start = regexp_start(s, position, utf8, false);
        if (start == std::string_view::npos || re.pattern().empty()) return true;
        std::string_view rest = s.substr(start), m;
        MatchIterator it(re.re(), rest, utf8);
        bool found = false;
        for (int64_t k = 0; k < occurrence; ++k)
          if (!it.next(m, found)) return true;
        if (!found) return true;
        // ZetaSQL counts from where the search stopped (one past an empty match) minus the length.
        size_t at = re.re().NumberOfCapturingGroups() == 0 ? it.position() : it.group_end();
        if (which == 0) at -= m.size();
        o = (utf8 ? utf8_length(rest.substr(0, at)) : static_cast<int64_t>(at)) + position;
        return true;
      }
    }
    return true;
  }

  static bool valid_position(int64_t position, int64_t occurrence, std::string& error) {
    if (position < 1) error = "position must be positive, got " + std::to_string(position);
    else if (occurrence < 1) error = "occurrence must be positive, got " + std::to_string(occurrence);
    return error.empty();
  }
  static bool check_groups(const CompiledRegexp& re, std::string& error) {
    if (re.re().NumberOfCapturingGroups() <= 1) return true;
    error = "regular expressions passed into extraction functions must not have more than 1 capturing group: '" +
            re.pattern() + "'";
    return false;
  }

  // ZetaSQL's RegExp::Replace: like RE2::GlobalReplace, but an empty match right after a
  // non-empty one is skipped and empty matches step over whole UTF-8 characters.
  static bool replace(const RE2& re, std::string_view s, std::string_view rewrite, bool utf8, std::string& out,
                      std::string& error) {
    std::string why;
    if (!re.CheckRewriteString(re2::StringPiece(rewrite.data(), rewrite.size()), &why)) {
      error = "invalid REGEXP_REPLACE pattern: " + why;
      return false;
    }
    re2::StringPiece match[10];
    // Submatches only as far as the rewrite refers to them (\0 alone needs just the match).
    int highest = 0;
    for (size_t k = 0; k + 1 < rewrite.size(); ++k)
      if (rewrite[k] == '\\') {
        char d = rewrite[++k];
        if (d >= '0' && d <= '9') highest = std::max(highest, d - '0');
      }
    const int groups = 1 + highest;
    out.clear();
    if (!s.data()) s = std::string_view("", 0);
    re2::StringPiece text(s.data(), s.size());
    ptrdiff_t last = -1;
    size_t p = 0;
    while (p <= s.size()) {
      if (!re.Match(text, p, s.size(), RE2::UNANCHORED, match, groups)) {
        out.append(s.data() + p, s.size() - p);
        break;
      }
      size_t begin = static_cast<size_t>(match[0].data() - s.data());
      out.append(s.data() + p, begin - p);
      p = begin;
      if (!match[0].empty()) {
        rewrite_into(rewrite, match, out);
        p = begin + match[0].size();
      } else {
        if (static_cast<ptrdiff_t>(begin) != last) rewrite_into(rewrite, match, out);
        if (p >= s.size()) break;
        size_t len = utf8 ? utf8_forward(s, p, 1) - p : 1;
        out.append(s.data() + p, len);
        p += len;
      }
      last = static_cast<ptrdiff_t>(begin + match[0].size());
      if (out.size() > (size_t{1} << 20)) {
        error = "REGEXP_REPLACE: exceeded maximum output length";
        return false;
      }
    }
    return true;
  }
  static void rewrite_into(std::string_view rewrite, const re2::StringPiece* groups, std::string& out) {
    for (size_t k = 0; k < rewrite.size(); ++k) {
      char c = rewrite[k];
      if (c != '\\' || k + 1 >= rewrite.size()) {
        out += c;
        continue;
      }
      char d = rewrite[++k];
      if (d >= '0' && d <= '9') out.append(groups[d - '0'].data(), groups[d - '0'].size());
      else out += d;  // "\\\\": CheckRewriteString allows nothing else
    }
  }

  RegexpKind kind_;
  bool bytes_;
};

inline std::shared_ptr<ScalarFunction> regexp_overload(RegexpKind kind, bool bytes, size_t ints, LogicalType ret) {
  LogicalType t = bytes ? LogicalType::bytes() : LogicalType::string();
  std::vector<LogicalType> args{t, t};
  if (kind == RegexpKind::Replace) args.push_back(t);
  for (size_t k = 0; k < ints; ++k) args.push_back(LogicalType::int64());
  return std::make_shared<RegexpFunctionImpl>(kind, std::move(args), std::move(ret), bytes);
}

}  // namespace visiondb::fn::detail

namespace visiondb::fn {

VISIONDB_INLINE FunctionSet RegexpContainsFunction::overloads() {
  using detail::RegexpKind;
  return {detail::regexp_overload(RegexpKind::Contains, false, 0, LogicalType::boolean()),
          detail::regexp_overload(RegexpKind::Contains, true, 0, LogicalType::boolean())};
}
VISIONDB_INLINE FunctionSet RegexpExtractFunction::overloads() {
  using detail::RegexpKind;
  FunctionSet out;
  for (bool bytes : {false, true})
    for (size_t ints = 0; ints <= 2; ++ints)
      out.push_back(detail::regexp_overload(RegexpKind::Extract, bytes, ints, bytes ? LogicalType::bytes() : LogicalType::string()));
  return out;
}
VISIONDB_INLINE FunctionSet RegexpSubstrFunction::overloads() { return RegexpExtractFunction::overloads(); }
VISIONDB_INLINE FunctionSet RegexpExtractAllFunction::overloads() {
  using detail::RegexpKind;
  return {detail::regexp_overload(RegexpKind::ExtractAll, false, 0, LogicalType::array(LogicalType::string())),
          detail::regexp_overload(RegexpKind::ExtractAll, true, 0, LogicalType::array(LogicalType::bytes()))};
}
VISIONDB_INLINE FunctionSet RegexpReplaceFunction::overloads() {
  using detail::RegexpKind;
  return {detail::regexp_overload(RegexpKind::Replace, false, 0, LogicalType::string()),
          detail::regexp_overload(RegexpKind::Replace, true, 0, LogicalType::bytes())};
}
VISIONDB_INLINE FunctionSet RegexpInstrFunction::overloads() {
  using detail::RegexpKind;
  FunctionSet out;
  for (bool bytes : {false, true})
    for (size_t ints = 0; ints <= 3; ++ints)
      out.push_back(detail::regexp_overload(RegexpKind::Instr, bytes, ints, LogicalType::int64()));
  return out;
}

VISIONDB_INLINE std::string regexp_required_literal(std::string_view pattern) {
  return detail::CompiledRegexp::required_literal(pattern);
}

}  // namespace visiondb::fn
