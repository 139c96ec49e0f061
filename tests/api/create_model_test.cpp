// CREATE MODEL's checks that come before any model type: the model_type option, AS query or not,
// and the ML.* functions' MODEL argument.
#include <gtest/gtest.h>

#include "visiondb/api/database.hpp"
#include "common/sql_error_text.hpp"

using namespace visiondb;
using visiondb::test::error_of;

TEST(CreateModel, NeedsAKnownModelType) {
  Database db;
  EXPECT_NE(error_of(db, "CREATE MODEL m OPTIONS (model_path = 'x.vdbw')").find("CREATE MODEL needs OPTIONS(model_type"),
            std::string::npos);
  std::string e = error_of(db, "CREATE MODEL m OPTIONS (model_type = 'LINEAR_THING')");
  EXPECT_NE(e.find("unknown model_type 'LINEAR_THING'"), std::string::npos) << e;
  EXPECT_NE(e.find("^"), std::string::npos) << e;  // a caret under the option
  EXPECT_NE(error_of(db, "CREATE MODEL m OPTIONS (model_type = 1)").find("model_type must be a STRING"), std::string::npos);
  EXPECT_NE(error_of(db, "CREATE MODEL m TRANSFORM (x AS y) OPTIONS (model_type = 'RESNET50')").find("TRANSFORM is not supported"),
            std::string::npos);
  EXPECT_NE(error_of(db, "CREATE MODEL nope.m OPTIONS (model_type = 'RESNET50')").find("dataset \"nope\" not found"),
            std::string::npos);
}

TEST(CreateModel, TheModelFunctionsNeedAModel) {
  Database db;
  db.query("CREATE TABLE t (x INT64)");
  EXPECT_NE(error_of(db, "SELECT * FROM ML.PREDICT(MODEL m, TABLE t)").find("model \"m\" not found"), std::string::npos);
  EXPECT_NE(error_of(db, "SELECT * FROM ML.EVALUATE(TABLE t)").find("ML.EVALUATE takes a model first"), std::string::npos);
}
