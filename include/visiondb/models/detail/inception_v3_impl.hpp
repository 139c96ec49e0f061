// Out-of-line parts of inception_v3.hpp: the module list (torchvision's names and shapes) and
// the forward pass over NHWC tensors.
#pragma once

#include <algorithm>
#include <string>
#include <utility>

#include "visiondb/common/assert.hpp"
#include "visiondb/common/error.hpp"
#include "visiondb/models/inception_v3.hpp"
#include "visiondb/nn/kernels/pool_simd.hpp"
#include "visiondb/nn/weight_loader.hpp"

namespace visiondb::models {

namespace detail {

/// torchvision's BasicConv2d: conv (no bias) + BN(eps=0.001) + ReLU.
struct BasicConv {
  std::string module;
  nn::Conv2dParams params;
};

inline BasicConv basic(std::string module, int in, int out, int kh, int kw, int stride = 1, int pad_h = 0, int pad_w = 0) {
  nn::Conv2dParams p;
  p.in_ch = in;
  p.out_ch = out;
  p.kh = kh;
  p.kw = kw;
  p.stride_h = p.stride_w = stride;
  p.pad_h = pad_h;
  p.pad_w = pad_w;
  p.relu = true;
  return {std::move(module), p};
}

inline std::vector<BasicConv> inception_v3_layout() {
  std::vector<BasicConv> L;
  L.push_back(basic("Conv2d_1a_3x3", 3, 32, 3, 3, 2));
  L.push_back(basic("Conv2d_2a_3x3", 32, 32, 3, 3));
  L.push_back(basic("Conv2d_2b_3x3", 32, 64, 3, 3, 1, 1, 1));
  L.push_back(basic("Conv2d_3b_1x1", 64, 80, 1, 1));
  L.push_back(basic("Conv2d_4a_3x3", 80, 192, 3, 3));
  auto block_a = [&](const std::string& m, int in, int pool_features) {
    L.push_back(basic(m + ".branch1x1", in, 64, 1, 1));
    L.push_back(basic(m + ".branch5x5_1", in, 48, 1, 1));
    L.push_back(basic(m + ".branch5x5_2", 48, 64, 5, 5, 1, 2, 2));
    L.push_back(basic(m + ".branch3x3dbl_1", in, 64, 1, 1));
    L.push_back(basic(m + ".branch3x3dbl_2", 64, 96, 3, 3, 1, 1, 1));
    L.push_back(basic(m + ".branch3x3dbl_3", 96, 96, 3, 3, 1, 1, 1));
    L.push_back(basic(m + ".branch_pool", in, pool_features, 1, 1));
  };
  block_a("Mixed_5b", 192, 32);
  block_a("Mixed_5c", 256, 64);
  block_a("Mixed_5d", 288, 64);
  L.push_back(basic("Mixed_6a.branch3x3", 288, 384, 3, 3, 2));
  L.push_back(basic("Mixed_6a.branch3x3dbl_1", 288, 64, 1, 1));
  L.push_back(basic("Mixed_6a.branch3x3dbl_2", 64, 96, 3, 3, 1, 1, 1));
  L.push_back(basic("Mixed_6a.branch3x3dbl_3", 96, 96, 3, 3, 2));
  auto block_c = [&](const std::string& m, int c7) {
    L.push_back(basic(m + ".branch1x1", 768, 192, 1, 1));
    L.push_back(basic(m + ".branch7x7_1", 768, c7, 1, 1));
    L.push_back(basic(m + ".branch7x7_2", c7, c7, 1, 7, 1, 0, 3));
    L.push_back(basic(m + ".branch7x7_3", c7, 192, 7, 1, 1, 3, 0));
    L.push_back(basic(m + ".branch7x7dbl_1", 768, c7, 1, 1));
    L.push_back(basic(m + ".branch7x7dbl_2", c7, c7, 7, 1, 1, 3, 0));
    L.push_back(basic(m + ".branch7x7dbl_3", c7, c7, 1, 7, 1, 0, 3));
    L.push_back(basic(m + ".branch7x7dbl_4", c7, c7, 7, 1, 1, 3, 0));
    L.push_back(basic(m + ".branch7x7dbl_5", c7, 192, 1, 7, 1, 0, 3));
    L.push_back(basic(m + ".branch_pool", 768, 192, 1, 1));
  };
  block_c("Mixed_6b", 128);
  block_c("Mixed_6c", 160);
  block_c("Mixed_6d", 160);
  block_c("Mixed_6e", 192);
  L.push_back(basic("Mixed_7a.branch3x3_1", 768, 192, 1, 1));
  L.push_back(basic("Mixed_7a.branch3x3_2", 192, 320, 3, 3, 2));
  L.push_back(basic("Mixed_7a.branch7x7x3_1", 768, 192, 1, 1));
  L.push_back(basic("Mixed_7a.branch7x7x3_2", 192, 192, 1, 7, 1, 0, 3));
  L.push_back(basic("Mixed_7a.branch7x7x3_3", 192, 192, 7, 1, 1, 3, 0));
  L.push_back(basic("Mixed_7a.branch7x7x3_4", 192, 192, 3, 3, 2));
  auto block_e = [&](const std::string& m, int in) {
    L.push_back(basic(m + ".branch1x1", in, 320, 1, 1));
    L.push_back(basic(m + ".branch3x3_1", in, 384, 1, 1));
    L.push_back(basic(m + ".branch3x3_2a", 384, 384, 1, 3, 1, 0, 1));
    L.push_back(basic(m + ".branch3x3_2b", 384, 384, 3, 1, 1, 1, 0));
    L.push_back(basic(m + ".branch3x3dbl_1", in, 448, 1, 1));
    L.push_back(basic(m + ".branch3x3dbl_2", 448, 384, 3, 3, 1, 1, 1));
    L.push_back(basic(m + ".branch3x3dbl_3a", 384, 384, 1, 3, 1, 0, 1));
    L.push_back(basic(m + ".branch3x3dbl_3b", 384, 384, 3, 1, 1, 1, 0));
    L.push_back(basic(m + ".branch_pool", in, 192, 1, 1));
  };
  block_e("Mixed_7b", 1280);
  block_e("Mixed_7c", 2048);
  return L;
}

inline nn::ConvBnNames basic_names(const std::string& module) {
  return {module + ".conv.weight", module + ".bn", 0.001};
}

}  // namespace detail

VISIONDB_INLINE const Preprocessing& InceptionV3::default_preprocessing() noexcept {
  static const Preprocessing p{299, 342, {0.485f, 0.456f, 0.406f}, {0.229f, 0.224f, 0.225f}};
  return p;
}

VISIONDB_INLINE std::vector<nn::TensorSpec> InceptionV3::tensor_specs() {
  std::vector<nn::TensorSpec> specs;
  for (const auto& c : detail::inception_v3_layout())
    for (auto& s : nn::Conv2d::tensor_specs(c.params, detail::basic_names(c.module))) specs.push_back(std::move(s));
  for (auto& s : nn::Dense::tensor_specs(2048, 1000, "fc")) specs.push_back(std::move(s));
  return specs;
}

VISIONDB_INLINE InceptionV3::InceptionV3(const nn::WeightSource& weights, bool transform_input) {
  nn::WeightLoader w(weights, "inception_v3");
  // transform_input: torchvision re-normalises ImageNet-normalised input to (x - 0.5) / 0.5
  // per channel, x' = x * std / 0.5 + (mean - 0.5) / 0.5; the first conv is unpadded, so the
  // map folds exactly into its weights and bias.
  nn::InputAffine transform;
  const auto& pre = default_preprocessing();
  for (int c = 0; c < 3; ++c) {
    transform.scale[c] = static_cast<double>(pre.std[c]) / 0.5;
    transform.shift[c] = (static_cast<double>(pre.mean[c]) - 0.5) / 0.5;
  }
  for (const auto& c : detail::inception_v3_layout()) {
    NamedConv nc{c.module, nn::Conv2d(c.params)};
    nc.conv.load(w, detail::basic_names(c.module), transform_input && c.module == "Conv2d_1a_3x3" ? &transform : nullptr);
    convs_.push_back(std::move(nc));
  }
  // embed() runs the convolutions in torchvision's module order, the layout's: each names the
  // next (its weights requested into L2 meanwhile).
  for (std::size_t i = 0; i + 1 < convs_.size(); ++i) convs_[i].conv.set_next(&convs_[i + 1].conv);
  fc_ = nn::Dense(2048, 1000);
  fc_.load(w, "fc");
  w.check_all_used([](std::string_view name) {
    return name.substr(0, 10) == "AuxLogits." ||
           (name.size() >= 19 && name.substr(name.size() - 19) == "num_batches_tracked");
  });
}

VISIONDB_INLINE const nn::Conv2d& InceptionV3::conv(const std::string& module) const {
  for (const auto& c : convs_)
    if (c.module == module) return c.conv;
  visiondb::detail::throw_internal("inception_v3: no module " + module);
}

VISIONDB_INLINE void InceptionV3::embed(const float* images, int batch, float* embedding, nn::Workspace& ws) const {
  using nn::TensorView;
  enum Slot { kInput, kPing, kPong, kT1, kT2, kT3 };
  auto tensor = [&](int slot, int h, int w, int c) {
    return nn::make_nhwc(ws.slot(slot, static_cast<std::size_t>(batch) * h * w * c), batch, h, w, c);
  };
  // The layers run in the order they were chained in (checked in debug builds).
  const nn::Conv2d* expected = &convs_.front().conv;
  auto layer = [&](const std::string& module) -> const nn::Conv2d& {
    const nn::Conv2d& c = conv(module);
    VISIONDB_ASSERT(&c == expected);
    expected = c.next();
    return c;
  };
  // Runs a conv from `in` into a fresh tensor in `slot`, or into `into` when given.
  auto run = [&](const std::string& module, const TensorView& in, int slot) {
    const nn::Conv2d& c = layer(module);
    TensorView out = tensor(slot, c.out_h(in.h), c.out_w(in.w), c.params().out_ch);
    c.forward(in, out);
    return out;
  };
  auto run_into = [&](const std::string& module, const TensorView& in, const TensorView& dst, int first) {
    const nn::Conv2d& c = layer(module);
    c.forward(in, dst.channels(first, c.params().out_ch));
  };

  const int size = default_preprocessing().input_size;
  TensorView x = tensor(kInput, size, size, 3);
  nn::nchw_to_nhwc(images, x);
  TensorView t = run("Conv2d_1a_3x3", x, kT1);
  observe("Conv2d_1a_3x3", t);
  t = run("Conv2d_2a_3x3", t, kT2);
  t = run("Conv2d_2b_3x3", t, kT1);
  TensorView p = tensor(kT2, nn::pooled_size(t.h, 3, 2, 0), nn::pooled_size(t.w, 3, 2, 0), t.c);
  nn::max_pool_nhwc(t, p, 3, 2, 0);
  observe("maxpool1", p);
  t = run("Conv2d_3b_1x1", p, kT1);
  t = run("Conv2d_4a_3x3", t, kT2);
  observe("Conv2d_4a_3x3", t);
  TensorView cur = tensor(kPing, nn::pooled_size(t.h, 3, 2, 0), nn::pooled_size(t.w, 3, 2, 0), t.c);
  nn::max_pool_nhwc(t, cur, 3, 2, 0);
  int cur_slot = kPing;
  auto next = [&](int h, int w, int c) {
    cur_slot = cur_slot == kPing ? kPong : kPing;
    return tensor(cur_slot, h, w, c);
  };

  for (const char* m : {"Mixed_5b", "Mixed_5c", "Mixed_5d"}) {
    const std::string b(m);
    const int pool_features = conv(b + ".branch_pool").params().out_ch;
    TensorView y = next(cur.h, cur.w, 224 + pool_features);
    run_into(b + ".branch1x1", cur, y, 0);
    run_into(b + ".branch5x5_2", run(b + ".branch5x5_1", cur, kT1), y, 64);
    TensorView d = run(b + ".branch3x3dbl_2", run(b + ".branch3x3dbl_1", cur, kT1), kT2);
    run_into(b + ".branch3x3dbl_3", d, y, 128);
    TensorView pooled = tensor(kT1, cur.h, cur.w, cur.c);
    nn::avg_pool_nhwc(cur, pooled, 3, 1, 1);
    run_into(b + ".branch_pool", pooled, y, 224);
    cur = y;
    observe(m, cur);
  }
  {  // Mixed_6a
    const int oh = nn::pooled_size(cur.h, 3, 2, 0), ow = nn::pooled_size(cur.w, 3, 2, 0);
    TensorView y = next(oh, ow, 384 + 96 + cur.c);
    run_into("Mixed_6a.branch3x3", cur, y, 0);
    TensorView d = run("Mixed_6a.branch3x3dbl_2", run("Mixed_6a.branch3x3dbl_1", cur, kT1), kT2);
    run_into("Mixed_6a.branch3x3dbl_3", d, y, 384);
    nn::max_pool_nhwc(cur, y.channels(480, cur.c), 3, 2, 0);
    cur = y;
    observe("Mixed_6a", cur);
  }
  for (const char* m : {"Mixed_6b", "Mixed_6c", "Mixed_6d", "Mixed_6e"}) {
    const std::string b(m);
    TensorView y = next(cur.h, cur.w, 768);
    run_into(b + ".branch1x1", cur, y, 0);
    TensorView s = run(b + ".branch7x7_2", run(b + ".branch7x7_1", cur, kT1), kT2);
    run_into(b + ".branch7x7_3", s, y, 192);
    s = run(b + ".branch7x7dbl_2", run(b + ".branch7x7dbl_1", cur, kT1), kT2);
    s = run(b + ".branch7x7dbl_4", run(b + ".branch7x7dbl_3", s, kT1), kT2);
    run_into(b + ".branch7x7dbl_5", s, y, 384);
    TensorView pooled = tensor(kT1, cur.h, cur.w, cur.c);
    nn::avg_pool_nhwc(cur, pooled, 3, 1, 1);
    run_into(b + ".branch_pool", pooled, y, 576);
    cur = y;
    observe(m, cur);
  }
  {  // Mixed_7a
    const int oh = nn::pooled_size(cur.h, 3, 2, 0), ow = nn::pooled_size(cur.w, 3, 2, 0);
    TensorView y = next(oh, ow, 320 + 192 + cur.c);
    run_into("Mixed_7a.branch3x3_2", run("Mixed_7a.branch3x3_1", cur, kT1), y, 0);
    TensorView s = run("Mixed_7a.branch7x7x3_2", run("Mixed_7a.branch7x7x3_1", cur, kT1), kT2);
    s = run("Mixed_7a.branch7x7x3_3", s, kT1);
    run_into("Mixed_7a.branch7x7x3_4", s, y, 320);
    nn::max_pool_nhwc(cur, y.channels(512, cur.c), 3, 2, 0);
    cur = y;
    observe("Mixed_7a", cur);
  }
  for (const char* m : {"Mixed_7b", "Mixed_7c"}) {
    const std::string b(m);
    TensorView y = next(cur.h, cur.w, 2048);
    run_into(b + ".branch1x1", cur, y, 0);
    TensorView s = run(b + ".branch3x3_1", cur, kT1);
    run_into(b + ".branch3x3_2a", s, y, 320);
    run_into(b + ".branch3x3_2b", s, y, 704);
    s = run(b + ".branch3x3dbl_2", run(b + ".branch3x3dbl_1", cur, kT1), kT2);
    run_into(b + ".branch3x3dbl_3a", s, y, 1088);
    run_into(b + ".branch3x3dbl_3b", s, y, 1472);
    TensorView pooled = tensor(kT1, cur.h, cur.w, cur.c);
    nn::avg_pool_nhwc(cur, pooled, 3, 1, 1);
    run_into(b + ".branch_pool", pooled, y, 1856);
    cur = y;
    observe(m, cur);
  }
  nn::global_avg_pool_nhwc(cur, embedding, 2048);
}

}  // namespace visiondb::models
