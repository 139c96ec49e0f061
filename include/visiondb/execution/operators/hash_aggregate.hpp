// HashAggregateOp: GROUP BY with aggregates, and DISTINCT (groups only). Each worker builds its
// own GroupTable over the morsels it pulls; finalize() merges them partition by partition (by the
// top bits of the key hash) in parallel, so a million groups merge on every core. Without GROUP
// BY, one state per morsel, combined in morsel order, gives the same result at any thread count.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "visiondb/execution/expression.hpp"
#include "visiondb/execution/key_encoder.hpp"
#include "visiondb/execution/operator.hpp"

namespace visiondb::exec {

struct AggregateSpec {
  /// The aggregate (wrapped in DistinctAggregate for DISTINCT).
  std::shared_ptr<const sql::AggregateFunction> function;
  std::vector<ExprUPtr> args;
  std::string text;
};

class HashAggregateOp final : public Operator {
 public:
  /// Output: the groups' values, then the aggregates' results.
  HashAggregateOp(std::vector<LogicalType> types, std::vector<ExprUPtr> groups, std::vector<AggregateSpec> aggregates);
  OperatorRole role() const override { return OperatorRole::Sink; }
  std::string describe() const override;
  std::unique_ptr<GlobalState> make_global(ExecContext&) const override;
  std::unique_ptr<OperatorState> make_sink_state(ExecContext&, GlobalState*) const override;
  void sink(ExecContext&, const Chunk& in, size_t m, GlobalState*, OperatorState*) const override;
  void combine(ExecContext&, GlobalState*, OperatorState*) const override;
  std::vector<ChunkPtr> finalize(ExecContext&, GlobalState*) const override;

 private:
  std::vector<ChunkPtr> finalize_ungrouped(GlobalState*) const;
  std::vector<ExprUPtr> groups_;
  std::vector<AggregateSpec> aggregates_;
  std::vector<std::shared_ptr<const sql::AggregateFunction>> functions_;
  KeyEncoder encoder_;
};

}  // namespace visiondb::exec

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/execution/detail/hash_aggregate_impl.hpp"
#endif
