// visiondb::Error and its subclasses: every failure a user can cause is one of these.
// SQL errors carry a SourceSpan and render like DuckDB's, with the line and a caret.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "visiondb/config.hpp"

namespace visiondb {

/// What went wrong, broadly; the message says exactly what.
enum class ErrorKind {
  Syntax,           ///< the SQL text does not parse
  Bind,             ///< a name does not resolve, or a statement is not valid for the catalog
  Type,             ///< operand or argument types do not fit
  Execution,        ///< a run-time failure: division by zero, a bad cast, an array index out of range
  Io,               ///< a file could not be read or written, or its contents are malformed
  Shape,            ///< a tensor has the wrong shape
  InvalidArgument,  ///< a bad option or parameter value
  Constraint,       ///< the operation would break a catalog rule (duplicate name, ...)
  Internal,         ///< a bug in visiondb
};

/// The lower-case name of a kind, e.g. "syntax".
std::string_view error_kind_name(ErrorKind kind) noexcept;

/// Base of every visiondb exception.
class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, std::string message) : std::runtime_error(message), kind_(kind), message_(std::move(message)) {}
  ErrorKind kind() const noexcept { return kind_; }
  /// The message without any rendering of position.
  const std::string& message() const noexcept { return message_; }
  const char* what() const noexcept override { return rendered_.empty() ? message_.c_str() : rendered_.c_str(); }

 protected:
  void set_rendered(std::string text) { rendered_ = std::move(text); }

 private:
  ErrorKind kind_;
  std::string message_;
  std::string rendered_;
};

/// A byte range in the SQL text.
struct SourceSpan {
  uint32_t offset = 0;
  uint32_t length = 0;
  bool valid() const noexcept { return length > 0 || offset > 0; }
};

/// A line/column position (both 1-based) computed from an offset.
struct SourcePosition {
  uint32_t line = 1;
  uint32_t column = 1;
};

/// Computes the 1-based line and column (counted in bytes) of offset in text.
SourcePosition position_of(std::string_view text, uint32_t offset) noexcept;

/// An error in a SQL statement. With the query text attached, what() shows the line and a caret:
///   Binder Error: column "nmae" not found
///   LINE 1: SELECT nmae FROM people
///                  ^~~~
class SqlError : public Error {
 public:
  SqlError(ErrorKind kind, std::string message, SourceSpan span = {});
  const SourceSpan& span() const noexcept { return span_; }
  /// Line and column of the span's start; {0,0} when no query text is attached.
  SourcePosition position() const noexcept { return position_; }
  bool has_position() const noexcept { return has_query_ && span_.valid(); }
  /// Attaches the statement text so that what() renders the caret line. Keeps an earlier text.
  void attach_query(std::string_view query);

 private:
  void render();
  SourceSpan span_;
  SourcePosition position_{0, 0};
  std::string query_;
  bool has_query_ = false;
};

/// A file that cannot be opened, read, written or parsed: names the path.
class IoError : public Error {
 public:
  IoError(std::string path, std::string reason)
      : Error(ErrorKind::Io, "\"" + path + "\": " + reason), path_(std::move(path)) {}
  const std::string& path() const noexcept { return path_; }

 private:
  std::string path_;
};

/// A tensor whose shape does not match: names the tensor, the expected and the actual shape.
class ShapeError : public Error {
 public:
  ShapeError(std::string tensor, std::vector<int64_t> expected, std::vector<int64_t> actual);
  /// A shape problem described in words (for checks that are not a plain comparison).
  ShapeError(std::string tensor, std::string reason)
      : Error(ErrorKind::Shape, "tensor \"" + tensor + "\": " + reason), tensor_(std::move(tensor)) {}
  const std::string& tensor() const noexcept { return tensor_; }

 private:
  std::string tensor_;
};

/// A bad option, parameter or argument value.
class InvalidArgument : public Error {
 public:
  explicit InvalidArgument(std::string message) : Error(ErrorKind::InvalidArgument, std::move(message)) {}
};

/// Formats a shape as "[1, 3, 224, 224]".
std::string format_shape(const std::vector<int64_t>& shape);

namespace detail {
// Throw helpers, [[noreturn]] and out of line so that callers stay small [ClickHouse].
[[noreturn]] void throw_sql_error(ErrorKind kind, std::string message, SourceSpan span = {});
[[noreturn]] void throw_io_error(std::string path, std::string reason);
[[noreturn]] void throw_invalid_argument(std::string message);
[[noreturn]] void throw_internal(std::string message);
}  // namespace detail

}  // namespace visiondb

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/common/detail/error_impl.hpp"
#endif
