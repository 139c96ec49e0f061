// Out-of-line parts of network.hpp.
#pragma once

#include <algorithm>

#include "visiondb/common/error.hpp"
#include "visiondb/common/parallel.hpp"
#include "visiondb/models/network.hpp"
#include "visiondb/nn/kernels/pool_simd.hpp"

namespace visiondb::models {

VISIONDB_INLINE Outputs Network::run(std::span<const float> images, std::size_t batch, OutputRequest what,
                                     nn::Workspace& ws) const {
  const int s = preprocessing().input_size;
  const std::size_t expected = batch * 3 * static_cast<std::size_t>(s) * s;
  if (images.size() != expected)
    throw ShapeError("input", {static_cast<int64_t>(batch), 3, s, s}, {static_cast<int64_t>(images.size())});
  Outputs out;
  out.batch = batch;
  if (batch == 0 || !(what.logits || what.probabilities || what.embedding)) return out;
  const std::size_t width = static_cast<std::size_t>(embedding_size());
  std::vector<float> embedding(batch * width);
  // With several images and threads, each thread runs whole forward passes over its own group of
  // images: one fork-join per call instead of one per layer. A lone image (or a stage observer,
  // which wants whole batches) uses the threads inside each layer instead.
  const std::size_t threads = static_cast<std::size_t>(current_concurrency());
  const std::size_t groups = observer_ || batch < 2 || threads < 2 ? 1 : std::min(batch, threads);
  if (groups == 1) {
    embed(images.data(), static_cast<int>(batch), embedding.data(), ws);
  } else {
    const std::size_t image_floats = 3 * static_cast<std::size_t>(s) * s;
    for (std::size_t g = 0; g < groups; ++g) ws.child(g);
    parallel_for_each_index(0, groups, [&](std::size_t g) {
      const std::size_t first = g * batch / groups, last = (g + 1) * batch / groups;
      embed(images.data() + first * image_floats, static_cast<int>(last - first), embedding.data() + first * width,
            ws.child(g));
    });
  }
  if (what.logits || what.probabilities) {
    const std::size_t classes = static_cast<std::size_t>(num_classes());
    std::vector<float> logits(batch * classes);
    fc_.forward(embedding.data(), width, batch, logits.data(), classes);
    if (what.probabilities) {
      out.probabilities.resize(logits.size());
      nn::softmax_rows(logits.data(), out.probabilities.data(), batch, classes);
    }
    if (what.logits) out.logits = std::move(logits);
  }
  if (what.embedding) out.embedding = std::move(embedding);
  return out;
}

VISIONDB_INLINE Outputs Network::run(std::span<const float> images, std::size_t batch, OutputRequest what) const {
  std::lock_guard<std::mutex> lock(mutex_);
  return run(images, batch, what, workspace_);
}

}  // namespace visiondb::models
