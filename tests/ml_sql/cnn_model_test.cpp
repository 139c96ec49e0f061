// CREATE MODEL over converted CNN weights: the options, where model_path may point (a path,
// file://, gs:// through a mount), DROP MODEL, OR REPLACE / IF NOT EXISTS, the model's description,
// and the errors (missing or corrupt file, the other architecture, unknown options), each with a
// caret under the option at fault.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "ml_sql/cnn_fixture.hpp"
#include "visiondb/api/database.hpp"
#include "visiondb/functions/ml/cnn_model.hpp"
#include "common/sql_error_text.hpp"

using namespace visiondb;
using visiondb::test::cnn_files;
using visiondb::test::sql_quote;
using visiondb::test::error_of;

namespace {

std::shared_ptr<const fn::CnnModel> model_named(Database& db, const std::string& name) {
  auto e = db.catalog().find(CatalogEntryKind::Model, {Catalog::kDefaultDataset, name});
  return std::dynamic_pointer_cast<const fn::CnnModel>(e);
}

// The line of the caret in a rendered error, and the column it points at (0-based).
size_t caret_column(const std::string& what) {
  const size_t caret = what.find('^');
  if (caret == std::string::npos) return std::string::npos;
  const size_t line_start = what.rfind('\n', caret) + 1;
  return caret - line_start;
}

}  // namespace

TEST(CnnModel, CreatesDescribesReplacesAndDrops) {
  Database db;
  const auto& f = cnn_files();
  db.query("CREATE MODEL resnet OPTIONS (model_type = 'RESNET50', model_path = " + sql_quote(f.resnet50) + ")");
  auto m = model_named(db, "resnet");
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->model_type(), "RESNET50");
  EXPECT_EQ(m->network().num_classes(), 1000);
  EXPECT_EQ(m->network().embedding_size(), 2048);
  EXPECT_TRUE(m->has_labels());
  const std::string d = m->describe();
  EXPECT_NE(d.find("resnet50, input 224x224 (resize 256), 1000 classes, embedding 2048, labels yes"), std::string::npos) << d;
  EXPECT_NE(d.find(f.resnet50), std::string::npos) << d;

  // A second CREATE of the same name fails; IF NOT EXISTS keeps the first; OR REPLACE replaces it.
  EXPECT_NE(error_of(db, "CREATE MODEL resnet OPTIONS (model_type = 'RESNET50', model_path = " + sql_quote(f.resnet50) + ")")
                .find("already exists"),
            std::string::npos);
  db.query("CREATE MODEL IF NOT EXISTS resnet OPTIONS (model_type = 'INCEPTION_V3', model_path = " + sql_quote(f.inception_v3) + ")");
  EXPECT_EQ(model_named(db, "resnet")->model_type(), "RESNET50");
  db.query("CREATE OR REPLACE MODEL resnet OPTIONS (model_type = 'inception_v3', model_path = " + sql_quote(f.inception_v3) +
           ", embedding_column = 'pool_3')");
  m = model_named(db, "resnet");
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->model_type(), "INCEPTION_V3");
  EXPECT_EQ(m->options().embedding_column, "pool_3");
  EXPECT_FALSE(m->has_labels());
  EXPECT_NE(m->describe().find("inception_v3, input 299x299 (resize 342)"), std::string::npos) << m->describe();
  EXPECT_NE(m->describe().find("labels no"), std::string::npos);

  db.query("DROP MODEL resnet");
  EXPECT_EQ(model_named(db, "resnet"), nullptr);
  EXPECT_NE(error_of(db, "DROP MODEL resnet").find("does not exist"), std::string::npos);
  db.query("DROP MODEL IF EXISTS resnet");
  db.query("CREATE TABLE t (image BYTES)");
  EXPECT_NE(error_of(db, "SELECT * FROM ML.PREDICT(MODEL resnet, TABLE t)").find("model \"resnet\" not found"), std::string::npos);
}

TEST(CnnModel, ModelPathMayBeAFileUriOrAMountedBucket) {
  Database db;
  const auto& f = cnn_files();
  db.query("CREATE MODEL a OPTIONS (model_type = 'RESNET50', model_path = " + sql_quote("file://" + f.resnet50) + ")");
  EXPECT_EQ(model_named(db, "a")->path(), f.resnet50);

  // Not mounted: the error names the bucket and how to mount it.
  const std::string e = error_of(db, "CREATE MODEL b OPTIONS (model_type = 'RESNET50', model_path = 'gs://models/resnet50.vdbw')");
  EXPECT_NE(e.find("gs://models is not mounted"), std::string::npos) << e;
  db.mount("gs://models", f.dir);
  db.query("CREATE MODEL b OPTIONS (model_type = 'RESNET50', model_path = 'gs://models/resnet50.vdbw')");
  EXPECT_EQ(std::filesystem::path(model_named(db, "b")->path()), std::filesystem::path(f.resnet50));
  // A folder, or folder/* as the blog's model_path = 'gs://<<Bucket>>/*', means the one .vdbw in it.
  const std::string only = f.dir + "/only_one";
  std::filesystem::remove_all(only);
  std::filesystem::create_directories(only);
  std::filesystem::create_symlink(f.resnet50, only + "/resnet50.vdbw");
  db.mount("gs://yoga_models", only);
  db.query("CREATE MODEL c OPTIONS (model_type = 'RESNET50', model_path = 'gs://yoga_models/*')");
  EXPECT_EQ(model_named(db, "c")->path(), only + "/resnet50.vdbw");
  db.query("CREATE MODEL d OPTIONS (model_type = 'RESNET50', model_path = " + sql_quote(only) + ")");
  EXPECT_EQ(model_named(db, "d")->path(), only + "/resnet50.vdbw");
  const std::string several = error_of(db, "CREATE MODEL e OPTIONS (model_type = 'RESNET50', model_path = 'gs://models/*')");
  EXPECT_NE(several.find("holds several .vdbw weights files (inception_v3.vdbw, "), std::string::npos) << several;
  EXPECT_NE(several.find("resnet50.vdbw"), std::string::npos) << several;
  const std::string none = error_of(db, "CREATE MODEL e OPTIONS (model_type = 'RESNET50', model_path = " + sql_quote(f.images + "/*") + ")");
  EXPECT_NE(none.find("holds no .vdbw weights file"), std::string::npos) << none;
  // SET mount works as well.
  Database db2;
  db2.query("SET mount = " + sql_quote("gs://weights=" + f.dir));
  db2.query("CREATE MODEL c OPTIONS (model_type = 'INCEPTION_V3', model_path = 'gs://weights/inception_v3.vdbw')");
  EXPECT_NE(model_named(db2, "c"), nullptr);
}

TEST(CnnModel, BadWeightsFilesAreErrorsAtTheOption) {
  Database db;
  const auto& f = cnn_files();
  const std::string missing = f.dir + "/no_such.vdbw";
  std::string sql = "CREATE MODEL m OPTIONS (model_type = 'RESNET50', model_path = " + sql_quote(missing) + ")";
  std::string e = error_of(db, sql);
  EXPECT_NE(e.find(missing), std::string::npos) << e;
  EXPECT_EQ(caret_column(e), std::string("LINE 1: ").size() + sql.find("model_path")) << e;

  // The weights of the other architecture.
  sql = "CREATE MODEL m OPTIONS (model_type = 'INCEPTION_V3', model_path = " + sql_quote(f.resnet50) + ")";
  e = error_of(db, sql);
  EXPECT_NE(e.find(f.resnet50), std::string::npos) << e;
  EXPECT_NE(e.find("holds a resnet50 network, not the inception_v3"), std::string::npos) << e;
  EXPECT_EQ(caret_column(e), std::string("LINE 1: ").size() + sql.find("model_path")) << e;

  // Not a weights file at all, and a truncated one.
  const std::string junk = f.dir + "/junk.vdbw";
  std::ofstream(junk) << "this is not a weights file";
  e = error_of(db, "CREATE MODEL m OPTIONS (model_type = 'RESNET50', model_path = " + sql_quote(junk) + ")");
  EXPECT_NE(e.find(junk), std::string::npos) << e;
  const std::string truncated = f.dir + "/truncated.vdbw";
  {
    std::ifstream in(f.resnet50, std::ios::binary);
    std::string head(1 << 20, '\0');
    in.read(head.data(), static_cast<std::streamsize>(head.size()));
    std::ofstream(truncated, std::ios::binary) << head;
  }
  e = error_of(db, "CREATE MODEL m OPTIONS (model_type = 'RESNET50', model_path = " + sql_quote(truncated) + ")");
  EXPECT_NE(e.find(truncated), std::string::npos) << e;
  EXPECT_EQ(model_named(db, "m"), nullptr);  // nothing was created

  // Options.
  e = error_of(db, "CREATE MODEL m OPTIONS (model_type = 'RESNET50')");
  EXPECT_NE(e.find("needs OPTIONS(model_path"), std::string::npos) << e;
  e = error_of(db, "CREATE MODEL m OPTIONS (model_type = 'RESNET50', model_path = 3)");
  EXPECT_NE(e.find("model_path must be a STRING"), std::string::npos) << e;
  sql = "CREATE MODEL m OPTIONS (model_type = 'RESNET50', model_path = " + sql_quote(f.resnet50) + ", input_colum = 'x')";
  e = error_of(db, sql);
  EXPECT_NE(e.find("unknown option input_colum"), std::string::npos) << e;
  EXPECT_NE(e.find("input_column"), std::string::npos) << e;  // the list of known ones
  EXPECT_EQ(caret_column(e), std::string("LINE 1: ").size() + sql.find("input_colum")) << e;
  e = error_of(db, "CREATE MODEL m OPTIONS (model_type = 'RESNET50', model_path = " + sql_quote(f.resnet50) + ", batch_size = 0)");
  EXPECT_NE(e.find("batch_size must be an INT64 between 1 and 1024"), std::string::npos) << e;
  e = error_of(db, "CREATE MODEL m OPTIONS (model_type = 'RESNET50', model_path = " + sql_quote(f.resnet50) + ", precision = 'FP8')");
  EXPECT_NE(e.find("precision must be 'FP32' or 'BF16'"), std::string::npos) << e;
  e = error_of(db, "CREATE MODEL m OPTIONS (model_type = 'RESNET50', model_path = " + sql_quote(f.resnet50) +
                       ", logits_column = 'x', embedding_column = 'X')");
  EXPECT_NE(e.find("two outputs of the model are named"), std::string::npos) << e;
  e = error_of(db, "CREATE MODEL m OPTIONS (model_type = 'RESNET50', model_path = " + sql_quote(f.resnet50) + ") AS SELECT 1 AS x");
  EXPECT_NE(e.find("takes no AS query"), std::string::npos) << e;
  EXPECT_EQ(model_named(db, "m"), nullptr);
}
