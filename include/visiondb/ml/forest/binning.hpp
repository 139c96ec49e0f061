// Feature binning: each feature's values are mapped to at most 255 ordered bins (bin 0 is NULL)
// so that split finding works on byte histograms. Numeric values are compared as float32 (as
// scikit-learn does). Features with few distinct values get one bin per value (exact
// thresholds, midway between neighbours); others get quantile bins. STRING categories are
// ordered by their mean target (see docs/ml.md) and binned. RowEncoder turns rows into the
// float32 values that trees compare (a category becomes its bin number).
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
  /// Numeric: ascending upper edges, each a float32 value; x goes to bin 1 + #(edges < float(x)),
  /// so "bin <= t" is "float(x) <= edges[t - 1]". There are edges.size() + 1 non-NULL bins.
  std::vector<double> edges;
  /// Whether every distinct training value has its own bin (thresholds are then exact).
  bool exact = true;
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

/// Rows x features bin codes, column-major (training walks one feature over a node's rows).
struct BinnedMatrix {
  size_t rows = 0;
  size_t cols = 0;
  AlignedBuffer<uint8_t> bins;
  const uint8_t* column(size_t f) const noexcept { return bins.data() + f * rows; }
  uint8_t at(size_t i, size_t f) const noexcept { return bins[f * rows + i]; }
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

  /// Maps one numeric value to its bin.
  uint8_t bin_of(size_t feature, double value) const noexcept;

  /// The table's column for each feature (matched by name, kinds checked), as transform does.
  std::vector<const FeatureColumn*> match(const FeatureTable& table) const;

  /// The float32 value trees compare for `bin` of a categorical feature, or for a split at bin t:
  /// rows go left when value <= split_value(f, t).
  float split_value(size_t feature, uint32_t t) const noexcept;

  size_t features() const noexcept { return features_.size(); }
  const FeatureBins& feature(size_t f) const noexcept { return features_[f]; }
  std::vector<FeatureBins>& mutable_features() noexcept { return features_; }

 private:
  std::vector<FeatureBins> features_;
};

/// Converts rows of a table to the float32 values that trees compare: numeric values rounded to
/// float32 (NaN for NULL), categories to their bin number (NaN for NULL or unseen).
class RowEncoder {
 public:
  RowEncoder(const FeatureBinner& binner, const FeatureTable& table);
  /// Writes rows [r0, r1) row-major, binner.features() values per row.
  void encode(size_t r0, size_t r1, float* out) const;

 private:
  std::vector<const FeatureColumn*> cols_;
  std::vector<std::vector<float>> category_value_;  // per categorical feature: table code -> value
};

}  // namespace visiondb::ml

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/ml/forest/detail/binning_impl.hpp"
#endif
