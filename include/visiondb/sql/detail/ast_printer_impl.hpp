// Out-of-line parts of ast_printer.hpp: the SqlPrinter class and the public functions. Its member
// functions are in ast_printer_expr_impl.hpp (expressions, types) and ast_printer_query_impl.hpp
// (queries, FROM items, statements).
#pragma once

#include <charconv>
#include <cmath>
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

inline bool is_numeric_literal(const Expr& e) noexcept {
  const auto* lit = e.as_if<LiteralExpr>();
  return lit && (lit->literal_kind == LiteralKind::Int64 || lit->literal_kind == LiteralKind::Float64);
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

#include "visiondb/sql/detail/ast_printer_expr_impl.hpp"
#include "visiondb/sql/detail/ast_printer_query_impl.hpp"
