// Out-of-line parts of object_table.hpp.
#pragma once

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>

#include "visiondb/common/error.hpp"
#include "visiondb/common/parallel.hpp"
#include "visiondb/config.hpp"
#include "visiondb/io/content_type.hpp"
#include "visiondb/io/detail/md5.hpp"
#include "visiondb/io/object_table.hpp"

namespace visiondb::io {

namespace detail {

struct ObjectIoCounters {
  std::atomic<uint64_t> files_listed{0}, files_opened{0}, bytes_read{0};
};
inline ObjectIoCounters& object_io_counters() noexcept {
  static ObjectIoCounters counters;
  return counters;
}

// An open file descriptor, closed on scope exit.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const noexcept { return fd_; }

 private:
  int fd_;
};

inline int open_object(const ListedObject& o) {
  const int fd = ::open(o.path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) visiondb::detail::throw_io_error(o.uri, std::string("cannot open: ") + std::strerror(errno));
  return fd;
}

// Reads up to `max` bytes into out (appending); returns the bytes read. Errors name the uri.
inline size_t read_some(int fd, const ListedObject& o, char* out, size_t max) {
  size_t got = 0;
  while (got < max) {
    const ssize_t r = ::read(fd, out + got, max - got);
    if (r < 0) {
      if (errno == EINTR) continue;
      visiondb::detail::throw_io_error(o.uri, std::string("read error: ") + std::strerror(errno));
    }
    if (r == 0) break;
    got += static_cast<size_t>(r);
  }
  return got;
}

}  // namespace detail

VISIONDB_INLINE ObjectIoTotals object_io_totals() noexcept {
  auto& c = detail::object_io_counters();
  return {c.files_listed.load(), c.files_opened.load(), c.bytes_read.load()};
}

VISIONDB_INLINE ObjectSnapshot::ObjectSnapshot(std::vector<ListedObject> objects, ListingCounters listing, double listing_ms,
                                               ObjectReadLimits limits)
    : objects_(std::move(objects)), listing_(listing), listing_ms_(listing_ms), limits_(limits) {
  detail::object_io_counters().files_listed.fetch_add(objects_.size(), std::memory_order_relaxed);
}

VISIONDB_INLINE void ObjectSnapshot::count(uint64_t files, uint64_t bytes) const noexcept {
  files_opened_.fetch_add(files, std::memory_order_relaxed);
  bytes_read_.fetch_add(bytes, std::memory_order_relaxed);
  auto& c = detail::object_io_counters();
  c.files_opened.fetch_add(files, std::memory_order_relaxed);
  c.bytes_read.fetch_add(bytes, std::memory_order_relaxed);
}

VISIONDB_INLINE std::string ObjectSnapshot::read_head(size_t i) const {
  const ListedObject& o = objects_[i];
  detail::Fd fd(detail::open_object(o));
  char buf[kSniffBytes];
  const size_t n = detail::read_some(fd.get(), o, buf, sizeof buf);
  count(1, n);
  return std::string(sniff_content_type(std::string_view(buf, n), o.path));
}

VISIONDB_INLINE std::string ObjectSnapshot::read_md5(size_t i) const {
  const ListedObject& o = objects_[i];
  detail::Fd fd(detail::open_object(o));
  detail::Md5 md5;
  std::vector<char> buf(size_t{1} << 18);
  uint64_t total = 0;
  for (;;) {
    const size_t n = detail::read_some(fd.get(), o, buf.data(), buf.size());
    md5.update(buf.data(), n);
    total += n;
    if (n < buf.size()) break;
  }
  count(1, total);
  const auto digest = md5.finish();
  return detail::base64_encode(digest.data(), digest.size());
}

VISIONDB_INLINE std::string ObjectSnapshot::read_data(size_t i) const {
  const ListedObject& o = objects_[i];
  detail::Fd fd(detail::open_object(o));
  struct stat st;
  if (::fstat(fd.get(), &st) != 0) visiondb::detail::throw_io_error(o.uri, std::string("cannot stat: ") + std::strerror(errno));
  const uint64_t size = static_cast<uint64_t>(st.st_size);
  if (size > limits_.max_data_bytes)
    visiondb::detail::throw_io_error(o.uri, "the file has " + std::to_string(size) + " bytes, over the limit of " +
                                                std::to_string(limits_.max_data_bytes) + " bytes a scan reads as data");
  // The size at open; a file growing meanwhile is read up to it (plus one byte to notice).
  std::string out(static_cast<size_t>(size) + 1, '\0');
  const size_t n = detail::read_some(fd.get(), o, out.data(), out.size());
  if (n > size) visiondb::detail::throw_io_error(o.uri, "the file grew while it was read");
  out.resize(n);
  count(1, n);
  return out;
}

VISIONDB_INLINE ColumnPtr ObjectSnapshot::read_column(size_t m, size_t column, const SelectionVector* rows) const {
  const size_t first = m * kMorselRows;
  const size_t n = morsel_rows(m);
  const Schema& schema = ObjectTable::object_schema();
  Column out(schema[column].type);
  out.reserve(n);
  switch (column) {
    case kObjUri:
      for (size_t i = 0; i < n; ++i) out.append_string(objects_[first + i].uri);
      break;
    case kObjGeneration:
      for (size_t i = 0; i < n; ++i) out.append_int64(objects_[first + i].modified_us);
      break;
    case kObjSize:
      for (size_t i = 0; i < n; ++i) out.append_int64(objects_[first + i].size);
      break;
    case kObjUpdated:
      for (size_t i = 0; i < n; ++i) out.append_timestamp(objects_[first + i].modified_us);
      break;
    case kObjMetadata:
      // Local files carry no custom metadata: an empty array per row.
      for (size_t i = 0; i < n; ++i) out.close_array_row();
      break;
    case kObjContentType:
    case kObjMd5Hash:
    case kObjData: {
      // Only the requested rows touch their files; the others are NULL.
      std::vector<uint32_t> wanted;
      if (rows) {
        wanted = *rows;
      } else {
        wanted.resize(n);
        for (size_t i = 0; i < n; ++i) wanted[i] = static_cast<uint32_t>(i);
      }
      std::vector<std::string> values(wanted.size());
      parallel_for(0, wanted.size(), column == kObjContentType ? 16 : 1, [&](size_t b, size_t e) {
        for (size_t k = b; k < e; ++k) {
          const size_t i = first + wanted[k];
          values[k] = column == kObjContentType ? read_head(i) : column == kObjMd5Hash ? read_md5(i) : read_data(i);
        }
      });
      size_t total = 0;
      for (const auto& v : values) total += v.size();
      out.reserve_bytes(total);
      size_t k = 0;
      for (size_t i = 0; i < n; ++i) {
        if (k < wanted.size() && wanted[k] == i) {
          out.append_string(values[k++]);
        } else {
          out.append_null();
        }
      }
      break;
    }
    default: visiondb::detail::throw_internal("object tables have no column " + std::to_string(column));
  }
  return std::make_shared<const Column>(std::move(out));
}

VISIONDB_INLINE std::string ObjectSnapshot::stats() const {
  char buf[200];
  std::snprintf(buf, sizeof buf, "files listed: %zu in %zu folders, files read: %llu, bytes read: %llu", objects_.size(),
                listing_.directories, static_cast<unsigned long long>(files_opened()),
                static_cast<unsigned long long>(bytes_read()));
  return buf;
}

VISIONDB_INLINE ObjectTable::ObjectTable(QualifiedName name, std::vector<std::string> uris,
                                         std::shared_ptr<const MountTable> mounts, std::string connection)
    : CatalogEntry(CatalogEntryKind::ExternalTable, std::move(name)),
      uris_(std::move(uris)),
      mounts_(std::move(mounts)),
      connection_(std::move(connection)) {
  if (!mounts_) mounts_ = std::make_shared<const MountTable>();
}

VISIONDB_INLINE const Schema& ObjectTable::object_schema() {
  static const Schema schema = [] {
    Schema s;
    s.add({"uri", LogicalType::string()});
    s.add({"generation", LogicalType::int64()});
    s.add({"content_type", LogicalType::string()});
    s.add({"size", LogicalType::int64()});
    s.add({"md5_hash", LogicalType::string()});
    s.add({"updated", LogicalType::timestamp()});
    s.add({"metadata", LogicalType::array(LogicalType::structure({{"name", LogicalType::string()},
                                                                    {"value", LogicalType::string()}}))});
    ColumnDefinition data{"data", LogicalType::bytes()};
    data.pseudo = true;
    s.add(std::move(data));
    return s;
  }();
  return schema;
}

VISIONDB_INLINE std::shared_ptr<const ObjectSnapshot> ObjectTable::open_objects() const {
  const auto start = std::chrono::steady_clock::now();
  ListingCounters counters;
  auto objects = list_objects(uris_, *mounts_, &counters);
  const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  return std::make_shared<const ObjectSnapshot>(std::move(objects), counters, ms, limits_);
}

VISIONDB_INLINE std::string ObjectTable::describe() const {
  std::string out = "object table " + name().to_string() + " [";
  for (size_t i = 0; i < uris_.size(); ++i) out += (i ? ", " : "") + uris_[i];
  return out + "]";
}

}  // namespace visiondb::io
