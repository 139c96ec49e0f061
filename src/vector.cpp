// Compiled mode: ML.DISTANCE, VECTOR_SEARCH and their distance kernels.
#include "visiondb/functions/ml/detail/distance_impl.hpp"
#include "visiondb/functions/ml/detail/vector_distance_impl.hpp"
#include "visiondb/functions/ml/detail/vector_search_impl.hpp"
