// Parser rules for queries: WITH, set operations, SELECT and its clauses, FROM items.
#pragma once

#include "visiondb/sql/detail/parser_impl.hpp"

namespace visiondb::sql::detail {

// ---- query expressions -------------------------------------------------------------------------

VISIONDB_INLINE std::unique_ptr<Query> Parser::parse_query() {
  DepthGuard guard(*this);
  uint32_t start = start_offset();
  auto query = std::make_unique<Query>();
  if (at(Keyword::With)) parse_with_clause(*query);
  QueryNodePtr first = parse_query_primary();
  return finish_query(std::move(query), std::move(first), start);
}

VISIONDB_INLINE std::unique_ptr<Query> Parser::parse_parenthesized_query() {
  expect(TokenKind::LParen);
  auto query = parse_query();
  expect(TokenKind::RParen);
  return query;
}

VISIONDB_INLINE std::unique_ptr<Query> Parser::finish_query(std::unique_ptr<Query> query, QueryNodePtr first,
                                                            uint32_t start) {
  query->body = parse_set_operations(std::move(first));
  if (accept(Keyword::Order)) {
    expect(Keyword::By);
    query->order_by = parse_order_by_list();
  }
  if (accept(Keyword::Limit)) {
    query->limit = parse_expr();
    if (accept_word("OFFSET")) query->offset = parse_expr();
  }
  query->span = span_from(start);
  // ((SELECT ...)): redundant parentheses add no Query level.
  if (query->with.empty() && query->order_by.empty() && !query->limit && query->body->kind == QueryNodeKind::Query) {
    std::unique_ptr<Query> inner(static_cast<Query*>(query->body.release()));
    return inner;
  }
  return query;
}

VISIONDB_INLINE std::unique_ptr<Query> Parser::continue_query(std::unique_ptr<Query> first, uint32_t start) {
  return finish_query(std::make_unique<Query>(), std::move(first), start);
}

VISIONDB_INLINE void Parser::parse_with_clause(Query& query) {
  expect(Keyword::With);
  query.recursive = accept(Keyword::Recursive);
  do {
    CommonTableExpr cte;
    uint32_t start = start_offset();
    cte.name = parse_identifier("name of a WITH query");
    expect(Keyword::As);
    cte.query = parse_parenthesized_query();
    cte.span = span_from(start);
    query.with.push_back(std::move(cte));
  } while (accept(TokenKind::Comma));
}

VISIONDB_INLINE QueryNodePtr Parser::parse_set_operations(QueryNodePtr first) {
  auto read_operator = [&](SetOperator& op, bool& distinct) -> bool {
    if (at(Keyword::Union))
      op = SetOperator::Union;
    else if (at(Keyword::Intersect))
      op = SetOperator::Intersect;
    else if (at(Keyword::Except))
      op = SetOperator::Except;
    else
      return false;
    const Token& name = advance();
    if (accept(Keyword::Distinct)) {
      distinct = true;
    } else if (op == SetOperator::Union && accept(Keyword::All)) {
      distinct = false;
    } else {
      // BigQuery spells out UNION ALL | UNION DISTINCT, and knows only INTERSECT/EXCEPT DISTINCT.
      fail_expected(op == SetOperator::Union ? std::string("ALL or DISTINCT after UNION")
                                             : "DISTINCT after " + std::string(keyword_name(name.keyword)));
    }
    return true;
  };
  SetOperator op;
  bool distinct = false;
  uint32_t start = first->span.offset;
  if (!read_operator(op, distinct)) return first;
  auto set = std::make_unique<SetOperation>();
  set->op = op;
  set->distinct = distinct;
  set->inputs.push_back(std::move(first));
  set->inputs.push_back(parse_query_primary());
  for (;;) {
    const Token& next = peek();
    SetOperator next_op;
    bool next_distinct = false;
    if (!read_operator(next_op, next_distinct)) break;
    if (next_op != op || next_distinct != distinct)
      fail_at(next, "different set operations cannot be combined without parentheses");
    enter_depth();
    set->inputs.push_back(parse_query_primary());
  }
  set->span = span_from(start);
  return set;
}

VISIONDB_INLINE QueryNodePtr Parser::parse_query_primary() {
  if (at(Keyword::Select)) return parse_select();
  if (at(TokenKind::LParen)) {
    DepthGuard guard(*this);
    uint32_t start = start_offset();
    advance();
    std::unique_ptr<Query> inner = parse_query();
    expect(TokenKind::RParen);
    inner->span = span_from(start);
    return inner;
  }
  fail_expected("SELECT or \"(\"");
}

// ---- SELECT ------------------------------------------------------------------------------------

VISIONDB_INLINE std::unique_ptr<Select> Parser::parse_select() {
  DepthGuard guard(*this);
  uint32_t start = start_offset();
  expect(Keyword::Select);
  auto select = std::make_unique<Select>();
  if (accept(Keyword::Distinct))
    select->distinct = true;
  else
    accept(Keyword::All);
  if (accept(Keyword::As)) {
    if (accept(Keyword::Struct))
      select->select_as = SelectAs::Struct;
    else if (accept_word("VALUE"))
      select->select_as = SelectAs::Value;
    else
      fail_expected("STRUCT or VALUE after SELECT AS");
  }
  select->items = parse_select_list(true);
  if (accept(Keyword::From)) select->from = parse_from_item();
  if (accept(Keyword::Where)) select->where = parse_expr();
  if (at(Keyword::Group)) select->group_by = parse_group_by();
  if (accept(Keyword::Having)) select->having = parse_expr();
  if (accept(Keyword::Qualify)) select->qualify = parse_expr();
  if (at(Keyword::Window)) select->windows = parse_window_clause();
  select->span = span_from(start);
  return select;
}

VISIONDB_INLINE std::vector<SelectItem> Parser::parse_select_list(bool allow_trailing_comma) {
  std::vector<SelectItem> items;
  items.push_back(parse_select_item());
  while (accept(TokenKind::Comma)) {
    // BigQuery accepts a trailing comma before FROM: SELECT a, b, FROM t.
    if (allow_trailing_comma && at(Keyword::From)) break;
    items.push_back(parse_select_item());
  }
  return items;
}

VISIONDB_INLINE SelectItem Parser::parse_select_item() {
  SelectItem item;
  uint32_t start = start_offset();
  if (accept(TokenKind::Star)) {
    item.kind = SelectItemKind::Star;
    parse_star_modifiers(item);
  } else {
    item.expr = parse_expr();
    if (at(TokenKind::Dot) && peek(1).is(TokenKind::Star)) {
      advance();
      advance();
      item.kind = SelectItemKind::DotStar;
      parse_star_modifiers(item);
    } else {
      item.alias = parse_optional_alias();
    }
  }
  item.span = span_from(start);
  return item;
}

VISIONDB_INLINE void Parser::parse_star_modifiers(SelectItem& item) {
  if (at(Keyword::Except) && peek(1).is(TokenKind::LParen)) {
    advance();
    item.except_columns = parse_identifier_list();
  }
  if (at_word("REPLACE") && peek(1).is(TokenKind::LParen)) {
    advance();
    advance();
    do {
      StarReplacement r;
      r.expr = parse_expr();
      expect(Keyword::As);
      r.column = parse_identifier("column name");
      item.replacements.push_back(std::move(r));
    } while (accept(TokenKind::Comma));
    expect(TokenKind::RParen);
  }
}

VISIONDB_INLINE std::unique_ptr<GroupByClause> Parser::parse_group_by() {
  auto group = std::make_unique<GroupByClause>();
  uint32_t start = start_offset();
  expect(Keyword::Group);
  expect(Keyword::By);
  if (accept(Keyword::All)) {
    group->kind = GroupByKind::All;
  } else if ((at(Keyword::Rollup) || at(Keyword::Cube)) && peek(1).is(TokenKind::LParen)) {
    group->kind = advance().is(Keyword::Rollup) ? GroupByKind::Rollup : GroupByKind::Cube;
    expect(TokenKind::LParen);
    group->items = parse_expr_list();
    expect(TokenKind::RParen);
  } else {
    group->items = parse_expr_list();
  }
  group->span = span_from(start);
  return group;
}

VISIONDB_INLINE std::vector<NamedWindow> Parser::parse_window_clause() {
  expect(Keyword::Window);
  std::vector<NamedWindow> windows;
  do {
    NamedWindow w;
    w.name = parse_identifier("window name");
    expect(Keyword::As);
    if (at_identifier()) {
      // WINDOW b AS a: an alias of another named window.
      w.spec.base_window = parse_identifier();
      w.spec.span = w.spec.base_window.span;
    } else {
      w.spec = parse_window_spec();
    }
    windows.push_back(std::move(w));
  } while (accept(TokenKind::Comma));
  return windows;
}

// ---- FROM --------------------------------------------------------------------------------------

VISIONDB_INLINE TableRefPtr Parser::parse_from_item() {
  DepthGuard guard(*this);
  TableRefPtr left = parse_table_primary();
  uint32_t start = left->span.offset;
  for (;;) {
    JoinKind kind;
    if (accept(TokenKind::Comma)) {
      kind = JoinKind::Comma;
    } else if (at(Keyword::Join) || at(Keyword::Inner) || at(Keyword::Cross) || at(Keyword::Left) ||
               at(Keyword::Right) || at(Keyword::Full)) {
      const Token& t = advance();
      kind = t.is(Keyword::Cross)   ? JoinKind::Cross
             : t.is(Keyword::Left)  ? JoinKind::Left
             : t.is(Keyword::Right) ? JoinKind::Right
             : t.is(Keyword::Full)  ? JoinKind::Full
                                    : JoinKind::Inner;
      if (kind == JoinKind::Left || kind == JoinKind::Right || kind == JoinKind::Full) accept(Keyword::Outer);
      if (!t.is(Keyword::Join)) expect(Keyword::Join);
    } else {
      return left;
    }
    enter_depth();
    auto join = std::make_unique<JoinTableRef>();
    join->join_kind = kind;
    join->left = std::move(left);
    join->right = parse_table_primary();
    if (kind != JoinKind::Comma && kind != JoinKind::Cross) {
      if (accept(Keyword::On)) {
        join->on = parse_expr();
      } else if (accept(Keyword::Using)) {
        join->using_columns = parse_identifier_list();
      } else if (join->right->kind != TableRefKind::Unnest) {
        fail_expected("ON or USING");
      }
    }
    join->span = span_from(start);
    left = std::move(join);
  }
}

VISIONDB_INLINE TableRefPtr Parser::parse_table_primary() {
  DepthGuard guard(*this);
  uint32_t start = start_offset();
  if (at(TokenKind::LParen)) return parse_parenthesized_table();
  if (at(Keyword::Unnest)) return parse_unnest_ref();
  if (!at_identifier()) fail_expected("table name, subquery or UNNEST");
  IdentifierPath name = parse_path("table name");
  if (at(TokenKind::LParen)) {
    auto tvf = std::make_unique<TableFunctionRef>();
    tvf->name = std::move(name);
    advance();
    if (!at(TokenKind::RParen)) tvf->args = parse_function_args(nullptr);
    expect(TokenKind::RParen);
    // A parenthesised query as an argument is a table argument: ML.PREDICT(MODEL m, (SELECT ...)).
    for (FunctionArg& arg : tvf->args) {
      auto* sub = arg.expr ? arg.expr->as_if<SubqueryExpr>() : nullptr;
      if (sub && sub->subquery_kind == SubqueryKind::Scalar) {
        arg.kind = FunctionArgKind::Query;
        arg.query = std::move(sub->query);
        arg.expr.reset();
      }
    }
    parse_table_alias(*tvf);
    tvf->span = span_from(start);
    return tvf;
  }
  auto table = std::make_unique<NamedTableRef>();
  table->name = std::move(name);
  parse_table_alias(*table);
  if (at(Keyword::With) && peek(1).is_word("OFFSET")) {
    advance();
    advance();
    table->with_offset = true;
    table->offset_alias = parse_optional_alias();
  }
  table->span = span_from(start);
  return table;
}

VISIONDB_INLINE TableRefPtr Parser::parse_parenthesized_table() {
  uint32_t start = start_offset();
  expect(TokenKind::LParen);
  if (at_query_start()) {
    auto sub = std::make_unique<SubqueryTableRef>();
    sub->query = parse_query();
    expect(TokenKind::RParen);
    parse_table_alias(*sub);
    sub->span = span_from(start);
    return sub;
  }
  // A parenthesised join, or a parenthesised query that starts with "((SELECT".
  TableRefPtr inner = parse_from_item();
  if (inner->kind == TableRefKind::Subquery && inner->alias.empty() && at_query_continuation()) {
    auto sub = std::make_unique<SubqueryTableRef>();
    sub->query = continue_query(std::move(inner->as<SubqueryTableRef>().query), start + 1);
    inner = std::move(sub);
  }
  expect(TokenKind::RParen);
  if (inner->kind == TableRefKind::Subquery && inner->alias.empty()) parse_table_alias(*inner);
  inner->span = span_from(start);
  return inner;
}

VISIONDB_INLINE TableRefPtr Parser::parse_unnest_ref() {
  uint32_t start = start_offset();
  expect(Keyword::Unnest);
  auto unnest = std::make_unique<UnnestTableRef>();
  expect(TokenKind::LParen);
  unnest->array = parse_expr();
  expect(TokenKind::RParen);
  parse_table_alias(*unnest);
  if (at(Keyword::With) && peek(1).is_word("OFFSET")) {
    advance();
    advance();
    unnest->with_offset = true;
    unnest->offset_alias = parse_optional_alias();
  }
  unnest->span = span_from(start);
  return unnest;
}

VISIONDB_INLINE void Parser::parse_table_alias(TableRef& ref) { ref.alias = parse_optional_alias(); }

}  // namespace visiondb::sql::detail
