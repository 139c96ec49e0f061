// Out-of-line parts of function.hpp.
#pragma once

#include "visiondb/config.hpp"
#include "visiondb/functions/function.hpp"

namespace visiondb::fn::detail {

VISIONDB_INLINE void throw_execution_error(std::string message) {
  throw SqlError(ErrorKind::Execution, std::move(message));
}

}  // namespace visiondb::fn::detail
