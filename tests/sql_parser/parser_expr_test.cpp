// Expressions: every form, operator precedence (BigQuery's table), and the AST they produce.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "sql_test_util.hpp"

using namespace visiondb;
using namespace visiondb::sql;
using visiondb::sql::testing::tree;

namespace {
std::string expr_canon(std::string_view sql) {
  std::string printed = to_sql(*parse_expression(sql));
  EXPECT_EQ(to_sql(*parse_expression(printed)), printed) << "round trip of: " << sql;
  return printed;
}
}  // namespace

TEST(ParserPrecedence, FollowsBigQuerysTable) {
  EXPECT_EQ(tree("1 + 2 * 3"), "1 + (2 * 3)");
  EXPECT_EQ(tree("1 * 2 + 3"), "(1 * 2) + 3");
  EXPECT_EQ(tree("1 - 2 - 3"), "(1 - 2) - 3");
  EXPECT_EQ(tree("a / b * c"), "(a / b) * c");
  EXPECT_EQ(tree("a || b || c"), "(a || b) || c");
  EXPECT_EQ(tree("a || b + c"), "(a || b) + c");  // || binds like *
  EXPECT_EQ(tree("-a * b"), "(-a) * b");
  EXPECT_EQ(tree("-a.b"), "-a.b");
  EXPECT_EQ(parse_expression("-2[OFFSET(0)]")->kind, ExprKind::Unary);  // the subscript binds first
  EXPECT_EQ(parse_expression("-2")->kind, ExprKind::Literal);
  EXPECT_EQ(tree("~a & b"), "(~a) & b");
  EXPECT_EQ(tree("a + b << c"), "(a + b) << c");
  EXPECT_EQ(tree("a << b & c"), "(a << b) & c");
  EXPECT_EQ(tree("a & b ^ c"), "(a & b) ^ c");
  EXPECT_EQ(tree("a ^ b | c"), "(a ^ b) | c");
  EXPECT_EQ(tree("a | b = c"), "(a | b) = c");
  EXPECT_EQ(tree("a = b AND c = d"), "(a = b) AND (c = d)");
  EXPECT_EQ(tree("a OR b AND c"), "a OR (b AND c)");
  EXPECT_EQ(tree("a AND b OR c AND d"), "(a AND b) OR (c AND d)");
  EXPECT_EQ(tree("NOT a = b"), "NOT (a = b)");
  EXPECT_EQ(tree("NOT a AND b"), "(NOT a) AND b");
  EXPECT_EQ(tree("a AND NOT b OR c"), "(a AND (NOT b)) OR c");
  EXPECT_EQ(tree("NOT NOT a"), "NOT (NOT a)");
  EXPECT_EQ(tree("a + b IS NULL"), "(a + b) IS NULL");
  EXPECT_EQ(tree("a BETWEEN b + 1 AND c * 2 AND d"), "(a BETWEEN (b + 1) AND (c * 2)) AND d");
  EXPECT_EQ(tree("a LIKE 'x' || y OR z"), "(a LIKE ('x' || y)) OR z");
  EXPECT_EQ(tree("a + 1 IN (1, 2)"), "(a + 1) IN (1, 2)");
  EXPECT_EQ(tree("(1 + 2) * 3"), "(1 + 2) * 3");
}

TEST(ParserPrecedence, ComparisonsDoNotChain) {
  EXPECT_THROW(parse_expression("a = b = c"), SqlError);
  EXPECT_THROW(parse_expression("a < b < c"), SqlError);
  EXPECT_THROW(parse_expression("a IS NULL IS NULL"), SqlError);
  EXPECT_THROW(parse_expression("a = NOT b"), SqlError);
  EXPECT_EQ(tree("(a = b) = c"), "(a = b) = c");
  EXPECT_EQ(tree("a < b AND (c < d) = e"), "(a < b) AND ((c < d) = e)");
}

TEST(ParserExpr, Literals) {
  ExprPtr e = parse_expression("-9223372036854775808");
  ASSERT_EQ(e->kind, ExprKind::Literal);
  EXPECT_EQ(e->as<LiteralExpr>().literal_kind, LiteralKind::Int64);
  EXPECT_EQ(e->as<LiteralExpr>().int_value, std::numeric_limits<int64_t>::min());
  EXPECT_EQ(e->span.offset, 0u);
  EXPECT_EQ(e->span.length, 20u);
  EXPECT_EQ(parse_expression("0x7FFFFFFFFFFFFFFF")->as<LiteralExpr>().int_value, std::numeric_limits<int64_t>::max());
  EXPECT_EQ(parse_expression("0xff")->as<LiteralExpr>().int_value, 255);
  EXPECT_DOUBLE_EQ(parse_expression("1e-3")->as<LiteralExpr>().float_value, 1e-3);
  EXPECT_DOUBLE_EQ(parse_expression(".5")->as<LiteralExpr>().float_value, 0.5);
  EXPECT_DOUBLE_EQ(parse_expression("1.")->as<LiteralExpr>().float_value, 1.0);
  EXPECT_DOUBLE_EQ(parse_expression("- 2.5")->as<LiteralExpr>().float_value, -2.5);
  EXPECT_EQ(parse_expression("NULL")->as<LiteralExpr>().literal_kind, LiteralKind::Null);
  EXPECT_TRUE(parse_expression("true")->as<LiteralExpr>().bool_value);
  EXPECT_FALSE(parse_expression("FALSE")->as<LiteralExpr>().bool_value);
  EXPECT_EQ(parse_expression("b'ab'")->as<LiteralExpr>().literal_kind, LiteralKind::Bytes);

  ExprPtr date_owner = parse_expression("DATE '2024-01-31'");
  const auto& date = date_owner->as<LiteralExpr>();
  EXPECT_EQ(date.literal_kind, LiteralKind::Date);
  EXPECT_EQ(date.string_value, "2024-01-31");
  EXPECT_EQ(parse_expression("TIMESTAMP '2024-01-31 10:00:00+00'")->as<LiteralExpr>().literal_kind,
            LiteralKind::Timestamp);
  EXPECT_EQ(parse_expression("numeric '1.25'")->as<LiteralExpr>().literal_kind, LiteralKind::Numeric);
  EXPECT_EQ(parse_expression("JSON '{\"a\": 1}'")->as<LiteralExpr>().literal_kind, LiteralKind::Json);
  EXPECT_EQ(parse_expression("DATETIME '2024-01-31 10:00:00'")->as<LiteralExpr>().literal_kind, LiteralKind::Datetime);

  EXPECT_EQ(expr_canon("'it\\'s'"), "'it\\'s'");
  EXPECT_EQ(expr_canon("\"double\""), "'double'");
  EXPECT_EQ(expr_canon("r'\\d+'"), "'\\\\d+'");
  EXPECT_EQ(expr_canon("b'\\x00\\xffa'"), "b'\\x00\\xffa'");
  EXPECT_EQ(expr_canon("1.5e10"), "1.5e+10");
  EXPECT_EQ(expr_canon("100.0"), "100.0");
  EXPECT_EQ(expr_canon("0.1"), "0.1");
  EXPECT_EQ(expr_canon("1e300"), "1e+300");
  EXPECT_EQ(expr_canon("- -1"), "- -1");
  EXPECT_EQ(expr_canon("-(-x)"), "- -x");
  EXPECT_EQ(expr_canon("~ + - x"), "~ + -x");
  EXPECT_EQ(expr_canon("a - -1"), "a - -1");
  EXPECT_EQ(expr_canon("-(0)"), "-(0)");  // stays a unary minus, not the literal -0
  EXPECT_EQ(expr_canon("-(-0)"), "-(0)");
  EXPECT_EQ(expr_canon("-(-1)"), "- -1");
  EXPECT_EQ(expr_canon("-(1.5)"), "-(1.5)");
  EXPECT_EQ(expr_canon("+1"), "+1");
}

TEST(ParserExpr, ColumnPathsAndBacktickNames) {
  ExprPtr c_owner = parse_expression("s.field.sub");
  const auto& c = c_owner->as<ColumnRefExpr>();
  ASSERT_EQ(c.path.parts.size(), 3u);
  EXPECT_EQ(c.path.parts[2].name, "sub");
  EXPECT_EQ(c.path.to_string(), "s.field.sub");

  ExprPtr q_owner = parse_expression("`proj.ds.t`.col");
  const auto& q = q_owner->as<ColumnRefExpr>();
  ASSERT_EQ(q.path.parts.size(), 4u);
  EXPECT_EQ(q.path.parts[0].name, "proj");
  EXPECT_TRUE(q.path.parts[0].quoted);
  EXPECT_EQ(q.path.parts[3].name, "col");
  EXPECT_FALSE(q.path.parts[3].quoted);

  EXPECT_EQ(expr_canon("t.`select`"), "t.`select`");
  EXPECT_EQ(expr_canon("t.all"), "t.`all`");  // a keyword after '.' is a name
  EXPECT_EQ(expr_canon("`my col`"), "`my col`");
  EXPECT_EQ(expr_canon("`current_date`"), "`current_date`");
  EXPECT_EQ(expr_canon("date"), "date");  // non-reserved words are names
  EXPECT_EQ(expr_canon("offset + ordinal"), "offset + ordinal");
}

TEST(ParserExpr, Parameters) {
  ExprPtr e = parse_expression("@a + ? + ? + @@threads");
  std::vector<const ParameterExpr*> params;
  std::function<void(const Expr&)> walk = [&](const Expr& x) {
    if (auto* p = x.as_if<ParameterExpr>()) params.push_back(p);
    for_each_child_expr(x, walk);
  };
  walk(*e);
  ASSERT_EQ(params.size(), 4u);
  EXPECT_EQ(params[0]->parameter_kind, ParameterKind::Named);
  EXPECT_EQ(params[0]->name, "a");
  EXPECT_EQ(params[1]->parameter_kind, ParameterKind::Positional);
  EXPECT_EQ(params[1]->position, 0u);
  EXPECT_EQ(params[2]->position, 1u);
  EXPECT_EQ(params[3]->parameter_kind, ParameterKind::System);
  EXPECT_EQ(params[3]->name, "threads");
  EXPECT_EQ(parse_expression("@@script.bytes_processed")->as<ParameterExpr>().name, "script.bytes_processed");
  EXPECT_EQ(expr_canon("@@script.bytes_processed"), "@@script.bytes_processed");
  EXPECT_EQ(expr_canon("(@@v).f"), "(@@v).f");
  EXPECT_EQ(parse_expression("@@v.`select`")->kind, ExprKind::FieldAccess);
  EXPECT_EQ(expr_canon("@@v.`select`"), "(@@v).`select`");
}

TEST(ParserExpr, PredicatesRoundTrip) {
  EXPECT_EQ(expr_canon("a is not null"), "a IS NOT NULL");
  EXPECT_EQ(expr_canon("a IS TRUE"), "a IS TRUE");
  EXPECT_EQ(expr_canon("a is not false"), "a IS NOT FALSE");
  EXPECT_EQ(expr_canon("a is distinct from b"), "a IS DISTINCT FROM b");
  EXPECT_EQ(expr_canon("a is not distinct from b"), "a IS NOT DISTINCT FROM b");
  EXPECT_EQ(expr_canon("a not between 1 and 2"), "a NOT BETWEEN 1 AND 2");
  EXPECT_EQ(expr_canon("uri not like '%.jpg'"), "uri NOT LIKE '%.jpg'");
  EXPECT_EQ(expr_canon("x in (1, 2, 3)"), "x IN (1, 2, 3)");
  EXPECT_EQ(expr_canon("x not in (select a from t)"), "x NOT IN (SELECT a FROM t)");
  EXPECT_EQ(expr_canon("x in unnest(arr)"), "x IN UNNEST(arr)");
  EXPECT_EQ(expr_canon("x IN ((SELECT 1) UNION ALL (SELECT 2))"), "x IN ((SELECT 1) UNION ALL (SELECT 2))");
  EXPECT_EQ(expr_canon("x IN ((SELECT 1), 2)"), "x IN ((SELECT 1), 2)");
  EXPECT_EQ(expr_canon("exists (select 1 from t)"), "EXISTS(SELECT 1 FROM t)");
  ExprPtr in_owner = parse_expression("x NOT IN (SELECT a FROM t)");
  const auto& in = in_owner->as<InExpr>();
  EXPECT_TRUE(in.negated);
  EXPECT_EQ(in.in_kind, InKind::Subquery);
  ASSERT_NE(in.query, nullptr);
}

TEST(ParserExpr, Subqueries) {
  ExprPtr s_owner = parse_expression("(SELECT MAX(x) FROM t)");
  const auto& s = s_owner->as<SubqueryExpr>();
  EXPECT_EQ(s.subquery_kind, SubqueryKind::Scalar);
  EXPECT_EQ(parse_expression("ARRAY(SELECT x FROM t)")->as<SubqueryExpr>().subquery_kind, SubqueryKind::Array);
  EXPECT_EQ(parse_expression("EXISTS(SELECT 1)")->as<SubqueryExpr>().subquery_kind, SubqueryKind::Exists);
  EXPECT_EQ(expr_canon("((SELECT 1))"), "(SELECT 1)");
  EXPECT_EQ(expr_canon("((SELECT a FROM t) ORDER BY 1 LIMIT 1)"), "((SELECT a FROM t) ORDER BY 1 LIMIT 1)");
  EXPECT_EQ(expr_canon("(SELECT 1) + 1"), "(SELECT 1) + 1");
}

TEST(ParserExpr, CaseForms) {
  ExprPtr simple_owner = parse_expression("CASE x WHEN 1 THEN 'a' WHEN 2 THEN 'b' ELSE 'c' END");
  const auto& simple = simple_owner->as<CaseExpr>();
  ASSERT_NE(simple.operand, nullptr);
  EXPECT_EQ(simple.whens.size(), 2u);
  ASSERT_NE(simple.else_result, nullptr);
  ExprPtr searched_owner = parse_expression("CASE WHEN a > 1 THEN 1 END");
  const auto& searched = searched_owner->as<CaseExpr>();
  EXPECT_EQ(searched.operand, nullptr);
  EXPECT_EQ(searched.else_result, nullptr);
  EXPECT_EQ(expr_canon("case when a then 1 else 2 end"), "CASE WHEN a THEN 1 ELSE 2 END");
}

TEST(ParserExpr, CastsAndTypes) {
  ExprPtr c_owner = parse_expression("SAFE_CAST(x AS ARRAY<STRUCT<a INT64, b STRING(10)>>)");
  const auto& c = c_owner->as<CastExpr>();
  EXPECT_TRUE(c.safe);
  ASSERT_TRUE(c.type.is_array());
  const TypeName& st = *c.type.element;
  EXPECT_TRUE(st.is_struct());
  ASSERT_EQ(st.fields.size(), 2u);
  EXPECT_EQ(st.fields[0].name.name, "a");
  EXPECT_EQ(st.fields[0].type.name, "INT64");
  EXPECT_EQ(st.fields[1].type.name, "STRING");
  EXPECT_EQ(st.fields[1].type.parameters, std::vector<int64_t>{10});
  EXPECT_EQ(expr_canon("cast(x as int)"), "CAST(x AS INT)");
  EXPECT_EQ(expr_canon("CAST(d AS STRING FORMAT 'YYYY-MM-DD')"), "CAST(d AS STRING FORMAT 'YYYY-MM-DD')");
  EXPECT_EQ(expr_canon("CAST(ts AS STRING FORMAT 'HH24' AT TIME ZONE 'UTC')"),
            "CAST(ts AS STRING FORMAT 'HH24' AT TIME ZONE 'UTC')");
  EXPECT_EQ(to_sql(parse_type_name("array<array<int64>>")), "ARRAY<ARRAY<INT64>>");
  EXPECT_EQ(to_sql(parse_type_name("STRUCT<INT64, s STRING, ARRAY<BOOL>>")), "STRUCT<INT64, s STRING, ARRAY<BOOL>>");
  EXPECT_EQ(to_sql(parse_type_name("STRUCT<>")), "STRUCT<>");
  EXPECT_EQ(to_sql(parse_type_name("numeric(10, 2)")), "NUMERIC(10, 2)");
  EXPECT_EQ(to_sql(parse_type_name("STRUCT<a STRUCT<b ARRAY<INT64>>>")), "STRUCT<a STRUCT<b ARRAY<INT64>>>");
  for (const char* alias : {"INT", "INTEGER", "BIGINT", "SMALLINT", "TINYINT", "BYTEINT", "int64"})
    EXPECT_EQ(canonical_type_name(parse_type_name(alias).name), "INT64") << alias;
  EXPECT_EQ(canonical_type_name("boolean"), "BOOL");
  EXPECT_EQ(canonical_type_name("FLOAT64"), "FLOAT64");
  EXPECT_EQ(canonical_type_name("decimal"), "NUMERIC");
  TypeName copy = parse_type_name("ARRAY<STRUCT<a INT64>>").clone();
  EXPECT_EQ(to_sql(copy), "ARRAY<STRUCT<a INT64>>");
}

TEST(ParserExpr, FunctionCalls) {
  ExprPtr f_owner = parse_expression("SAFE.ML.DECODE_IMAGE(data)");
  const auto& f = f_owner->as<FunctionCallExpr>();
  EXPECT_TRUE(f.safe);
  EXPECT_EQ(f.upper_name(), "ML.DECODE_IMAGE");
  EXPECT_EQ(f.args.size(), 1u);
  EXPECT_TRUE(parse_expression("safe.substr(s, 1, 2)")->as<FunctionCallExpr>().safe);
  EXPECT_EQ(parse_expression("NET.HOST(u)")->as<FunctionCallExpr>().upper_name(), "NET.HOST");
  EXPECT_TRUE(parse_expression("COUNT(*)")->as<FunctionCallExpr>().star);
  EXPECT_TRUE(parse_expression("COUNT(DISTINCT x)")->as<FunctionCallExpr>().distinct);

  ExprPtr agg_owner = parse_expression("ARRAY_AGG(DISTINCT x IGNORE NULLS ORDER BY y DESC LIMIT 3)");
  const auto& agg = agg_owner->as<FunctionCallExpr>();
  EXPECT_TRUE(agg.distinct);
  EXPECT_EQ(agg.null_handling, NullHandling::IgnoreNulls);
  ASSERT_EQ(agg.order_by.size(), 1u);
  EXPECT_TRUE(agg.order_by[0].descending);
  ASSERT_NE(agg.limit, nullptr);

  ExprPtr named_owner = parse_expression("VECTOR_SEARCH_SCORE(x, top_k => 5, distance_type => 'COSINE')");
  const auto& named = named_owner->as<FunctionCallExpr>();
  ASSERT_EQ(named.args.size(), 3u);
  EXPECT_TRUE(named.args[0].name.empty());
  EXPECT_EQ(named.args[1].name.name, "top_k");
  EXPECT_EQ(named.args[2].name.name, "distance_type");

  EXPECT_EQ(expr_canon("string_agg(s, ',' order by s)"), "string_agg(s, ',' ORDER BY s)");
  EXPECT_EQ(expr_canon("ANY_VALUE(x RESPECT NULLS)"), "ANY_VALUE(x RESPECT NULLS)");
  EXPECT_EQ(expr_canon("if(a, 1, 2) + left(s, 1) + right(s, 2)"), "IF(a, 1, 2) + LEFT(s, 1) + RIGHT(s, 2)");
  EXPECT_EQ(expr_canon("current_timestamp"), "current_timestamp()");
  EXPECT_EQ(expr_canon("CURRENT_DATE()"), "CURRENT_DATE()");
  EXPECT_EQ(expr_canon("f()"), "f()");
  EXPECT_EQ(expr_canon("`safe`.f(1)"), "`safe`.f(1)");
  EXPECT_FALSE(parse_expression("`safe`.f(1)")->as<FunctionCallExpr>().safe);
}

TEST(ParserExpr, WindowCalls) {
  ExprPtr f_owner = parse_expression("ROW_NUMBER() OVER (PARTITION BY uri ORDER BY score DESC)");
  const auto& f = f_owner->as<FunctionCallExpr>();
  ASSERT_NE(f.over, nullptr);
  EXPECT_EQ(f.over->partition_by.size(), 1u);
  EXPECT_EQ(f.over->order_by.size(), 1u);
  EXPECT_EQ(f.over->frame, nullptr);

  ExprPtr framed_owner = parse_expression("SUM(x) OVER (w ORDER BY t ROWS BETWEEN 3 PRECEDING AND UNBOUNDED FOLLOWING)");
  const auto& framed = framed_owner->as<FunctionCallExpr>();
  EXPECT_EQ(framed.over->base_window.name, "w");
  ASSERT_NE(framed.over->frame, nullptr);
  EXPECT_EQ(framed.over->frame->unit, FrameUnit::Rows);
  EXPECT_EQ(framed.over->frame->start.kind, FrameBoundKind::Preceding);
  EXPECT_EQ(framed.over->frame->end.kind, FrameBoundKind::UnboundedFollowing);

  EXPECT_EQ(parse_expression("SUM(x) OVER w")->as<FunctionCallExpr>().over->base_window.name, "w");
  EXPECT_EQ(expr_canon("sum(x) over w"), "sum(x) OVER w");
  EXPECT_EQ(expr_canon("sum(x) over ()"), "sum(x) OVER ()");
  EXPECT_EQ(expr_canon("avg(x) over (order by t range between unbounded preceding and current row)"),
            "avg(x) OVER (ORDER BY t RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)");
  EXPECT_EQ(expr_canon("avg(x) over (order by t rows 2 preceding)"), "avg(x) OVER (ORDER BY t ROWS 2 PRECEDING)");
  EXPECT_EQ(expr_canon("lag(x, 1) over (partition by a, b order by t nulls last rows between current row and 1 following)"),
            "lag(x, 1) OVER (PARTITION BY a, b ORDER BY t NULLS LAST ROWS BETWEEN CURRENT ROW AND 1 FOLLOWING)");
}

TEST(ParserExpr, ExtractAndInterval) {
  ExprPtr x_owner = parse_expression("EXTRACT(week(monday) FROM d AT TIME ZONE 'UTC')");
  const auto& x = x_owner->as<ExtractExpr>();
  EXPECT_EQ(x.part, "WEEK");
  EXPECT_EQ(x.part_argument, "MONDAY");
  ASSERT_NE(x.time_zone, nullptr);
  EXPECT_EQ(expr_canon("extract(dayofweek from ts)"), "EXTRACT(DAYOFWEEK FROM ts)");
  ExprPtr call_owner = parse_expression("TIMESTAMP_ADD(ts, INTERVAL 1 HOUR)");
  const auto& call = call_owner->as<FunctionCallExpr>();
  const auto& i = call.args[1].expr->as<IntervalExpr>();
  EXPECT_EQ(i.unit, "HOUR");
  EXPECT_EQ(i.value->as<LiteralExpr>().int_value, 1);
  EXPECT_EQ(expr_canon("ts - interval -2 day"), "ts - INTERVAL -2 DAY");
  EXPECT_EQ(expr_canon("INTERVAL '1:30' hour to minute"), "INTERVAL '1:30' HOUR TO MINUTE");
  EXPECT_EQ(expr_canon("INTERVAL (n + 1) DAY"), "INTERVAL (n + 1) DAY");
  EXPECT_THROW(parse_expression("INTERVAL n + 1 DAY"), SqlError);  // the unit follows a unary-level operand
}

TEST(ParserExpr, ArraysStructsAndTuples) {
  ExprPtr a_owner = parse_expression("ARRAY<FLOAT64>[1, 2.5]");
  const auto& a = a_owner->as<ArrayExpr>();
  ASSERT_NE(a.element_type, nullptr);
  EXPECT_EQ(a.element_type->name, "FLOAT64");
  EXPECT_EQ(a.elements.size(), 2u);
  EXPECT_EQ(expr_canon("[1, 2]"), "[1, 2]");
  EXPECT_EQ(expr_canon("[]"), "[]");
  EXPECT_EQ(expr_canon("ARRAY[1]"), "[1]");
  EXPECT_EQ(expr_canon("ARRAY<STRING>[]"), "ARRAY<STRING>[]");

  ExprPtr s_owner = parse_expression("STRUCT(1 AS a, 'x' AS b, c)");
  const auto& s = s_owner->as<StructExpr>();
  ASSERT_EQ(s.fields.size(), 3u);
  EXPECT_EQ(s.fields[0].alias.name, "a");
  EXPECT_TRUE(s.fields[2].alias.empty());
  EXPECT_FALSE(s.tuple_syntax);
  ExprPtr typed_owner = parse_expression("STRUCT<a INT64, b STRING>(1, 'x')");
  const auto& typed = typed_owner->as<StructExpr>();
  ASSERT_NE(typed.type, nullptr);
  EXPECT_EQ(typed.type->fields.size(), 2u);
  EXPECT_TRUE(parse_expression("(1, 'x')")->as<StructExpr>().tuple_syntax);
  EXPECT_EQ(expr_canon("(1, 'x')"), "(1, 'x')");
  EXPECT_EQ(expr_canon("STRUCT()"), "STRUCT()");
  EXPECT_EQ(expr_canon("STRUCT<x INT64>(5).x"), "STRUCT<x INT64>(5).x");
}

TEST(ParserExpr, SubscriptsAndFieldAccess) {
  ExprPtr s_owner = parse_expression("a[OFFSET(i)]");
  const auto& s = s_owner->as<SubscriptExpr>();
  EXPECT_EQ(s.subscript_kind, SubscriptKind::Offset);
  EXPECT_EQ(parse_expression("a[ORDINAL(1)]")->as<SubscriptExpr>().subscript_kind, SubscriptKind::Ordinal);
  EXPECT_EQ(parse_expression("a[SAFE_OFFSET(1)]")->as<SubscriptExpr>().subscript_kind, SubscriptKind::SafeOffset);
  EXPECT_EQ(parse_expression("a[safe_ordinal(1)]")->as<SubscriptExpr>().subscript_kind, SubscriptKind::SafeOrdinal);
  EXPECT_EQ(parse_expression("a[1]")->as<SubscriptExpr>().subscript_kind, SubscriptKind::Index);
  EXPECT_EQ(parse_expression("a[offset]")->as<SubscriptExpr>().subscript_kind, SubscriptKind::Index);

  ExprPtr f_owner = parse_expression("f(x).field");
  const auto& f = f_owner->as<FieldAccessExpr>();
  EXPECT_EQ(f.field.name, "field");
  EXPECT_EQ(f.operand->kind, ExprKind::FunctionCall);
  ExprPtr p_owner = parse_expression("(s).a");
  const auto& p = p_owner->as<FieldAccessExpr>();
  EXPECT_EQ(p.operand->kind, ExprKind::ColumnRef);
  EXPECT_EQ(expr_canon("(s).a"), "(s).a");
  EXPECT_EQ(expr_canon("(1).a"), "(1).a");
  EXPECT_EQ(expr_canon("'x'.a"), "'x'.a");
  EXPECT_EQ(expr_canon("a[OFFSET(0)].b.c"), "a[OFFSET(0)].b.c");
  EXPECT_EQ(expr_canon("arr[ordinal(1)][offset(2)]"), "arr[ORDINAL(1)][OFFSET(2)]");
  EXPECT_EQ(expr_canon("SPLIT(uri, \"/\")[OFFSET(ARRAY_LENGTH(SPLIT(uri, \"/\")) - 1)]"),
            "SPLIT(uri, '/')[OFFSET(ARRAY_LENGTH(SPLIT(uri, '/')) - 1)]");
}

TEST(ParserExpr, SpansCoverTheWholeExpression) {
  std::string sql = "  (a + b) * f(c)  ";
  ExprPtr e = parse_expression(sql);
  EXPECT_EQ(sql.substr(e->span.offset, e->span.length), "(a + b) * f(c)");
  const auto& b = e->as<BinaryExpr>();
  EXPECT_EQ(sql.substr(b.left->span.offset, b.left->span.length), "(a + b)");
  EXPECT_EQ(sql.substr(b.right->span.offset, b.right->span.length), "f(c)");
  const auto& inner = b.left->as<BinaryExpr>();
  EXPECT_EQ(sql.substr(inner.right->span.offset, inner.right->span.length), "b");
}

TEST(ParserExpr, VisitDispatchesOnTheConcreteType) {
  ExprPtr e = parse_expression("CASE WHEN x IS NULL THEN -1 ELSE f(x)[OFFSET(0)] END");
  int nodes = 0, calls = 0;
  std::function<void(const Expr&)> walk = [&](const Expr& x) {
    ++nodes;
    visit_expr(x, [&](const auto& node) {
      using T = std::decay_t<decltype(node)>;
      if constexpr (std::is_same_v<T, FunctionCallExpr>) ++calls;
    });
    for_each_child_expr(x, walk);
  };
  walk(*e);
  EXPECT_EQ(nodes, 8);  // case, is, x, -1, subscript, call, x, 0
  EXPECT_EQ(calls, 1);
}
