#include "visiondb/nn/layers/conv2d.hpp"

#include <gtest/gtest.h>

#include "nn_test_util.hpp"
#include "visiondb/common/error.hpp"
#include "visiondb/common/parallel.hpp"
#include "visiondb/nn/generated_weights.hpp"
#include "visiondb/nn/kernels/reference/conv2d.hpp"

namespace visiondb::nn {
namespace {

struct Case {
  int kh, kw, stride, pad_h, pad_w;
};

// Conv + BN (+ residual) + ReLU through the fast layer vs the reference loops, on NCHW data.
// With `in_place`, the residual is the output itself (its values written into `out` first).
void check_conv(int batch, int c_in, int hw, int c_out, const Case& k, bool with_residual, GemmIsa isa,
                bool in_place = false) {
  Conv2dParams p;
  p.in_ch = c_in;
  p.out_ch = c_out;
  p.kh = k.kh;
  p.kw = k.kw;
  p.stride_h = p.stride_w = k.stride;
  p.pad_h = k.pad_h;
  p.pad_w = k.pad_w;
  p.relu = true;
  const ConvBnNames names{"c.weight", "bn", 1e-3};
  GeneratedWeights weights(Conv2d::tensor_specs(p, names), 3);
  WeightLoader loader(weights, "test");
  Conv2d conv(p);
  conv.load(loader, names);

  reference::ConvShape s{batch, c_in, hw, hw, c_out, k.kh, k.kw, k.stride, k.stride, k.pad_h, k.pad_w};
  const auto input = test::random_vector(static_cast<std::size_t>(batch) * c_in * hw * hw, 11);
  const int64_t shape[] = {c_out, c_in, k.kh, k.kw};
  const int64_t vec[] = {c_out};
  auto span_vec = [](std::span<const float> sp) { return std::vector<float>(sp.begin(), sp.end()); };
  auto w = span_vec(weights.tensor("c.weight", shape));
  const int oh = s.out_h(), ow = s.out_w();
  const std::size_t out_count = static_cast<std::size_t>(batch) * c_out * oh * ow;
  auto conv_out = reference::conv2d(s, input, w, {});
  auto expected = reference::batch_norm(batch, c_out, oh * ow, conv_out, span_vec(weights.tensor("bn.weight", vec)),
                                        span_vec(weights.tensor("bn.bias", vec)), span_vec(weights.tensor("bn.running_mean", vec)),
                                        span_vec(weights.tensor("bn.running_var", vec)), 1e-3);
  const auto residual_nchw = test::random_vector(out_count, 12);
  for (std::size_t i = 0; i < out_count; ++i) {
    if (with_residual) expected[i] += residual_nchw[i];
    expected[i] = std::max(expected[i], 0.0f);
  }

  // NHWC input; the output is a channel slice (offset 5, pitch c_out + 9) of a wider tensor.
  std::vector<float> in_nhwc(input.size());
  nchw_to_nhwc(input.data(), make_nhwc(in_nhwc.data(), batch, hw, hw, c_in));
  const int pitch = c_out + 9;
  std::vector<float> wide(static_cast<std::size_t>(batch) * oh * ow * pitch, -3.0f);
  TensorView out{wide.data() + 5, batch, oh, ow, c_out, pitch};
  std::vector<float> res_nhwc(out_count);
  TensorView res = make_nhwc(res_nhwc.data(), batch, oh, ow, c_out);
  nchw_to_nhwc(residual_nchw.data(), res);
  if (in_place)
    for (std::size_t px = 0; px < out.pixels(); ++px)
      std::copy_n(res_nhwc.data() + px * c_out, c_out, wide.data() + 5 + px * pitch);
  conv.forward(make_nhwc(in_nhwc.data(), batch, hw, hw, c_in), out, !with_residual ? nullptr : in_place ? &out : &res, isa);
  std::vector<float> got(out_count);
  nhwc_to_nchw(out, got.data());
  for (std::size_t px = 0; px < out.pixels(); ++px) {
    for (int j = 0; j < 5; ++j) ASSERT_EQ(wide[px * pitch + j], -3.0f) << "wrote before the slice";
    for (int j = 5 + c_out; j < pitch; ++j) ASSERT_EQ(wide[px * pitch + j], -3.0f) << "wrote past the slice";
  }
  EXPECT_LT(test::relative_inf_error(got, expected), 1e-5)
      << "batch " << batch << " c_in " << c_in << " hw " << hw << " c_out " << c_out << " k " << k.kh << "x" << k.kw
      << " s" << k.stride << " p" << k.pad_h << "," << k.pad_w << " isa " << static_cast<int>(isa);
}

TEST(Conv2d, MatchesReferenceOnOddShapes) {
  const Case kernels[] = {{1, 1, 1, 0, 0}, {1, 1, 2, 0, 0}, {3, 3, 1, 1, 1}, {3, 3, 2, 0, 0}, {7, 7, 2, 3, 3},
                          {1, 7, 1, 0, 3}, {7, 1, 1, 3, 0}, {1, 3, 1, 0, 1}, {3, 1, 1, 1, 0}, {5, 5, 1, 2, 2}};
  for (int batch : {1, 3})
    for (int c_in : {3, 13})
      for (int hw : {7, 17})
        for (const Case& k : kernels) check_conv(batch, c_in, hw, 19, k, false, GemmIsa::Best);
}

// 128 input channels: the implicit path (input pixels read in place, zeros for the padding).
TEST(Conv2d, ImplicitPathMatchesReference) {
  const Case kernels[] = {{3, 3, 1, 1, 1}, {3, 3, 2, 1, 1}, {1, 1, 2, 0, 0}, {1, 7, 1, 0, 3}, {3, 1, 1, 1, 0}};
  for (int batch : {1, 3})
    for (const Case& k : kernels) check_conv(batch, 128, 7, 45, k, batch == 3, GemmIsa::Best);
}

// Channel counts that are not multiples of the K block: taps cut into pieces by the K blocks,
// every piece's rows read in place, the C tile kept in registers across pieces; and the stems'
// few channels (kernel-row pieces, with im2col only for the windows that cross an edge).
TEST(Conv2d, ImplicitPiecesOnOddChannelCounts) {
  const Case kernels[] = {{3, 3, 1, 1, 1}, {3, 3, 2, 0, 0}, {5, 5, 1, 2, 2}, {1, 7, 1, 0, 3}, {7, 1, 1, 3, 0}};
  for (GemmIsa isa : {GemmIsa::Avx512, GemmIsa::Avx2, GemmIsa::Scalar}) {
    if (!gemm_isa_available(isa)) continue;
    for (int c_in : {16, 21, 45, 80})
      for (const Case& k : kernels) check_conv(c_in == 45 ? 2 : 1, c_in, 9, 37, k, c_in == 21, isa);
    for (int c_in : {3, 5}) {
      check_conv(2, c_in, 19, 33, {7, 7, 2, 3, 3}, false, isa);
      check_conv(1, c_in, 11, 32, {3, 3, 2, 0, 0}, true, isa);
    }
  }
}

TEST(Conv2d, FusedResidualAndEveryIsa) {
  for (GemmIsa isa : {GemmIsa::Avx512, GemmIsa::Avx2, GemmIsa::Scalar}) {
    if (!gemm_isa_available(isa)) continue;
    check_conv(3, 13, 17, 45, {3, 3, 1, 1, 1}, true, isa);
    check_conv(1, 64, 7, 70, {1, 1, 1, 0, 0}, true, isa);
    check_conv(1, 300, 7, 33, {3, 3, 2, 1, 1}, false, isa);  // K = 2700: several K blocks
  }
}

// The residual is the output itself (ResNet's bottleneck): the sum accumulates into it, also over
// several K blocks, on every instruction set.
TEST(Conv2d, ResidualInPlace) {
  for (GemmIsa isa : {GemmIsa::Avx512, GemmIsa::Avx2, GemmIsa::Scalar}) {
    if (!gemm_isa_available(isa)) continue;
    check_conv(1, 64, 7, 70, {1, 1, 1, 0, 0}, true, isa, true);
    check_conv(2, 700, 5, 45, {1, 1, 1, 0, 0}, true, isa, true);  // K = 700: two K blocks
    check_conv(1, 130, 6, 33, {3, 3, 1, 1, 1}, true, isa, true);  // K = 1170: three, implicit
  }
  TaskArena arena(2);
  arena.execute([&] { check_conv(2, 700, 9, 100, {1, 1, 1, 0, 0}, true, GemmIsa::Best, true); });
}

// The in-place residual through the Winograd and bf16 paths equals the separate one.
TEST(Conv2d, ResidualInPlaceWinogradAndBf16) {
  Conv2d conv = test::generated_same_conv(64, 48, 3, 4, 1e-3);
  const Conv2dParams& p = conv.params();
  const int batch = 2, hw = 9;
  auto input = test::random_vector(static_cast<std::size_t>(batch) * hw * hw * p.in_ch, 21);
  const auto residual = test::random_vector(static_cast<std::size_t>(batch) * hw * hw * p.out_ch, 22);
  const TensorView in = make_nhwc(input.data(), batch, hw, hw, p.in_ch);
  for (int mode = 0; mode < 2; ++mode) {
    if (mode == 0) conv.set_winograd(4);
    if (mode == 1) {
      conv.set_winograd(0);
      if (!bf16_gemm_available()) continue;
      conv.set_bf16(true);
    }
    std::vector<float> separate(residual.size()), in_place = residual;
    const TensorView res = make_nhwc(const_cast<float*>(residual.data()), batch, hw, hw, p.out_ch);
    conv.forward(in, make_nhwc(separate.data(), batch, hw, hw, p.out_ch), &res);
    const TensorView out = make_nhwc(in_place.data(), batch, hw, hw, p.out_ch);
    conv.forward(in, out, &out);
    EXPECT_LT(test::relative_inf_error(in_place, separate), 1e-6) << (mode == 0 ? "winograd" : "bf16");
  }
}

// Few rows and several column panels at 2 threads: the im2col rows are built once, in parallel,
// and shared by the column chunks (and built on worker threads).
TEST(Conv2d, SharedIm2colAtTwoThreads) {
  TaskArena arena(2);
  arena.execute([&] {
    for (int rep = 0; rep < 20; ++rep) {
      check_conv(1, 13, 7, 70, {3, 3, 1, 1, 1}, true, GemmIsa::Best);
      check_conv(1, 13, 17, 64, {3, 3, 2, 1, 1}, false, GemmIsa::Best);
    }
  });
}

// Bitwise the same output at 1 and 2 threads on the implicit paths, whatever the cut: row blocks
// (17 x 17 maps, batch 2), column chunks (5 x 5 maps), tap pieces (21 channels) and kernel-row
// pieces (3 channels).
TEST(Conv2d, SameBitsAtOneAndTwoThreads) {
  struct Shape {
    int batch, c_in, hw, c_out;
    Case k;
  };
  const Shape shapes[] = {{2, 21, 17, 70, {3, 3, 1, 1, 1}}, {1, 21, 5, 100, {1, 7, 1, 0, 3}},
                          {1, 3, 23, 64, {7, 7, 2, 3, 3}}, {1, 200, 5, 70, {3, 3, 1, 1, 1}}};
  for (const Shape& sh : shapes) {
    Conv2dParams p;
    p.in_ch = sh.c_in;
    p.out_ch = sh.c_out;
    p.kh = sh.k.kh;
    p.kw = sh.k.kw;
    p.stride_h = p.stride_w = sh.k.stride;
    p.pad_h = sh.k.pad_h;
    p.pad_w = sh.k.pad_w;
    const ConvBnNames names{"c.weight", "bn", 1e-3};
    GeneratedWeights weights(Conv2d::tensor_specs(p, names), 5);
    WeightLoader loader(weights, "test");
    Conv2d conv(p);
    conv.load(loader, names);
    auto input = test::random_vector(static_cast<std::size_t>(sh.batch) * sh.hw * sh.hw * sh.c_in, 13);
    const TensorView x = make_nhwc(input.data(), sh.batch, sh.hw, sh.hw, sh.c_in);
    const int oh = conv.out_h(sh.hw), ow = conv.out_w(sh.hw);
    auto run = [&](int threads) {
      std::vector<float> out(static_cast<std::size_t>(sh.batch) * oh * ow * sh.c_out);
      TaskArena arena(threads);
      arena.execute([&] { conv.forward(x, make_nhwc(out.data(), sh.batch, oh, ow, sh.c_out)); });
      return out;
    };
    EXPECT_EQ(run(1), run(2)) << "c_in " << sh.c_in << " hw " << sh.hw;
  }
}

TEST(Conv2d, RejectsMisshapedWeight) {
  Conv2dParams p;
  p.in_ch = 4;
  p.out_ch = 8;
  p.kh = p.kw = 3;
  const ConvBnNames names{"c.weight", "bn", 1e-5};
  GeneratedWeights weights(Conv2d::tensor_specs(p, names));
  weights.set("c.weight", {8, 4, 1, 3}, std::vector<float>(96));
  WeightLoader loader(weights, "test");
  Conv2d conv(p);
  try {
    conv.load(loader, names);
    FAIL() << "no error";
  } catch (const ShapeError& e) {
    EXPECT_EQ(e.tensor(), "c.weight");
    EXPECT_NE(std::string(e.what()).find("[8, 4, 3, 3]"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("[8, 4, 1, 3]"), std::string::npos) << e.what();
  }
}

TEST(Dense, MatchesReference) {
  GeneratedWeights weights(Dense::tensor_specs(37, 45, "fc"), 2);
  WeightLoader loader(weights, "test");
  Dense fc(37, 45);
  fc.load(loader, "fc");
  const auto x = test::random_vector(3 * 37, 4);
  const int64_t ws[] = {45, 37}, bs[] = {45};
  auto w = weights.tensor("fc.weight", ws);
  auto b = weights.tensor("fc.bias", bs);
  auto expected = reference::dense(3, 37, 45, x, {w.begin(), w.end()}, {b.begin(), b.end()});
  std::vector<float> y(3 * 45);
  fc.forward(x.data(), 37, 3, y.data(), 45);
  EXPECT_LT(test::relative_inf_error(y, expected), 1e-6);
}

}  // namespace
}  // namespace visiondb::nn
