// Every CREATE MODEL / ML.* error of forests: a clear message, the caret under the option or
// argument at fault, and no model left behind.
#include <gtest/gtest.h>

#include "forest_sql_helpers.hpp"
#include "visiondb/api/database.hpp"

using namespace visiondb;
using forest_sql_test::error_of;
using forest_sql_test::make_table;
using forest_sql_test::model_of;

namespace {

// Checks that `sql` fails with a message containing `message` and, when `at` is not empty, a
// caret under the first occurrence of `at` in the statement.
void expect_error(Database& db, const std::string& sql, const std::string& message, const std::string& at = "") {
  SCOPED_TRACE(sql);
  std::string e;
  try {
    db.query(sql);
  } catch (const SqlError& err) {
    e = err.what();
    if (!at.empty()) {
      ASSERT_TRUE(err.has_position()) << e;
      EXPECT_EQ(err.span().offset, sql.find(at)) << e;
    }
  } catch (const Error& err) {
    e = err.what();
    EXPECT_TRUE(at.empty()) << "no position in: " << e;
  }
  EXPECT_NE(e.find(message), std::string::npos) << e;
  if (!at.empty()) EXPECT_NE(e.find('^'), std::string::npos) << e;
}

const std::string kClassifier = "CREATE MODEL m OPTIONS(model_type = 'RANDOM_FOREST_CLASSIFIER'";
const std::string kRegressor = "CREATE MODEL m OPTIONS(model_type = 'RANDOM_FOREST_REGRESSOR'";
const std::string kFrom = ") AS SELECT id, x, color, label, is_eval FROM t";

}  // namespace

TEST(ForestSqlErrors, BadOptionValuesPointAtTheOption) {
  Database db;
  make_table(db, "t", 50);
  expect_error(db, kClassifier + ", num_parallel_tree = 0" + kFrom, "num_parallel_tree: 0 is out of range: expected an INT64 in [1, 100000]", "num_parallel_tree");
  expect_error(db, kClassifier + ", num_parallel_tree = 2.5" + kFrom, "num_parallel_tree: expected an INT64", "num_parallel_tree");
  expect_error(db, kClassifier + ", max_tree_depth = -1" + kFrom, "max_tree_depth: -1 is out of range", "max_tree_depth");
  expect_error(db, kClassifier + ", subsample = 1.5" + kFrom, "subsample: 1.5 is out of range: expected a number in (0, 1]", "subsample");
  expect_error(db, kClassifier + ", subsample = 'half'" + kFrom, "subsample: expected a number, got 'half'", "subsample");
  expect_error(db, kClassifier + ", colsample_bynode = 0" + kFrom, "colsample_bynode: 0 is out of range", "colsample_bynode");
  expect_error(db, kClassifier + ", min_tree_child_weight = -2" + kFrom, "min_tree_child_weight: -2 is out of range", "min_tree_child_weight");
  expect_error(db, kClassifier + ", auto_class_weights = 1" + kFrom, "auto_class_weights: expected TRUE or FALSE", "auto_class_weights");
  expect_error(db, kClassifier + ", class_weights = 3" + kFrom, "class_weights: expected an ARRAY of STRUCT(label, weight)", "class_weights");
  expect_error(db, kClassifier + ", class_weights = [STRUCT('a', -1.0)]" + kFrom, "the weight of class 'a' must be a finite number >= 0", "class_weights");
  expect_error(db, kClassifier + ", input_label_cols = 'label'" + kFrom, "input_label_cols: expected an ARRAY<STRING>", "input_label_cols");
  expect_error(db, kClassifier + ", input_label_cols = ['label', 'color']" + kFrom, "predicts one label column", "input_label_cols");
  expect_error(db, kClassifier + ", data_split_method = 'HALVES'" + kFrom, "unknown method 'HALVES'", "data_split_method");
  expect_error(db, kClassifier + ", data_split_method = 'RANDOM', data_split_eval_fraction = 1.0" + kFrom,
               "data_split_eval_fraction: 1.0 is out of range: expected a number in (0, 1)", "data_split_eval_fraction");
  expect_error(db, kClassifier + ", seed = 'x'" + kFrom, "seed: expected an INT64", "seed");
  expect_error(db, kClassifier + ", sed = 1" + kFrom, "unknown option \"sed\" for model_type RANDOM_FOREST_CLASSIFIER", "sed");
  expect_error(db, kClassifier + ", l1_reg = 0.5" + kFrom, "option l1_reg: this BigQuery option has no counterpart", "l1_reg");
  EXPECT_EQ(model_of(db, "m"), nullptr);
}

TEST(ForestSqlErrors, OptionsThatExcludeEachOther) {
  Database db;
  make_table(db, "t", 50);
  expect_error(db, kClassifier + ", data_split_eval_fraction = 0.3" + kFrom,
               "applies to data_split_method 'RANDOM' or 'SEQ', not 'AUTO_SPLIT'", "data_split_eval_fraction");
  expect_error(db, kClassifier + ", data_split_method = 'RANDOM', data_split_col = 'is_eval'" + kFrom,
               "applies to data_split_method 'CUSTOM' or 'SEQ', not 'RANDOM'", "data_split_col");
  expect_error(db, kClassifier + ", data_split_method = 'CUSTOM'" + kFrom, "data_split_method 'CUSTOM' needs data_split_col",
               "data_split_method");
  expect_error(db, kClassifier + ", data_split_method = 'SEQ', data_split_col = 'label'" + kFrom,
               "the label column \"label\" cannot split the data", "data_split_col");
  expect_error(db, kClassifier + ", auto_class_weights = TRUE, class_weights = [STRUCT('a', 1.0)]" + kFrom,
               "auto_class_weights = TRUE and class_weights exclude each other", "class_weights = [");
  expect_error(db, kRegressor + ", input_label_cols = ['x'], auto_class_weights = TRUE" + kFrom,
               "class weights apply to RANDOM_FOREST_CLASSIFIER only", "auto_class_weights");
}

TEST(ForestSqlErrors, TheDataMustFitTheModel) {
  Database db;
  make_table(db, "t", 50);
  expect_error(db, kClassifier + ") AS SELECT x, color FROM t",
               "label column \"label\" is not a column of the training query (x, color); name the label with "
               "OPTIONS(input_label_cols", "CREATE");
  expect_error(db, kClassifier + ", input_label_cols = ['lbl']) AS SELECT x, label FROM t", "label column \"lbl\" is not a column",
               "input_label_cols");
  expect_error(db, kClassifier + ", input_label_cols = ['x']) AS SELECT x, label FROM t",
               "label column \"x\" is FLOAT64: a RANDOM_FOREST_CLASSIFIER needs STRING, INT64 or BOOL classes", "input_label_cols");
  expect_error(db, kRegressor + ") AS SELECT x, label FROM t", "a RANDOM_FOREST_REGRESSOR needs an INT64 or FLOAT64 target", "CREATE");
  expect_error(db, kClassifier + ") AS SELECT x, label FROM t WHERE label = 'a'", "has a single class \"a\"", "CREATE");
  expect_error(db, kClassifier + ") AS SELECT x, label FROM t WHERE id < 0", "the training query returned no rows", "CREATE");
  expect_error(db, kClassifier + ") AS SELECT label FROM t", "no feature columns besides the label", "CREATE");
  expect_error(db, kClassifier + ") AS SELECT x, CURRENT_TIMESTAMP() AS ts, label FROM t",
               "column \"ts\" of type TIMESTAMP cannot be a random forest feature", "CREATE");
  expect_error(db, kClassifier + ") AS SELECT x, IF(id = 7, NULL, label) AS label FROM t", "row 7", "CREATE");
  expect_error(db, kClassifier + ", class_weights = [STRUCT('nope', 1.0)]) AS SELECT x, label FROM t", "nope", "class_weights");
  expect_error(db, kClassifier + ", data_split_method = 'CUSTOM', data_split_col = 'split') AS SELECT x, label FROM t",
               "data_split_col \"split\" is not a column of the training query (x, label)", "data_split_col");
  expect_error(db, kClassifier + ", data_split_method = 'CUSTOM', data_split_col = 'id') AS SELECT id, x, label FROM t",
               "data_split_method 'CUSTOM' needs a BOOL column", "data_split_col");
  expect_error(db, kClassifier + ", data_split_method = 'CUSTOM', data_split_col = 'e') AS SELECT x, label, TRUE AS e FROM t",
               "data_split_method 'CUSTOM' left no training rows (all 50 rows evaluate)", "data_split_col");
  expect_error(db, kClassifier + ") AS SELECT IF(id = 3, [1.0], [1.0, 2.0]) AS v, label FROM t",
               "array column \"v\" has 1 elements at row 3, expected 2");
  EXPECT_EQ(model_of(db, "m"), nullptr);  // nothing half made
}

TEST(ForestSqlErrors, TheModelFunctionsCheckTheirArguments) {
  Database db;
  make_table(db, "t", 60);
  db.query("CREATE MODEL c OPTIONS(model_type = 'RANDOM_FOREST_CLASSIFIER', input_label_cols = ['color'], num_parallel_tree = 3) "
           "AS SELECT x, emb, color FROM t");
  db.query("CREATE MODEL r OPTIONS(model_type = 'RANDOM_FOREST_REGRESSOR', input_label_cols = ['y'], num_parallel_tree = 3) "
           "AS SELECT x, y FROM t");
  expect_error(db, "SELECT * FROM ML.PREDICT(MODEL c, (SELECT x FROM t))",
               "ML.PREDICT: the input has no column \"emb\", a feature of the model", "(SELECT x");
  expect_error(db, "SELECT * FROM ML.PREDICT(MODEL c, (SELECT x, 'no' AS emb FROM t))",
               "ML.PREDICT: column \"emb\" is STRING but the model was trained on ARRAY<FLOAT64>", "(SELECT x");
  expect_error(db, "SELECT * FROM ML.PREDICT(MODEL c)", "ML.PREDICT over a random forest takes (MODEL m, TABLE t | (query) [, STRUCT(<number> AS threshold)])");
  expect_error(db, "SELECT * FROM ML.PREDICT(MODEL c, (SELECT 1.0 AS x, [1.0] AS emb))", "array column \"emb\" has 1 elements at row 0, expected 3");
  expect_error(db, "SELECT * FROM ML.EVALUATE(MODEL c, (SELECT x, emb FROM t))", "ML.EVALUATE: the input has no label column \"color\"",
               "(SELECT x");
  expect_error(db, "SELECT * FROM ML.EVALUATE(MODEL c, (SELECT x, emb, 1 AS color FROM t))",
               "label column \"color\" is INT64 but the model was trained on STRING", "(SELECT x");
  expect_error(db, "SELECT * FROM ML.EVALUATE(MODEL c, (SELECT x, emb, CAST(NULL AS STRING) AS color FROM t))",
               "no rows with a non-NULL label \"color\"");
  expect_error(db, "SELECT * FROM ML.ROC_CURVE(MODEL c)", "ML.ROC_CURVE needs a binary classifier; \"main.c\" has 3 classes");
  expect_error(db, "SELECT * FROM ML.CONFUSION_MATRIX(MODEL r)", "ML.CONFUSION_MATRIX needs a classifier");
  expect_error(db, "SELECT * FROM ML.ROC_CURVE(MODEL r)", "ML.ROC_CURVE needs a classifier");
  expect_error(db, "SELECT * FROM ML.FEATURE_IMPORTANCE(MODEL c, TABLE t)", "ML.FEATURE_IMPORTANCE over a random forest takes (MODEL m)");
  expect_error(db, "SELECT * FROM ML.EVALUATE(MODEL c, TABLE t, 3)", "ML.EVALUATE: expected STRUCT(<number> AS threshold), got 3", "3)");
  expect_error(db, "SELECT * FROM ML.EVALUATE(MODEL c, TABLE t, STRUCT(0.5 AS threshold))",
               "ML.EVALUATE: threshold applies to binary classifiers; \"main.c\" is not one", "STRUCT");
  db.query("CREATE MODEL b OPTIONS(model_type = 'RANDOM_FOREST_CLASSIFIER', num_parallel_tree = 3) AS SELECT x, label FROM t");
  expect_error(db, "SELECT * FROM ML.EVALUATE(MODEL b, TABLE t, STRUCT(0.5 AS threshold), 1)",
               "ML.EVALUATE over a random forest takes (MODEL m [, TABLE t | (query)] [, STRUCT(<number> AS threshold)])");
  expect_error(db, "SELECT * FROM ML.PREDICT(MODEL b, TABLE t, STRUCT(1.5 AS threshold))", "threshold must be a number in [0, 1]",
               "STRUCT");
  expect_error(db, "SELECT * FROM ML.PREDICT(MODEL b, TABLE t, STRUCT(0.5 AS cutoff))", "unknown setting \"cutoff\"", "STRUCT");
}
