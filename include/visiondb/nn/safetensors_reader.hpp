// Reading .safetensors files (an 8-byte little-endian header length, a JSON header naming each
// tensor's dtype, shape and data offsets, then the data): F32, F16, BF16 and F64 become fp32.
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <string>

#include "visiondb/nn/named_tensors.hpp"

namespace visiondb::nn {

/// The tensors of a .safetensors file, fp32, in the order of their data offsets. Throws IoError
/// naming the file for a malformed header, an unsupported dtype, or data out of bounds (truncated).
NamedTensors read_safetensors(const std::string& path);

/// The same from bytes in memory; `name` is used in errors.
NamedTensors read_safetensors(std::span<const uint8_t> bytes, const std::string& name);

/// The "__metadata__" string map of a .safetensors header (empty when absent).
std::map<std::string, std::string> read_safetensors_metadata(std::span<const uint8_t> bytes, const std::string& name);

}  // namespace visiondb::nn

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/nn/detail/safetensors_reader_impl.hpp"
#endif
