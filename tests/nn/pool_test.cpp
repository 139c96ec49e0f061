#include "visiondb/nn/kernels/pool_simd.hpp"

#include <gtest/gtest.h>

#include "nn_test_util.hpp"
#include "visiondb/nn/kernels/reference/pool.hpp"

namespace visiondb::nn {
namespace {

void check_pool(int batch, int c, int hw, int k, int s, int p, bool is_max) {
  const auto input = test::random_vector(static_cast<std::size_t>(batch) * c * hw * hw, 21, -2.0f, 1.0f);
  int oh = 0, ow = 0;
  auto expected = reference::pool2d(batch, c, hw, hw, input, k, s, p, is_max, &oh, &ow);
  ASSERT_EQ(oh, pooled_size(hw, k, s, p));
  std::vector<float> in_nhwc(input.size());
  nchw_to_nhwc(input.data(), make_nhwc(in_nhwc.data(), batch, hw, hw, c));
  // Written into channels [2, 2 + c) of a wider tensor, as a concat branch is.
  const int pitch = c + 4;
  std::vector<float> wide(static_cast<std::size_t>(batch) * oh * ow * pitch, 9.0f);
  TensorView out{wide.data() + 2, batch, oh, ow, c, pitch};
  if (is_max)
    max_pool_nhwc(make_nhwc(in_nhwc.data(), batch, hw, hw, c), out, k, s, p);
  else
    avg_pool_nhwc(make_nhwc(in_nhwc.data(), batch, hw, hw, c), out, k, s, p);
  std::vector<float> got(expected.size());
  nhwc_to_nchw(out, got.data());
  EXPECT_LT(test::relative_inf_error(got, expected), 1e-6)
      << (is_max ? "max" : "avg") << " batch " << batch << " c " << c << " hw " << hw << " k" << k << " s" << s << " p" << p;
  for (std::size_t px = 0; px < out.pixels(); ++px) {
    ASSERT_EQ(wide[px * pitch], 9.0f);
    ASSERT_EQ(wide[px * pitch + pitch - 1], 9.0f);
  }
}

TEST(Pool, MaxAndAverageMatchReference) {
  for (int batch : {1, 3})
    for (int c : {3, 13, 35})
      for (int hw : {7, 17}) {
        check_pool(batch, c, hw, 3, 2, 1, true);   // ResNet's stem pool
        check_pool(batch, c, hw, 3, 2, 0, true);   // Inception's reductions
        check_pool(batch, c, hw, 3, 1, 1, false);  // Inception's branch_pool, padding counted
        check_pool(batch, c, hw, 5, 3, 0, false);
      }
}

TEST(Pool, GlobalAverageAndSoftmax) {
  const int batch = 3, c = 37, hw = 7;
  const auto input = test::random_vector(static_cast<std::size_t>(batch) * c * hw * hw, 22);
  std::vector<float> in_nhwc(input.size());
  nchw_to_nhwc(input.data(), make_nhwc(in_nhwc.data(), batch, hw, hw, c));
  std::vector<float> got(batch * c);
  global_avg_pool_nhwc(make_nhwc(in_nhwc.data(), batch, hw, hw, c), got.data(), c);
  EXPECT_LT(test::relative_inf_error(got, reference::global_avg_pool(batch, c, hw * hw, input)), 1e-6);

  const auto logits = test::random_vector(3 * 1000, 23, -20.0f, 20.0f);
  std::vector<float> probs(logits.size());
  softmax_rows(logits.data(), probs.data(), 3, 1000);
  EXPECT_LT(test::relative_inf_error(probs, reference::softmax(3, 1000, logits)), 1e-5);
}

}  // namespace
}  // namespace visiondb::nn
