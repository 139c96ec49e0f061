// Operator binding strengths, shared by the parser and the printer.
#pragma once

namespace visiondb::sql::detail {

/// Binding strengths of BigQuery's operators, loosest first [BigQuery "Operator precedence"].
enum Precedence : int {
  kPrecNone = 0,
  kPrecOr,       // OR
  kPrecAnd,      // AND
  kPrecNot,      // unary NOT
  kPrecCompare,  // = != < > <= >= [NOT] LIKE [NOT] BETWEEN [NOT] IN IS [NOT] ... (non-associative)
  kPrecBitOr,    // |
  kPrecBitXor,   // ^
  kPrecBitAnd,   // &
  kPrecShift,    // << >>
  kPrecAdd,      // + -
  kPrecMul,      // * / ||
  kPrecUnary,    // unary - + ~
  kPrecPrimary,  // literals, names, calls, subscripts, field access, parenthesised forms
};

}  // namespace visiondb::sql::detail
