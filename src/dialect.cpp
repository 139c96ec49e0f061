// Compiled mode: the BigQuery dialect's out-of-line code (nested values, UNNEST, window
// functions, SQL functions).
#include "visiondb/execution/detail/nested_expression_impl.hpp"
#include "visiondb/functions/detail/array_impl.hpp"
#include "visiondb/sql/detail/logical_unnest_impl.hpp"
#include "visiondb/execution/detail/unnest_impl.hpp"
#include "visiondb/sql/detail/bound_window_impl.hpp"
#include "visiondb/sql/detail/logical_window_impl.hpp"
#include "visiondb/execution/detail/window_impl.hpp"
#include "visiondb/sql/detail/sql_function_impl.hpp"
#include "visiondb/execution/detail/window_top_k_impl.hpp"
