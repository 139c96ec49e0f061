#include "visiondb/api/result_printer.hpp"

#include <gtest/gtest.h>

using namespace visiondb;

namespace {

QueryResult people() {
  std::vector<LogicalType> types = {LogicalType::int64(), LogicalType::string(), LogicalType::float64()};
  ChunkBuilder b(types);
  b.append_row({Value::int64(1), Value::string("ann"), Value::float64(1.5)});
  b.append_row({Value::int64(22), Value::string("b,\"o\"\nb"), Value::null(LogicalType::float64())});
  return QueryResult({"id", "name", "score"}, types, b.finish());
}

QueryResult numbers(int n) {
  std::vector<LogicalType> types = {LogicalType::int64()};
  ChunkBuilder b(types);
  for (int i = 0; i < n; ++i) b.append_row({Value::int64(i)});
  return QueryResult({"n"}, types, b.finish());
}

QueryResult nested() {
  LogicalType st = LogicalType::structure({{"a", LogicalType::int64()}, {"b", LogicalType::string()}});
  std::vector<LogicalType> types = {LogicalType::array(LogicalType::float64()), st, LogicalType::timestamp()};
  ChunkBuilder b(types);
  b.append_row({Value::array(LogicalType::float64(), {Value::float64(0.5), Value::float64(2)}),
                Value::structure(st, {Value::int64(1), Value::string("x\"y")}), Value::timestamp(1500000)});
  return QueryResult({"xs", "s", "at"}, types, b.finish());
}

}  // namespace

TEST(ResultPrinter, TableBoxDrawing) {
  EXPECT_EQ(format_result(people()),
            "┌───────┬──────────┬─────────┐\n"
            "│  id   │   name   │  score  │\n"
            "│ INT64 │  STRING  │ FLOAT64 │\n"
            "├───────┼──────────┼─────────┤\n"
            "│     1 │ ann      │     1.5 │\n"
            "│    22 │ b,\"o\"\\nb │    NULL │\n"
            "└───────┴──────────┴─────────┘\n");
}

TEST(ResultPrinter, TableElidesTheMiddleOfLongResults) {
  PrintOptions o;
  o.max_rows = 4;
  EXPECT_EQ(format_result(numbers(100), o),
            "┌───────┐\n"
            "│   n   │\n"
            "│ INT64 │\n"
            "├───────┤\n"
            "│     0 │\n"
            "│     1 │\n"
            "│   ·   │\n"
            "│    98 │\n"
            "│    99 │\n"
            "└───────┘\n"
            "100 rows (4 shown)\n");
}

TEST(ResultPrinter, TableCutsWideValues) {
  PrintOptions o;
  o.max_column_width = 5;
  std::vector<LogicalType> types = {LogicalType::string()};
  ChunkBuilder b(types);
  b.append_row({Value::string("abcdefgh")});
  std::string text = format_result(QueryResult({"s"}, types, b.finish()), o);
  EXPECT_NE(text.find("│ abcd…  │"), std::string::npos) << text;
}

TEST(ResultPrinter, CsvQuotesLikeRfc4180) {
  PrintOptions o;
  o.format = OutputFormat::Csv;
  EXPECT_EQ(format_result(people(), o), "id,name,score\n1,ann,1.5\n22,\"b,\"\"o\"\"\nb\",\n");
  o.header = false;
  EXPECT_EQ(format_result(numbers(2), o), "0\n1\n");
  o.header = true;
  EXPECT_EQ(format_result(nested(), o), "xs,s,at\n\"[0.5, 2]\",\"{a: 1, b: x\"\"y}\",1970-01-01 00:00:01.5 UTC\n");
}

TEST(ResultPrinter, JsonArrayAndLines) {
  PrintOptions o;
  o.format = OutputFormat::Json;
  EXPECT_EQ(format_result(people(), o),
            "[{\"id\":1,\"name\":\"ann\",\"score\":1.5},\n{\"id\":22,\"name\":\"b,\\\"o\\\"\\nb\",\"score\":null}]\n");
  EXPECT_EQ(format_result(numbers(0), o), "[]\n");
  EXPECT_EQ(format_result(nested(), o),
            "[{\"xs\":[0.5,2],\"s\":{\"a\":1,\"b\":\"x\\\"y\"},\"at\":\"1970-01-01T00:00:01.5Z\"}]\n");
  o.format = OutputFormat::JsonLines;
  EXPECT_EQ(format_result(numbers(2), o), "{\"n\":0}\n{\"n\":1}\n");
}

TEST(ResultPrinter, Markdown) {
  PrintOptions o;
  o.format = OutputFormat::Markdown;
  EXPECT_EQ(format_result(people(), o),
            "| id | name | score |\n|---:|---|---:|\n| 1 | ann | 1.5 |\n| 22 | b,\"o\"<br>b | NULL |\n");
}

TEST(ResultPrinter, StatusResults) {
  EXPECT_EQ(format_result(QueryResult::status("CREATE TABLE")), "CREATE TABLE\n");
  EXPECT_EQ(format_result(QueryResult::status("INSERT", 3)), "INSERT (3 rows)\n");
  PrintOptions o;
  o.format = OutputFormat::Csv;
  EXPECT_EQ(format_result(QueryResult::status("INSERT", 3), o), "");
}

TEST(ResultPrinter, FormatNames) {
  EXPECT_EQ(parse_output_format("CSV"), OutputFormat::Csv);
  EXPECT_EQ(parse_output_format("md"), OutputFormat::Markdown);
  EXPECT_EQ(output_format_name(OutputFormat::JsonLines), "jsonl");
  try {
    parse_output_format("xml");
    FAIL();
  } catch (const InvalidArgument& e) {
    EXPECT_STREQ(e.what(), "unknown output format 'xml': expected table, csv, json, jsonl or markdown");
  }
}
