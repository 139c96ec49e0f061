#include "visiondb/io/csv_writer.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "io/io_test_util.hpp"
#include "visiondb/io/csv_reader.hpp"

using namespace visiondb;
using namespace visiondb::io;
using visiondb::io::testing::read_file;
using visiondb::io::testing::rows_of;
using visiondb::io::testing::ScratchDir;

namespace {

struct Rows {
  std::vector<std::string> names;
  std::vector<LogicalType> types;
  std::vector<std::shared_ptr<const Chunk>> chunks;
};

Rows sample_table() {
  Rows t;
  t.names = {"id", "name", "score", "ok", "day", "at", "raw"};
  t.types = {LogicalType::int64(), LogicalType::string(), LogicalType::float64(), LogicalType::boolean(),
             LogicalType::date(),  LogicalType::timestamp(), LogicalType::bytes()};
  ChunkBuilder b(t.types);
  b.append_row({Value::int64(1), Value::string("plain"), Value::float64(0.1), Value::boolean(true), Value::date(19723),
                Value::timestamp(1704164645250000), Value::bytes("hi")});
  b.append_row({Value::int64(-2), Value::string("a,b \"q\"\nline"), Value::float64(1e300), Value::boolean(false),
                Value::null(LogicalType::date()), Value::null(LogicalType::timestamp()), Value::bytes("")});
  b.append_row({Value::null(LogicalType::int64()), Value::string(""), Value::null(LogicalType::float64()),
                Value::null(LogicalType::boolean()), Value::date(0), Value::timestamp(0),
                Value::null(LogicalType::bytes())});
  t.chunks = b.finish();
  return t;
}

}  // namespace

TEST(CsvWriter, QuotingNullsAndBigQueryTextForms) {
  ScratchDir dir;
  Rows t = sample_table();
  const std::string path = dir.path("out.csv");
  EXPECT_EQ(write_csv(path, t.names, t.types, t.chunks), 3u);
  EXPECT_EQ(read_file(path),
            "id,name,score,ok,day,at,raw\n"
            "1,plain,0.1,true,2024-01-01,2024-01-02 03:04:05.25 UTC,aGk=\n"
            "-2,\"a,b \"\"q\"\"\nline\",1e+300,false,,,\"\"\n"
            ",\"\",,,1970-01-01,1970-01-01 00:00:00 UTC,\n");
}

TEST(CsvWriter, RoundTripThroughTheReader) {
  ScratchDir dir;
  Rows t = sample_table();
  const std::string path = dir.path("rt.csv");
  write_csv(path, t.names, t.types, t.chunks);
  CsvReadOptions o;
  o.skip_leading_rows = 1;
  Schema schema;
  for (size_t i = 0; i < t.names.size(); ++i) schema.add({t.names[i], t.types[i]});
  o.schema = schema;
  CsvData d = read_csv_file(path, o);
  ASSERT_EQ(d.data->rows, 3u);
  for (size_t r = 0; r < 3; ++r)
    for (size_t c = 0; c < t.names.size(); ++c)
      EXPECT_EQ(visiondb::io::testing::cell(d, r, c), t.chunks[0]->get(c, r)) << "row " << r << " col " << c;
  // Inference gives the same types back, too.
  CsvData inferred = read_csv_file(path);
  EXPECT_EQ(inferred.schema[0].type, LogicalType::int64());
  EXPECT_EQ(inferred.schema[2].type, LogicalType::float64());
  EXPECT_EQ(inferred.schema[5].type, LogicalType::timestamp());
  EXPECT_EQ(rows_of(inferred)[1], "-2|a,b \"q\"\nline|1e+300|false|NULL|NULL|");
}

TEST(CsvWriter, OverwriteSemanticsLeaveNoTemporaryFiles) {
  ScratchDir dir;
  Rows t = sample_table();
  const std::string path = dir.write("exists.csv", "old\n");
  try {
    write_csv(path, t.names, t.types, t.chunks);
    FAIL();
  } catch (const IoError& e) {
    EXPECT_EQ(std::string(e.what()), "\"" + path + "\": already exists (overwrite=true replaces it)");
  }
  EXPECT_EQ(read_file(path), "old\n");
  CsvWriteOptions o;
  o.overwrite = true;
  o.header = false;
  o.field_delimiter = '|';
  write_csv(path, t.names, t.types, t.chunks, o);
  EXPECT_EQ(read_file(path).substr(0, 12), "1|plain|0.1|");
  size_t files = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir.path())) ++files;
  EXPECT_EQ(files, 1u);
  EXPECT_THROW(write_csv(dir.path("no/such/dir/x.csv"), t.names, t.types, t.chunks), IoError);
}

TEST(CsvWriter, NestedColumnsAreRefusedBeforeWriting) {
  ScratchDir dir;
  std::vector<LogicalType> types = {LogicalType::int64(), LogicalType::array(LogicalType::float64())};
  ChunkBuilder b(types);
  b.append_row({Value::int64(1), Value::array(LogicalType::float64(), {Value::float64(0.5)})});
  try {
    write_csv(dir.path("n.csv"), {"id", "scores"}, types, b.finish());
    FAIL();
  } catch (const InvalidArgument& e) {
    EXPECT_EQ(std::string(e.what()),
              "CSV cannot hold column \"scores\" of type ARRAY<FLOAT64> (BigQuery exports no ARRAY or STRUCT values "
              "to CSV: use TO_JSON_STRING, or format='JSON')");
  }
  EXPECT_FALSE(std::filesystem::exists(dir.path("n.csv")));
}

TEST(CsvWriter, ExportUriWildcardAndFileScheme) {
  EXPECT_EQ(export_path_of("file:///tmp/out/part-*.csv"), "/tmp/out/part-000000000000.csv");
  EXPECT_EQ(export_path_of("out.csv"), "out.csv");
  EXPECT_THROW(export_path_of("a*b*.csv"), InvalidArgument);
}
