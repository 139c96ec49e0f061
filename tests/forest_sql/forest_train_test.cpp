// CREATE MODEL ... RANDOM_FOREST_CLASSIFIER / _REGRESSOR: options reach the trainer, every split
// method takes the rows BigQuery's rules say, the model is the same at 1 and 2 threads.
#include <gtest/gtest.h>

#include "forest_sql_helpers.hpp"
#include "visiondb/api/database.hpp"

using namespace visiondb;
using forest_sql_test::error_of;
using forest_sql_test::make_table;

TEST(ForestSql, TrainsAClassifierAndPredicts) {
  Database db;
  make_table(db, "t", 300);
  db.query("CREATE MODEL m OPTIONS(model_type = 'RANDOM_FOREST_CLASSIFIER', num_parallel_tree = 20, seed = 7) AS "
           "SELECT x, n, flag, color, emb, label FROM t");
  auto r = db.query("SELECT predicted_label, label, id FROM ML.PREDICT(MODEL m, TABLE t) ORDER BY id");
  ASSERT_EQ(r.row_count(), 300u);
  int agree = 0;
  for (size_t i = 0; i < r.row_count(); ++i) agree += r.get_as<std::string>(i, 0) == r.get_as<std::string>(i, 1);
  EXPECT_GT(agree, 260);  // a training set is mostly recalled
}
