// Compiled mode: the api module's out-of-line code.
#include "visiondb/api/detail/query_result_impl.hpp"
#include "visiondb/api/detail/database_impl.hpp"
#include "visiondb/api/detail/statement_runner_impl.hpp"
