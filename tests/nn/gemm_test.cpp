#include "visiondb/nn/kernels/gemm.hpp"
#include "visiondb/nn/kernels/gemm_partition.hpp"

#include <gtest/gtest.h>

#include "nn_test_util.hpp"
#include "visiondb/common/parallel.hpp"

namespace visiondb::nn {
namespace {

struct GemmCase {
  std::size_t rows;
  int k, n;
};

std::vector<GemmIsa> isas() {
  std::vector<GemmIsa> out;
  for (GemmIsa i : {GemmIsa::Avx512, GemmIsa::Avx2, GemmIsa::Scalar})
    if (gemm_isa_available(i)) out.push_back(i);
  return out;
}

const char* isa_name(GemmIsa i) {
  switch (i) {
    case GemmIsa::Avx512: return "avx512";
    case GemmIsa::Avx2: return "avx2";
    case GemmIsa::Scalar: return "scalar";
    default: return "best";
  }
}

TEST(Gemm, MatchesReferenceOnOddShapesWithEpilogue) {
  const GemmCase cases[] = {{1, 3, 13}, {7, 13, 32}, {17, 27, 45}, {49, 300, 70}, {289, 576, 64}, {3, 2048, 1000},
                            {600, 13, 33}};
  for (const GemmCase& tc : cases) {
    const std::size_t lda = static_cast<std::size_t>(tc.k) + 5, ldc = static_cast<std::size_t>(tc.n) + 3;
    const auto a = test::random_vector(tc.rows * lda, 1);
    const auto w = test::random_vector(static_cast<std::size_t>(tc.k) * tc.n, 2);
    const auto bias = test::random_vector(tc.n, 3);
    const auto residual = test::random_vector(tc.rows * ldc, 4);
    PackedWeights packed(tc.k, tc.n, w, bias.data());
    std::vector<float> expected(tc.rows * static_cast<std::size_t>(tc.n));
    for (std::size_t r = 0; r < tc.rows; ++r)
      for (int j = 0; j < tc.n; ++j) {
        double acc = bias[j];
        for (int kk = 0; kk < tc.k; ++kk) acc += static_cast<double>(a[r * lda + kk]) * w[static_cast<std::size_t>(kk) * tc.n + j];
        acc += residual[r * ldc + j];
        expected[r * tc.n + j] = static_cast<float>(acc > 0 ? acc : 0);
      }
    for (GemmIsa isa : isas()) {
      std::vector<float> c(tc.rows * ldc, -7.0f);
      GemmA ga;
      ga.data = a.data();
      ga.ld = lda;
      GemmEpilogue ep;
      ep.residual = residual.data();
      ep.residual_ld = ldc;
      ep.relu = true;
      gemm(tc.rows, ga, packed, c.data(), ldc, ep, isa);
      std::vector<float> got(expected.size());
      for (std::size_t r = 0; r < tc.rows; ++r) {
        for (int j = 0; j < tc.n; ++j) got[r * tc.n + j] = c[r * ldc + j];
        for (std::size_t j = tc.n; j < ldc; ++j) ASSERT_EQ(c[r * ldc + j], -7.0f) << "wrote past the last column";
      }
      EXPECT_LT(test::relative_inf_error(got, expected), 1e-5)
          << isa_name(isa) << " rows=" << tc.rows << " k=" << tc.k << " n=" << tc.n;
    }
  }
}

TEST(Gemm, SameResultAtOneAndTwoThreads) {
  const std::size_t rows = 301;
  const int k = 700, n = 96;
  const auto a = test::random_vector(rows * k, 5);
  const auto w = test::random_vector(static_cast<std::size_t>(k) * n, 6);
  PackedWeights packed(k, n, w, nullptr);
  auto run = [&](int threads) {
    std::vector<float> c(rows * n);
    TaskArena arena(threads);
    arena.execute([&] {
      GemmA ga;
      ga.data = a.data();
      ga.ld = k;
      gemm(rows, ga, packed, c.data(), n, GemmEpilogue{});
    });
    return c;
  };
  EXPECT_EQ(run(1), run(2));
}

// The row blocks tile the rows exactly, start on micro-tile bounds and hold about as many rows
// each (within two micro-tiles), so that two threads finish together.
TEST(Gemm, PartitionBalancesRowBlocks) {
  for (std::size_t rows : {1, 11, 13, 49, 64, 196, 289, 784, 1225, 3136, 5041, 22201})
    for (std::size_t threads : {1, 2, 3}) {
      const detail::GemmPartition p = detail::partition_gemm(rows, 4, 12, threads);
      ASSERT_GE(p.row_blocks, 1u);
      EXPECT_EQ(p.row_start(0), 0u);
      EXPECT_EQ(p.row_start(p.row_blocks), rows);
      std::size_t smallest = rows, largest = 0;
      for (std::size_t b = 0; b < p.row_blocks; ++b) {
        const std::size_t first = p.row_start(b), size = p.row_start(b + 1) - first;
        EXPECT_EQ(first % 12, 0u) << rows << " rows, block " << b;
        EXPECT_LE(size, p.block_rows);
        smallest = std::min(smallest, size);
        largest = std::max(largest, size);
      }
      EXPECT_LE(largest - smallest, 24u) << rows << " rows, " << threads << " threads";
      if (threads == 2 && rows == 289) {
        EXPECT_EQ(p.row_blocks, 2u);
        EXPECT_EQ(p.row_start(1), 144u);
      }
    }
}

TEST(Gemm, Im2colBlockMatchesDirectIndexing) {
  // 3 images of 7 x 7 x 13 (pitch 16), 3 x 3 stride 2 pad 1; a block straddling kernel rows.
  const int n = 3, h = 7, w = 7, c = 13, pitch = 16;
  auto data = test::random_vector(static_cast<std::size_t>(n) * h * w * pitch, 7);
  ConvGeometry g;
  g.input = TensorView{data.data(), n, h, w, c, pitch};
  g.kh = g.kw = 3;
  g.stride_h = g.stride_w = 2;
  g.pad_h = g.pad_w = 1;
  g.out_h = g.out_w = 4;
  const std::size_t rows = 40;
  const int k0 = 20, kc = 70;
  std::vector<float> block(rows * 80, -1.0f);
  im2col_block(g, 5, rows, k0, kc, block.data(), 80);
  for (std::size_t r = 0; r < rows; ++r) {
    const std::size_t p = 5 + r;
    const int img = static_cast<int>(p / 16), oy = static_cast<int>(p % 16) / 4, ox = static_cast<int>(p % 4);
    for (int k = k0; k < k0 + kc; ++k) {
      const int ky = k / (3 * c), kx = (k / c) % 3, ci = k % c;
      const int iy = oy * 2 - 1 + ky, ix = ox * 2 - 1 + kx;
      const float want = (iy < 0 || iy >= h || ix < 0 || ix >= w) ? 0.0f : *(g.input.at(img, iy, ix) + ci);
      ASSERT_EQ(block[r * 80 + (k - k0)], want) << "row " << p << " k " << k;
    }
  }
}

}  // namespace
}  // namespace visiondb::nn
