// A read-only memory mapping of a whole file (POSIX mmap), released on destruction.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

namespace visiondb::nn::detail {

class MappedFile {
 public:
  MappedFile() = default;
  /// Maps `path` read-only; with populate the pages are read in at once (MAP_POPULATE).
  /// Throws IoError naming the path when it cannot be opened or mapped.
  explicit MappedFile(const std::string& path, bool populate = false);
  MappedFile(MappedFile&& o) noexcept;
  MappedFile& operator=(MappedFile&& o) noexcept;
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  ~MappedFile();

  std::span<const uint8_t> bytes() const noexcept { return {data_, size_}; }
  std::size_t size() const noexcept { return size_; }
  const std::string& path() const noexcept { return path_; }

 private:
  void release() noexcept;
  std::string path_;
  const uint8_t* data_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace visiondb::nn::detail

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/nn/detail/mapped_file_impl.hpp"
#endif
