// train_forest: checks, binning, class weights, trees in parallel, out-of-bag score.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstring>
#include <cmath>
#include <limits>
#include <memory>
#include <mutex>
#include <string>

#include "visiondb/common/error.hpp"
#include "visiondb/common/parallel.hpp"
#include "visiondb/ml/forest/detail/tree_builder.hpp"
#include "visiondb/ml/forest/trainer.hpp"

namespace visiondb::ml {

namespace detail {

inline void check_training_inputs(const FeatureTable& features, const Labels& labels, const ForestParams& params,
                                  std::span<const double> row_weights) {
  params.validate();
  const bool classifier = params.task == ForestTask::Classification;
  if (classifier && !labels.is_classification())
    visiondb::detail::throw_invalid_argument("label column \"" + labels.column() +
                                             "\" is numeric; a classifier needs STRING, INT64 or BOOL labels");
  if (!classifier && labels.is_classification())
    visiondb::detail::throw_invalid_argument("label column \"" + labels.column() + "\" holds classes; a regressor needs numeric labels");
  if (features.features() == 0) visiondb::detail::throw_invalid_argument("training data has no feature columns");
  if (features.rows() == 0 || labels.rows() == 0) visiondb::detail::throw_invalid_argument("training data is empty");
  if (labels.rows() != features.rows())
    visiondb::detail::throw_invalid_argument("label column \"" + labels.column() + "\" has " + std::to_string(labels.rows()) +
                                             " rows but the features have " + std::to_string(features.rows()));
  if (classifier && labels.class_names().size() < 2)
    visiondb::detail::throw_invalid_argument("label column \"" + labels.column() + "\" has a single class \"" +
                                             labels.class_names().front() + "\"; a classifier needs at least two");
  if (!row_weights.empty() && row_weights.size() != features.rows())
    visiondb::detail::throw_invalid_argument("row weights have " + std::to_string(row_weights.size()) + " entries for " +
                                             std::to_string(features.rows()) + " rows");
  for (size_t i = 0; i < row_weights.size(); ++i)
    if (!(row_weights[i] >= 0) || !std::isfinite(row_weights[i]))
      visiondb::detail::throw_invalid_argument("row weight at row " + std::to_string(i) + " is " +
                                               std::to_string(row_weights[i]) + "; expected a finite number >= 0");
}

inline std::vector<double> class_weight_table(const Labels& labels, const ForestParams& params) {
  const auto& names = labels.class_names();
  std::vector<double> w(names.size(), 1.0);
  if (params.class_weighting == ClassWeighting::Balanced) {
    std::vector<double> count(names.size(), 0.0);
    for (int32_t c : labels.class_index()) count[static_cast<size_t>(c)] += 1;
    const double n = static_cast<double>(labels.class_index().size());
    for (size_t c = 0; c < names.size(); ++c) w[c] = n / (static_cast<double>(names.size()) * count[c]);
  } else if (params.class_weighting == ClassWeighting::Custom) {
    for (const auto& [name, weight] : params.class_weights) {
      auto it = std::find(names.begin(), names.end(), name);
      if (it == names.end())
        visiondb::detail::throw_invalid_argument("class_weights names class \"" + name + "\", which label column \"" +
                                                 labels.column() + "\" does not contain");
      w[static_cast<size_t>(it - names.begin())] = weight;
    }
  }
  return w;
}

inline void compute_oob(Forest& forest, const TrainingContext& ctx, const FeatureTable& features,
                        const std::vector<TreeExtras>& extras) {
  const size_t n = ctx.x->rows, width = forest.outputs(), p = ctx.x->cols;
  std::vector<float> sum(n * width, 0.0f);
  std::vector<uint32_t> votes(n, 0);
  RowEncoder encoder(forest.binner, features);
  const size_t block = std::clamp<size_t>((size_t{1} << 20) / (std::max<size_t>(p, 1) * sizeof(float)), 64, 8192);
  visiondb::parallel_for_each_index(0, (n + block - 1) / block, [&](size_t blk) {
    const size_t r0 = blk * block, r1 = std::min(n, r0 + block);
    std::vector<float> rows((r1 - r0) * p);
    encoder.encode(r0, r1, rows.data());
    for (size_t t = 0; t < forest.trees.size(); ++t) {
      const auto& bag = extras[t].in_bag;
      for (size_t i = r0; i < r1; ++i) {
        if ((bag[i >> 6] >> (i & 63)) & 1) continue;
        const float* v = forest.trees[t].leaf_values(rows.data() + (i - r0) * p);
        for (size_t k = 0; k < width; ++k) sum[i * width + k] += v[k];
        ++votes[i];
      }
    }
  });
  size_t rows = 0, correct = 0;
  double sse = 0, sst = 0, mean = 0;
  if (ctx.num_classes == 0) {
    size_t m = 0;
    for (size_t i = 0; i < n; ++i)
      if (votes[i] && ctx.row_weight[i] > 0) {
        mean += ctx.targets[i];
        ++m;
      }
    mean = m ? mean / static_cast<double>(m) : 0.0;
  }
  for (size_t i = 0; i < n; ++i) {
    if (!votes[i] || ctx.row_weight[i] <= 0) continue;
    ++rows;
    if (ctx.num_classes > 0) {
      const float* s = sum.data() + i * width;
      auto pred = static_cast<int32_t>(std::max_element(s, s + width) - s);
      correct += pred == ctx.classes[i];
    } else {
      double pred = sum[i] / votes[i];
      sse += (pred - ctx.targets[i]) * (pred - ctx.targets[i]);
      sst += (ctx.targets[i] - mean) * (ctx.targets[i] - mean);
    }
  }
  forest.info.oob_rows = rows;
  if (rows == 0)
    forest.info.oob_score = std::numeric_limits<double>::quiet_NaN();
  else if (ctx.num_classes > 0)
    forest.info.oob_score = static_cast<double>(correct) / static_cast<double>(rows);
  else
    forest.info.oob_score = sst > 0 ? 1.0 - sse / sst : 0.0;
}

// Rows of at most this many bytes (bin codes and exact floats) are packed row-major for training.
inline constexpr size_t kMaxPackedRowBytes = 512;

inline Forest train_forest_here(const FeatureTable& features, const Labels& labels, const ForestParams& params,
                                std::span<const double> row_weights, const ForestProgress& progress) {
  auto start = std::chrono::steady_clock::now();
  const bool classifier = params.task == ForestTask::Classification;
  Forest forest;
  forest.task = params.task;
  forest.params = params;
  forest.label_column = labels.column();
  forest.class_names = labels.class_names();
  // Wide numeric data (embeddings: arrays of thousands of elements, row-major) is first copied
  // to float32 columns, in tiles, once: binning, bin codes and the exact search then read
  // contiguous columns instead of striding across rows three times (one cache line and often
  // one page per value).
  std::vector<float> columns;
  FeatureTable column_view;
  const FeatureTable* source = &features;
  if (features.features() > kMaxPackedRowBytes &&
      std::all_of(features.columns().begin(), features.columns().end(),
                  [](const FeatureColumn& c) { return c.kind == FeatureKind::Numeric; })) {
    const size_t n = features.rows(), p = features.features();
    columns.resize(n * p);
    constexpr size_t kTile = 16;  // 16 features of a row: one cache line of float32
    visiondb::parallel_for_each_index(0, (p + kTile - 1) / kTile, [&](size_t t) {
      const size_t f0 = t * kTile, f1 = std::min(p, f0 + kTile);
      for (size_t i = 0; i < n; ++i)
        for (size_t f = f0; f < f1; ++f) columns[f * n + i] = static_cast<float>(features.column(f).numeric(i));
    });
    for (size_t f = 0; f < p; ++f)
      column_view.add_numeric(features.column(f).name, std::span<const float>(columns.data() + f * n, n));
    source = &column_view;
  }
  forest.binner = FeatureBinner::fit(*source, &labels, params.max_bins);
  BinnedMatrix x = forest.binner.transform(*source);
  if (params.exact_node_rows <= 0) std::vector<float>().swap(columns);  // no exact search: bins only

  TrainingContext ctx;
  ctx.x = &x;
  ctx.params = params;
  ctx.bins.resize(x.cols);
  for (size_t f = 0; f < x.cols; ++f) ctx.bins[f] = forest.binner.feature(f).bins();
  ctx.split_value.assign(x.cols * 256, std::numeric_limits<float>::infinity());
  ctx.raw.assign(x.cols, nullptr);
  ctx.searched.assign(x.cols, 0);
  size_t inexact = 0;
  for (size_t f = 0; f < x.cols; ++f) {
    for (uint32_t t = 1; t <= ctx.bins[f] && t < 256; ++t) ctx.split_value[f * 256 + t] = forest.binner.split_value(f, t);
    const FeatureBins& fb = forest.binner.feature(f);
    inexact += fb.kind == FeatureKind::Numeric && !fb.exact;
  }
  // Float32 columns of the quantile-binned features, for exact splits of small nodes.
  ctx.exact_rows = static_cast<size_t>(params.exact_node_rows);
  if (ctx.exact_rows > 0 && inexact > 0 && !columns.empty()) {
    for (size_t f = 0; f < x.cols; ++f) {
      const FeatureBins& fb = forest.binner.feature(f);
      if (fb.kind == FeatureKind::Numeric && !fb.exact) ctx.raw[f] = columns.data() + f * x.rows;
    }
  } else if (ctx.exact_rows > 0 && inexact > 0) {
    ctx.raw_store.resize(inexact * x.rows);
    std::vector<size_t> raw_features;
    for (size_t f = 0; f < x.cols; ++f) {
      const FeatureBins& fb = forest.binner.feature(f);
      if (fb.kind == FeatureKind::Numeric && !fb.exact) {
        ctx.raw[f] = ctx.raw_store.data() + raw_features.size() * x.rows;
        raw_features.push_back(f);
      }
    }
    std::vector<const FeatureColumn*> cols = forest.binner.match(features);
    visiondb::parallel_for_each_index(0, raw_features.size(), [&](size_t j) {
      const FeatureColumn& c = *cols[raw_features[j]];
      float* out = ctx.raw_store.data() + j * x.rows;
      for (size_t i = 0; i < x.rows; ++i) out[i] = static_cast<float>(c.numeric(i));
    });
  }
  // Narrow rows (covertype's 54 bin codes and 10 floats: 94 bytes) are packed row-major, so that
  // trees move a node's rows together instead of gathering each feature from a long column.
  {
    size_t raw_count = 0;
    for (size_t f = 0; f < x.cols; ++f) raw_count += ctx.raw[f] != nullptr;
    const size_t width = 4 * raw_count + x.cols;
    if (width <= kMaxPackedRowBytes) {
      ctx.packed_width = width;
      ctx.bins_offset = 4 * raw_count;
      ctx.raw_offset.assign(x.cols, 0);
      std::vector<size_t> raw_features;
      for (size_t f = 0; f < x.cols; ++f)
        if (ctx.raw[f]) {
          ctx.raw_offset[f] = static_cast<uint32_t>(4 * raw_features.size());
          raw_features.push_back(f);
        }
      ctx.packed.resize(x.rows * width);
      constexpr size_t kBlock = 4096;
      visiondb::parallel_for_each_index(0, (x.rows + kBlock - 1) / kBlock, [&](size_t blk) {
        const size_t r0 = blk * kBlock, r1 = std::min(x.rows, r0 + kBlock);
        for (size_t j = 0; j < raw_features.size(); ++j) {
          const float* col = ctx.raw[raw_features[j]];
          for (size_t i = r0; i < r1; ++i) std::memcpy(ctx.packed.data() + i * width + 4 * j, col + i, 4);
        }
        for (size_t f = 0; f < x.cols; ++f) {
          const uint8_t* col = x.column(f);
          for (size_t i = r0; i < r1; ++i) ctx.packed[i * width + ctx.bins_offset + f] = col[i];
        }
      });
    }
  }
  for (size_t f = 0; f < x.cols; ++f) ctx.searched[f] = ctx.raw[f] != nullptr;
  if (ctx.packed_width > 0) {  // the packed rows hold the floats now: drop the columns
    std::fill(ctx.raw.begin(), ctx.raw.end(), nullptr);
    std::vector<float>().swap(ctx.raw_store);
  }
  ctx.num_classes = classifier ? labels.class_names().size() : 0;
  if (classifier)
    ctx.classes = labels.class_index().data();
  else
    ctx.targets = labels.values().data();
  std::vector<double> cw = classifier ? class_weight_table(labels, params) : std::vector<double>{};
  ctx.row_weight.resize(x.rows);
  for (size_t i = 0; i < x.rows; ++i) {
    double w = row_weights.empty() ? 1.0 : row_weights[i];
    if (classifier) w *= cw[static_cast<size_t>(labels.class_index()[i])];
    ctx.row_weight[i] = w;
    if (w > 0) ctx.eligible.push_back(static_cast<uint32_t>(i));
  }
  if (ctx.eligible.empty()) visiondb::detail::throw_invalid_argument("every training row has weight 0");
  ctx.mtry = params.features_per_node(static_cast<int32_t>(x.cols));

  const auto n_trees = static_cast<size_t>(params.num_trees);
  forest.trees.resize(n_trees);
  std::vector<TreeExtras> extras(n_trees);
  std::mutex progress_mutex;
  size_t done = 0;
  // One builder per tree, not per thread: a worker waiting inside a node's parallel histogram
  // may pick up another tree meanwhile, and must not share its state.
  visiondb::parallel_for_each_index(0, n_trees, [&](size_t t) {
    TreeBuilder builder(ctx);
    forest.trees[t] = builder.build(t, extras[t]);
    if (progress) {
      std::lock_guard<std::mutex> lock(progress_mutex);
      progress(++done, n_trees);
    }
  });

  // The importance sums, in tree order.
  forest.split_count.assign(x.cols, 0.0);
  forest.split_gain.assign(x.cols, 0.0);
  forest.split_cover.assign(x.cols, 0.0);
  for (size_t t = 0; t < n_trees; ++t) {
    for (size_t f = 0; f < x.cols; ++f) {
      forest.split_count[f] += extras[t].split_count[f];
      forest.split_gain[f] += extras[t].split_gain[f];
      forest.split_cover[f] += extras[t].split_cover[f];
    }
    forest.info.nodes += forest.trees[t].nodes.size();
  }
  forest.info.rows = ctx.eligible.size();
  forest.info.features = x.cols;
  forest.info.oob_score = std::numeric_limits<double>::quiet_NaN();
  if (params.compute_oob) compute_oob(forest, ctx, features, extras);
  forest.info.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return forest;
}

}  // namespace detail

VISIONDB_INLINE Forest train_forest(const FeatureTable& features, const Labels& labels, const ForestParams& params,
                                    std::span<const double> row_weights, const ForestProgress& progress) {
  detail::check_training_inputs(features, labels, params, row_weights);
  if (params.num_threads > 0) {
    visiondb::TaskArena arena(params.num_threads);
    return arena.execute([&] { return detail::train_forest_here(features, labels, params, row_weights, progress); });
  }
  return detail::train_forest_here(features, labels, params, row_weights, progress);
}

}  // namespace visiondb::ml
