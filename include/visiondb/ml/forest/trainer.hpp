// train_forest: grows a random forest from feature columns and a label column. Trees are grown in
// parallel (oneTBB), large nodes build their histograms in parallel, and each tree's random draws
// come from its own generator seeded by (params.seed, tree index): the model is the same whatever
// the thread count.
#pragma once

#include <cstddef>
#include <functional>
#include <span>

#include "visiondb/config.hpp"
#include "visiondb/ml/forest/dataset.hpp"
#include "visiondb/ml/forest/forest.hpp"
#include "visiondb/ml/forest/params.hpp"

namespace visiondb::ml {

/// Called after each tree with (trees done, trees in all); calls are serialized, from any thread.
using ForestProgress = std::function<void(size_t, size_t)>;

/// Trains a forest. params.task must match the labels (string/integer classes for a classifier,
/// numbers for a regressor). row_weights (optional, >= 0, one per row) multiply the class weights.
/// Throws InvalidArgument for bad params, empty data, a single class, mismatched lengths.
Forest train_forest(const FeatureTable& features, const Labels& labels, const ForestParams& params,
                    std::span<const double> row_weights = {}, const ForestProgress& progress = {});

}  // namespace visiondb::ml

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/ml/forest/detail/trainer_impl.hpp"
#endif
