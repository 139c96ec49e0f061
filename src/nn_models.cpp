// Compiled mode: the models module's out-of-line code (ResNet-50, Inception-v3, the zoo).
#include "visiondb/models/detail/inception_v3_impl.hpp"
#include "visiondb/models/detail/network_impl.hpp"
#include "visiondb/models/detail/resnet50_impl.hpp"
#include "visiondb/models/detail/zoo_impl.hpp"
