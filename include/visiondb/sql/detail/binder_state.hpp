// The binder's working state: scopes of visible relations, the aggregate context of a SELECT,
// CTEs, and the BinderImpl class whose members binder_*_impl.hpp define.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "visiondb/sql/binder.hpp"
#include "visiondb/sql/bound_window.hpp"
#include "visiondb/sql/sql_function.hpp"

namespace visiondb::sql {

/// A column visible in a FROM clause.
struct ScopeColumn {
  std::string name;
  LogicalType type;
  ColumnBinding binding;
  bool in_star = true;  ///< listed by SELECT * (USING columns appear once, first)
  bool pseudo = false;  ///< a pseudo-column (an object table's data): by name only, never in * or t.*
  bool value_column = false;  ///< an UNNEST's STRUCT element, whose fields t.* lists instead
};

/// A FROM item: a table, a subquery, a CTE reference, a table function.
struct ScopeRelation {
  std::string alias;  ///< empty for an unaliased subquery
  std::vector<ScopeColumn> columns;
};

/// An unqualified USING column: its meaning (COALESCE of both sides for FULL JOIN).
struct UsingColumn {
  std::string name;
  BoundExprPtr expr;
};

/// GROUP BY keys and the aggregates collected while binding SELECT, HAVING and ORDER BY.
struct AggregateState {
  uint32_t group_index = 0;
  uint32_t aggregate_index = 0;
  std::vector<BoundExprPtr> groups;
  std::vector<std::string> group_keys;
  std::vector<BoundExprPtr> aggregates;
  std::vector<std::string> aggregate_keys;
};

/// The window function calls collected while binding SELECT, QUALIFY and ORDER BY.
struct WindowState {
  uint32_t index = 0;
  std::vector<BoundExprPtr> windows;
  std::vector<std::string> keys;
  /// The SELECT's WINDOW clause.
  const std::vector<NamedWindow>* named = nullptr;
  bool in_window_args = false;
};

/// The names one SELECT (or subquery expression) can see.
struct Scope {
  /// A boundary between a query and a subquery expression inside it (it has no relations); it
  /// collects the outer columns the subquery reads.
  bool boundary = false;
  std::vector<ScopeRelation> relations;
  std::vector<UsingColumn> usings;
  /// The outer columns a subquery expression reads (its scope only).
  std::vector<ColumnBinding> correlated;
  std::vector<LogicalType> correlated_types;
  std::vector<std::string> correlated_names;
  /// Set while binding SELECT / HAVING / ORDER BY of an aggregating query.
  AggregateState* aggregate = nullptr;
  bool in_aggregate_args = false;
  /// Set while binding SELECT / QUALIFY / ORDER BY: where window function calls go.
  WindowState* window = nullptr;
  /// Select-list aliases QUALIFY may read (name, bound expression).
  std::vector<std::pair<std::string, const BoundExpr*>> select_aliases;
  /// The clause being bound, for "aggregate function not allowed in WHERE".
  std::string clause;
};

struct CteEntry {
  std::string name;
  const Query* query = nullptr;
  size_t visible = 0;  ///< how many earlier CTEs its body sees
};

class BinderImpl {
 public:
  BinderImpl(Catalog& catalog, const FunctionCatalog& functions, const ConstantEvaluator& evaluator,
             const Parameters& parameters)
      : catalog_(catalog), functions_(functions), evaluator_(evaluator), params_(parameters) {}

  BoundStatement bind_statement(const Statement& s);
  BoundQuery bind_query(const Query& q);

  // ---- queries (binder_impl.hpp)
  BoundQuery bind_query_node(const QueryNode& node);
  BoundQuery bind_select(const Select& s, const std::vector<OrderByItem>& order_by, const Expr* limit,
                         const Expr* offset);
  BoundQuery bind_set_operation(const SetOperation& s);
  /// SELECT AS STRUCT (one STRUCT column of the select list) / SELECT AS VALUE (its one column).
  BoundQuery select_as(const Select& s, BoundQuery q);
  BoundQuery apply_order_limit(BoundQuery q, const std::vector<OrderByItem>& order_by, const Expr* limit,
                               const Expr* offset);
  int64_t bind_limit_value(const Expr& e, const char* what);
  /// Binds a query in a fresh scope stack (derived tables, CTE bodies).
  BoundQuery bind_isolated(const Query& q);

  // ---- FROM
  LogicalOpPtr bind_from(const TableRef& ref, Scope& scope);
  LogicalOpPtr bind_named_table(const NamedTableRef& ref, Scope& scope);
  LogicalOpPtr bind_join(const JoinTableRef& ref, Scope& scope);
  LogicalOpPtr bind_table_function(const TableFunctionRef& ref, Scope& scope);
  LogicalOpPtr relation_from_query(BoundQuery q, const std::string& alias, Scope& scope);
  // ---- UNNEST in FROM (binder_unnest_impl.hpp)
  bool is_unnest_ref(const TableRef& ref, const Scope& scope) const;
  /// UNNEST(...) or an array path t.arr joined to `input` (a single row when null).
  LogicalOpPtr bind_unnest(const TableRef& ref, LogicalOpPtr input, Scope& scope, bool outer);
  LogicalOpPtr bind_unnest_join(const JoinTableRef& ref, LogicalOpPtr left, Scope& scope);

  // ---- expressions (binder_expression_impl.hpp)
  BoundExprPtr bind_expr(const Expr& e);
  BoundExprPtr bind_literal(const LiteralExpr& e);
  BoundExprPtr bind_column_ref(const ColumnRefExpr& e);
  BoundExprPtr bind_parameter(const ParameterExpr& e);
  BoundExprPtr bind_unary(const UnaryExpr& e);
  BoundExprPtr bind_binary(const BinaryExpr& e);
  BoundExprPtr bind_is(const IsExpr& e);
  BoundExprPtr bind_between(const BetweenExpr& e);
  BoundExprPtr bind_like(const LikeExpr& e);
  BoundExprPtr bind_in(const InExpr& e);
  BoundExprPtr bind_subquery(const SubqueryExpr& e);
  BoundExprPtr bind_case(const CaseExpr& e);
  BoundExprPtr bind_cast(const CastExpr& e);
  BoundExprPtr bind_function(const FunctionCallExpr& e);
  BoundExprPtr bind_aggregate(const FunctionCallExpr& e, const std::string& lname);
  BoundExprPtr bind_array(const ArrayExpr& e);
  // ---- nested values (binder_nested_impl.hpp)
  BoundExprPtr bind_struct(const StructExpr& e);
  BoundExprPtr bind_subscript(const SubscriptExpr& e);
  BoundExprPtr bind_field_access(const FieldAccessExpr& e);
  /// base.field for a STRUCT base; errors name the field and the type.
  BoundExprPtr field_access(BoundExprPtr base, const Identifier& field, SourceSpan span);
  BoundExprPtr bind_in_unnest(const InExpr& e, BoundExprPtr needle);
  // ---- SQL functions (binder_function_impl.hpp)
  std::shared_ptr<const SqlFunction> find_sql_function(const IdentifierPath& name) const;
  BoundStatement bind_create_function(const CreateFunctionStatement& s);
  BoundExprPtr bind_sql_function_call(const SqlFunction& f, const FunctionCallExpr& e);
  /// The body bound with parameters (index, k) of the given names and types.
  BoundExprPtr bind_function_body(const Expr& body, const std::vector<std::string>& names,
                                  const std::vector<LogicalType>& types, uint32_t index, const std::string& function,
                                  const std::optional<LogicalType>& returns);
  // ---- window functions (binder_window_impl.hpp)
  BoundExprPtr bind_window(const FunctionCallExpr& e);
  WindowFrameSpec bind_window_frame(const WindowFrame* frame, const BoundWindow& w, const std::string& name);
  /// For an object table's `data` column: a reference to the same row's `uri`, else null.
  BoundExprPtr object_uri_of(const BoundExpr& data);
  /// A call of a scalar function or operator with casts to the chosen overload.
  BoundExprPtr call(const std::string& name, std::vector<BoundExprPtr> args, SourceSpan span, bool safe = false);
  BoundExprPtr comparison(const char* op, BoundExprPtr a, BoundExprPtr b, SourceSpan span);
  BoundExprPtr cast_to(BoundExprPtr e, const LogicalType& t, SourceSpan span = {}, bool safe = false);
  /// Casts every expression to their common type; `what` names them in the error.
  LogicalType unify(std::vector<BoundExprPtr*> exprs, const std::string& what, SourceSpan span);
  BoundExprPtr bind_subquery_plan(const Query& q, BoundSubqueryKind kind, SourceSpan span, BoundExprPtr needle,
                                  bool negated);
  /// Replaces grouped subtrees by group references; errors on other columns.
  BoundExprPtr check_grouped(BoundExprPtr e, const char* clause);
  std::string fingerprint(const BoundExpr& e) const;
  /// A constant expression's value (LIMIT, OPTIONS, table-function arguments).
  Value evaluate_constant(const Expr& e, const char* what);

  // ---- statements (binder_statement_impl.hpp)
  /// The head every CREATE shares: kind, span, the name (whose dataset must exist), OR REPLACE and
  /// IF NOT EXISTS. `what` names the object in errors ("table", "model").
  BoundStatement bind_create_head(BoundStatementKind kind, const Statement& s, const IdentifierPath& name,
                                  const CreateFlags& flags, const char* what);
  BoundStatement bind_create_table(const CreateTableStatement& s);
  BoundStatement bind_insert(const InsertStatement& s);
  BoundStatement bind_delete(const DeleteStatement& s);
  BoundStatement bind_update(const UpdateStatement& s);
  BoundStatement bind_drop(const DropStatement& s);
  BoundStatement bind_external_table(const CreateExternalTableStatement& s);
  BoundStatement bind_create_model(const CreateModelStatement& s);
  BoundStatement bind_load_data(const LoadDataStatement& s);
  BoundStatement bind_export_data(const ExportDataStatement& s);
  BoundStatement bind_export_model(const ExportModelStatement& s);
  std::vector<BoundOption> bind_options(const OptionList& options);
  Schema bind_columns(const std::vector<ColumnDef>& columns);
  QualifiedName qualified_name(const IdentifierPath& path, const char* what) const;
  std::shared_ptr<Table> find_table(const IdentifierPath& path) const;

  Scope& scope() { return *scopes_.back(); }
  uint32_t new_index() { return next_index_++; }

  Catalog& catalog_;
  const FunctionCatalog& functions_;
  const ConstantEvaluator& evaluator_;
  const Parameters& params_;
  uint32_t next_index_ = 1;
  std::vector<Scope*> scopes_;
  std::vector<CteEntry> ctes_;
  int anonymous_columns_ = 0;
  /// The SQL functions being bound, outermost first (a call of one of them is a recursion).
  std::vector<std::string> function_stack_;
};

}  // namespace visiondb::sql
