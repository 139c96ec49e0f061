// EXPORT MODEL and CREATE MODEL ... OPTIONS(model_path = ...) for forests: the imported model
// predicts bit for bit what the exported one did, keeps its training info, and a missing,
// truncated or corrupted file is an error naming the file.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "forest_sql_helpers.hpp"
#include "visiondb/api/database.hpp"
#include "visiondb/ml/forest/serialize.hpp"

using namespace visiondb;
using forest_sql_test::error_of;
using forest_sql_test::make_table;
using forest_sql_test::model_of;

namespace {

struct ScratchDir {
  std::filesystem::path path;
  ScratchDir() {
    path = std::filesystem::temp_directory_path() /
           ("visiondb_forest_export_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(path);
  }
  ~ScratchDir() { std::filesystem::remove_all(path); }
  std::string file(const std::string& name) const { return (path / name).string(); }
};

// Every value of every row, doubles as their exact bits (via %a).
std::vector<std::string> rows_of(Database& db, const std::string& sql) {
  auto r = db.query(sql);
  std::vector<std::string> out;
  std::function<std::string(const Value&)> text = [&](const Value& v) -> std::string {
    if (v.is_null()) return "NULL";
    if (v.type().id() == TypeId::Float64) {
      char b[64];
      std::snprintf(b, sizeof b, "%a", v.as_float64());
      return b;
    }
    if (v.type().id() == TypeId::Array || v.type().id() == TypeId::Struct) {
      std::string s = "[";
      for (const auto& c : v.children()) s += text(c) + ",";
      return s + "]";
    }
    return v.to_string();
  };
  for (size_t i = 0; i < r.row_count(); ++i) {
    std::string row;
    for (size_t c = 0; c < r.column_count(); ++c) row += text(r.get_as<Value>(i, c)) + "|";
    out.push_back(row);
  }
  return out;
}

std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

}  // namespace

TEST(ForestExport, ClassifierRoundTripPredictsBitForBit) {
  ScratchDir dir;
  Database db;
  make_table(db, "d", 600);
  db.query("CREATE MODEL m OPTIONS(model_type = 'RANDOM_FOREST_CLASSIFIER', input_label_cols = ['label'], num_parallel_tree = 12,"
           " data_split_method = 'CUSTOM', data_split_col = 'is_eval') AS SELECT x, n, flag, color, emb, label, is_eval FROM d");
  const std::string path = dir.file("m.vdbforest");
  auto status = db.query("EXPORT MODEL m OPTIONS(uri = '" + path + "')");
  ASSERT_TRUE(std::filesystem::exists(path));
  db.query("CREATE MODEL back OPTIONS(model_type = 'random_forest_classifier', model_path = 'file://" + path + "')");
  auto a = model_of(db, "m"), b = model_of(db, "back");
  ASSERT_TRUE(a && b);
  EXPECT_EQ(ml::serialize_forest(a->forest), ml::serialize_forest(b->forest));
  // NULL features included: some rows get NULL x and NULL colors.
  const std::string rows = "(SELECT id, IF(MOD(id, 7) = 0, NULL, x) AS x, n, flag, IF(MOD(id, 5) = 0, NULL, color) AS color, emb FROM d)";
  const auto want = rows_of(db, "SELECT * FROM ML.PREDICT(MODEL m, " + rows + ") ORDER BY id");
  EXPECT_EQ(want.size(), 600u);
  EXPECT_EQ(rows_of(db, "SELECT * FROM ML.PREDICT(MODEL back, " + rows + ") ORDER BY id"), want);
  for (const char* fn : {"ML.TRAINING_INFO", "ML.FEATURE_IMPORTANCE"})
    EXPECT_EQ(rows_of(db, std::string("SELECT * FROM ") + fn + "(MODEL back)"), rows_of(db, std::string("SELECT * FROM ") + fn + "(MODEL m)"))
        << fn;
  EXPECT_EQ(rows_of(db, "SELECT * FROM ML.EVALUATE(MODEL back, TABLE d)"), rows_of(db, "SELECT * FROM ML.EVALUATE(MODEL m, TABLE d)"));
  // Without a table the exported model evaluated its split, which the file does not hold.
  EXPECT_NE(error_of(db, "SELECT * FROM ML.EVALUATE(MODEL back)").find("was imported from"), std::string::npos);
  // Exporting the import gives the same file.
  db.query("EXPORT MODEL back OPTIONS(uri = '" + dir.file("again.vdbforest") + "')");
  EXPECT_EQ(read_bytes(dir.file("again.vdbforest")), read_bytes(path));
}

TEST(ForestExport, RegressorRoundTrip) {
  ScratchDir dir;
  Database db;
  make_table(db, "d", 300);
  db.query("CREATE MODEL r OPTIONS(model_type = 'RANDOM_FOREST_REGRESSOR', input_label_cols = ['y'], num_parallel_tree = 8)"
           " AS SELECT x, flag, color, y FROM d");
  db.query("EXPORT MODEL r OPTIONS(uri = '" + dir.file("r.bin") + "')");
  db.query("CREATE OR REPLACE MODEL r2 OPTIONS(model_type = 'RANDOM_FOREST_REGRESSOR', model_path = '" + dir.file("r.bin") + "')");
  EXPECT_EQ(rows_of(db, "SELECT * FROM ML.PREDICT(MODEL r2, TABLE d) ORDER BY id"),
            rows_of(db, "SELECT * FROM ML.PREDICT(MODEL r, TABLE d) ORDER BY id"));
  // A regressor's file is not a classifier.
  const std::string e = error_of(db, "CREATE MODEL c OPTIONS(model_type = 'RANDOM_FOREST_CLASSIFIER', model_path = '" + dir.file("r.bin") + "')");
  EXPECT_NE(e.find(dir.file("r.bin")), std::string::npos) << e;
  EXPECT_NE(e.find("holds a RANDOM_FOREST_REGRESSOR"), std::string::npos) << e;
}

TEST(ForestExport, FolderUris) {
  // BigQuery exports into a folder: uri 'folder/' writes folder/model.vdbforest; model_path
  // 'folder', 'folder/' or 'folder/*' imports the one .vdbforest file there.
  ScratchDir dir;
  Database db;
  make_table(db, "d", 200);
  db.query("CREATE MODEL m OPTIONS(model_type = 'RANDOM_FOREST_CLASSIFIER', input_label_cols = ['label'], num_parallel_tree = 4)"
           " AS SELECT x, color, label FROM d");
  db.query("EXPORT MODEL m OPTIONS(uri = '" + dir.file("exported/m1/") + "')");
  EXPECT_TRUE(std::filesystem::exists(dir.file("exported/m1/model.vdbforest")));
  const auto want = rows_of(db, "SELECT * FROM ML.PREDICT(MODEL m, TABLE d) ORDER BY id");
  for (const char* suffix : {"", "/", "/*"}) {
    db.query("CREATE OR REPLACE MODEL back OPTIONS(model_type = 'RANDOM_FOREST_CLASSIFIER', model_path = '" +
             dir.file("exported/m1") + suffix + "')");
    EXPECT_EQ(rows_of(db, "SELECT * FROM ML.PREDICT(MODEL back, TABLE d) ORDER BY id"), want) << suffix;
  }
  // An existing folder given without '/' is a folder too.
  db.query("EXPORT MODEL m OPTIONS(uri = '" + dir.file("exported/m1") + "')");
  std::filesystem::create_directories(dir.file("empty"));
  const std::string e = error_of(db, "CREATE MODEL y OPTIONS(model_type = 'RANDOM_FOREST_CLASSIFIER', model_path = '" + dir.file("empty/*") + "')");
  EXPECT_NE(e.find(dir.file("empty")), std::string::npos) << e;
  EXPECT_NE(e.find("holds 0 .vdbforest files"), std::string::npos) << e;
}

TEST(ForestExport, BadFilesAreErrorsNamingTheFile) {
  ScratchDir dir;
  Database db;
  make_table(db, "d", 200);
  db.query("CREATE MODEL m OPTIONS(model_type = 'RANDOM_FOREST_CLASSIFIER', input_label_cols = ['label'], num_parallel_tree = 3)"
           " AS SELECT x, color, label FROM d");
  const std::string good = dir.file("m.model");
  db.query("EXPORT MODEL m OPTIONS(uri = '" + good + "')");
  const std::string bytes = read_bytes(good);
  auto import_error = [&](const std::string& path) {
    return error_of(db, "CREATE OR REPLACE MODEL x OPTIONS(model_type = 'RANDOM_FOREST_CLASSIFIER', model_path = '" + path + "')");
  };
  std::string e = import_error(dir.file("missing.model"));
  EXPECT_NE(e.find(dir.file("missing.model")), std::string::npos) << e;
  EXPECT_NE(e.find("cannot open"), std::string::npos) << e;
  // Truncated anywhere: in the SQL fields, in the forest, one byte short.
  for (size_t cut : {size_t{3}, size_t{20}, size_t{60}, bytes.size() / 2, bytes.size() - 1}) {
    const std::string path = dir.file("cut" + std::to_string(cut) + ".model");
    write_bytes(path, bytes.substr(0, cut));
    e = import_error(path);
    EXPECT_NE(e.find(path), std::string::npos) << "cut at " << cut << ": " << e;
    EXPECT_NE(e.find("not a valid visiondb forest"), std::string::npos) << "cut at " << cut << ": " << e;
  }
  std::string bad = bytes;
  bad[2] = 'X';
  write_bytes(dir.file("magic.model"), bad);
  EXPECT_NE(import_error(dir.file("magic.model")).find("VDBFMDL"), std::string::npos);
  write_bytes(dir.file("long.model"), bytes + "!");
  EXPECT_NE(import_error(dir.file("long.model")).find("long.model"), std::string::npos);
  // The model is untouched by failed imports and still exports.
  EXPECT_FALSE(model_of(db, "x"));
  // Statement errors.
  EXPECT_NE(error_of(db, "EXPORT MODEL nope OPTIONS(uri = 'a')").find("model \"nope\" not found"), std::string::npos);
  EXPECT_NE(error_of(db, "EXPORT MODEL m OPTIONS(path = 'a')").find("needs OPTIONS(uri"), std::string::npos);
  EXPECT_NE(error_of(db, "EXPORT MODEL m OPTIONS(uri = 'a', format = 'x')").find("unknown EXPORT MODEL option \"format\""),
            std::string::npos);
  e = error_of(db, "EXPORT MODEL m OPTIONS(uri = '" + dir.file("no/such/dir/m.model") + "')");
  EXPECT_NE(e.find(dir.file("no/such/dir/m.model")), std::string::npos) << e;
  e = error_of(db, "CREATE MODEL y OPTIONS(model_type = 'RANDOM_FOREST_CLASSIFIER', model_path = '" + good + "') AS SELECT x, label FROM d");
  EXPECT_NE(e.find("not both"), std::string::npos) << e;
  e = error_of(db, "CREATE MODEL y OPTIONS(model_type = 'RANDOM_FOREST_CLASSIFIER', model_path = '" + good + "', num_parallel_tree = 3)");
  EXPECT_NE(e.find("does not apply to a model imported"), std::string::npos) << e;
}
