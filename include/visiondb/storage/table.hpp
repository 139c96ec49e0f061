// Table: a named schema plus an immutable snapshot of chunks. A statement builds a new snapshot
// and commits it with one pointer swap, so readers never see a half-written table and a failed
// statement leaves the old data in place.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "visiondb/storage/catalog_entry.hpp"
#include "visiondb/storage/chunk.hpp"
#include "visiondb/storage/data_source.hpp"

namespace visiondb {

/// One column of a table's schema.
struct ColumnDefinition {
  std::string name;
  LogicalType type;
  bool not_null = false;
  /// A pseudo-column (an object table's `data`): read by name, left out of SELECT *.
  bool pseudo = false;
};

/// An ordered list of column definitions; lookups by name are case-insensitive (BigQuery's rule).
class Schema {
 public:
  Schema() = default;
  explicit Schema(std::vector<ColumnDefinition> columns) : columns_(std::move(columns)) {}
  size_t size() const noexcept { return columns_.size(); }
  const ColumnDefinition& operator[](size_t i) const noexcept { return columns_[i]; }
  const std::vector<ColumnDefinition>& columns() const noexcept { return columns_; }
  /// The index of the column, or -1.
  int find(std::string_view name) const noexcept;
  std::vector<LogicalType> types() const;
  void add(ColumnDefinition c) { columns_.push_back(std::move(c)); }

 private:
  std::vector<ColumnDefinition> columns_;
};

/// An immutable version of a table's rows.
struct TableData {
  std::vector<std::shared_ptr<const Chunk>> chunks;
  size_t rows = 0;
  size_t memory_bytes() const;
};

/// The snapshot of an ordinary table: its chunks, shared.
class TableSnapshot final : public SourceSnapshot {
 public:
  explicit TableSnapshot(std::shared_ptr<const TableData> data) : data_(std::move(data)) {}
  size_t morsel_count() const override { return data_->chunks.size(); }
  size_t morsel_rows(size_t m) const override { return data_->chunks[m]->size(); }
  size_t estimated_rows() const override { return data_->rows; }
  ColumnPtr read_column(size_t m, size_t column, const SelectionVector*) const override {
    return data_->chunks[m]->column_ptr(column);
  }
  const TableData& data() const noexcept { return *data_; }

 private:
  std::shared_ptr<const TableData> data_;
};

class Table final : public CatalogEntry, public DataSource {
 public:
  Table(QualifiedName name, Schema schema);
  const Schema& source_schema() const override { return schema_; }
  std::shared_ptr<const SourceSnapshot> open() const override { return std::make_shared<TableSnapshot>(snapshot()); }

  const Schema& schema() const noexcept { return schema_; }
  /// The current rows; valid for as long as the caller holds it, whatever commits follow.
  std::shared_ptr<const TableData> snapshot() const;
  /// Replaces the rows in one step. Chunks must be selection-free.
  void commit(std::shared_ptr<const TableData> data);
  size_t row_count() const { return snapshot()->rows; }
  std::string describe() const override;

 private:
  Schema schema_;
  mutable std::mutex mutex_;
  std::shared_ptr<const TableData> data_;
};

}  // namespace visiondb

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/storage/detail/table_impl.hpp"
#endif
