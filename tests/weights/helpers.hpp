// Helpers of the weights tests: a scratch directory, a stored-zip writer and a pickle builder that
// writes what torch.save writes (so that tests can make checkpoints of any size, or hostile ones).
#pragma once

#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <tuple>
#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "visiondb/common/checksum.hpp"

namespace visiondb::test {

inline std::string weights_fixture_dir() { return std::string(VISIONDB_SOURCE_DIR) + "/tests/data/weights"; }

/// A fresh directory under the build tree, removed at destruction.
class ScratchDir {
 public:
  explicit ScratchDir(const std::string& tag) {
    path_ = std::string(VISIONDB_BINARY_DIR) + "/test_scratch/" + tag + "." + std::to_string(::getpid());
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~ScratchDir() { std::filesystem::remove_all(path_); }
  std::string file(const std::string& name) const { return path_ + "/" + name; }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

inline std::vector<uint8_t> read_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return std::vector<uint8_t>((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
}
inline void write_file(const std::string& path, const std::vector<uint8_t>& bytes) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}
inline nlohmann::json read_json_file(const std::string& path) {
  std::ifstream f(path);
  return nlohmann::json::parse(f);
}

inline void put_le(std::vector<uint8_t>& out, uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}

/// A zip archive of stored (uncompressed) entries.
inline std::vector<uint8_t> make_stored_zip(const std::vector<std::pair<std::string, std::vector<uint8_t>>>& entries) {
  std::vector<uint8_t> out, dir;
  for (const auto& [name, data] : entries) {
    const uint32_t crc = visiondb::crc32(data.data(), data.size());
    const uint64_t offset = out.size();
    put_le(out, 0x04034b50, 4);
    put_le(out, 20, 2), put_le(out, 0, 2), put_le(out, 0, 2), put_le(out, 0, 2), put_le(out, 0, 2);
    put_le(out, crc, 4), put_le(out, data.size(), 4), put_le(out, data.size(), 4);
    put_le(out, name.size(), 2), put_le(out, 0, 2);
    out.insert(out.end(), name.begin(), name.end());
    out.insert(out.end(), data.begin(), data.end());
    put_le(dir, 0x02014b50, 4);
    put_le(dir, 20, 2), put_le(dir, 20, 2), put_le(dir, 0, 2), put_le(dir, 0, 2), put_le(dir, 0, 2), put_le(dir, 0, 2);
    put_le(dir, crc, 4), put_le(dir, data.size(), 4), put_le(dir, data.size(), 4);
    put_le(dir, name.size(), 2), put_le(dir, 0, 2), put_le(dir, 0, 2), put_le(dir, 0, 2), put_le(dir, 0, 2);
    put_le(dir, 0, 4), put_le(dir, offset, 4);
    dir.insert(dir.end(), name.begin(), name.end());
  }
  const uint64_t dir_offset = out.size();
  out.insert(out.end(), dir.begin(), dir.end());
  put_le(out, 0x06054b50, 4);
  put_le(out, 0, 2), put_le(out, 0, 2), put_le(out, entries.size(), 2), put_le(out, entries.size(), 2);
  put_le(out, dir.size(), 4), put_le(out, dir_offset, 4), put_le(out, 0, 2);
  return out;
}

/// Writes pickle opcodes the way torch.save does (protocol 2).
class PickleBuilder {
 public:
  PickleBuilder() { op(0x80), op(2); }
  PickleBuilder& op(uint8_t b) {
    bytes_.push_back(b);
    return *this;
  }
  PickleBuilder& global(const std::string& module, const std::string& name) {
    op('c');
    for (char c : module + "\n" + name + "\n") bytes_.push_back(static_cast<uint8_t>(c));
    return *this;
  }
  PickleBuilder& str(const std::string& s) {
    op('X');
    put_le(bytes_, s.size(), 4);
    bytes_.insert(bytes_.end(), s.begin(), s.end());
    return *this;
  }
  PickleBuilder& integer(int64_t v) {
    if (v >= 0 && v < 256) return op('K').op(static_cast<uint8_t>(v));
    op('J');
    put_le(bytes_, static_cast<uint64_t>(v), 4);
    return *this;
  }
  PickleBuilder& int_tuple(const std::vector<int64_t>& v) {
    op('(');
    for (int64_t x : v) integer(x);
    return op('t');
  }
  /// key: _rebuild_tensor_v2(persistent storage, offset, size, stride, False, OrderedDict()).
  PickleBuilder& tensor_item(const std::string& key, const std::string& storage_type, const std::string& storage_key,
                             int64_t numel, int64_t offset, const std::vector<int64_t>& shape,
                             const std::vector<int64_t>& stride) {
    str(key);
    global("torch._utils", "_rebuild_tensor_v2");
    op('(');
    op('(').str("storage").global("torch", storage_type).str(storage_key).str("cpu").integer(numel).op('t').op('Q');
    integer(offset).int_tuple(shape).int_tuple(stride).op(0x89);
    global("collections", "OrderedDict").op(')').op('R');
    return op('t').op('R');
  }
  std::vector<uint8_t> finish() {
    op('.');
    return bytes_;
  }

 private:
  std::vector<uint8_t> bytes_;
};

/// A torch.save-style .pth of contiguous fp32 tensors, one storage each.
inline std::vector<uint8_t> make_pth(const std::string& archive,
                                     const std::vector<std::tuple<std::string, std::vector<int64_t>, std::vector<float>>>& tensors) {
  PickleBuilder p;
  p.global("collections", "OrderedDict").op(')').op('R').op('(');
  std::vector<std::pair<std::string, std::vector<uint8_t>>> entries;
  entries.push_back({archive + "/data.pkl", {}});
  for (size_t i = 0; i < tensors.size(); ++i) {
    const auto& [name, shape, values] = tensors[i];
    std::vector<int64_t> stride(shape.size(), 1);
    for (size_t d = shape.size(); d-- > 1;) stride[d - 1] = stride[d] * shape[d];
    p.tensor_item(name, "FloatStorage", std::to_string(i), static_cast<int64_t>(values.size()), 0, shape, stride);
    std::vector<uint8_t> raw(values.size() * 4);
    std::memcpy(raw.data(), values.data(), raw.size());
    entries.push_back({archive + "/data/" + std::to_string(i), std::move(raw)});
  }
  p.op('u');
  entries[0].second = p.finish();
  entries.push_back({archive + "/version", {'3', '\n'}});
  return make_stored_zip(entries);
}

/// A .safetensors file of fp32 tensors.
inline std::vector<uint8_t> make_safetensors(
    const std::vector<std::tuple<std::string, std::vector<int64_t>, std::vector<float>>>& tensors) {
  nlohmann::ordered_json header;
  uint64_t offset = 0;
  for (const auto& [name, shape, values] : tensors) {
    header[name] = {{"dtype", "F32"}, {"shape", shape}, {"data_offsets", {offset, offset + values.size() * 4}}};
    offset += values.size() * 4;
  }
  std::string h = header.dump();
  while (h.size() % 8) h += ' ';
  std::vector<uint8_t> out;
  put_le(out, h.size(), 8);
  out.insert(out.end(), h.begin(), h.end());
  for (const auto& [name, shape, values] : tensors) {
    const auto* p = reinterpret_cast<const uint8_t*>(values.data());
    out.insert(out.end(), p, p + values.size() * 4);
  }
  return out;
}

}  // namespace visiondb::test
