#include "visiondb/io/csv_reader.hpp"

#include <gtest/gtest.h>

#include "io/io_test_util.hpp"

using namespace visiondb;
using namespace visiondb::io;
using visiondb::io::testing::cell;
using visiondb::io::testing::rows_of;
using visiondb::io::testing::ScratchDir;

namespace {

CsvData read_text(const ScratchDir& dir, const std::string& text, CsvReadOptions o = {}) {
  return read_csv_file(dir.write("t.csv", text), o);
}

std::vector<std::string> names_of(const Schema& s) {
  std::vector<std::string> out;
  for (const auto& c : s.columns()) out.push_back(c.name);
  return out;
}

std::vector<std::string> types_of(const Schema& s) {
  std::vector<std::string> out;
  for (const auto& c : s.columns()) out.push_back(c.type.to_string());
  return out;
}

}  // namespace

TEST(CsvReader, HeaderDetectedAndTypesInferred) {
  ScratchDir dir;
  auto d = read_text(dir,
                     "id,name,score,active,day,at\n"
                     "1,ann,1.5,true,2024-01-02,2024-01-02 03:04:05\n"
                     "2,bob,2,false,2024-02-29,2024-01-02T03:04:05.25Z\n");
  EXPECT_EQ(names_of(d.schema), (std::vector<std::string>{"id", "name", "score", "active", "day", "at"}));
  EXPECT_EQ(types_of(d.schema), (std::vector<std::string>{"INT64", "STRING", "FLOAT64", "BOOL", "DATE", "TIMESTAMP"}));
  ASSERT_EQ(d.data->rows, 2u);
  EXPECT_EQ(cell(d, 0, 0), Value::int64(1));
  EXPECT_EQ(cell(d, 1, 1), Value::string("bob"));
  EXPECT_EQ(cell(d, 1, 2), Value::float64(2.0));
  EXPECT_EQ(cell(d, 0, 3), Value::boolean(true));
  EXPECT_EQ(cell(d, 1, 4).to_string(), "2024-02-29");
  EXPECT_EQ(cell(d, 0, 5).to_string(), "2024-01-02 03:04:05+00");
  EXPECT_EQ(cell(d, 1, 5).to_string(), "2024-01-02 03:04:05.25+00");
}

TEST(CsvReader, AllStringFirstRowIsDataWhenColumnsAreStrings) {
  // BigQuery's rule: a first row of strings is a header only when some column below is not a string.
  ScratchDir dir;
  auto d = read_text(dir, "a,b\nc,d\n");
  EXPECT_EQ(names_of(d.schema), (std::vector<std::string>{"string_field_0", "string_field_1"}));
  EXPECT_EQ(d.data->rows, 2u);
  EXPECT_EQ(cell(d, 0, 0), Value::string("a"));
}

TEST(CsvReader, HeaderlessNumbersGetTypedDefaultNames) {
  ScratchDir dir;
  auto d = read_text(dir, "1,2.5,x\n3,4,y\n");
  EXPECT_EQ(names_of(d.schema), (std::vector<std::string>{"int64_field_0", "double_field_1", "string_field_2"}));
  EXPECT_EQ(d.data->rows, 2u);
}

TEST(CsvReader, SkipLeadingRowsNamesColumnsFromTheLastSkippedRow) {
  ScratchDir dir;
  CsvReadOptions o;
  o.skip_leading_rows = 2;
  auto d = read_text(dir, "# exported by a tool\npose,benefit\ntree,balance\nwarrior,strength\n", o);
  EXPECT_EQ(names_of(d.schema), (std::vector<std::string>{"pose", "benefit"}));
  EXPECT_EQ(rows_of(d), (std::vector<std::string>{"tree|balance", "warrior|strength"}));
  o.skip_leading_rows = 0;
  auto all = read_text(dir, "x,y\n1,2\n", o);
  EXPECT_EQ(all.data->rows, 2u);
  EXPECT_EQ(types_of(all.schema), (std::vector<std::string>{"STRING", "STRING"}));
}

TEST(CsvReader, QuotedFieldsDoubledQuotesAndEmbeddedNewlines) {
  ScratchDir dir;
  auto d = read_text(dir,
                     "k,text\n"
                     "1,\"plain\"\n"
                     "2,\"with, comma\"\n"
                     "3,\"say \"\"hi\"\"\"\n"
                     "4,\"two\nlines\"\n"
                     "5,\"\"\"\"\n");
  ASSERT_EQ(d.data->rows, 5u);
  EXPECT_EQ(cell(d, 0, 1), Value::string("plain"));
  EXPECT_EQ(cell(d, 1, 1), Value::string("with, comma"));
  EXPECT_EQ(cell(d, 2, 1), Value::string("say \"hi\""));
  EXPECT_EQ(cell(d, 3, 1), Value::string("two\nlines"));
  EXPECT_EQ(cell(d, 4, 1), Value::string("\""));
}

TEST(CsvReader, CrlfLineEndingsAndNoFinalNewline) {
  ScratchDir dir;
  auto d = read_text(dir, "a,b\r\n1,\"x\r\ny\"\r\n2,z");
  ASSERT_EQ(d.data->rows, 2u);
  EXPECT_EQ(names_of(d.schema), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(cell(d, 0, 1), Value::string("x\r\ny"));  // inside quotes, CRLF is data
  EXPECT_EQ(cell(d, 1, 1), Value::string("z"));
}

TEST(CsvReader, Utf8BomIsSkipped) {
  ScratchDir dir;
  auto d = read_text(dir, "\xEF\xBB\xBFn,v\n1,2\n");
  EXPECT_EQ(names_of(d.schema), (std::vector<std::string>{"n", "v"}));
}

TEST(CsvReader, DefaultNullMarker) {
  // Empty unquoted field: NULL for every type; quoted empty field: the empty string for STRING.
  ScratchDir dir;
  auto d = read_text(dir, "i,s\n1,x\n,\n3,\"\"\n");
  ASSERT_EQ(d.data->rows, 3u);
  EXPECT_TRUE(cell(d, 1, 0).is_null());
  EXPECT_TRUE(cell(d, 1, 1).is_null());
  EXPECT_EQ(cell(d, 2, 1), Value::string(""));
}

TEST(CsvReader, CustomNullMarker) {
  ScratchDir dir;
  CsvReadOptions o;
  o.null_marker = "\\N";
  auto d = read_text(dir, "i,s\n1,x\n\\N,\\N\n3,\n", o);
  ASSERT_EQ(d.data->rows, 3u);
  EXPECT_EQ(types_of(d.schema), (std::vector<std::string>{"INT64", "STRING"}));
  EXPECT_TRUE(cell(d, 1, 0).is_null());
  EXPECT_TRUE(cell(d, 1, 1).is_null());
  EXPECT_EQ(cell(d, 2, 1), Value::string(""));  // with a custom marker, empty is a value
}

TEST(CsvReader, ExplicitSchemaConvertsAndSkipsHeader) {
  ScratchDir dir;
  CsvReadOptions o;
  o.skip_leading_rows = 1;
  o.schema = Schema({{"id", LogicalType::int64()}, {"ok", LogicalType::boolean()}, {"w", LogicalType::float64()},
                     {"b", LogicalType::bytes()}});
  auto d = read_text(dir, "whatever,names,here,b\n7,yes,3,aGk=\n8,0,-1e3,\n", o);
  EXPECT_EQ(names_of(d.schema), (std::vector<std::string>{"id", "ok", "w", "b"}));
  ASSERT_EQ(d.data->rows, 2u);
  EXPECT_EQ(cell(d, 0, 1), Value::boolean(true));
  EXPECT_EQ(cell(d, 1, 1), Value::boolean(false));
  EXPECT_EQ(cell(d, 1, 2), Value::float64(-1000.0));
  EXPECT_EQ(cell(d, 0, 3), Value::bytes("hi"));
  EXPECT_TRUE(cell(d, 1, 3).is_null());
}

TEST(CsvReader, WideningPastTheSample) {
  // The sample sees integers only; a float and then a word later widen the columns, and a column
  // that is empty in the sample takes the type of its first later values.
  ScratchDir dir;
  std::string text = "a,b,c\n";
  for (int i = 0; i < 100; ++i) text += std::to_string(i) + "," + std::to_string(i) + ",\n";
  text += "1.5,oops,42\n";
  CsvReadOptions o;
  o.sample_rows = 10;
  o.block_bytes = 64;
  auto d = read_text(dir, text, o);
  EXPECT_EQ(types_of(d.schema), (std::vector<std::string>{"FLOAT64", "STRING", "INT64"}));
  ASSERT_EQ(d.data->rows, 101u);
  EXPECT_EQ(cell(d, 100, 0), Value::float64(1.5));
  EXPECT_EQ(cell(d, 5, 1), Value::string("5"));
  EXPECT_TRUE(cell(d, 5, 2).is_null());
  EXPECT_EQ(cell(d, 100, 2), Value::int64(42));
}

TEST(CsvReader, DateAndTimestampJoinToTimestampIntAndBoolToString) {
  ScratchDir dir;
  auto d = read_text(dir, "d,x\n2024-01-01,true\n2024-01-01 10:00:00+02:00,1\n");
  EXPECT_EQ(types_of(d.schema), (std::vector<std::string>{"TIMESTAMP", "STRING"}));
  EXPECT_EQ(cell(d, 0, 0).to_string(), "2024-01-01 00:00:00+00");
  EXPECT_EQ(cell(d, 1, 0).to_string(), "2024-01-01 08:00:00+00");
}

TEST(CsvReader, AllNullColumnIsString) {
  ScratchDir dir;
  auto d = read_text(dir, "a,b\n1,\n2,\n");
  EXPECT_EQ(types_of(d.schema), (std::vector<std::string>{"INT64", "STRING"}));
  EXPECT_TRUE(cell(d, 1, 1).is_null());
}

TEST(CsvReader, TabDelimiterAndNoQuoting) {
  ScratchDir dir;
  CsvReadOptions o;
  o.field_delimiter = '\t';
  o.quote.reset();
  o.skip_leading_rows = 1;
  auto d = read_text(dir, "a\tb\n\"x\t5\n", o);
  EXPECT_EQ(cell(d, 0, 0), Value::string("\"x"));
  EXPECT_EQ(cell(d, 0, 1), Value::int64(5));
}

TEST(CsvReader, JaggedRowsAndUnknownValuesWhenAllowed) {
  ScratchDir dir;
  CsvReadOptions o;
  o.allow_jagged_rows = true;
  o.ignore_unknown_values = true;
  auto d = read_text(dir, "a,b,c\n1,2,3\n4\n5,6,7,8\n", o);
  EXPECT_EQ(rows_of(d), (std::vector<std::string>{"1|2|3", "4|NULL|NULL", "5|6|7"}));
}

TEST(CsvReader, BlankLinesAreSkipped) {
  ScratchDir dir;
  auto d = read_text(dir, "a,b\n1,2\n\n\r\n3,4\n\n");
  EXPECT_EQ(rows_of(d), (std::vector<std::string>{"1|2", "3|4"}));
}

TEST(CsvReader, SingleColumnEmptyLinesAreNull) {
  ScratchDir dir;
  auto d = read_text(dir, "v\n1\n\n3\n");
  EXPECT_EQ(rows_of(d), (std::vector<std::string>{"1", "NULL", "3"}));
}

TEST(CsvReader, ManyFilesThroughAGlob) {
  ScratchDir dir;
  dir.write("parts/p1.csv", "id,v\n1,a\n2,b\n");
  dir.write("parts/p2.csv", "id,v\n3,c\n");
  dir.write("parts/skip.txt", "not csv\n");
  auto d = read_csv({dir.path("parts/*.csv")});
  EXPECT_EQ(d.files.size(), 2u);
  EXPECT_EQ(rows_of(d), (std::vector<std::string>{"1|a", "2|b", "3|c"}));
}

TEST(CsvReader, InferSchemaFromTheSample) {
  ScratchDir dir;
  dir.write("s.csv", "x,y\n1,a\n");
  Schema s = infer_csv_schema({dir.path("s.csv")});
  EXPECT_EQ(names_of(s), (std::vector<std::string>{"x", "y"}));
  EXPECT_EQ(types_of(s), (std::vector<std::string>{"INT64", "STRING"}));
}

TEST(CsvReader, ChunksHoldAtMostVectorSizeRows) {
  ScratchDir dir;
  std::string text = "n\n";
  for (int i = 0; i < 5000; ++i) text += std::to_string(i) + "\n";
  auto d = read_text(dir, text);
  ASSERT_EQ(d.data->rows, 5000u);
  size_t total = 0;
  for (const auto& ch : d.data->chunks) {
    EXPECT_LE(ch->size(), kVectorSize);
    total += ch->size();
  }
  EXPECT_EQ(total, 5000u);
  EXPECT_EQ(cell(d, 4999, 0), Value::int64(4999));
}

TEST(CsvOptions, FromSqlOptionValues) {
  CsvReadOptions o;
  EXPECT_TRUE(apply_csv_read_option(o, "skip_leading_rows", Value::int64(1)));
  EXPECT_TRUE(apply_csv_read_option(o, "FIELD_DELIMITER", Value::string("tab")));
  EXPECT_TRUE(apply_csv_read_option(o, "max_bad_records", Value::int64(3)));
  EXPECT_TRUE(apply_csv_read_option(o, "null_marker", Value::string("NA")));
  EXPECT_FALSE(apply_csv_read_option(o, "uris", Value::string("x")));
  EXPECT_EQ(*o.skip_leading_rows, 1);
  EXPECT_EQ(o.field_delimiter, '\t');
  EXPECT_EQ(o.max_bad_records, 3);
  EXPECT_EQ(o.null_marker, "NA");
  try {
    apply_csv_read_option(o, "max_bad_records", Value::string("3"));
    FAIL();
  } catch (const InvalidArgument& e) {
    EXPECT_STREQ(e.what(), "option max_bad_records expects an INT64, got STRING");
  }
  EXPECT_THROW(apply_csv_read_option(o, "skip_leading_rows", Value::int64(-1)), InvalidArgument);
  EXPECT_THROW(apply_csv_read_option(o, "field_delimiter", Value::string(";;")), InvalidArgument);
  auto uris = string_list_option("uris", Value::array(LogicalType::string(), {Value::string("a"), Value::string("b")}));
  EXPECT_EQ(uris, (std::vector<std::string>{"a", "b"}));
  CsvWriteOptions w;
  EXPECT_TRUE(apply_csv_write_option(w, "overwrite", Value::boolean(true)));
  EXPECT_TRUE(w.overwrite);
  EXPECT_THROW(apply_csv_write_option(w, "compression", Value::string("GZIP")), InvalidArgument);
}

TEST(CsvReader, HeaderNamesAreTrimmedAndMadeUnique) {
  ScratchDir dir;
  CsvReadOptions o;
  o.skip_leading_rows = 1;
  auto d = read_text(dir, " id ,Name,name,id_2, \n1,a,b,c,d\n", o);
  // The last header field is blank: that column gets BigQuery's default name.
  EXPECT_EQ(names_of(d.schema), (std::vector<std::string>{"id", "Name", "name_2", "id_2", "string_field_4"}));
}

TEST(CsvReader, HeaderDetectedAgainstAnExplicitSchema) {
  // An inferred schema used again (as an external table does) reads the file the same way.
  ScratchDir dir;
  const std::string path = dir.write("h.csv", "id,name\n1,a\n2,b\n");
  Schema inferred = infer_csv_schema({path});
  CsvReadOptions o;
  o.schema = inferred;
  CsvData d = read_csv_file(path, o);
  EXPECT_EQ(rows_of(d), (std::vector<std::string>{"1|a", "2|b"}));
  // An all-string schema cannot tell a header from data (BigQuery's rule): the row is data.
  o.schema = Schema({{"a", LogicalType::string()}, {"b", LogicalType::string()}});
  EXPECT_EQ(read_csv_file(path, o).data->rows, 3u);
  // A first row that fits the schema is data.
  o.schema = inferred;
  EXPECT_EQ(read_csv_file(dir.write("n.csv", "7,x\n8,y\n"), o).data->rows, 2u);
}
