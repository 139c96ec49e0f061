// The binder: AST -> bound statements and logical plans. It resolves names against the catalog
// (datasets, tables, CTEs, aliases, USING columns, outer queries for correlated subqueries),
// functions against the FunctionCatalog, and types with BigQuery's coercions (INT64 -> FLOAT64,
// NULL and string literals to what they meet). Errors are SqlError of kind Bind or Type naming the
// thing, with the span of its text: `column "nmae" not found in table "people" (did you mean
// "name"?)`, ambiguous columns, `=` between incompatible types, aggregates in WHERE, columns
// neither grouped nor aggregated.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "visiondb/sql/ast.hpp"
#include "visiondb/sql/bound_statement.hpp"
#include "visiondb/sql/function_interface.hpp"
#include "visiondb/sql/planner.hpp"
#include "visiondb/storage/catalog.hpp"

namespace visiondb::sql {

/// Parameter values for one execution: `?` by position, `@name` by name (case-insensitive).
struct Parameters {
  std::vector<Value> positional;
  std::map<std::string, Value> named;  ///< keys lower-cased
};

class BinderImpl;

class Binder {
 public:
  Binder(Catalog& catalog, const FunctionCatalog& functions, const ConstantEvaluator& evaluator,
         const Parameters& parameters = {});
  ~Binder();
  Binder(const Binder&) = delete;
  Binder& operator=(const Binder&) = delete;

  BoundStatement bind(const Statement& statement);
  BoundQuery bind_query(const Query& query);

 private:
  std::unique_ptr<BinderImpl> impl_;
};

/// The LogicalType of a type name as written (INT, INTEGER -> INT64; ARRAY<...>; STRUCT<...>).
/// Throws SqlError (Type) for an unknown or unsupported type.
LogicalType bind_type_name(const TypeName& type);

/// The type both a and b coerce to (INT64 and FLOAT64 -> FLOAT64; NULL -> the other), or null
/// type id when there is none.
LogicalType common_supertype(const LogicalType& a, const LogicalType& b, bool& ok);

}  // namespace visiondb::sql

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/sql/detail/binder_impl.hpp"
#endif
