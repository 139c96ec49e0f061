// Pooling over NHWC tensors, vectorised along channels: max and average pooling with
// torchvision's semantics (floor output size; average counts the zero padding, as
// F.avg_pool2d's count_include_pad=True), global average pooling, and softmax.
#pragma once

#include <cstddef>

#include "visiondb/config.hpp"
#include "visiondb/nn/tensor.hpp"

namespace visiondb::nn {

/// Output size of a pooling or convolution window along one axis (floor mode).
inline int pooled_size(int in, int kernel, int stride, int pad) noexcept { return (in + 2 * pad - kernel) / stride + 1; }

/// out = max over each k x k window (stride s, padding p ignored); out must have the pooled shape.
void max_pool_nhwc(const TensorView& in, const TensorView& out, int k, int s, int p);

/// out = sum over each k x k window / (k * k), padding counted as zeros.
void avg_pool_nhwc(const TensorView& in, const TensorView& out, int k, int s, int p);

/// out[n * out_ld + c] = mean over the pixels of image n, channel c.
void global_avg_pool_nhwc(const TensorView& in, float* out, std::size_t out_ld);

/// Row-wise softmax of x [rows x n] into y (may alias x).
void softmax_rows(const float* x, float* y, std::size_t rows, std::size_t n);

}  // namespace visiondb::nn

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/nn/kernels/detail/pool_impl.hpp"
#endif
