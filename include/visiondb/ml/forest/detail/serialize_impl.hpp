// Forest (de)serialization. Layout: magic "VDBFRST" + version byte, then the fields in the order
// written below; integers are little-endian fixed width, strings and arrays are a u64 count
// followed by their elements.
#pragma once

#include <cstring>
#include <limits>
#include <string>
#include <type_traits>
#include <vector>

#include "visiondb/common/error.hpp"
#include "visiondb/ml/forest/detail/byte_io.hpp"
#include "visiondb/ml/forest/serialize.hpp"

namespace visiondb::ml {

namespace detail {

constexpr char kForestMagic[8] = {'V', 'D', 'B', 'F', 'R', 'S', 'T', 1};

}  // namespace detail

VISIONDB_INLINE std::string serialize_forest(const Forest& f) {
  detail::ForestWriter w;
  w.out.append(detail::kForestMagic, sizeof detail::kForestMagic);
  const ForestParams& p = f.params;
  w.put<uint8_t>(f.task == ForestTask::Classification ? 0 : 1);
  w.put<int32_t>(p.num_trees);
  w.put<int32_t>(p.max_depth);
  w.put<double>(p.min_child_weight);
  w.put<uint8_t>(p.sampling == RowSampling::Bootstrap ? 1 : 0);
  w.put<double>(p.subsample);
  w.put<double>(p.colsample_bynode);
  w.put<int32_t>(p.max_features);
  w.put<uint8_t>(p.sqrt_features ? 1 : 0);
  w.put<uint8_t>(p.draw_policy == FeatureDrawPolicy::Fixed ? 1 : 0);
  w.put<int32_t>(p.max_bins);
  w.put<int32_t>(p.exact_node_rows);
  w.put<uint8_t>(static_cast<uint8_t>(p.class_weighting));
  w.put<uint64_t>(p.class_weights.size());
  for (const auto& [name, weight] : p.class_weights) {
    w.put_string(name);
    w.put<double>(weight);
  }
  w.put<uint8_t>(p.compute_oob ? 1 : 0);
  w.put<uint64_t>(p.seed);
  w.put_string(f.label_column);
  w.put<uint64_t>(f.class_names.size());
  for (const auto& c : f.class_names) w.put_string(c);
  w.put<uint64_t>(f.binner.features());
  for (size_t j = 0; j < f.binner.features(); ++j) {
    const FeatureBins& fb = f.binner.feature(j);
    w.put_string(fb.name);
    w.put<uint8_t>(fb.kind == FeatureKind::Numeric ? 0 : 1);
    w.put<uint8_t>(fb.exact ? 1 : 0);
    w.put_vector(fb.edges);
    w.put<uint64_t>(fb.bin_categories.size());
    for (const auto& names : fb.bin_categories) {
      w.put<uint64_t>(names.size());
      for (const auto& n : names) w.put_string(n);
    }
  }
  w.put<uint64_t>(f.trees.size());
  for (const Tree& t : f.trees) {
    w.put<int32_t>(t.width);
    w.put_vector(t.nodes);
    w.put_vector(t.values);
  }
  w.put_vector(f.split_count);
  w.put_vector(f.split_gain);
  w.put_vector(f.split_cover);
  w.put<uint64_t>(f.info.rows);
  w.put<uint64_t>(f.info.features);
  w.put<double>(f.info.oob_score);
  w.put<uint64_t>(f.info.oob_rows);
  w.put<double>(f.info.seconds);
  w.put<uint64_t>(f.info.nodes);
  return std::move(w.out);
}

VISIONDB_INLINE Forest deserialize_forest(std::string_view bytes, const std::string& source) {
  detail::ForestReader r(bytes, source);
  if (bytes.size() < sizeof detail::kForestMagic || std::memcmp(bytes.data(), detail::kForestMagic, 7) != 0)
    r.fail("the magic \"VDBFRST\" is missing");
  if (bytes[7] != detail::kForestMagic[7]) r.fail("format version " + std::to_string(static_cast<int>(bytes[7])) + ", expected 1");
  for (size_t i = 0; i < sizeof detail::kForestMagic; ++i) r.get<char>("magic");
  Forest f;
  ForestParams& p = f.params;
  auto task = r.get<uint8_t>("task");
  if (task > 1) r.fail("task " + std::to_string(task));
  f.task = p.task = task == 0 ? ForestTask::Classification : ForestTask::Regression;
  p.num_trees = r.get<int32_t>("num_trees");
  p.max_depth = r.get<int32_t>("max_depth");
  p.min_child_weight = r.get<double>("min_child_weight");
  p.sampling = r.get<uint8_t>("sampling") ? RowSampling::Bootstrap : RowSampling::WithoutReplacement;
  p.subsample = r.get<double>("subsample");
  p.colsample_bynode = r.get<double>("colsample_bynode");
  p.max_features = r.get<int32_t>("max_features");
  p.sqrt_features = r.get<uint8_t>("sqrt_features") != 0;
  p.draw_policy = r.get<uint8_t>("draw_policy") ? FeatureDrawPolicy::Fixed : FeatureDrawPolicy::UntilValidSplit;
  p.max_bins = r.get<int32_t>("max_bins");
  p.exact_node_rows = r.get<int32_t>("exact_node_rows");
  auto weighting = r.get<uint8_t>("class_weighting");
  if (weighting > 2) r.fail("class weighting " + std::to_string(weighting));
  p.class_weighting = static_cast<ClassWeighting>(weighting);
  uint64_t n_weights = r.get_count("class weights", 16);
  for (uint64_t i = 0; i < n_weights; ++i) {
    std::string name = r.get_string("class weight name");
    p.class_weights[name] = r.get<double>("class weight");
  }
  p.compute_oob = r.get<uint8_t>("compute_oob") != 0;
  p.seed = r.get<uint64_t>("seed");
  f.label_column = r.get_string("label column");
  uint64_t n_classes = r.get_count("classes", 8);
  for (uint64_t i = 0; i < n_classes; ++i) f.class_names.push_back(r.get_string("class name"));
  if (f.task == ForestTask::Classification && f.class_names.size() < 2) r.fail("a classifier with fewer than two classes");
  if (f.task == ForestTask::Regression && !f.class_names.empty()) r.fail("a regressor with classes");
  uint64_t n_features = r.get_count("features", 8);
  if (n_features == 0) r.fail("no features");
  auto& features = f.binner.mutable_features();
  features.resize(n_features);
  for (uint64_t j = 0; j < n_features; ++j) {
    FeatureBins& fb = features[j];
    fb.name = r.get_string("feature name");
    auto kind = r.get<uint8_t>("feature kind");
    if (kind > 1) r.fail("feature \"" + fb.name + "\" has kind " + std::to_string(kind));
    fb.kind = kind == 0 ? FeatureKind::Numeric : FeatureKind::Categorical;
    fb.exact = r.get<uint8_t>("exact") != 0;
    fb.edges = r.get_vector<double>("edges");
    if (fb.edges.size() > 254) r.fail("feature \"" + fb.name + "\" has " + std::to_string(fb.edges.size()) + " bin edges");
    uint64_t n_bins = r.get_count("category bins", 8);
    if (n_bins > 255) r.fail("feature \"" + fb.name + "\" has " + std::to_string(n_bins) + " category bins");
    for (uint64_t b = 0; b < n_bins; ++b) {
      uint64_t n_names = r.get_count("categories", 8);
      std::vector<std::string> names;
      for (uint64_t c = 0; c < n_names; ++c) {
        names.push_back(r.get_string("category"));
        fb.category_bin[names.back()] = static_cast<uint8_t>(b + 1);
      }
      fb.bin_categories.push_back(std::move(names));
    }
  }
  const auto width = static_cast<int32_t>(f.outputs());
  uint64_t n_trees = r.get_count("trees", 4 + 8 + 8);
  if (n_trees == 0) r.fail("no trees");
  f.trees.resize(n_trees);
  for (uint64_t t = 0; t < n_trees; ++t) {
    Tree& tree = f.trees[t];
    tree.width = r.get<int32_t>("tree width");
    if (tree.width != width) r.fail("tree " + std::to_string(t) + " has " + std::to_string(tree.width) + " outputs per leaf, expected " + std::to_string(width));
    tree.nodes = r.get_vector<TreeNode>("nodes");
    tree.values = r.get_vector<float>("leaf values");
    if (tree.nodes.empty()) r.fail("tree " + std::to_string(t) + " has no nodes");
    const auto n_nodes = static_cast<int64_t>(tree.nodes.size());
    for (int64_t i = 0; i < n_nodes; ++i) {
      const TreeNode& n = tree.nodes[static_cast<size_t>(i)];
      const std::string where = "tree " + std::to_string(t) + " node " + std::to_string(i);
      if (n.left >= 0) {
        // Children come after their parent: walks always end.
        if (n.left <= i || n.left + 1 >= n_nodes) r.fail(where + " has child " + std::to_string(n.left));
        if (n.feature < 0 || static_cast<uint64_t>(n.feature) >= n_features) r.fail(where + " splits on feature " + std::to_string(n.feature));
      } else {
        if (n.left != -1 || n.feature < 0 || static_cast<uint64_t>(n.feature) + static_cast<uint64_t>(width) > tree.values.size())
          r.fail(where + " is a leaf with output offset " + std::to_string(n.feature));
      }
    }
  }
  f.split_count = r.get_vector<double>("split counts");
  f.split_gain = r.get_vector<double>("split gains");
  f.split_cover = r.get_vector<double>("split covers");
  if (f.split_count.size() != n_features || f.split_gain.size() != n_features || f.split_cover.size() != n_features)
    r.fail("feature importance of the wrong length");
  f.info.rows = r.get<uint64_t>("rows");
  f.info.features = r.get<uint64_t>("feature count");
  f.info.oob_score = r.get<double>("oob score");
  f.info.oob_rows = r.get<uint64_t>("oob rows");
  f.info.seconds = r.get<double>("seconds");
  f.info.nodes = r.get<uint64_t>("nodes");
  if (!r.at_end()) r.fail("trailing bytes");
  return f;
}

}  // namespace visiondb::ml
