// Out-of-line parts of error.hpp and assert.hpp.
#pragma once

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "visiondb/common/assert.hpp"
#include "visiondb/common/error.hpp"

namespace visiondb {

VISIONDB_INLINE std::string_view error_kind_name(ErrorKind kind) noexcept {
  switch (kind) {
    case ErrorKind::Syntax: return "syntax";
    case ErrorKind::Bind: return "bind";
    case ErrorKind::Type: return "type";
    case ErrorKind::Execution: return "execution";
    case ErrorKind::Io: return "io";
    case ErrorKind::Shape: return "shape";
    case ErrorKind::InvalidArgument: return "invalid argument";
    case ErrorKind::Constraint: return "constraint";
    case ErrorKind::Internal: return "internal";
  }
  return "unknown";
}

VISIONDB_INLINE SourcePosition position_of(std::string_view text, uint32_t offset) noexcept {
  SourcePosition pos;
  if (offset > text.size()) offset = static_cast<uint32_t>(text.size());
  for (uint32_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++pos.line;
      pos.column = 1;
    } else {
      ++pos.column;
    }
  }
  return pos;
}

namespace detail {
inline const char* sql_error_title(ErrorKind kind) noexcept {
  switch (kind) {
    case ErrorKind::Syntax: return "Parser Error: ";
    case ErrorKind::Bind: return "Binder Error: ";
    case ErrorKind::Type: return "Type Error: ";
    case ErrorKind::Execution: return "Execution Error: ";
    case ErrorKind::Constraint: return "Constraint Error: ";
    case ErrorKind::InvalidArgument: return "Invalid Argument Error: ";
    default: return "Error: ";
  }
}
}  // namespace detail

VISIONDB_INLINE SqlError::SqlError(ErrorKind kind, std::string message, SourceSpan span)
    : Error(kind, std::move(message)), span_(span) {
  render();
}

VISIONDB_INLINE void SqlError::attach_query(std::string_view query) {
  if (has_query_) return;
  query_ = std::string(query);
  has_query_ = true;
  if (span_.valid()) position_ = position_of(query_, span_.offset);
  render();
}

VISIONDB_INLINE void SqlError::render() {
  std::string out = detail::sql_error_title(kind());
  out += message();
  if (has_query_ && span_.valid()) {
    // The line holding the span's start, then a caret under it [DuckDB].
    size_t offset = std::min<size_t>(span_.offset, query_.size());
    size_t line_start = 0;
    if (offset > 0) {
      size_t nl = query_.rfind('\n', offset - 1);
      if (nl != std::string::npos) line_start = nl + 1;
    }
    size_t line_end = query_.find('\n', offset);
    if (line_end == std::string::npos) line_end = query_.size();
    std::string prefix = "LINE " + std::to_string(position_.line) + ": ";
    std::string line_text = query_.substr(line_start, line_end - line_start);
    for (char& c : line_text)
      if (c == '\t') c = ' ';
    out += "\n" + prefix + line_text + "\n";
    out += std::string(prefix.size() + (offset - line_start), ' ');
    out += '^';
    size_t rest_of_line = line_end > offset ? line_end - offset - 1 : 0;
    out += std::string(std::min<size_t>(span_.length > 1 ? span_.length - 1 : 0, rest_of_line), '~');
  }
  set_rendered(std::move(out));
}

VISIONDB_INLINE std::string format_shape(const std::vector<int64_t>& shape) {
  std::string out = "[";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i) out += ", ";
    out += std::to_string(shape[i]);
  }
  return out + "]";
}

VISIONDB_INLINE ShapeError::ShapeError(std::string tensor, std::vector<int64_t> expected, std::vector<int64_t> actual)
    : Error(ErrorKind::Shape, "tensor \"" + tensor + "\" has shape " + format_shape(actual) + ", expected " +
                                  format_shape(expected)),
      tensor_(std::move(tensor)) {}

namespace detail {
VISIONDB_INLINE void throw_sql_error(ErrorKind kind, std::string message, SourceSpan span) {
  throw SqlError(kind, std::move(message), span);
}
VISIONDB_INLINE void throw_io_error(std::string path, std::string reason) {
  throw IoError(std::move(path), std::move(reason));
}
VISIONDB_INLINE void throw_invalid_argument(std::string message) { throw InvalidArgument(std::move(message)); }
VISIONDB_INLINE void throw_internal(std::string message) {
  throw Error(ErrorKind::Internal, "internal error: " + std::move(message));
}
VISIONDB_INLINE void assertion_failed(const char* cond, const char* file, int line) noexcept {
  std::fprintf(stderr, "visiondb: assertion failed: %s at %s:%d\n", cond, file, line);
  std::abort();
}
}  // namespace detail

}  // namespace visiondb
