// VISIONDB_ASSERT: checks of invariants already validated upstream; never for user input.
#pragma once

#include "visiondb/config.hpp"

namespace visiondb::detail {
/// Prints the failed condition with its place and aborts.
[[noreturn]] void assertion_failed(const char* cond, const char* file, int line) noexcept;
}  // namespace visiondb::detail

#if VISIONDB_ENABLE_ASSERT
#define VISIONDB_ASSERT(cond) \
  ((cond) ? static_cast<void>(0) : ::visiondb::detail::assertion_failed(#cond, __FILE__, __LINE__))
#else
#define VISIONDB_ASSERT(cond) static_cast<void>(0)
#endif

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/common/detail/error_impl.hpp"
#endif
