// Compiled mode: the common module's out-of-line code.
#include "visiondb/common/detail/error_impl.hpp"
