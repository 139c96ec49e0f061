// ML.DISTANCE(vector1, vector2 [, type]): BigQuery's distance between two ARRAY<FLOAT64> (or
// ARRAY<INT64>) vectors, 'EUCLIDEAN' (the default), 'MANHATTAN' or 'COSINE'. NULL when a vector is
// NULL; an error (NULL under SAFE.) for vectors of different lengths, a NULL element, a COSINE
// distance with a zero vector, or an unknown type.
#pragma once

#include <string_view>

#include "visiondb/functions/function.hpp"

namespace visiondb::fn {

FunctionSet ml_distance_overloads();

struct MlDistanceFunction {
  static constexpr std::string_view name = "ml.distance",
                                    doc = "ML.DISTANCE(vector1, vector2 [, 'EUCLIDEAN' | 'MANHATTAN' | 'COSINE']): the "
                                          "distance between two ARRAY<FLOAT64> or ARRAY<INT64> vectors";
  static FunctionSet overloads() { return ml_distance_overloads(); }
};

}  // namespace visiondb::fn

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/functions/ml/detail/distance_impl.hpp"
#endif
