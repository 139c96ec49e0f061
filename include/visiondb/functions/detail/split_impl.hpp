// Out-of-line parts of scalar/split.hpp.
#pragma once

#include <cstring>

#include "visiondb/config.hpp"
#include "visiondb/functions/detail/utf8.hpp"
#include "visiondb/functions/scalar/split.hpp"

namespace visiondb::fn::detail {

// Appends the pieces of s to `child` (a STRING or BYTES column).
inline void split_into(std::string_view s, std::string_view delim, bool utf8, Column& child) {
  if (delim.empty()) {
    if (s.empty()) return child.append_string({});
    size_t at = 0;
    while (at < s.size()) {
      size_t next = utf8 ? utf8_forward(s, at, 1) : at + 1;
      child.append_string(s.substr(at, next - at));
      at = next;
    }
    return;
  }
  if (s.empty()) return child.append_string({});  // (and never hand memchr a null pointer)
  const char* p = s.data();
  const char* end = p + s.size();
  if (delim.size() == 1) {
    const char d = delim[0];
    for (;;) {
      const char* hit = static_cast<const char*>(std::memchr(p, d, static_cast<size_t>(end - p)));
      if (!hit) break;
      child.append_string(std::string_view(p, static_cast<size_t>(hit - p)));
      p = hit + 1;
    }
  } else {
    for (;;) {
      const char* hit = static_cast<const char*>(memmem(p, static_cast<size_t>(end - p), delim.data(), delim.size()));
      if (!hit) break;
      child.append_string(std::string_view(p, static_cast<size_t>(hit - p)));
      p = hit + delim.size();
    }
  }
  child.append_string(std::string_view(p, static_cast<size_t>(end - p)));
}

class SplitFunctionImpl final : public ScalarFunction {
 public:
  SplitFunctionImpl(LogicalType t, bool with_delimiter)
      : ScalarFunction("", with_delimiter ? std::vector<LogicalType>{t, t} : std::vector<LogicalType>{t},
                       LogicalType::array(t)),
        utf8_(t.id() == TypeId::String) {}

  void execute(std::span<const ColumnView> args, size_t n, Column& out, const FunctionContext& ctx) const override {
    const ColumnView& v = args[0];
    const bool has_delim = args.size() > 1;
    out.reserve(n);
    Column& child = out.child();
    child.reserve(n * 4);
    child.reserve_bytes(v.column->byte_size());
    const bool nulls = !v.all_valid() || (has_delim && !args[1].all_valid());
    for (size_t i = 0; i < n; ++i) {
      if (nulls && (v.is_null(i) || (has_delim && args[1].is_null(i)))) {
        out.append_null();
        continue;
      }
      std::string_view delim = has_delim ? args[1].column->string_at(args[1].row(i)) : std::string_view(",");
      if (utf8_ && has_delim && !delim.empty() && !utf8_valid(delim)) {
        if (!ctx.safe) throw_execution_error("delimiter in SPLIT function is not a valid UTF-8 string");
        out.append_null();
        continue;
      }
      split_into(v.column->string_at(v.row(i)), delim, utf8_, child);
      out.close_array_row();
    }
  }

 private:
  bool utf8_;
};

}  // namespace visiondb::fn::detail

namespace visiondb::fn {
VISIONDB_INLINE FunctionSet SplitFunction::overloads() {
  return {std::make_shared<detail::SplitFunctionImpl>(LogicalType::string(), false),
          std::make_shared<detail::SplitFunctionImpl>(LogicalType::string(), true),
          std::make_shared<detail::SplitFunctionImpl>(LogicalType::bytes(), false),
          std::make_shared<detail::SplitFunctionImpl>(LogicalType::bytes(), true)};
}
}  // namespace visiondb::fn
