// Feature binning: each feature's values are mapped to at most 255 ordered bins (bin 0 is NULL)
// so that split finding works on byte histograms. Numeric features with few distinct values get
// one bin per value (exact thresholds, midway between neighbours, as scikit-learn's); others get
// quantile bins. STRING categories are ordered by their mean target (see docs/ml.md) and binned.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "visiondb/common/aligned_buffer.hpp"
#include "visiondb/config.hpp"
#include "visiondb/ml/forest/dataset.hpp"

namespace visiondb::ml {

/// The bins of one feature.
struct FeatureBins {
  std::string name;
  FeatureKind kind = FeatureKind::Numeric;
  /// Numeric: ascending upper edges; value x goes to bin 1 + #(edges < x), so "bin <= t" is
  /// "x <= edges[t - 1]". There are edges.size() + 1 non-NULL bins.
  std::vector<double> edges;
  /// Categorical: category -> bin (1-based); an unseen category is NULL (bin 0).
  std::unordered_map<std::string, uint8_t> category_bin;
  /// Categorical: the categories of each bin, in bin order (index 0 is bin 1).
  std::vector<std::vector<std::string>> bin_categories;

  /// The number of non-NULL bins.
  uint32_t bins() const noexcept {
    return kind == FeatureKind::Numeric ? static_cast<uint32_t>(edges.size() + 1)
                                        : static_cast<uint32_t>(bin_categories.size());
  }
};

/// Rows x features bin codes, row-major (a row's features are adjacent: one cache line for the
/// few features a node draws).
struct BinnedMatrix {
  size_t rows = 0;
  size_t cols = 0;
  AlignedBuffer<uint8_t> bins;
  const uint8_t* row(size_t i) const noexcept { return bins.data() + i * cols; }
};

/// Learns each feature's bins from training data and maps tables to bin codes.
class FeatureBinner {
 public:
  /// Fits the bins. `labels` orders categorical features (may be null: then by frequency).
  /// Quantiles are taken from at most `sample_rows` rows (evenly strided).
  static FeatureBinner fit(const FeatureTable& table, const Labels* labels, int32_t max_bins,
                           size_t sample_rows = 200000);

  /// Maps a table to bin codes. Columns are matched by name; a missing column or one of another
  /// kind is an InvalidArgument naming it. Extra columns are ignored.
  BinnedMatrix transform(const FeatureTable& table) const;

  /// Maps one column's value (numeric) to its bin.
  uint8_t bin_of(size_t feature, double value) const noexcept;

  size_t features() const noexcept { return features_.size(); }
  const FeatureBins& feature(size_t f) const noexcept { return features_[f]; }
  std::vector<FeatureBins>& mutable_features() noexcept { return features_; }

 private:
  std::vector<FeatureBins> features_;
};

}  // namespace visiondb::ml

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/ml/forest/detail/binning_impl.hpp"
#endif
