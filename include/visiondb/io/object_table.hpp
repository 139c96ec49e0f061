// ObjectTable: CREATE EXTERNAL TABLE t OPTIONS(object_metadata = 'SIMPLE', uris = [...]), BigQuery's
// object table over local files: one row per file, with BigQuery's columns
//   uri STRING, generation INT64, content_type STRING, size INT64, md5_hash STRING,
//   updated TIMESTAMP, metadata ARRAY<STRUCT<name STRING, value STRING>>
// and the pseudo-column data BYTES (read by name, not part of SELECT *). Each statement lists the
// files afresh (open()): uri comes from reading the folders. The other columns cost a system call
// or more per file, so they are read only for the rows a scan asks for, after its filters on
// cheaper columns have run: generation, size and updated (one stat per file, cached),
// content_type (the file's first bytes), md5_hash (the whole file) and data.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "visiondb/io/mount_table.hpp"
#include "visiondb/io/object_listing.hpp"
#include "visiondb/storage/catalog_entry.hpp"
#include "visiondb/storage/data_source.hpp"
#include "visiondb/storage/table.hpp"

namespace visiondb::io {

/// The columns of an object table, in schema order.
enum ObjectColumn : size_t { kObjUri, kObjGeneration, kObjContentType, kObjSize, kObjMd5Hash, kObjUpdated, kObjMetadata, kObjData };

/// Object I/O of this process since it started (every database): for tests and benchmarks.
struct ObjectIoTotals {
  uint64_t files_listed = 0;  ///< rows produced by listings
  uint64_t files_opened = 0;  ///< files opened to read content_type, md5_hash or data
  uint64_t bytes_read = 0;    ///< bytes read from them
};
ObjectIoTotals object_io_totals() noexcept;

/// Limits on what a scan reads.
struct ObjectReadLimits {
  /// Largest file whose `data` a scan reads (bigger ones are an error naming the uri).
  uint64_t max_data_bytes = uint64_t{256} << 20;
};

/// One statement's view of an object table: the files listed when it was opened.
class ObjectSnapshot final : public SourceSnapshot {
 public:
  /// Files per morsel: small enough that decoded images of one morsel stay modest in memory,
  /// large enough that listing-only queries run in few chunks.
  static constexpr size_t kMorselRows = 64;

  ObjectSnapshot(std::vector<ListedObject> objects, ListingCounters listing, double listing_ms, ObjectReadLimits limits = {});

  size_t morsel_count() const override { return (objects_.size() + kMorselRows - 1) / kMorselRows; }
  size_t morsel_rows(size_t m) const override { return std::min(kMorselRows, objects_.size() - m * kMorselRows); }
  size_t estimated_rows() const override { return objects_.size(); }
  ColumnPtr read_column(size_t morsel, size_t column, const SelectionVector* rows) const override;
  bool is_lazy(size_t column) const override { return column != kObjUri && column != kObjMetadata; }
  std::string stats() const override;

  const std::vector<ListedObject>& objects() const noexcept { return objects_; }
  /// What the listing did, and how long it took.
  const ListingCounters& listing() const noexcept { return listing_; }
  double listing_ms() const noexcept { return listing_ms_; }
  /// Files opened and bytes read by this snapshot's scans so far.
  uint64_t files_opened() const noexcept { return files_opened_.load(); }
  uint64_t bytes_read() const noexcept { return bytes_read_.load(); }

 private:
  // File i's size and times: from the listing, else one stat() on first use.
  FileStat file_stat(size_t i) const;
  // Reads file i's first bytes / digest / content; errors name its uri.
  std::string read_head(size_t i) const;
  std::string read_md5(size_t i) const;
  std::string read_data(size_t i) const;
  void count(uint64_t files, uint64_t bytes) const noexcept;

  std::vector<ListedObject> objects_;
  ListingCounters listing_;
  double listing_ms_ = 0;
  ObjectReadLimits limits_;
  mutable std::atomic<uint64_t> files_opened_{0}, bytes_read_{0};
  mutable std::unique_ptr<std::once_flag[]> stat_once_;
  mutable std::vector<FileStat> stats_;
};

class ObjectTable final : public CatalogEntry, public DataSource {
 public:
  /// `mounts` resolves bucket URIs each time the table is opened (mounts may change later).
  ObjectTable(QualifiedName name, std::vector<std::string> uris, std::shared_ptr<const MountTable> mounts,
              std::string connection = {});

  /// The fixed schema of every object table.
  static const Schema& object_schema();

  const Schema& source_schema() const override { return object_schema(); }
  std::shared_ptr<const SourceSnapshot> open() const override { return open_objects(); }
  /// Lists the files now.
  std::shared_ptr<const ObjectSnapshot> open_objects() const;
  std::string describe() const override;

  const std::vector<std::string>& uris() const noexcept { return uris_; }
  const std::string& connection() const noexcept { return connection_; }
  void set_read_limits(ObjectReadLimits limits) { limits_ = limits; }

 private:
  std::vector<std::string> uris_;
  std::shared_ptr<const MountTable> mounts_;
  std::string connection_;
  ObjectReadLimits limits_;
};

}  // namespace visiondb::io

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/io/detail/object_table_impl.hpp"
#endif
