// Reading PyTorch checkpoints written by torch.save (>= 1.6's zip format: <name>/data.pkl plus
// <name>/data/<key> storages) without Python: a zip reader for stored entries and a restricted
// pickle machine that accepts a state_dict of tensors and refuses everything else, unexecuted.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "visiondb/nn/named_tensors.hpp"

namespace visiondb::nn {

struct PthReadOptions {
  /// Check each storage's CRC-32 from the zip directory.
  bool verify_crc = true;
};

/// The tensors of a torch.save'd state_dict, converted to fp32 and made contiguous (row-major),
/// in file order. A checkpoint dict holding the state_dict under "state_dict", "model" or
/// "model_state_dict" is accepted too, and a "module." prefix on every name (DataParallel) is
/// removed. Throws IoError naming the file: not a zip (the legacy pre-1.6 format is named),
/// a refused pickle global (named), a storage out of bounds, a corrupt or truncated archive.
NamedTensors read_pth(const std::string& path, const PthReadOptions& options = {});

/// The same from bytes in memory; `name` is used in errors.
NamedTensors read_pth(std::span<const uint8_t> bytes, const std::string& name, const PthReadOptions& options = {});

}  // namespace visiondb::nn

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/nn/detail/pth_reader_impl.hpp"
#endif
