// Out-of-line parts of ast_printer.hpp: a recursive printer, one function per node family.
#pragma once

#include <charconv>
#include <string>

#include "visiondb/sql/ast_printer.hpp"
#include "visiondb/sql/detail/char_class.hpp"
#include "visiondb/sql/detail/precedence.hpp"
#include "visiondb/sql/token.hpp"

namespace visiondb::sql {

namespace detail {

inline int binary_precedence(BinaryOp op) noexcept {
  switch (op) {
    case BinaryOp::Multiply: case BinaryOp::Divide: case BinaryOp::Concat: return kPrecMul;
    case BinaryOp::Add: case BinaryOp::Subtract: return kPrecAdd;
    case BinaryOp::ShiftLeft: case BinaryOp::ShiftRight: return kPrecShift;
    case BinaryOp::BitwiseAnd: return kPrecBitAnd;
    case BinaryOp::BitwiseXor: return kPrecBitXor;
    case BinaryOp::BitwiseOr: return kPrecBitOr;
    case BinaryOp::And: return kPrecAnd;
    case BinaryOp::Or: return kPrecOr;
    default: return kPrecCompare;
  }
}

// How tightly the printed form of e binds, so that its parent knows whether to parenthesise it.
inline int expr_precedence(const Expr& e) noexcept {
  switch (e.kind) {
    case ExprKind::Binary: return binary_precedence(e.as<BinaryExpr>().op);
    case ExprKind::Unary: return e.as<UnaryExpr>().op == UnaryOp::Not ? kPrecNot : kPrecUnary;
    case ExprKind::Is: case ExprKind::Between: case ExprKind::Like: case ExprKind::In: return kPrecCompare;
    case ExprKind::Literal: {
      const auto& lit = e.as<LiteralExpr>();
      bool negative = (lit.literal_kind == LiteralKind::Int64 && lit.int_value < 0) ||
                      (lit.literal_kind == LiteralKind::Float64 && std::signbit(lit.float_value));
      return negative ? kPrecUnary : kPrecPrimary;
    }
    case ExprKind::Interval: return kPrecUnary;
    default: return kPrecPrimary;
  }
}

class SqlPrinter {
 public:
  explicit SqlPrinter(const PrintOptions& options) : options_(options) {}
  std::string take() { return std::move(out_); }

  void statement(const Statement& s);
  void query_node(const QueryNode& q);
  void query(const Query& q);
  void table_ref(const TableRef& t);
  void expr(const Expr& e);
  void type(const TypeName& t);

 private:
  void operand(const Expr& e, int min_precedence);
  void literal(const LiteralExpr& e);
  void path(const IdentifierPath& p);
  void ident(const Identifier& id) { out_ += quote_identifier(id.name); }
  void call(const FunctionCallExpr& e);
  void args(const std::vector<FunctionArg>& args);
  void window_spec(const WindowSpec& w, bool parenthesised);
  void frame_bound(const FrameBound& b);
  void order_by(const std::vector<OrderByItem>& items);
  void expr_list(const std::vector<ExprPtr>& list);
  void select(const Select& s);
  void select_item(const SelectItem& item);
  void set_operation(const SetOperation& s);
  void alias(const Identifier& a) {
    if (!a.empty()) {
      out_ += " AS ";
      ident(a);
    }
  }
  void options(const OptionList& list);
  void option_entries(const OptionList& list);
  void column_defs(const std::vector<ColumnDef>& columns);
  void create_prefix(const char* object, const CreateFlags& flags, const IdentifierPath& name);
  void identifier_list(const std::vector<Identifier>& names);

  const PrintOptions& options_;
  std::string out_;
};

// ---- expressions -------------------------------------------------------------------------------

VISIONDB_INLINE void SqlPrinter::operand(const Expr& e, int min_precedence) {
  int p = expr_precedence(e);
  bool wrap = p < min_precedence || (options_.fully_parenthesized && p < kPrecPrimary);
  if (wrap) out_ += '(';
  expr(e);
  if (wrap) out_ += ')';
}

VISIONDB_INLINE void SqlPrinter::literal(const LiteralExpr& e) {
  switch (e.literal_kind) {
    case LiteralKind::Null: out_ += "NULL"; return;
    case LiteralKind::Bool: out_ += e.bool_value ? "TRUE" : "FALSE"; return;
    case LiteralKind::Int64: out_ += std::to_string(e.int_value); return;
    case LiteralKind::Float64: {
      char buf[64];
      auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, e.float_value);
      std::string text(buf, ec == std::errc() ? ptr : buf);
      // Keep it a FLOAT64 literal when read back: "5" -> "5.0".
      if (text.find_first_of(".eEn") == std::string::npos) text += ".0";
      out_ += text;
      return;
    }
    case LiteralKind::String: out_ += quote_string(e.string_value); return;
    case LiteralKind::Bytes: out_ += quote_bytes(e.string_value); return;
    case LiteralKind::Date: out_ += "DATE "; break;
    case LiteralKind::Time: out_ += "TIME "; break;
    case LiteralKind::Datetime: out_ += "DATETIME "; break;
    case LiteralKind::Timestamp: out_ += "TIMESTAMP "; break;
    case LiteralKind::Numeric: out_ += "NUMERIC "; break;
    case LiteralKind::BigNumeric: out_ += "BIGNUMERIC "; break;
    case LiteralKind::Json: out_ += "JSON "; break;
  }
  out_ += quote_string(e.string_value);
}

VISIONDB_INLINE void SqlPrinter::path(const IdentifierPath& p) {
  for (size_t i = 0; i < p.parts.size(); ++i) {
    if (i) out_ += '.';
    ident(p.parts[i]);
  }
}

VISIONDB_INLINE void SqlPrinter::expr_list(const std::vector<ExprPtr>& list) {
  for (size_t i = 0; i < list.size(); ++i) {
    if (i) out_ += ", ";
    expr(*list[i]);
  }
}

VISIONDB_INLINE void SqlPrinter::order_by(const std::vector<OrderByItem>& items) {
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) out_ += ", ";
    expr(*items[i].expr);
    if (items[i].descending) out_ += " DESC";
    if (items[i].nulls == OrderByItem::Nulls::First) out_ += " NULLS FIRST";
    if (items[i].nulls == OrderByItem::Nulls::Last) out_ += " NULLS LAST";
  }
}

VISIONDB_INLINE void SqlPrinter::frame_bound(const FrameBound& b) {
  switch (b.kind) {
    case FrameBoundKind::UnboundedPreceding: out_ += "UNBOUNDED PRECEDING"; return;
    case FrameBoundKind::UnboundedFollowing: out_ += "UNBOUNDED FOLLOWING"; return;
    case FrameBoundKind::CurrentRow: out_ += "CURRENT ROW"; return;
    case FrameBoundKind::Preceding: operand(*b.offset, kPrecCompare + 1); out_ += " PRECEDING"; return;
    case FrameBoundKind::Following: operand(*b.offset, kPrecCompare + 1); out_ += " FOLLOWING"; return;
  }
}

VISIONDB_INLINE void SqlPrinter::window_spec(const WindowSpec& w, bool parenthesised) {
  if (parenthesised) out_ += '(';
  bool space = false;
  auto sep = [&] {
    if (space) out_ += ' ';
    space = true;
  };
  if (!w.base_window.empty()) {
    sep();
    ident(w.base_window);
  }
  if (!w.partition_by.empty()) {
    sep();
    out_ += "PARTITION BY ";
    expr_list(w.partition_by);
  }
  if (!w.order_by.empty()) {
    sep();
    out_ += "ORDER BY ";
    order_by(w.order_by);
  }
  if (w.frame) {
    sep();
    out_ += w.frame->unit == FrameUnit::Rows ? "ROWS " : "RANGE ";
    if (w.frame->between) {
      out_ += "BETWEEN ";
      frame_bound(w.frame->start);
      out_ += " AND ";
      frame_bound(w.frame->end);
    } else {
      frame_bound(w.frame->start);
    }
  }
  if (parenthesised) out_ += ')';
}

VISIONDB_INLINE void SqlPrinter::args(const std::vector<FunctionArg>& list) {
  for (size_t i = 0; i < list.size(); ++i) {
    const FunctionArg& a = list[i];
    if (i) out_ += ", ";
    if (!a.name.empty()) {
      ident(a.name);
      out_ += " => ";
    }
    switch (a.kind) {
      case FunctionArgKind::Expr: expr(*a.expr); break;
      case FunctionArgKind::Model: out_ += "MODEL "; path(a.object); break;
      case FunctionArgKind::Table: out_ += "TABLE "; path(a.object); break;
      case FunctionArgKind::Query: out_ += '('; query(*a.query); out_ += ')'; break;
    }
  }
}

VISIONDB_INLINE void SqlPrinter::call(const FunctionCallExpr& e) {
  if (e.safe) out_ += "SAFE.";
  for (size_t i = 0; i < e.name.parts.size(); ++i) {
    if (i) out_ += '.';
    const std::string& part = e.name.parts[i].name;
    // A function whose first name part is literally `SAFE` keeps its quotes.
    if (i == 0 && !e.safe && e.name.parts.size() > 1 && iequals(part, "SAFE"))
      out_ += "`" + part + "`";
    else if (e.name.parts.size() == 1 && lookup_keyword(part) != Keyword::None && !e.name.parts[0].quoted)
      out_ += part;  // IF(...), LEFT(...): keyword-named built-ins
    else
      out_ += quote_identifier(part);
  }
  out_ += '(';
  if (e.star) out_ += '*';
  if (e.distinct) out_ += "DISTINCT ";
  args(e.args);
  if (e.null_handling == NullHandling::IgnoreNulls) out_ += " IGNORE NULLS";
  if (e.null_handling == NullHandling::RespectNulls) out_ += " RESPECT NULLS";
  if (!e.order_by.empty()) {
    out_ += " ORDER BY ";
    order_by(e.order_by);
  }
  if (e.limit) {
    out_ += " LIMIT ";
    expr(*e.limit);
  }
  out_ += ')';
  if (e.over) {
    out_ += " OVER ";
    const WindowSpec& w = *e.over;
    bool named_only = w.partition_by.empty() && w.order_by.empty() && !w.frame && !w.base_window.empty();
    window_spec(w, !named_only);
  }
}

VISIONDB_INLINE void SqlPrinter::expr(const Expr& e) {
  switch (e.kind) {
    case ExprKind::Literal: literal(e.as<LiteralExpr>()); return;
    case ExprKind::ColumnRef: {
      const IdentifierPath& p = e.as<ColumnRefExpr>().path;
      // A column named like a niladic function keeps its quotes: `current_date`.
      const std::string& first = p.parts[0].name;
      if (iequals(first, "CURRENT_DATE") || iequals(first, "CURRENT_TIMESTAMP") ||
          iequals(first, "CURRENT_DATETIME") || iequals(first, "CURRENT_TIME")) {
        out_ += '`' + first + '`';
        for (size_t i = 1; i < p.parts.size(); ++i) {
          out_ += '.';
          ident(p.parts[i]);
        }
        return;
      }
      path(p);
      return;
    }
    case ExprKind::Parameter: {
      const auto& p = e.as<ParameterExpr>();
      if (p.parameter_kind == ParameterKind::Positional) {
        out_ += '?';
      } else {
        out_ += p.parameter_kind == ParameterKind::System ? "@@" : "@";
        out_ += p.parameter_kind == ParameterKind::System ? p.name : quote_identifier(p.name);
      }
      return;
    }
    case ExprKind::Unary: {
      const auto& u = e.as<UnaryExpr>();
      if (u.op == UnaryOp::Not) {
        out_ += "NOT ";
        operand(*u.operand, kPrecNot);
        return;
      }
      out_ += unary_op_name(u.op);
      // "- -1" must not become the comment "--1".
      int p = expr_precedence(*u.operand);
      if (p == kPrecUnary) {
        out_ += '(';
        expr(*u.operand);
        out_ += ')';
      } else {
        operand(*u.operand, kPrecUnary);
      }
      return;
    }
    case ExprKind::Binary: {
      const auto& b = e.as<BinaryExpr>();
      int p = binary_precedence(b.op);
      // Comparisons do not associate: parenthesise a comparison on either side.
      operand(*b.left, p == kPrecCompare ? p + 1 : p);
      out_ += ' ';
      out_ += binary_op_name(b.op);
      out_ += ' ';
      operand(*b.right, p + 1);
      return;
    }
    case ExprKind::Is: {
      const auto& i = e.as<IsExpr>();
      operand(*i.operand, kPrecCompare + 1);
      out_ += i.negated ? " IS NOT " : " IS ";
      out_ += i.test == IsTest::Null ? "NULL" : i.test == IsTest::True ? "TRUE" : "FALSE";
      return;
    }
    case ExprKind::Between: {
      const auto& b = e.as<BetweenExpr>();
      operand(*b.operand, kPrecCompare + 1);
      out_ += b.negated ? " NOT BETWEEN " : " BETWEEN ";
      operand(*b.low, kPrecCompare + 1);
      out_ += " AND ";
      operand(*b.high, kPrecCompare + 1);
      return;
    }
    case ExprKind::Like: {
      const auto& l = e.as<LikeExpr>();
      operand(*l.operand, kPrecCompare + 1);
      out_ += l.negated ? " NOT LIKE " : " LIKE ";
      operand(*l.pattern, kPrecCompare + 1);
      return;
    }
    case ExprKind::In: {
      const auto& in = e.as<InExpr>();
      operand(*in.operand, kPrecCompare + 1);
      out_ += in.negated ? " NOT IN " : " IN ";
      switch (in.in_kind) {
        case InKind::List: out_ += '('; expr_list(in.list); out_ += ')'; break;
        case InKind::Subquery: out_ += '('; query(*in.query); out_ += ')'; break;
        case InKind::Unnest: out_ += "UNNEST("; expr(*in.unnest_array); out_ += ')'; break;
      }
      return;
    }
    case ExprKind::Subquery: {
      const auto& s = e.as<SubqueryExpr>();
      if (s.subquery_kind == SubqueryKind::Array) out_ += "ARRAY";
      if (s.subquery_kind == SubqueryKind::Exists) out_ += "EXISTS";
      out_ += '(';
      query(*s.query);
      out_ += ')';
      return;
    }
    case ExprKind::Case: {
      const auto& c = e.as<CaseExpr>();
      out_ += "CASE";
      if (c.operand) {
        out_ += ' ';
        expr(*c.operand);
      }
      for (const CaseWhen& w : c.whens) {
        out_ += " WHEN ";
        expr(*w.condition);
        out_ += " THEN ";
        expr(*w.result);
      }
      if (c.else_result) {
        out_ += " ELSE ";
        expr(*c.else_result);
      }
      out_ += " END";
      return;
    }
    case ExprKind::Cast: {
      const auto& c = e.as<CastExpr>();
      out_ += c.safe ? "SAFE_CAST(" : "CAST(";
      expr(*c.operand);
      out_ += " AS ";
      type(c.type);
      if (c.format) {
        out_ += " FORMAT ";
        expr(*c.format);
        if (c.format_time_zone) {
          out_ += " AT TIME ZONE ";
          expr(*c.format_time_zone);
        }
      }
      out_ += ')';
      return;
    }
    case ExprKind::FunctionCall: call(e.as<FunctionCallExpr>()); return;
    case ExprKind::Extract: {
      const auto& x = e.as<ExtractExpr>();
      out_ += "EXTRACT(" + x.part;
      if (!x.part_argument.empty()) out_ += "(" + x.part_argument + ")";
      out_ += " FROM ";
      expr(*x.operand);
      if (x.time_zone) {
        out_ += " AT TIME ZONE ";
        expr(*x.time_zone);
      }
      out_ += ')';
      return;
    }
    case ExprKind::Interval: {
      const auto& i = e.as<IntervalExpr>();
      out_ += "INTERVAL ";
      operand(*i.value, kPrecUnary);
      out_ += ' ' + i.unit;
      if (!i.to_unit.empty()) out_ += " TO " + i.to_unit;
      return;
    }
    case ExprKind::Array: {
      const auto& a = e.as<ArrayExpr>();
      if (a.element_type) {
        out_ += "ARRAY<";
        type(*a.element_type);
        out_ += '>';
      }
      out_ += '[';
      expr_list(a.elements);
      out_ += ']';
      return;
    }
    case ExprKind::Struct: {
      const auto& s = e.as<StructExpr>();
      if (s.type)
        type(*s.type);
      else if (!s.tuple_syntax)
        out_ += "STRUCT";
      out_ += '(';
      for (size_t i = 0; i < s.fields.size(); ++i) {
        if (i) out_ += ", ";
        expr(*s.fields[i].value);
        alias(s.fields[i].alias);
      }
      out_ += ')';
      return;
    }
    case ExprKind::Subscript: {
      const auto& s = e.as<SubscriptExpr>();
      operand(*s.operand, kPrecPrimary);
      out_ += '[';
      const char* wrapper = nullptr;
      switch (s.subscript_kind) {
        case SubscriptKind::Index: break;
        case SubscriptKind::Offset: wrapper = "OFFSET"; break;
        case SubscriptKind::Ordinal: wrapper = "ORDINAL"; break;
        case SubscriptKind::SafeOffset: wrapper = "SAFE_OFFSET"; break;
        case SubscriptKind::SafeOrdinal: wrapper = "SAFE_ORDINAL"; break;
      }
      if (wrapper) {
        out_ += wrapper;
        out_ += '(';
        expr(*s.index);
        out_ += ')';
      } else {
        expr(*s.index);
      }
      out_ += ']';
      return;
    }
    case ExprKind::FieldAccess: {
      const auto& f = e.as<FieldAccessExpr>();
      // (s).a stays a field access of s, not the path s.a.
      bool wrap = f.operand->kind == ExprKind::ColumnRef || expr_precedence(*f.operand) < kPrecPrimary;
      if (wrap) out_ += '(';
      expr(*f.operand);
      if (wrap) out_ += ')';
      out_ += '.';
      ident(f.field);
      return;
    }
  }
}

VISIONDB_INLINE void SqlPrinter::type(const TypeName& t) {
  if (t.is_array()) {
    out_ += "ARRAY<";
    type(*t.element);
    out_ += '>';
    return;
  }
  if (t.name == "STRUCT") {
    out_ += "STRUCT<";
    for (size_t i = 0; i < t.fields.size(); ++i) {
      if (i) out_ += ", ";
      if (!t.fields[i].name.empty()) {
        ident(t.fields[i].name);
        out_ += ' ';
      }
      type(t.fields[i].type);
    }
    out_ += '>';
    return;
  }
  out_ += t.name;
  if (!t.parameters.empty()) {
    out_ += '(';
    for (size_t i = 0; i < t.parameters.size(); ++i) {
      if (i) out_ += ", ";
      out_ += std::to_string(t.parameters[i]);
    }
    out_ += ')';
  }
}

// ---- queries -----------------------------------------------------------------------------------

VISIONDB_INLINE void SqlPrinter::query_node(const QueryNode& q) {
  switch (q.kind) {
    case QueryNodeKind::Select: select(q.as<Select>()); return;
    case QueryNodeKind::SetOperation: set_operation(q.as<SetOperation>()); return;
    case QueryNodeKind::Query: query(q.as<Query>()); return;
  }
}

VISIONDB_INLINE void SqlPrinter::query(const Query& q) {
  if (!q.with.empty()) {
    out_ += q.recursive ? "WITH RECURSIVE " : "WITH ";
    for (size_t i = 0; i < q.with.size(); ++i) {
      if (i) out_ += ", ";
      ident(q.with[i].name);
      out_ += " AS (";
      query(*q.with[i].query);
      out_ += ')';
    }
    out_ += ' ';
  }
  if (q.body->kind == QueryNodeKind::Query) {
    out_ += '(';
    query(q.body->as<Query>());
    out_ += ')';
  } else {
    query_node(*q.body);
  }
  if (!q.order_by.empty()) {
    out_ += " ORDER BY ";
    order_by(q.order_by);
  }
  if (q.limit) {
    out_ += " LIMIT ";
    expr(*q.limit);
    if (q.offset) {
      out_ += " OFFSET ";
      expr(*q.offset);
    }
  }
}

VISIONDB_INLINE void SqlPrinter::set_operation(const SetOperation& s) {
  const char* op = s.op == SetOperator::Union ? " UNION " : s.op == SetOperator::Intersect ? " INTERSECT " : " EXCEPT ";
  for (size_t i = 0; i < s.inputs.size(); ++i) {
    if (i) {
      out_ += op;
      out_ += s.distinct ? "DISTINCT " : "ALL ";
    }
    const QueryNode& input = *s.inputs[i];
    bool wrap = input.kind != QueryNodeKind::Select;
    if (wrap) out_ += '(';
    query_node(input);
    if (wrap) out_ += ')';
  }
}

VISIONDB_INLINE void SqlPrinter::select_item(const SelectItem& item) {
  switch (item.kind) {
    case SelectItemKind::Expr:
      expr(*item.expr);
      alias(item.alias);
      return;
    case SelectItemKind::DotStar: operand(*item.expr, kPrecPrimary); out_ += ".*"; break;
    case SelectItemKind::Star: out_ += '*'; break;
  }
  if (!item.except_columns.empty()) {
    out_ += " EXCEPT ";
    identifier_list(item.except_columns);
  }
  if (!item.replacements.empty()) {
    out_ += " REPLACE (";
    for (size_t i = 0; i < item.replacements.size(); ++i) {
      if (i) out_ += ", ";
      expr(*item.replacements[i].expr);
      out_ += " AS ";
      ident(item.replacements[i].column);
    }
    out_ += ')';
  }
}

VISIONDB_INLINE void SqlPrinter::select(const Select& s) {
  out_ += "SELECT ";
  if (s.distinct) out_ += "DISTINCT ";
  if (s.select_as == SelectAs::Struct) out_ += "AS STRUCT ";
  if (s.select_as == SelectAs::Value) out_ += "AS VALUE ";
  for (size_t i = 0; i < s.items.size(); ++i) {
    if (i) out_ += ", ";
    select_item(s.items[i]);
  }
  if (s.from) {
    out_ += " FROM ";
    table_ref(*s.from);
  }
  if (s.where) {
    out_ += " WHERE ";
    expr(*s.where);
  }
  if (s.group_by) {
    out_ += " GROUP BY ";
    switch (s.group_by->kind) {
      case GroupByKind::All: out_ += "ALL"; break;
      case GroupByKind::Expressions: expr_list(s.group_by->items); break;
      case GroupByKind::Rollup: out_ += "ROLLUP("; expr_list(s.group_by->items); out_ += ')'; break;
      case GroupByKind::Cube: out_ += "CUBE("; expr_list(s.group_by->items); out_ += ')'; break;
    }
  }
  if (s.having) {
    out_ += " HAVING ";
    expr(*s.having);
  }
  if (s.qualify) {
    out_ += " QUALIFY ";
    expr(*s.qualify);
  }
  for (size_t i = 0; i < s.windows.size(); ++i) {
    out_ += i ? ", " : " WINDOW ";
    ident(s.windows[i].name);
    out_ += " AS ";
    const WindowSpec& w = s.windows[i].spec;
    bool alias_only = w.partition_by.empty() && w.order_by.empty() && !w.frame && !w.base_window.empty();
    window_spec(w, !alias_only);
  }
}

VISIONDB_INLINE void SqlPrinter::table_ref(const TableRef& t) {
  switch (t.kind) {
    case TableRefKind::Named: path(t.as<NamedTableRef>().name); break;
    case TableRefKind::Subquery:
      out_ += '(';
      query(*t.as<SubqueryTableRef>().query);
      out_ += ')';
      break;
    case TableRefKind::Unnest: {
      const auto& u = t.as<UnnestTableRef>();
      out_ += "UNNEST(";
      expr(*u.array);
      out_ += ')';
      alias(u.alias);
      if (u.with_offset) {
        out_ += " WITH OFFSET";
        alias(u.offset_alias);
      }
      return;
    }
    case TableRefKind::TableFunction: {
      const auto& f = t.as<TableFunctionRef>();
      path(f.name);
      out_ += '(';
      args(f.args);
      out_ += ')';
      break;
    }
    case TableRefKind::Join: {
      const auto& j = t.as<JoinTableRef>();
      table_ref(*j.left);
      switch (j.join_kind) {
        case JoinKind::Comma: out_ += ", "; break;
        case JoinKind::Cross: out_ += " CROSS JOIN "; break;
        case JoinKind::Inner: out_ += " JOIN "; break;
        case JoinKind::Left: out_ += " LEFT JOIN "; break;
        case JoinKind::Right: out_ += " RIGHT JOIN "; break;
        case JoinKind::Full: out_ += " FULL JOIN "; break;
      }
      bool wrap = j.right->kind == TableRefKind::Join;
      if (wrap) out_ += '(';
      table_ref(*j.right);
      if (wrap) out_ += ')';
      if (j.on) {
        out_ += " ON ";
        expr(*j.on);
      }
      if (!j.using_columns.empty()) {
        out_ += " USING ";
        identifier_list(j.using_columns);
      }
      return;
    }
  }
  alias(t.alias);
}

// ---- statements --------------------------------------------------------------------------------

VISIONDB_INLINE void SqlPrinter::identifier_list(const std::vector<Identifier>& names) {
  out_ += '(';
  for (size_t i = 0; i < names.size(); ++i) {
    if (i) out_ += ", ";
    ident(names[i]);
  }
  out_ += ')';
}

VISIONDB_INLINE void SqlPrinter::option_entries(const OptionList& list) {
  out_ += '(';
  for (size_t i = 0; i < list.size(); ++i) {
    if (i) out_ += ", ";
    ident(list[i].name);
    out_ += " = ";
    expr(*list[i].value);
  }
  out_ += ')';
}

VISIONDB_INLINE void SqlPrinter::options(const OptionList& list) {
  if (list.empty()) return;
  out_ += " OPTIONS";
  option_entries(list);
}

VISIONDB_INLINE void SqlPrinter::column_defs(const std::vector<ColumnDef>& columns) {
  if (columns.empty()) return;
  out_ += " (";
  for (size_t i = 0; i < columns.size(); ++i) {
    if (i) out_ += ", ";
    ident(columns[i].name);
    out_ += ' ';
    type(columns[i].type);
    if (columns[i].not_null) out_ += " NOT NULL";
    options(columns[i].options);
  }
  out_ += ')';
}

VISIONDB_INLINE void SqlPrinter::create_prefix(const char* object, const CreateFlags& flags,
                                               const IdentifierPath& name) {
  out_ += "CREATE ";
  if (flags.or_replace) out_ += "OR REPLACE ";
  if (flags.temporary) out_ += "TEMP ";
  out_ += object;
  out_ += ' ';
  if (flags.if_not_exists) out_ += "IF NOT EXISTS ";
  path(name);
}

VISIONDB_INLINE void SqlPrinter::statement(const Statement& s) {
  switch (s.kind) {
    case StatementKind::Query: query(*s.as<QueryStatement>().query); return;
    case StatementKind::Explain: {
      const auto& e = s.as<ExplainStatement>();
      out_ += e.analyze ? "EXPLAIN ANALYZE " : "EXPLAIN ";
      statement(*e.statement);
      return;
    }
    case StatementKind::CreateTable: {
      const auto& c = s.as<CreateTableStatement>();
      create_prefix("TABLE", c.flags, c.name);
      column_defs(c.columns);
      options(c.options);
      if (c.as_query) {
        out_ += " AS ";
        query(*c.as_query);
      }
      return;
    }
    case StatementKind::CreateExternalTable: {
      const auto& c = s.as<CreateExternalTableStatement>();
      create_prefix("EXTERNAL TABLE", c.flags, c.name);
      column_defs(c.columns);
      if (!c.connection.empty()) {
        out_ += " WITH CONNECTION ";
        if (c.connection.parts.size() == 1 && c.connection.parts[0].name == "DEFAULT" && !c.connection.parts[0].quoted)
          out_ += "DEFAULT";
        else
          path(c.connection);
      }
      options(c.options);
      return;
    }
    case StatementKind::CreateSchema: {
      const auto& c = s.as<CreateSchemaStatement>();
      create_prefix("SCHEMA", c.flags, c.name);
      options(c.options);
      return;
    }
    case StatementKind::CreateModel: {
      const auto& c = s.as<CreateModelStatement>();
      create_prefix("MODEL", c.flags, c.name);
      if (!c.transform.empty()) {
        out_ += " TRANSFORM(";
        for (size_t i = 0; i < c.transform.size(); ++i) {
          if (i) out_ += ", ";
          select_item(c.transform[i]);
        }
        out_ += ')';
      }
      options(c.options);
      if (c.as_query) {
        out_ += " AS ";
        query(*c.as_query);
      }
      return;
    }
    case StatementKind::CreateFunction: {
      const auto& c = s.as<CreateFunctionStatement>();
      create_prefix("FUNCTION", c.flags, c.name);
      out_ += '(';
      for (size_t i = 0; i < c.params.size(); ++i) {
        if (i) out_ += ", ";
        ident(c.params[i].name);
        out_ += ' ';
        type(c.params[i].type);
      }
      out_ += ')';
      if (c.returns) {
        out_ += " RETURNS ";
        type(*c.returns);
      }
      out_ += " AS (";
      expr(*c.body);
      out_ += ')';
      options(c.options);
      return;
    }
    case StatementKind::CreateView: {
      const auto& c = s.as<CreateViewStatement>();
      create_prefix("VIEW", c.flags, c.name);
      if (!c.columns.empty()) {
        out_ += ' ';
        identifier_list(c.columns);
      }
      options(c.options);
      out_ += " AS ";
      query(*c.query);
      return;
    }
    case StatementKind::Insert: {
      const auto& i = s.as<InsertStatement>();
      out_ += "INSERT INTO ";
      path(i.table);
      if (!i.columns.empty()) {
        out_ += ' ';
        identifier_list(i.columns);
      }
      if (i.query) {
        out_ += ' ';
        query(*i.query);
        return;
      }
      out_ += " VALUES ";
      for (size_t r = 0; r < i.values.size(); ++r) {
        if (r) out_ += ", ";
        out_ += '(';
        expr_list(i.values[r]);
        out_ += ')';
      }
      return;
    }
    case StatementKind::Delete: {
      const auto& d = s.as<DeleteStatement>();
      out_ += "DELETE FROM ";
      path(d.table);
      alias(d.alias);
      out_ += " WHERE ";
      expr(*d.where);
      return;
    }
    case StatementKind::Update: {
      const auto& u = s.as<UpdateStatement>();
      out_ += "UPDATE ";
      path(u.table);
      alias(u.alias);
      out_ += " SET ";
      for (size_t i = 0; i < u.assignments.size(); ++i) {
        if (i) out_ += ", ";
        path(u.assignments[i].target);
        out_ += " = ";
        expr(*u.assignments[i].value);
      }
      if (u.from) {
        out_ += " FROM ";
        table_ref(*u.from);
      }
      out_ += " WHERE ";
      expr(*u.where);
      return;
    }
    case StatementKind::Truncate:
      out_ += "TRUNCATE TABLE ";
      path(s.as<TruncateStatement>().table);
      return;
    case StatementKind::Drop: {
      const auto& d = s.as<DropStatement>();
      static constexpr const char* kObjects[] = {"TABLE", "EXTERNAL TABLE", "SCHEMA", "MODEL", "FUNCTION", "VIEW"};
      out_ += "DROP ";
      out_ += kObjects[static_cast<int>(d.object)];
      out_ += d.if_exists ? " IF EXISTS " : " ";
      path(d.name);
      if (d.cascade) out_ += " CASCADE";
      if (d.restrict) out_ += " RESTRICT";
      return;
    }
    case StatementKind::LoadData: {
      const auto& l = s.as<LoadDataStatement>();
      out_ += l.overwrite ? "LOAD DATA OVERWRITE " : "LOAD DATA INTO ";
      if (l.temporary) out_ += "TEMP TABLE ";
      path(l.table);
      column_defs(l.columns);
      options(l.options);
      out_ += " FROM FILES";
      option_entries(l.from_files);
      if (!l.connection.empty()) {
        out_ += " WITH CONNECTION ";
        path(l.connection);
      }
      return;
    }
    case StatementKind::ExportData: {
      const auto& x = s.as<ExportDataStatement>();
      out_ += "EXPORT DATA";
      if (!x.connection.empty()) {
        out_ += " WITH CONNECTION ";
        path(x.connection);
      }
      options(x.options);
      out_ += " AS ";
      query(*x.query);
      return;
    }
    case StatementKind::Set: {
      const auto& st = s.as<SetStatement>();
      out_ += "SET ";
      if (st.system_variable) {
        out_ += "@@";
        out_ += st.target.to_string();
      } else {
        path(st.target);
      }
      out_ += " = ";
      expr(*st.value);
      return;
    }
    case StatementKind::Declare: {
      const auto& d = s.as<DeclareStatement>();
      out_ += "DECLARE ";
      for (size_t i = 0; i < d.names.size(); ++i) {
        if (i) out_ += ", ";
        ident(d.names[i]);
      }
      if (d.type) {
        out_ += ' ';
        type(*d.type);
      }
      if (d.default_value) {
        out_ += " DEFAULT ";
        expr(*d.default_value);
      }
      return;
    }
  }
}

inline void escape_into(std::string& out, std::string_view value, bool bytes) {
  const char* hex = "0123456789abcdef";
  for (char c : value) {
    auto u = static_cast<unsigned char>(c);
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '\'': out += "\\'"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (u < 0x20 || u == 0x7F || (bytes && u >= 0x80)) {
          out += "\\x";
          out += hex[u >> 4];
          out += hex[u & 15];
        } else {
          out += c;
        }
    }
  }
}

}  // namespace detail

VISIONDB_INLINE std::string quote_identifier(std::string_view name) {
  bool plain = !name.empty() && detail::is_ident_start(name[0]);
  for (char c : name) plain = plain && detail::is_ident_char(c);
  if (plain && lookup_keyword(name) != Keyword::None) plain = false;
  if (plain) return std::string(name);
  std::string out = "`";
  for (char c : name) {
    if (c == '`' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "`";
}

VISIONDB_INLINE std::string quote_string(std::string_view value) {
  std::string out = "'";
  detail::escape_into(out, value, false);
  return out + "'";
}

VISIONDB_INLINE std::string quote_bytes(std::string_view value) {
  std::string out = "b'";
  detail::escape_into(out, value, true);
  return out + "'";
}

VISIONDB_INLINE std::string to_sql(const Statement& statement, const PrintOptions& options) {
  detail::SqlPrinter p(options);
  p.statement(statement);
  return p.take();
}

VISIONDB_INLINE std::string to_sql(const QueryNode& query, const PrintOptions& options) {
  detail::SqlPrinter p(options);
  p.query_node(query);
  return p.take();
}

VISIONDB_INLINE std::string to_sql(const Expr& expr, const PrintOptions& options) {
  detail::SqlPrinter p(options);
  p.expr(expr);
  return p.take();
}

VISIONDB_INLINE std::string to_sql(const TableRef& table, const PrintOptions& options) {
  detail::SqlPrinter p(options);
  p.table_ref(table);
  return p.take();
}

VISIONDB_INLINE std::string to_sql(const TypeName& type) {
  PrintOptions options;
  detail::SqlPrinter p(options);
  p.type(type);
  return p.take();
}

}  // namespace visiondb::sql
