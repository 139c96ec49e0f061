// Out-of-line parts of scalar/regexp.hpp (the only place that includes RE2).
#pragma once

#include <cctype>
#include <cstring>
#include <memory>
#include <string>

#include <re2/re2.h>

#include "visiondb/config.hpp"
#include "visiondb/functions/scalar/regexp.hpp"

namespace visiondb::fn::detail {

/// A compiled pattern, or the literal it reduces to.
class CompiledRegexp {
 public:
  CompiledRegexp(std::string_view pattern, bool bytes) {
    bool meta = false;
    for (char c : pattern)
      if (std::strchr("\\^$.|?*+()[]{}", c)) meta = true;
    if (!meta) {
      literal_ = std::string(pattern);
      is_literal_ = true;
      return;
    }
    required_ = required_literal(pattern);
    RE2::Options opts;
    opts.set_log_errors(false);
    if (bytes) opts.set_encoding(RE2::Options::EncodingLatin1);
    re_ = std::make_unique<RE2>(re2::StringPiece(pattern.data(), pattern.size()), opts);
    if (!re_->ok())
      throw SqlError(ErrorKind::Execution,
                     "cannot parse regular expression '" + std::string(pattern) + "': " + re_->error());
  }
  bool contains(std::string_view s) const {
    if (is_literal_)
      return literal_.empty() || memmem(s.data(), s.size(), literal_.data(), literal_.size()) != nullptr;
    // A string without the literal every match contains cannot match: skip RE2 for it.
    if (!required_.empty() && !memmem(s.data(), s.size(), required_.data(), required_.size())) return false;
    return RE2::PartialMatch(re2::StringPiece(s.data(), s.size()), *re_);
  }

  /// The longest run of literal characters that every match must contain, or "" when unsure.
  /// Conservative: patterns with groups or alternation give "".
  static std::string required_literal(std::string_view p) {
    if (p.find_first_of("(|") != std::string_view::npos) return {};
    std::string best, run;
    auto close = [&](bool keep_last) {
      if (!keep_last && !run.empty()) run.pop_back();
      if (run.size() > best.size()) best = run;
      run.clear();
    };
    for (size_t i = 0; i < p.size(); ++i) {
      char c = p[i];
      char next = i + 1 < p.size() ? p[i + 1] : '\0';
      bool quantified = next == '?' || next == '*' || next == '{';
      if (c == '\\') {
        if (i + 1 >= p.size()) return {};
        char e = p[++i];
        // \d \w \s \b ... are one-character classes or anchors; other letter escapes
        // (\p{..}, \x.., \Q..\E) take more text: give up rather than misread them.
        if (std::isalnum(static_cast<unsigned char>(e)) && !std::strchr("dDwWsSbBAz", e)) return {};
        char after = i + 1 < p.size() ? p[i + 1] : '\0';
        bool q = after == '?' || after == '*' || after == '{';
        if (std::strchr(".\\/^$|?*+()[]{}-", e) && !q) {
          run += e;
          if (after == '+') close(true);
        } else {
          close(true);
        }
        continue;
      }
      if (c == '[') {
        close(true);
        while (i < p.size() && p[i] != ']') ++i;
        continue;
      }
      if (std::strchr(".^$?*+{}]", c) || quantified) {
        close(true);
        if (c == '{')
          while (i < p.size() && p[i] != '}') ++i;
        continue;
      }
      run += c;
      if (next == '+') close(true);
    }
    close(true);
    return best.size() >= 2 ? best : std::string();
  }

 private:
  bool is_literal_ = false;
  std::string literal_;
  std::string required_;
  std::unique_ptr<RE2> re_;
};

class RegexpContainsImpl final : public ScalarFunction {
 public:
  explicit RegexpContainsImpl(LogicalType t)
      : ScalarFunction("", {t, t}, LogicalType::boolean()), bytes_(t.id() == TypeId::Bytes) {}
  std::shared_ptr<const void> prepare(std::span<const Value* const> constants) const override {
    if (constants.size() == 2 && constants[1] && !constants[1]->is_null())
      return std::make_shared<CompiledRegexp>(constants[1]->as_string(), bytes_);
    return nullptr;
  }
  void execute(std::span<const ColumnView> args, size_t n, Column& out, const FunctionContext& ctx) const override {
    const auto* compiled = static_cast<const CompiledRegexp*>(ctx.prepared);
    const ColumnView& s = args[0];
    const ColumnView& p = args[1];
    out.resize(n);
    uint8_t* o = out.data<uint8_t>();
    std::unique_ptr<CompiledRegexp> cached;
    std::string cached_pattern;
    for (size_t i = 0; i < n; ++i) {
      uint32_t r = s.row(i), rp = p.row(i);
      if (!s.column->is_valid(r) || !p.column->is_valid(rp)) {
        out.set_null(i);
        continue;
      }
      const CompiledRegexp* re = compiled;
      if (!re) {
        std::string_view pat = p.column->string_at(rp);
        if (!cached || pat != cached_pattern) {
          cached = std::make_unique<CompiledRegexp>(pat, bytes_);
          cached_pattern = std::string(pat);
        }
        re = cached.get();
      }
      o[i] = re->contains(s.column->string_at(r));
    }
  }

 private:
  bool bytes_;
};

}  // namespace visiondb::fn::detail

namespace visiondb::fn {
VISIONDB_INLINE std::string regexp_required_literal(std::string_view pattern) {
  return detail::CompiledRegexp::required_literal(pattern);
}

VISIONDB_INLINE FunctionSet regexp_contains_overloads() {
  return {std::make_shared<detail::RegexpContainsImpl>(LogicalType::string()),
          std::make_shared<detail::RegexpContainsImpl>(LogicalType::bytes())};
}
}  // namespace visiondb::fn
