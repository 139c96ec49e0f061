// MappedFile: a read-only memory mapping of a whole file (POSIX mmap), closed on destruction.
#pragma once

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <utility>

#include "visiondb/common/error.hpp"

namespace visiondb::io::detail {

class MappedFile {
 public:
  /// Maps `path`; throws IoError naming it when it cannot be opened, is not a regular file or
  /// cannot be mapped.
  explicit MappedFile(const std::string& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) visiondb::detail::throw_io_error(path, std::strerror(errno));
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
      int e = errno;
      ::close(fd);
      visiondb::detail::throw_io_error(path, std::strerror(e));
    }
    if (!S_ISREG(st.st_mode)) {
      ::close(fd);
      visiondb::detail::throw_io_error(path, "not a regular file");
    }
    size_ = static_cast<size_t>(st.st_size);
    if (size_ > 0) {
      void* p = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd, 0);
      if (p == MAP_FAILED) {
        int e = errno;
        ::close(fd);
        visiondb::detail::throw_io_error(path, std::string("cannot map the file: ") + std::strerror(e));
      }
      // Read ahead: the parse walks the file front to back in a few parallel streams.
      ::madvise(p, size_, MADV_WILLNEED);
      data_ = static_cast<const char*>(p);
    }
    ::close(fd);
  }
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  ~MappedFile() {
    if (data_) ::munmap(const_cast<char*>(data_), size_);
  }

  const char* data() const noexcept { return data_; }
  size_t size() const noexcept { return size_; }

 private:
  const char* data_ = nullptr;
  size_t size_ = 0;
};

}  // namespace visiondb::io::detail
