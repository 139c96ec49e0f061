// Out-of-line parts of safetensors_reader.hpp.
#pragma once

#include <algorithm>
#include <cstring>

#include <nlohmann/json.hpp>

#include "visiondb/common/error.hpp"
#include "visiondb/nn/detail/float_convert.hpp"
#include "visiondb/nn/detail/mapped_file.hpp"
#include "visiondb/nn/safetensors_reader.hpp"

namespace visiondb::nn {

namespace detail {

inline nlohmann::json parse_safetensors_header(std::span<const uint8_t> bytes, const std::string& name,
                                               uint64_t* data_start) {
  if (bytes.size() < 8) visiondb::detail::throw_io_error(name, "too short for a safetensors header (truncated?)");
  uint64_t header_len = 0;
  for (int i = 0; i < 8; ++i) header_len |= uint64_t{bytes[i]} << (8 * i);
  if (header_len > bytes.size() - 8) {
    visiondb::detail::throw_io_error(name, "the safetensors header claims " + std::to_string(header_len) +
                                               " bytes, more than the file holds (not a safetensors file, or truncated)");
  }
  if (header_len > (uint64_t{100} << 20)) visiondb::detail::throw_io_error(name, "safetensors header over 100 MB");
  *data_start = 8 + header_len;
  try {
    auto j = nlohmann::json::parse(bytes.begin() + 8, bytes.begin() + 8 + static_cast<std::ptrdiff_t>(header_len));
    if (!j.is_object()) visiondb::detail::throw_io_error(name, "the safetensors header is not a JSON object");
    return j;
  } catch (const nlohmann::json::exception& e) {
    visiondb::detail::throw_io_error(name, std::string("the safetensors header is not valid JSON: ") + e.what());
  }
}

inline bool safetensors_dtype(const std::string& s, StoredType* out) {
  static const std::pair<const char*, StoredType> kTypes[] = {
      {"F32", StoredType::F32}, {"F16", StoredType::F16}, {"BF16", StoredType::BF16}, {"F64", StoredType::F64},
      {"I64", StoredType::I64}, {"I32", StoredType::I32}, {"I16", StoredType::I16},   {"I8", StoredType::I8},
      {"U8", StoredType::U8},   {"BOOL", StoredType::Bool}};
  for (const auto& [n, t] : kTypes)
    if (s == n) {
      *out = t;
      return true;
    }
  return false;
}

}  // namespace detail

VISIONDB_INLINE NamedTensors read_safetensors(std::span<const uint8_t> bytes, const std::string& name) {
  uint64_t data_start = 0;
  const nlohmann::json header = detail::parse_safetensors_header(bytes, name, &data_start);
  const uint64_t data_size = bytes.size() - data_start;
  struct Entry {
    std::string name;
    detail::StoredType type;
    std::vector<int64_t> shape;
    uint64_t begin, end;
  };
  std::vector<Entry> entries;
  for (const auto& [key, v] : header.items()) {
    if (key == "__metadata__") continue;
    auto bad = [&](const std::string& why) { visiondb::detail::throw_io_error(name, "tensor \"" + key + "\": " + why); };
    if (!v.is_object() || !v.contains("dtype") || !v.contains("shape") || !v.contains("data_offsets")) {
      bad("needs dtype, shape and data_offsets");
    }
    Entry e;
    e.name = key;
    if (!v["dtype"].is_string() || !detail::safetensors_dtype(v["dtype"].get<std::string>(), &e.type)) {
      bad("unsupported dtype " + v["dtype"].dump());
    }
    if (!v["shape"].is_array()) bad("shape is not an array");
    for (const auto& d : v["shape"]) {
      if (!d.is_number_integer() || d.get<int64_t>() < 0) bad("shape holds a non-integer or negative dimension");
      e.shape.push_back(d.get<int64_t>());
    }
    const auto& off = v["data_offsets"];
    if (!off.is_array() || off.size() != 2 || !off[0].is_number_unsigned() || !off[1].is_number_unsigned()) {
      bad("data_offsets must be two non-negative integers");
    }
    e.begin = off[0].get<uint64_t>();
    e.end = off[1].get<uint64_t>();
    if (e.begin > e.end || e.end > data_size) {
      bad("data [" + std::to_string(e.begin) + ", " + std::to_string(e.end) + ") lies outside the " +
          std::to_string(data_size) + " data bytes (truncated file?)");
    }
    int64_t numel = 0;
    try {
      numel = shape_numel(e.shape);
    } catch (const visiondb::InvalidArgument& ex) {
      bad(ex.message());
    }
    if (e.end - e.begin != static_cast<uint64_t>(numel) * detail::stored_type_size(e.type)) {
      bad("holds " + std::to_string(e.end - e.begin) + " bytes, its shape " + format_shape(e.shape) + " needs " +
          std::to_string(static_cast<uint64_t>(numel) * detail::stored_type_size(e.type)));
    }
    entries.push_back(std::move(e));
  }
  std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) { return a.begin < b.begin; });
  NamedTensors out(name);
  const uint8_t* data = bytes.data() + data_start;
  for (auto& e : entries) {
    NamedTensor t;
    t.name = e.name;
    t.shape = e.shape;
    t.source_dtype = std::string(detail::stored_type_name(e.type));
    const size_t numel = static_cast<size_t>(shape_numel(e.shape));
    t.values.resize(numel);
    const uint8_t* src = data + e.begin;
    if (e.type == detail::StoredType::F32) {
      if (numel) std::memcpy(t.values.data(), src, numel * 4);
    } else {
      for (size_t k = 0; k < numel; ++k) t.values[k] = detail::load_stored_as_float(src, e.type, k);
    }
    out.add(std::move(t));
  }
  return out;
}

VISIONDB_INLINE NamedTensors read_safetensors(const std::string& path) {
  const detail::MappedFile file(path);
  return read_safetensors(file.bytes(), path);
}

VISIONDB_INLINE std::map<std::string, std::string> read_safetensors_metadata(std::span<const uint8_t> bytes,
                                                                             const std::string& name) {
  uint64_t data_start = 0;
  const nlohmann::json header = detail::parse_safetensors_header(bytes, name, &data_start);
  std::map<std::string, std::string> out;
  if (header.contains("__metadata__") && header["__metadata__"].is_object()) {
    for (const auto& [k, v] : header["__metadata__"].items())
      if (v.is_string()) out[k] = v.get<std::string>();
  }
  return out;
}

}  // namespace visiondb::nn
