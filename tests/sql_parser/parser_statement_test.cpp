// Statements, scripts, and the two seed flows (the BigQuery yoga blog and MLDB's transfer learning).
#include <gtest/gtest.h>

#include "sql_test_util.hpp"

using namespace visiondb;
using namespace visiondb::sql;
using visiondb::sql::testing::canon;

namespace {
template <class T>
const T& parsed_as(const StatementPtr& s) {
  EXPECT_EQ(s->kind, T::kKind);
  return s->as<T>();
}
}  // namespace

TEST(ParserStatement, Explain) {
  StatementPtr s = parse_statement("EXPLAIN ANALYZE SELECT 1");
  const auto& e = parsed_as<ExplainStatement>(s);
  EXPECT_TRUE(e.analyze);
  EXPECT_EQ(e.statement->kind, StatementKind::Query);
  EXPECT_EQ(canon("explain select a from t"), "EXPLAIN SELECT a FROM t");
  EXPECT_EQ(canon("EXPLAIN CREATE TABLE t AS SELECT 1 AS x"), "EXPLAIN CREATE TABLE t AS SELECT 1 AS x");
}

TEST(ParserStatement, CreateTable) {
  StatementPtr s = parse_statement(
      "CREATE OR REPLACE TEMP TABLE ds.t (id INT64 NOT NULL, name STRING(20), scores ARRAY<FLOAT64>, "
      "meta STRUCT<w INT64, h INT64> OPTIONS(description = 'size'))");
  const auto& c = parsed_as<CreateTableStatement>(s);
  EXPECT_TRUE(c.flags.or_replace);
  EXPECT_TRUE(c.flags.temporary);
  EXPECT_FALSE(c.flags.if_not_exists);
  EXPECT_EQ(c.name.to_string(), "ds.t");
  ASSERT_EQ(c.columns.size(), 4u);
  EXPECT_TRUE(c.columns[0].not_null);
  EXPECT_EQ(c.columns[1].type.parameters, std::vector<int64_t>{20});
  EXPECT_TRUE(c.columns[2].type.is_array());
  EXPECT_EQ(c.columns[3].options.size(), 1u);
  EXPECT_EQ(c.as_query, nullptr);

  EXPECT_EQ(canon("create table if not exists t (a int64)"), "CREATE TABLE IF NOT EXISTS t (a INT64)");
  EXPECT_EQ(canon("CREATE TABLE emb AS SELECT uri, label FROM images"),
            "CREATE TABLE emb AS SELECT uri, label FROM images");
  EXPECT_EQ(canon("CREATE TABLE t (a INT64, b STRING) AS SELECT 1, 'x'"),
            "CREATE TABLE t (a INT64, b STRING) AS SELECT 1, 'x'");
  EXPECT_EQ(canon("CREATE TEMPORARY TABLE t OPTIONS(expiration_timestamp = TIMESTAMP '2030-01-01') AS SELECT 1"),
            "CREATE TEMP TABLE t OPTIONS(expiration_timestamp = TIMESTAMP '2030-01-01') AS SELECT 1");
}

TEST(ParserStatement, CreateExternalTable) {
  StatementPtr s = parse_statement(
      "CREATE OR REPLACE EXTERNAL TABLE `yoga_set.yoga_poses` WITH CONNECTION `us.my-connection` "
      "OPTIONS(object_metadata = \"SIMPLE\", uris = [\"gs://yoga_images/*.jpg\", 'more/**/*.png'])");
  const auto& c = parsed_as<CreateExternalTableStatement>(s);
  EXPECT_EQ(c.name.to_string(), "yoga_set.yoga_poses");
  EXPECT_EQ(c.connection.to_string(), "us.my-connection");
  ASSERT_EQ(c.options.size(), 2u);
  EXPECT_EQ(c.options[0].name.name, "object_metadata");
  const auto& uris = c.options[1].value->as<ArrayExpr>();
  ASSERT_EQ(uris.elements.size(), 2u);
  EXPECT_EQ(uris.elements[0]->as<LiteralExpr>().string_value, "gs://yoga_images/*.jpg");

  EXPECT_EQ(canon("CREATE EXTERNAL TABLE people (name STRING, age INT64) OPTIONS(format = 'CSV', uris = "
                  "['data/people.csv'], skip_leading_rows = 1)"),
            "CREATE EXTERNAL TABLE people (name STRING, age INT64) OPTIONS(format = 'CSV', uris = "
            "['data/people.csv'], skip_leading_rows = 1)");
  EXPECT_EQ(canon("CREATE EXTERNAL TABLE t WITH CONNECTION DEFAULT OPTIONS(uris = ['x'])"),
            "CREATE EXTERNAL TABLE t WITH CONNECTION DEFAULT OPTIONS(uris = ['x'])");
  EXPECT_THROW(parse_statement("CREATE EXTERNAL TABLE t"), SqlError);
}

TEST(ParserStatement, CreateSchemaModelFunctionView) {
  EXPECT_EQ(canon("create schema if not exists yoga_set options(location = 'US')"),
            "CREATE SCHEMA IF NOT EXISTS yoga_set OPTIONS(location = 'US')");

  StatementPtr m = parse_statement(
      "CREATE OR REPLACE MODEL yoga_set.forest TRANSFORM(* EXCEPT (uri), ML.STANDARD_SCALER(x) OVER () AS x) "
      "OPTIONS(model_type = 'RANDOM_FOREST_CLASSIFIER', input_label_cols = ['label'], num_parallel_tree = 100, "
      "data_split_method = 'RANDOM', data_split_eval_fraction = 0.5, seed = 42) AS SELECT * FROM emb");
  const auto& model = parsed_as<CreateModelStatement>(m);
  EXPECT_EQ(model.name.to_string(), "yoga_set.forest");
  EXPECT_EQ(model.transform.size(), 2u);
  EXPECT_EQ(model.options.size(), 6u);
  ASSERT_NE(model.as_query, nullptr);
  EXPECT_EQ(canon("CREATE MODEL IF NOT EXISTS m OPTIONS(model_type = 'RESNET50', model_path = 'w/resnet50.vdbw')"),
            "CREATE MODEL IF NOT EXISTS m OPTIONS(model_type = 'RESNET50', model_path = 'w/resnet50.vdbw')");

  StatementPtr f = parse_statement(
      "CREATE OR REPLACE TEMP FUNCTION ds.score(path STRING, k ANY TYPE) RETURNS STRUCT<label STRING, p FLOAT64> "
      "AS ((SELECT AS STRUCT predicted_label AS label, 0.5 AS p FROM ML.PREDICT(MODEL m, (SELECT path AS uri)))) ");
  const auto& fn = parsed_as<CreateFunctionStatement>(f);
  EXPECT_TRUE(fn.flags.temporary);
  ASSERT_EQ(fn.params.size(), 2u);
  EXPECT_EQ(fn.params[1].type.name, "ANY TYPE");
  ASSERT_NE(fn.returns, nullptr);
  EXPECT_EQ(fn.body->kind, ExprKind::Subquery);
  EXPECT_EQ(canon("CREATE FUNCTION f(x INT64) AS (x + 1)"), "CREATE FUNCTION f(x INT64) AS (x + 1)");
  EXPECT_EQ(canon("CREATE FUNCTION f() AS (SELECT 1)"), "CREATE FUNCTION f() AS ((SELECT 1))");
  EXPECT_EQ(canon("CREATE FUNCTION IF NOT EXISTS f(s STRING) RETURNS INT64 AS (LENGTH(s))"),
            "CREATE FUNCTION IF NOT EXISTS f(s STRING) RETURNS INT64 AS (LENGTH(s))");

  EXPECT_EQ(canon("CREATE OR REPLACE VIEW v AS SELECT 1 AS a"), "CREATE OR REPLACE VIEW v AS SELECT 1 AS a");
  EXPECT_EQ(canon("CREATE VIEW v (x) AS SELECT 1"), "CREATE VIEW v (x) AS SELECT 1");
  EXPECT_THROW(parse_statement("CREATE OR REPLACE TABLE IF NOT EXISTS t (a INT64)"), SqlError);
  EXPECT_THROW(parse_statement("CREATE TEMP MODEL m"), SqlError);
}

TEST(ParserStatement, Dml) {
  StatementPtr i = parse_statement("INSERT INTO t (a, b) VALUES (1, 'x'), (2, NULL)");
  const auto& ins = parsed_as<InsertStatement>(i);
  EXPECT_EQ(ins.columns.size(), 2u);
  ASSERT_EQ(ins.values.size(), 2u);
  EXPECT_EQ(ins.values[1].size(), 2u);
  EXPECT_EQ(ins.query, nullptr);
  EXPECT_EQ(canon("insert t select * from u"), "INSERT INTO t SELECT * FROM u");
  EXPECT_EQ(canon("INSERT INTO t (SELECT 1)"), "INSERT INTO t SELECT 1");
  EXPECT_EQ(canon("INSERT INTO t (a) (SELECT 1)"), "INSERT INTO t (a) SELECT 1");
  EXPECT_EQ(canon("INSERT INTO t (a) WITH w AS (SELECT 1) SELECT * FROM w"),
            "INSERT INTO t (a) WITH w AS (SELECT 1) SELECT * FROM w");

  StatementPtr d = parse_statement("DELETE FROM t AS x WHERE x.a > 1");
  EXPECT_EQ(parsed_as<DeleteStatement>(d).alias.name, "x");
  EXPECT_EQ(canon("delete t where true"), "DELETE FROM t WHERE TRUE");
  EXPECT_THROW(parse_statement("DELETE FROM t"), SqlError);  // BigQuery requires WHERE

  StatementPtr u = parse_statement("UPDATE t SET a = a + 1, s.f = 'x' WHERE b IS NULL");
  const auto& up = parsed_as<UpdateStatement>(u);
  ASSERT_EQ(up.assignments.size(), 2u);
  EXPECT_EQ(up.assignments[1].target.to_string(), "s.f");
  EXPECT_EQ(canon("UPDATE t u SET a = 1 FROM v WHERE u.k = v.k"), "UPDATE t AS u SET a = 1 FROM v WHERE u.k = v.k");

  EXPECT_EQ(canon("truncate table ds.t"), "TRUNCATE TABLE ds.t");
}

TEST(ParserStatement, Drop) {
  StatementPtr s = parse_statement("DROP SCHEMA IF EXISTS yoga_set CASCADE");
  const auto& d = parsed_as<DropStatement>(s);
  EXPECT_EQ(d.object, ObjectKind::Schema);
  EXPECT_TRUE(d.if_exists);
  EXPECT_TRUE(d.cascade);
  EXPECT_EQ(canon("drop table t"), "DROP TABLE t");
  EXPECT_EQ(canon("DROP EXTERNAL TABLE IF EXISTS t"), "DROP EXTERNAL TABLE IF EXISTS t");
  EXPECT_EQ(canon("DROP MODEL ds.m"), "DROP MODEL ds.m");
  EXPECT_EQ(canon("DROP FUNCTION IF EXISTS f"), "DROP FUNCTION IF EXISTS f");
  EXPECT_EQ(canon("DROP TEMP FUNCTION f"), "DROP FUNCTION f");
  EXPECT_EQ(canon("DROP VIEW v"), "DROP VIEW v");
  EXPECT_EQ(canon("DROP SCHEMA s RESTRICT"), "DROP SCHEMA s RESTRICT");
}

TEST(ParserStatement, LoadAndExportData) {
  StatementPtr l = parse_statement(
      "LOAD DATA INTO ds.images (path STRING, label STRING) FROM FILES(format = 'CSV', uris = ['labels/*.csv'], "
      "skip_leading_rows = 1, max_bad_records = 0)");
  const auto& load = parsed_as<LoadDataStatement>(l);
  EXPECT_FALSE(load.overwrite);
  EXPECT_EQ(load.columns.size(), 2u);
  EXPECT_EQ(load.from_files.size(), 4u);
  EXPECT_EQ(canon("LOAD DATA OVERWRITE t FROM FILES(format = 'CSV', uris = ['a.csv'])"),
            "LOAD DATA OVERWRITE t FROM FILES(format = 'CSV', uris = ['a.csv'])");

  StatementPtr x = parse_statement(
      "EXPORT DATA OPTIONS(uri = 'out.csv', format = 'CSV', overwrite = true, header = true) AS SELECT * FROM t");
  const auto& exp = parsed_as<ExportDataStatement>(x);
  EXPECT_EQ(exp.options.size(), 4u);
  EXPECT_EQ(exp.options[2].value->as<LiteralExpr>().literal_kind, LiteralKind::Bool);
  ASSERT_NE(exp.query, nullptr);
  EXPECT_EQ(canon("export data options(uri = 'o.csv') as select 1"), "EXPORT DATA OPTIONS(uri = 'o.csv') AS SELECT 1");
}

TEST(ParserStatement, ExportModel) {
  StatementPtr s = parse_statement("EXPORT MODEL ds.m WITH CONNECTION `us.c` OPTIONS(uri = 'gs://b/m/')");
  const auto& e = parsed_as<ExportModelStatement>(s);
  EXPECT_EQ(e.model.to_string(), "ds.m");
  EXPECT_EQ(e.connection.to_string(), "us.c");
  EXPECT_EQ(e.options.size(), 1u);
  EXPECT_EQ(canon("export model m options(uri = 'm.vdbforest')"), "EXPORT MODEL m OPTIONS(uri = 'm.vdbforest')");
  EXPECT_THROW(parse_statement("EXPORT MODEL m"), visiondb::SqlError);  // OPTIONS(uri) is required
}

TEST(ParserStatement, SetAndDeclare) {
  StatementPtr s = parse_statement("SET threads = 2");
  const auto& set = parsed_as<SetStatement>(s);
  EXPECT_EQ(set.target.to_string(), "threads");
  EXPECT_FALSE(set.system_variable);
  StatementPtr sys = parse_statement("SET @@dataset_id = 'yoga_set'");
  EXPECT_TRUE(parsed_as<SetStatement>(sys).system_variable);
  EXPECT_EQ(parsed_as<SetStatement>(sys).target.to_string(), "dataset_id");
  EXPECT_EQ(canon("set @@threads = 4"), "SET @@threads = 4");
  EXPECT_EQ(canon("SET mount = 'gs://bucket=/data/images'"), "SET mount = 'gs://bucket=/data/images'");

  StatementPtr d = parse_statement("DECLARE a, b INT64 DEFAULT 5");
  const auto& decl = parsed_as<DeclareStatement>(d);
  EXPECT_EQ(decl.names.size(), 2u);
  ASSERT_NE(decl.type, nullptr);
  ASSERT_NE(decl.default_value, nullptr);
  EXPECT_EQ(canon("DECLARE x DEFAULT 'y'"), "DECLARE x DEFAULT 'y'");
  EXPECT_EQ(canon("DECLARE v ARRAY<INT64>"), "DECLARE v ARRAY<INT64>");
  EXPECT_THROW(parse_statement("DECLARE x"), SqlError);
}

TEST(ParserScript, SplitsAndParsesEachStatementWithItsSpan) {
  std::string script =
      "CREATE TABLE t (a INT64);\n"
      "-- a comment; with a semicolon\n"
      "INSERT INTO t VALUES (1), (2);;\n"
      "SELECT ';' AS s, a FROM t /* ; */ ;\n"
      "SELECT 2";
  std::vector<ScriptStatement> stmts = parse_script(script);
  ASSERT_EQ(stmts.size(), 4u);
  auto text = [&](const SourceSpan& s) { return script.substr(s.offset, s.length); };
  EXPECT_EQ(text(stmts[0].span), "CREATE TABLE t (a INT64)");
  EXPECT_EQ(text(stmts[1].span), "INSERT INTO t VALUES (1), (2)");
  EXPECT_EQ(text(stmts[2].span), "SELECT ';' AS s, a FROM t");
  EXPECT_EQ(text(stmts[3].span), "SELECT 2");
  EXPECT_EQ(stmts[1].statement->kind, StatementKind::Insert);

  std::vector<SourceSpan> spans = split_statements(script);
  ASSERT_EQ(spans.size(), 4u);
  EXPECT_EQ(text(spans[2]), "SELECT ';' AS s, a FROM t");  // from the first token to the last
  EXPECT_TRUE(parse_script("  ;; -- nothing\n").empty());
  EXPECT_TRUE(split_statements("").empty());

  // Positional parameters are numbered per statement.
  std::vector<ScriptStatement> p = parse_script("SELECT ?, ?; SELECT ?");
  const auto& second = p[1].statement->as<QueryStatement>().query->body->as<Select>();
  EXPECT_EQ(second.items[0].expr->as<ParameterExpr>().position, 0u);
}

// ---- the seeds' flows, in this project's words -------------------------------------------------

TEST(ParserSeeds, BigQueryYogaBlogFlow) {
  const char* flow[] = {
      "CREATE SCHEMA IF NOT EXISTS yoga_set",
      "CREATE OR REPLACE EXTERNAL TABLE `yoga_set.yoga_poses` WITH CONNECTION `us.yoga-conn` "
      "OPTIONS(object_metadata = \"SIMPLE\", uris = [\"gs://yoga_images/yoga_poses/*.jpg\"])",
      "SELECT data, uri FROM `yoga_set.yoga_poses` WHERE REGEXP_CONTAINS(uri, 'gs://yoga_images/Downdog') Limit 1",
      "CREATE MODEL `yoga_set.yoga_poses_resnet` OPTIONS(model_type = 'RESNET50', model_path = 'weights/r50.vdbw')",
      "SELECT * FROM ML.PREDICT(MODEL yoga_set.yoga_poses_resnet, (SELECT uri, ML.DECODE_IMAGE(data) AS input_1 "
      "FROM yoga_set.yoga_poses WHERE REGEXP_CONTAINS(uri, '00000097.jpg')))",
      "SELECT SPLIT(uri, \"/\")[OFFSET(ARRAY_LENGTH(SPLIT(uri, \"/\")) - 1)] AS img FROM "
      "ML.PREDICT(MODEL yoga_set.yoga_poses_resnet, (SELECT uri, ML.DECODE_IMAGE(data) AS input_1 FROM "
      "yoga_set.yoga_poses WHERE REGEXP_CONTAINS(uri, 'Downdog'))), UNNEST(activation_49) AS score WITH OFFSET i",
      "with predictions as (SELECT Uri, data, SPLIT(uri, \"/\")[OFFSET(ARRAY_LENGTH(SPLIT(uri, \"/\")) - 1)] as img, "
      "i as label_i, score FROM ML.PREDICT(MODEL yoga_set.yoga_poses_resnet, (SELECT data, uri, "
      "ML.DECODE_IMAGE(data) AS input_1 FROM yoga_set.yoga_poses WHERE REGEXP_CONTAINS(uri, 'Downdog'))), "
      "UNNEST(activation_49) as score WITH OFFSET i) SELECT * FROM predictions",
      "SELECT uri, label, score FROM (SELECT uri, l.label, score, ROW_NUMBER() OVER (PARTITION BY uri ORDER BY "
      "score DESC) AS rn FROM ML.PREDICT(MODEL yoga_set.yoga_poses_resnet, (SELECT uri, ML.DECODE_IMAGE(data) AS "
      "input_1 FROM yoga_set.yoga_poses)), UNNEST(activation_49) AS score WITH OFFSET i JOIN yoga_set.labels l ON "
      "l.idx = i) WHERE rn <= 3 ORDER BY uri, score DESC",
      "SELECT SPLIT(uri, \"/\")[OFFSET(ARRAY_LENGTH(SPLIT(uri, \"/\")) - 2)] as pose, a.health_benefit, breath, "
      "focus, data FROM `abis-345004.yoga_set.yoga_health` a, yoga_set.yoga_poses b WHERE a.pose = SPLIT(uri, "
      "\"/\")[OFFSET(ARRAY_LENGTH(SPLIT(uri, \"/\")) - 2)]",
  };
  for (const char* sql : flow) {
    SCOPED_TRACE(sql);
    EXPECT_NO_THROW(canon(sql));
  }
  // The flattening query's shape: ML.PREDICT then a correlated UNNEST with its offset.
  StatementPtr s = parse_statement(flow[5]);
  const Select& sel = s->as<QueryStatement>().query->body->as<Select>();
  const auto& join = sel.from->as<JoinTableRef>();
  EXPECT_EQ(join.join_kind, JoinKind::Comma);
  const auto& predict = join.left->as<TableFunctionRef>();
  EXPECT_EQ(predict.upper_name(), "ML.PREDICT");
  EXPECT_EQ(predict.args[0].object.to_string(), "yoga_set.yoga_poses_resnet");
  EXPECT_EQ(predict.args[1].kind, FunctionArgKind::Query);
  const auto& unnest = join.right->as<UnnestTableRef>();
  EXPECT_EQ(unnest.offset_alias.name, "i");
  const auto& img = sel.items[0].expr->as<SubscriptExpr>();
  EXPECT_EQ(img.subscript_kind, SubscriptKind::Offset);
  EXPECT_EQ(img.index->as<BinaryExpr>().op, BinaryOp::Subtract);
}

TEST(ParserSeeds, MldbTransferLearningFlow) {
  std::string script = R"sql(
    CREATE OR REPLACE EXTERNAL TABLE cars_csv (path STRING, label STRING)
      OPTIONS(format = 'CSV', uris = ['cars/labels.csv'], skip_leading_rows = 1);
    CREATE OR REPLACE MODEL inception
      OPTIONS(model_type = 'INCEPTION_V3', model_path = 'weights/inception_v3.vdbw', embedding_output = 'pool_3');
    CREATE OR REPLACE TABLE car_embeddings AS
      SELECT uri, label, pool_3
      FROM ML.PREDICT(MODEL inception,
                      (SELECT o.uri, c.label, ML.DECODE_IMAGE(o.data) AS input
                       FROM cars o JOIN cars_csv c ON o.uri = c.path));
    CREATE OR REPLACE MODEL car_brand_cls
      OPTIONS(model_type = 'RANDOM_FOREST_CLASSIFIER', input_label_cols = ['label'], num_parallel_tree = 50,
              data_split_method = 'RANDOM', data_split_eval_fraction = 0.5, seed = 1)
      AS SELECT * EXCEPT(uri) FROM car_embeddings;
    SELECT * FROM ML.EVALUATE(MODEL car_brand_cls);
    SELECT * FROM ML.CONFUSION_MATRIX(MODEL car_brand_cls);
    CREATE OR REPLACE FUNCTION brand_predictor(image_path STRING) AS ((
      SELECT AS STRUCT predicted_label, predicted_label_probs
      FROM ML.PREDICT(MODEL car_brand_cls,
                      (SELECT pool_3 FROM ML.PREDICT(MODEL inception,
                         (SELECT ML.DECODE_IMAGE(data) AS input FROM cars WHERE uri = image_path))))));
    SELECT brand_predictor('cars/new_tesla.jpg').predicted_label;
    EXPORT DATA OPTIONS(uri = 'out/predictions.csv', format = 'CSV', overwrite = true, header = true)
      AS SELECT uri, label FROM car_embeddings;
  )sql";
  std::vector<ScriptStatement> stmts = parse_script(script);
  ASSERT_EQ(stmts.size(), 9u);
  for (const ScriptStatement& s : stmts) {
    std::string text = script.substr(s.span.offset, s.span.length);
    SCOPED_TRACE(text);
    EXPECT_EQ(canon(text), to_sql(*s.statement));
  }
  const auto& model = stmts[3].statement->as<CreateModelStatement>();
  EXPECT_EQ(model.as_query->body->as<Select>().items[0].except_columns[0].name, "uri");
  EXPECT_EQ(stmts[6].statement->kind, StatementKind::CreateFunction);
  EXPECT_EQ(stmts[7].statement->as<QueryStatement>().query->body->as<Select>().items[0].expr->kind,
            ExprKind::FieldAccess);
}
