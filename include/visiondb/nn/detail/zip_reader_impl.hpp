// Out-of-line parts of zip_reader.hpp.
#pragma once

#include <algorithm>
#include <cstring>

#include "visiondb/common/checksum.hpp"
#include "visiondb/common/error.hpp"
#include "visiondb/nn/detail/zip_reader.hpp"

namespace visiondb::nn::detail {

namespace zip {
inline uint16_t le16(const uint8_t* p) { return static_cast<uint16_t>(p[0] | (p[1] << 8)); }
inline uint32_t le32(const uint8_t* p) { return uint32_t{p[0]} | (uint32_t{p[1]} << 8) | (uint32_t{p[2]} << 16) | (uint32_t{p[3]} << 24); }
inline uint64_t le64(const uint8_t* p) { return uint64_t{le32(p)} | (uint64_t{le32(p + 4)} << 32); }
}  // namespace zip

VISIONDB_INLINE ZipArchive::ZipArchive(std::span<const uint8_t> bytes, std::string path)
    : bytes_(bytes), path_(std::move(path)) {
  const size_t n = bytes.size();
  auto fail = [&](const std::string& why) { visiondb::detail::throw_io_error(path_, "malformed zip archive: " + why); };
  if (n < 22) fail("too short for an end-of-central-directory record (truncated?)");
  // The end-of-central-directory record: within the last 22 + 65535 bytes.
  size_t eocd = std::string::npos;
  const size_t lowest = n >= 22 + 65535 ? n - 22 - 65535 : 0;
  for (size_t i = n - 22 + 1; i-- > lowest;) {
    if (zip::le32(bytes.data() + i) == 0x06054b50u) {
      eocd = i;
      break;
    }
  }
  if (eocd == std::string::npos) fail("no end-of-central-directory record (truncated?)");
  uint64_t count = zip::le16(bytes.data() + eocd + 10);
  uint64_t dir_size = zip::le32(bytes.data() + eocd + 12);
  uint64_t dir_offset = zip::le32(bytes.data() + eocd + 16);
  if (count == 0xFFFF || dir_size == 0xFFFFFFFFu || dir_offset == 0xFFFFFFFFu) {
    // zip64: the locator sits just before the EOCD record.
    if (eocd < 20 || zip::le32(bytes.data() + eocd - 20) != 0x07064b50u) fail("zip64 locator missing");
    const uint64_t rec = zip::le64(bytes.data() + eocd - 20 + 8);
    if (rec + 56 > n || zip::le32(bytes.data() + rec) != 0x06064b50u) fail("zip64 end record out of bounds");
    count = zip::le64(bytes.data() + rec + 32);
    dir_size = zip::le64(bytes.data() + rec + 40);
    dir_offset = zip::le64(bytes.data() + rec + 48);
  }
  if (dir_offset > n || dir_size > n - dir_offset) fail("central directory out of bounds (truncated?)");
  if (count > dir_size / 46) fail("entry count does not fit the central directory");
  size_t pos = static_cast<size_t>(dir_offset);
  const size_t end = static_cast<size_t>(dir_offset + dir_size);
  entries_.reserve(static_cast<size_t>(count));
  for (uint64_t e = 0; e < count; ++e) {
    if (pos + 46 > end || zip::le32(bytes.data() + pos) != 0x02014b50u) fail("bad central directory entry");
    const uint8_t* h = bytes.data() + pos;
    ZipEntry entry;
    entry.method = zip::le16(h + 10);
    entry.crc32 = zip::le32(h + 16);
    entry.compressed_size = zip::le32(h + 20);
    entry.size = zip::le32(h + 24);
    const size_t name_len = zip::le16(h + 28), extra_len = zip::le16(h + 30), comment_len = zip::le16(h + 32);
    entry.local_header_offset = zip::le32(h + 42);
    if (pos + 46 + name_len + extra_len + comment_len > end) fail("central directory entry out of bounds");
    entry.name.assign(reinterpret_cast<const char*>(h + 46), name_len);
    // zip64 extra field: the 64-bit values of whichever fields are 0xFFFFFFFF, in this order.
    const uint8_t* x = h + 46 + name_len;
    const uint8_t* x_end = x + extra_len;
    while (x + 4 <= x_end) {
      const uint16_t id = zip::le16(x), len = zip::le16(x + 2);
      if (x + 4 + len > x_end) fail("extra field out of bounds in entry \"" + entry.name + "\"");
      if (id == 0x0001) {
        const uint8_t* v = x + 4;
        const uint8_t* v_end = v + len;
        auto take = [&](uint64_t& field) {
          if (field != 0xFFFFFFFFu) return;
          if (v + 8 > v_end) fail("short zip64 extra field in entry \"" + entry.name + "\"");
          field = zip::le64(v);
          v += 8;
        };
        take(entry.size);
        take(entry.compressed_size);
        take(entry.local_header_offset);
      }
      x += 4 + len;
    }
    pos += 46 + name_len + extra_len + comment_len;
    entries_.push_back(std::move(entry));
  }
}

VISIONDB_INLINE const ZipEntry* ZipArchive::find(std::string_view name) const {
  for (const auto& e : entries_)
    if (e.name == name) return &e;
  return nullptr;
}

VISIONDB_INLINE std::span<const uint8_t> ZipArchive::data(const ZipEntry& entry, bool verify_crc) const {
  const size_t n = bytes_.size();
  auto fail = [&](const std::string& why) {
    visiondb::detail::throw_io_error(path_, "zip entry \"" + entry.name + "\": " + why);
  };
  if (entry.method != 0) {
    fail("is compressed (method " + std::to_string(entry.method) +
         "); torch.save stores entries uncompressed, so the file was re-packed by another tool");
  }
  if (entry.compressed_size != entry.size) fail("stored size differs from its size");
  const uint64_t off = entry.local_header_offset;
  if (off > n || n - off < 30 || zip::le32(bytes_.data() + off) != 0x04034b50u) fail("local header out of bounds");
  const uint64_t start = off + 30 + zip::le16(bytes_.data() + off + 26) + zip::le16(bytes_.data() + off + 28);
  if (start > n || entry.size > n - start) fail("data out of bounds (truncated file?)");
  std::span<const uint8_t> out(bytes_.data() + start, static_cast<size_t>(entry.size));
  if (verify_crc && visiondb::crc32(out.data(), out.size()) != entry.crc32) fail("CRC-32 mismatch (corrupt file)");
  return out;
}

}  // namespace visiondb::nn::detail
