#include <gtest/gtest.h>

#include "visiondb/common/error.hpp"
#include "visiondb/ml/forest/params.hpp"

using visiondb::InvalidArgument;
using visiondb::ml::ForestParams;
using visiondb::ml::ForestTask;

namespace {
std::string error_of(const ForestParams& p) {
  try {
    p.validate();
  } catch (const InvalidArgument& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST(ForestParams, BigQueryDefaults) {
  ForestParams p = ForestParams::bigquery_defaults(ForestTask::Classification);
  EXPECT_EQ(p.num_trees, 100);
  EXPECT_EQ(p.max_depth, 20);
  EXPECT_DOUBLE_EQ(p.subsample, 0.8);
  EXPECT_DOUBLE_EQ(p.colsample_bynode, 0.8);
  EXPECT_DOUBLE_EQ(p.min_child_weight, 1.0);
  EXPECT_EQ(p.sampling, visiondb::ml::RowSampling::WithoutReplacement);
  EXPECT_NO_THROW(p.validate());
  EXPECT_EQ(p.features_per_node(50), 40);
  EXPECT_EQ(p.features_per_node(1), 1);
}

TEST(ForestParams, SklearnDefaults) {
  ForestParams c = ForestParams::sklearn_defaults(ForestTask::Classification);
  EXPECT_EQ(c.features_per_node(64), 8);
  EXPECT_EQ(c.features_per_node(2048), 45);
  EXPECT_EQ(c.max_depth, 0);
  ForestParams r = ForestParams::sklearn_defaults(ForestTask::Regression);
  EXPECT_EQ(r.features_per_node(10), 10);
  EXPECT_NO_THROW(c.validate());
  EXPECT_NO_THROW(r.validate());
}

TEST(ForestParams, RejectsBadValuesWithClearMessages) {
  ForestParams p;
  p.num_trees = 0;
  EXPECT_NE(error_of(p).find("num_parallel_tree = 0 is invalid: expected an integer in [1, 100000]"), std::string::npos)
      << error_of(p);
  p = {};
  p.subsample = 1.5;
  EXPECT_NE(error_of(p).find("subsample = 1.5"), std::string::npos) << error_of(p);
  p = {};
  p.subsample = 0;
  EXPECT_NE(error_of(p).find("subsample"), std::string::npos);
  p = {};
  p.colsample_bynode = -0.1;
  EXPECT_NE(error_of(p).find("colsample_bynode"), std::string::npos);
  p = {};
  p.max_depth = -1;
  EXPECT_NE(error_of(p).find("max_tree_depth"), std::string::npos);
  p = {};
  p.min_child_weight = std::nan("");
  EXPECT_NE(error_of(p).find("min_tree_child_weight"), std::string::npos);
  p = {};
  p.max_bins = 256;
  EXPECT_NE(error_of(p).find("max_bins"), std::string::npos);
  p = {};
  p.task = ForestTask::Regression;
  p.class_weighting = visiondb::ml::ClassWeighting::Balanced;
  EXPECT_NE(error_of(p).find("classifiers only"), std::string::npos);
  p = {};
  p.class_weighting = visiondb::ml::ClassWeighting::Custom;
  p.class_weights = {{"cat", -1.0}};
  EXPECT_NE(error_of(p).find("class \"cat\""), std::string::npos) << error_of(p);
}
