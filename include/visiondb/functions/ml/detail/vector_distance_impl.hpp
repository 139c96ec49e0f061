// Out-of-line parts of vector_distance.hpp. Every distance, of one pair or of a block, sums the
// same way: slices of kDimBlock elements, one SIMD accumulator per pair and slice, its lanes added,
// then the slice's scalar tail; so ML.DISTANCE and VECTOR_SEARCH give bit-identical distances, and
// COSINE's dot product of a vector with itself equals its squared norm (distance exactly 0).
#pragma once

#include <algorithm>
#include <cmath>

#include "visiondb/common/simd.hpp"
#include "visiondb/config.hpp"
#include "visiondb/functions/ml/vector_distance.hpp"
#include "visiondb/storage/detail/text.hpp"

namespace visiondb::fn {

namespace detail {

using DistArch = simd::default_arch;
using DistBatch = simd::batch<double, DistArch>;
inline constexpr size_t kDistLanes = DistBatch::size;
// 512 doubles: 6 base rows x 4 KB stay in L1 while the queries' slices stream from L2.
inline constexpr size_t kDimBlock = 512;

struct DotStep {
  static DistBatch step(DistBatch acc, DistBatch x, DistBatch y) noexcept { return xsimd::fma(x, y, acc); }
  static double step(double acc, double x, double y) noexcept { return std::fma(x, y, acc); }
};
struct SquaredDiffStep {
  static DistBatch step(DistBatch acc, DistBatch x, DistBatch y) noexcept {
    DistBatch d = x - y;
    return xsimd::fma(d, d, acc);
  }
  static double step(double acc, double x, double y) noexcept {
    double d = x - y;
    return std::fma(d, d, acc);
  }
};
struct AbsDiffStep {
  static DistBatch step(DistBatch acc, DistBatch x, DistBatch y) noexcept { return acc + xsimd::abs(x - y); }
  static double step(double acc, double x, double y) noexcept { return acc + std::fabs(x - y); }
};

// The lanes of v added in lane order (xsimd's hadd draws a false -Wmaybe-uninitialized from GCC 12).
inline double lane_sum(const DistBatch& v) noexcept {
  alignas(64) double lanes[kDistLanes];
  v.store_aligned(lanes);
  double s = 0;
  for (size_t l = 0; l < kDistLanes; ++l) s += lanes[l];
  return s;
}

// acc[i * NQ + j] += the reduction of b[i][first..last) with q[j][first..last).
template <class Step, size_t NB, size_t NQ>
inline void tile(const double* const* b, const double* const* q, size_t first, size_t last, double* acc) noexcept {
  DistBatch a[NB][NQ];
  for (size_t i = 0; i < NB; ++i)
    for (size_t j = 0; j < NQ; ++j) a[i][j] = DistBatch(0.0);
  size_t k = first;
  for (; k + kDistLanes <= last; k += kDistLanes) {
    DistBatch bv[NB];
    for (size_t i = 0; i < NB; ++i) bv[i] = DistBatch::load_unaligned(b[i] + k);
    for (size_t j = 0; j < NQ; ++j) {
      DistBatch qv = DistBatch::load_unaligned(q[j] + k);
      for (size_t i = 0; i < NB; ++i) a[i][j] = Step::step(a[i][j], bv[i], qv);
    }
  }
  for (size_t i = 0; i < NB; ++i)
    for (size_t j = 0; j < NQ; ++j) {
      double s = lane_sum(a[i][j]);
      for (size_t t = k; t < last; ++t) s = Step::step(s, b[i][t], q[j][t]);
      acc[i * NQ + j] += s;
    }
}

template <class Step>
inline double pair_sum(const double* a, const double* b, size_t n) noexcept {
  double acc = 0;
  for (size_t d0 = 0; d0 < n; d0 += kDimBlock) tile<Step, 1, 1>(&a, &b, d0, std::min(n, d0 + kDimBlock), &acc);
  return acc;
}

// COSINE's three sums of one pair in one pass over the data, each summed exactly as pair_sum and
// block_sums sum it (so the results stay bit-identical to theirs).
inline void cosine_sums(const double* a, const double* b, size_t n, double& dot, double& na, double& nb) noexcept {
  dot = na = nb = 0;
  for (size_t d0 = 0; d0 < n; d0 += kDimBlock) {
    const size_t d1 = std::min(n, d0 + kDimBlock);
    DistBatch ab(0.0), aa(0.0), bb(0.0);
    size_t k = d0;
    for (; k + kDistLanes <= d1; k += kDistLanes) {
      DistBatch x = DistBatch::load_unaligned(a + k), y = DistBatch::load_unaligned(b + k);
      ab = xsimd::fma(x, y, ab);
      aa = xsimd::fma(x, x, aa);
      bb = xsimd::fma(y, y, bb);
    }
    double s_ab = lane_sum(ab), s_aa = lane_sum(aa), s_bb = lane_sum(bb);
    for (size_t t = k; t < d1; ++t) {
      s_ab = std::fma(a[t], b[t], s_ab);
      s_aa = std::fma(a[t], a[t], s_aa);
      s_bb = std::fma(b[t], b[t], s_bb);
    }
    dot += s_ab;
    na += s_aa;
    nb += s_bb;
  }
}

inline double finish_distance(DistanceType type, double sum, double norm2_a, double norm2_b) noexcept {
  switch (type) {
    case DistanceType::Euclidean: return std::sqrt(sum);
    case DistanceType::Manhattan: return sum;
    case DistanceType::Cosine: {
      if (!(norm2_a > 0) || !(norm2_b > 0)) return std::nan("");
      return 1.0 - sum / std::sqrt(norm2_a * norm2_b);
    }
    case DistanceType::DotProduct: return -sum;
  }
  return sum;
}

// out[i * nq + j] += reductions of base rows [i0, i0 + NB) with every query: register tiles of
// NB x kQueryTile pairs, then the queries left over one at a time.
inline constexpr size_t kBaseTile = 6, kQueryTile = 3;  // measured best of 4x4 .. 12x2 on Zen 4

template <class Step, size_t NB>
inline void row_group_sums(const double* queries, size_t nq, const double* const* b, size_t i0, size_t dim,
                           double* out) noexcept {
  for (size_t d0 = 0; d0 < dim; d0 += kDimBlock) {
    const size_t d1 = std::min(dim, d0 + kDimBlock);
    size_t j0 = 0;
    for (; j0 + kQueryTile <= nq; j0 += kQueryTile) {
      const double* q[kQueryTile];
      for (size_t j = 0; j < kQueryTile; ++j) q[j] = queries + (j0 + j) * dim;
      double acc[NB * kQueryTile] = {};
      tile<Step, NB, kQueryTile>(b, q, d0, d1, acc);
      for (size_t i = 0; i < NB; ++i)
        for (size_t j = 0; j < kQueryTile; ++j) out[(i0 + i) * nq + j0 + j] += acc[i * kQueryTile + j];
    }
    for (; j0 < nq; ++j0) {
      const double* q = queries + j0 * dim;
      double acc[NB] = {};
      tile<Step, NB, 1>(b, &q, d0, d1, acc);
      for (size_t i = 0; i < NB; ++i) out[(i0 + i) * nq + j0] += acc[i];
    }
  }
}

template <class Step>
inline void block_sums(const double* queries, size_t nq, const double* const* base, size_t nb, size_t dim,
                       double* out) noexcept {
  size_t i0 = 0;
  for (; i0 + kBaseTile <= nb; i0 += kBaseTile) row_group_sums<Step, kBaseTile>(queries, nq, base + i0, i0, dim, out);
  for (; i0 < nb; ++i0) row_group_sums<Step, 1>(queries, nq, base + i0, i0, dim, out);
}

}  // namespace detail

VISIONDB_INLINE bool parse_distance_type(std::string_view text, DistanceType& out) {
  std::string upper = visiondb::detail::to_upper(text);
  if (upper == "EUCLIDEAN") out = DistanceType::Euclidean;
  else if (upper == "MANHATTAN") out = DistanceType::Manhattan;
  else if (upper == "COSINE") out = DistanceType::Cosine;
  else if (upper == "DOT_PRODUCT") out = DistanceType::DotProduct;
  else return false;
  return true;
}

VISIONDB_INLINE std::string_view distance_type_name(DistanceType type) noexcept {
  switch (type) {
    case DistanceType::Euclidean: return "EUCLIDEAN";
    case DistanceType::Manhattan: return "MANHATTAN";
    case DistanceType::Cosine: return "COSINE";
    case DistanceType::DotProduct: return "DOT_PRODUCT";
  }
  return "";
}

VISIONDB_INLINE double squared_norm(const double* a, size_t n) noexcept { return detail::pair_sum<detail::DotStep>(a, a, n); }

VISIONDB_INLINE double vector_distance(DistanceType type, const double* a, const double* b, size_t n) noexcept {
  switch (type) {
    case DistanceType::Euclidean:
      return detail::finish_distance(type, detail::pair_sum<detail::SquaredDiffStep>(a, b, n), 0, 0);
    case DistanceType::Manhattan: return detail::finish_distance(type, detail::pair_sum<detail::AbsDiffStep>(a, b, n), 0, 0);
    case DistanceType::Cosine:
    case DistanceType::DotProduct: break;
  }
  if (type == DistanceType::DotProduct) return -detail::pair_sum<detail::DotStep>(a, b, n);
  double dot, na, nb;
  detail::cosine_sums(a, b, n, dot, na, nb);
  return detail::finish_distance(type, dot, na, nb);
}

VISIONDB_INLINE void distance_block(DistanceType type, const double* queries, const double* query_norms2, size_t nq,
                                    const double* const* base, const double* base_norms2, size_t nb, size_t dim,
                                    double* out) noexcept {
  std::fill(out, out + nb * nq, 0.0);
  switch (type) {
    case DistanceType::Euclidean: detail::block_sums<detail::SquaredDiffStep>(queries, nq, base, nb, dim, out); break;
    case DistanceType::Manhattan: detail::block_sums<detail::AbsDiffStep>(queries, nq, base, nb, dim, out); break;
    case DistanceType::Cosine:
    case DistanceType::DotProduct: detail::block_sums<detail::DotStep>(queries, nq, base, nb, dim, out); break;
  }
  for (size_t i = 0; i < nb; ++i)
    for (size_t j = 0; j < nq; ++j) {
      double& d = out[i * nq + j];
      d = detail::finish_distance(type, d, type == DistanceType::Cosine ? query_norms2[j] : 0,
                                  type == DistanceType::Cosine ? base_norms2[i] : 0);
    }
}

}  // namespace visiondb::fn
