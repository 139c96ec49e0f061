// DataSource: anything a FROM clause reads (a table, later an external or object table). A scan
// opens one SourceSnapshot per statement and reads it morsel by morsel, column by column, so a
// column nobody uses is never touched and an expensive one (an object table's `data`) is read only
// for the rows that survived the filters.
#pragma once

#include <memory>
#include <string>

#include "visiondb/storage/chunk.hpp"

namespace visiondb {

class Schema;

/// A consistent, immutable view of a source for one statement.
class SourceSnapshot {
 public:
  virtual ~SourceSnapshot() = default;
  /// The units of parallel work (a table's chunks).
  virtual size_t morsel_count() const = 0;
  virtual size_t morsel_rows(size_t morsel) const = 0;
  /// Total rows (exact for tables; an estimate where counting is expensive).
  virtual size_t estimated_rows() const = 0;
  /// Schema column `column` of morsel `morsel`: morsel_rows() rows. When `rows` is given, only
  /// those rows must hold their values (the others may be NULL): lazy columns read nothing else.
  virtual ColumnPtr read_column(size_t morsel, size_t column, const SelectionVector* rows) const = 0;
  /// True for columns that are expensive to read: the scan reads them after filtering.
  virtual bool is_lazy(size_t column) const { (void)column; return false; }
  /// What reading it has cost so far (files listed, bytes read), for EXPLAIN; empty for tables.
  virtual std::string stats() const { return {}; }
};

class DataSource {
 public:
  virtual ~DataSource() = default;
  virtual const Schema& source_schema() const = 0;
  virtual std::shared_ptr<const SourceSnapshot> open() const = 0;
};

}  // namespace visiondb
