// Out-of-line parts of scalar/format.hpp.
#pragma once

#include <cmath>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "visiondb/config.hpp"
#include "visiondb/functions/detail/utf8.hpp"
#include "visiondb/functions/scalar/format.hpp"
#include "visiondb/storage/detail/civil_time.hpp"
#include "visiondb/storage/detail/format.hpp"

namespace visiondb::fn::detail {

/// One %-directive of a format string.
struct FormatSpec {
  std::string literal;       ///< text before it
  char conversion = 0;       ///< 0: none (trailing text only), '%' for "%%"
  std::string flags;         ///< without the grouping flag
  bool grouping = false;     ///< the ' flag
  int width = -1;            ///< -1: none
  int precision = -1;        ///< -1: none
  int width_arg = -1;        ///< argument index of a * width (0-based among the values)
  int precision_arg = -1;    ///< ... of a .* precision
  int value_arg = -1;        ///< the formatted value
};

/// A parsed, type-checked format string (or the error it raises).
struct FormatProgram {
  std::vector<FormatSpec> specs;
  std::string error;
};

inline std::string format_type_name(const LogicalType& t) { return t.to_string(); }

// Parses "%[flags][width][.precision]specifier" directives and checks them against the value types.
inline std::shared_ptr<FormatProgram> parse_format(std::string_view pattern, const std::vector<LogicalType>& types) {
  auto prog = std::make_shared<FormatProgram>();
  auto fail = [&](std::string msg) {
    prog->error = std::move(msg);
    return prog;
  };
  const std::string quoted = "\"" + std::string(pattern) + "\"";
  if (!utf8_valid(pattern)) return fail("format string contains invalid UTF-8 while evaluating FORMAT");
  int next = 0;
  const int provided = static_cast<int>(types.size());
  size_t i = 0;
  auto type_error = [&](int arg, const char* expected) {
    return fail("invalid type for argument " + std::to_string(arg + 2) + " to FORMAT; expected " + expected + "; got " +
                format_type_name(types[static_cast<size_t>(arg)]));
  };
  auto is_null_type = [&](int arg) { return types[static_cast<size_t>(arg)].id() == TypeId::Null; };
  while (i < pattern.size()) {
    FormatSpec spec;
    size_t pct = pattern.find('%', i);
    spec.literal = std::string(pattern.substr(i, pct == std::string_view::npos ? std::string_view::npos : pct - i));
    if (pct == std::string_view::npos) {
      prog->specs.push_back(std::move(spec));
      break;
    }
    i = pct + 1;
    while (i < pattern.size() && std::string_view("-+ #'0").find(pattern[i]) != std::string_view::npos) {
      if (pattern[i] == '\'') spec.grouping = true;
      else spec.flags += pattern[i];
      ++i;
    }
    bool width_star = false, precision_star = false, has_precision = false;
    std::string width_digits, precision_digits;
    if (i < pattern.size() && pattern[i] == '*') {
      width_star = true;
      ++i;
    } else {
      while (i < pattern.size() && pattern[i] >= '0' && pattern[i] <= '9') width_digits += pattern[i++];
    }
    if (i < pattern.size() && pattern[i] == '.') {
      has_precision = true;
      ++i;
      if (i < pattern.size() && pattern[i] == '*') {
        precision_star = true;
        ++i;
      } else {
        while (i < pattern.size() && pattern[i] >= '0' && pattern[i] <= '9') precision_digits += pattern[i++];
      }
    }
    if (i >= pattern.size()) return fail("invalid FORMAT string: " + quoted);
    size_t spec_start = i;
    i = utf8_forward(pattern, i, 1);
    std::string_view conv = pattern.substr(spec_start, i - spec_start);
    if (conv == "%") {
      if (!spec.flags.empty() || spec.grouping || width_star || !width_digits.empty() || has_precision)
        return fail("invalid FORMAT string: " + quoted);
      spec.conversion = '%';
      prog->specs.push_back(std::move(spec));
      continue;
    }
    constexpr int kMaxWidth = 1 << 20;
    if (!width_digits.empty()) {
      if (width_digits.size() > 9 || std::stoi(width_digits) > kMaxWidth)
        return fail("width " + width_digits + " exceeds the maximum supported output width of FORMAT. Limit: " +
                    std::to_string(kMaxWidth));
      spec.width = std::stoi(width_digits);
    }
    if (has_precision && !precision_star)
      spec.precision = precision_digits.empty() ? 0 : (precision_digits.size() > 9 ? kMaxWidth : std::stoi(precision_digits));
    if (width_star) {
      if (next < provided && !is_null_type(next) && types[static_cast<size_t>(next)].id() != TypeId::Int64)
        return type_error(next, "integer");
      spec.width_arg = next++;
    }
    if (precision_star) {
      if (next < provided && !is_null_type(next) && types[static_cast<size_t>(next)].id() != TypeId::Int64)
        return type_error(next, "integer");
      spec.precision_arg = next++;
    }
    char c = conv.size() == 1 ? conv[0] : '?';
    if (std::string_view("diuoxXfFeEgGstT").find(c) == std::string_view::npos || conv.size() != 1)
      return fail("invalid format specifier character \"" + std::string(conv) + "\" in FORMAT string: " + quoted);
    if (next < provided && !is_null_type(next)) {
      TypeId t = types[static_cast<size_t>(next)].id();
      if ((c == 'd' || c == 'i' || c == 'o' || c == 'x' || c == 'X') && t != TypeId::Int64) return type_error(next, "integer");
      if (c == 'u') return type_error(next, "UINT");
      if (std::string_view("fFeEgG").find(c) != std::string_view::npos && t != TypeId::Float64)
        return type_error(next, "FLOAT64");
      if (c == 's' && t != TypeId::String) return type_error(next, "STRING");
    }
    if (c == 'u' && next < provided) return type_error(next, "UINT");
    spec.conversion = c;
    spec.value_arg = next++;
    if (spec.precision > kMaxWidth && std::string_view("gG").find(c) == std::string_view::npos)
      return fail("precision value is too big");
    prog->specs.push_back(std::move(spec));
  }
  if (next != provided)
    return fail(std::string(next > provided ? "too few" : "too many") + " arguments to FORMAT for pattern " + quoted +
                "; expected " + std::to_string(next + 1) + "; got " + std::to_string(provided + 1));
  return prog;
}

inline bool has_flag(const FormatSpec& s, char f) { return s.flags.find(f) != std::string::npos; }

// Pads text to `width` code points with spaces (left-justified with '-').
inline void pad_text(std::string& out, std::string_view text, int width, int precision, bool left) {
  size_t end = precision >= 0 ? utf8_forward(text, 0, precision) : text.size();
  text = text.substr(0, end);
  int64_t points = utf8_length(text);
  int64_t pad = width > points ? width - points : 0;
  if (!left) out.append(static_cast<size_t>(pad), ' ');
  out.append(text);
  if (left) out.append(static_cast<size_t>(pad), ' ');
}

// Integers as ZetaSQL's ConvertInt: sign, # prefix, zero padding, precision digits, grouping.
inline void format_int(std::string& out, const FormatSpec& s, int64_t v, int width, int precision) {
  const char c = s.conversion;
  bool negative = v < 0;
  uint64_t mag = negative ? uint64_t{0} - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
  char buf[32];
  const char* fmt = c == 'o' ? "%llo" : c == 'x' ? "%llx" : c == 'X' ? "%llX" : "%llu";
  int sig = std::snprintf(buf, sizeof buf, fmt, static_cast<unsigned long long>(mag));
  if (precision == 0 && mag == 0) sig = 0;  // printf: precision 0 prints nothing for 0
  char sep = c == 'x' || c == 'X' ? ':' : ',';
  int group = c == 'd' || c == 'i' ? 3 : 4;
  std::string prefix;
  if (has_flag(s, '#') && mag != 0) prefix = c == 'o' ? "0" : c == 'x' ? "0x" : c == 'X' ? "0X" : "";
  int total = sig;
  if (precision > sig) {
    if (c == 'o') prefix.clear();
    total = precision;
  }
  std::string digits(static_cast<size_t>(total - sig), '0');
  digits.append(buf, static_cast<size_t>(sig));
  if (s.grouping && !digits.empty()) {
    std::string g;
    int lead = static_cast<int>((digits.size() - 1) % group) + 1;
    g.append(digits, 0, static_cast<size_t>(lead));
    for (size_t k = static_cast<size_t>(lead); k < digits.size(); k += static_cast<size_t>(group)) {
      g += sep;
      g.append(digits, k, static_cast<size_t>(group));
    }
    digits = std::move(g);
  }
  std::string sign = negative ? "-" : has_flag(s, '+') ? "+" : has_flag(s, ' ') ? " " : "";
  int len = static_cast<int>(sign.size() + prefix.size() + digits.size());
  int pad = width > len ? width - len : 0;
  bool left = has_flag(s, '-'), zero = has_flag(s, '0') && precision < 0;
  if (!left && !zero) out.append(static_cast<size_t>(pad), ' ');
  out += sign;
  out += prefix;
  if (!left && zero) out.append(static_cast<size_t>(pad), '0');
  out += digits;
  if (left) out.append(static_cast<size_t>(pad), ' ');
}

inline void format_double(std::string& out, const FormatSpec& s, double v, int width, int precision) {
  const char c = s.conversion;
  if (std::isnan(v)) v = std::fabs(v);  // never "-nan"
  std::string f = "%" + s.flags;
  if (width >= 0) f += std::to_string(width);
  if (precision >= 0) f += "." + std::to_string(std::min(precision, 1074));
  f += c;
  int n = std::snprintf(nullptr, 0, f.c_str(), v);
  std::string text(static_cast<size_t>(n), '\0');
  std::snprintf(text.data(), text.size() + 1, f.c_str(), v);
  if (s.grouping && std::isfinite(v) && (c == 'f' || c == 'F')) {
    // Commas into the integer digits (a rare flag for floats; widths are re-applied after).
    size_t b = text.find_first_of("0123456789");
    size_t e = b;
    while (e < text.size() && text[e] >= '0' && text[e] <= '9') ++e;
    std::string ints = text.substr(b, e - b), g;
    int lead = static_cast<int>((ints.size() - 1) % 3) + 1;
    g = ints.substr(0, static_cast<size_t>(lead));
    for (size_t k = static_cast<size_t>(lead); k < ints.size(); k += 3) g += "," + ints.substr(k, 3);
    text = text.substr(0, b) + g + text.substr(e);
  }
  out += text;
}

// %t: the value as text (CAST to STRING, with ".0" on integral FLOAT64 and escaped BYTES).
inline void text_of(const Value& v, bool literal, std::string& out);

inline void escape_bytes(std::string_view s, std::string& out, char quote) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (unsigned char c : s) {
    switch (c) {
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\\': out += "\\\\"; break;
      default:
        if (c == static_cast<unsigned char>(quote) && quote) {
          out += '\\';
          out += static_cast<char>(c);
        } else if (c >= 0x20 && c < 0x7F) {
          out += static_cast<char>(c);
        } else {
          out += "\\x";
          out += kHex[c >> 4];
          out += kHex[c & 15];
        }
    }
  }
}

inline void quote_string(std::string_view s, std::string& out) {
  char q = s.find('"') != std::string_view::npos && s.find('\'') == std::string_view::npos ? '\'' : '"';
  out += q;
  for (char c : s) {
    if (c == q || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  out += q;
}

inline std::string double_text(double d) {
  std::string s = visiondb::detail::format_double(d);
  if (std::isfinite(d) && s.find_first_of(".e") == std::string::npos) s += ".0";
  return s;
}

inline void text_of(const Value& v, bool literal, std::string& out) {
  if (v.is_null()) {
    out += "NULL";
    return;
  }
  switch (v.type().id()) {
    case TypeId::Null: out += "NULL"; return;
    case TypeId::Bool: out += v.as_bool() ? "true" : "false"; return;
    case TypeId::Int64: out += std::to_string(v.as_int64()); return;
    case TypeId::Float64: {
      double d = v.as_float64();
      if (literal && !std::isfinite(d)) out += "CAST(\"" + visiondb::detail::format_double(d) + "\" AS FLOAT64)";
      else out += double_text(d);
      return;
    }
    case TypeId::String:
      if (literal) quote_string(v.as_string(), out);
      else out += v.as_string();
      return;
    case TypeId::Bytes:
      if (literal) {
        out += "b\"";
        escape_bytes(v.as_string(), out, '"');
        out += '"';
      } else {
        escape_bytes(v.as_string(), out, 0);
      }
      return;
    case TypeId::Date:
      if (literal) out += "DATE \"" + visiondb::detail::format_date(v.as_date()) + "\"";
      else out += visiondb::detail::format_date(v.as_date());
      return;
    case TypeId::Timestamp:
      if (literal) out += "TIMESTAMP \"" + visiondb::detail::format_timestamp(v.as_timestamp()) + "\"";
      else out += visiondb::detail::format_timestamp(v.as_timestamp());
      return;
    case TypeId::Array: {
      out += '[';
      const auto& xs = v.children();
      for (size_t k = 0; k < xs.size(); ++k) {
        if (k) out += ", ";
        text_of(xs[k], literal, out);
      }
      out += ']';
      return;
    }
    case TypeId::Struct: {
      const auto& xs = v.children();
      if (literal && xs.size() <= 1) out += "STRUCT";
      out += '(';
      for (size_t k = 0; k < xs.size(); ++k) {
        if (k) out += ", ";
        text_of(xs[k], literal, out);
      }
      out += ')';
      return;
    }
    case TypeId::Object: out += v.to_string(); return;
  }
}

class FormatFunctionImpl final : public ScalarFunction {
 public:
  explicit FormatFunctionImpl(std::vector<LogicalType> args)
      : ScalarFunction("format", std::move(args), LogicalType::string()),
        value_types_(arg_types().begin() + 1, arg_types().end()) {}
  bool propagates_nulls() const override { return false; }

  std::shared_ptr<const void> prepare(std::span<const Value* const> constants) const override {
    if (!constants.empty() && constants[0] && !constants[0]->is_null())
      return parse_format(constants[0]->as_string(), value_types_);
    return nullptr;
  }

  void execute(std::span<const ColumnView> args, size_t n, Column& out, const FunctionContext& ctx) const override {
    std::shared_ptr<const FormatProgram> cached;
    std::string cached_pattern, text, error;
    out.reserve(n);
    for (size_t i = 0; i < n; ++i) {
      if (args[0].is_null(i)) {
        out.append_null();
        continue;
      }
      const FormatProgram* prog = static_cast<const FormatProgram*>(ctx.prepared);
      if (!prog) {
        std::string_view pattern = args[0].column->string_at(args[0].row(i));
        if (!cached || pattern != cached_pattern) {
          cached = parse_format(pattern, value_types_);
          cached_pattern = std::string(pattern);
        }
        prog = cached.get();
      }
      bool null = false;
      error = prog->error;
      if (error.empty()) null = !render(*prog, args, i, text, error);
      if (!error.empty()) {
        if (!ctx.safe) throw_execution_error(error);
        null = true;
      }
      if (null) out.append_null();
      else out.append_string(text);
    }
  }

 private:
  // Renders one row; false for a NULL result (or an error, then `error` is set).
  static bool render(const FormatProgram& prog, std::span<const ColumnView> args, size_t i, std::string& out,
                     std::string& error) {
    out.clear();
    auto arg = [&](int k) -> const ColumnView& { return args[static_cast<size_t>(k) + 1]; };
    std::string scratch;
    for (const FormatSpec& s : prog.specs) {
      out += s.literal;
      if (s.conversion == 0) continue;
      if (s.conversion == '%') {
        out += '%';
        continue;
      }
      int width = s.width, precision = s.precision;
      if (s.width_arg >= 0) {
        const ColumnView& w = arg(s.width_arg);
        if (w.type().id() == TypeId::Null || w.is_null(i)) return false;
        int64_t x = w.column->data<int64_t>()[w.row(i)];
        if (x > (1 << 20)) {
          error = "output string too long while evaluating FORMAT; limit 1048576";
          return false;
        }
        width = static_cast<int>(std::max<int64_t>(x, -(1 << 20)));
      }
      if (s.precision_arg >= 0) {
        const ColumnView& p = arg(s.precision_arg);
        if (p.type().id() == TypeId::Null || p.is_null(i)) return false;
        int64_t x = p.column->data<int64_t>()[p.row(i)];
        precision = static_cast<int>(std::clamp<int64_t>(x, -1, 1 << 20));
        if (precision < 0) precision = -1;
      }
      FormatSpec eff = s;
      if (width < -1) {  // a negative * width means left-justified, as in printf
        eff.flags += '-';
        width = -width;
      }
      const ColumnView& v = arg(s.value_arg);
      const bool v_null = v.type().id() == TypeId::Null || v.is_null(i);
      const char c = s.conversion;
      if (c == 't' || c == 'T') {
        scratch.clear();
        if (v_null) scratch = "NULL";
        else text_of(v.get(i), c == 'T', scratch);
        pad_text(out, scratch, width, precision, has_flag(eff, '-'));
        continue;
      }
      if (v_null) return false;
      const uint32_t r = v.row(i);
      switch (c) {
        case 's': pad_text(out, v.column->string_at(r), width, precision, has_flag(eff, '-')); break;
        case 'd':
        case 'i':
        case 'o':
        case 'x':
        case 'X': {
          int64_t x = v.column->data<int64_t>()[r];
          if (x < 0 && c != 'd' && c != 'i') {
            error = "invalid value for argument " + std::to_string(s.value_arg + 2) + " to FORMAT; %" + c +
                    " does not take negative values: " + std::to_string(x);
            return false;
          }
          format_int(out, eff, x, width, precision);
          break;
        }
        default: format_double(out, eff, v.column->data<double>()[r], width, precision); break;
      }
      if (out.size() > (size_t{1} << 20)) {
        error = "output string too long while evaluating FORMAT; limit 1048576";
        return false;
      }
    }
    return true;
  }

  std::vector<LogicalType> value_types_;
};

}  // namespace visiondb::fn::detail

namespace visiondb::fn {

VISIONDB_INLINE sql::ResolvedScalar FormatFunction::resolve(const std::vector<LogicalType>& args, SourceSpan span) {
  if (args.empty()) throw SqlError(ErrorKind::Type, "function FORMAT expects a format string and values", span);
  std::vector<LogicalType> types = args;
  if (types[0].id() == TypeId::Null) types[0] = LogicalType::string();
  if (types[0].id() != TypeId::String)
    throw SqlError(ErrorKind::Type,
                   "no matching signature for function FORMAT for argument types: " + args[0].to_string() +
                       ", ...; supported signature: FORMAT(STRING, ...)",
                   span);
  auto f = std::make_shared<detail::FormatFunctionImpl>(types);
  return {f, types};
}

}  // namespace visiondb::fn
