// Out-of-line parts of weights_file.hpp.
#pragma once

#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <memory>

#include <nlohmann/json.hpp>

#include "visiondb/common/assert.hpp"
#include "visiondb/common/checksum.hpp"
#include "visiondb/common/error.hpp"
#include "visiondb/common/parallel.hpp"
#include "visiondb/config.hpp"
#include "visiondb/nn/named_tensors.hpp"
#include "visiondb/nn/weights_file.hpp"

namespace visiondb::nn {

namespace detail {

inline constexpr uint64_t kWeightsHeaderSize = 64;
inline constexpr uint8_t kWeightsDtypeF32 = 1;

inline uint64_t align_up(uint64_t v, uint64_t a) { return (v + a - 1) / a * a; }

inline void put_u32(std::string& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out += static_cast<char>((v >> (8 * i)) & 0xFF);
}
inline void put_u64(std::string& out, uint64_t v) {
  for (int i = 0; i < 8; ++i) out += static_cast<char>((v >> (8 * i)) & 0xFF);
}
inline uint32_t get_u32(const uint8_t* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}
inline uint64_t get_u64(const uint8_t* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}

// A float as the shortest decimal that reads back as the same float (0.485f -> 0.485).
inline double float_to_json_number(float f) {
  char buf[32];
  auto res = std::to_chars(buf, buf + sizeof buf, f);
  double d = 0;
  std::from_chars(buf, res.ptr, d);
  return d;
}

// XXH64 of header bytes [0, 56) followed by the metadata and the table.
inline uint64_t weights_header_checksum(const uint8_t* header, const uint8_t* meta_and_table, size_t size) {
  std::string joined(reinterpret_cast<const char*>(header), 56);
  joined.append(reinterpret_cast<const char*>(meta_and_table), size);
  return xxhash64(joined.data(), joined.size());
}

}  // namespace detail

VISIONDB_INLINE WeightsMetadata WeightsMetadata::for_architecture(std::string_view architecture) {
  WeightsMetadata m;
  m.architecture = std::string(architecture);
  if (architecture == "resnet50") {
    m.input_height = m.input_width = 224;
    m.resize_size = 256;
  } else if (architecture == "inception_v3") {
    m.input_height = m.input_width = 299;
    m.resize_size = 342;
    m.transform_input = true;  // torchvision sets it for its ImageNet weights
  } else {
    visiondb::detail::throw_invalid_argument("unknown architecture \"" + std::string(architecture) +
                                             "\" (expected resnet50 or inception_v3)");
  }
  m.converter_version = VISIONDB_VERSION_STRING;
  return m;
}

VISIONDB_INLINE std::string WeightsMetadata::to_json() const {
  nlohmann::ordered_json j;
  j["format"] = "visiondb-weights";
  j["format_version"] = kWeightsVersion;
  j["architecture"] = architecture;
  j["input_size"] = {3, input_height, input_width};
  j["resize_size"] = resize_size;
  j["mean"] = {detail::float_to_json_number(mean[0]), detail::float_to_json_number(mean[1]),
               detail::float_to_json_number(mean[2])};
  j["std"] = {detail::float_to_json_number(std[0]), detail::float_to_json_number(std[1]),
              detail::float_to_json_number(std[2])};
  j["transform_input"] = transform_input;
  j["num_classes"] = num_classes;
  if (!labels.empty()) j["labels"] = labels;
  j["source"] = {{"file", source_file}, {"sha256", source_sha256}, {"format", source_format}};
  j["converter"] = {{"name", "visiondb-convert"}, {"version", converter_version}};
  // Invalid UTF-8 in a label (a labels file in another encoding) becomes U+FFFD, not an exception.
  return j.dump(1, ' ', false, nlohmann::json::error_handler_t::replace);
}

VISIONDB_INLINE WeightsMetadata WeightsMetadata::from_json(std::string_view text) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    visiondb::detail::throw_invalid_argument(std::string("metadata is not valid JSON: ") + e.what());
  }
  auto field = [&](const char* name) -> const nlohmann::json& {
    if (!j.is_object() || !j.contains(name)) visiondb::detail::throw_invalid_argument(std::string("metadata lacks \"") + name + "\"");
    return j[name];
  };
  WeightsMetadata m;
  try {
    m.architecture = field("architecture").get<std::string>();
    const auto& in = field("input_size");
    if (!in.is_array() || in.size() != 3 || in[0].get<int>() != 3) {
      visiondb::detail::throw_invalid_argument("metadata \"input_size\" must be [3, height, width]");
    }
    m.input_height = in[1].get<int>();
    m.input_width = in[2].get<int>();
    m.resize_size = field("resize_size").get<int>();
    for (int c = 0; c < 3; ++c) {
      m.mean[c] = field("mean").at(c).get<float>();
      m.std[c] = field("std").at(c).get<float>();
    }
    m.num_classes = field("num_classes").get<int>();
    if (j.contains("transform_input")) m.transform_input = j["transform_input"].get<bool>();
    if (j.contains("labels")) m.labels = j["labels"].get<std::vector<std::string>>();
    if (j.contains("source")) {
      const auto& s = j["source"];
      m.source_file = s.value("file", "");
      m.source_sha256 = s.value("sha256", "");
      m.source_format = s.value("format", "");
    }
    if (j.contains("converter")) m.converter_version = j["converter"].value("version", "");
  } catch (const nlohmann::json::exception& e) {
    visiondb::detail::throw_invalid_argument(std::string("metadata has a field of the wrong type: ") + e.what());
  }
  if (!m.labels.empty() && static_cast<int>(m.labels.size()) != m.num_classes) {
    visiondb::detail::throw_invalid_argument("metadata has " + std::to_string(m.labels.size()) + " labels for " +
                                             std::to_string(m.num_classes) + " classes");
  }
  return m;
}

VISIONDB_INLINE WeightsFile::WeightsFile(const std::string& path, const WeightsOpenOptions& options)
    : file_(path, options.verify_checksums) {
  const auto bytes = file_.bytes();
  const uint8_t* b = bytes.data();
  const uint64_t n = bytes.size();
  auto fail = [&](const std::string& why) { visiondb::detail::throw_io_error(path, why); };
  if (n >= 2 && b[0] == 'P' && b[1] == 'K') fail("this is a zip (.pth) checkpoint, not a converted weights file: convert it with visiondb-convert");
  if (n < detail::kWeightsHeaderSize) {
    if (n >= 8 && std::memcmp(b, kWeightsMagic, 8) == 0) fail("truncated: " + std::to_string(n) + " bytes, shorter than the 64-byte header");
    fail("not a visiondb weights file (too short)");
  }
  if (std::memcmp(b, kWeightsMagic, 8) != 0) fail("not a visiondb weights file (bad magic bytes)");
  const uint32_t version = detail::get_u32(b + 8);
  if (version != kWeightsVersion) {
    fail("format version " + std::to_string(version) + " is not supported (this build reads version " +
         std::to_string(kWeightsVersion) + ")");
  }
  const uint64_t header_size = detail::get_u32(b + 12), file_size = detail::get_u64(b + 16);
  const uint64_t meta_off = detail::get_u64(b + 24), meta_size = detail::get_u64(b + 32);
  const uint64_t table_off = detail::get_u64(b + 40), table_size = detail::get_u64(b + 48);
  if (file_size != n) {
    fail(n < file_size ? "truncated: the header says " + std::to_string(file_size) + " bytes, the file has " +
                             std::to_string(n)
                       : "the file has " + std::to_string(n - file_size) + " bytes past its end (" +
                             std::to_string(file_size) + ")");
  }
  if (header_size != detail::kWeightsHeaderSize || meta_off != detail::kWeightsHeaderSize || meta_size > n ||
      table_off != meta_off + meta_size || table_size > n - table_off || table_size < 8) {
    fail("corrupt header: metadata/table ranges do not fit the file");
  }
  if (detail::weights_header_checksum(b, b + meta_off, meta_size + table_size) != detail::get_u64(b + 56)) {
    fail("corrupt header: its checksum does not match the metadata and tensor table");
  }
  metadata_json_.assign(reinterpret_cast<const char*>(b + meta_off), meta_size);
  try {
    metadata_ = WeightsMetadata::from_json(metadata_json_);
  } catch (const visiondb::InvalidArgument& e) {
    fail("bad metadata: " + e.message());
  }
  // The tensor table.
  const uint8_t* t = b + table_off;
  const uint8_t* t_end = t + table_size;
  auto need = [&](uint64_t k, const char* what) {
    if (static_cast<uint64_t>(t_end - t) < k) fail(std::string("corrupt tensor table: ") + what + " runs past its end");
  };
  need(8, "the count");
  const uint32_t count = detail::get_u32(t);
  t += 8;
  if (count > table_size / 16) fail("corrupt tensor table: implausible tensor count " + std::to_string(count));
  const uint64_t data_begin = table_off + table_size;
  uint64_t previous_end = data_begin;
  infos_.reserve(count);
  for (uint32_t i = 0; i < count; ++i) {
    need(4, "a name length");
    const uint32_t name_len = detail::get_u32(t);
    t += 4;
    need(name_len, "a name");
    WeightsTensorInfo info;
    info.name.assign(reinterpret_cast<const char*>(t), name_len);
    t += name_len;
    need(4, "a dtype");
    const uint8_t dtype = t[0], ndim = t[1];
    t += 4;
    if (dtype != detail::kWeightsDtypeF32) fail("tensor \"" + info.name + "\": unknown dtype code " + std::to_string(dtype));
    if (ndim > 8) fail("tensor \"" + info.name + "\": " + std::to_string(ndim) + " dimensions");
    need(8u * ndim + 24, "a shape");
    for (uint8_t d = 0; d < ndim; ++d, t += 8) info.shape.push_back(static_cast<int64_t>(detail::get_u64(t)));
    info.offset = detail::get_u64(t);
    info.bytes = detail::get_u64(t + 8);
    info.xxh64 = detail::get_u64(t + 16);
    t += 24;
    int64_t numel = 0;
    try {
      numel = shape_numel(info.shape);
    } catch (const visiondb::InvalidArgument& e) {
      fail("tensor \"" + info.name + "\": " + e.message());
    }
    if (info.bytes != static_cast<uint64_t>(numel) * 4) {
      fail("tensor \"" + info.name + "\": " + std::to_string(info.bytes) + " bytes for shape " + format_shape(info.shape));
    }
    if (info.offset % kWeightsAlignment != 0 || info.offset < previous_end || info.offset > n ||
        info.bytes > n - info.offset) {
      fail("tensor \"" + info.name + "\": data at " + std::to_string(info.offset) + " (+" + std::to_string(info.bytes) +
           ") is misaligned, overlapping or outside the file");
    }
    previous_end = info.offset + info.bytes;
    if (!index_.emplace(info.name, infos_.size()).second) fail("tensor \"" + info.name + "\" appears twice");
    infos_.push_back(std::move(info));
  }
  if (t != t_end) fail("corrupt tensor table: " + std::to_string(t_end - t) + " unexplained bytes");
  if (options.verify_checksums) verify_checksums();
}

VISIONDB_INLINE void WeightsFile::verify_checksums() const {
  std::vector<uint8_t> bad(infos_.size(), 0);
  const uint8_t* b = file_.bytes().data();
  parallel_for_each_index(0, infos_.size(), [&](size_t i) {
    const auto& info = infos_[i];
    bad[i] = xxhash64(b + info.offset, info.bytes) != info.xxh64;
  });
  for (size_t i = 0; i < infos_.size(); ++i)
    if (bad[i]) visiondb::detail::throw_io_error(file_.path(), "tensor \"" + infos_[i].name + "\" fails its checksum (corrupt file)");
}

VISIONDB_INLINE const WeightsTensorInfo* WeightsFile::find(std::string_view name) const {
  auto it = index_.find(std::string(name));
  return it == index_.end() ? nullptr : &infos_[it->second];
}

VISIONDB_INLINE std::span<const float> WeightsFile::data(std::string_view name) const {
  const WeightsTensorInfo* info = find(name);
  if (!info) throw_missing_tensor(name, origin());
  // Offsets are multiples of 64 in a page-aligned mapping: the floats are aligned.
  return {reinterpret_cast<const float*>(file_.bytes().data() + info->offset), static_cast<size_t>(info->bytes / 4)};
}

VISIONDB_INLINE std::span<const float> WeightsFile::tensor(std::string_view name, std::span<const int64_t> shape) const {
  const WeightsTensorInfo* info = find(name);
  if (!info) throw_missing_tensor(name, origin());
  check_tensor_shape(name, shape, info->shape);
  return data(name);
}

VISIONDB_INLINE std::vector<std::string> WeightsFile::names() const {
  std::vector<std::string> out;
  out.reserve(infos_.size());
  for (const auto& i : infos_) out.push_back(i.name);
  return out;
}

VISIONDB_INLINE void write_weights_file(const std::string& path, const WeightsMetadata& metadata,
                                        std::span<const WeightsTensorToWrite> tensors) {
  // Validate everything before touching the disk.
  std::unordered_map<std::string_view, int> seen;
  for (const auto& t : tensors) {
    if (!seen.emplace(t.name, 0).second) visiondb::detail::throw_invalid_argument("duplicate tensor \"" + t.name + "\"");
    if (t.shape.size() > 8) visiondb::detail::throw_invalid_argument("tensor \"" + t.name + "\" has more than 8 dimensions");
    if (static_cast<int64_t>(t.values.size()) != shape_numel(t.shape)) {
      visiondb::detail::throw_invalid_argument("tensor \"" + t.name + "\" holds " + std::to_string(t.values.size()) +
                                               " values for shape " + format_shape(t.shape));
    }
  }
  const std::string meta = metadata.to_json();
  std::string table;
  detail::put_u32(table, static_cast<uint32_t>(tensors.size()));
  detail::put_u32(table, 0);
  // Offsets depend on the table's size, which does not depend on them: size it first.
  uint64_t table_size = 8;
  for (const auto& t : tensors) table_size += 4 + t.name.size() + 4 + 8 * t.shape.size() + 24;
  const uint64_t data_begin = detail::kWeightsHeaderSize + meta.size() + table_size;
  uint64_t cursor = data_begin;
  std::vector<uint64_t> offsets;
  for (const auto& t : tensors) {
    const uint64_t offset = detail::align_up(cursor, kWeightsAlignment);
    offsets.push_back(offset);
    const uint64_t bytes = t.values.size() * 4;
    detail::put_u32(table, static_cast<uint32_t>(t.name.size()));
    table += t.name;
    table += static_cast<char>(detail::kWeightsDtypeF32);
    table += static_cast<char>(t.shape.size());
    table += std::string(2, '\0');
    for (int64_t d : t.shape) detail::put_u64(table, static_cast<uint64_t>(d));
    detail::put_u64(table, offset);
    detail::put_u64(table, bytes);
    detail::put_u64(table, xxhash64(t.values.data(), bytes));
    cursor = offset + bytes;
  }
  VISIONDB_ASSERT(table.size() == table_size);
  const uint64_t file_size = tensors.empty() ? data_begin : cursor;
  std::string header;
  header.append(kWeightsMagic, 8);
  detail::put_u32(header, kWeightsVersion);
  detail::put_u32(header, static_cast<uint32_t>(detail::kWeightsHeaderSize));
  detail::put_u64(header, file_size);
  detail::put_u64(header, detail::kWeightsHeaderSize);
  detail::put_u64(header, meta.size());
  detail::put_u64(header, detail::kWeightsHeaderSize + meta.size());
  detail::put_u64(header, table_size);
  const std::string meta_and_table = meta + table;
  detail::put_u64(header, detail::weights_header_checksum(reinterpret_cast<const uint8_t*>(header.data()),
                                                          reinterpret_cast<const uint8_t*>(meta_and_table.data()),
                                                          meta_and_table.size()));

  static std::atomic<unsigned> counter{0};
  const std::string tmp = path + ".tmp." + std::to_string(::getpid()) + "." + std::to_string(counter++);
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (!f) visiondb::detail::throw_io_error(path, std::string("cannot create ") + tmp + ": " + std::strerror(errno));
  bool ok = std::fwrite(header.data(), 1, header.size(), f) == header.size() &&
            std::fwrite(meta_and_table.data(), 1, meta_and_table.size(), f) == meta_and_table.size();
  uint64_t written = data_begin;
  static const char kZeros[kWeightsAlignment] = {};
  for (size_t i = 0; ok && i < tensors.size(); ++i) {
    const uint64_t pad = offsets[i] - written;
    ok = std::fwrite(kZeros, 1, pad, f) == pad;
    const size_t bytes = tensors[i].values.size() * 4;
    ok = ok && (bytes == 0 || std::fwrite(tensors[i].values.data(), 1, bytes, f) == bytes);
    written = offsets[i] + bytes;
  }
  ok = ok && std::fflush(f) == 0 && ::fsync(::fileno(f)) == 0;
  const int err = errno;
  ok = (std::fclose(f) == 0) && ok;
  if (!ok || std::rename(tmp.c_str(), path.c_str()) != 0) {
    const int e = ok ? errno : err;
    std::remove(tmp.c_str());
    visiondb::detail::throw_io_error(path, std::string("cannot write: ") + std::strerror(e));
  }
}

}  // namespace visiondb::nn
