// AST leaves shared by every node: identifiers, dotted names and type names as written.
// The binder resolves names and maps type names (INT, INTEGER, ... -> INT64); the parser only
// records what the text says.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "visiondb/common/error.hpp"

namespace visiondb::sql {

/// One name as written: unquoted, or `backtick-quoted` (then unescaped, and free to be a keyword).
struct Identifier {
  std::string name;  ///< the name; unquoted names keep the case they were written in
  SourceSpan span;
  bool quoted = false;

  bool empty() const noexcept { return name.empty(); }
};

/// A dotted name: t, ds.t, `proj.ds.t` (a quoted name is split at its dots, as BigQuery reads
/// table paths; each of its parts then carries the span of the whole quoted token), s.field.sub.
struct IdentifierPath {
  std::vector<Identifier> parts;
  SourceSpan span;

  bool empty() const noexcept { return parts.empty(); }
  /// The parts joined with '.', as written (no quotes).
  std::string to_string() const;
  /// The last part, e.g. the table name of ds.t.
  const Identifier& back() const { return parts.back(); }
};

struct TypeField;

/// A type as written: INT64, STRING(10), NUMERIC(10, 2), ARRAY<FLOAT64>, STRUCT<a INT64, b STRING>.
/// Templated SQL-function parameters use the name "ANY TYPE".
struct TypeName {
  SourceSpan span;
  std::string name;                  ///< base name, upper-cased: INT64, INTEGER, BOOL, ARRAY, STRUCT, ...
  std::vector<int64_t> parameters;   ///< STRING(10) -> {10}; NUMERIC(10, 2) -> {10, 2}
  std::unique_ptr<TypeName> element; ///< ARRAY<element>
  std::vector<TypeField> fields;     ///< STRUCT<fields>, in order

  bool is_array() const noexcept { return element != nullptr; }
  bool is_struct() const noexcept { return name == "STRUCT"; }
  /// A deep copy.
  TypeName clone() const;
};

/// One field of a STRUCT<...> type; the name is empty in STRUCT<INT64, STRING>.
struct TypeField {
  Identifier name;
  TypeName type;
};

/// BigQuery's canonical name for a scalar type name: INT, INTEGER, BIGINT, SMALLINT, TINYINT and
/// BYTEINT -> INT64; BOOLEAN -> BOOL; DECIMAL -> NUMERIC; BIGDECIMAL -> BIGNUMERIC; FLOAT64 and
/// every other name unchanged (upper-cased).
std::string canonical_type_name(std::string_view name);

}  // namespace visiondb::sql

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/sql/detail/ast_type_impl.hpp"
#endif
