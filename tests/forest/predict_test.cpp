// The prediction walks (8-byte nodes, portable and AVX-512) against Tree::leaf_values, the
// reference walk over TreeNode: the same leaf for every row, and the same sums from predict_raw,
// on odd inputs (NaN, infinities, -0.0, values equal to a threshold or next to one, row counts
// that are not a multiple of the register width, trees that are a single leaf).
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string_view>

#include "visiondb/common/parallel.hpp"
#include "visiondb/ml/forest/detail/compact_trees.hpp"
#include "visiondb/ml/forest/synthetic_data.hpp"
#include "visiondb/ml/forest/trainer.hpp"

using namespace visiondb::ml;

namespace {

// Rows whose values sit on the trees' thresholds, next to them, or are NaN, +-inf, -0.0.
std::vector<float> odd_rows(const Forest& f, size_t n, uint64_t seed) {
  const size_t p = f.binner.features();
  std::vector<float> thresholds;
  for (const Tree& t : f.trees)
    for (const TreeNode& node : t.nodes)
      if (node.left >= 0) thresholds.push_back(node.threshold);
  const float inf = std::numeric_limits<float>::infinity();
  std::vector<float> rows(n * p);
  for (size_t i = 0; i < rows.size(); ++i) {
    const float th = thresholds.empty() ? 0.0f : thresholds[synthetic::hash(seed, 1, i) % thresholds.size()];
    switch (synthetic::hash(seed, 2, i) % 8) {
      case 0: rows[i] = std::numeric_limits<float>::quiet_NaN(); break;
      case 1: rows[i] = (i & 1) ? inf : -inf; break;
      case 2: rows[i] = -0.0f; break;
      case 3: rows[i] = std::nextafter(th, inf); break;
      case 4: rows[i] = std::nextafter(th, -inf); break;
      default: rows[i] = th;
    }
  }
  return rows;
}

// Every walk gives, for every row and tree, the leaf of Tree::leaf_values.
void expect_same_leaves(const Forest& f, const std::vector<float>& rows) {
  const size_t p = f.binner.features(), n = rows.size() / p;
  detail::CompactLayout layout;
  ASSERT_TRUE(detail::compact_layout(f.trees, p, layout));
  for (size_t t = 0; t < f.trees.size(); ++t) {
    const Tree& tree = f.trees[t];
    std::vector<detail::CompactNode> nodes(tree.nodes.size());
    detail::compact_tree(tree, layout, nodes.data());
    std::vector<uint32_t> want(n);
    for (size_t i = 0; i < n; ++i) want[i] = static_cast<uint32_t>(tree.leaf_values(rows.data() + i * p) - tree.values.data());
    // Every count from 0 to 40 rows, then all of them: full and partial registers, lanes refilled.
    for (size_t count : {size_t{0}, size_t{1}, size_t{15}, size_t{17}, size_t{40}, n}) {
      std::vector<uint32_t> got(count, 12345);
      detail::compact_leaves_portable(nodes.data(), layout, rows.data(), count, p, got.data());
      EXPECT_TRUE(std::equal(got.begin(), got.end(), want.begin())) << "portable, tree " << t << ", " << count << " rows";
#if defined(__AVX512F__)
      for (auto* walk : {&detail::compact_leaves_avx512<1>, &detail::compact_leaves_avx512<2>, &detail::compact_leaves_avx512<4>}) {
        std::fill(got.begin(), got.end(), 12345);
        walk(nodes.data(), layout, rows.data(), count, p, got.data());
        EXPECT_TRUE(std::equal(got.begin(), got.end(), want.begin())) << "AVX-512, tree " << t << ", " << count << " rows";
      }
#endif
      std::fill(got.begin(), got.end(), 12345);
      detail::tree_leaves(tree, rows.data(), count, p, got.data());
      EXPECT_TRUE(std::equal(got.begin(), got.end(), want.begin())) << "walk over TreeNode, tree " << t << ", " << count << " rows";
    }
  }
}

struct Data {
  FeatureTable table;
  std::vector<std::string_view> color;
  std::vector<double> x;
  std::vector<std::string_view> y;
  std::vector<double> target;
};

// 5000 rows (above the compact walk's threshold, not a multiple of 16): a categorical column, a
// numeric one with 30% NULLs and an array of 3, 12 classes.
std::unique_ptr<Data> make_data() {
  static const std::vector<std::string> colors = {"red", "green", "blue", "black", "white"};
  static const std::vector<std::string> classes = {"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l"};
  auto d = std::make_unique<Data>();
  const size_t n = 5003;
  d->color.resize(n);
  d->x.resize(n * 4);
  d->y.resize(n);
  d->target.resize(n);
  for (size_t i = 0; i < n; ++i) {
    const size_t k = synthetic::hash(3, 1, i) % colors.size();
    d->color[i] = colors[k];
    for (size_t j = 0; j < 4; ++j) d->x[i * 4 + j] = synthetic::normal(3, 2 + j, i);
    if (synthetic::uniform(3, 9, i) < 0.3) d->x[i * 4] = std::nan("");
    const double s = (std::isnan(d->x[i * 4]) ? 1.5 : d->x[i * 4]) + d->x[i * 4 + 1] + static_cast<double>(k) * 0.5;
    d->y[i] = classes[static_cast<size_t>(std::clamp(s * 2 + 6, 0.0, 11.0))];
    d->target[i] = s + synthetic::normal(3, 10, i) * 0.1;
  }
  std::span<const double> all(d->x);
  d->table.add_categorical("color", d->color);
  d->table.add_array("x", all, 4);
  return d;
}

Forest train(const Data& d, ForestTask task, int32_t max_depth = 0) {
  ForestParams p = ForestParams::sklearn_defaults(task);
  p.num_trees = 6;
  p.seed = 11;
  p.max_depth = max_depth;
  if (task == ForestTask::Classification) return train_forest(d.table, Labels::classes("label", d.y), p);
  return train_forest(d.table, Labels::numeric("target", d.target), p);
}

// predict_raw (compact walk, any thread count) against predict_encoded (TreeNode walk).
void expect_same_sums(const Forest& f, const FeatureTable& table) {
  const size_t n = table.rows(), p = f.binner.features();
  RowEncoder encoder(f.binner, table);
  std::vector<float> rows(n * p), walked(n * f.outputs());
  encoder.encode(0, n, rows.data());
  f.predict_encoded(rows.data(), n, walked.data());
  std::vector<float> one, two;
  {
    visiondb::TaskArena arena(1);
    one = arena.execute([&] { return f.predict_raw(table); });
  }
  {
    visiondb::TaskArena arena(2);
    two = arena.execute([&] { return f.predict_raw(table); });
  }
  ASSERT_EQ(one.size(), walked.size());
  EXPECT_TRUE(one == walked);  // bit for bit (NaN never appears in the sums)
  EXPECT_TRUE(two == walked);
}

}  // namespace

TEST(ForestPredict, CompactWalksReachTheReferenceLeaves) {
  auto d = make_data();
  for (ForestTask task : {ForestTask::Classification, ForestTask::Regression}) {
    Forest f = train(*d, task);
    EXPECT_GT(f.info.nodes, 1000u);
    expect_same_leaves(f, odd_rows(f, 1000, 1));
    // The training rows themselves (NULLs encoded as NaN).
    RowEncoder encoder(f.binner, d->table);
    std::vector<float> rows(d->table.rows() * f.binner.features());
    encoder.encode(0, d->table.rows(), rows.data());
    expect_same_leaves(f, rows);
  }
}

TEST(ForestPredict, SingleLeafTrees) {
  // max_depth 1 trees are a root and two leaves; a single-leaf tree is built by hand.
  auto d = make_data();
  Forest f = train(*d, ForestTask::Classification, 1);
  Tree leaf;
  leaf.width = f.trees[0].width;
  leaf.values.assign(static_cast<size_t>(leaf.width), 0.25f);
  leaf.nodes.resize(1);
  leaf.nodes[0].left = -1;
  leaf.nodes[0].feature = 0;
  f.trees.push_back(leaf);
  expect_same_leaves(f, odd_rows(f, 100, 2));
  expect_same_sums(f, d->table);
}

TEST(ForestPredict, PredictRawMatchesTheTreeWalk) {
  auto d = make_data();
  for (ForestTask task : {ForestTask::Classification, ForestTask::Regression}) {
    Forest f = train(*d, task);
    expect_same_sums(f, d->table);
  }
}

TEST(ForestPredict, FewRowsMatchTheTreeWalk) {
  // Under 4096 rows predict_raw walks TreeNode itself (AVX-512) instead of re-encoding the trees.
  auto d = make_data();
  for (ForestTask task : {ForestTask::Classification, ForestTask::Regression}) {
    Forest f = train(*d, task);
    for (size_t n : {size_t{1}, size_t{33}, size_t{2048}}) {
      FeatureTable t;
      std::span<const std::string_view> color(d->color);
      std::span<const double> x(d->x);
      t.add_categorical("color", color.subspan(0, n));
      t.add_array("x", x.subspan(0, n * 4), 4);
      expect_same_sums(f, t);
    }
  }
}

TEST(ForestPredict, ManyTreeChunksSpansAndRowBlocks) {
  // Small tiles: blocks of 64 rows, spans of 192 rows, chunks of about one tree; the sums must
  // still be those of the tree walk.
  auto d = make_data();
  Forest f = train(*d, ForestTask::Classification);
  detail::CompactLayout layout;
  ASSERT_TRUE(detail::compact_layout(f.trees, f.binner.features(), layout));
  const size_t n = d->table.rows(), p = f.binner.features();
  RowEncoder encoder(f.binner, d->table);
  std::vector<float> rows(n * p), walked(n * f.outputs()), tiled(n * f.outputs());
  encoder.encode(0, n, rows.data());
  f.predict_encoded(rows.data(), n, walked.data());
  for (size_t chunk : {size_t{1}, f.trees[0].nodes.size() * 2, size_t{1} << 30}) {
    detail::predict_compact(f, d->table, layout, {64, 192, chunk}, tiled.data());
    EXPECT_TRUE(tiled == walked) << "chunks of " << chunk << " nodes";
  }
}

TEST(ForestPredict, WideRows) {
  // 300 features (blocks of a few hundred rows), 4100 rows (the compact walk), 10 classes.
  SyntheticData s = make_embedding_like({4100, 300, 10, 0.6, 0.1, 5});
  FeatureTable t;
  t.add_array("x", std::span<const float>(s.x), s.cols);
  std::vector<int64_t> y(s.label.begin(), s.label.end());
  ForestParams p = ForestParams::sklearn_defaults(ForestTask::Classification);
  p.num_trees = 8;
  p.seed = 4;
  Forest f = train_forest(t, Labels::classes("y", y), p);
  expect_same_sums(f, t);
}
