// Saving and loading a trained forest: a versioned, little-endian binary format (docs/ml.md).
// Loading checks every count, index and offset, so a truncated or corrupted model is an IoError
// naming its source, never a crash.
#pragma once

#include <string>
#include <string_view>

#include "visiondb/config.hpp"
#include "visiondb/ml/forest/forest.hpp"

namespace visiondb::ml {

/// The bytes of a forest (format "VDBFRST", version 1).
std::string serialize_forest(const Forest& forest);

/// A forest from bytes written by serialize_forest. Throws IoError(source, reason) when the bytes
/// are not a valid forest.
Forest deserialize_forest(std::string_view bytes, const std::string& source = "forest");

}  // namespace visiondb::ml

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/ml/forest/detail/serialize_impl.hpp"
#endif
