// Compiled mode: the models of CREATE MODEL and the ML.* functions over them.
#include "visiondb/functions/ml/detail/model_types_impl.hpp"
#include "visiondb/functions/ml/detail/cnn_model_impl.hpp"
#include "visiondb/functions/ml/detail/cnn_predict_impl.hpp"
