// SqlPrinter: expressions and types, with the fewest parentheses that keep the tree.
#pragma once

#include <charconv>
#include <cmath>
#include <string>

#include "visiondb/sql/detail/ast_printer_impl.hpp"

namespace visiondb::sql::detail {

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
      if (expr_precedence(*u.operand) == kPrecUnary) {
        // "- -x", not the comment "--x"; no parentheses, so that the nesting depth stays the same.
        out_ += ' ';
        expr(*u.operand);
      } else if (u.op == UnaryOp::Minus && is_numeric_literal(*u.operand)) {
        // -(1) must not become the literal -1.
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
      // (s).a stays a field access of s, not the path s.a; (1).a must not lex as "1." "a".
      // @@a.b is one system variable: (@@a).b keeps the field access.
      const auto* param = f.operand->as_if<ParameterExpr>();
      bool wrap = f.operand->kind == ExprKind::ColumnRef || is_numeric_literal(*f.operand) ||
                  (param && param->parameter_kind == ParameterKind::System) ||
                  expr_precedence(*f.operand) < kPrecPrimary;
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

}  // namespace visiondb::sql::detail
