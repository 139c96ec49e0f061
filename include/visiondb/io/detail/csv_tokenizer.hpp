// The CSV grammar shared by the serial head reader and the parallel block parser: how rows and
// fields are split, how a field's text is unquoted, and what a malformed field is called.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace visiondb::io::detail {

/// One field in absolute file offsets [begin, end) ('\r' before a row's '\n' excluded), and
/// whether a quote byte occurs in it.
struct RawField {
  size_t begin;
  size_t end;
  bool has_quote;
};

/// Where the next row starts, and whether the file ended inside quotes.
struct RowSplit {
  size_t next;
  bool unterminated;
};

/// Splits the row starting at `pos` (< size). The grammar, which the parallel tokenizer follows
/// bit for bit: a quote byte toggles "inside quotes"; outside quotes the delimiter ends a field
/// and '\n' ends the row; a '\r' just before the row's end is not data.
inline RowSplit split_row(const char* d, size_t size, size_t pos, int quote, char delimiter,
                          std::vector<RawField>& fields) {
  fields.clear();
  bool in_quotes = false, has_quote = false;
  size_t begin = pos;
  for (size_t i = pos; i < size; ++i) {
    const int c = static_cast<unsigned char>(d[i]);
    if (c == quote) {
      in_quotes = !in_quotes;
      has_quote = true;
    } else if (!in_quotes) {
      if (c == static_cast<unsigned char>(delimiter)) {
        fields.push_back({begin, i, has_quote});
        begin = i + 1;
        has_quote = false;
      } else if (c == '\n') {
        size_t e = i;
        if (e > begin && d[e - 1] == '\r') --e;
        fields.push_back({begin, e, has_quote});
        return {i + 1, false};
      }
    }
  }
  size_t e = size;
  if (e > begin && d[e - 1] == '\r') --e;
  fields.push_back({begin, e, has_quote});
  return {size, in_quotes};
}

/// What is wrong with a field's quoting.
enum class FieldError { None, QuoteInUnquoted, TextAfterQuote, Unterminated };

inline const char* field_error_message(FieldError e) noexcept {
  switch (e) {
    case FieldError::QuoteInUnquoted:
      return "unexpected '\"' inside an unquoted field (quote the whole field and double the quotes in it)";
    case FieldError::TextAfterQuote: return "unexpected text after the closing quote of a quoted field";
    case FieldError::Unterminated: return "unterminated quoted field";
    case FieldError::None: break;
  }
  return "";
}

/// The text of a field that contains quote bytes: a quoted field "..." with doubled quotes inside
/// is unquoted (into `scratch` when it holds doubled quotes, else in place).
inline FieldError unquote_field(const char* d, size_t begin, size_t end, char quote, std::string& scratch,
                                std::string_view& text) noexcept {
  if (d[begin] != quote) return FieldError::QuoteInUnquoted;
  size_t i = begin + 1;
  const void* f = std::memchr(d + i, quote, end - i);
  if (!f) return FieldError::Unterminated;
  size_t j = static_cast<size_t>(static_cast<const char*>(f) - d);
  if (j + 1 == end) {
    text = std::string_view(d + i, j - i);
    return FieldError::None;
  }
  scratch.clear();
  for (;;) {
    scratch.append(d + i, j - i);
    if (j + 1 < end && d[j + 1] == quote) {
      scratch += quote;
      i = j + 2;
    } else if (j + 1 == end) {
      break;
    } else {
      return FieldError::TextAfterQuote;
    }
    f = std::memchr(d + i, quote, end - i);
    if (!f) return FieldError::Unterminated;
    j = static_cast<size_t>(static_cast<const char*>(f) - d);
  }
  text = scratch;
  return FieldError::None;
}

/// Decodes standard base64 (padding optional, no whitespace); false when malformed.
inline bool decode_base64(std::string_view in, std::string& out) {
  auto val = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  while (!in.empty() && in.back() == '=') in.remove_suffix(1);
  if (in.size() % 4 == 1) return false;
  out.clear();
  uint32_t acc = 0;
  int bits = 0;
  for (char c : in) {
    int v = val(c);
    if (v < 0) return false;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xFF);
    }
  }
  return true;
}

}  // namespace visiondb::io::detail
