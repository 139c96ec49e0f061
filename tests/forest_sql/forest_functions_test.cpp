// The ML.* functions over forests, each checked against an independent computation written here
// from ML.PREDICT's output (sklearn's definitions: pair counting for ROC AUC, clipped and
// renormalised log loss, SQL GROUP BY for confusion counts).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

#include "forest_sql_helpers.hpp"
#include "visiondb/api/database.hpp"

using namespace visiondb;
using forest_sql_test::make_table;
using forest_sql_test::model_of;

namespace {

// Rows of ML.PREDICT: the true class, and the probability of every class (in class order).
struct Predicted {
  std::vector<std::string> classes;
  std::vector<int> truth;
  std::vector<std::vector<double>> prob;
};

Predicted predict(Database& db, const std::string& sql) {
  Predicted p;
  auto r = db.query(sql);  // label, predicted_label_probs
  std::map<std::string, int> index;
  for (size_t i = 0; i < r.row_count(); ++i) {
    Value probs = r.get_as<Value>(i, 1);
    if (p.classes.empty())
      for (const auto& e : probs.children()) {
        index[e.children()[0].as_string()] = static_cast<int>(p.classes.size());
        p.classes.push_back(e.children()[0].as_string());
      }
    std::vector<double> row;
    for (const auto& e : probs.children()) row.push_back(e.children()[1].as_float64());
    p.prob.push_back(row);
    p.truth.push_back(index.at(r.get_as<std::string>(i, 0)));
  }
  return p;
}

int argmax(const std::vector<double>& v) { return static_cast<int>(std::max_element(v.begin(), v.end()) - v.begin()); }

double log_loss(const Predicted& p) {
  const double eps = std::numeric_limits<double>::epsilon();
  double sum = 0;
  for (size_t i = 0; i < p.truth.size(); ++i) {
    double z = 0;
    for (double q : p.prob[i]) z += std::clamp(q, eps, 1 - eps);
    sum -= std::log(std::clamp(p.prob[i][p.truth[i]], eps, 1 - eps) / z);
  }
  return sum / static_cast<double>(p.truth.size());
}

// AUC of class c against the rest by counting pairs (ties count one half).
double auc(const Predicted& p, int c) {
  double wins = 0, pairs = 0;
  for (size_t i = 0; i < p.truth.size(); ++i)
    for (size_t j = 0; j < p.truth.size(); ++j)
      if (p.truth[i] == c && p.truth[j] != c) {
        pairs += 1;
        wins += p.prob[i][c] > p.prob[j][c] ? 1.0 : p.prob[i][c] == p.prob[j][c] ? 0.5 : 0.0;
      }
  return wins / pairs;
}

struct Prf {
  double precision, recall, f1;
};
Prf prf(const Predicted& p, int c) {
  double tp = 0, fp = 0, fn = 0;
  for (size_t i = 0; i < p.truth.size(); ++i) {
    const int y = argmax(p.prob[i]);
    tp += y == c && p.truth[i] == c;
    fp += y == c && p.truth[i] != c;
    fn += y != c && p.truth[i] == c;
  }
  Prf r{tp + fp > 0 ? tp / (tp + fp) : 0, tp + fn > 0 ? tp / (tp + fn) : 0, 0};
  r.f1 = r.precision + r.recall > 0 ? 2 * r.precision * r.recall / (r.precision + r.recall) : 0;
  return r;
}

double accuracy(const Predicted& p) {
  double ok = 0;
  for (size_t i = 0; i < p.truth.size(); ++i) ok += argmax(p.prob[i]) == p.truth[i];
  return ok / static_cast<double>(p.truth.size());
}

class ForestSqlFunctions : public ::testing::Test {
 protected:
  void SetUp() override {
    make_table(db, "t", 400);
    // Held-out rows give imperfect, tied and untied probabilities.
    db.query("CREATE MODEL bin OPTIONS(model_type = 'RANDOM_FOREST_CLASSIFIER', num_parallel_tree = 15, max_tree_depth = 4, "
             "data_split_method = 'CUSTOM', data_split_col = 'is_eval', seed = 3) AS SELECT x, n, flag, color, emb, label, is_eval FROM t");
    db.query("CREATE MODEL multi OPTIONS(model_type = 'RANDOM_FOREST_CLASSIFIER', input_label_cols = ['color'], num_parallel_tree = 15, "
             "max_tree_depth = 5, data_split_method = 'CUSTOM', data_split_col = 'is_eval', seed = 3) AS "
             "SELECT x, n, IF(MOD(id, 7) = 0, 0, MOD(id, 3)) AS r, color, is_eval FROM t");
    db.query("CREATE MODEL reg OPTIONS(model_type = 'RANDOM_FOREST_REGRESSOR', input_label_cols = ['y'], num_parallel_tree = 15, "
             "max_tree_depth = 4, data_split_method = 'CUSTOM', data_split_col = 'is_eval') AS SELECT x, flag, y, is_eval FROM t");
  }
  Database db;
};

}  // namespace

TEST_F(ForestSqlFunctions, PredictPassesTheInputThrough) {
  auto r = db.query("SELECT * FROM ML.PREDICT(MODEL bin, (SELECT id, x, n, flag, color, emb FROM t WHERE id < 50))");
  ASSERT_EQ(r.row_count(), 50u);
  EXPECT_EQ(r.column_names(), (std::vector<std::string>{"predicted_label", "predicted_label_probs", "id", "x", "n", "flag", "color", "emb"}));
  auto ids = db.query("SELECT SUM(id) FROM ML.PREDICT(MODEL bin, (SELECT id, x, n, flag, color, emb FROM t WHERE id < 50))");
  EXPECT_EQ(ids.get_as<int64_t>(0, 0), 49 * 50 / 2);
  // The predicted label is the most probable class (ties: the first).
  auto p = db.query("SELECT predicted_label, predicted_label_probs[OFFSET(1)].prob FROM ML.PREDICT(MODEL bin, TABLE t)");
  for (size_t i = 0; i < p.row_count(); ++i)
    EXPECT_EQ(p.get_as<std::string>(i, 0), p.get_as<double>(i, 1) > 0.5 ? "b" : "a");
  // Reading only input columns skips the forest, and gives the same rows.
  auto only_ids = db.query("SELECT COUNT(*), SUM(id) FROM ML.PREDICT(MODEL bin, TABLE t)");
  EXPECT_EQ(only_ids.get_as<int64_t>(0, 0), 400);
  EXPECT_EQ(only_ids.get_as<int64_t>(0, 1), 399 * 400 / 2);
  auto g = db.query("SELECT predicted_y FROM ML.PREDICT(MODEL reg, (SELECT 0.5 AS x, TRUE AS flag))");
  EXPECT_NEAR(g.get_as<double>(0, 0), 2.5, 0.3);
}

TEST_F(ForestSqlFunctions, EvaluateBinaryMatchesAHandComputation) {
  Predicted p = predict(db, "SELECT label, predicted_label_probs FROM ML.PREDICT(MODEL bin, TABLE t) WHERE is_eval");
  ASSERT_EQ(p.truth.size(), 100u);
  ASSERT_EQ(p.classes, (std::vector<std::string>{"a", "b"}));
  auto e = db.query("SELECT precision, recall, accuracy, f1_score, log_loss, roc_auc FROM ML.EVALUATE(MODEL bin)");
  Prf b = prf(p, 1);  // the positive class is the second one
  EXPECT_NEAR(e.get_as<double>(0, 0), b.precision, 1e-12);
  EXPECT_NEAR(e.get_as<double>(0, 1), b.recall, 1e-12);
  EXPECT_NEAR(e.get_as<double>(0, 2), accuracy(p), 1e-12);
  EXPECT_NEAR(e.get_as<double>(0, 3), b.f1, 1e-12);
  EXPECT_NEAR(e.get_as<double>(0, 4), log_loss(p), 1e-6);  // probabilities are float32 in the model
  EXPECT_NEAR(e.get_as<double>(0, 5), auc(p, 1), 1e-12);
  EXPECT_GT(e.get_as<double>(0, 2), 0.7);
  // With a table: the same rows give the same numbers.
  auto t = db.query("SELECT * FROM ML.EVALUATE(MODEL bin, (SELECT * FROM t WHERE is_eval))");
  for (size_t k = 0; k < 6; ++k) EXPECT_NEAR(t.get_as<double>(0, k), e.get_as<double>(0, k), 1e-12);
}

TEST_F(ForestSqlFunctions, EvaluateMulticlassIsMacroAveraged) {
  Predicted p = predict(db, "SELECT color, predicted_color_probs FROM ML.PREDICT(MODEL multi, (SELECT *, IF(MOD(id, 7) = 0, 0, MOD(id, 3)) AS r FROM t)) WHERE is_eval");
  ASSERT_EQ(p.classes.size(), 3u);
  auto e = db.query("SELECT precision, recall, accuracy, f1_score, log_loss, roc_auc FROM ML.EVALUATE(MODEL multi)");
  double mp = 0, mr = 0, mf = 0, ma = 0;
  for (int c = 0; c < 3; ++c) {
    Prf r = prf(p, c);
    mp += r.precision / 3;
    mr += r.recall / 3;
    mf += r.f1 / 3;
    ma += auc(p, c) / 3;
  }
  EXPECT_NEAR(e.get_as<double>(0, 0), mp, 1e-12);
  EXPECT_NEAR(e.get_as<double>(0, 1), mr, 1e-12);
  EXPECT_NEAR(e.get_as<double>(0, 2), accuracy(p), 1e-12);
  EXPECT_NEAR(e.get_as<double>(0, 3), mf, 1e-12);
  EXPECT_NEAR(e.get_as<double>(0, 4), log_loss(p), 1e-6);
  EXPECT_NEAR(e.get_as<double>(0, 5), ma, 1e-12);
  EXPECT_GT(e.get_as<double>(0, 2), 0.8);  // color is id % 3, and r is id % 3 but for every 7th row
}

TEST_F(ForestSqlFunctions, ConfusionMatrixMatchesGroupBy) {
  auto cm = db.query("SELECT expected_label, blue, green, red FROM ML.CONFUSION_MATRIX(MODEL multi) ORDER BY expected_label");
  ASSERT_EQ(cm.row_count(), 3u);
  auto g = db.query("SELECT color, predicted_color, COUNT(*) FROM ML.PREDICT(MODEL multi, (SELECT *, IF(MOD(id, 7) = 0, 0, MOD(id, 3)) AS r FROM t)) WHERE is_eval "
                    "GROUP BY color, predicted_color");
  std::map<std::pair<std::string, std::string>, int64_t> counts;
  for (size_t i = 0; i < g.row_count(); ++i) counts[std::make_pair(g.get_as<std::string>(i, 0), g.get_as<std::string>(i, 1))] = g.get_as<int64_t>(i, 2);
  const std::string names[3] = {"blue", "green", "red"};
  int64_t total = 0;
  for (size_t r = 0; r < 3; ++r) {
    EXPECT_EQ(cm.get_as<std::string>(r, 0), names[r]);
    for (size_t c = 0; c < 3; ++c) {
      const int64_t expected = counts[std::make_pair(names[r], names[c])];
      EXPECT_EQ(cm.get_as<int64_t>(r, c + 1), expected) << names[r] << " -> " << names[c];
      total += cm.get_as<int64_t>(r, c + 1);
    }
  }
  EXPECT_EQ(total, 100);
  // A label the model never saw gets a row of its own; numeric class names become _0, _1 columns.
  auto u = db.query("SELECT * FROM ML.CONFUSION_MATRIX(MODEL bin, (SELECT x, n, flag, color, emb, "
                    "IF(id = 0, 'zzz', label) AS label FROM t WHERE id < 8)) ORDER BY expected_label");
  ASSERT_EQ(u.row_count(), 3u);
  EXPECT_EQ(u.get_as<std::string>(2, 0), "zzz");
  db.query("CREATE MODEL ints OPTIONS(model_type = 'RANDOM_FOREST_CLASSIFIER', input_label_cols = ['grp'], num_parallel_tree = 2) "
           "AS SELECT x, grp FROM t WHERE grp < 2");
  auto i = db.query("SELECT * FROM ML.CONFUSION_MATRIX(MODEL ints)");
  EXPECT_EQ(i.column_names(), (std::vector<std::string>{"expected_label", "_0", "_1"}));
}

TEST_F(ForestSqlFunctions, RocCurveMatchesCountsAtEachThreshold) {
  auto roc = db.query("SELECT threshold, recall, false_positive_rate, true_positives, false_positives, true_negatives, "
                      "false_negatives FROM ML.ROC_CURVE(MODEL bin) ORDER BY threshold DESC");
  Predicted p = predict(db, "SELECT label, predicted_label_probs FROM ML.PREDICT(MODEL bin, TABLE t) WHERE is_eval");
  std::vector<double> distinct;
  for (const auto& r : p.prob) distinct.push_back(r[1]);
  std::sort(distinct.begin(), distinct.end());
  distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
  ASSERT_EQ(roc.row_count(), distinct.size());  // one point per distinct score
  ASSERT_GT(roc.row_count(), 5u);
  for (size_t k = 0; k < roc.row_count(); ++k) {
    const double t = roc.get_as<double>(k, 0);
    int64_t tp = 0, fp = 0, tn = 0, fn = 0;
    for (size_t i = 0; i < p.truth.size(); ++i) {
      const bool predicted = p.prob[i][1] >= t, positive = p.truth[i] == 1;
      tp += predicted && positive;
      fp += predicted && !positive;
      tn += !predicted && !positive;
      fn += !predicted && positive;
    }
    EXPECT_EQ(roc.get_as<int64_t>(k, 3), tp);
    EXPECT_EQ(roc.get_as<int64_t>(k, 4), fp);
    EXPECT_EQ(roc.get_as<int64_t>(k, 5), tn);
    EXPECT_EQ(roc.get_as<int64_t>(k, 6), fn);
    EXPECT_NEAR(roc.get_as<double>(k, 1), static_cast<double>(tp) / static_cast<double>(tp + fn), 1e-12);
    EXPECT_NEAR(roc.get_as<double>(k, 2), static_cast<double>(fp) / static_cast<double>(fp + tn), 1e-12);
  }
  // Given thresholds: one row each.
  auto g = db.query("SELECT threshold, true_positives + false_negatives, true_positives FROM "
                    "ML.ROC_CURVE(MODEL bin, TABLE t, GENERATE_ARRAY(0.0, 1.0, 0.25)) ORDER BY threshold");
  ASSERT_EQ(g.row_count(), 5u);
  EXPECT_EQ(g.get_as<double>(0, 0), 0.0);
  auto pos = db.query("SELECT COUNTIF(label = 'b') FROM t");
  EXPECT_EQ(g.get_as<int64_t>(0, 1), pos.get_as<int64_t>(0, 0));
  EXPECT_EQ(g.get_as<int64_t>(0, 2), pos.get_as<int64_t>(0, 0));  // threshold 0: every row positive
}

TEST_F(ForestSqlFunctions, EvaluateRegressorMatchesAHandComputation) {
  auto r = db.query("SELECT y, predicted_y FROM ML.PREDICT(MODEL reg, TABLE t) WHERE is_eval");
  ASSERT_EQ(r.row_count(), 100u);
  const double n = 100;
  double mae = 0, mse = 0, msle = 0, mean_y = 0, mean_e = 0;
  std::vector<double> abs_err;
  for (size_t i = 0; i < r.row_count(); ++i) {
    const double y = r.get_as<double>(i, 0), f = r.get_as<double>(i, 1);
    mae += std::fabs(y - f) / n;
    mse += (y - f) * (y - f) / n;
    msle += std::pow(std::log(1 + y) - std::log(1 + f), 2) / n;
    mean_y += y / n;
    mean_e += (y - f) / n;
    abs_err.push_back(std::fabs(y - f));
  }
  double sst = 0, var_e = 0;
  for (size_t i = 0; i < r.row_count(); ++i) {
    const double y = r.get_as<double>(i, 0), f = r.get_as<double>(i, 1);
    sst += (y - mean_y) * (y - mean_y);
    var_e += (y - f - mean_e) * (y - f - mean_e);
  }
  std::sort(abs_err.begin(), abs_err.end());
  const double median = (abs_err[49] + abs_err[50]) / 2;
  auto e = db.query("SELECT mean_absolute_error, mean_squared_error, mean_squared_log_error, median_absolute_error, r2_score, "
                    "explained_variance FROM ML.EVALUATE(MODEL reg)");
  EXPECT_NEAR(e.get_as<double>(0, 0), mae, 1e-9);
  EXPECT_NEAR(e.get_as<double>(0, 1), mse, 1e-9);
  EXPECT_NEAR(e.get_as<double>(0, 2), msle, 1e-9);
  EXPECT_NEAR(e.get_as<double>(0, 3), median, 1e-9);
  EXPECT_NEAR(e.get_as<double>(0, 4), 1 - mse * n / sst, 1e-9);
  EXPECT_NEAR(e.get_as<double>(0, 5), 1 - var_e / sst, 1e-9);
  EXPECT_GT(e.get_as<double>(0, 4), 0.8);
}

TEST_F(ForestSqlFunctions, FeatureImportanceSumsArrayElementsIntoTheirColumn) {
  auto m = model_of(db, "bin");
  // Splits per feature counted by walking the trees.
  std::vector<double> splits(m->forest.binner.features(), 0.0);
  double internal = 0;
  for (const auto& tree : m->forest.trees)
    for (const auto& node : tree.nodes)
      if (node.left >= 0) {
        splits[static_cast<size_t>(node.feature)] += 1;
        internal += 1;
      }
  auto r = db.query("SELECT feature, importance_weight, importance_gain, importance_cover FROM ML.FEATURE_IMPORTANCE(MODEL bin)");
  ASSERT_EQ(r.row_count(), 5u);  // x, n, flag, color, emb
  const std::vector<std::string> names = {"x", "n", "flag", "color", "emb"};
  const std::vector<std::vector<size_t>> features = {{0}, {1}, {2}, {3}, {4, 5, 6}};
  auto imp = m->forest.feature_importance();
  double total = 0;
  for (size_t c = 0; c < 5; ++c) {
    EXPECT_EQ(r.get_as<std::string>(c, 0), names[c]);
    double w = 0, gain = 0, cover = 0;
    for (size_t f : features[c]) {
      w += splits[f];
      gain += imp[f].gain;
      cover += imp[f].cover;
    }
    EXPECT_EQ(r.get_as<int64_t>(c, 1), static_cast<int64_t>(w)) << names[c];
    EXPECT_NEAR(r.get_as<double>(c, 2), w > 0 ? gain / w : 0.0, 1e-9);  // average gain per split
    EXPECT_NEAR(r.get_as<double>(c, 3), w > 0 ? cover / w : 0.0, 1e-9);
    total += r.get_as<double>(c, 1);
  }
  EXPECT_EQ(total, internal);
  EXPECT_GT(r.get_as<int64_t>(0, 1), 0);  // x decides the label
}

TEST_F(ForestSqlFunctions, TrainingInfoReportsTheLosses) {
  auto i = db.query("SELECT training_run, iteration, loss, eval_loss, learning_rate, duration_ms FROM ML.TRAINING_INFO(MODEL bin)");
  ASSERT_EQ(i.row_count(), 1u);
  EXPECT_EQ(i.get_as<int64_t>(0, 0), 0);
  EXPECT_EQ(i.get_as<int64_t>(0, 1), 0);
  EXPECT_TRUE(i.get_as<Value>(0, 4).is_null());
  EXPECT_GE(i.get_as<int64_t>(0, 5), 0);
  Predicted train = predict(db, "SELECT label, predicted_label_probs FROM ML.PREDICT(MODEL bin, TABLE t) WHERE NOT is_eval");
  EXPECT_NEAR(i.get_as<double>(0, 2), log_loss(train), 1e-6);
  auto e = db.query("SELECT log_loss FROM ML.EVALUATE(MODEL bin)");
  EXPECT_NEAR(i.get_as<double>(0, 3), e.get_as<double>(0, 0), 1e-12);
  auto r = db.query("SELECT loss, eval_loss FROM ML.TRAINING_INFO(MODEL reg)");
  auto re = db.query("SELECT mean_squared_error FROM ML.EVALUATE(MODEL reg)");
  EXPECT_NEAR(r.get_as<double>(0, 1), re.get_as<double>(0, 0), 1e-12);
  EXPECT_LT(r.get_as<double>(0, 0), r.get_as<double>(0, 1));  // in sample fits better
}

TEST_F(ForestSqlFunctions, ProgressReportsTreesDone) {
  std::vector<Progress> seen;
  db.set_progress_callback([&](const Progress& p) { seen.push_back(p); });
  db.query("CREATE MODEL p OPTIONS(model_type = 'RANDOM_FOREST_CLASSIFIER', num_parallel_tree = 12) AS SELECT x, label FROM t");
  ASSERT_FALSE(seen.empty());
  EXPECT_EQ(seen.back().unit, "trees");
  EXPECT_EQ(seen.back().done, 12u);
  EXPECT_EQ(seen.back().total, 12u);
  EXPECT_TRUE(seen.back().finished);
}

TEST_F(ForestSqlFunctions, EmptyInputsAndPlans) {
  auto none = db.query("SELECT * FROM ML.PREDICT(MODEL bin, (SELECT * FROM t WHERE id < 0))");
  EXPECT_EQ(none.row_count(), 0u);
  EXPECT_EQ(none.column_names()[0], "predicted_label");
  auto plan = db.query("EXPLAIN SELECT predicted_label FROM ML.PREDICT(MODEL bin, TABLE t)");
  std::string text;
  for (size_t i = 0; i < plan.row_count(); ++i) text += plan.get_as<std::string>(i, 0) + "\n";
  EXPECT_NE(text.find("ML.PREDICT"), std::string::npos) << text;
  // A regressor evaluated on a table, and the split's rows given as that table: the same metrics.
  auto a = db.query("SELECT * FROM ML.EVALUATE(MODEL reg)");
  auto b = db.query("SELECT * FROM ML.EVALUATE(MODEL reg, (SELECT x, flag, y FROM t WHERE is_eval))");
  for (size_t k = 0; k < 6; ++k) EXPECT_NEAR(a.get_as<double>(0, k), b.get_as<double>(0, k), 1e-12) << a.column_names()[k];
  // Filters above the evaluation see its one row.
  auto f = db.query("SELECT COUNT(*) FROM ML.EVALUATE(MODEL bin) WHERE accuracy > 0");
  EXPECT_EQ(f.get_as<int64_t>(0, 0), 1);
}

TEST_F(ForestSqlFunctions, BinaryThresholdSetting) {
  // STRUCT(t AS threshold): positive when p(positive) > t, in ML.PREDICT, ML.EVALUATE and the matrix.
  auto p = db.query("SELECT predicted_label, predicted_label_probs[OFFSET(1)].prob, label FROM "
                    "ML.PREDICT(MODEL bin, TABLE t, STRUCT(0.7 AS threshold)) WHERE is_eval");
  int64_t tp = 0, fp = 0, fn = 0, tn = 0;
  for (size_t i = 0; i < p.row_count(); ++i) {
    const bool positive = p.get_as<double>(i, 1) > 0.7;
    EXPECT_EQ(p.get_as<std::string>(i, 0), positive ? "b" : "a");
    const bool truth = p.get_as<std::string>(i, 2) == "b";
    (positive ? (truth ? tp : fp) : (truth ? fn : tn)) += 1;
  }
  auto e = db.query("SELECT precision, recall, accuracy FROM ML.EVALUATE(MODEL bin, STRUCT(0.7 AS threshold))");
  EXPECT_NEAR(e.get_as<double>(0, 0), tp + fp ? static_cast<double>(tp) / static_cast<double>(tp + fp) : 0.0, 1e-12);
  EXPECT_NEAR(e.get_as<double>(0, 1), static_cast<double>(tp) / static_cast<double>(tp + fn), 1e-12);
  EXPECT_NEAR(e.get_as<double>(0, 2), static_cast<double>(tp + tn) / 100.0, 1e-12);
  auto cm = db.query("SELECT a, b FROM ML.CONFUSION_MATRIX(MODEL bin, (SELECT * FROM t WHERE is_eval), STRUCT(0.7 AS threshold)) "
                     "ORDER BY expected_label");
  EXPECT_EQ(cm.get_as<int64_t>(0, 0), tn);
  EXPECT_EQ(cm.get_as<int64_t>(0, 1), fp);
  EXPECT_EQ(cm.get_as<int64_t>(1, 0), fn);
  EXPECT_EQ(cm.get_as<int64_t>(1, 1), tp);
}
