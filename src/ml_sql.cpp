// Compiled mode: the models of CREATE MODEL and the ML.* functions over them.
#include "visiondb/functions/ml/detail/model_types_impl.hpp"
#include "visiondb/functions/ml/detail/cnn_model_impl.hpp"
#include "visiondb/functions/ml/detail/cnn_predict_impl.hpp"
#include "visiondb/functions/ml/detail/forest_options_impl.hpp"
#include "visiondb/functions/ml/detail/data_split_impl.hpp"
#include "visiondb/functions/ml/detail/forest_data_impl.hpp"
#include "visiondb/functions/ml/detail/forest_model_impl.hpp"
#include "visiondb/functions/ml/detail/forest_functions_impl.hpp"
