// Winograd F(2x2, 3x3) and F(4x4, 3x3): the reference loops in double equal the direct convolution;
// the fast kernel (xsimd transforms + packed GEMM) matches the reference in float closely and the
// direct convolution within Winograd's rounding, on odd shapes, into a channel slice, with residual
// and ReLU; the tile grouping and the thread count do not change a bit.
#include "visiondb/nn/kernels/winograd.hpp"

#include <gtest/gtest.h>

#include <cstdio>

#include "nn_test_util.hpp"
#include "visiondb/common/error.hpp"
#include "visiondb/common/parallel.hpp"
#include "visiondb/nn/generated_weights.hpp"
#include "visiondb/nn/kernels/reference/conv2d.hpp"
#include "visiondb/nn/kernels/reference/winograd.hpp"
#include "visiondb/nn/layers/conv2d.hpp"

namespace visiondb::nn {
namespace {

// Winograd's error relative to the largest output, against the direct convolution (measured on
// these shapes, He-scaled weights, inputs in [-1, 1): F2 4.8e-7, F4 5.3e-6; the bounds leave ~4-10x).
double direct_tolerance(int tile) { return tile == 2 ? 5e-6 : 2e-5; }

struct Shape {
  int n, c_in, h, w, c_out, pad;
};

const Shape kShapes[] = {
    {1, 3, 5, 5, 4, 1},      // smaller than one F4 tile
    {2, 13, 7, 9, 17, 0},    // channels below one vector, h != w, no padding
    {3, 33, 17, 17, 40, 1},  // two vectors + a tail; 17 = 4 x 4 + 1
    {1, 64, 14, 14, 64, 1},  // a ResNet-like layer
    {2, 96, 11, 10, 35, 1},
};

struct Data {
  reference::ConvShape s;
  std::vector<float> in, weight, bias, residual;
};

Data make_data(const Shape& sh, uint32_t seed) {
  Data d;
  d.s = reference::ConvShape{sh.n, sh.c_in, sh.h, sh.w, sh.c_out, 3, 3, 1, 1, sh.pad, sh.pad};
  d.in = test::random_vector(static_cast<std::size_t>(sh.n) * sh.c_in * sh.h * sh.w, seed);
  const float scale = std::sqrt(6.0f / (9.0f * sh.c_in));
  d.weight = test::random_vector(static_cast<std::size_t>(sh.c_out) * sh.c_in * 9, seed + 1, -scale, scale);
  d.bias = test::random_vector(static_cast<std::size_t>(sh.c_out), seed + 2, -0.1f, 0.1f);
  d.residual = test::random_vector(static_cast<std::size_t>(sh.n) * sh.c_out * d.s.out_h() * d.s.out_w(), seed + 3);
  return d;
}

// Runs the fast kernel on NCHW data; the output is a channel slice (offset 3, pitch c_out + 7) of a
// wider tensor whose other channels must stay untouched.
std::vector<float> run_fast(const Data& d, int tile, bool residual, bool relu, GemmIsa isa = GemmIsa::Best,
                            int tiles_per_block = 0) {
  const auto& s = d.s;
  const int oh = s.out_h(), ow = s.out_w();
  std::vector<float> kn(static_cast<std::size_t>(9) * s.c_in * s.c_out);
  for (int co = 0; co < s.c_out; ++co)
    for (int ci = 0; ci < s.c_in; ++ci)
      for (int tap = 0; tap < 9; ++tap)
        kn[(static_cast<std::size_t>(tap) * s.c_in + ci) * s.c_out + co] = d.weight[(static_cast<std::size_t>(co) * s.c_in + ci) * 9 + tap];
  WinogradWeights w(tile, s.c_in, s.c_out, kn, d.bias.data());
  std::vector<float> in_nhwc(d.in.size());
  nchw_to_nhwc(d.in.data(), make_nhwc(in_nhwc.data(), s.n, s.h, s.w, s.c_in));
  const int pitch = s.c_out + 7;
  std::vector<float> wide(static_cast<std::size_t>(s.n) * oh * ow * pitch, -5.0f);
  const TensorView out{wide.data() + 3, s.n, oh, ow, s.c_out, pitch};
  std::vector<float> res_nhwc(d.residual.size());
  const TensorView res = make_nhwc(res_nhwc.data(), s.n, oh, ow, s.c_out);
  nchw_to_nhwc(d.residual.data(), res);
  GemmEpilogue ep;
  ep.relu = relu;
  if (residual) {
    ep.residual = res.data;
    ep.residual_ld = static_cast<std::size_t>(res.pitch);
  }
  winograd_conv3x3(make_nhwc(in_nhwc.data(), s.n, s.h, s.w, s.c_in), s.pad_h, w, out, ep, isa, tiles_per_block);
  for (std::size_t px = 0; px < out.pixels(); ++px)
    for (int ch = 0; ch < pitch; ++ch)
      if (ch < 3 || ch >= 3 + s.c_out) EXPECT_EQ(wide[px * pitch + ch], -5.0f) << "written outside the slice";
  std::vector<float> nchw(d.residual.size());
  nhwc_to_nchw(out, nchw.data());
  return nchw;
}

TEST(Winograd, ReferenceInDoubleEqualsTheDirectConvolution) {
  for (int tile : {2, 4})
    for (const Shape& sh : kShapes) {
      const Data d = make_data(sh, 21);
      const auto direct = reference::conv2d(d.s, d.in, d.weight, d.bias, &d.residual, true);
      const auto wino = reference::winograd_conv3x3<double>(d.s, tile, d.in, d.weight, d.bias, &d.residual, true);
      EXPECT_LE(test::relative_inf_error(wino, direct), 1e-7) << "F" << tile << " c_in " << sh.c_in;
    }
}

TEST(Winograd, FastKernelMatchesTheReferenceAndTheDirectConvolution) {
  for (int tile : {2, 4}) {
    double worst_ref = 0, worst_direct = 0;
    for (const Shape& sh : kShapes)
      for (bool residual : {false, true}) {
        SCOPED_TRACE("F" + std::to_string(tile) + " c_in " + std::to_string(sh.c_in) + (residual ? " residual" : ""));
        const Data d = make_data(sh, 31);
        const auto* res = residual ? &d.residual : nullptr;
        const auto fast = run_fast(d, tile, residual, true);
        const auto ref = reference::winograd_conv3x3<float>(d.s, tile, d.in, d.weight, d.bias, res, true);
        const auto direct = reference::conv2d(d.s, d.in, d.weight, d.bias, res, true);
        const double e_ref = test::relative_inf_error(fast, ref), e_direct = test::relative_inf_error(fast, direct);
        EXPECT_LE(e_ref, direct_tolerance(tile)) << "vs reference Winograd (float)";
        EXPECT_LE(e_direct, direct_tolerance(tile)) << "vs direct convolution";
        worst_ref = std::max(worst_ref, e_ref);
        worst_direct = std::max(worst_direct, e_direct);
      }
    std::printf("F(%dx%d, 3x3): max error vs reference Winograd %.3g, vs direct convolution %.3g (of the largest output)\n",
                tile, tile, worst_ref, worst_direct);
  }
}

TEST(Winograd, EveryIsaTileGroupingAndThreadCountGivesTheSameBits) {
  const Data d = make_data(kShapes[2], 41);
  for (int tile : {2, 4}) {
    const auto base = run_fast(d, tile, true, true);
    EXPECT_EQ(run_fast(d, tile, true, true, GemmIsa::Best, 12), base);
    EXPECT_EQ(run_fast(d, tile, true, true, GemmIsa::Best, 100000), base);
    TaskArena one(1);
    std::vector<float> single;
    one.execute([&] { single = run_fast(d, tile, true, true); });
    EXPECT_EQ(single, base);
    for (GemmIsa isa : {GemmIsa::Avx512, GemmIsa::Avx2, GemmIsa::Scalar}) {
      if (!gemm_isa_available(isa)) continue;
      const auto other = run_fast(d, tile, true, true, isa);
      EXPECT_LE(test::relative_inf_error(other, base), 1e-6) << "isa " << static_cast<int>(isa);
    }
  }
}

TEST(Winograd, RejectsBadTilesAndShapes) {
  const std::vector<float> zeros(9 * 4 * 8, 0.0f);
  EXPECT_THROW(WinogradWeights(3, 4, 8, zeros, nullptr), InvalidArgument);
  EXPECT_THROW(WinogradWeights(4, 4, 7, zeros, nullptr), InvalidArgument);
  WinogradWeights w(4, 4, 8, zeros, nullptr);
  std::vector<float> in(2 * 6 * 6 * 4), out(2 * 6 * 6 * 8);
  // pad 0 would give 4 x 4 outputs, not 6 x 6.
  EXPECT_THROW(winograd_conv3x3(make_nhwc(in.data(), 2, 6, 6, 4), 0, w, make_nhwc(out.data(), 2, 6, 6, 8), GemmEpilogue{}),
               ShapeError);
  EXPECT_THROW(winograd_conv3x3(make_nhwc(in.data(), 2, 6, 6, 4), 1, w, make_nhwc(out.data(), 2, 6, 6, 7), GemmEpilogue{}),
               ShapeError);
}

// The layer: BN folded, then Winograd on; the same outputs as the GEMM path within the tolerance,
// and only where it applies.
TEST(Winograd, Conv2dLayerSwitchesToWinograd) {
  Conv2d conv = test::generated_same_conv(24, 40, 3, 5, 1e-5);
  const Conv2dParams p = conv.params();
  EXPECT_TRUE(conv.winograd_applicable());
  const int n = 2, hw = 13;
  auto in = test::random_vector(static_cast<std::size_t>(n) * hw * hw * p.in_ch, 6);
  std::vector<float> direct(static_cast<std::size_t>(n) * hw * hw * p.out_ch), wino(direct.size());
  const TensorView x = make_nhwc(in.data(), n, hw, hw, p.in_ch);
  conv.forward(x, make_nhwc(direct.data(), n, hw, hw, p.out_ch));
  for (int tile : {2, 4}) {
    conv.set_winograd(tile);
    EXPECT_EQ(conv.winograd(), tile);
    conv.forward(x, make_nhwc(wino.data(), n, hw, hw, p.out_ch));
    EXPECT_LE(test::relative_inf_error(wino, direct), direct_tolerance(tile)) << "F" << tile;
  }
  conv.set_winograd(0);
  EXPECT_EQ(conv.winograd(), 0);
  std::vector<float> again(direct.size());
  conv.forward(x, make_nhwc(again.data(), n, hw, hw, p.out_ch));
  EXPECT_EQ(again, direct);

  Conv2dParams strided = p;
  strided.stride_h = strided.stride_w = 2;
  Conv2d s(strided);
  EXPECT_FALSE(s.winograd_applicable());
  EXPECT_THROW(s.set_winograd(4), InvalidArgument);
  Conv2dParams pointwise = p;
  pointwise.kh = pointwise.kw = 1;
  pointwise.pad_h = pointwise.pad_w = 0;
  EXPECT_THROW(Conv2d(pointwise).set_winograd(2), InvalidArgument);
}

}  // namespace
}  // namespace visiondb::nn
