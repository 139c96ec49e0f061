// Compiled mode: the numeric, conditional and random functions, the statistical and approximate aggregates.
#include "visiondb/functions/detail/approx_impl.hpp"
#include "visiondb/functions/detail/conditional_impl.hpp"
#include "visiondb/functions/detail/math_impl.hpp"
#include "visiondb/functions/detail/random_impl.hpp"
#include "visiondb/functions/detail/statistics_impl.hpp"
