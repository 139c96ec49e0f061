// Out-of-line parts of conv2d.hpp: batch-norm folding and weight packing.
#pragma once

#include <algorithm>
#include <chrono>
#include <cmath>

#include "visiondb/common/error.hpp"
#include "visiondb/nn/layers/conv2d.hpp"

namespace visiondb::nn {

VISIONDB_INLINE std::vector<TensorSpec> Conv2d::tensor_specs(const Conv2dParams& p, const ConvBnNames& names) {
  const int64_t c = p.out_ch;
  return {{names.weight, {c, p.in_ch, p.kh, p.kw}},
          {names.bn + ".weight", {c}},
          {names.bn + ".bias", {c}},
          {names.bn + ".running_mean", {c}},
          {names.bn + ".running_var", {c}}};
}

VISIONDB_INLINE void Conv2d::load(WeightLoader& w, const ConvBnNames& names, const InputAffine* input_affine) {
  const int co_n = p_.out_ch, ci_n = p_.in_ch, kh = p_.kh, kw = p_.kw;
  auto weight = w.get(names.weight, {co_n, ci_n, kh, kw});
  auto gamma = w.get(names.bn + ".weight", {co_n});
  auto beta = w.get(names.bn + ".bias", {co_n});
  auto mean = w.get(names.bn + ".running_mean", {co_n});
  auto var = w.get(names.bn + ".running_var", {co_n});
  if (input_affine && (p_.pad_h || p_.pad_w || ci_n != 3))
    throw ShapeError(names.weight, "an input transform folds only into an unpadded 3-channel convolution");
  std::vector<float> scale(co_n), bias(co_n);
  std::vector<double> weight_scale(ci_n, 1.0);
  if (input_affine)
    for (int ci = 0; ci < ci_n; ++ci) weight_scale[ci] = input_affine->scale[ci];
  for (int co = 0; co < co_n; ++co) {
    if (!(var[co] + names.eps > 0))
      throw ShapeError(names.bn + ".running_var", "has a value <= -eps at index " + std::to_string(co));
    const double s = gamma[co] / std::sqrt(static_cast<double>(var[co]) + names.eps);
    double shift = 0;  // conv of the constant part of the input transform
    if (input_affine)
      for (int ci = 0; ci < ci_n; ++ci)
        for (int t = 0; t < kh * kw; ++t)
          shift += static_cast<double>(weight[(static_cast<std::size_t>(co) * ci_n + ci) * kh * kw + t]) * input_affine->shift[ci];
    scale[co] = static_cast<float>(s);
    bias[co] = static_cast<float>(beta[co] + (shift - mean[co]) * s);
  }
  // GEMM row k = (ky * kw + kx) * in_ch + ci matches im2col over NHWC pixels.
  const int khw = kh * kw;
  std::vector<float> kn(static_cast<std::size_t>(khw) * ci_n * co_n);
  std::vector<double> channel_scale(co_n);
  for (int co = 0; co < co_n; ++co)
    channel_scale[co] = static_cast<double>(gamma[co]) / std::sqrt(static_cast<double>(var[co]) + names.eps);
  // 32 output channels at a time: contiguous writes, 32 sequential read streams.
  for (int co0 = 0; co0 < co_n; co0 += 32) {
    const int co1 = std::min(co_n, co0 + 32);
    for (int ci = 0; ci < ci_n; ++ci)
      for (int t = 0; t < khw; ++t) {
        float* dst = kn.data() + (static_cast<std::size_t>(t) * ci_n + ci) * co_n;
        const double ws = weight_scale[ci];
        for (int co = co0; co < co1; ++co)
          dst[co] = static_cast<float>(
              static_cast<double>(weight[(static_cast<std::size_t>(co) * ci_n + ci) * khw + t]) * ws * channel_scale[co]);
      }
  }
  weights_ = PackedWeights(khw * ci_n, co_n, kn, bias.data());
}

VISIONDB_INLINE void Conv2d::forward(const TensorView& in, const TensorView& out, const TensorView* residual,
                                     GemmIsa isa) const {
  if (ConvProfileHook hook = conv_profile_hook()) {
    const auto start = std::chrono::steady_clock::now();
    run(in, out, residual, isa);
    hook(*this, in, out, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    return;
  }
  run(in, out, residual, isa);
}

VISIONDB_INLINE void Conv2d::run(const TensorView& in, const TensorView& out, const TensorView* residual,
                                 GemmIsa isa) const {
  ConvGeometry g;
  g.input = in;
  g.kh = p_.kh;
  g.kw = p_.kw;
  g.stride_h = p_.stride_h;
  g.stride_w = p_.stride_w;
  g.pad_h = p_.pad_h;
  g.pad_w = p_.pad_w;
  g.out_h = out.h;
  g.out_w = out.w;
  GemmA a;
  if (g.is_pointwise()) {
    a.data = in.data;
    a.ld = static_cast<std::size_t>(in.pitch);
  } else {
    a.conv = &g;
  }
  GemmEpilogue ep;
  ep.relu = p_.relu;
  if (residual) {
    ep.residual = residual->data;
    ep.residual_ld = static_cast<std::size_t>(residual->pitch);
  }
  if (!weights_bf16_.empty())
    gemm_bf16(out.pixels(), a, weights_bf16_, out.data, static_cast<std::size_t>(out.pitch), ep);
  else if (!winograd_.empty())
    winograd_conv3x3(in, p_.pad_h, winograd_, out, ep, isa);
  else {
    // The next layer's weights are worth requesting only when it runs the plain GEMM too.
    const bool next_plain = next_ && next_->weights_bf16_.empty() && next_->winograd_.empty();
    gemm(out.pixels(), a, weights_, out.data, static_cast<std::size_t>(out.pitch), ep, isa, false,
         next_plain ? &next_->weights_ : nullptr);
  }
}

VISIONDB_INLINE void Conv2d::set_bf16(bool on) {
  if (on && !bf16_gemm_available())
    visiondb::detail::throw_invalid_argument("bf16 precision needs AVX512-BF16, which this build or CPU lacks");
  weights_bf16_ = on ? PackedWeightsBf16(weights_) : PackedWeightsBf16();
}

VISIONDB_INLINE void Conv2d::set_winograd(int tile) {
  if (tile == 0) {
    winograd_ = WinogradWeights();
    return;
  }
  if (!winograd_applicable())
    visiondb::detail::throw_invalid_argument("Winograd applies to 3 x 3 stride-1 convolutions with equal padding, not " +
                                             std::to_string(p_.kh) + " x " + std::to_string(p_.kw) + " stride " +
                                             std::to_string(p_.stride_h) + " pad " + std::to_string(p_.pad_h) + "," +
                                             std::to_string(p_.pad_w));
  winograd_ = WinogradWeights(tile, p_.in_ch, p_.out_ch, weights_.unpacked(), weights_.bias());
}

VISIONDB_INLINE std::vector<TensorSpec> Dense::tensor_specs(int in, int out, const std::string& prefix) {
  return {{prefix + ".weight", {out, in}}, {prefix + ".bias", {out}}};
}

VISIONDB_INLINE void Dense::load(WeightLoader& w, const std::string& prefix) {
  auto weight = w.get(prefix + ".weight", {out_, in_});
  auto bias = w.get(prefix + ".bias", {out_});
  std::vector<float> kn(static_cast<std::size_t>(in_) * out_);
  for (int n = 0; n < out_; ++n)
    for (int k = 0; k < in_; ++k) kn[static_cast<std::size_t>(k) * out_ + n] = weight[static_cast<std::size_t>(n) * in_ + k];
  weights_ = PackedWeights(in_, out_, kn, bias.data());
}

VISIONDB_INLINE void Dense::forward(const float* x, std::size_t ldx, std::size_t rows, float* y, std::size_t ldy) const {
  GemmA a;
  a.data = x;
  a.ld = ldx;
  gemm(rows, a, weights_, y, ldy, GemmEpilogue{});
}

}  // namespace visiondb::nn
