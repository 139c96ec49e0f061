// Queries: WITH, SELECT and its clauses, FROM items and joins, set operations.
#include <gtest/gtest.h>

#include "sql_test_util.hpp"

using namespace visiondb;
using namespace visiondb::sql;
using visiondb::sql::testing::canon;

namespace {
const Query& query_of(const StatementPtr& s) {
  EXPECT_EQ(s->kind, StatementKind::Query);
  return *s->as<QueryStatement>().query;
}
const Select& select_of(const StatementPtr& s) { return query_of(s).body->as<Select>(); }
}  // namespace

TEST(ParserQuery, SelectClausesInOrder) {
  StatementPtr s = parse_statement(
      "SELECT DISTINCT a, b AS bb, c cc FROM t WHERE a > 1 GROUP BY 1, b HAVING COUNT(*) > 2 "
      "QUALIFY ROW_NUMBER() OVER w = 1 WINDOW w AS (PARTITION BY a ORDER BY b) ORDER BY a DESC NULLS FIRST, 2 "
      "LIMIT 10 OFFSET 5");
  const Query& q = query_of(s);
  const Select& sel = q.body->as<Select>();
  EXPECT_TRUE(sel.distinct);
  ASSERT_EQ(sel.items.size(), 3u);
  EXPECT_TRUE(sel.items[0].alias.empty());
  EXPECT_EQ(sel.items[1].alias.name, "bb");
  EXPECT_EQ(sel.items[2].alias.name, "cc");
  ASSERT_NE(sel.from, nullptr);
  EXPECT_EQ(sel.from->as<NamedTableRef>().name.to_string(), "t");
  ASSERT_NE(sel.where, nullptr);
  ASSERT_NE(sel.group_by, nullptr);
  EXPECT_EQ(sel.group_by->items.size(), 2u);
  ASSERT_NE(sel.having, nullptr);
  ASSERT_NE(sel.qualify, nullptr);
  ASSERT_EQ(sel.windows.size(), 1u);
  EXPECT_EQ(sel.windows[0].name.name, "w");
  ASSERT_EQ(q.order_by.size(), 2u);
  EXPECT_TRUE(q.order_by[0].descending);
  EXPECT_EQ(q.order_by[0].nulls, OrderByItem::Nulls::First);
  ASSERT_NE(q.limit, nullptr);
  ASSERT_NE(q.offset, nullptr);
  EXPECT_EQ(to_sql(*s),
            "SELECT DISTINCT a, b AS bb, c AS cc FROM t WHERE a > 1 GROUP BY 1, b HAVING COUNT(*) > 2 "
            "QUALIFY ROW_NUMBER() OVER w = 1 WINDOW w AS (PARTITION BY a ORDER BY b) ORDER BY a DESC NULLS FIRST, 2 "
            "LIMIT 10 OFFSET 5");
}

TEST(ParserQuery, SelectWithoutFromAndLimitParameter) {
  EXPECT_EQ(canon("select 1"), "SELECT 1");
  EXPECT_EQ(canon("SELECT ALL a FROM t LIMIT @n"), "SELECT a FROM t LIMIT @n");
  EXPECT_EQ(canon("SELECT a FROM t LIMIT ? OFFSET ?"), "SELECT a FROM t LIMIT ? OFFSET ?");
  EXPECT_EQ(canon("SELECT a, b, FROM t"), "SELECT a, b FROM t");  // BigQuery's trailing comma
  // Aliases that look like typos of keywords are still aliases where an alias fits.
  EXPECT_EQ(canon("SELECT a form, b FROM t limt"), "SELECT a AS form, b FROM t AS limt");
}

TEST(ParserQuery, StarForms) {
  StatementPtr s = parse_statement("SELECT * EXCEPT (a, b) REPLACE (a + 1 AS c), t.*, f(x).* EXCEPT (z) FROM t");
  const Select& sel = select_of(s);
  ASSERT_EQ(sel.items.size(), 3u);
  EXPECT_EQ(sel.items[0].kind, SelectItemKind::Star);
  ASSERT_EQ(sel.items[0].except_columns.size(), 2u);
  EXPECT_EQ(sel.items[0].except_columns[1].name, "b");
  ASSERT_EQ(sel.items[0].replacements.size(), 1u);
  EXPECT_EQ(sel.items[0].replacements[0].column.name, "c");
  EXPECT_EQ(sel.items[1].kind, SelectItemKind::DotStar);
  EXPECT_EQ(sel.items[1].expr->as<ColumnRefExpr>().path.to_string(), "t");
  EXPECT_EQ(sel.items[2].kind, SelectItemKind::DotStar);
  EXPECT_EQ(sel.items[2].expr->kind, ExprKind::FunctionCall);
  EXPECT_EQ(canon("select * except(uri) from emb"), "SELECT * EXCEPT (uri) FROM emb");
  EXPECT_EQ(canon("SELECT s.a.* FROM t"), "SELECT s.a.* FROM t");
  EXPECT_EQ(canon("SELECT (1).* FROM t"), "SELECT (1).* FROM t");
  EXPECT_EQ(canon("SELECT * FROM a EXCEPT DISTINCT SELECT * FROM b"), "SELECT * FROM a EXCEPT DISTINCT SELECT * FROM b");
}

TEST(ParserQuery, SelectAsStructAndValue) {
  EXPECT_EQ(select_of(parse_statement("SELECT AS STRUCT 1 a, 2 b")).select_as, SelectAs::Struct);
  EXPECT_EQ(select_of(parse_statement("SELECT AS VALUE STRUCT(1 AS a)")).select_as, SelectAs::Value);
  EXPECT_EQ(canon("SELECT ARRAY(SELECT AS STRUCT x, y FROM t)"), "SELECT ARRAY(SELECT AS STRUCT x, y FROM t)");
}

TEST(ParserQuery, WithClauses) {
  StatementPtr s = parse_statement("WITH a AS (SELECT 1 x), b AS (SELECT x FROM a) SELECT * FROM b");
  const Query& q = query_of(s);
  ASSERT_EQ(q.with.size(), 2u);
  EXPECT_EQ(q.with[0].name.name, "a");
  EXPECT_FALSE(q.recursive);
  EXPECT_TRUE(query_of(parse_statement("WITH RECURSIVE r AS (SELECT 1) SELECT * FROM r")).recursive);
  EXPECT_EQ(canon("with p as (select 1) (select * from p)"), "WITH p AS (SELECT 1) (SELECT * FROM p)");
  EXPECT_EQ(canon("SELECT * FROM (WITH a AS (SELECT 1) SELECT * FROM a)"),
            "SELECT * FROM (WITH a AS (SELECT 1) SELECT * FROM a)");
}

TEST(ParserQuery, FromItems) {
  EXPECT_EQ(canon("SELECT * FROM `abis-345004.yoga_set.yoga_health` a, yoga_set.yoga_poses AS b"),
            "SELECT * FROM `abis-345004`.yoga_set.yoga_health AS a, yoga_set.yoga_poses AS b");
  StatementPtr sel_owner = parse_statement("SELECT * FROM `proj.ds.t`");
  const Select& sel = select_of(sel_owner);
  EXPECT_EQ(sel.from->as<NamedTableRef>().name.parts.size(), 3u);

  StatementPtr u_owner = parse_statement("SELECT * FROM t, UNNEST(t.scores) AS s WITH OFFSET AS i");
  const Select& u = select_of(u_owner);
  const auto& join = u.from->as<JoinTableRef>();
  EXPECT_EQ(join.join_kind, JoinKind::Comma);
  const auto& unnest = join.right->as<UnnestTableRef>();
  EXPECT_EQ(unnest.alias.name, "s");
  EXPECT_TRUE(unnest.with_offset);
  EXPECT_EQ(unnest.offset_alias.name, "i");
  EXPECT_EQ(canon("SELECT * FROM UNNEST([1, 2]) WITH OFFSET"), "SELECT * FROM UNNEST([1, 2]) WITH OFFSET");
  EXPECT_EQ(canon("SELECT * FROM UNNEST(a) x WITH OFFSET pos"), "SELECT * FROM UNNEST(a) AS x WITH OFFSET AS pos");
  EXPECT_EQ(canon("SELECT * FROM (SELECT 1) AS s"), "SELECT * FROM (SELECT 1) AS s");
  EXPECT_EQ(canon("SELECT * FROM (SELECT 1) s"), "SELECT * FROM (SELECT 1) AS s");
  EXPECT_EQ(canon("SELECT * FROM t.arr"), "SELECT * FROM t.arr");
  EXPECT_EQ(canon("SELECT s, i FROM t, t.scores AS s WITH OFFSET i"), "SELECT s, i FROM t, t.scores AS s WITH OFFSET AS i");
  EXPECT_EQ(canon("SELECT ARRAY<STRUCT<a INT64>>[STRUCT(1)]"), "SELECT ARRAY<STRUCT<a INT64>>[STRUCT(1)]");
}

TEST(ParserQuery, Joins) {
  StatementPtr sel_owner = parse_statement("SELECT * FROM a JOIN b ON a.x = b.x LEFT OUTER JOIN c USING (y, z) CROSS JOIN d");
  const Select& sel = select_of(sel_owner);
  const auto& cross = sel.from->as<JoinTableRef>();
  EXPECT_EQ(cross.join_kind, JoinKind::Cross);
  const auto& left = cross.left->as<JoinTableRef>();
  EXPECT_EQ(left.join_kind, JoinKind::Left);
  ASSERT_EQ(left.using_columns.size(), 2u);
  const auto& inner = left.left->as<JoinTableRef>();
  EXPECT_EQ(inner.join_kind, JoinKind::Inner);
  ASSERT_NE(inner.on, nullptr);

  EXPECT_EQ(canon("select * from a inner join b on true right join c on 1 = 1 full outer join d on false"),
            "SELECT * FROM a JOIN b ON TRUE RIGHT JOIN c ON 1 = 1 FULL JOIN d ON FALSE");
  EXPECT_EQ(canon("SELECT * FROM a JOIN (b JOIN c ON b.k = c.k) ON a.k = b.k"),
            "SELECT * FROM a JOIN (b JOIN c ON b.k = c.k) ON a.k = b.k");
  EXPECT_EQ(canon("SELECT * FROM (a JOIN b USING (k))"), "SELECT * FROM a JOIN b USING (k)");
  EXPECT_EQ(canon("SELECT * FROM a, (b, c)"), "SELECT * FROM a, (b, c)");
  EXPECT_EQ(canon("SELECT * FROM t LEFT JOIN UNNEST(t.arr) AS x"), "SELECT * FROM t LEFT JOIN UNNEST(t.arr) AS x");
  EXPECT_THROW(parse_statement("SELECT * FROM a JOIN b"), SqlError);
}

TEST(ParserQuery, TableValuedFunctions) {
  StatementPtr s = parse_statement(
      "SELECT * FROM ML.PREDICT(MODEL `ds.m`, (SELECT uri, ML.DECODE_IMAGE(data) AS input_1 FROM t), "
      "STRUCT(0.5 AS threshold)) AS p");
  const auto& tvf = select_of(s).from->as<TableFunctionRef>();
  EXPECT_EQ(tvf.upper_name(), "ML.PREDICT");
  EXPECT_EQ(tvf.alias.name, "p");
  ASSERT_EQ(tvf.args.size(), 3u);
  EXPECT_EQ(tvf.args[0].kind, FunctionArgKind::Model);
  EXPECT_EQ(tvf.args[0].object.to_string(), "ds.m");
  EXPECT_EQ(tvf.args[1].kind, FunctionArgKind::Query);
  ASSERT_NE(tvf.args[1].query, nullptr);
  EXPECT_EQ(tvf.args[2].kind, FunctionArgKind::Expr);
  EXPECT_EQ(tvf.args[2].expr->kind, ExprKind::Struct);

  StatementPtr t_owner = parse_statement("SELECT * FROM ML.PREDICT(MODEL m, TABLE t)");
  const auto& t = select_of(t_owner).from->as<TableFunctionRef>();
  EXPECT_EQ(t.args[1].kind, FunctionArgKind::Table);
  EXPECT_EQ(t.args[1].object.to_string(), "t");

  EXPECT_EQ(canon("SELECT * FROM ML.EVALUATE(MODEL m)"), "SELECT * FROM ML.EVALUATE(MODEL m)");
  EXPECT_EQ(canon("SELECT * FROM ML.EVALUATE(MODEL m, TABLE test)"), "SELECT * FROM ML.EVALUATE(MODEL m, TABLE test)");
  EXPECT_EQ(canon("SELECT * FROM ML.CONFUSION_MATRIX(MODEL m)"), "SELECT * FROM ML.CONFUSION_MATRIX(MODEL m)");
  EXPECT_EQ(canon("SELECT * FROM ML.ROC_CURVE(MODEL m, TABLE t)"), "SELECT * FROM ML.ROC_CURVE(MODEL m, TABLE t)");
  EXPECT_EQ(canon("SELECT * FROM ML.FEATURE_IMPORTANCE(MODEL m)"), "SELECT * FROM ML.FEATURE_IMPORTANCE(MODEL m)");
  EXPECT_EQ(canon("SELECT * FROM ML.TRAINING_INFO(MODEL ds.m)"), "SELECT * FROM ML.TRAINING_INFO(MODEL ds.m)");
  EXPECT_EQ(canon("SELECT * FROM VECTOR_SEARCH(TABLE emb, 'embedding', (SELECT embedding FROM q), top_k => 5, "
                  "distance_type => 'COSINE')"),
            "SELECT * FROM VECTOR_SEARCH(TABLE emb, 'embedding', (SELECT embedding FROM q), top_k => 5, "
            "distance_type => 'COSINE')");
  EXPECT_EQ(canon("SELECT * FROM my_ds.tvf()"), "SELECT * FROM my_ds.tvf()");
  // A column named model is still a column.
  EXPECT_EQ(canon("SELECT f(model, table) FROM t"), "SELECT f(model, table) FROM t");
}

TEST(ParserQuery, SetOperations) {
  StatementPtr s = parse_statement("SELECT 1 UNION ALL SELECT 2 UNION ALL (SELECT 3) ORDER BY 1 LIMIT 2");
  const Query& q = query_of(s);
  const auto& set = q.body->as<SetOperation>();
  EXPECT_EQ(set.op, SetOperator::Union);
  EXPECT_FALSE(set.distinct);
  ASSERT_EQ(set.inputs.size(), 3u);
  EXPECT_EQ(set.inputs[0]->kind, QueryNodeKind::Select);
  EXPECT_EQ(set.inputs[2]->kind, QueryNodeKind::Query);
  EXPECT_EQ(q.order_by.size(), 1u);  // ORDER BY and LIMIT apply to the whole set operation

  EXPECT_EQ(canon("select a from x union distinct select a from y"), "SELECT a FROM x UNION DISTINCT SELECT a FROM y");
  EXPECT_EQ(canon("SELECT a FROM x INTERSECT DISTINCT SELECT a FROM y"),
            "SELECT a FROM x INTERSECT DISTINCT SELECT a FROM y");
  EXPECT_EQ(canon("(SELECT 1 UNION ALL SELECT 2) INTERSECT DISTINCT SELECT 1"),
            "(SELECT 1 UNION ALL SELECT 2) INTERSECT DISTINCT SELECT 1");
  EXPECT_EQ(canon("(SELECT a FROM t ORDER BY a LIMIT 1) UNION ALL (SELECT b FROM u)"),
            "(SELECT a FROM t ORDER BY a LIMIT 1) UNION ALL (SELECT b FROM u)");
  EXPECT_EQ(canon("((SELECT 1))"), "SELECT 1");
  EXPECT_EQ(canon("SELECT * FROM ((SELECT 1) UNION ALL (SELECT 2)) AS u"),
            "SELECT * FROM ((SELECT 1) UNION ALL (SELECT 2)) AS u");
  EXPECT_THROW(parse_statement("SELECT 1 UNION SELECT 2"), SqlError);
  EXPECT_THROW(parse_statement("SELECT 1 UNION ALL SELECT 2 UNION DISTINCT SELECT 3"), SqlError);
  EXPECT_THROW(parse_statement("SELECT 1 UNION ALL SELECT 2 EXCEPT DISTINCT SELECT 3"), SqlError);
  EXPECT_THROW(parse_statement("SELECT 1 INTERSECT ALL SELECT 2"), SqlError);
}

TEST(ParserQuery, GroupByForms) {
  EXPECT_EQ(select_of(parse_statement("SELECT a FROM t GROUP BY ROLLUP(a, b)")).group_by->kind, GroupByKind::Rollup);
  EXPECT_EQ(select_of(parse_statement("SELECT a FROM t GROUP BY CUBE(a)")).group_by->kind, GroupByKind::Cube);
  EXPECT_EQ(select_of(parse_statement("SELECT a, SUM(b) FROM t GROUP BY ALL")).group_by->kind, GroupByKind::All);
  EXPECT_EQ(canon("SELECT pose, COUNT(*) n FROM t GROUP BY pose ORDER BY n DESC"),
            "SELECT pose, COUNT(*) AS n FROM t GROUP BY pose ORDER BY n DESC");
  EXPECT_EQ(canon("SELECT a FROM t GROUP BY ROLLUP(a, b)"), "SELECT a FROM t GROUP BY ROLLUP(a, b)");
}

TEST(ParserQuery, NamedWindows) {
  EXPECT_EQ(canon("SELECT SUM(x) OVER w2 FROM t WINDOW w1 AS (PARTITION BY a), w2 AS (w1 ORDER BY b), w3 AS w1"),
            "SELECT SUM(x) OVER w2 FROM t WINDOW w1 AS (PARTITION BY a), w2 AS (w1 ORDER BY b), w3 AS w1");
}

TEST(ParserQuery, CorrelatedSubqueries) {
  EXPECT_EQ(canon("SELECT a, (SELECT MAX(b) FROM u WHERE u.k = t.k) AS m FROM t WHERE EXISTS (SELECT 1 FROM v "
                  "WHERE v.k = t.k) AND a IN (SELECT a FROM w)"),
            "SELECT a, (SELECT MAX(b) FROM u WHERE u.k = t.k) AS m FROM t WHERE EXISTS(SELECT 1 FROM v WHERE v.k = "
            "t.k) AND a IN (SELECT a FROM w)");
}
