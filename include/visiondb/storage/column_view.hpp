// ColumnView: how an operator or a function reads a column: the column, an optional selection
// (logical row i is physical row sel[i]) and a constant flag (every row reads physical row 0), so
// filters and constants reach kernels without copying [DuckDB's UnifiedVectorFormat].
#pragma once

#include <cstdint>

#include "visiondb/storage/column.hpp"

namespace visiondb {

struct ColumnView {
  const Column* column = nullptr;
  const uint32_t* sel = nullptr;  ///< physical row of logical row i; null means row i itself
  bool constant = false;          ///< every logical row is physical row 0 (sel is ignored)

  ColumnView() = default;
  ColumnView(const Column* c, const uint32_t* s = nullptr, bool is_constant = false)
      : column(c), sel(s), constant(is_constant) {}

  /// The physical row that logical row i reads.
  uint32_t row(size_t i) const noexcept {
    return constant ? 0u : (sel ? sel[i] : static_cast<uint32_t>(i));
  }
  bool is_valid(size_t i) const noexcept { return column->is_valid(row(i)); }
  bool is_null(size_t i) const noexcept { return !column->is_valid(row(i)); }
  /// True when no row can be NULL.
  bool all_valid() const noexcept { return column->validity().all_valid(); }
  const LogicalType& type() const noexcept { return column->type(); }
  /// Logical row i as a Value (slow path: edges and tests).
  Value get(size_t i) const { return column->get(row(i)); }
};

}  // namespace visiondb
