// Expression nodes of the AST. Each node is a struct deriving from Expr with a fixed ExprKind; walk
// them with `switch (e.kind)` + `e.as<T>()`, with visit_expr(e, visitor), or with
// for_each_child_expr(e, f). Children are owned through ExprPtr (std::unique_ptr<Expr>).
// Queries nested in expressions (subqueries, IN (SELECT ...), TVF arguments) are ast_query.hpp's.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "visiondb/common/assert.hpp"
#include "visiondb/common/error.hpp"
#include "visiondb/sql/ast_type.hpp"

namespace visiondb::sql {

struct Query;  // ast_query.hpp

/// The concrete type of an Expr.
enum class ExprKind : uint8_t {
  Literal,       ///< LiteralExpr: NULL, TRUE, 42, 1.5, 'str', b'bytes', DATE '2024-01-01', ...
  ColumnRef,     ///< ColumnRefExpr: a, t.a, s.field.sub (a dotted path, resolved by the binder)
  Parameter,     ///< ParameterExpr: @name, ?, @@name
  Unary,         ///< UnaryExpr: -x, +x, NOT x, ~x
  Binary,        ///< BinaryExpr: arithmetic, ||, comparisons, AND, OR, bitwise, IS [NOT] DISTINCT FROM
  Is,            ///< IsExpr: x IS [NOT] NULL | TRUE | FALSE
  Between,       ///< BetweenExpr: x [NOT] BETWEEN lo AND hi
  Like,          ///< LikeExpr: x [NOT] LIKE pattern
  In,            ///< InExpr: x [NOT] IN (list) | (subquery) | UNNEST(array)
  Subquery,      ///< SubqueryExpr: (SELECT ...), ARRAY(SELECT ...), EXISTS(SELECT ...)
  Case,          ///< CaseExpr: CASE [operand] WHEN ... THEN ... [ELSE ...] END
  Cast,          ///< CastExpr: CAST / SAFE_CAST (x AS type [FORMAT f [AT TIME ZONE tz]])
  FunctionCall,  ///< FunctionCallExpr: f(...), SAFE.f(...), aggregates, window functions
  Extract,       ///< ExtractExpr: EXTRACT(part FROM x [AT TIME ZONE tz])
  Interval,      ///< IntervalExpr: INTERVAL x unit [TO unit]
  Array,         ///< ArrayExpr: [1, 2], ARRAY<FLOAT64>[...]
  Struct,        ///< StructExpr: STRUCT(1 AS a, 'x' AS b), STRUCT<a INT64>(1), (1, 'x')
  Subscript,     ///< SubscriptExpr: a[i], a[OFFSET(i)], a[ORDINAL(i)], a[SAFE_OFFSET(i)], a[SAFE_ORDINAL(i)]
  FieldAccess,   ///< FieldAccessExpr: f(x).field, (s).a, a[OFFSET(0)].b
};

/// Base of every expression node.
struct Expr {
  const ExprKind kind;
  SourceSpan span;  ///< the text of the whole expression, parentheses around it included

  explicit Expr(ExprKind k) : kind(k) {}
  Expr(const Expr&) = delete;
  Expr& operator=(const Expr&) = delete;
  virtual ~Expr() = default;

  /// This node as its concrete type T (T::kKind must equal kind).
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
  /// This node as T, or nullptr when it is another kind.
  template <class T>
  const T* as_if() const {
    return kind == T::kKind ? static_cast<const T*>(this) : nullptr;
  }
  template <class T>
  T* as_if() {
    return kind == T::kKind ? static_cast<T*>(this) : nullptr;
  }
};

using ExprPtr = std::unique_ptr<Expr>;

// ---- leaves ------------------------------------------------------------------------------------

/// The type of a literal. Typed literals (DATE '...', ...) keep their text in string_value.
enum class LiteralKind : uint8_t {
  Null, Bool, Int64, Float64, String, Bytes,
  Date, Time, Datetime, Timestamp, Numeric, BigNumeric, Json,
};

/// A constant as written; value fields by literal_kind.
struct LiteralExpr final : Expr {
  static constexpr ExprKind kKind = ExprKind::Literal;
  LiteralExpr() : Expr(kKind) {}

  LiteralKind literal_kind = LiteralKind::Null;
  bool bool_value = false;     ///< Bool
  int64_t int_value = 0;       ///< Int64 (a leading '-' is folded in: -9223372036854775808 is one literal)
  double float_value = 0.0;    ///< Float64
  std::string string_value;    ///< String and Bytes (decoded), and the quoted text of typed literals
};

/// A column or a path through struct fields, as written; the binder decides what each part is.
struct ColumnRefExpr final : Expr {
  static constexpr ExprKind kKind = ExprKind::ColumnRef;
  ColumnRefExpr() : Expr(kKind) {}

  IdentifierPath path;
};

enum class ParameterKind : uint8_t {
  Named,       ///< @name
  Positional,  ///< ?
  System,      ///< @@name (a system variable, e.g. @@threads; dotted names allowed)
};

/// A query parameter or a system variable.
struct ParameterExpr final : Expr {
  static constexpr ExprKind kKind = ExprKind::Parameter;
  ParameterExpr() : Expr(kKind) {}

  ParameterKind parameter_kind = ParameterKind::Named;
  std::string name;        ///< Named and System
  uint32_t position = 0;   ///< Positional: 0-based index among the statement's ? parameters
};

// ---- operators ---------------------------------------------------------------------------------

enum class UnaryOp : uint8_t { Minus, Plus, Not, BitwiseNot };

/// op operand.
struct UnaryExpr final : Expr {
  static constexpr ExprKind kKind = ExprKind::Unary;
  UnaryExpr() : Expr(kKind) {}

  UnaryOp op = UnaryOp::Minus;
  ExprPtr operand;
};

enum class BinaryOp : uint8_t {
  Multiply, Divide, Concat,                                    // * / ||
  Add, Subtract,                                               // + -
  ShiftLeft, ShiftRight,                                       // << >>
  BitwiseAnd, BitwiseXor, BitwiseOr,                           // & ^ |
  Equal, NotEqual, Less, LessEqual, Greater, GreaterEqual,     // = != < <= > >=
  IsDistinctFrom, IsNotDistinctFrom,                           // IS [NOT] DISTINCT FROM
  And, Or,
};

/// left op right (AND and OR too; chains are left-deep trees).
struct BinaryExpr final : Expr {
  static constexpr ExprKind kKind = ExprKind::Binary;
  BinaryExpr() : Expr(kKind) {}

  BinaryOp op = BinaryOp::Add;
  ExprPtr left;
  ExprPtr right;
};

enum class IsTest : uint8_t { Null, True, False };

/// x IS [NOT] NULL | TRUE | FALSE.
struct IsExpr final : Expr {
  static constexpr ExprKind kKind = ExprKind::Is;
  IsExpr() : Expr(kKind) {}

  ExprPtr operand;
  IsTest test = IsTest::Null;
  bool negated = false;
};

/// operand [NOT] BETWEEN low AND high.
struct BetweenExpr final : Expr {
  static constexpr ExprKind kKind = ExprKind::Between;
  BetweenExpr() : Expr(kKind) {}

  ExprPtr operand;
  ExprPtr low;
  ExprPtr high;
  bool negated = false;
};

/// operand [NOT] LIKE pattern.
struct LikeExpr final : Expr {
  static constexpr ExprKind kKind = ExprKind::Like;
  LikeExpr() : Expr(kKind) {}

  ExprPtr operand;
  ExprPtr pattern;
  bool negated = false;
};

enum class InKind : uint8_t {
  List,      ///< x IN (a, b, c): `list`
  Subquery,  ///< x IN (SELECT ...): `query`
  Unnest,    ///< x IN UNNEST(array): `unnest_array`
};

/// operand [NOT] IN ...; which member holds the right side depends on in_kind.
struct InExpr final : Expr {
  static constexpr ExprKind kKind = ExprKind::In;
  InExpr() : Expr(kKind) {}
  ~InExpr() override;

  ExprPtr operand;
  bool negated = false;
  InKind in_kind = InKind::List;
  std::vector<ExprPtr> list;
  std::unique_ptr<Query> query;
  ExprPtr unnest_array;
};

enum class SubqueryKind : uint8_t {
  Scalar,  ///< (SELECT x ...): one row, one column
  Array,   ///< ARRAY(SELECT x ...): the column as an array
  Exists,  ///< EXISTS(SELECT ...)
};

/// A query used as a value: scalar, ARRAY(...) or EXISTS(...).
struct SubqueryExpr final : Expr {
  static constexpr ExprKind kKind = ExprKind::Subquery;
  SubqueryExpr() : Expr(kKind) {}
  ~SubqueryExpr() override;

  SubqueryKind subquery_kind = SubqueryKind::Scalar;
  std::unique_ptr<Query> query;
};

// ---- special forms -----------------------------------------------------------------------------

/// One WHEN ... THEN ... arm.
struct CaseWhen {
  ExprPtr condition;  ///< WHEN condition (simple CASE: the value compared with the operand)
  ExprPtr result;     ///< THEN result
};

/// CASE [operand] WHEN ... THEN ... [ELSE ...] END (simple when operand is set, searched otherwise).
struct CaseExpr final : Expr {
  static constexpr ExprKind kKind = ExprKind::Case;
  CaseExpr() : Expr(kKind) {}

  ExprPtr operand;  ///< null for a searched CASE
  std::vector<CaseWhen> whens;
  ExprPtr else_result;  ///< null when there is no ELSE
};

/// CAST(operand AS type [FORMAT ...]) or SAFE_CAST(...).
struct CastExpr final : Expr {
  static constexpr ExprKind kKind = ExprKind::Cast;
  CastExpr() : Expr(kKind) {}

  ExprPtr operand;
  TypeName type;
  bool safe = false;          ///< SAFE_CAST
  ExprPtr format;             ///< FORMAT 'YYYY-MM-DD' (null when absent)
  ExprPtr format_time_zone;   ///< FORMAT ... AT TIME ZONE tz (null when absent)
};

/// A sort key: in ORDER BY clauses, window specifications and aggregate calls.
struct OrderByItem {
  enum class Nulls : uint8_t { Default, First, Last };
  ExprPtr expr;
  bool descending = false;
  Nulls nulls = Nulls::Default;
  SourceSpan span;
};

enum class FrameUnit : uint8_t { Rows, Range };

enum class FrameBoundKind : uint8_t { UnboundedPreceding, Preceding, CurrentRow, Following, UnboundedFollowing };

/// One end of a window frame.
struct FrameBound {
  FrameBoundKind kind = FrameBoundKind::CurrentRow;
  ExprPtr offset;  ///< n of `n PRECEDING` / `n FOLLOWING`
  SourceSpan span;
};

/// ROWS|RANGE BETWEEN start AND end, or ROWS|RANGE start (then end is CURRENT ROW and between false).
struct WindowFrame {
  FrameUnit unit = FrameUnit::Rows;
  FrameBound start;
  FrameBound end;
  bool between = true;
  SourceSpan span;
};

/// OVER w, or OVER ([w] [PARTITION BY ...] [ORDER BY ...] [frame]); also the body of WINDOW w AS (...).
struct WindowSpec {
  Identifier base_window;  ///< a named window this one refers to or extends (empty when none)
  std::vector<ExprPtr> partition_by;
  std::vector<OrderByItem> order_by;
  std::unique_ptr<WindowFrame> frame;  ///< null when absent
  SourceSpan span;
};

enum class FunctionArgKind : uint8_t {
  Expr,   ///< an expression (`expr`)
  Model,  ///< MODEL name (`object`), as in ML.PREDICT(MODEL m, ...)
  Table,  ///< TABLE name (`object`), as in ML.PREDICT(MODEL m, TABLE t)
  Query,  ///< a parenthesised query (`query`), as a table-valued function's table argument
};

/// One argument of a function call or table-valued function.
struct FunctionArg {
  FunctionArg();
  FunctionArg(FunctionArg&&) noexcept;
  FunctionArg& operator=(FunctionArg&&) noexcept;
  ~FunctionArg();

  FunctionArgKind kind = FunctionArgKind::Expr;
  Identifier name;  ///< named argument `name => value` (empty when positional)
  ExprPtr expr;
  IdentifierPath object;
  std::unique_ptr<Query> query;
  SourceSpan span;
};

enum class NullHandling : uint8_t { Default, IgnoreNulls, RespectNulls };

/// f(args), SAFE.f(args), COUNT(*), agg(DISTINCT x IGNORE NULLS ORDER BY y LIMIT n), f(...) OVER (...).
/// The name is the dotted path without the SAFE. prefix: ML.DECODE_IMAGE, SUBSTR, ds.my_udf.
/// CURRENT_DATE, CURRENT_TIMESTAMP, CURRENT_DATETIME and CURRENT_TIME without parentheses are calls.
struct FunctionCallExpr final : Expr {
  static constexpr ExprKind kKind = ExprKind::FunctionCall;
  FunctionCallExpr() : Expr(kKind) {}

  IdentifierPath name;
  bool safe = false;      ///< SAFE.name(...): errors become NULL
  bool distinct = false;  ///< agg(DISTINCT ...)
  bool star = false;      ///< COUNT(*): no args
  std::vector<FunctionArg> args;
  NullHandling null_handling = NullHandling::Default;
  std::vector<OrderByItem> order_by;  ///< ARRAY_AGG(x ORDER BY y)
  ExprPtr limit;                      ///< ARRAY_AGG(x LIMIT n)
  std::unique_ptr<WindowSpec> over;   ///< OVER ...: a window function call (null otherwise)

  /// The name upper-cased and dotted, e.g. "ML.DECODE_IMAGE" (handy for looking up built-ins).
  std::string upper_name() const;
};

/// EXTRACT(part FROM operand [AT TIME ZONE time_zone]); part is upper-cased (YEAR, DAYOFWEEK, DATE,
/// WEEK); WEEK(MONDAY) has part "WEEK" and part_argument "MONDAY".
struct ExtractExpr final : Expr {
  static constexpr ExprKind kKind = ExprKind::Extract;
  ExtractExpr() : Expr(kKind) {}

  std::string part;
  std::string part_argument;
  ExprPtr operand;
  ExprPtr time_zone;
};

/// INTERVAL value unit [TO to_unit]; units are upper-cased (HOUR, DAY, ...).
struct IntervalExpr final : Expr {
  static constexpr ExprKind kKind = ExprKind::Interval;
  IntervalExpr() : Expr(kKind) {}

  ExprPtr value;
  std::string unit;
  std::string to_unit;  ///< INTERVAL '1:30' HOUR TO MINUTE (empty otherwise)
};

/// [a, b], ARRAY[a, b], ARRAY<FLOAT64>[a, b].
struct ArrayExpr final : Expr {
  static constexpr ExprKind kKind = ExprKind::Array;
  ArrayExpr() : Expr(kKind) {}

  std::unique_ptr<TypeName> element_type;  ///< the T of ARRAY<T>[...] (null when not written)
  std::vector<ExprPtr> elements;
};

/// One field of a STRUCT constructor.
struct StructField {
  ExprPtr value;
  Identifier alias;  ///< `value AS alias` (empty when not written)
};

/// STRUCT(1 AS a, 'x' AS b), STRUCT<a INT64, b STRING>(1, 'x'), and the tuple form (1, 'x').
struct StructExpr final : Expr {
  static constexpr ExprKind kKind = ExprKind::Struct;
  StructExpr() : Expr(kKind) {}

  std::unique_ptr<TypeName> type;  ///< the STRUCT<...> type when written (null otherwise)
  std::vector<StructField> fields;
  bool tuple_syntax = false;  ///< written as (a, b) without the STRUCT keyword
};

enum class SubscriptKind : uint8_t {
  Index,        ///< a[i]: BigQuery reads it as OFFSET
  Offset,       ///< a[OFFSET(i)]: 0-based, error when out of range
  Ordinal,      ///< a[ORDINAL(i)]: 1-based, error when out of range
  SafeOffset,   ///< a[SAFE_OFFSET(i)]: NULL when out of range
  SafeOrdinal,  ///< a[SAFE_ORDINAL(i)]: NULL when out of range
};

/// operand[index] in one of BigQuery's five subscript forms.
struct SubscriptExpr final : Expr {
  static constexpr ExprKind kKind = ExprKind::Subscript;
  SubscriptExpr() : Expr(kKind) {}

  ExprPtr operand;
  SubscriptKind subscript_kind = SubscriptKind::Index;
  ExprPtr index;
};

/// operand.field where operand is not a plain path (paths are ColumnRefExpr).
struct FieldAccessExpr final : Expr {
  static constexpr ExprKind kKind = ExprKind::FieldAccess;
  FieldAccessExpr() : Expr(kKind) {}

  ExprPtr operand;
  Identifier field;
};

// ---- walking -----------------------------------------------------------------------------------

namespace detail {
template <class From, class To>
using like_const_t = std::conditional_t<std::is_const_v<From>, const To, To>;
}  // namespace detail

/// Calls visitor with the concrete type of expr (LiteralExpr&, BinaryExpr&, ...) and returns what it
/// returns. Works on const and non-const expressions.
template <class E, class Visitor>
decltype(auto) visit_expr(E& expr, Visitor&& visitor) {
  static_assert(std::is_same_v<std::remove_const_t<E>, Expr>);
  switch (expr.kind) {
#define VISIONDB_VISIT_CASE(K, T) \
  case ExprKind::K: return visitor(static_cast<detail::like_const_t<E, T>&>(expr));
    VISIONDB_VISIT_CASE(Literal, LiteralExpr)
    VISIONDB_VISIT_CASE(ColumnRef, ColumnRefExpr)
    VISIONDB_VISIT_CASE(Parameter, ParameterExpr)
    VISIONDB_VISIT_CASE(Unary, UnaryExpr)
    VISIONDB_VISIT_CASE(Binary, BinaryExpr)
    VISIONDB_VISIT_CASE(Is, IsExpr)
    VISIONDB_VISIT_CASE(Between, BetweenExpr)
    VISIONDB_VISIT_CASE(Like, LikeExpr)
    VISIONDB_VISIT_CASE(In, InExpr)
    VISIONDB_VISIT_CASE(Subquery, SubqueryExpr)
    VISIONDB_VISIT_CASE(Case, CaseExpr)
    VISIONDB_VISIT_CASE(Cast, CastExpr)
    VISIONDB_VISIT_CASE(FunctionCall, FunctionCallExpr)
    VISIONDB_VISIT_CASE(Extract, ExtractExpr)
    VISIONDB_VISIT_CASE(Interval, IntervalExpr)
    VISIONDB_VISIT_CASE(Array, ArrayExpr)
    VISIONDB_VISIT_CASE(Struct, StructExpr)
    VISIONDB_VISIT_CASE(Subscript, SubscriptExpr)
    VISIONDB_VISIT_CASE(FieldAccess, FieldAccessExpr)
#undef VISIONDB_VISIT_CASE
  }
  VISIONDB_ASSERT(false && "unknown ExprKind");
  return visitor(static_cast<detail::like_const_t<E, LiteralExpr>&>(expr));
}

/// Calls f(child) for each direct child expression of expr, in source order: operands, arguments,
/// ORDER BY keys, LIMIT, and the OVER clause's expressions. Queries nested in expr (subqueries, IN
/// (SELECT ...), query arguments) are not entered: they are scopes of their own.
template <class F>
void for_each_child_expr(const Expr& expr, F&& f) {
  auto one = [&](const ExprPtr& e) {
    if (e) f(static_cast<const Expr&>(*e));
  };
  auto all = [&](const std::vector<ExprPtr>& v) {
    for (const ExprPtr& e : v) one(e);
  };
  auto keys = [&](const std::vector<OrderByItem>& v) {
    for (const OrderByItem& item : v) one(item.expr);
  };
  switch (expr.kind) {
    case ExprKind::Literal:
    case ExprKind::ColumnRef:
    case ExprKind::Parameter:
    case ExprKind::Subquery: return;
    case ExprKind::Unary: one(expr.as<UnaryExpr>().operand); return;
    case ExprKind::Binary: one(expr.as<BinaryExpr>().left); one(expr.as<BinaryExpr>().right); return;
    case ExprKind::Is: one(expr.as<IsExpr>().operand); return;
    case ExprKind::Between: {
      const auto& b = expr.as<BetweenExpr>();
      one(b.operand); one(b.low); one(b.high);
      return;
    }
    case ExprKind::Like: one(expr.as<LikeExpr>().operand); one(expr.as<LikeExpr>().pattern); return;
    case ExprKind::In: {
      const auto& in = expr.as<InExpr>();
      one(in.operand); all(in.list); one(in.unnest_array);
      return;
    }
    case ExprKind::Case: {
      const auto& c = expr.as<CaseExpr>();
      one(c.operand);
      for (const CaseWhen& w : c.whens) { one(w.condition); one(w.result); }
      one(c.else_result);
      return;
    }
    case ExprKind::Cast: {
      const auto& c = expr.as<CastExpr>();
      one(c.operand); one(c.format); one(c.format_time_zone);
      return;
    }
    case ExprKind::FunctionCall: {
      const auto& call = expr.as<FunctionCallExpr>();
      for (const FunctionArg& a : call.args) one(a.expr);
      keys(call.order_by);
      one(call.limit);
      if (call.over) {
        all(call.over->partition_by);
        keys(call.over->order_by);
        if (call.over->frame) { one(call.over->frame->start.offset); one(call.over->frame->end.offset); }
      }
      return;
    }
    case ExprKind::Extract: one(expr.as<ExtractExpr>().operand); one(expr.as<ExtractExpr>().time_zone); return;
    case ExprKind::Interval: one(expr.as<IntervalExpr>().value); return;
    case ExprKind::Array: all(expr.as<ArrayExpr>().elements); return;
    case ExprKind::Struct:
      for (const StructField& field : expr.as<StructExpr>().fields) one(field.value);
      return;
    case ExprKind::Subscript: one(expr.as<SubscriptExpr>().operand); one(expr.as<SubscriptExpr>().index); return;
    case ExprKind::FieldAccess: one(expr.as<FieldAccessExpr>().operand); return;
  }
}

/// The SQL spelling of an operator: "+", "||", "AND", "IS DISTINCT FROM", "NOT", "-", ...
std::string_view binary_op_name(BinaryOp op) noexcept;
std::string_view unary_op_name(UnaryOp op) noexcept;

}  // namespace visiondb::sql

// Nodes above own Query objects; ast_query.hpp completes Query and defines their destructors.
#include "visiondb/sql/ast_query.hpp"
