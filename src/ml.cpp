// Compiled mode: the ml module's out-of-line code.
#include "visiondb/ml/forest/detail/params_impl.hpp"
#include "visiondb/ml/forest/detail/dataset_impl.hpp"
#include "visiondb/ml/forest/detail/binning_impl.hpp"
#include "visiondb/ml/forest/detail/forest_impl.hpp"
#include "visiondb/ml/forest/detail/trainer_impl.hpp"
#include "visiondb/ml/forest/detail/serialize_impl.hpp"
