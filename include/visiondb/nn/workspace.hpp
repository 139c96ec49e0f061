// Workspace: the activation memory of a network, a fixed set of slots that grow to the largest
// request and are then reused, so that a forward pass allocates nothing once warmed up.
#pragma once

#include <cstddef>
#include <memory>
#include <vector>

#include "visiondb/common/aligned_buffer.hpp"

namespace visiondb::nn {

/// Numbered scratch buffers. slot(i, n) hands out at least n floats whose previous contents are
/// dead: a caller asks for a slot only when it is about to overwrite it.
class Workspace {
 public:
  /// The buffer of slot `index`, grown (contents discarded) when smaller than `floats`.
  float* slot(std::size_t index, std::size_t floats) {
    if (index >= slots_.size()) slots_.resize(index + 1);
    AlignedBuffer<float>& b = slots_[index];
    if (b.size() < floats) {
      AlignedBuffer<float> fresh(floats);
      b.swap(fresh);
      ++allocations_;
    }
    return b.data();
  }
  /// A nested workspace, for work that runs concurrently with this one's (one per image group).
  /// Not thread-safe: create the children before handing them to threads.
  Workspace& child(std::size_t index) {
    while (children_.size() <= index) children_.push_back(std::make_unique<Workspace>());
    return *children_[index];
  }

  /// How many times a slot had to grow: stays constant across calls of the same batch size.
  std::size_t allocations() const noexcept { return allocations_; }
  /// Floats held in all slots.
  std::size_t floats_held() const noexcept {
    std::size_t total = 0;
    for (const auto& b : slots_) total += b.size();
    for (const auto& c : children_) total += c->floats_held();
    return total;
  }

 private:
  std::vector<AlignedBuffer<float>> slots_;
  std::vector<std::unique_ptr<Workspace>> children_;
  std::size_t allocations_ = 0;
};

}  // namespace visiondb::nn
