// Compile-time switches shared by every visiondb header. Only VISIONDB_* macros live here.
#pragma once

// Dual mode [fmt]: header-only by default; with VISIONDB_SEPARATE_COMPILATION the heavy
// non-template code in <module>/detail/*_impl.hpp is compiled once into visiondb_compiled.
#ifdef VISIONDB_SEPARATE_COMPILATION
#define VISIONDB_INLINE
#else
#define VISIONDB_INLINE inline
#endif

// Internal invariants: on in Debug and sanitizer builds, compiled out otherwise [DuckDB D_ASSERT].
#if !defined(VISIONDB_ENABLE_ASSERT) && !defined(NDEBUG)
#define VISIONDB_ENABLE_ASSERT 1
#endif

#define VISIONDB_VERSION_MAJOR 0
#define VISIONDB_VERSION_MINOR 1
#define VISIONDB_VERSION_PATCH 0
#define VISIONDB_VERSION_STRING "0.1.0"

// Chunk size of the vectorized executor: about 2048 rows [DuckDB].
#define VISIONDB_VECTOR_SIZE 2048
