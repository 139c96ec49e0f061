// SPLIT(value[, delimiter]): an ARRAY of the pieces between delimiters (',' by default), as
// BigQuery does it (ZetaSQL's SplitUtf8 / SplitBytes): an empty value gives [''], an empty
// delimiter splits a STRING into its characters and BYTES into single bytes. The pieces are
// copied straight from the input into the result's child column, no per-row allocation.
#pragma once

#include "visiondb/functions/function.hpp"

namespace visiondb::fn {

struct SplitFunction {
  static constexpr std::string_view name = "split",
                                    doc = "SPLIT(value[, delimiter]): ARRAY of the parts between delimiters (default ',')";
  static FunctionSet overloads();
};

}  // namespace visiondb::fn

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/functions/detail/split_impl.hpp"
#endif
