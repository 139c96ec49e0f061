// A reader of zip archives whose entries are stored uncompressed, as torch.save writes them
// (zip64 records included). Every offset and size is checked against the archive's bytes.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace visiondb::nn::detail {

struct ZipEntry {
  std::string name;
  uint64_t local_header_offset = 0;
  uint64_t compressed_size = 0;
  uint64_t size = 0;
  uint32_t crc32 = 0;
  uint16_t method = 0;  // 0 = stored
};

class ZipArchive {
 public:
  /// Parses the central directory of `bytes`; throws IoError naming `path` when it is not a zip
  /// archive or its directory is malformed. `bytes` must outlive the archive.
  ZipArchive(std::span<const uint8_t> bytes, std::string path);

  const std::vector<ZipEntry>& entries() const noexcept { return entries_; }
  /// The entry called `name`, or nullptr.
  const ZipEntry* find(std::string_view name) const;
  /// The bytes of a stored entry (throws IoError for a compressed one or one out of bounds);
  /// with verify_crc the CRC-32 is checked too.
  std::span<const uint8_t> data(const ZipEntry& entry, bool verify_crc) const;

 private:
  std::span<const uint8_t> bytes_;
  std::string path_;
  std::vector<ZipEntry> entries_;
};

}  // namespace visiondb::nn::detail

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/nn/detail/zip_reader_impl.hpp"
#endif
