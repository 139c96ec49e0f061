// Compiled mode: the date and time functions and time zones.
#include "visiondb/functions/detail/time_format_impl.hpp"
#include "visiondb/functions/detail/time_impl.hpp"
#include "visiondb/functions/detail/time_zone_impl.hpp"
