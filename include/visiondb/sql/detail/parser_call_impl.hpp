// Parser rules for function calls (aggregate modifiers, named and MODEL/TABLE arguments), OVER
// clauses and window frames, and type names.
#pragma once

#include "visiondb/sql/detail/char_class.hpp"
#include "visiondb/sql/detail/parser_impl.hpp"

namespace visiondb::sql::detail {

// ---- calls and windows -------------------------------------------------------------------------

VISIONDB_INLINE ExprPtr Parser::parse_function_call(IdentifierPath name, uint32_t start) {
  auto call = std::make_unique<FunctionCallExpr>();
  if (name.parts.size() >= 2 && !name.parts[0].quoted && iequals(name.parts[0].name, "SAFE")) {
    call->safe = true;
    name.parts.erase(name.parts.begin());
    name.span = SourceSpan{name.parts[0].span.offset, name.span.offset + name.span.length - name.parts[0].span.offset};
  }
  call->name = std::move(name);
  expect(TokenKind::LParen);
  if (at(TokenKind::Star) && peek(1).is(TokenKind::RParen)) {
    advance();
    call->star = true;
  } else if (!at(TokenKind::RParen)) {
    call->distinct = accept(Keyword::Distinct);
    call->args = parse_function_args(call.get());
  }
  expect(TokenKind::RParen);
  if (at(Keyword::Over)) call->over = parse_over_clause();
  call->span = span_from(start);
  return call;
}

VISIONDB_INLINE std::vector<FunctionArg> Parser::parse_function_args(FunctionCallExpr* call) {
  std::vector<FunctionArg> args;
  args.push_back(parse_function_arg());
  while (accept(TokenKind::Comma)) args.push_back(parse_function_arg());
  if (call) {
    // Aggregate modifiers, in BigQuery's order: {IGNORE|RESPECT} NULLS, ORDER BY, LIMIT.
    if (at(Keyword::Ignore) || at(Keyword::Respect)) {
      call->null_handling = advance().is(Keyword::Ignore) ? NullHandling::IgnoreNulls : NullHandling::RespectNulls;
      expect(Keyword::Nulls);
    }
    if (accept(Keyword::Order)) {
      expect(Keyword::By);
      call->order_by = parse_order_by_list();
    }
    if (accept(Keyword::Limit)) call->limit = parse_expr();
  }
  return args;
}

VISIONDB_INLINE FunctionArg Parser::parse_function_arg() {
  FunctionArg arg;
  uint32_t start = start_offset();
  if (at_identifier() && peek(1).is(TokenKind::Arrow)) {
    arg.name = parse_identifier();
    advance();
  }
  if ((at_word("MODEL") || at_word("TABLE")) && peek(1).is(TokenKind::Identifier)) {
    arg.kind = at_word("MODEL") ? FunctionArgKind::Model : FunctionArgKind::Table;
    advance();
    arg.object = parse_path(arg.kind == FunctionArgKind::Model ? "model name" : "table name");
  } else {
    arg.expr = parse_expr();
  }
  arg.span = span_from(start);
  return arg;
}

VISIONDB_INLINE std::unique_ptr<WindowSpec> Parser::parse_over_clause() {
  expect(Keyword::Over);
  auto spec = std::make_unique<WindowSpec>();
  if (at_identifier()) {
    spec->base_window = parse_identifier();
    spec->span = spec->base_window.span;
    return spec;
  }
  *spec = parse_window_spec();
  return spec;
}

VISIONDB_INLINE WindowSpec Parser::parse_window_spec() {
  DepthGuard guard(*this);
  WindowSpec spec;
  uint32_t start = start_offset();
  expect(TokenKind::LParen);
  if (at_identifier()) spec.base_window = parse_identifier();
  if (accept(Keyword::Partition)) {
    expect(Keyword::By);
    spec.partition_by = parse_expr_list();
  }
  if (accept(Keyword::Order)) {
    expect(Keyword::By);
    spec.order_by = parse_order_by_list();
  }
  if (at(Keyword::Rows) || at(Keyword::Range)) {
    auto frame = std::make_unique<WindowFrame>();
    uint32_t frame_start = start_offset();
    frame->unit = advance().is(Keyword::Rows) ? FrameUnit::Rows : FrameUnit::Range;
    if (accept(Keyword::Between)) {
      frame->start = parse_frame_bound();
      expect(Keyword::And);
      frame->end = parse_frame_bound();
    } else {
      frame->between = false;
      frame->start = parse_frame_bound();
      frame->end.kind = FrameBoundKind::CurrentRow;
    }
    frame->span = span_from(frame_start);
    spec.frame = std::move(frame);
  }
  expect(TokenKind::RParen);
  spec.span = span_from(start);
  return spec;
}

VISIONDB_INLINE FrameBound Parser::parse_frame_bound() {
  FrameBound bound;
  uint32_t start = start_offset();
  if (accept(Keyword::Unbounded)) {
    if (accept(Keyword::Preceding))
      bound.kind = FrameBoundKind::UnboundedPreceding;
    else if (accept(Keyword::Following))
      bound.kind = FrameBoundKind::UnboundedFollowing;
    else
      fail_expected("PRECEDING or FOLLOWING");
  } else if (accept(Keyword::Current)) {
    expect_word("ROW");
    bound.kind = FrameBoundKind::CurrentRow;
  } else {
    bound.offset = parse_expr(kPrecCompare + 1);
    if (accept(Keyword::Preceding))
      bound.kind = FrameBoundKind::Preceding;
    else if (accept(Keyword::Following))
      bound.kind = FrameBoundKind::Following;
    else
      fail_expected("PRECEDING or FOLLOWING");
  }
  bound.span = span_from(start);
  return bound;
}

// ---- types -------------------------------------------------------------------------------------

VISIONDB_INLINE TypeName Parser::parse_type() {
  DepthGuard guard(*this);
  TypeName type;
  uint32_t start = start_offset();
  if (accept(Keyword::Array)) {
    type.name = "ARRAY";
    if (!at(TokenKind::Less)) fail_expected("\"<\" after ARRAY");
    advance();
    type.element = std::make_unique<TypeName>(parse_type());
    expect_closing_angle();
  } else if (accept(Keyword::Struct)) {
    type.name = "STRUCT";
    if (accept(TokenKind::NotEqual)) {  // STRUCT<>: the lexer read "<>" as one token
      type.span = span_from(start);
      return type;
    }
    if (!at(TokenKind::Less)) fail_expected("\"<\" after STRUCT");
    advance();
    if (!at(TokenKind::Greater) && !at(TokenKind::ShiftRight)) {
      do {
        TypeField field;
        // A field is named when a type follows the identifier: STRUCT<a INT64> vs STRUCT<INT64>.
        const Token& next = peek(1);
        if (at_identifier() && (next.is(TokenKind::Identifier) || next.is(Keyword::Array) ||
                                next.is(Keyword::Struct) || next.is(Keyword::Interval) || next.is(Keyword::Any)))
          field.name = parse_identifier();
        field.type = parse_type();
        type.fields.push_back(std::move(field));
      } while (accept(TokenKind::Comma));
    }
    expect_closing_angle();
  } else if (at(Keyword::Any) && peek(1).is_word("TYPE")) {
    advance();
    advance();
    type.name = "ANY TYPE";
  } else if (accept(Keyword::Interval)) {
    type.name = "INTERVAL";
  } else if (at_identifier() && !peek().quoted) {
    type.name = parse_word("type name");
    if (accept(TokenKind::LParen)) {
      // Parameterised types: STRING(10), BYTES(5), NUMERIC(10, 2).
      do {
        if (!at(TokenKind::IntegerLiteral)) fail_expected("type parameter (an integer)");
        type.parameters.push_back(parse_integer_token(advance(), false));
      } while (accept(TokenKind::Comma));
      expect(TokenKind::RParen);
    }
  } else {
    fail_expected("type name");
  }
  type.span = span_from(start);
  return type;
}

}  // namespace visiondb::sql::detail
