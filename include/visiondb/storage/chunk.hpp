// Chunk: up to kVectorSize rows as a set of shared, immutable columns, plus an optional selection
// vector (a filter selects rows instead of copying them [DuckDB]). Passing a column from a table
// scan to a projection shares it; nothing is copied.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "visiondb/config.hpp"
#include "visiondb/storage/column.hpp"

namespace visiondb {

inline constexpr size_t kVectorSize = VISIONDB_VECTOR_SIZE;

using ColumnPtr = std::shared_ptr<const Column>;

/// Row indexes into a chunk's columns, ascending.
using SelectionVector = std::vector<uint32_t>;

class Chunk {
 public:
  Chunk() = default;
  Chunk(std::vector<ColumnPtr> columns, size_t rows) : columns_(std::move(columns)), rows_(rows) {}

  /// The number of logical rows (the selection's size when there is one).
  size_t size() const noexcept { return selection_ ? selection_->size() : rows_; }
  /// The number of physical rows in each column.
  size_t physical_size() const noexcept { return rows_; }
  size_t column_count() const noexcept { return columns_.size(); }
  const Column& column(size_t i) const noexcept { return *columns_[i]; }
  const ColumnPtr& column_ptr(size_t i) const noexcept { return columns_[i]; }
  const std::vector<ColumnPtr>& columns() const noexcept { return columns_; }

  void add_column(ColumnPtr column) { columns_.push_back(std::move(column)); }
  void add_column(Column&& column) { columns_.push_back(std::make_shared<const Column>(std::move(column))); }
  void set_column(size_t i, ColumnPtr column) { columns_[i] = std::move(column); }
  void set_physical_size(size_t rows) noexcept { rows_ = rows; }

  bool has_selection() const noexcept { return selection_ != nullptr; }
  const SelectionVector* selection() const noexcept { return selection_.get(); }
  const std::shared_ptr<const SelectionVector>& selection_ptr() const noexcept { return selection_; }
  /// Restricts the chunk to the given rows (indexes into the physical rows).
  void set_selection(std::shared_ptr<const SelectionVector> sel) { selection_ = std::move(sel); }
  /// The physical row of logical row i.
  uint32_t physical_row(size_t i) const noexcept {
    return selection_ ? (*selection_)[i] : static_cast<uint32_t>(i);
  }

  /// Logical row `row` of column `col`.
  Value get(size_t col, size_t row) const { return columns_[col]->get(physical_row(row)); }

  /// The same rows with the selection applied (columns gathered); shares columns when there is none.
  Chunk flattened() const;

 private:
  std::vector<ColumnPtr> columns_;
  size_t rows_ = 0;
  std::shared_ptr<const SelectionVector> selection_;
};

/// Builds chunks of at most kVectorSize rows from rows or column ranges.
class ChunkBuilder {
 public:
  explicit ChunkBuilder(std::vector<LogicalType> types) : types_(std::move(types)) { start(); }
  /// The column to append the current row's value `i` to.
  Column& column(size_t i) { return columns_[i]; }
  /// Appends a whole row of values.
  void append_row(const std::vector<Value>& row);
  /// Call after appending one value to every column; closes the chunk when full.
  void finish_row();
  /// Appends logical rows [first, first+count) of `chunk` (same column types).
  void append_chunk_rows(const Chunk& chunk, size_t first, size_t count);
  /// Completed chunks, including the partial last one; the builder is empty afterwards.
  std::vector<std::shared_ptr<const Chunk>> finish();
  size_t rows() const noexcept { return total_rows_; }

 private:
  void start();
  void close();
  std::vector<LogicalType> types_;
  std::vector<Column> columns_;
  size_t rows_in_chunk_ = 0;
  size_t total_rows_ = 0;
  std::vector<std::shared_ptr<const Chunk>> done_;
};

}  // namespace visiondb

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/storage/detail/chunk_impl.hpp"
#endif
