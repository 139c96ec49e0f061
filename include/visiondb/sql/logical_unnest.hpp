// LogicalUnnest: UNNEST in FROM. Each input row is joined to the elements of an ARRAY computed
// from it (FROM t, UNNEST(t.scores) AS s WITH OFFSET i; FROM UNNEST([1, 2]) reads a single-row
// input), in element order. LEFT JOIN UNNEST keeps a row whose array is empty or NULL, once, with
// a NULL element and offset.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "visiondb/sql/logical_plan.hpp"

namespace visiondb::sql {

class LogicalUnnest final : public LogicalOp {
 public:
  /// Output columns of its own, by column number: kElement, kOffset, then kFirstField + k for
  /// field k of a STRUCT element (BigQuery lists a STRUCT array's fields as columns).
  static constexpr uint32_t kElement = 0, kOffset = 1, kFirstField = 2;

  LogicalUnnest(uint32_t table_index, LogicalOpPtr child, BoundExprPtr array, bool outer)
      : LogicalOp(LogicalOpKind::Unnest), table_index(table_index), array(std::move(array)), outer(outer) {
    if (child) children.push_back(std::move(child));
  }
  uint32_t table_index;
  /// The ARRAY, over the child's columns.
  BoundExprPtr array;
  bool outer = false;
  /// Its own output columns, in order (pruned by the planner).
  std::vector<uint32_t> column_ids;
  /// When set, only these child columns pass through (the planner's projection pushdown: the
  /// array column itself is not copied to every element row unless someone reads it).
  bool projected = false;
  std::vector<ColumnBinding> child_projection;

  const LogicalType& element_type() const { return array->type.element(); }
  LogicalType column_type(uint32_t id) const;
  std::vector<ColumnBinding> bindings() const override;
  std::vector<LogicalType> types() const override;
  std::string describe() const override;
  double estimate_rows() const override;
  LogicalOpPtr clone() const override;
};

}  // namespace visiondb::sql

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/sql/detail/logical_unnest_impl.hpp"
#endif
