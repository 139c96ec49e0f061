// TableScanOp: reads a source snapshot morsel by morsel. It reads only the columns the query uses;
// filters pushed into the scan run on the columns they need first, and the other columns (an
// object table's `data`) are read afterwards for the surviving rows only.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "visiondb/execution/expression.hpp"
#include "visiondb/execution/operator.hpp"
#include "visiondb/storage/data_source.hpp"

namespace visiondb::exec {

class TableScanOp final : public Operator {
 public:
  /// scan_columns: schema columns read; filters refer to positions in scan_columns; outputs:
  /// positions in scan_columns that form the output, in order.
  TableScanOp(std::string name, std::shared_ptr<const SourceSnapshot> snapshot, std::vector<size_t> scan_columns,
              std::vector<std::string> column_names, std::vector<LogicalType> scan_types,
              std::vector<ExprUPtr> filters, std::vector<size_t> outputs);
  OperatorRole role() const override { return OperatorRole::Source; }
  std::string describe() const override;
  size_t morsel_count(GlobalState*) const override { return snapshot_->morsel_count(); }
  void read_morsel(ExecContext&, GlobalState*, size_t m, Chunk& out) const override;
  /// At most `rows` rows per morsel (after the filters): set by the planner under a LIMIT that
  /// takes rows in scan order through projections only, so that the columns read after the
  /// filters (an object table's data) are read for those rows only.
  void set_row_limit(size_t rows) noexcept { row_limit_ = rows; }

 private:
  std::string name_;
  std::shared_ptr<const SourceSnapshot> snapshot_;
  std::vector<size_t> scan_columns_;
  std::vector<std::string> column_names_;
  std::vector<LogicalType> scan_types_;
  std::vector<ExprUPtr> filters_;
  std::vector<size_t> outputs_;
  std::vector<uint8_t> lazy_;                       // per scan column: expensive to read (SourceSnapshot::is_lazy)
  std::vector<std::vector<size_t>> filter_columns_;  // per filter: the scan columns it reads
  std::vector<size_t> filter_order_;                 // filters over cheap columns first
  size_t row_limit_ = SIZE_MAX;
};

}  // namespace visiondb::exec

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/execution/detail/table_scan_impl.hpp"
#endif
