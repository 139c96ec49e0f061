// Query nodes of the AST: Query (WITH ... body ORDER BY ... LIMIT ...), SELECT blocks, set
// operations, and the FROM clause's table references. Like expressions, each node has a fixed
// kind and an as<T>() cast.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "visiondb/sql/ast_expr.hpp"

namespace visiondb::sql {

// ---- FROM items --------------------------------------------------------------------------------

enum class TableRefKind : uint8_t {
  Named,          ///< NamedTableRef: t, ds.t, `proj.ds.t`, a CTE, or an array path t.arr
  Subquery,       ///< SubqueryTableRef: (SELECT ...)
  Unnest,         ///< UnnestTableRef: UNNEST(expr) [WITH OFFSET]
  TableFunction,  ///< TableFunctionRef: ML.PREDICT(MODEL m, ...), VECTOR_SEARCH(...), ...
  Join,           ///< JoinTableRef: comma joins and JOINs
};

/// Base of the FROM clause's items.
struct TableRef {
  const TableRefKind kind;
  SourceSpan span;
  Identifier alias;  ///< [AS] alias (empty when none; always empty for joins)

  explicit TableRef(TableRefKind k) : kind(k) {}
  TableRef(const TableRef&) = delete;
  TableRef& operator=(const TableRef&) = delete;
  virtual ~TableRef() = default;

  template <class T>
  T& as() {
    VISIONDB_ASSERT(kind == T::kKind);
    return static_cast<T&>(*this);
  }
  template <class T>
  const T& as() const {
    VISIONDB_ASSERT(kind == T::kKind);
    return static_cast<const T&>(*this);
  }
  template <class T>
  const T* as_if() const {
    return kind == T::kKind ? static_cast<const T*>(this) : nullptr;
  }
};

using TableRefPtr = std::unique_ptr<TableRef>;

/// path [[AS] alias] [WITH OFFSET [[AS] offset_alias]]; WITH OFFSET only makes sense for an array
/// path (FROM t, t.scores AS s WITH OFFSET i, BigQuery's implicit UNNEST).
struct NamedTableRef final : TableRef {
  static constexpr TableRefKind kKind = TableRefKind::Named;
  NamedTableRef() : TableRef(kKind) {}

  IdentifierPath name;
  bool with_offset = false;
  Identifier offset_alias;
};

/// (query) [[AS] alias].
struct SubqueryTableRef final : TableRef {
  static constexpr TableRefKind kKind = TableRefKind::Subquery;
  SubqueryTableRef() : TableRef(kKind) {}
  ~SubqueryTableRef() override;

  std::unique_ptr<Query> query;
};

/// UNNEST(array) [[AS] alias] [WITH OFFSET [[AS] offset_alias]].
struct UnnestTableRef final : TableRef {
  static constexpr TableRefKind kKind = TableRefKind::Unnest;
  UnnestTableRef() : TableRef(kKind) {}

  ExprPtr array;
  bool with_offset = false;
  Identifier offset_alias;  ///< empty when WITH OFFSET has no alias (BigQuery names it "offset")
};

/// A table-valued function: name(args) [[AS] alias].
struct TableFunctionRef final : TableRef {
  static constexpr TableRefKind kKind = TableRefKind::TableFunction;
  TableFunctionRef() : TableRef(kKind) {}

  IdentifierPath name;
  std::vector<FunctionArg> args;

  /// The name upper-cased and dotted, e.g. "ML.PREDICT".
  std::string upper_name() const;
};

enum class JoinKind : uint8_t {
  Comma,  ///< FROM a, b: a cross join that may refer to a's columns (UNNEST(a.arr))
  Cross,  ///< CROSS JOIN
  Inner,  ///< [INNER] JOIN
  Left,   ///< LEFT [OUTER] JOIN
  Right,  ///< RIGHT [OUTER] JOIN
  Full,   ///< FULL [OUTER] JOIN
};

/// left JOIN right [ON condition | USING (columns)]. Joins associate to the left; parenthesised
/// joins nest. ON/USING is absent for Comma and Cross, and for a JOIN UNNEST(...).
struct JoinTableRef final : TableRef {
  static constexpr TableRefKind kKind = TableRefKind::Join;
  JoinTableRef() : TableRef(kKind) {}

  JoinKind join_kind = JoinKind::Inner;
  TableRefPtr left;
  TableRefPtr right;
  ExprPtr on;
  std::vector<Identifier> using_columns;
};

// ---- SELECT ------------------------------------------------------------------------------------

enum class SelectItemKind : uint8_t {
  Expr,     ///< expr [[AS] alias]
  Star,     ///< * [EXCEPT (...)] [REPLACE (...)]
  DotStar,  ///< expr.* [EXCEPT (...)] [REPLACE (...)]: t.*, s.*, f(x).*
};

/// REPLACE (expr AS column) inside a star item.
struct StarReplacement {
  ExprPtr expr;
  Identifier column;
};

/// One item of a select list (also of CREATE MODEL ... TRANSFORM(...)).
struct SelectItem {
  SelectItemKind kind = SelectItemKind::Expr;
  ExprPtr expr;     ///< Expr: the expression; DotStar: what precedes .*
  Identifier alias; ///< Expr only (empty when none)
  std::vector<Identifier> except_columns;
  std::vector<StarReplacement> replacements;
  SourceSpan span;
};

enum class SelectAs : uint8_t { None, Struct, Value };

enum class GroupByKind : uint8_t {
  Expressions,  ///< GROUP BY e1, e2 (expressions, 1-based ordinals, or select-list aliases)
  Rollup,       ///< GROUP BY ROLLUP(e1, e2)
  Cube,         ///< GROUP BY CUBE(e1, e2)
  All,          ///< GROUP BY ALL: every select-list item without an aggregate
};

/// GROUP BY ...; items are empty for GROUP BY ALL.
struct GroupByClause {
  GroupByKind kind = GroupByKind::Expressions;
  std::vector<ExprPtr> items;
  SourceSpan span;
};

/// WINDOW name AS (spec).
struct NamedWindow {
  Identifier name;
  WindowSpec spec;
};

enum class QueryNodeKind : uint8_t {
  Select,        ///< Select: one SELECT block
  SetOperation,  ///< SetOperation: UNION / INTERSECT / EXCEPT of several inputs
  Query,         ///< Query: a parenthesised query with its own WITH / ORDER BY / LIMIT
};

/// Base of what can stand where a query body goes.
struct QueryNode {
  const QueryNodeKind kind;
  SourceSpan span;

  explicit QueryNode(QueryNodeKind k) : kind(k) {}
  QueryNode(const QueryNode&) = delete;
  QueryNode& operator=(const QueryNode&) = delete;
  virtual ~QueryNode() = default;

  template <class T>
  T& as() {
    VISIONDB_ASSERT(kind == T::kKind);
    return static_cast<T&>(*this);
  }
  template <class T>
  const T& as() const {
    VISIONDB_ASSERT(kind == T::kKind);
    return static_cast<const T&>(*this);
  }
  template <class T>
  const T* as_if() const {
    return kind == T::kKind ? static_cast<const T*>(this) : nullptr;
  }
};

using QueryNodePtr = std::unique_ptr<QueryNode>;

/// SELECT [DISTINCT] [AS STRUCT|VALUE] items [FROM ...] [WHERE ...] [GROUP BY ...] [HAVING ...]
/// [QUALIFY ...] [WINDOW ...].
struct Select final : QueryNode {
  static constexpr QueryNodeKind kKind = QueryNodeKind::Select;
  Select() : QueryNode(kKind) {}

  bool distinct = false;
  SelectAs select_as = SelectAs::None;
  std::vector<SelectItem> items;
  TableRefPtr from;  ///< null without FROM; several items are a left-deep tree of Comma joins
  ExprPtr where;
  std::unique_ptr<GroupByClause> group_by;  ///< null without GROUP BY
  ExprPtr having;
  ExprPtr qualify;
  std::vector<NamedWindow> windows;
};

enum class SetOperator : uint8_t { Union, Intersect, Except };

/// inputs[0] op inputs[1] op ...: one operator, as BigQuery requires without parentheses. Inputs
/// are Select nodes or parenthesised Query nodes.
struct SetOperation final : QueryNode {
  static constexpr QueryNodeKind kKind = QueryNodeKind::SetOperation;
  SetOperation() : QueryNode(kKind) {}

  SetOperator op = SetOperator::Union;
  bool distinct = false;  ///< DISTINCT (true) or ALL (false)
  std::vector<QueryNodePtr> inputs;
};

/// One CTE of a WITH clause: name AS (query).
struct CommonTableExpr {
  Identifier name;
  std::unique_ptr<Query> query;
  SourceSpan span;
};

/// A full query expression: [WITH [RECURSIVE] ctes] body [ORDER BY ...] [LIMIT n [OFFSET m]].
/// ORDER BY and LIMIT apply to the whole body, set operations included.
struct Query final : QueryNode {
  static constexpr QueryNodeKind kKind = QueryNodeKind::Query;
  Query() : QueryNode(kKind) {}

  bool recursive = false;              ///< WITH RECURSIVE
  std::vector<CommonTableExpr> with;   ///< empty without WITH
  QueryNodePtr body;                   ///< Select, SetOperation or a parenthesised Query
  std::vector<OrderByItem> order_by;
  ExprPtr limit;
  ExprPtr offset;
};

// Destructors of expression nodes that own queries, defined now that Query is complete.
inline InExpr::~InExpr() = default;
inline SubqueryExpr::~SubqueryExpr() = default;
inline SubqueryTableRef::~SubqueryTableRef() = default;
inline FunctionArg::FunctionArg() = default;
inline FunctionArg::FunctionArg(FunctionArg&&) noexcept = default;
inline FunctionArg& FunctionArg::operator=(FunctionArg&&) noexcept = default;
inline FunctionArg::~FunctionArg() = default;

}  // namespace visiondb::sql

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/sql/detail/ast_impl.hpp"
#endif
