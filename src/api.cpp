// Compiled mode: the api module's out-of-line code.
#include "visiondb/api/detail/query_result_impl.hpp"
