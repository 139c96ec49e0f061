// Compiled mode: the nn module's out-of-line code (kernels, layers, weights).
#include "visiondb/nn/detail/generated_weights_impl.hpp"
#include "visiondb/nn/detail/weight_loader_impl.hpp"
#include "visiondb/nn/kernels/detail/gemm_bf16_impl.hpp"
#include "visiondb/nn/kernels/detail/gemm_impl.hpp"
#include "visiondb/nn/kernels/detail/pool_impl.hpp"
#include "visiondb/nn/kernels/detail/winograd_impl.hpp"
#include "visiondb/nn/layers/detail/conv2d_impl.hpp"
