// exec::Expr: a bound expression made executable: column bindings resolved to input column
// positions, constants as one-row columns, functions prepared once for their call site.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "visiondb/sql/bound_expression.hpp"
#include "visiondb/storage/chunk.hpp"
#include "visiondb/storage/column_view.hpp"

namespace visiondb::exec {

using sql::BoundExprKind;

/// Runs a subquery for an expression: uncorrelated ones once, correlated ones per distinct outer
/// row. Implemented by the executor; shared by every worker (thread-safe).
class SubqueryRunner {
 public:
  virtual ~SubqueryRunner() = default;
  /// args: for IN the needle first, then the correlated outer values; writes n results to out.
  virtual void evaluate(std::span<const ColumnView> args, size_t n, Column& out) const = 0;
};

/// The constant items of `x IN (...)`, as a set of encoded keys.
struct InListSet;

struct Expr {
  BoundExprKind kind = BoundExprKind::Constant;
  LogicalType type;
  SourceSpan span;
  std::vector<std::unique_ptr<Expr>> children;

  size_t column = 0;                                   ///< ColumnRef: the input column
  size_t field = 0;                                    ///< FieldAccess: the STRUCT field read
  ColumnPtr constant;                                  ///< Constant: one row
  std::shared_ptr<const sql::ScalarFunction> function; ///< Function
  std::shared_ptr<const void> prepared;                ///< Function: prepare()'s result
  bool safe = false;                                   ///< Function (SAFE.), Cast (SAFE_CAST)
  std::shared_ptr<const InListSet> in_set;             ///< InList with constant items
  std::shared_ptr<const SubqueryRunner> subquery;      ///< Subquery
  std::string text;                                    ///< for EXPLAIN
  /// Function: a comparison operator (=, !=, <, <=, >, >=) that filters can run as a tight loop.
  enum class Compare : uint8_t { None, Eq, Ne, Lt, Le, Gt, Ge } compare = Compare::None;

  /// True for a ColumnRef (a projection of it shares the column).
  bool is_column_ref() const noexcept { return kind == BoundExprKind::ColumnRef; }
  bool is_constant() const noexcept { return kind == BoundExprKind::Constant; }
};
using ExprUPtr = std::unique_ptr<Expr>;

/// Builds a ColumnRef / Constant directly (operators and tests).
ExprUPtr make_column_expr(size_t column, LogicalType type, std::string text = {});
ExprUPtr make_constant_expr(const Value& v);

}  // namespace visiondb::exec
