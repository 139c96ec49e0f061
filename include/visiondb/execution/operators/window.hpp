// WindowOp: computes window functions. A sink: it keeps its input chunks and evaluates, per chunk
// and in parallel, every expression the window calls read (arguments, PARTITION BY and ORDER BY
// keys). At the end, per group of calls sharing PARTITION BY and ORDER BY: rows are hashed into
// partitions, each partition is sorted by the ORDER BY keys, and the partitions are processed in
// parallel (oneTBB, through common/parallel.hpp). The output is the input chunks, in their order,
// with one column per call. With a partition limit (ROW_NUMBER() ... <= k above it) each
// partition only sorts and keeps its first k rows.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "visiondb/execution/expression.hpp"
#include "visiondb/execution/operator.hpp"
#include "visiondb/sql/bound_window.hpp"
#include "visiondb/sql/logical_window.hpp"

namespace visiondb::exec {

class PhysicalPlanner;

/// One window function call; its inputs are indexes into the operator's value expressions.
struct WindowCall {
  sql::WindowFunctionKind function = sql::WindowFunctionKind::RowNumber;
  std::shared_ptr<const sql::AggregateFunction> aggregate;
  bool ignore_nulls = false;
  int64_t constant_arg = 0;
  sql::WindowFrameSpec frame;
  std::vector<size_t> args;
  std::vector<size_t> partitions;
  std::vector<size_t> orders;
  std::vector<bool> descending;
  std::vector<bool> nulls_first;
  LogicalType type;
  std::string text;
  /// Same PARTITION BY and ORDER BY as `o` (one sort serves both).
  bool same_ordering(const WindowCall& o) const {
    return partitions == o.partitions && orders == o.orders && descending == o.descending && nulls_first == o.nulls_first;
  }
};

class WindowOp final : public Operator {
 public:
  WindowOp(std::vector<LogicalType> types, std::vector<ExprUPtr> values, std::vector<WindowCall> calls,
           int64_t partition_limit);
  OperatorRole role() const override { return OperatorRole::Sink; }
  std::string describe() const override;
  std::unique_ptr<GlobalState> make_global(ExecContext&) const override;
  std::unique_ptr<OperatorState> make_sink_state(ExecContext&, GlobalState*) const override;
  void sink(ExecContext&, const Chunk& in, size_t m, GlobalState*, OperatorState*) const override;
  void combine(ExecContext&, GlobalState*, OperatorState*) const override;
  std::vector<ChunkPtr> finalize(ExecContext&, GlobalState*) const override;

 private:
  std::vector<ExprUPtr> values_;
  std::vector<WindowCall> calls_;
  int64_t partition_limit_;
};

/// The physical planner's case for LogicalWindow.
OperatorPtr plan_window(PhysicalPlanner& planner, const sql::LogicalWindow& op);

}  // namespace visiondb::exec

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/execution/detail/window_impl.hpp"
#endif
