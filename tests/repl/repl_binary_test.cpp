// The built `visiondb` binary: -c, -f, --format, dot commands, exit statuses, and a long-lived
// session driven through pipes statement by statement (each result must arrive before the next
// statement is written, so results are flushed as soon as they are complete).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "repl/repl_process.hpp"

using visiondb::testing::ReplProcess;
using visiondb::testing::run_repl;

namespace {

std::string temp_file(const std::string& name, const std::string& content) {
  auto path = std::filesystem::temp_directory_path() / ("visiondb_repl_test_" + std::to_string(getpid()) + "_" + name);
  std::ofstream(path) << content;
  return path.string();
}

}  // namespace

TEST(ReplBinary, CommandWithCsvFormat) {
  auto r = run_repl({"-c", "SELECT 1 AS x, 'a,b' AS y", "--format", "csv"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "x,y\n1,\"a,b\"\n");
  EXPECT_EQ(r.err, "");
}

TEST(ReplBinary, SeveralStatementsPrintOnlyResults) {
  auto r = run_repl({"--format", "csv", "-c",
                     "CREATE TABLE t (a INT64, b STRING); INSERT INTO t VALUES (1, 'x'), (2, NULL);"
                     "SELECT a, b FROM t ORDER BY a; SELECT COUNT(*) AS n FROM t"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "a,b\n1,x\n2,\nn\n2\n");
}

TEST(ReplBinary, FailingCommandExitsWithOneAndShowsTheCaret) {
  auto r = run_repl({"-c", "SELECT 1 AS ok; SELECT nope FROM nowhere; SELECT 2 AS never", "--format", "csv"});
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.out, "ok\n1\n");  // the statement after the error does not run
  EXPECT_NE(r.err.find("LINE 1:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("^"), std::string::npos) << r.err;
}

TEST(ReplBinary, FileWithDotCommandsAndMultiLineStatements) {
  const std::string file = temp_file("script.sql",
                                     "-- a comment\n"
                                     "CREATE TABLE poses (name STRING, level INT64);\n"
                                     "INSERT INTO poses\n"
                                     "  VALUES ('tree', 1),\n"
                                     "         ('crow', 3);\n"
                                     ".mode json\n"
                                     "SELECT name FROM poses\n"
                                     "WHERE level > 1;\n"
                                     ".mode markdown\n"
                                     "SELECT level FROM poses ORDER BY level;\n"
                                     ".tables\n"
                                     ".schema poses\n");
  auto r = run_repl({"-f", file});
  std::filesystem::remove(file);
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out,
            "CREATE TABLE\n"
            "INSERT (2 rows)\n"  // the table format (the default) shows statuses
            "[{\"name\":\"crow\"}]\n"
            "| level |\n|---:|\n| 1 |\n| 3 |\n"
            "poses\n"
            "CREATE TABLE poses (name STRING, level INT64);\n");
}

TEST(ReplBinary, TableFormatIsTheDefault) {
  auto r = run_repl({"-c", "SELECT 42 AS answer"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("│ answer │"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("│     42 │"), std::string::npos) << r.out;
}

TEST(ReplBinary, EchoPrintsEachStatement) {
  auto r = run_repl({"--echo", "--format", "csv", "-c", "SELECT 1 AS a;\nSELECT 2 AS b"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "SELECT 1 AS a;\na\n1\nSELECT 2 AS b;\nb\n2\n");
}

TEST(ReplBinary, PipedSessionIsDrivenStatementByStatement) {
  ReplProcess p({"--format", "csv"});
  p.write("CREATE TABLE t (v INT64);\nINSERT INTO t VALUES (1), (2), (3);\n");
  p.write("SELECT SUM(v) AS total FROM t;\n");
  // The answer arrives while standard input is still open: flushed when complete.
  EXPECT_EQ(p.read_stdout_until("total\n6\n"), "total\n6\n");
  // A statement over several lines runs when its ';' arrives.
  p.write("SELECT COUNT(*)\n");
  p.write("  AS n FROM t\n");
  p.write(";\n");
  EXPECT_EQ(p.read_stdout_until("n\n3\n"), "n\n3\n");
  // An error goes to stderr, and the session goes on.
  p.write("SELECT nope FROM t;\n");
  std::string err = p.read_stderr_until("^");
  EXPECT_NE(err.find("nope"), std::string::npos) << err;
  p.write("INSERT INTO t VALUES (10);\nSELECT MAX(v) AS m FROM t;\n");
  EXPECT_EQ(p.read_stdout_until("m\n10\n"), "m\n10\n");
  std::string out, rest;
  EXPECT_EQ(p.wait(&out, &rest), 1);  // one statement failed
  EXPECT_EQ(out, "");
}

TEST(ReplBinary, LastStatementWithoutSemicolonRunsAtTheEnd) {
  auto r = run_repl({"--format", "csv"}, "SELECT 7 AS seven");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "seven\n7\n");
}

TEST(ReplBinary, QuitStopsReading) {
  auto r = run_repl({"--format", "csv"}, "SELECT 1 AS a;\n.quit\nSELECT 2 AS b;\n");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "a\n1\n");
}

TEST(ReplBinary, ThreadsOptionAndDotCommand) {
  auto r = run_repl({"--threads", "2", "--format", "csv"}, ".threads 1\nSELECT 3 AS c;\n.timer on\nSELECT 4 AS d;\n");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out.substr(0, 11), "c\n3\nd\n4\nRun");
  EXPECT_EQ(run_repl({"--threads", "0"}).status, 2);
}

TEST(ReplBinary, UnknownDotCommandAndFormat) {
  auto r = run_repl({"--format", "csv"}, ".frobnicate\nSELECT 1 AS a;\n");
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.out, "a\n1\n");
  EXPECT_NE(r.err.find("unknown command .frobnicate"), std::string::npos) << r.err;
  auto bad = run_repl({"--format", "xml", "-c", "SELECT 1"});
  EXPECT_EQ(bad.status, 2);
  EXPECT_NE(bad.err.find("unknown output format 'xml'"), std::string::npos) << bad.err;
}

TEST(ReplBinary, HelpAndVersion) {
  auto r = run_repl({"--help"});
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.out.find("usage: visiondb"), std::string::npos);
  EXPECT_EQ(run_repl({"--version"}).out.substr(0, 9), "visiondb ");
}

TEST(ReplBinary, CsvRoundTripThroughLoadAndExport) {
  const std::string dir = std::filesystem::temp_directory_path() / ("visiondb_repl_csv_" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  {
    std::ofstream(dir + "/in.csv") << "id,name,score\n1,\"tree, standing\",2.5\n2,\"say \"\"om\"\"\",\n";
  }
  auto r = run_repl({"--format", "csv", "-c",
                     "LOAD DATA INTO poses FROM FILES (format = 'CSV', uris = ['" + dir + "/in.csv'], skip_leading_rows = 1);"
                     "EXPORT DATA OPTIONS (uri = '" + dir + "/out.csv', format = 'CSV', overwrite = true) AS "
                     "SELECT id, name, score FROM poses ORDER BY id;"
                     "SELECT name FROM poses WHERE score IS NULL"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "name\n\"say \"\"om\"\"\"\n");
  std::ifstream in(dir + "/out.csv");
  std::string exported((std::istreambuf_iterator<char>(in)), {});
  EXPECT_EQ(exported, "id,name,score\n1,\"tree, standing\",2.5\n2,\"say \"\"om\"\"\",\n");
  std::filesystem::remove_all(dir);
}

TEST(ReplBinary, MountFlagMapsABucketToAFolder) {
  const std::string dir = std::string(VISIONDB_SOURCE_DIR) + "/tests/data/objects";
  auto r = run_repl({"--mount", "gs://fx=" + dir, "--format", "csv", "-c",
                     "CREATE EXTERNAL TABLE t OPTIONS (object_metadata = 'SIMPLE', uris = ['gs://fx/poses/*.gif']);"
                     "SELECT uri, ML.DECODE_IMAGE(data) AS img FROM t;\n.mounts"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "uri,img\ngs://fx/poses/tree/t3.gif,IMAGE<6x8x3>\ngs://fx = " + dir + "\n");
  auto bad = run_repl({"--mount", "/just/a/folder", "-c", "SELECT 1"});
  EXPECT_EQ(bad.status, 2);
  EXPECT_NE(bad.err.find("gs://bucket=/local/folder"), std::string::npos) << bad.err;
}
