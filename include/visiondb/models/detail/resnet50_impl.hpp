// Out-of-line parts of resnet50.hpp: the layer list and the forward pass over NHWC tensors.
#pragma once

#include <string>
#include <utility>

#include "visiondb/models/resnet50.hpp"
#include "visiondb/nn/kernels/pool_simd.hpp"
#include "visiondb/nn/weight_loader.hpp"

namespace visiondb::models {

namespace detail {

/// One conv + BN of ResNet-50, with its torchvision names.
struct ResNetConv {
  nn::Conv2dParams params;
  nn::ConvBnNames names;
};

struct ResNetLayout {
  ResNetConv stem;
  struct Block {
    ResNetConv conv1, conv2, conv3, downsample;
    bool has_downsample = false;
  };
  std::vector<Block> blocks;
};

inline nn::Conv2dParams conv_params(int in, int out, int k, int stride, int pad, bool relu) {
  nn::Conv2dParams p;
  p.in_ch = in;
  p.out_ch = out;
  p.kh = p.kw = k;
  p.stride_h = p.stride_w = stride;
  p.pad_h = p.pad_w = pad;
  p.relu = relu;
  return p;
}

inline ResNetLayout resnet50_layout() {
  ResNetLayout L;
  L.stem = {conv_params(3, 64, 7, 2, 3, true), {"conv1.weight", "bn1", 1e-5}};
  const int widths[4] = {64, 128, 256, 512}, depths[4] = {3, 4, 6, 3};
  int in = 64;
  for (int stage = 0; stage < 4; ++stage) {
    const int width = widths[stage], out = width * 4;
    for (int b = 0; b < depths[stage]; ++b) {
      const std::string pre = "layer" + std::to_string(stage + 1) + "." + std::to_string(b) + ".";
      const int stride = (b == 0 && stage > 0) ? 2 : 1;
      ResNetLayout::Block blk;
      blk.conv1 = {conv_params(in, width, 1, 1, 0, true), {pre + "conv1.weight", pre + "bn1", 1e-5}};
      blk.conv2 = {conv_params(width, width, 3, stride, 1, true), {pre + "conv2.weight", pre + "bn2", 1e-5}};
      blk.conv3 = {conv_params(width, out, 1, 1, 0, true), {pre + "conv3.weight", pre + "bn3", 1e-5}};
      if (b == 0) {
        blk.has_downsample = true;
        blk.downsample = {conv_params(in, out, 1, stride, 0, false),
                          {pre + "downsample.0.weight", pre + "downsample.1", 1e-5}};
      }
      L.blocks.push_back(std::move(blk));
      in = out;
    }
  }
  return L;
}

inline void append_specs(std::vector<nn::TensorSpec>& specs, const ResNetConv& c) {
  for (auto& s : nn::Conv2d::tensor_specs(c.params, c.names)) specs.push_back(std::move(s));
}

}  // namespace detail

VISIONDB_INLINE const Preprocessing& ResNet50::default_preprocessing() noexcept {
  static const Preprocessing p{224, 256, {0.485f, 0.456f, 0.406f}, {0.229f, 0.224f, 0.225f}};
  return p;
}

VISIONDB_INLINE std::vector<nn::TensorSpec> ResNet50::tensor_specs() {
  const detail::ResNetLayout L = detail::resnet50_layout();
  std::vector<nn::TensorSpec> specs;
  detail::append_specs(specs, L.stem);
  for (const auto& b : L.blocks) {
    detail::append_specs(specs, b.conv1);
    detail::append_specs(specs, b.conv2);
    detail::append_specs(specs, b.conv3);
    if (b.has_downsample) detail::append_specs(specs, b.downsample);
  }
  for (auto& s : nn::Dense::tensor_specs(2048, 1000, "fc")) specs.push_back(std::move(s));
  return specs;
}

VISIONDB_INLINE ResNet50::ResNet50(const nn::WeightSource& weights) {
  const detail::ResNetLayout L = detail::resnet50_layout();
  nn::WeightLoader w(weights, "resnet50");
  auto make = [&](const detail::ResNetConv& c) {
    nn::Conv2d conv(c.params);
    conv.load(w, c.names);
    return conv;
  };
  stem_ = make(L.stem);
  for (const auto& b : L.blocks) {
    Bottleneck blk;
    blk.conv1 = make(b.conv1);
    blk.conv2 = make(b.conv2);
    blk.conv3 = make(b.conv3);
    blk.has_downsample = b.has_downsample;
    if (b.has_downsample) blk.downsample = make(b.downsample);
    blocks_.push_back(std::move(blk));
  }
  // Each convolution names the one that runs after it in embed() (weights requested into L2).
  nn::Conv2d* prev = nullptr;
  auto chain = [&](nn::Conv2d& c) {
    if (prev) prev->set_next(&c);
    prev = &c;
  };
  chain(stem_);
  for (Bottleneck& b : blocks_) {
    chain(b.conv1);
    chain(b.conv2);
    if (b.has_downsample) chain(b.downsample);
    chain(b.conv3);
  }
  fc_ = nn::Dense(2048, 1000);
  fc_.load(w, "fc");
  w.check_all_used([](std::string_view name) {
    return name.size() >= 19 && name.substr(name.size() - 19) == "num_batches_tracked";
  });
}

VISIONDB_INLINE void ResNet50::embed(const float* images, int batch, float* embedding, nn::Workspace& ws) const {
  enum Slot { kInput, kPing, kPong, kT1, kT2 };
  using nn::TensorView;
  auto tensor = [&](int slot, int h, int w, int c) {
    return nn::make_nhwc(ws.slot(slot, static_cast<std::size_t>(batch) * h * w * c), batch, h, w, c);
  };
  const int size = default_preprocessing().input_size;
  TensorView x = tensor(kInput, size, size, 3);
  nn::nchw_to_nhwc(images, x);

  TensorView stem = tensor(kT1, stem_.out_h(size), stem_.out_w(size), 64);
  stem_.forward(x, stem);
  observe("relu", stem);
  const int ph = nn::pooled_size(stem.h, 3, 2, 1), pw = nn::pooled_size(stem.w, 3, 2, 1);
  TensorView cur = tensor(kPing, ph, pw, 64);
  nn::max_pool_nhwc(stem, cur, 3, 2, 1);
  observe("maxpool", cur);
  int cur_slot = kPing;
  const int stage_ends[] = {2, 6, 12, 15};  // index of the last bottleneck of layer1..layer4
  int index = 0;

  for (const Bottleneck& b : blocks_) {
    const int width = b.conv1.params().out_ch, out_ch = b.conv3.params().out_ch;
    TensorView t1 = tensor(kT1, cur.h, cur.w, width);
    b.conv1.forward(cur, t1);
    TensorView t2 = tensor(kT2, b.conv2.out_h(cur.h), b.conv2.out_w(cur.w), width);
    b.conv2.forward(t1, t2);
    // conv3 adds its output to the shortcut in place (the block's input, or the downsampled one
    // in the other slot): one tensor read and written instead of two read and one written.
    TensorView y = cur;
    if (b.has_downsample) {
      cur_slot = cur_slot == kPing ? kPong : kPing;
      y = tensor(cur_slot, t2.h, t2.w, out_ch);
      b.downsample.forward(cur, y);
    }
    b.conv3.forward(t2, y, &y);
    cur = y;
    for (int stage = 0; stage < 4; ++stage)
      if (index == stage_ends[stage]) observe(std::string_view("layer1layer2layer3layer4").substr(6 * stage, 6), cur);
    ++index;
  }
  nn::global_avg_pool_nhwc(cur, embedding, 2048);
}

}  // namespace visiondb::models
