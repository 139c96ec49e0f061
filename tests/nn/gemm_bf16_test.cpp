#include "visiondb/nn/kernels/gemm_bf16.hpp"

#include <gtest/gtest.h>

#include "nn_test_util.hpp"
#include <cstring>

#include "visiondb/common/parallel.hpp"

namespace visiondb::nn {
namespace {

float bf16_value(float f) {
  const uint32_t bits = static_cast<uint32_t>(to_bf16(f)) << 16;
  float out;
  std::memcpy(&out, &bits, sizeof(out));
  return out;
}

TEST(GemmBf16, RoundsToNearestEven) {
  EXPECT_EQ(to_bf16(1.0f), 0x3F80);
  EXPECT_EQ(bf16_value(1.0f + 1.0f / 256), 1.0f);               // tie, to even
  EXPECT_EQ(bf16_value(1.0f + 3.0f / 256), 1.0f + 4.0f / 256);  // tie, to even (up)
  EXPECT_EQ(bf16_value(-2.5f), -2.5f);
}

// Against a double product of the bf16-rounded operands: only the summation order differs.
TEST(GemmBf16, MatchesRoundedReference) {
  if (!bf16_gemm_available()) GTEST_SKIP() << "no AVX512-BF16 in this build";
  struct Case {
    std::size_t rows;
    int k, n;
  };
  for (const Case tc : {Case{1, 3, 13}, Case{17, 27, 45}, Case{49, 301, 70}, Case{300, 576, 64}, Case{7, 2048, 33}}) {
    const std::size_t lda = static_cast<std::size_t>(tc.k) + 3, ldc = static_cast<std::size_t>(tc.n) + 1;
    const auto a = test::random_vector(tc.rows * lda, 31);
    const auto w = test::random_vector(static_cast<std::size_t>(tc.k) * tc.n, 32);
    const auto bias = test::random_vector(tc.n, 33);
    const auto residual = test::random_vector(tc.rows * ldc, 34);
    PackedWeightsBf16 packed{PackedWeights(tc.k, tc.n, w, bias.data())};
    std::vector<float> expected(tc.rows * tc.n), got(tc.rows * tc.n);
    for (std::size_t r = 0; r < tc.rows; ++r)
      for (int j = 0; j < tc.n; ++j) {
        double acc = 0;
        for (int kk = 0; kk < tc.k; ++kk)
          acc += static_cast<double>(bf16_value(a[r * lda + kk])) * bf16_value(w[static_cast<std::size_t>(kk) * tc.n + j]);
        acc += bias[j] + residual[r * ldc + j];
        expected[r * tc.n + j] = static_cast<float>(acc > 0 ? acc : 0);
      }
    std::vector<float> c(tc.rows * ldc, -5.0f);
    GemmA ga;
    ga.data = a.data();
    ga.ld = lda;
    GemmEpilogue ep;
    ep.residual = residual.data();
    ep.residual_ld = ldc;
    ep.relu = true;
    gemm_bf16(tc.rows, ga, packed, c.data(), ldc, ep);
    for (std::size_t r = 0; r < tc.rows; ++r) {
      for (int j = 0; j < tc.n; ++j) got[r * tc.n + j] = c[r * ldc + j];
      ASSERT_EQ(c[r * ldc + tc.n], -5.0f) << "wrote past the last column";
    }
    EXPECT_LT(test::relative_inf_error(got, expected), 1e-5) << "rows=" << tc.rows << " k=" << tc.k << " n=" << tc.n;
  }
}

}  // namespace
}  // namespace visiondb::nn
