// Bad rows: the exact error (file, line, column, what), max_bad_records, and bad options.
#include <gtest/gtest.h>

#include "io/io_test_util.hpp"
#include "visiondb/io/csv_reader.hpp"

using namespace visiondb;
using namespace visiondb::io;
using visiondb::io::testing::rows_of;
using visiondb::io::testing::ScratchDir;

namespace {

// The message of the IoError that reading `text` throws, with the path replaced by "t.csv".
std::string error_of(const ScratchDir& dir, const std::string& text, CsvReadOptions o = {}) {
  std::string path = dir.write("t.csv", text);
  try {
    read_csv_file(path, o);
  } catch (const IoError& e) {
    EXPECT_EQ(e.path(), path);
    std::string msg = e.what();
    size_t at = msg.find(path);
    if (at != std::string::npos) msg.replace(at, path.size(), "t.csv");
    return msg;
  }
  return "no error";
}

CsvReadOptions with_schema() {
  CsvReadOptions o;
  o.skip_leading_rows = 1;
  o.schema = Schema({{"id", LogicalType::int64()}, {"price", LogicalType::float64()}, {"day", LogicalType::date()}});
  return o;
}

}  // namespace

TEST(CsvErrors, ValueThatDoesNotConvertNamesLineAndColumn) {
  ScratchDir dir;
  EXPECT_EQ(error_of(dir, "id,price,day\n1,2.5,2024-01-01\n2,abc,2024-01-02\n", with_schema()),
            "\"t.csv\": line 3, column 2 (price): cannot parse 'abc' as FLOAT64");
  EXPECT_EQ(error_of(dir, "id,price,day\n1,2.5,2024-02-30\n", with_schema()),
            "\"t.csv\": line 2, column 3 (day): cannot parse '2024-02-30' as DATE");
}

TEST(CsvErrors, LineNumbersCountNewlinesInsideQuotes) {
  ScratchDir dir;
  CsvReadOptions o = with_schema();
  o.schema = Schema({{"id", LogicalType::int64()}, {"note", LogicalType::string()}});
  EXPECT_EQ(error_of(dir, "id,note\n1,\"a\nb\nc\"\nx,ok\n", o),
            "\"t.csv\": line 5, column 1 (id): cannot parse 'x' as INT64");
}

TEST(CsvErrors, WrongFieldCount) {
  ScratchDir dir;
  EXPECT_EQ(error_of(dir, "a,b,c\n1,2,3\n4,5\n"),
            "\"t.csv\": line 3: expected 3 fields, found 2 (allow_jagged_rows=true reads the missing ones as NULL)");
  EXPECT_EQ(error_of(dir, "a,b\n1,2\n3,4,5\n"),
            "\"t.csv\": line 3: expected 2 fields, found 3 (ignore_unknown_values=true drops the extra ones)");
}

TEST(CsvErrors, MalformedQuoting) {
  ScratchDir dir;
  EXPECT_EQ(error_of(dir, "a,b\n1,x\"y\"\n"),
            "\"t.csv\": line 2, column 2 (b): unexpected '\"' inside an unquoted field (quote the whole field and "
            "double the quotes in it)");
  EXPECT_EQ(error_of(dir, "a,b\n1,\"x\"y\n"),
            "\"t.csv\": line 2, column 2 (b): unexpected text after the closing quote of a quoted field");
  EXPECT_EQ(error_of(dir, "a,b\n1,2\n3,\"never closed\n4,5\n"), "\"t.csv\": line 3: unterminated quoted field");
}

TEST(CsvErrors, QuotedNewlinesCanBeRefused) {
  ScratchDir dir;
  CsvReadOptions o;
  o.allow_quoted_newlines = false;
  EXPECT_EQ(error_of(dir, "a,b\n1,\"x\ny\"\n", o),
            "\"t.csv\": line 2: newline inside a quoted field (allow_quoted_newlines is false)");
}

TEST(CsvErrors, EmptyValueWithCustomNullMarker) {
  ScratchDir dir;
  CsvReadOptions o = with_schema();
  o.null_marker = "NA";
  EXPECT_EQ(error_of(dir, "id,price,day\n1,,NA\n", o),
            "\"t.csv\": line 2, column 2 (price): empty value is not a valid FLOAT64 (the null_marker is 'NA')");
}

TEST(CsvErrors, MaxBadRecordsSkipsUpToTheLimit) {
  ScratchDir dir;
  CsvReadOptions o = with_schema();
  o.max_bad_records = 2;
  std::string path = dir.write("t.csv", "id,price,day\n1,1,2024-01-01\nx,2,2024-01-01\n3,3,2024-01-01\n4,4\n5,5,2024-01-05\n");
  CsvData d = read_csv_file(path, o);
  EXPECT_EQ(d.bad_records, 2u);
  EXPECT_EQ(rows_of(d), (std::vector<std::string>{"1|1|2024-01-01", "3|3|2024-01-01", "5|5|2024-01-05"}));
  o.max_bad_records = 1;
  EXPECT_EQ(error_of(dir, "id,price,day\n1,1,2024-01-01\nx,2,2024-01-01\n3,3,2024-01-01\n4,4\n", o),
            "\"t.csv\": line 3, column 1 (id): cannot parse 'x' as INT64 (more than max_bad_records = 1 bad rows)");
}

TEST(CsvErrors, BadRowsInManyBlocksReportTheFirstInFileOrder) {
  ScratchDir dir;
  std::string text = "id\n";
  for (int i = 1; i <= 3000; ++i) text += (i % 700 == 0 ? std::string("bad") : std::to_string(i)) + "\n";
  CsvReadOptions o;
  o.schema = Schema({{"id", LogicalType::int64()}});
  o.skip_leading_rows = 1;
  o.block_bytes = 97;
  EXPECT_EQ(error_of(dir, text, o), "\"t.csv\": line 701, column 1 (id): cannot parse 'bad' as INT64");
  o.max_bad_records = 4;
  CsvData d = read_csv_file(dir.write("t.csv", text), o);
  EXPECT_EQ(d.bad_records, 4u);
  EXPECT_EQ(d.data->rows, 2996u);
}

TEST(CsvErrors, MissingFilesAndPatterns) {
  ScratchDir dir;
  try {
    read_csv({dir.path("nope.csv")});
    FAIL();
  } catch (const IoError& e) {
    EXPECT_EQ(std::string(e.what()), "\"" + dir.path("nope.csv") + "\": no such file");
  }
  try {
    read_csv({dir.path("*.csv")});
    FAIL();
  } catch (const IoError& e) {
    EXPECT_EQ(std::string(e.what()), "\"" + dir.path("*.csv") + "\": no file matches this pattern");
  }
  EXPECT_EQ(error_of(dir, ""), "\"t.csv\": cannot infer a schema: the file has no rows (give a schema)");
}

TEST(CsvErrors, SchemaWithNestedTypesIsRefused) {
  ScratchDir dir;
  CsvReadOptions o;
  o.schema = Schema({{"xs", LogicalType::array(LogicalType::int64())}});
  try {
    read_csv_file(dir.write("t.csv", "1\n"), o);
    FAIL();
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("column \"xs\" has type ARRAY<INT64>"), std::string::npos) << e.what();
  }
}
