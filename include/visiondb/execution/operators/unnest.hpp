// UnnestOp: the physical UNNEST. For each input row it emits one row per element of the row's
// array, in element order: the input columns it passes through (gathered per output row), the
// element, its offset, and for STRUCT elements their fields. Elements are copied in bulk from the
// array's element column, so a 1000-wide ARRAY<FLOAT64> costs a memcpy per output chunk. Output
// chunks are full (kVectorSize rows) whatever the array lengths; an input row may span several.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "visiondb/execution/expression_executor.hpp"
#include "visiondb/execution/operator.hpp"
#include "visiondb/sql/logical_unnest.hpp"

namespace visiondb::exec {

class PhysicalPlanner;

class UnnestOp final : public Operator {
 public:
  /// Outputs: input columns `passthrough` (positions), then `own` (LogicalUnnest column ids).
  UnnestOp(std::vector<LogicalType> types, ExprUPtr array, std::vector<size_t> passthrough, std::vector<uint32_t> own,
           bool outer);
  OperatorRole role() const override { return OperatorRole::Streaming; }
  std::string describe() const override;
  std::unique_ptr<OperatorState> make_state(ExecContext&, GlobalState*) const override;
  OpResult execute(ExecContext&, const Chunk& in, Chunk& out, GlobalState*, OperatorState*) const override;

 private:
  ExprUPtr array_;
  std::vector<size_t> passthrough_;
  std::vector<uint32_t> own_;
  bool outer_;
};

/// The physical planner's case for LogicalUnnest.
OperatorPtr plan_unnest(PhysicalPlanner& planner, const sql::LogicalUnnest& op);

}  // namespace visiondb::exec

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/execution/detail/unnest_impl.hpp"
#endif
