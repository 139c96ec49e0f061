// A restricted pickle machine: it understands the opcodes torch.save uses for a state_dict and
// builds plain values from them. It never imports or calls anything: a GLOBAL is accepted only
// from a short whitelist (OrderedDict, torch's tensor rebuild functions, torch's storage types),
// and REDUCE/BUILD only on those; anything else is refused with an error naming the global.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace visiondb::nn::detail {

struct PyValue;
using PyRef = std::shared_ptr<PyValue>;

/// A value the restricted machine can build.
struct PyValue {
  enum class Kind { None, Bool, Int, Float, String, Bytes, Tuple, List, Dict, Global, Storage, Tensor };
  Kind kind = Kind::None;
  int64_t i = 0;    // Bool, Int; Tensor: storage offset; Storage: element count
  double f = 0;     // Float
  std::string s;    // String, Bytes, Global ("module.name"); Storage: its key (the data/<key> entry)
  std::string dtype;                 // Storage: torch's storage type name ("FloatStorage", ...)
  std::vector<PyRef> items;          // Tuple, List; Dict: key, value, key, value, ...; Tensor: [storage]
  std::vector<int64_t> shape, stride;  // Tensor
};

/// Runs the pickle program in `bytes` and returns the object it stops with. Throws IoError
/// naming `path` for a refused global or callable, an unsupported opcode, or a malformed stream
/// (each with its byte offset in the pickle).
PyRef run_restricted_pickle(std::span<const uint8_t> bytes, const std::string& path);

}  // namespace visiondb::nn::detail

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/nn/detail/pickle_impl.hpp"
#endif
