// Compiled mode: the models of CREATE MODEL and the ML.* functions over them.
#include "visiondb/functions/ml/detail/model_types_impl.hpp"
