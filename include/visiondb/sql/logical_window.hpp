// LogicalWindow: computes window functions over its input. Its output is the input's columns plus
// one column per BoundWindow, (table_index, i); rows keep the input's order.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "visiondb/sql/bound_window.hpp"
#include "visiondb/sql/logical_plan.hpp"

namespace visiondb::sql {

class LogicalWindow final : public LogicalOp {
 public:
  LogicalWindow(uint32_t table_index, LogicalOpPtr child, std::vector<BoundExprPtr> windows)
      : LogicalOp(LogicalOpKind::Window), table_index(table_index), windows(std::move(windows)) {
    if (child) children.push_back(std::move(child));
    for (uint32_t i = 0; i < this->windows.size(); ++i) window_ids.push_back(i);
  }
  uint32_t table_index;
  /// BoundWindow each.
  std::vector<BoundExprPtr> windows;
  /// Binding column number of each window (stable when others are pruned).
  std::vector<uint32_t> window_ids;
  /// When >= 0: only rows whose numbering (the single ROW_NUMBER / RANK / DENSE_RANK) is at most
  /// this are needed above (QUALIFY / WHERE rn <= k): each partition keeps only its top rows.
  int64_t partition_limit = -1;

  std::vector<ColumnBinding> bindings() const override;
  std::vector<LogicalType> types() const override;
  std::string describe() const override;
  double estimate_rows() const override { return children[0]->estimate_rows(); }
  LogicalOpPtr clone() const override;
};

}  // namespace visiondb::sql

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/sql/detail/logical_window_impl.hpp"
#endif
