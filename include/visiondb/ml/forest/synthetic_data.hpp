// Deterministic synthetic data sets for the forest's tests and benchmarks: a counter-based RNG
// (splitmix64 of seed, stream and index), so any row can be computed alone, in any order, and
// tools/make_forest_fixtures.py computes the same numbers with numpy.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace visiondb::ml {

/// A dense data set: row-major float32 features and an integer class or a numeric target.
struct SyntheticData {
  size_t rows = 0;
  size_t cols = 0;
  std::vector<float> x;        ///< rows * cols, row-major
  std::vector<int32_t> label;  ///< classification sets: the class of each row
  std::vector<double> target;  ///< regression sets: the value of each row
  int32_t classes = 0;
};

namespace synthetic {

/// splitmix64's finalizer.
inline uint64_t mix64(uint64_t z) noexcept {
  z += 0x9E3779B97F4A7C15ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

/// The index-th 64-bit draw of stream `stream` under `seed`.
inline uint64_t hash(uint64_t seed, uint64_t stream, uint64_t index) noexcept {
  return mix64(mix64(seed ^ (stream * 0xD1B54A32D192ED03ull)) + index);
}

/// Uniform in [0, 1) with 53 random bits.
inline double uniform(uint64_t seed, uint64_t stream, uint64_t index) noexcept {
  return static_cast<double>(hash(seed, stream, index) >> 11) * 0x1.0p-53;
}

/// Standard normal by Box-Muller from draws 2*index and 2*index+1.
inline double normal(uint64_t seed, uint64_t stream, uint64_t index) noexcept {
  double u1 = uniform(seed, stream, 2 * index);
  double u2 = uniform(seed, stream, 2 * index + 1);
  return std::sqrt(-2.0 * std::log1p(-u1)) * std::cos(6.283185307179586 * u2);
}

}  // namespace synthetic

/// Settings of make_classification_like (the shape of scikit-learn's make_classification).
struct ClassificationSpec {
  size_t rows = 1000;
  size_t features = 20;
  size_t informative = 10;
  size_t redundant = 5;
  int32_t classes = 2;
  size_t clusters_per_class = 2;
  double class_sep = 1.0;
  double flip_y = 0.01;
  uint64_t seed = 1;
};

/// Gaussian clusters at random hypercube vertices, each with its own random linear covariance;
/// `redundant` linear combinations of the informative features, the rest noise; a fraction
/// flip_y of the labels replaced by random ones. Rows are generated independently by index.
inline SyntheticData make_classification_like(const ClassificationSpec& s) {
  using namespace synthetic;
  const size_t ni = s.informative, nr = s.redundant, nf = s.features;
  const size_t nclusters = static_cast<size_t>(s.classes) * s.clusters_per_class;
  std::vector<double> centroid(nclusters * ni), a(nclusters * ni * ni), b(ni * nr);
  for (size_t k = 0; k < nclusters * ni; ++k) centroid[k] = uniform(s.seed, 1, k) < 0.5 ? -s.class_sep : s.class_sep;
  for (size_t k = 0; k < a.size(); ++k) a[k] = 2.0 * uniform(s.seed, 2, k) - 1.0;
  for (size_t k = 0; k < b.size(); ++k) b[k] = 2.0 * uniform(s.seed, 3, k) - 1.0;
  SyntheticData d;
  d.rows = s.rows;
  d.cols = nf;
  d.classes = s.classes;
  d.x.resize(s.rows * nf);
  d.label.resize(s.rows);
  std::vector<double> z(ni), xi(ni);
  for (size_t i = 0; i < s.rows; ++i) {
    size_t k = static_cast<size_t>(uniform(s.seed, 4, i) * static_cast<double>(nclusters));
    for (size_t j = 0; j < ni; ++j) z[j] = normal(s.seed, 5, i * ni + j);
    float* row = d.x.data() + i * nf;
    for (size_t c = 0; c < ni; ++c) {
      double v = centroid[k * ni + c];
      for (size_t j = 0; j < ni; ++j) v += z[j] * a[(k * ni + j) * ni + c];
      xi[c] = v;
      row[c] = static_cast<float>(v);
    }
    for (size_t r = 0; r < nr; ++r) {
      double v = 0;
      for (size_t c = 0; c < ni; ++c) v += xi[c] * b[c * nr + r];
      row[ni + r] = static_cast<float>(v);
    }
    for (size_t f = ni + nr; f < nf; ++f) row[f] = static_cast<float>(normal(s.seed, 6, i * nf + f));
    int32_t y = static_cast<int32_t>(k % static_cast<size_t>(s.classes));
    if (uniform(s.seed, 7, i) < s.flip_y) y = static_cast<int32_t>(uniform(s.seed, 8, i) * s.classes);
    d.label[i] = y;
  }
  return d;
}

/// Settings of make_embedding_like: CNN-embedding-like rows (non-negative, wide, class signal
/// spread thinly over many dimensions).
struct EmbeddingSpec {
  size_t rows = 2000;
  size_t dims = 2048;
  int32_t classes = 10;
  double signal = 1.0;     ///< scale of each class's mean offset
  double active = 0.1;     ///< fraction of dimensions a class moves
  uint64_t seed = 3;
};

/// x[f] = max(0, base[f] + signal * m[class][f] + noise), with m sparse (a fraction `active` of
/// dimensions per class) and base[f] = |N(0,1)| / 2: post-ReLU average-pooled activations.
inline SyntheticData make_embedding_like(const EmbeddingSpec& s) {
  using namespace synthetic;
  const size_t nd = s.dims;
  std::vector<double> base(nd), mean(static_cast<size_t>(s.classes) * nd);
  for (size_t f = 0; f < nd; ++f) base[f] = std::fabs(normal(s.seed, 1, f)) * 0.5;
  for (size_t k = 0; k < mean.size(); ++k)
    mean[k] = uniform(s.seed, 2, k) < s.active ? s.signal * normal(s.seed, 3, k) : 0.0;
  SyntheticData d;
  d.rows = s.rows;
  d.cols = nd;
  d.classes = s.classes;
  d.x.resize(s.rows * nd);
  d.label.resize(s.rows);
  for (size_t i = 0; i < s.rows; ++i) {
    auto y = static_cast<size_t>(uniform(s.seed, 4, i) * s.classes);
    d.label[i] = static_cast<int32_t>(y);
    float* row = d.x.data() + i * nd;
    for (size_t f = 0; f < nd; ++f) {
      double v = base[f] + mean[y * nd + f] + normal(s.seed, 5, i * nd + f);
      row[f] = static_cast<float>(v > 0 ? v : 0.0);
    }
  }
  return d;
}

/// Settings of make_covertype_like: 10 numeric columns, a one-hot area (4) and soil type (40).
struct CovertypeSpec {
  size_t rows = 10000;
  uint64_t seed = 5;
};

/// A 54-column, 7-class stand-in for UCI covertype (which cannot be downloaded here): integer
/// numeric columns driven by 4 latent factors, one-hot wilderness area and soil type whose
/// frequencies depend on the latents, and a label from noisy class scores with thresholds on
/// the latents (tree-friendly interactions) and per-soil effects. Classes are imbalanced.
inline SyntheticData make_covertype_like(const CovertypeSpec& s) {
  using namespace synthetic;
  constexpr size_t kNumeric = 10, kAreas = 4, kSoils = 40, kCols = kNumeric + kAreas + kSoils, kLatent = 4;
  constexpr int32_t kClasses = 7;
  std::vector<double> load(kLatent * kNumeric), scale(kNumeric), offset(kNumeric);
  std::vector<double> soil_effect(kSoils * kClasses), area_effect(kAreas * kClasses), w(kLatent * kClasses), cut(kLatent * kClasses);
  for (size_t k = 0; k < load.size(); ++k) load[k] = normal(s.seed, 1, k);
  for (size_t k = 0; k < kNumeric; ++k) {
    scale[k] = 10.0 + 300.0 * uniform(s.seed, 2, k);
    offset[k] = 1000.0 * uniform(s.seed, 3, k);
  }
  for (size_t k = 0; k < soil_effect.size(); ++k) soil_effect[k] = 1.5 * normal(s.seed, 4, k);
  for (size_t k = 0; k < area_effect.size(); ++k) area_effect[k] = normal(s.seed, 5, k);
  for (size_t k = 0; k < w.size(); ++k) w[k] = 2.0 * normal(s.seed, 6, k);
  for (size_t k = 0; k < cut.size(); ++k) cut[k] = normal(s.seed, 7, k);
  const double prior[kClasses] = {1.6, 1.9, 0.6, -1.2, -0.4, 0.0, 0.3};
  SyntheticData d;
  d.rows = s.rows;
  d.cols = kCols;
  d.classes = kClasses;
  d.x.assign(s.rows * kCols, 0.0f);
  d.label.resize(s.rows);
  double z[kLatent];
  for (size_t i = 0; i < s.rows; ++i) {
    float* row = d.x.data() + i * kCols;
    for (size_t l = 0; l < kLatent; ++l) z[l] = normal(s.seed, 8, i * kLatent + l);
    for (size_t f = 0; f < kNumeric; ++f) {
      double v = 0.4 * normal(s.seed, 9, i * kNumeric + f);
      for (size_t l = 0; l < kLatent; ++l) v += load[l * kNumeric + f] * z[l];
      row[f] = static_cast<float>(std::round(offset[f] + scale[f] * v));
    }
    auto area = static_cast<size_t>(uniform(s.seed, 10, i) * 0.5 * kAreas + (z[1] > 0 ? 0.5 * kAreas : 0.0));
    double soil_u = 0.5 * uniform(s.seed, 11, i) + 0.5 / (1.0 + std::exp(-1.5 * z[0]));
    auto soil = static_cast<size_t>(soil_u * kSoils);
    if (soil >= kSoils) soil = kSoils - 1;
    row[kNumeric + area] = 1.0f;
    row[kNumeric + kAreas + soil] = 1.0f;
    int32_t best = 0;
    double best_score = -1e300;
    for (int32_t c = 0; c < kClasses; ++c) {
      double score = prior[c] + soil_effect[soil * kClasses + c] + area_effect[area * kClasses + c];
      for (size_t l = 0; l < kLatent; ++l) {
        score += (z[l] > cut[l * kClasses + c] ? 1.0 : -1.0) * w[l * kClasses + c] * 0.5;
        score += 0.3 * w[l * kClasses + c] * z[l];
      }
      double u = uniform(s.seed, 12, i * kClasses + c);
      score += 0.4 * -std::log(-std::log(u + 1e-300) + 1e-300);  // Gumbel noise: a softmax draw
      if (score > best_score) {
        best_score = score;
        best = c;
      }
    }
    d.label[i] = best;
  }
  return d;
}

/// Friedman #1 regression: y = 10 sin(pi x0 x1) + 20 (x2 - 0.5)^2 + 10 x3 + 5 x4 + noise * N(0,1),
/// x uniform in [0,1)^features (features >= 5; the rest are noise).
inline SyntheticData make_friedman1_like(size_t rows, size_t features, double noise, uint64_t seed) {
  using namespace synthetic;
  SyntheticData d;
  d.rows = rows;
  d.cols = features;
  d.x.resize(rows * features);
  d.target.resize(rows);
  for (size_t i = 0; i < rows; ++i) {
    float* row = d.x.data() + i * features;
    for (size_t f = 0; f < features; ++f) row[f] = static_cast<float>(uniform(seed, 1, i * features + f));
    double x0 = row[0], x1 = row[1], x2 = row[2], x3 = row[3], x4 = row[4];
    d.target[i] = 10.0 * std::sin(3.141592653589793 * x0 * x1) + 20.0 * (x2 - 0.5) * (x2 - 0.5) + 10.0 * x3 + 5.0 * x4 +
                  noise * normal(seed, 2, i);
  }
  return d;
}

}  // namespace visiondb::ml
