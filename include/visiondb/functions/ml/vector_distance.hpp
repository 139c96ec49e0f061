// The distance kernels of ML.DISTANCE and VECTOR_SEARCH over FLOAT64 vectors: one pair at a time,
// and a block of base vectors against many queries (register tiles of 6 base x 3 query pairs over
// 512-element slices of the dimension, so that each loaded element serves 3 to 6 pairs), SIMD
// through common/simd.hpp.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace visiondb::fn {

/// BigQuery's distance types: ML.DISTANCE takes the first three, VECTOR_SEARCH EUCLIDEAN, COSINE
/// and DOT_PRODUCT (whose distance is the negated dot product, so that smaller is nearer).
enum class DistanceType : uint8_t { Euclidean, Manhattan, Cosine, DotProduct };

/// Parses a distance type name, case-insensitively; false when it is none of them.
bool parse_distance_type(std::string_view text, DistanceType& out);
/// The upper-case name ("COSINE").
std::string_view distance_type_name(DistanceType type) noexcept;

/// The distance between a[0..n) and b[0..n). COSINE gives NaN when either vector is zero (the
/// caller turns that into its error).
double vector_distance(DistanceType type, const double* a, const double* b, size_t n) noexcept;

/// The sum of squares of a[0..n) (COSINE's norms, squared).
double squared_norm(const double* a, size_t n) noexcept;

/// out[i * nq + j] = the distance between base[i] and query j (queries + j * dim), for i < nb and
/// j < nq. COSINE reads the squared norms of both sides (query_norms2, base_norms2; unused
/// otherwise) and gives NaN for a zero vector.
void distance_block(DistanceType type, const double* queries, const double* query_norms2, size_t nq,
                    const double* const* base, const double* base_norms2, size_t nb, size_t dim, double* out) noexcept;

}  // namespace visiondb::fn

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/functions/ml/detail/vector_distance_impl.hpp"
#endif
