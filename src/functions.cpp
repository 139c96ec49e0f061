// Compiled mode: the functions module's out-of-line code.
#include "visiondb/functions/detail/cast_impl.hpp"
#include "visiondb/functions/detail/function_impl.hpp"
#include "visiondb/functions/detail/like_impl.hpp"
#include "visiondb/functions/detail/registry_impl.hpp"
#include "visiondb/functions/ml/detail/decode_image_impl.hpp"
#include "visiondb/functions/ml/detail/image_transforms_impl.hpp"
#include "visiondb/functions/ml/detail/image_value_impl.hpp"
