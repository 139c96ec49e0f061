// Parser rules for expressions: precedence climbing, postfix forms, primaries and special forms.
#pragma once

#include <charconv>
#include <cmath>

#include "visiondb/sql/detail/parser_impl.hpp"

namespace visiondb::sql::detail {

template <class T>
inline std::unique_ptr<T> make_node(SourceSpan span) {
  auto node = std::make_unique<T>();
  node->span = span;
  return node;
}

// Words that start a typed literal when a string literal follows: DATE '2024-01-01'.
inline bool typed_literal_kind(const Token& t, LiteralKind& kind) {
  if (t.kind != TokenKind::Identifier || t.quoted) return false;
  static constexpr std::pair<std::string_view, LiteralKind> kWords[] = {
      {"DATE", LiteralKind::Date},           {"TIME", LiteralKind::Time},
      {"DATETIME", LiteralKind::Datetime},   {"TIMESTAMP", LiteralKind::Timestamp},
      {"NUMERIC", LiteralKind::Numeric},     {"DECIMAL", LiteralKind::Numeric},
      {"BIGNUMERIC", LiteralKind::BigNumeric}, {"BIGDECIMAL", LiteralKind::BigNumeric},
      {"JSON", LiteralKind::Json},
  };
  for (const auto& [word, k] : kWords)
    if (iequals(t.value, word)) {
      kind = k;
      return true;
    }
  return false;
}

// Reserved keywords that BigQuery also uses as function names: IF(...), LEFT(...), ...
inline bool is_keyword_function(Keyword k) {
  return k == Keyword::If || k == Keyword::Left || k == Keyword::Right || k == Keyword::Grouping ||
         k == Keyword::Range || k == Keyword::Collate || k == Keyword::Hash;
}

// Niladic date/time functions callable without parentheses.
inline bool is_niladic_function(const Token& t) {
  return t.kind == TokenKind::Identifier && !t.quoted &&
         (iequals(t.value, "CURRENT_DATE") || iequals(t.value, "CURRENT_TIMESTAMP") ||
          iequals(t.value, "CURRENT_DATETIME") || iequals(t.value, "CURRENT_TIME"));
}

// ---- precedence climbing -----------------------------------------------------------------------

VISIONDB_INLINE int Parser::infix_precedence() const noexcept {
  const Token& t = peek();
  switch (t.kind) {
    case TokenKind::Star: case TokenKind::Slash: case TokenKind::Concat: return kPrecMul;
    case TokenKind::Plus: case TokenKind::Minus: return kPrecAdd;
    case TokenKind::ShiftLeft: case TokenKind::ShiftRight: return kPrecShift;
    case TokenKind::Ampersand: return kPrecBitAnd;
    case TokenKind::Caret: return kPrecBitXor;
    case TokenKind::Pipe: return kPrecBitOr;
    case TokenKind::Equal: case TokenKind::NotEqual: case TokenKind::Less: case TokenKind::LessEqual:
    case TokenKind::Greater: case TokenKind::GreaterEqual: return kPrecCompare;
    case TokenKind::Keyword:
      switch (t.keyword) {
        case Keyword::And: return kPrecAnd;
        case Keyword::Or: return kPrecOr;
        case Keyword::Like: case Keyword::In: case Keyword::Between: case Keyword::Is: return kPrecCompare;
        case Keyword::Not: {
          const Token& n = peek(1);
          return n.is(Keyword::Like) || n.is(Keyword::In) || n.is(Keyword::Between) ? kPrecCompare : kPrecNone;
        }
        default: return kPrecNone;
      }
    default: return kPrecNone;
  }
}

VISIONDB_INLINE ExprPtr Parser::parse_expr(int min_precedence) {
  DepthGuard guard(*this);
  ExprPtr left = parse_prefix(min_precedence);
  bool last_was_comparison = false;
  for (;;) {
    int precedence = infix_precedence();
    if (precedence == kPrecNone || precedence < min_precedence) return left;
    if (precedence == kPrecCompare && last_was_comparison)
      fail_at(peek(), "comparison operators are not associative; add parentheses");
    // Each operator of a chain deepens the (left-deep) tree: count it against the depth limit.
    enter_depth();
    left = parse_infix(std::move(left), precedence);
    last_was_comparison = precedence == kPrecCompare;
  }
}

VISIONDB_INLINE ExprPtr Parser::parse_prefix(int min_precedence) {
  uint32_t start = start_offset();
  if (at(Keyword::Not)) {
    if (min_precedence > kPrecNot) fail_at(peek(), "expected an operand (put NOT ... in parentheses)");
    advance();
    auto node = std::make_unique<UnaryExpr>();
    node->op = UnaryOp::Not;
    node->operand = parse_expr(kPrecNot);
    node->span = span_from(start);
    return node;
  }
  if (at(TokenKind::Minus) || at(TokenKind::Plus) || at(TokenKind::Tilde)) {
    TokenKind op = advance().kind;
    // -9223372036854775808 is one literal; but in -2[OFFSET(0)] the subscript binds first.
    bool postfix_follows = peek(1).is(TokenKind::LBracket) || peek(1).is(TokenKind::Dot);
    if (op == TokenKind::Minus && (at(TokenKind::IntegerLiteral) || at(TokenKind::FloatLiteral)) && !postfix_follows)
      return parse_number_literal(true, start);
    auto node = std::make_unique<UnaryExpr>();
    node->op = op == TokenKind::Minus ? UnaryOp::Minus : op == TokenKind::Plus ? UnaryOp::Plus : UnaryOp::BitwiseNot;
    node->operand = parse_expr(kPrecUnary);
    node->span = span_from(start);
    return node;
  }
  return parse_postfix(parse_primary());
}

VISIONDB_INLINE ExprPtr Parser::parse_infix(ExprPtr left, int precedence) {
  uint32_t start = left->span.offset;
  const Token& op = peek();
  if (op.kind == TokenKind::Keyword) {
    bool negated = false;
    switch (op.keyword) {
      case Keyword::Is: {
        advance();
        auto node = std::make_unique<IsExpr>();
        node->negated = accept(Keyword::Not);
        if (accept(Keyword::Distinct)) {
          expect(Keyword::From);
          auto bin = std::make_unique<BinaryExpr>();
          bin->op = node->negated ? BinaryOp::IsNotDistinctFrom : BinaryOp::IsDistinctFrom;
          bin->left = std::move(left);
          bin->right = parse_expr(kPrecCompare + 1);
          bin->span = span_from(start);
          return bin;
        }
        if (accept(Keyword::Null))
          node->test = IsTest::Null;
        else if (accept(Keyword::True))
          node->test = IsTest::True;
        else if (accept(Keyword::False))
          node->test = IsTest::False;
        else
          fail_expected("NULL, TRUE, FALSE or DISTINCT FROM");
        node->operand = std::move(left);
        node->span = span_from(start);
        return node;
      }
      case Keyword::Not:
        advance();
        negated = true;
        break;
      default: break;
    }
    const Token& kw = peek();
    if (kw.is(Keyword::Like)) {
      advance();
      auto node = std::make_unique<LikeExpr>();
      node->negated = negated;
      node->operand = std::move(left);
      node->pattern = parse_expr(kPrecCompare + 1);
      node->span = span_from(start);
      return node;
    }
    if (kw.is(Keyword::Between)) {
      advance();
      auto node = std::make_unique<BetweenExpr>();
      node->negated = negated;
      node->operand = std::move(left);
      node->low = parse_expr(kPrecCompare + 1);
      expect(Keyword::And);
      node->high = parse_expr(kPrecCompare + 1);
      node->span = span_from(start);
      return node;
    }
    if (kw.is(Keyword::In)) {
      advance();
      return parse_in_rhs(std::move(left), negated, start);
    }
    if (kw.is(Keyword::And) || kw.is(Keyword::Or)) {
      advance();
      auto node = std::make_unique<BinaryExpr>();
      node->op = kw.is(Keyword::And) ? BinaryOp::And : BinaryOp::Or;
      node->left = std::move(left);
      node->right = parse_expr(precedence + 1);
      node->span = span_from(start);
      return node;
    }
    fail_expected("LIKE, BETWEEN or IN");
  }
  BinaryOp bop = BinaryOp::Add;
  switch (op.kind) {
    case TokenKind::Star: bop = BinaryOp::Multiply; break;
    case TokenKind::Slash: bop = BinaryOp::Divide; break;
    case TokenKind::Concat: bop = BinaryOp::Concat; break;
    case TokenKind::Plus: bop = BinaryOp::Add; break;
    case TokenKind::Minus: bop = BinaryOp::Subtract; break;
    case TokenKind::ShiftLeft: bop = BinaryOp::ShiftLeft; break;
    case TokenKind::ShiftRight: bop = BinaryOp::ShiftRight; break;
    case TokenKind::Ampersand: bop = BinaryOp::BitwiseAnd; break;
    case TokenKind::Caret: bop = BinaryOp::BitwiseXor; break;
    case TokenKind::Pipe: bop = BinaryOp::BitwiseOr; break;
    case TokenKind::Equal: bop = BinaryOp::Equal; break;
    case TokenKind::NotEqual: bop = BinaryOp::NotEqual; break;
    case TokenKind::Less: bop = BinaryOp::Less; break;
    case TokenKind::LessEqual: bop = BinaryOp::LessEqual; break;
    case TokenKind::Greater: bop = BinaryOp::Greater; break;
    case TokenKind::GreaterEqual: bop = BinaryOp::GreaterEqual; break;
    default: fail_expected("operator");
  }
  advance();
  auto node = std::make_unique<BinaryExpr>();
  node->op = bop;
  node->left = std::move(left);
  node->right = parse_expr(precedence + 1);  // every binary operator associates to the left
  node->span = span_from(start);
  return node;
}

VISIONDB_INLINE ExprPtr Parser::parse_in_rhs(ExprPtr operand, bool negated, uint32_t start) {
  auto node = std::make_unique<InExpr>();
  node->operand = std::move(operand);
  node->negated = negated;
  if (accept(Keyword::Unnest)) {
    expect(TokenKind::LParen);
    node->in_kind = InKind::Unnest;
    node->unnest_array = parse_expr();
    expect(TokenKind::RParen);
  } else if (at(TokenKind::LParen)) {
    uint32_t paren = start_offset();
    advance();
    if (at_query_start()) {
      node->in_kind = InKind::Subquery;
      node->query = parse_query();
    } else {
      node->in_kind = InKind::List;
      node->list = parse_expr_list();
      // x IN ((SELECT a) UNION ALL (SELECT b)): the first "element" began a query.
      if (node->list.size() == 1 && at_query_continuation()) {
        auto* sub = node->list[0]->as_if<SubqueryExpr>();
        if (sub && sub->subquery_kind == SubqueryKind::Scalar) {
          node->in_kind = InKind::Subquery;
          node->query = continue_query(std::move(sub->query), paren + 1);
          node->list.clear();
        }
      }
    }
    expect(TokenKind::RParen);
  } else {
    fail_expected("\"(\" or UNNEST after IN");
  }
  node->span = span_from(start);
  return node;
}

// ---- postfix: subscripts and field access ------------------------------------------------------

VISIONDB_INLINE ExprPtr Parser::parse_postfix(ExprPtr expr) {
  uint32_t start = expr->span.offset;
  for (;;) {
    if (at(TokenKind::LBracket)) {
      enter_depth();
      advance();
      auto node = std::make_unique<SubscriptExpr>();
      node->operand = std::move(expr);
      static constexpr std::pair<std::string_view, SubscriptKind> kWrappers[] = {
          {"OFFSET", SubscriptKind::Offset},
          {"ORDINAL", SubscriptKind::Ordinal},
          {"SAFE_OFFSET", SubscriptKind::SafeOffset},
          {"SAFE_ORDINAL", SubscriptKind::SafeOrdinal},
      };
      bool wrapped = false;
      if (peek(1).is(TokenKind::LParen)) {
        for (const auto& [word, kind] : kWrappers) {
          if (at_word(word)) {
            advance();
            advance();
            node->subscript_kind = kind;
            node->index = parse_expr();
            expect(TokenKind::RParen);
            wrapped = true;
            break;
          }
        }
      }
      if (!wrapped) node->index = parse_expr();
      expect(TokenKind::RBracket);
      node->span = span_from(start);
      expr = std::move(node);
    } else if (at(TokenKind::Dot) && (peek(1).is(TokenKind::Identifier) || peek(1).is(TokenKind::Keyword))) {
      enter_depth();
      advance();
      const Token& name = advance();
      auto node = std::make_unique<FieldAccessExpr>();
      node->operand = std::move(expr);
      node->field = Identifier{name.value, name.span, name.quoted};
      node->span = span_from(start);
      expr = std::move(node);
    } else {
      return expr;
    }
  }
}

// ---- primaries ---------------------------------------------------------------------------------

VISIONDB_INLINE ExprPtr Parser::parse_number_literal(bool negative, uint32_t start) {
  const Token& t = advance();
  auto node = make_node<LiteralExpr>(SourceSpan{});
  if (t.kind == TokenKind::IntegerLiteral) {
    node->literal_kind = LiteralKind::Int64;
    node->int_value = parse_integer_token(t, negative);
  } else {
    node->literal_kind = LiteralKind::Float64;
    double value = 0;
    auto [ptr, ec] = std::from_chars(t.value.data(), t.value.data() + t.value.size(), value);
    if (ec != std::errc() || ptr != t.value.data() + t.value.size() || !std::isfinite(value))
      visiondb::detail::throw_sql_error(ErrorKind::Syntax,
                                        "floating point literal \"" + token_text(t) + "\" is out of range", t.span);
    node->float_value = negative ? -value : value;
  }
  node->span = span_from(start);
  return node;
}

VISIONDB_INLINE ExprPtr Parser::parse_primary() {
  const Token& t = peek();
  uint32_t start = t.span.offset;
  switch (t.kind) {
    case TokenKind::IntegerLiteral:
    case TokenKind::FloatLiteral: return parse_number_literal(false, start);
    case TokenKind::StringLiteral:
    case TokenKind::BytesLiteral: {
      auto node = make_node<LiteralExpr>(t.span);
      node->literal_kind = t.kind == TokenKind::StringLiteral ? LiteralKind::String : LiteralKind::Bytes;
      node->string_value = advance().value;
      return node;
    }
    case TokenKind::NamedParameter:
    case TokenKind::PositionalParameter:
    case TokenKind::SystemVariable: {
      auto node = std::make_unique<ParameterExpr>();
      const Token& p = advance();
      node->parameter_kind = p.kind == TokenKind::NamedParameter     ? ParameterKind::Named
                             : p.kind == TokenKind::SystemVariable ? ParameterKind::System
                                                                   : ParameterKind::Positional;
      node->name = p.value;
      if (p.kind == TokenKind::PositionalParameter) node->position = positional_params_++;
      // @@script.bytes_processed: system variables may be dotted.
      while (p.kind == TokenKind::SystemVariable && at(TokenKind::Dot) && peek(1).is(TokenKind::Identifier) &&
             !peek(1).quoted) {
        advance();
        node->name += '.';
        node->name += advance().value;
      }
      node->span = span_from(start);
      return node;
    }
    case TokenKind::LParen: return parse_parenthesized();
    case TokenKind::LBracket: return parse_array_constructor();
    case TokenKind::Identifier: {
      LiteralKind typed;
      if (peek(1).is(TokenKind::StringLiteral) && typed_literal_kind(t, typed)) {
        advance();
        return parse_typed_literal(typed, start);
      }
      if (t.is_word("SAFE_CAST") && peek(1).is(TokenKind::LParen)) return parse_cast(true);
      return parse_path_or_call();
    }
    case TokenKind::Keyword:
      switch (t.keyword) {
        case Keyword::Null:
        case Keyword::True:
        case Keyword::False: {
          auto node = make_node<LiteralExpr>(t.span);
          node->literal_kind = t.keyword == Keyword::Null ? LiteralKind::Null : LiteralKind::Bool;
          node->bool_value = t.keyword == Keyword::True;
          advance();
          return node;
        }
        case Keyword::Case: return parse_case();
        case Keyword::Cast: return parse_cast(false);
        case Keyword::Extract: return parse_extract();
        case Keyword::Interval: return parse_interval();
        case Keyword::Array: return parse_array_constructor();
        case Keyword::Struct: return parse_struct_constructor();
        case Keyword::Exists: {
          advance();
          auto node = std::make_unique<SubqueryExpr>();
          node->subquery_kind = SubqueryKind::Exists;
          node->query = parse_parenthesized_query();
          node->span = span_from(start);
          return node;
        }
        default:
          if (is_keyword_function(t.keyword) && peek(1).is(TokenKind::LParen)) {
            IdentifierPath name;
            name.parts.push_back(Identifier{std::string(keyword_name(t.keyword)), t.span, false});
            name.span = t.span;
            advance();
            return parse_function_call(std::move(name), start);
          }
          break;
      }
      break;
    default: break;
  }
  fail_expected("expression");
}

VISIONDB_INLINE ExprPtr Parser::parse_typed_literal(LiteralKind kind, uint32_t start) {
  auto node = std::make_unique<LiteralExpr>();
  node->literal_kind = kind;
  node->string_value = expect(TokenKind::StringLiteral).value;
  node->span = span_from(start);
  return node;
}

VISIONDB_INLINE ExprPtr Parser::parse_parenthesized() {
  uint32_t start = start_offset();
  expect(TokenKind::LParen);
  if (at_query_start()) {
    auto node = std::make_unique<SubqueryExpr>();
    node->subquery_kind = SubqueryKind::Scalar;
    node->query = parse_query();
    expect(TokenKind::RParen);
    node->span = span_from(start);
    return node;
  }
  ExprPtr first = parse_expr();
  if (at(TokenKind::Comma)) {
    // (a, b, ...): a tuple, BigQuery's shorthand for an anonymous STRUCT.
    auto node = std::make_unique<StructExpr>();
    node->tuple_syntax = true;
    node->fields.push_back(StructField{std::move(first), {}});
    while (accept(TokenKind::Comma)) node->fields.push_back(StructField{parse_expr(), {}});
    expect(TokenKind::RParen);
    node->span = span_from(start);
    return node;
  }
  if (at_query_continuation()) {
    // ((SELECT a) UNION ALL (SELECT b)) or ((SELECT a) ORDER BY 1): a parenthesised query.
    auto* sub = first->as_if<SubqueryExpr>();
    if (sub && sub->subquery_kind == SubqueryKind::Scalar) {
      auto node = std::make_unique<SubqueryExpr>();
      node->subquery_kind = SubqueryKind::Scalar;
      node->query = continue_query(std::move(sub->query), start + 1);
      expect(TokenKind::RParen);
      node->span = span_from(start);
      return node;
    }
  }
  expect(TokenKind::RParen);
  first->span = span_from(start);
  return first;
}

VISIONDB_INLINE ExprPtr Parser::parse_path_or_call() {
  uint32_t start = start_offset();
  if (is_niladic_function(peek()) && !peek(1).is(TokenKind::LParen) && !peek(1).is(TokenKind::Dot)) {
    auto node = std::make_unique<FunctionCallExpr>();
    const Token& t = advance();
    node->name.parts.push_back(Identifier{t.value, t.span, false});
    node->name.span = t.span;
    node->span = span_from(start);
    return node;
  }
  IdentifierPath path = parse_path("expression");
  if (at(TokenKind::LParen)) return parse_function_call(std::move(path), start);
  auto node = std::make_unique<ColumnRefExpr>();
  node->path = std::move(path);
  node->span = span_from(start);
  return node;
}

VISIONDB_INLINE ExprPtr Parser::parse_case() {
  uint32_t start = start_offset();
  expect(Keyword::Case);
  auto node = std::make_unique<CaseExpr>();
  if (!at(Keyword::When)) node->operand = parse_expr();
  if (!at(Keyword::When)) fail_expected("WHEN");
  while (accept(Keyword::When)) {
    CaseWhen when;
    when.condition = parse_expr();
    expect(Keyword::Then);
    when.result = parse_expr();
    node->whens.push_back(std::move(when));
  }
  if (accept(Keyword::Else)) node->else_result = parse_expr();
  expect(Keyword::End);
  node->span = span_from(start);
  return node;
}

VISIONDB_INLINE ExprPtr Parser::parse_cast(bool safe) {
  uint32_t start = start_offset();
  advance();  // CAST or SAFE_CAST
  auto node = std::make_unique<CastExpr>();
  node->safe = safe;
  expect(TokenKind::LParen);
  node->operand = parse_expr();
  expect(Keyword::As);
  node->type = parse_type();
  if (accept_word("FORMAT")) {
    node->format = parse_expr();
    if (accept(Keyword::At)) {
      expect_word("TIME");
      expect_word("ZONE");
      node->format_time_zone = parse_expr();
    }
  }
  expect(TokenKind::RParen);
  node->span = span_from(start);
  return node;
}

VISIONDB_INLINE ExprPtr Parser::parse_extract() {
  uint32_t start = start_offset();
  expect(Keyword::Extract);
  expect(TokenKind::LParen);
  auto node = std::make_unique<ExtractExpr>();
  node->part = parse_word("date part");
  if (accept(TokenKind::LParen)) {
    node->part_argument = parse_word("weekday");
    expect(TokenKind::RParen);
  }
  expect(Keyword::From);
  node->operand = parse_expr();
  if (accept(Keyword::At)) {
    expect_word("TIME");
    expect_word("ZONE");
    node->time_zone = parse_expr();
  }
  expect(TokenKind::RParen);
  node->span = span_from(start);
  return node;
}

VISIONDB_INLINE ExprPtr Parser::parse_interval() {
  uint32_t start = start_offset();
  expect(Keyword::Interval);
  auto node = std::make_unique<IntervalExpr>();
  node->value = parse_expr(kPrecUnary);
  node->unit = parse_word("date part");
  if (accept(Keyword::To)) node->to_unit = parse_word("date part");
  node->span = span_from(start);
  return node;
}

VISIONDB_INLINE ExprPtr Parser::parse_array_constructor() {
  uint32_t start = start_offset();
  auto node = std::make_unique<ArrayExpr>();
  if (at(Keyword::Array)) {
    if (peek(1).is(TokenKind::LParen)) {
      // ARRAY(subquery)
      advance();
      auto sub = std::make_unique<SubqueryExpr>();
      sub->subquery_kind = SubqueryKind::Array;
      sub->query = parse_parenthesized_query();
      sub->span = span_from(start);
      return sub;
    }
    if (peek(1).is(TokenKind::Less)) {
      TypeName type = parse_type();
      node->element_type = std::move(type.element);
    } else {
      advance();
    }
  }
  expect(TokenKind::LBracket);
  if (!at(TokenKind::RBracket)) node->elements = parse_expr_list();
  expect(TokenKind::RBracket);
  node->span = span_from(start);
  return node;
}

VISIONDB_INLINE ExprPtr Parser::parse_struct_constructor() {
  uint32_t start = start_offset();
  auto node = std::make_unique<StructExpr>();
  if (peek(1).is(TokenKind::Less) || peek(1).is(TokenKind::NotEqual)) {
    node->type = std::make_unique<TypeName>(parse_type());
  } else {
    expect(Keyword::Struct);
  }
  expect(TokenKind::LParen);
  if (!at(TokenKind::RParen)) {
    do {
      StructField field;
      field.value = parse_expr();
      if (accept(Keyword::As)) field.alias = parse_identifier("field name");
      node->fields.push_back(std::move(field));
    } while (accept(TokenKind::Comma));
  }
  expect(TokenKind::RParen);
  node->span = span_from(start);
  return node;
}

VISIONDB_INLINE std::vector<OrderByItem> Parser::parse_order_by_list() {
  std::vector<OrderByItem> items;
  do {
    OrderByItem item;
    uint32_t start = start_offset();
    item.expr = parse_expr();
    if (accept(Keyword::Desc))
      item.descending = true;
    else
      accept(Keyword::Asc);
    if (accept(Keyword::Nulls)) {
      if (accept_word("FIRST"))
        item.nulls = OrderByItem::Nulls::First;
      else if (accept_word("LAST"))
        item.nulls = OrderByItem::Nulls::Last;
      else
        fail_expected("FIRST or LAST");
    }
    item.span = span_from(start);
    items.push_back(std::move(item));
  } while (accept(TokenKind::Comma));
  return items;
}

VISIONDB_INLINE std::vector<ExprPtr> Parser::parse_expr_list() {
  std::vector<ExprPtr> list;
  list.push_back(parse_expr());
  while (accept(TokenKind::Comma)) list.push_back(parse_expr());
  return list;
}

}  // namespace visiondb::sql::detail
