// Compiled mode: the binder, logical plan and planner's out-of-line code.
#include "visiondb/sql/detail/bound_expression_impl.hpp"
#include "visiondb/sql/detail/logical_plan_impl.hpp"
#include "visiondb/sql/detail/planner_impl.hpp"
#include "visiondb/sql/detail/binder_impl.hpp"
