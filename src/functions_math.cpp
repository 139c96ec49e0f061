// Compiled mode: the numeric, conditional and random functions.
#include "visiondb/functions/detail/conditional_impl.hpp"
#include "visiondb/functions/detail/math_impl.hpp"
#include "visiondb/functions/detail/random_impl.hpp"
