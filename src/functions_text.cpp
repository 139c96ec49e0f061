// Compiled mode: the string, regular-expression and FORMAT functions.
#include "visiondb/functions/detail/encoding_impl.hpp"
#include "visiondb/functions/detail/format_impl.hpp"
#include "visiondb/functions/detail/regexp_impl.hpp"
#include "visiondb/functions/detail/split_impl.hpp"
#include "visiondb/functions/detail/string_edit_impl.hpp"
#include "visiondb/functions/detail/substring_impl.hpp"
