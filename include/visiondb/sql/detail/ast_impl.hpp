// Out-of-line parts of ast_expr.hpp and ast_query.hpp.
#pragma once

#include "visiondb/sql/detail/char_class.hpp"
#include "visiondb/sql/ast_query.hpp"
#include "visiondb/sql/token.hpp"

namespace visiondb::sql {

namespace detail {
inline std::string upper_path(const IdentifierPath& path) {
  std::string out;
  for (size_t i = 0; i < path.parts.size(); ++i) {
    if (i) out += '.';
    for (char c : path.parts[i].name) out += ascii_upper(c);
  }
  return out;
}
}  // namespace detail

VISIONDB_INLINE std::string FunctionCallExpr::upper_name() const { return detail::upper_path(name); }
VISIONDB_INLINE std::string TableFunctionRef::upper_name() const { return detail::upper_path(name); }

VISIONDB_INLINE std::string_view binary_op_name(BinaryOp op) noexcept {
  switch (op) {
    case BinaryOp::Multiply: return "*";
    case BinaryOp::Divide: return "/";
    case BinaryOp::Concat: return "||";
    case BinaryOp::Add: return "+";
    case BinaryOp::Subtract: return "-";
    case BinaryOp::ShiftLeft: return "<<";
    case BinaryOp::ShiftRight: return ">>";
    case BinaryOp::BitwiseAnd: return "&";
    case BinaryOp::BitwiseXor: return "^";
    case BinaryOp::BitwiseOr: return "|";
    case BinaryOp::Equal: return "=";
    case BinaryOp::NotEqual: return "!=";
    case BinaryOp::Less: return "<";
    case BinaryOp::LessEqual: return "<=";
    case BinaryOp::Greater: return ">";
    case BinaryOp::GreaterEqual: return ">=";
    case BinaryOp::IsDistinctFrom: return "IS DISTINCT FROM";
    case BinaryOp::IsNotDistinctFrom: return "IS NOT DISTINCT FROM";
    case BinaryOp::And: return "AND";
    case BinaryOp::Or: return "OR";
  }
  return "?";
}

VISIONDB_INLINE std::string_view unary_op_name(UnaryOp op) noexcept {
  switch (op) {
    case UnaryOp::Minus: return "-";
    case UnaryOp::Plus: return "+";
    case UnaryOp::Not: return "NOT";
    case UnaryOp::BitwiseNot: return "~";
  }
  return "?";
}

}  // namespace visiondb::sql
