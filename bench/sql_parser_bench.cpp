// SQL front end: tokenizing, parsing and printing the seeds' queries and a long generated script.
#include <benchmark/benchmark.h>

#include <string>

#include "visiondb/sql/ast_printer.hpp"
#include "visiondb/sql/lexer.hpp"
#include "visiondb/sql/parser.hpp"

namespace {

using namespace visiondb::sql;

const std::string kYogaQuery =
    "SELECT uri, label, score FROM (SELECT uri, l.label, score, ROW_NUMBER() OVER (PARTITION BY uri ORDER BY "
    "score DESC) AS rn, SPLIT(uri, \"/\")[OFFSET(ARRAY_LENGTH(SPLIT(uri, \"/\")) - 1)] AS img FROM "
    "ML.PREDICT(MODEL yoga_set.yoga_poses_resnet, (SELECT uri, ML.DECODE_IMAGE(data) AS input_1 FROM "
    "yoga_set.yoga_poses WHERE REGEXP_CONTAINS(uri, 'Downdog'))), UNNEST(activation_49) AS score WITH OFFSET i "
    "JOIN yoga_set.labels l ON l.idx = i) WHERE rn <= 3 ORDER BY uri, score DESC";

// The same query shape SQLite also parses (no BigQuery-only syntax): for the peer comparison.
const std::string kPortableQuery =
    "SELECT a, b, SUM(c) AS s, COUNT(*) AS n FROM t JOIN u ON t.k = u.k WHERE a > 1 AND b LIKE 'x%' AND c "
    "BETWEEN 1 AND 100 AND d IN (1, 2, 3) GROUP BY a, b HAVING SUM(c) > 10 ORDER BY a DESC, b LIMIT 10";

std::string make_script(int statements) {
  std::string script;
  for (int i = 0; i < statements; ++i) {
    script += "INSERT INTO t (id, name, score, tags) VALUES (" + std::to_string(i) + ", 'name_" + std::to_string(i) +
              "', " + std::to_string(i * 0.25) + ", ['a', 'b']);\n";
    script += kPortableQuery + ";\n";
  }
  return script;
}

void BM_Sql_Tokenize(benchmark::State& state, const std::string& sql) {
  for (auto _ : state) benchmark::DoNotOptimize(tokenize(sql));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * sql.size()));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}

void BM_Sql_Parse(benchmark::State& state, const std::string& sql) {
  for (auto _ : state) benchmark::DoNotOptimize(parse_script(sql));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * sql.size()));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}

void BM_Sql_IsComplete(benchmark::State& state, const std::string& sql) {
  std::string statement = sql + ";";
  for (auto _ : state) benchmark::DoNotOptimize(is_complete_statement(statement));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * statement.size()));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}

void BM_Sql_Print(benchmark::State& state, const std::string& sql) {
  StatementPtr statement = parse_statement(sql);
  for (auto _ : state) benchmark::DoNotOptimize(to_sql(*statement));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}

const std::string kScript = make_script(500);

BENCHMARK_CAPTURE(BM_Sql_Tokenize, yoga_query, kYogaQuery);
BENCHMARK_CAPTURE(BM_Sql_Parse, yoga_query, kYogaQuery);
BENCHMARK_CAPTURE(BM_Sql_Tokenize, portable_query, kPortableQuery);
BENCHMARK_CAPTURE(BM_Sql_Parse, portable_query, kPortableQuery);
BENCHMARK_CAPTURE(BM_Sql_IsComplete, portable_query, kPortableQuery);
BENCHMARK_CAPTURE(BM_Sql_Tokenize, script_1000_statements, kScript);
BENCHMARK_CAPTURE(BM_Sql_Parse, script_1000_statements, kScript);
BENCHMARK_CAPTURE(BM_Sql_Print, yoga_query, kYogaQuery);

}  // namespace

BENCHMARK_MAIN();
