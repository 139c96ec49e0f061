// CsvExternalTable: CREATE EXTERNAL TABLE ... OPTIONS(format = 'CSV', uris = [...]). Its schema is
// fixed when it is created (declared, or inferred from the files then); its rows are read from the
// files when a statement opens it, as BigQuery's external tables are, and kept while the files'
// sizes and modification times stay the same.
#pragma once

#include <filesystem>
#include <mutex>
#include <string>
#include <vector>

#include "visiondb/io/csv_reader.hpp"
#include "visiondb/io/glob.hpp"
#include "visiondb/storage/catalog_entry.hpp"
#include "visiondb/storage/data_source.hpp"
#include "visiondb/storage/table.hpp"

namespace visiondb::detail {

class CsvExternalTable final : public CatalogEntry, public DataSource {
 public:
  CsvExternalTable(QualifiedName name, std::vector<std::string> uris, io::CsvReadOptions options)
      : CatalogEntry(CatalogEntryKind::ExternalTable, std::move(name)), uris_(std::move(uris)), options_(std::move(options)) {
    if (!options_.schema) options_.schema = io::infer_csv_schema(uris_, options_);
    schema_ = *options_.schema;
  }
  const Schema& source_schema() const override { return schema_; }
  std::shared_ptr<const SourceSnapshot> open() const override {
    std::lock_guard lock(mutex_);
    std::vector<std::string> stamps = file_stamps();
    if (!cached_ || stamps != stamps_) {
      io::CsvData data = io::read_csv(uris_, options_);
      cached_ = data.data;
      stamps_ = std::move(stamps);
    }
    return std::make_shared<TableSnapshot>(cached_);
  }
  std::string describe() const override {
    std::string out = "external table " + name().to_string() + "(";
    for (size_t i = 0; i < schema_.size(); ++i) out += (i ? ", " : "") + schema_[i].name + " " + schema_[i].type.to_string();
    out += ") CSV [";
    for (size_t i = 0; i < uris_.size(); ++i) out += (i ? ", " : "") + uris_[i];
    return out + "]";
  }

 private:
  // Size and modification time of every file the URIs name now.
  std::vector<std::string> file_stamps() const {
    std::vector<std::string> out;
    for (const auto& uri : uris_) {
      for (const auto& f : io::expand_glob(io::local_path_of(uri))) {
        std::error_code ec;
        auto size = std::filesystem::file_size(f, ec);
        auto time = std::filesystem::last_write_time(f, ec);
        out.push_back(f + ":" + std::to_string(size) + ":" + std::to_string(time.time_since_epoch().count()));
      }
    }
    return out;
  }

  std::vector<std::string> uris_;
  io::CsvReadOptions options_;
  Schema schema_;
  mutable std::mutex mutex_;
  mutable std::shared_ptr<const TableData> cached_;
  mutable std::vector<std::string> stamps_;
};

}  // namespace visiondb::detail
