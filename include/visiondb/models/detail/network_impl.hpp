// Out-of-line parts of network.hpp.
#pragma once

#include "visiondb/common/error.hpp"
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
  embed(images.data(), static_cast<int>(batch), embedding.data(), ws);
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
