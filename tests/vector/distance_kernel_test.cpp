// The distance kernels against plain loops in long double, on odd shapes (dimensions around the
// SIMD width and the 512-element slice, query and base counts around the 6 x 3 tile).
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "visiondb/functions/ml/vector_distance.hpp"

namespace {

using visiondb::fn::DistanceType;

long double reference(DistanceType t, const double* a, const double* b, size_t n) {
  long double s = 0, na = 0, nb = 0;
  for (size_t k = 0; k < n; ++k) {
    long double x = a[k], y = b[k];
    switch (t) {
      case DistanceType::Euclidean: s += (x - y) * (x - y); break;
      case DistanceType::Manhattan: s += std::fabs(x - y); break;
      default:
        s += x * y;
        na += x * x;
        nb += y * y;
    }
  }
  switch (t) {
    case DistanceType::Euclidean: return std::sqrt(s);
    case DistanceType::Manhattan: return s;
    case DistanceType::Cosine: return 1 - s / std::sqrt(na * nb);
    case DistanceType::DotProduct: return -s;
  }
  return 0;
}

std::vector<double> random_vectors(size_t count, size_t dim, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  std::vector<double> v(count * dim);
  for (double& x : v) x = u(rng);
  return v;
}

constexpr DistanceType kTypes[] = {DistanceType::Euclidean, DistanceType::Manhattan, DistanceType::Cosine,
                                   DistanceType::DotProduct};

TEST(DistanceKernel, PairMatchesReference) {
  for (size_t dim : {1, 3, 7, 8, 13, 511, 512, 513, 1000, 2048}) {
    auto a = random_vectors(1, dim, 1 + static_cast<uint32_t>(dim));
    auto b = random_vectors(1, dim, 1000 + static_cast<uint32_t>(dim));
    for (DistanceType t : kTypes) {
      double got = visiondb::fn::vector_distance(t, a.data(), b.data(), dim);
      long double want = reference(t, a.data(), b.data(), dim);
      EXPECT_NEAR(got, static_cast<double>(want), 1e-12 * (1 + std::fabs(static_cast<double>(want))))
          << "dim " << dim << " type " << visiondb::fn::distance_type_name(t);
    }
  }
}

TEST(DistanceKernel, BlockMatchesReferenceAndPairBitForBit) {
  for (size_t dim : {1, 7, 13, 512, 513, 1031}) {
    for (size_t nq : {1, 2, 3, 4, 7}) {
      for (size_t nb : {1, 5, 6, 7, 13}) {
        auto q = random_vectors(nq, dim, static_cast<uint32_t>(dim * 100 + nq));
        auto b = random_vectors(nb, dim, static_cast<uint32_t>(dim * 1000 + nb));
        std::vector<const double*> base(nb);
        std::vector<double> qn(nq), bn(nb);
        for (size_t i = 0; i < nb; ++i) {
          base[i] = b.data() + i * dim;
          bn[i] = visiondb::fn::squared_norm(base[i], dim);
        }
        for (size_t j = 0; j < nq; ++j) qn[j] = visiondb::fn::squared_norm(q.data() + j * dim, dim);
        for (DistanceType t : kTypes) {
          std::vector<double> out(nb * nq);
          visiondb::fn::distance_block(t, q.data(), qn.data(), nq, base.data(), bn.data(), nb, dim, out.data());
          for (size_t i = 0; i < nb; ++i)
            for (size_t j = 0; j < nq; ++j) {
              const double* qv = q.data() + j * dim;
              long double want = reference(t, base[i], qv, dim);
              ASSERT_NEAR(out[i * nq + j], static_cast<double>(want), 1e-12 * (1 + std::fabs(static_cast<double>(want))))
                  << "dim " << dim << " nq " << nq << " nb " << nb << " i " << i << " j " << j;
              // The block and the pair kernel sum in the same order: ML.DISTANCE == VECTOR_SEARCH.
              ASSERT_EQ(out[i * nq + j], visiondb::fn::vector_distance(t, base[i], qv, dim));
            }
        }
      }
    }
  }
}

TEST(DistanceKernel, CosineOfAVectorWithItselfIsExactlyZero) {
  auto a = random_vectors(1, 2048, 7);
  EXPECT_EQ(visiondb::fn::vector_distance(DistanceType::Cosine, a.data(), a.data(), a.size()), 0.0);
  std::vector<double> zero(5, 0.0), one(5, 1.0);
  EXPECT_TRUE(std::isnan(visiondb::fn::vector_distance(DistanceType::Cosine, zero.data(), one.data(), 5)));
}

TEST(DistanceKernel, ParsesTypeNames) {
  DistanceType t{};
  EXPECT_TRUE(visiondb::fn::parse_distance_type("cosine", t));
  EXPECT_EQ(t, DistanceType::Cosine);
  EXPECT_TRUE(visiondb::fn::parse_distance_type("Dot_Product", t));
  EXPECT_EQ(t, DistanceType::DotProduct);
  EXPECT_FALSE(visiondb::fn::parse_distance_type("L2", t));
}

}  // namespace
