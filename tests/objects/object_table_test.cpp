// Object tables through SQL: the columns against the filesystem and md5sum, content types from
// signatures, SELECT * without data, and the lazy property: a filter that keeps a few files reads
// only those (counted by io::object_io_totals and shown by EXPLAIN ANALYZE).
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <fstream>

#include "objects/test_images.hpp"
#include "visiondb/api/database.hpp"
#include "visiondb/functions/ml/decode_image.hpp"
#include "visiondb/io/object_table.hpp"

namespace {

using namespace visiondb;
using visiondb::test::ScratchDir;
using visiondb::test::TestFormat;

std::string source_dir() {
  const char* env = std::getenv("VISIONDB_SOURCE_DIR");
  return env ? env : VISIONDB_SOURCE_DIR;
}

// n small PNGs img000.png ... plus a JPEG, a BMP and a text file.
void make_images(const ScratchDir& dir, int n) {
  for (int i = 0; i < n; ++i) {
    char name[32];
    std::snprintf(name, sizeof name, "img%03d.png", i);
    test::write_test_image(dir.path(name), test::make_test_image(4 + i % 5, 3 + i % 4, 3, i), TestFormat::Png);
  }
  test::write_test_image(dir.path("photo.jpg"), test::make_test_image(16, 8, 3, 1), TestFormat::Jpeg);
  test::write_test_image(dir.path("gray.bmp"), test::make_test_image(5, 5, 1, 2), TestFormat::Bmp);
  dir.write("readme.txt", "not an image");
}

std::string plan_text(const QueryResult& r) {
  std::string out;
  for (size_t i = 0; i < r.row_count(); ++i) out += r.get(i, 0).to_string() + "\n";
  return out;
}

TEST(ObjectTable, SchemaIsBigQuerysAndStarLeavesOutData) {
  ScratchDir dir;
  make_images(dir, 3);
  Database db;
  db.query("CREATE EXTERNAL TABLE t OPTIONS (object_metadata = 'SIMPLE', uris = ['" + dir.path() + "/*'])");
  auto r = db.query("SELECT * FROM t");
  const std::vector<std::string> names{"uri", "generation", "content_type", "size", "md5_hash", "updated", "metadata"};
  ASSERT_EQ(r.column_count(), names.size());
  for (size_t c = 0; c < names.size(); ++c) EXPECT_EQ(r.column_name(c), names[c]);
  EXPECT_EQ(r.column_type(1), LogicalType::int64());
  EXPECT_EQ(r.column_type(5), LogicalType::timestamp());
  EXPECT_EQ(r.column_type(6).to_string(), "ARRAY<STRUCT<name STRING, value STRING>>");
  EXPECT_EQ(r.row_count(), 6u);
  auto d = db.query("SELECT t.data FROM t");
  EXPECT_EQ(d.column_type(0), LogicalType::bytes());
  EXPECT_EQ(db.query("SELECT t.* FROM t").column_count(), names.size());
}

TEST(ObjectTable, ColumnsMatchTheFilesystemAndMd5sum) {
  ScratchDir dir;
  make_images(dir, 5);
  Database db;
  db.mount("gs://imgs", dir.path());
  ASSERT_EQ(db.mounts().size(), 1u);
  db.query("CREATE EXTERNAL TABLE t OPTIONS (object_metadata = 'SIMPLE', uris = ['gs://imgs/*'])");
  auto r = db.query("SELECT uri, size, md5_hash, updated, generation, content_type, data FROM t ORDER BY uri");
  ASSERT_EQ(r.row_count(), 8u);
  for (size_t i = 0; i < r.row_count(); ++i) {
    const std::string uri = r.get(i, 0).as_string();
    ASSERT_EQ(uri.rfind("gs://imgs/", 0), 0u) << uri;
    const std::string path = dir.path(uri.substr(10));
    struct stat st;
    ASSERT_EQ(::stat(path.c_str(), &st), 0) << path;
    const int64_t mtime = int64_t(st.st_mtim.tv_sec) * 1000000 + st.st_mtim.tv_nsec / 1000;
    EXPECT_EQ(r.get(i, 1).as_int64(), int64_t(st.st_size)) << uri;
    EXPECT_EQ(r.get(i, 2).as_string(), test::hex_to_base64(test::md5sum_hex(path))) << uri;
    EXPECT_EQ(r.get(i, 3).as_timestamp(), mtime) << uri;
    EXPECT_EQ(r.get(i, 4).as_int64(), mtime) << uri;
    EXPECT_EQ(r.get(i, 6).as_string(), test::read_file(path)) << uri;
    const std::string type = r.get(i, 5).as_string();
    if (uri.ends_with(".png")) EXPECT_EQ(type, "image/png");
    if (uri.ends_with(".jpg")) EXPECT_EQ(type, "image/jpeg");
    if (uri.ends_with(".bmp")) EXPECT_EQ(type, "image/bmp");
    if (uri.ends_with(".txt")) EXPECT_EQ(type, "text/plain");
  }
}

TEST(ObjectTable, ContentTypeComesFromTheSignatureBeforeTheName) {
  ScratchDir dir;
  test::write_test_image(dir.path("png_named.jpg"), test::make_test_image(3, 3, 3, 0), TestFormat::Png);
  test::write_test_image(dir.path("jpeg_named.bmp"), test::make_test_image(3, 3, 3, 0), TestFormat::Jpeg);
  test::write_test_image(dir.path("bmp_no_extension"), test::make_test_image(3, 3, 3, 0), TestFormat::Bmp);
  dir.write("gif.dat", "GIF89a\x01\x00\x01\x00");
  dir.write("webp.bin", std::string("RIFF\x10\x00\x00\x00WEBPVP8 ", 16));
  dir.write("data.csv", "a,b\n1,2\n");
  dir.write("unknown", "\x01\x02\x03");
  Database db;
  db.query("CREATE EXTERNAL TABLE t OPTIONS (object_metadata = 'SIMPLE', uris = ['" + dir.path() + "/*'])");
  auto r = db.query("SELECT uri, content_type FROM t ORDER BY uri");
  std::map<std::string, std::string> got;
  for (size_t i = 0; i < r.row_count(); ++i) got[std::filesystem::path(r.get(i, 0).as_string()).filename()] = r.get(i, 1).as_string();
  EXPECT_EQ(got["png_named.jpg"], "image/png");
  EXPECT_EQ(got["jpeg_named.bmp"], "image/jpeg");
  EXPECT_EQ(got["bmp_no_extension"], "image/bmp");
  EXPECT_EQ(got["gif.dat"], "image/gif");
  EXPECT_EQ(got["webp.bin"], "image/webp");
  EXPECT_EQ(got["data.csv"], "text/csv");
  EXPECT_EQ(got["unknown"], "application/octet-stream");
}

TEST(ObjectTable, FiltersRunBeforeAnyFileIsRead) {
  ScratchDir dir;
  make_images(dir, 200);
  Database db;
  db.query("CREATE EXTERNAL TABLE t OPTIONS (object_metadata = 'SIMPLE', uris = ['" + dir.path() + "/*.png'])");
  const auto size_of = [&](const char* name) { return int64_t(std::filesystem::file_size(dir.path(name))); };

  // Listing columns only: no file is opened.
  auto before = io::object_io_totals();
  EXPECT_EQ(db.query("SELECT COUNT(*), SUM(size) FROM t WHERE generation > 0").get(0, 0).as_int64(), 200);
  auto after = io::object_io_totals();
  EXPECT_EQ(after.files_listed - before.files_listed, 200u);
  EXPECT_EQ(after.files_opened - before.files_opened, 0u);

  // data of the two files the filter keeps, and only theirs.
  before = after;
  auto r = db.query("SELECT uri, LENGTH(data) FROM t WHERE uri LIKE '%img01_.png' AND REGEXP_CONTAINS(uri, r'img01[37]')");
  after = io::object_io_totals();
  ASSERT_EQ(r.row_count(), 2u);
  EXPECT_EQ(after.files_opened - before.files_opened, 2u);
  EXPECT_EQ(after.bytes_read - before.bytes_read, uint64_t(size_of("img013.png") + size_of("img017.png")));

  // A filter on a file column runs after the cheap ones, on the files they kept.
  before = after;
  r = db.query("SELECT uri FROM t WHERE content_type = 'image/png' AND uri LIKE '%img00_.png'");
  after = io::object_io_totals();
  EXPECT_EQ(r.row_count(), 10u);
  EXPECT_EQ(after.files_opened - before.files_opened, 10u) << "content_type read for the 10 uri matches only";

  // md5_hash only when selected.
  before = after;
  db.query("SELECT uri, size FROM t WHERE uri LIKE '%img1%'");
  after = io::object_io_totals();
  EXPECT_EQ(after.files_opened - before.files_opened, 0u);
}

// The headline property at its scale: of 10,000 image files, a filter keeping 1% reads and
// decodes exactly those 100.
TEST(ObjectTable, TenThousandFilesAFilterKeepingOnePercentReadsOnlyThose) {
  ScratchDir dir;
  const std::string png = test::read_file(source_dir() + "/tests/data/objects/poses/downdog/d2.png");
  ASSERT_FALSE(png.empty());
  // Hard links to one file: 10,000 names without 10,000 inodes to create (fast on a busy disk).
  const std::string first = dir.write("img00000.png", png);
  for (int i = 1; i < 10000; ++i) {
    char name[32];
    std::snprintf(name, sizeof name, "img%05d.png", i);
    ASSERT_EQ(::link(first.c_str(), dir.path(name).c_str()), 0) << name;
  }
  Database db;
  db.mount("gs://many", dir.path());
  db.query("CREATE EXTERNAL TABLE t OPTIONS (object_metadata = 'SIMPLE', uris = ['gs://many/*.png'])");
  const auto before = io::object_io_totals();
  const uint64_t decoded_before = fn::images_decoded_total();
  auto r = db.query("SELECT uri, ML.DECODE_IMAGE(data) AS image FROM t WHERE REGEXP_CONTAINS(uri, r'00\\.png$')");
  const auto after = io::object_io_totals();
  ASSERT_EQ(r.row_count(), 100u);
  EXPECT_EQ(after.files_listed - before.files_listed, 10000u);
  EXPECT_EQ(after.files_opened - before.files_opened, 100u);
  EXPECT_EQ(after.bytes_read - before.bytes_read, 100u * png.size());
  EXPECT_EQ(fn::images_decoded_total() - decoded_before, 100u);
  for (size_t i = 0; i < r.row_count(); ++i) EXPECT_EQ(r.get(i, 1).to_string(), "IMAGE<7x10x3>");
}

TEST(ObjectTable, LimitReadsTheDataOfTheRowsItTakes) {
  ScratchDir dir;
  make_images(dir, 40);
  DatabaseOptions o;
  o.threads = 1;  // one morsel at a time: the counts below are exact
  Database db(o);
  db.query("CREATE EXTERNAL TABLE t OPTIONS (object_metadata = 'SIMPLE', uris = ['" + dir.path() + "/*.png'])");
  auto all = db.query("SELECT uri, LENGTH(data) FROM t WHERE uri LIKE '%1%'");
  auto before = io::object_io_totals();
  auto r = db.query("SELECT uri, LENGTH(data) FROM t LIMIT 3");
  auto after = io::object_io_totals();
  ASSERT_EQ(r.row_count(), 3u);
  EXPECT_EQ(after.files_opened - before.files_opened, 3u);
  EXPECT_EQ(r.get(0, 0).as_string(), dir.path("img000.png"));
  before = after;
  r = db.query("SELECT uri, LENGTH(data) FROM t WHERE uri LIKE '%1%' LIMIT 2 OFFSET 1");
  after = io::object_io_totals();
  ASSERT_EQ(r.row_count(), 2u);
  EXPECT_EQ(after.files_opened - before.files_opened, 3u);
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(r.get(i, 0), all.get(i + 1, 0));
    EXPECT_EQ(r.get(i, 1), all.get(i + 1, 1));
  }
  auto plan = plan_text(db.query("EXPLAIN SELECT uri, LENGTH(data) FROM t LIMIT 3"));
  EXPECT_NE(plan.find("limit: 3"), std::string::npos) << plan;
  // Not through an ORDER BY: every row is needed there.
  plan = plan_text(db.query("EXPLAIN SELECT uri, LENGTH(data) FROM t ORDER BY size LIMIT 3"));
  EXPECT_EQ(plan.find("limit:"), std::string::npos) << plan;
}

TEST(ObjectTable, ExplainAnalyzeShowsWhatWasRead) {
  ScratchDir dir;
  make_images(dir, 120);
  Database db;
  db.query("CREATE EXTERNAL TABLE t OPTIONS (object_metadata = 'SIMPLE', uris = ['" + dir.path() + "/*.png'])");
  const int64_t bytes = int64_t(std::filesystem::file_size(dir.path("img042.png")));
  auto plan = plan_text(db.query("EXPLAIN ANALYZE SELECT uri, ML.DECODE_IMAGE(data) FROM t WHERE uri LIKE '%img042.png'"));
  EXPECT_NE(plan.find("files listed: 120 in 1 folders, files read: 1, bytes read: " + std::to_string(bytes)), std::string::npos)
      << plan;
  EXPECT_NE(plan.find("rows: 1,"), std::string::npos) << plan;
  EXPECT_NE(plan.find("images decoded: 1"), std::string::npos) << plan;
  EXPECT_NE(plan.find("ml.decode_image(data, uri)"), std::string::npos) << plan;
  // Plain EXPLAIN reads nothing.
  plan = plan_text(db.query("EXPLAIN SELECT uri, ML.DECODE_IMAGE(data) FROM t"));
  EXPECT_NE(plan.find("files listed: 120 in 1 folders, files read: 0, bytes read: 0"), std::string::npos) << plan;
}

TEST(ObjectTable, MountsFromSqlAndCpp) {
  ScratchDir a, b;
  a.write("x/one.txt", "1");
  b.write("x/two.txt", "22");
  Database db;
  db.query("SET mount = 'gs://bkt=" + a.path() + "'");
  db.query("CREATE EXTERNAL TABLE t OPTIONS (object_metadata = 'SIMPLE', uris = ['gs://bkt/x/*'])");
  EXPECT_EQ(db.query("SELECT uri FROM t").get(0, 0).as_string(), "gs://bkt/x/one.txt");
  db.mount("gs://bkt", b.path());
  EXPECT_EQ(db.query("SELECT uri, size FROM t").get(0, 0).as_string(), "gs://bkt/x/two.txt");
  EXPECT_TRUE(db.unmount("gs://bkt"));
  try {
    db.query("SELECT uri FROM t");
    FAIL() << "an unmounted bucket must be an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("gs://bkt is not mounted"), std::string::npos) << e.what();
  }
  EXPECT_THROW(db.mount("not a bucket", "/tmp"), InvalidArgument);
}

TEST(ObjectTable, ObjectTablesJoinOrdinaryTables) {
  Database db;
  db.query("SET mount = 'gs://fixtures=" + source_dir() + "/tests/data/objects'");
  db.query("CREATE EXTERNAL TABLE poses OPTIONS (object_metadata = 'SIMPLE', uris = ['gs://fixtures/poses/*'])");
  db.query("CREATE TABLE info (file STRING, pose STRING)");
  db.query("INSERT INTO info VALUES ('gs://fixtures/poses/tree/t1.jpg', 'tree'), ('gs://fixtures/poses/downdog/d1.jpg', 'downdog')");
  auto r = db.query("SELECT i.pose, p.size, p.content_type FROM poses p JOIN info i ON p.uri = i.file ORDER BY i.pose");
  ASSERT_EQ(r.row_count(), 2u);
  EXPECT_EQ(r.get(0, 0).as_string(), "downdog");
  EXPECT_EQ(r.get(0, 1).as_int64(), 761);
  EXPECT_EQ(r.get(1, 2).as_string(), "image/jpeg");
  // data and images through the join; a broken file's error still names it.
  r = db.query("SELECT i.pose, ML.DECODE_IMAGE(p.data) AS img FROM poses p JOIN info i ON p.uri = i.file ORDER BY i.pose");
  ASSERT_EQ(r.row_count(), 2u);
  EXPECT_EQ(r.get(0, 1).to_string(), "IMAGE<12x16x3>");
  EXPECT_EQ(r.get(1, 1).to_string(), "IMAGE<15x20x3>");
  db.query("CREATE EXTERNAL TABLE broken OPTIONS (object_metadata = 'SIMPLE', uris = ['gs://fixtures/broken/*.jpg'])");
  db.query("INSERT INTO info VALUES ('gs://fixtures/broken/truncated.jpg', 'half')");
  try {
    db.query("SELECT i.pose, ML.DECODE_IMAGE(b.data) FROM info i JOIN broken b ON b.uri = i.file");
    ADD_FAILURE() << "a truncated file must not decode";
  } catch (const SqlError& e) {
    EXPECT_NE(std::string(e.what()).find("cannot decode \"gs://fixtures/broken/truncated.jpg\""), std::string::npos) << e.what();
  }
}

TEST(ObjectTable, SharedDataFolderListsEveryFile) {
  const std::string data = test::shared_data_dir();
  if (data.empty()) GTEST_SKIP() << "no shared data dir (set VISIONDB_DATA_DIR)";
  const std::string yoga = data + "/images/yoga_poses";
  if (!std::filesystem::is_directory(yoga)) GTEST_SKIP() << "no " << yoga;
  size_t jpgs = 0, all = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(yoga)) {
    if (!e.is_regular_file()) continue;
    ++all;
    jpgs += e.path().extension() == ".jpg";
  }
  Database db;
  db.mount("gs://yoga_images", yoga);
  db.query("CREATE EXTERNAL TABLE poses OPTIONS (object_metadata = 'SIMPLE', uris = ['gs://yoga_images/*.jpg'])");
  EXPECT_EQ(db.query("SELECT COUNT(*) FROM poses").get(0, 0).as_int64(), int64_t(jpgs));
  db.query("CREATE EXTERNAL TABLE everything OPTIONS (object_metadata = 'SIMPLE', uris = ['gs://yoga_images/**'])");
  EXPECT_EQ(db.query("SELECT COUNT(*) FROM everything").get(0, 0).as_int64(), int64_t(all));
  // Every .jpg is a JPEG by its signature.
  EXPECT_EQ(db.query("SELECT COUNTIF(content_type = 'image/jpeg') FROM poses").get(0, 0).as_int64(), int64_t(jpgs));
}

}  // namespace
