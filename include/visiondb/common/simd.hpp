// The one place visiondb includes xsimd (Debian 12 ships xsimd 8.1). Kernels take the
// architecture as a template parameter so that AVX-512, AVX2 and the generic path share code.
#pragma once

#include <xsimd/xsimd.hpp>

namespace visiondb::simd {

using xsimd::batch;
using xsimd::batch_bool;

/// The best architecture enabled by the compiler flags (-march=native builds get AVX-512 here).
using default_arch = xsimd::default_arch;

/// Floats per register on the default architecture.
inline constexpr std::size_t kFloatLanes = batch<float, default_arch>::size;

/// Alignment (bytes) of every buffer that kernels load from: one cache line.
inline constexpr std::size_t kAlignment = 64;

}  // namespace visiondb::simd
