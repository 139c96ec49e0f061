// CREATE MODEL ... RANDOM_FOREST_CLASSIFIER / _REGRESSOR: every option reaches the trainer, every
// split method takes the rows BigQuery's rules say, features of every type and NULLs train, and
// the model is the same at 1 and 2 threads.
#include <gtest/gtest.h>

#include <cmath>

#include "forest_sql_helpers.hpp"
#include "visiondb/api/database.hpp"
#include "visiondb/functions/ml/data_split.hpp"
#include "visiondb/ml/forest/serialize.hpp"

using namespace visiondb;
using forest_sql_test::error_of;
using forest_sql_test::evaluated_rows;
using forest_sql_test::make_table;
using forest_sql_test::model_of;

TEST(ForestSqlTrain, TrainsAClassifierOnEveryFeatureType) {
  Database db;
  make_table(db, "t", 300);
  db.query("CREATE MODEL m OPTIONS(model_type = 'RANDOM_FOREST_CLASSIFIER', num_parallel_tree = 20, seed = 7) AS "
           "SELECT x, n, flag, color, emb, label FROM t");
  auto m = model_of(db, "m");
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->forest.trees.size(), 20u);
  EXPECT_EQ(m->forest.class_names, (std::vector<std::string>{"a", "b"}));
  // x, n, flag, color and the 3 elements of emb.
  EXPECT_EQ(m->forest.binner.features(), 7u);
  ASSERT_EQ(m->inputs.size(), 5u);
  EXPECT_EQ(m->inputs[4].name, "emb");
  EXPECT_EQ(m->inputs[4].width, 3u);
  auto r = db.query("SELECT predicted_label, label, id FROM ML.PREDICT(MODEL m, TABLE t) ORDER BY id");
  ASSERT_EQ(r.row_count(), 300u);
  int agree = 0;
  for (size_t i = 0; i < r.row_count(); ++i) agree += r.get_as<std::string>(i, 0) == r.get_as<std::string>(i, 1);
  EXPECT_GT(agree, 260);  // the training rows are mostly recalled
  // The defaults are BigQuery's.
  EXPECT_EQ(m->forest.params.max_depth, 20);
  EXPECT_DOUBLE_EQ(m->forest.params.subsample, 0.8);
  EXPECT_DOUBLE_EQ(m->forest.params.colsample_bynode, 0.8);
  EXPECT_DOUBLE_EQ(m->forest.params.min_child_weight, 1.0);
  EXPECT_EQ(m->forest.params.class_weighting, ml::ClassWeighting::None);
  EXPECT_EQ(m->split, fn::DataSplitMethod::AutoSplit);
  EXPECT_EQ(m->describe(),
            "model RANDOM_FOREST_CLASSIFIER (20 trees, label \"label\", 2 classes, 7 features, 300 training rows, no evaluation split)");
}

TEST(ForestSqlTrain, EveryOptionReachesTheTrainer) {
  Database db;
  make_table(db, "t", 200);
  db.query("CREATE MODEL m OPTIONS(model_type = 'random_forest_classifier', input_label_cols = ['color'], "
           "num_parallel_tree = 7, max_tree_depth = 3, subsample = 0.5, colsample_bynode = 0.6, "
           "min_tree_child_weight = 2, class_weights = [STRUCT('red', 2.0), STRUCT('blue', 0.5)], seed = 11, "
           "data_split_method = 'NO_SPLIT') AS SELECT x, n, color FROM t");
  auto m = model_of(db, "m");
  ASSERT_NE(m, nullptr);
  const auto& p = m->forest.params;
  EXPECT_EQ(m->label, "color");
  EXPECT_EQ(m->forest.class_names, (std::vector<std::string>{"blue", "green", "red"}));
  EXPECT_EQ(m->forest.trees.size(), 7u);
  EXPECT_EQ(p.max_depth, 3);
  for (const auto& tree : m->forest.trees) EXPECT_LE(tree.depth(), 3);
  EXPECT_DOUBLE_EQ(p.subsample, 0.5);
  EXPECT_DOUBLE_EQ(p.colsample_bynode, 0.6);
  EXPECT_DOUBLE_EQ(p.min_child_weight, 2.0);
  EXPECT_EQ(p.class_weighting, ml::ClassWeighting::Custom);
  EXPECT_EQ(p.class_weights, (std::map<std::string, double>{{"blue", 0.5}, {"red", 2.0}}));
  EXPECT_EQ(p.seed, 11u);
  EXPECT_EQ(m->split, fn::DataSplitMethod::NoSplit);

  db.query("CREATE OR REPLACE MODEL m OPTIONS(model_type = 'RANDOM_FOREST_CLASSIFIER', auto_class_weights = TRUE, "
           "num_parallel_tree = 3) AS SELECT x, label FROM t");
  EXPECT_EQ(model_of(db, "m")->forest.params.class_weighting, ml::ClassWeighting::Balanced);
  // OR REPLACE is needed to replace.
  EXPECT_NE(error_of(db, "CREATE MODEL m OPTIONS(model_type = 'RANDOM_FOREST_CLASSIFIER') AS SELECT x, label FROM t"),
            "(no error)");
  db.query("CREATE MODEL IF NOT EXISTS m OPTIONS(model_type = 'RANDOM_FOREST_REGRESSOR') AS SELECT x, label FROM t");
  EXPECT_EQ(model_of(db, "m")->model_type(), "RANDOM_FOREST_CLASSIFIER");  // kept
}

TEST(ForestSqlTrain, IntegerAndBoolLabelsComeBackInTheirType) {
  Database db;
  make_table(db, "t", 120);
  db.query("CREATE MODEL mi OPTIONS(model_type = 'RANDOM_FOREST_CLASSIFIER', input_label_cols = ['n'], num_parallel_tree = 5) "
           "AS SELECT x, y, n FROM t");
  auto r = db.query("SELECT predicted_n, predicted_n_probs FROM ML.PREDICT(MODEL mi, (SELECT x, y FROM t)) LIMIT 1");
  ASSERT_EQ(r.column_types()[0], LogicalType::int64());
  ASSERT_EQ(r.column_types()[1], LogicalType::array(LogicalType::structure({{"label", LogicalType::int64()}, {"prob", LogicalType::float64()}})));
  Value probs = r.get_as<Value>(0, 1);
  ASSERT_EQ(probs.children().size(), model_of(db, "mi")->forest.num_classes());
  EXPECT_EQ(probs.children()[0].children()[0].as_int64(), 0);  // classes in numeric order
  double sum = 0;
  for (const auto& e : probs.children()) sum += e.children()[1].as_float64();
  EXPECT_NEAR(sum, 1.0, 1e-6);

  db.query("CREATE MODEL mb OPTIONS(model_type = 'RANDOM_FOREST_CLASSIFIER', input_label_cols = ['flag'], num_parallel_tree = 5) "
           "AS SELECT x, y, flag FROM t");
  auto b = db.query("SELECT predicted_flag, p.label, p.prob FROM ML.PREDICT(MODEL mb, TABLE t), UNNEST(predicted_flag_probs) AS p "
                    "WHERE id = 3 ORDER BY p.label");
  ASSERT_EQ(b.row_count(), 2u);
  EXPECT_EQ(b.column_types()[0], LogicalType::boolean());
  EXPECT_FALSE(b.get_as<bool>(0, 1));
  EXPECT_TRUE(b.get_as<bool>(1, 1));
  EXPECT_EQ(b.get_as<bool>(0, 0), b.get_as<double>(1, 2) > 0.5);
}

TEST(ForestSqlTrain, NullFeaturesTrainAndPredict) {
  Database db;
  db.query("CREATE TABLE t (x FLOAT64, c STRING, e ARRAY<FLOAT64>, label INT64)");
  std::string v;
  for (int i = 0; i < 200; ++i) {
    const bool pos = i % 2 == 0;
    std::string x = i % 7 == 0 ? "NULL" : std::to_string(pos ? 1.0 + i * 0.01 : -1.0 - i * 0.01);
    std::string c = i % 5 == 0 ? "NULL" : (pos ? "'p'" : "'q'");
    std::string e = i % 11 == 0 ? "NULL" : "[" + std::to_string(i % 3) + ".0, " + std::to_string(pos ? 2.0 : -2.0) + "]";
    v += std::string(v.empty() ? "" : ", ") + "(" + x + ", " + c + ", " + e + ", " + (pos ? "1" : "0") + ")";
  }
  db.query("INSERT INTO t VALUES " + v);
  db.query("CREATE MODEL m OPTIONS(model_type = 'RANDOM_FOREST_CLASSIFIER', num_parallel_tree = 10) AS SELECT * FROM t");
  auto r = db.query("SELECT COUNTIF(predicted_label = label), COUNT(*) FROM ML.PREDICT(MODEL m, TABLE t)");
  EXPECT_EQ(r.get_as<int64_t>(0, 1), 200);
  EXPECT_GE(r.get_as<int64_t>(0, 0), 198);
  // A row where every feature is NULL still gets a prediction and probabilities.
  auto n = db.query("SELECT predicted_label, ARRAY_LENGTH(predicted_label_probs) FROM "
                    "ML.PREDICT(MODEL m, (SELECT CAST(NULL AS FLOAT64) AS x, CAST(NULL AS STRING) AS c, "
                    "CAST(NULL AS ARRAY<FLOAT64>) AS e))");
  EXPECT_FALSE(n.get_as<Value>(0, 0).is_null());
  EXPECT_EQ(n.get_as<int64_t>(0, 1), 2);
  // A category never seen in training is a missing value too.
  auto u = db.query("SELECT predicted_label FROM ML.PREDICT(MODEL m, (SELECT 5.0 AS x, 'never' AS c, [1.0, 2.0] AS e))");
  EXPECT_EQ(u.get_as<int64_t>(0, 0), 1);
}

TEST(ForestSqlTrain, TrainsARegressor) {
  Database db;
  make_table(db, "t", 400);
  db.query("CREATE MODEL r OPTIONS(model_type = 'RANDOM_FOREST_REGRESSOR', input_label_cols = ['y'], num_parallel_tree = 30, "
           "data_split_method = 'NO_SPLIT') AS SELECT x, flag, color, y FROM t");
  auto p = db.query("SELECT predicted_y, y FROM ML.PREDICT(MODEL r, TABLE t)");
  ASSERT_EQ(p.row_count(), 400u);
  EXPECT_EQ(p.column_names()[0], "predicted_y");
  EXPECT_EQ(p.column_types()[0], LogicalType::float64());
  double sse = 0;
  for (size_t i = 0; i < p.row_count(); ++i) sse += std::pow(p.get_as<double>(i, 0) - p.get_as<double>(i, 1), 2);
  EXPECT_LT(sse / 400, 0.05);  // y = 3x + flag + small noise, in sample
}

// ---- splits ------------------------------------------------------------------------------------

TEST(ForestSqlSplit, AutoSplitFollowsBigQuerysRowCounts) {
  EXPECT_EQ(fn::auto_split_eval_rows(499), 0u);
  EXPECT_EQ(fn::auto_split_eval_rows(500), 100u);
  EXPECT_EQ(fn::auto_split_eval_rows(50000), 10000u);
  EXPECT_EQ(fn::auto_split_eval_rows(50001), 10000u);
  EXPECT_EQ(fn::auto_split_eval_rows(1000000), 10000u);
  Database db;
  make_table(db, "t", 1000);
  const std::string opts = "model_type = 'RANDOM_FOREST_CLASSIFIER', num_parallel_tree = 3, max_tree_depth = 4";
  db.query("CREATE MODEL small OPTIONS(" + opts + ") AS SELECT x, label FROM t WHERE id < 499");
  EXPECT_EQ(model_of(db, "small")->eval_rows, 0u);
  EXPECT_EQ(model_of(db, "small")->train_rows, 499u);
  EXPECT_TRUE(model_of(db, "small")->evaluated_on_training);
  EXPECT_EQ(evaluated_rows(db, "small"), 499);  // no split: the training rows evaluate
  db.query("CREATE MODEL mid OPTIONS(" + opts + ") AS SELECT x, label FROM t");
  EXPECT_EQ(model_of(db, "mid")->eval_rows, 200u);
  EXPECT_EQ(model_of(db, "mid")->train_rows, 800u);
  EXPECT_EQ(evaluated_rows(db, "mid"), 200);
  db.query("CREATE TABLE big AS SELECT MOD(i * 7919, 1000) / 1000.0 AS x, IF(MOD(i, 3) = 0, 'a', 'b') AS label "
           "FROM UNNEST(GENERATE_ARRAY(1, 60000)) AS i");
  db.query("CREATE MODEL large OPTIONS(model_type = 'RANDOM_FOREST_CLASSIFIER', num_parallel_tree = 1, max_tree_depth = 2) "
           "AS SELECT x, label FROM big");
  EXPECT_EQ(model_of(db, "large")->eval_rows, 10000u);
  EXPECT_EQ(model_of(db, "large")->train_rows, 50000u);
  EXPECT_EQ(evaluated_rows(db, "large"), 10000);
}

TEST(ForestSqlSplit, RandomTakesTheFractionAndDependsOnTheSeed) {
  Database db;
  make_table(db, "t", 300);
  const std::string opts = "model_type = 'RANDOM_FOREST_CLASSIFIER', num_parallel_tree = 3, data_split_method = 'RANDOM'";
  db.query("CREATE MODEL r1 OPTIONS(" + opts + ", data_split_eval_fraction = 0.3, seed = 1) AS SELECT id, x, label FROM t");
  db.query("CREATE MODEL r2 OPTIONS(" + opts + ", data_split_eval_fraction = 0.3, seed = 1) AS SELECT id, x, label FROM t");
  db.query("CREATE MODEL r3 OPTIONS(" + opts + ", data_split_eval_fraction = 0.3, seed = 2) AS SELECT id, x, label FROM t");
  db.query("CREATE MODEL r4 OPTIONS(" + opts + ") AS SELECT id, x, label FROM t");
  EXPECT_EQ(model_of(db, "r1")->eval_rows, 90u);
  EXPECT_EQ(model_of(db, "r1")->train_rows, 210u);
  EXPECT_EQ(model_of(db, "r4")->eval_rows, 60u);  // the default fraction, 0.2
  EXPECT_EQ(evaluated_rows(db, "r1"), 90);
  auto ids = [&](const std::string& m) {
    std::vector<int64_t> out;
    for (const auto& c : model_of(db, m)->eval_data)
      for (size_t i = 0; i < c.size(); ++i) out.push_back(c.get(0, i).as_int64());
    return out;
  };
  EXPECT_EQ(ids("r1"), ids("r2"));
  EXPECT_NE(ids("r1"), ids("r3"));
  EXPECT_EQ(ids("r1").size(), 90u);
}

TEST(ForestSqlSplit, CustomEvaluatesTrueAndNullRows) {
  Database db;
  make_table(db, "t", 200);
  db.query("UPDATE t SET is_eval = NULL WHERE id IN (1, 2, 3)");
  db.query("CREATE MODEL c OPTIONS(model_type = 'RANDOM_FOREST_CLASSIFIER', num_parallel_tree = 5, "
           "data_split_method = 'CUSTOM', data_split_col = 'is_eval') AS SELECT x, color, label, is_eval FROM t");
  auto m = model_of(db, "c");
  EXPECT_EQ(m->eval_rows, 53u);  // id % 4 = 0 (50 rows) and the 3 NULLs
  EXPECT_EQ(m->train_rows, 147u);
  EXPECT_EQ(evaluated_rows(db, "c"), 53);
  for (const auto& in : m->inputs) EXPECT_NE(in.name, "is_eval");  // the split column is no feature
  // The split's metrics are those of the same rows given as a table.
  auto a = db.query("SELECT * FROM ML.EVALUATE(MODEL c)");
  auto b = db.query("SELECT * FROM ML.EVALUATE(MODEL c, (SELECT * FROM t WHERE is_eval IS NOT FALSE))");
  for (size_t k = 0; k < 6; ++k) EXPECT_NEAR(a.get_as<double>(0, k), b.get_as<double>(0, k), 1e-12) << a.column_names()[k];
}

TEST(ForestSqlSplit, SeqEvaluatesTheLargestValues) {
  Database db;
  make_table(db, "t", 250);
  db.query("CREATE MODEL s OPTIONS(model_type = 'RANDOM_FOREST_CLASSIFIER', num_parallel_tree = 5, data_split_method = 'SEQ', "
           "data_split_col = 'id', data_split_eval_fraction = 0.2) AS SELECT id, x, emb, label FROM t");
  auto m = model_of(db, "s");
  EXPECT_EQ(m->eval_rows, 50u);
  EXPECT_EQ(m->train_rows, 200u);
  int64_t min_id = 1 << 30;
  for (const auto& c : m->eval_data)
    for (size_t i = 0; i < c.size(); ++i) min_id = std::min(min_id, c.get(0, i).as_int64());
  EXPECT_EQ(min_id, 200);  // ids 200..249
  auto a = db.query("SELECT * FROM ML.CONFUSION_MATRIX(MODEL s) ORDER BY expected_label");
  auto b = db.query("SELECT * FROM ML.CONFUSION_MATRIX(MODEL s, (SELECT * FROM t WHERE id >= 200)) ORDER BY expected_label");
  ASSERT_EQ(a.row_count(), b.row_count());
  for (size_t r = 0; r < a.row_count(); ++r)
    for (size_t k = 1; k < 3; ++k) EXPECT_EQ(a.get_as<int64_t>(r, k), b.get_as<int64_t>(r, k));
  // STRING split column: lexicographic order.
  db.query("CREATE MODEL s2 OPTIONS(model_type = 'RANDOM_FOREST_CLASSIFIER', num_parallel_tree = 2, data_split_method = 'SEQ', "
           "data_split_col = 'color', data_split_eval_fraction = 0.34) AS SELECT x, color, label FROM t");
  EXPECT_EQ(model_of(db, "s2")->eval_rows, 85u);  // round(250 * 0.34), all from the 'red' rows (84 of them) and one 'green'
}

TEST(ForestSqlSplit, NoSplitTrainsOnEveryRow) {
  Database db;
  make_table(db, "t", 600);
  db.query("CREATE MODEL n OPTIONS(model_type = 'RANDOM_FOREST_CLASSIFIER', num_parallel_tree = 3, "
           "data_split_method = 'no_split') AS SELECT x, label FROM t");
  EXPECT_EQ(model_of(db, "n")->train_rows, 600u);
  EXPECT_EQ(model_of(db, "n")->eval_rows, 0u);
  EXPECT_EQ(evaluated_rows(db, "n"), 600);
  auto info = db.query("SELECT eval_loss FROM ML.TRAINING_INFO(MODEL n)");
  EXPECT_TRUE(info.get_as<Value>(0, 0).is_null());
}

// ---- determinism ---------------------------------------------------------------------------------

TEST(ForestSqlTrain, TheModelIsTheSameAtOneAndTwoThreads) {
  std::string bytes[2];
  std::vector<double> probs[2];
  for (int t = 0; t < 2; ++t) {
    DatabaseOptions o;
    o.threads = t + 1;
    Database db(o);
    make_table(db, "t", 700);
    db.query("CREATE MODEL m OPTIONS(model_type = 'RANDOM_FOREST_CLASSIFIER', num_parallel_tree = 16, seed = 5) AS "
             "SELECT x, n, flag, color, emb, label FROM t");
    // The wall time and the thread count aside, the model is byte for byte the same.
    ml::Forest f = model_of(db, "m")->forest;
    f.info.seconds = 0;
    f.params.num_threads = 0;
    bytes[t] = ml::serialize_forest(f);
    auto r = db.query("SELECT p.prob FROM ML.PREDICT(MODEL m, TABLE t), UNNEST(predicted_label_probs) AS p WITH OFFSET k "
                      "ORDER BY id, k");
    for (size_t i = 0; i < r.row_count(); ++i) probs[t].push_back(r.get_as<double>(i, 0));
  }
  EXPECT_TRUE(bytes[0] == bytes[1]);
  EXPECT_EQ(probs[0], probs[1]);
  ASSERT_EQ(probs[0].size(), 1400u);
}
