#include <gtest/gtest.h>

#include <string_view>

#include "visiondb/common/error.hpp"
#include "visiondb/ml/forest/serialize.hpp"
#include "visiondb/ml/forest/synthetic_data.hpp"
#include "visiondb/ml/forest/trainer.hpp"

using namespace visiondb::ml;

namespace {

struct Trained {
  FeatureTable table;
  std::vector<double> x;
  std::vector<std::string_view> color;
  std::vector<uint8_t> valid;  // the table views these: they live as long as it
  Forest forest;
};

// A small classifier with a numeric array (some NULL rows) and a STRING column.
std::unique_ptr<Trained> train_small(ForestTask task) {
  auto t = std::make_unique<Trained>();
  const size_t n = 600;
  static const std::vector<std::string> colors = {"red", "green", "blue"};
  t->x.resize(n * 3);
  t->color.resize(n);
  t->valid.resize(n);
  std::vector<std::string_view> y(n);
  std::vector<double> target(n);
  for (size_t i = 0; i < n; ++i) {
    for (size_t f = 0; f < 3; ++f) t->x[i * 3 + f] = synthetic::normal(6, 1, i * 3 + f);
    t->color[i] = colors[synthetic::hash(6, 2, i) % 3];
    t->valid[i] = i % 11 != 0;
    y[i] = t->x[i * 3] + (t->color[i] == "red" ? 1.0 : 0.0) > 0.5 ? "high" : "low";
    target[i] = t->x[i * 3 + 1] * 2 + (t->color[i] == "blue" ? 3.0 : 0.0);
  }
  t->table.add_array("x", t->x, 3, t->valid);
  t->table.add_categorical("color", t->color);
  ForestParams p = ForestParams::bigquery_defaults(task);
  p.num_trees = 7;
  p.seed = 5;
  p.compute_oob = true;
  if (task == ForestTask::Classification)
    t->forest = train_forest(t->table, Labels::classes("label", y), p);
  else
    t->forest = train_forest(t->table, Labels::numeric("target", target), p);
  return t;
}

std::string io_error_of(std::string_view bytes) {
  try {
    deserialize_forest(bytes, "models/m.forest");
  } catch (const visiondb::IoError& e) {
    EXPECT_EQ(e.path(), "models/m.forest");
    return e.what();
  }
  return "";
}

}  // namespace

TEST(ForestSerialize, RoundTripGivesTheSamePredictions) {
  for (ForestTask task : {ForestTask::Classification, ForestTask::Regression}) {
    auto t = train_small(task);
    std::string bytes = serialize_forest(t->forest);
    Forest back = deserialize_forest(bytes);
    EXPECT_EQ(back.class_names, t->forest.class_names);
    EXPECT_EQ(back.label_column, t->forest.label_column);
    EXPECT_EQ(back.params.seed, 5u);
    EXPECT_EQ(back.info.oob_score, t->forest.info.oob_score);
    EXPECT_EQ(back.feature_importance().size(), 4u);
    EXPECT_EQ(back.predict_raw(t->table), t->forest.predict_raw(t->table));
    EXPECT_EQ(serialize_forest(back), bytes);
  }
}

TEST(ForestSerialize, MalformedBytesAreIoErrors) {
  auto t = train_small(ForestTask::Classification);
  std::string bytes = serialize_forest(t->forest);
  EXPECT_NE(io_error_of("hello").find("magic"), std::string::npos);
  std::string version = bytes;
  version[7] = 9;
  EXPECT_NE(io_error_of(version).find("format version 9"), std::string::npos);
  // Every truncation is caught.
  for (size_t cut : {size_t{8}, size_t{40}, bytes.size() / 3, bytes.size() / 2, bytes.size() - 1})
    EXPECT_NE(io_error_of(std::string_view(bytes).substr(0, cut)).find("not a valid visiondb forest"), std::string::npos)
        << "cut at " << cut;
  EXPECT_NE(io_error_of(bytes + "x").find("trailing bytes"), std::string::npos);
  // A child index pointing backwards would loop forever: rejected.
  Forest bad = t->forest;
  for (TreeNode& n : bad.trees[0].nodes)
    if (n.left >= 0) {
      n.left = 0;
      break;
    }
  EXPECT_NE(io_error_of(serialize_forest(bad)).find("has child 0"), std::string::npos);
  Forest bad_leaf = t->forest;
  for (TreeNode& n : bad_leaf.trees[1].nodes)
    if (n.left < 0) {
      n.feature = 1 << 30;
      break;
    }
  EXPECT_NE(io_error_of(serialize_forest(bad_leaf)).find("is a leaf with output offset"), std::string::npos);
}
