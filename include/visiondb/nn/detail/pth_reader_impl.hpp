// Out-of-line parts of pth_reader.hpp.
#pragma once

#include <algorithm>

#include "visiondb/common/error.hpp"
#include "visiondb/nn/detail/float_convert.hpp"
#include "visiondb/nn/detail/mapped_file.hpp"
#include "visiondb/nn/detail/pickle.hpp"
#include "visiondb/nn/detail/zip_reader.hpp"
#include "visiondb/nn/pth_reader.hpp"

namespace visiondb::nn {

namespace detail {

inline bool storage_type_of(const std::string& torch_name, StoredType* out) {
  static const std::pair<const char*, StoredType> kTypes[] = {
      {"FloatStorage", StoredType::F32}, {"HalfStorage", StoredType::F16},  {"BFloat16Storage", StoredType::BF16},
      {"DoubleStorage", StoredType::F64}, {"LongStorage", StoredType::I64}, {"IntStorage", StoredType::I32},
      {"ShortStorage", StoredType::I16}, {"CharStorage", StoredType::I8},   {"ByteStorage", StoredType::U8},
      {"BoolStorage", StoredType::Bool}};
  for (const auto& [name, type] : kTypes)
    if (torch_name == name) {
      *out = type;
      return true;
    }
  return false;
}

// Copies a strided view of a storage into a contiguous fp32 tensor, checking every bound first.
inline NamedTensor materialize_tensor(const std::string& path, const std::string& name, const PyValue& t,
                                      const ZipArchive& zip, const std::string& prefix, bool verify_crc) {
  const PyValue& st = *t.items[0];
  StoredType type;
  if (!storage_type_of(st.dtype, &type)) visiondb::detail::throw_io_error(path, "unknown storage type " + st.dtype);
  const ZipEntry* entry = zip.find(prefix + "data/" + st.s);
  if (!entry) {
    visiondb::detail::throw_io_error(path, "tensor \"" + name + "\": storage \"" + prefix + "data/" + st.s +
                                               "\" is missing from the archive");
  }
  const auto data = zip.data(*entry, verify_crc);
  const size_t elem = stored_type_size(type);
  if (st.i < 0 || static_cast<uint64_t>(st.i) > data.size() / elem) {
    visiondb::detail::throw_io_error(path, "tensor \"" + name + "\": its storage claims " + std::to_string(st.i) +
                                               " elements but holds " + std::to_string(data.size()) + " bytes");
  }
  const int64_t storage_numel = st.i;
  NamedTensor out;
  out.name = name;
  out.shape = t.shape;
  out.source_dtype = std::string(stored_type_name(type));
  int64_t numel;
  try {
    numel = shape_numel(t.shape);
  } catch (const visiondb::InvalidArgument& e) {
    visiondb::detail::throw_io_error(path, "tensor \"" + name + "\": " + e.message());
  }
  // The largest element the view touches must lie inside the storage.
  int64_t last = t.i;
  if (t.i < 0) visiondb::detail::throw_io_error(path, "tensor \"" + name + "\": negative storage offset");
  for (size_t d = 0; d < t.shape.size(); ++d) {
    if (t.stride[d] < 0) visiondb::detail::throw_io_error(path, "tensor \"" + name + "\": negative stride");
    if (t.shape[d] > 0) {
      if (t.stride[d] > 0 && t.shape[d] - 1 > (INT64_MAX - last) / t.stride[d]) {
        visiondb::detail::throw_io_error(path, "tensor \"" + name + "\": view overflows");
      }
      last += (t.shape[d] - 1) * t.stride[d];
    }
  }
  if (numel > 0 && last >= storage_numel) {
    visiondb::detail::throw_io_error(path, "tensor \"" + name + "\": its view (offset " + std::to_string(t.i) +
                                               ", shape " + format_shape(t.shape) + ") reaches past its storage of " +
                                               std::to_string(storage_numel) + " elements");
  }
  out.values.resize(static_cast<size_t>(numel));
  if (numel == 0) return out;
  // Contiguous row-major views are a straight conversion; others are gathered.
  bool contiguous = true;
  int64_t expect = 1;
  for (size_t d = t.shape.size(); d-- > 0;) {
    if (t.shape[d] != 1 && t.stride[d] != expect) contiguous = false;
    expect *= t.shape[d];
  }
  float* dst = out.values.data();
  if (contiguous) {
    if (type == StoredType::F32) {
      std::memcpy(dst, data.data() + static_cast<size_t>(t.i) * 4, static_cast<size_t>(numel) * 4);
    } else {
      for (int64_t k = 0; k < numel; ++k) dst[k] = load_stored_as_float(data.data(), type, static_cast<size_t>(t.i + k));
    }
    return out;
  }
  const size_t rank = t.shape.size();
  std::vector<int64_t> index(rank, 0);
  for (int64_t k = 0; k < numel; ++k) {
    int64_t at = t.i;
    for (size_t d = 0; d < rank; ++d) at += index[d] * t.stride[d];
    dst[k] = load_stored_as_float(data.data(), type, static_cast<size_t>(at));
    for (size_t d = rank; d-- > 0;) {
      if (++index[d] < t.shape[d]) break;
      index[d] = 0;
    }
  }
  return out;
}

inline bool holds_tensors(const PyValue& dict) {
  for (size_t i = 1; i < dict.items.size(); i += 2)
    if (dict.items[i]->kind == PyValue::Kind::Tensor) return true;
  return false;
}

// A training checkpoint's state_dict: the dict under "state_dict", "model" or "model_state_dict".
inline const PyValue* nested_state_dict(const PyValue& dict) {
  for (const char* key : {"state_dict", "model", "model_state_dict"})
    for (size_t i = 0; i + 1 < dict.items.size(); i += 2)
      if (dict.items[i]->kind == PyValue::Kind::String && dict.items[i]->s == key &&
          dict.items[i + 1]->kind == PyValue::Kind::Dict) {
        return dict.items[i + 1].get();
      }
  return &dict;
}

}  // namespace detail

VISIONDB_INLINE NamedTensors read_pth(std::span<const uint8_t> bytes, const std::string& name,
                                      const PthReadOptions& options) {
  using detail::PyValue;
  if (bytes.size() >= 2 && bytes[0] == 0x80 && bytes[1] <= 5) {
    visiondb::detail::throw_io_error(name,
                                     "this is the legacy (PyTorch < 1.6, non-zip) torch.save format, which visiondb "
                                     "does not read; re-save it with a recent PyTorch: "
                                     "torch.save(torch.load(old), new)");
  }
  if (bytes.size() < 4 || !(bytes[0] == 'P' && bytes[1] == 'K' && bytes[2] == 3 && bytes[3] == 4)) {
    visiondb::detail::throw_io_error(name, "not a torch.save checkpoint (a zip archive was expected)");
  }
  const detail::ZipArchive zip(bytes, name);
  const detail::ZipEntry* pkl = nullptr;
  for (const auto& e : zip.entries()) {
    const auto slash = e.name.find('/');
    if (slash != std::string::npos && e.name.compare(slash, std::string::npos, "/data.pkl") == 0) {
      pkl = &e;
      break;
    }
  }
  if (!pkl) visiondb::detail::throw_io_error(name, "no <archive>/data.pkl entry: not a torch.save checkpoint");
  const std::string prefix = pkl->name.substr(0, pkl->name.size() - std::string("data.pkl").size());
  const detail::PyRef root = detail::run_restricted_pickle(zip.data(*pkl, options.verify_crc), name);

  const PyValue* dict = root.get();
  if (dict->kind != PyValue::Kind::Dict) visiondb::detail::throw_io_error(name, "the checkpoint is not a dict of tensors");
  if (!detail::holds_tensors(*dict)) dict = detail::nested_state_dict(*dict);
  if (!detail::holds_tensors(*dict)) visiondb::detail::throw_io_error(name, "the checkpoint holds no tensors");
  bool all_module = true;
  for (size_t i = 0; i + 1 < dict->items.size(); i += 2) {
    if (dict->items[i + 1]->kind != PyValue::Kind::Tensor) continue;
    if (dict->items[i]->kind != PyValue::Kind::String) visiondb::detail::throw_io_error(name, "a tensor key is not a string");
    all_module = all_module && dict->items[i]->s.rfind("module.", 0) == 0;
  }
  NamedTensors out(name);
  for (size_t i = 0; i + 1 < dict->items.size(); i += 2) {
    const PyValue& v = *dict->items[i + 1];
    if (v.kind != PyValue::Kind::Tensor) continue;  // non-tensor entries of a checkpoint (epoch, ...)
    std::string key = dict->items[i]->s;
    if (all_module) key.erase(0, 7);
    out.add(detail::materialize_tensor(name, key, v, zip, prefix, options.verify_crc));
  }
  return out;
}

VISIONDB_INLINE NamedTensors read_pth(const std::string& path, const PthReadOptions& options) {
  const detail::MappedFile file(path);
  return read_pth(file.bytes(), path, options);
}

}  // namespace visiondb::nn
