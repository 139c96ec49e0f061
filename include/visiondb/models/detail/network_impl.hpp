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
  // With several images and threads, each image is one task that runs its whole forward pass on
  // one thread (in an arena of its own, so that its layers neither spawn tasks nor have them stolen
  // by a thread that would then read another image's activations from another core's cache): one
  // fork-join per call instead of one per layer. A lone image (or a stage observer, which wants
  // whole batches) uses the threads inside each layer instead. Images go one at a time, not as a
  // batch, so that a layer's activations stay in the caches (batch 8 at one thread: Inception-v3
  // took 0.92-0.94x the time of batched layers, ResNet-50 0.96-1.04x, within the noise).
  const std::size_t threads = static_cast<std::size_t>(current_concurrency());
  const std::size_t image_floats = 3 * static_cast<std::size_t>(s) * s;
  auto embed_image = [&](std::size_t i, nn::Workspace& w) {
    embed(images.data() + i * image_floats, 1, embedding.data() + i * width, w);
  };
  if (observer_) {
    embed(images.data(), static_cast<int>(batch), embedding.data(), ws);
  } else if (batch < 2 || threads < 2) {
    for (std::size_t i = 0; i < batch; ++i) embed_image(i, ws);
  } else {
    for (std::size_t t = 0; t < threads; ++t) ws.child(t);
    parallel_for_each_index(0, batch, [&](std::size_t i) {
      nn::Workspace& w = ws.child(static_cast<std::size_t>(current_worker_index()));
      TaskArena solo(1);
      solo.execute([&] { embed_image(i, w); });
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
