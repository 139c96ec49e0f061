// SqlFunction: a function written in SQL, CREATE [OR REPLACE] [TEMP] FUNCTION f(x INT64, s ANY
// TYPE) [RETURNS T] AS (expr). The catalog keeps its body as SQL text (parsed once); each call
// binds the body with the call's argument types and inlines it into the calling expression, so
// it runs like hand-written SQL (scalar subqueries included; those may call table functions).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "visiondb/sql/ast_expr.hpp"
#include "visiondb/storage/catalog_entry.hpp"
#include "visiondb/storage/types.hpp"

namespace visiondb::sql {

class SqlFunction final : public CatalogEntry {
 public:
  struct Param {
    std::string name;
    std::optional<LogicalType> type;  ///< nullopt: ANY TYPE (takes the argument's type)
  };

  /// Parses `body_sql`; throws SqlError (Syntax) when it is not one expression.
  SqlFunction(QualifiedName name, std::vector<Param> params, std::optional<LogicalType> returns, std::string body_sql,
              bool temporary);

  const std::vector<Param>& params() const noexcept { return params_; }
  const std::optional<LogicalType>& returns() const noexcept { return returns_; }
  const std::string& body_sql() const noexcept { return body_sql_; }
  /// The body, parsed from body_sql() (spans are offsets into it).
  const Expr& body() const noexcept { return *body_; }
  bool temporary() const noexcept { return temporary_; }
  /// name(x INT64, s ANY TYPE) [RETURNS T].
  std::string signature() const;
  std::string describe() const override;

 private:
  std::vector<Param> params_;
  std::optional<LogicalType> returns_;
  std::string body_sql_;
  std::shared_ptr<const Expr> body_;
  bool temporary_;
};

}  // namespace visiondb::sql

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/sql/detail/sql_function_impl.hpp"
#endif
