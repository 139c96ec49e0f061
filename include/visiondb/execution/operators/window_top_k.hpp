// WindowTopKOp: ROW_NUMBER() OVER (PARTITION BY p ORDER BY k) where only rows numbered up to a
// limit are wanted (QUALIFY / WHERE rn <= limit; the planner's partition limit). A streaming sink:
// each worker keeps, per partition, a heap of its best `limit` rows so far and copies a row only
// when it enters a heap, so most rows cost one key comparison and nothing is materialized. At the
// end the workers' heaps merge and each partition's rows come out numbered. Ties in k break by
// input position, as in WindowOp, so both give the same rows.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "visiondb/execution/expression.hpp"
#include "visiondb/execution/operator.hpp"

namespace visiondb::exec {

class WindowTopKOp final : public Operator {
 public:
  /// Outputs the input columns then the row number. `order` may be null (any rows).
  WindowTopKOp(std::vector<LogicalType> types, std::vector<ExprUPtr> partitions, ExprUPtr order, bool descending,
               bool nulls_first, int64_t limit, std::string text);
  OperatorRole role() const override { return OperatorRole::Sink; }
  std::string describe() const override;
  std::unique_ptr<GlobalState> make_global(ExecContext&) const override;
  std::unique_ptr<OperatorState> make_sink_state(ExecContext&, GlobalState*) const override;
  void sink(ExecContext&, const Chunk& in, size_t m, GlobalState*, OperatorState*) const override;
  void combine(ExecContext&, GlobalState*, OperatorState*) const override;
  std::vector<ChunkPtr> finalize(ExecContext&, GlobalState*) const override;

 private:
  std::vector<ExprUPtr> partitions_;
  ExprUPtr order_;
  bool descending_, nulls_first_;
  size_t limit_;
  std::string text_;
};

}  // namespace visiondb::exec

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/execution/detail/window_top_k_impl.hpp"
#endif
