// FeatureBinner: quantile / exact bins for numeric features, target-ordered bins for categories.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <numeric>
#include <string>

#include "visiondb/common/error.hpp"
#include "visiondb/common/parallel.hpp"
#include "visiondb/ml/forest/binning.hpp"

namespace visiondb::ml {

namespace detail {

// Sorts float32 values (held as doubles, no NaN): a radix sort of their order-preserving 32-bit
// images, 11 bits a pass, for the thousands of values of a column (std::sort below that).
inline void sort_float_values(std::vector<double>& values) {
  const size_t n = values.size();
  if (n < 512) {
    std::sort(values.begin(), values.end());
    return;
  }
  std::vector<uint32_t> a(n), b(n);
  for (size_t i = 0; i < n; ++i) {
    const auto v = static_cast<float>(values[i]);
    uint32_t u;
    std::memcpy(&u, &v, sizeof u);
    a[i] = (u & 0x80000000u) ? ~u : (u | 0x80000000u);
  }
  constexpr uint32_t kBits = 11, kBuckets = 1u << kBits;
  std::vector<uint32_t> count(kBuckets);
  for (uint32_t shift = 0; shift < 32; shift += kBits) {
    std::fill(count.begin(), count.end(), 0u);
    for (uint32_t u : a) ++count[(u >> shift) & (kBuckets - 1)];
    if (count[(a[0] >> shift) & (kBuckets - 1)] == n) continue;  // every value has these bits
    uint32_t sum = 0;
    for (uint32_t& c : count) {
      const uint32_t here = c;
      c = sum;
      sum += here;
    }
    for (uint32_t u : a) b[count[(u >> shift) & (kBuckets - 1)]++] = u;
    a.swap(b);
  }
  for (size_t i = 0; i < n; ++i) {
    const uint32_t u = (a[i] & 0x80000000u) ? (a[i] & 0x7FFFFFFFu) : ~a[i];
    float v;
    std::memcpy(&v, &u, sizeof v);
    values[i] = static_cast<double>(v);
  }
}

// Edges between the values (sorted in place): one bin per distinct value when they fit, else quantiles.
inline std::vector<double> numeric_edges(std::vector<double>& values, int32_t max_bins, bool& exact) {
  std::vector<double> edges;
  exact = true;
  if (values.empty()) return edges;
  sort_float_values(values);
  std::vector<double> distinct;
  std::vector<size_t> count;
  for (double v : values) {
    if (distinct.empty() || v != distinct.back()) {
      distinct.push_back(v);
      count.push_back(1);
    } else {
      ++count.back();
    }
  }
  // Values are float32; the edge is their float32 midpoint, kept in [lo, hi).
  auto midpoint = [](double lo, double hi) {
    auto m = static_cast<double>(static_cast<float>(lo + (hi - lo) / 2));
    return (m >= hi || m < lo) ? lo : m;
  };
  const size_t d = distinct.size();
  if (d <= static_cast<size_t>(max_bins)) {
    for (size_t j = 0; j + 1 < d; ++j) edges.push_back(midpoint(distinct[j], distinct[j + 1]));
    return edges;
  }
  exact = false;
  const double total = static_cast<double>(values.size());
  double cum = 0;
  for (size_t j = 0; j + 1 < d && edges.size() + 1 < static_cast<size_t>(max_bins); ++j) {
    cum += static_cast<double>(count[j]);
    if (cum >= static_cast<double>(edges.size() + 1) * total / max_bins) edges.push_back(midpoint(distinct[j], distinct[j + 1]));
  }
  return edges;
}

// A score per category that orders them for binary partitions: the mean target (regression),
// the share of the second class (two classes), or the first principal component of the class
// shares (more classes), as ranger's "order" mode does.
inline std::vector<double> category_scores(const FeatureColumn& col, const Labels* labels, size_t categories) {
  std::vector<double> score(categories, 0.0), count(categories, 0.0);
  const auto& codes = *col.codes;
  if (!labels) {
    for (uint32_t c : codes)
      if (c != FeatureColumn::kNullCode) count[c] += 1;
    for (size_t c = 0; c < categories; ++c) score[c] = -count[c];
    return score;
  }
  if (!labels->is_classification()) {
    const auto& y = labels->values();
    for (size_t i = 0; i < codes.size(); ++i)
      if (codes[i] != FeatureColumn::kNullCode) {
        count[codes[i]] += 1;
        score[codes[i]] += y[i];
      }
    for (size_t c = 0; c < categories; ++c) score[c] = count[c] > 0 ? score[c] / count[c] : 0.0;
    return score;
  }
  const size_t k = labels->class_names().size();
  const auto& y = labels->class_index();
  std::vector<double> share(categories * k, 0.0);
  for (size_t i = 0; i < codes.size(); ++i)
    if (codes[i] != FeatureColumn::kNullCode) {
      count[codes[i]] += 1;
      share[codes[i] * k + static_cast<size_t>(y[i])] += 1;
    }
  for (size_t c = 0; c < categories; ++c)
    for (size_t j = 0; j < k; ++j) share[c * k + j] = count[c] > 0 ? share[c * k + j] / count[c] : 0.0;
  if (k == 2) {
    for (size_t c = 0; c < categories; ++c) score[c] = share[c * k + 1];
    return score;
  }
  // Weighted covariance of the share vectors, then its leading eigenvector by power iteration.
  std::vector<double> mean(k, 0.0), cov(k * k, 0.0), v(k, 1.0 / std::sqrt(static_cast<double>(k))), next(k);
  double total = 0;
  for (size_t c = 0; c < categories; ++c) {
    total += count[c];
    for (size_t j = 0; j < k; ++j) mean[j] += count[c] * share[c * k + j];
  }
  for (size_t j = 0; j < k; ++j) mean[j] /= std::max(total, 1.0);
  for (size_t c = 0; c < categories; ++c)
    for (size_t a = 0; a < k; ++a)
      for (size_t b = 0; b < k; ++b)
        cov[a * k + b] += count[c] * (share[c * k + a] - mean[a]) * (share[c * k + b] - mean[b]);
  for (size_t j = 0; j < k; ++j) v[j] += 1e-3 * static_cast<double>(j);  // avoid starting orthogonal
  for (int it = 0; it < 100; ++it) {
    double norm = 0;
    for (size_t a = 0; a < k; ++a) {
      next[a] = 0;
      for (size_t b = 0; b < k; ++b) next[a] += cov[a * k + b] * v[b];
      norm += next[a] * next[a];
    }
    norm = std::sqrt(norm);
    if (norm == 0) break;
    for (size_t a = 0; a < k; ++a) v[a] = next[a] / norm;
  }
  for (size_t c = 0; c < categories; ++c)
    for (size_t j = 0; j < k; ++j) score[c] += (share[c * k + j] - mean[j]) * v[j];
  return score;
}

inline FeatureBins fit_categorical(const FeatureColumn& col, const Labels* labels, int32_t max_bins) {
  FeatureBins fb;
  fb.name = col.name;
  fb.kind = FeatureKind::Categorical;
  const auto& dict = *col.dictionary;
  const size_t n_cat = dict.size();
  std::vector<size_t> freq(n_cat, 0);
  for (uint32_t c : *col.codes)
    if (c != FeatureColumn::kNullCode) ++freq[c];
  std::vector<double> score = category_scores(col, labels, n_cat);
  // Keep the max_bins - 1 most frequent categories apart when there are too many; the rest share a bin.
  std::vector<size_t> by_freq(n_cat);
  std::iota(by_freq.begin(), by_freq.end(), size_t{0});
  std::stable_sort(by_freq.begin(), by_freq.end(), [&](size_t a, size_t b) { return freq[a] > freq[b]; });
  std::vector<size_t> kept(by_freq.begin(), by_freq.begin() + static_cast<ptrdiff_t>(std::min(n_cat, static_cast<size_t>(max_bins))));
  std::vector<size_t> rest;
  if (n_cat > static_cast<size_t>(max_bins)) {
    kept.pop_back();
    rest.assign(by_freq.begin() + static_cast<ptrdiff_t>(kept.size()), by_freq.end());
  }
  std::stable_sort(kept.begin(), kept.end(), [&](size_t a, size_t b) {
    return score[a] != score[b] ? score[a] < score[b] : dict[a] < dict[b];
  });
  for (size_t c : kept) {
    fb.bin_categories.push_back({dict[c]});
    fb.category_bin.emplace(dict[c], static_cast<uint8_t>(fb.bin_categories.size()));
  }
  if (!rest.empty()) {
    std::vector<std::string> names;
    for (size_t c : rest) names.push_back(dict[c]);
    std::sort(names.begin(), names.end());
    fb.bin_categories.push_back(names);
    for (auto& nm : names) fb.category_bin.emplace(nm, static_cast<uint8_t>(fb.bin_categories.size()));
  }
  return fb;
}

}  // namespace detail

VISIONDB_INLINE FeatureBinner FeatureBinner::fit(const FeatureTable& table, const Labels* labels, int32_t max_bins,
                                                 size_t sample_rows) {
  FeatureBinner binner;
  binner.features_.resize(table.features());
  const size_t n = table.rows();
  const size_t step = (sample_rows > 0 && n > sample_rows) ? (n + sample_rows - 1) / sample_rows : 1;
  visiondb::parallel_for_each_index(0, table.features(), [&](size_t f) {
    const FeatureColumn& col = table.column(f);
    if (col.kind == FeatureKind::Categorical) {
      binner.features_[f] = detail::fit_categorical(col, labels, max_bins);
      return;
    }
    std::vector<double> values;
    values.reserve(n / step + 1);
    for (size_t i = 0; i < n; i += step) {
      auto v = static_cast<float>(col.numeric(i));
      if (!std::isnan(v)) values.push_back(v);
    }
    FeatureBins fb;
    fb.name = col.name;
    fb.edges = detail::numeric_edges(values, max_bins, fb.exact);
    if (step > 1 && fb.exact) {
      // A sample gave each of its values a bin: the bins stay exact if every row's value is one
      // of them (one-hot and other few-valued columns of big tables), which the trainer then
      // splits on bins instead of sorting float values.
      std::vector<double> distinct(values.begin(), std::unique(values.begin(), values.end()));  // values are sorted
      const auto& e = fb.edges;
      for (size_t i = 0; i < n && fb.exact; ++i) {
        const auto v = static_cast<double>(static_cast<float>(col.numeric(i)));
        if (std::isnan(v)) continue;
        fb.exact = v == distinct[static_cast<size_t>(std::lower_bound(e.begin(), e.end(), v) - e.begin())];
      }
    } else if (step > 1) {
      fb.exact = false;  // values outside the sample may share a bin
    }
    binner.features_[f] = std::move(fb);
  });
  return binner;
}

VISIONDB_INLINE uint8_t FeatureBinner::bin_of(size_t feature, double value) const noexcept {
  auto v = static_cast<double>(static_cast<float>(value));
  if (std::isnan(v)) return 0;
  const auto& e = features_[feature].edges;
  return static_cast<uint8_t>(1 + (std::lower_bound(e.begin(), e.end(), v) - e.begin()));
}

VISIONDB_INLINE float FeatureBinner::split_value(size_t feature, uint32_t t) const noexcept {
  const FeatureBins& fb = features_[feature];
  if (fb.kind == FeatureKind::Categorical) return static_cast<float>(t) + 0.5f;
  if (t >= 1 && t <= fb.edges.size()) return static_cast<float>(fb.edges[t - 1]);
  return std::numeric_limits<float>::infinity();
}

VISIONDB_INLINE std::vector<const FeatureColumn*> FeatureBinner::match(const FeatureTable& table) const {
  std::vector<const FeatureColumn*> cols(features_.size());
  for (size_t f = 0; f < features_.size(); ++f) {
    int64_t idx = table.find(features_[f].name);
    if (idx < 0) visiondb::detail::throw_invalid_argument("feature column \"" + features_[f].name + "\" is missing");
    cols[f] = &table.column(static_cast<size_t>(idx));
    if (cols[f]->kind != features_[f].kind)
      visiondb::detail::throw_invalid_argument(
          "feature column \"" + features_[f].name + "\" is " +
          (cols[f]->kind == FeatureKind::Numeric ? "numeric" : "a STRING") + " but the model was trained on " +
          (features_[f].kind == FeatureKind::Numeric ? "a numeric column" : "a STRING column"));
  }
  return cols;
}

VISIONDB_INLINE RowEncoder::RowEncoder(const FeatureBinner& binner, const FeatureTable& table)
    : cols_(binner.match(table)), category_value_(cols_.size()) {
  for (size_t f = 0; f < cols_.size(); ++f) {
    if (cols_[f]->kind != FeatureKind::Categorical) continue;
    const auto& dict = *cols_[f]->dictionary;
    const auto& bins = binner.feature(f).category_bin;
    category_value_[f].assign(dict.size(), std::numeric_limits<float>::quiet_NaN());
    for (size_t c = 0; c < dict.size(); ++c) {
      auto it = bins.find(dict[c]);
      if (it != bins.end()) category_value_[f][c] = static_cast<float>(it->second);
    }
  }
}

VISIONDB_INLINE void RowEncoder::encode(size_t r0, size_t r1, float* out) const {
  const size_t p = cols_.size();
  // Row by row: row-major sources (arrays, dense matrices) are then read in order.
  for (size_t i = r0; i < r1; ++i) {
    float* o = out + (i - r0) * p;
    for (size_t f = 0; f < p; ++f) {
      const FeatureColumn& c = *cols_[f];
      if (c.f32 && !c.valid) {
        o[f] = c.f32[i * c.stride];
      } else if (c.kind == FeatureKind::Categorical) {
        const uint32_t code = (*c.codes)[i];
        o[f] = code == FeatureColumn::kNullCode ? std::numeric_limits<float>::quiet_NaN() : category_value_[f][code];
      } else {
        o[f] = static_cast<float>(c.numeric(i));
      }
    }
  }
}

VISIONDB_INLINE BinnedMatrix FeatureBinner::transform(const FeatureTable& table) const {
  const size_t p = features_.size(), n = table.rows();
  std::vector<const FeatureColumn*> cols = match(table);
  BinnedMatrix m;
  m.rows = n;
  m.cols = p;
  m.bins.resize(n * p);
  visiondb::parallel_for_each_index(0, p, [&](size_t f) {
    const FeatureColumn& col = *cols[f];
    uint8_t* out = m.bins.data() + f * n;
    if (col.kind == FeatureKind::Categorical) {
      const auto& dict = *col.dictionary;
      std::vector<uint8_t> code_bin(dict.size(), 0);
      for (size_t c = 0; c < dict.size(); ++c) {
        auto it = features_[f].category_bin.find(dict[c]);
        if (it != features_[f].category_bin.end()) code_bin[c] = it->second;
      }
      const auto& codes = *col.codes;
      for (size_t i = 0; i < n; ++i) out[i] = codes[i] == FeatureColumn::kNullCode ? 0 : code_bin[codes[i]];
      return;
    }
    const double* e = features_[f].edges.data();
    const size_t ne = features_[f].edges.size();
    for (size_t i = 0; i < n; ++i) {
      auto v = static_cast<double>(static_cast<float>(col.numeric(i)));
      if (std::isnan(v)) {
        out[i] = 0;
        continue;
      }
      // Branch-free lower bound over the edges: the number of edges < v.
      size_t below = 0;
      if (ne > 0) {
        const double* base = e;
        size_t len = ne;
        while (len > 1) {
          size_t half = len / 2;
          base = base[half] < v ? base + half : base;
          len -= half;
        }
        below = static_cast<size_t>(base - e) + (*base < v ? 1 : 0);
      }
      out[i] = static_cast<uint8_t>(1 + below);
    }
  });
  return m;
}

}  // namespace visiondb::ml
