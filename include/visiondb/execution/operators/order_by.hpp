// OrderOp (ORDER BY) and TopNOp (ORDER BY ... LIMIT, the limit pushed into the sort). Both sort
// normalized keys (sort_key.hpp) whose row-position suffix makes the order total, so the result is
// the same at any thread count. OrderOp sorts everything with a parallel sort; TopNOp keeps, per
// worker, only rows that beat its current k-th key, so most rows cost one comparison.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "visiondb/execution/expression.hpp"
#include "visiondb/execution/operator.hpp"
#include "visiondb/execution/sort_key.hpp"

namespace visiondb::exec {

struct OrderKeyExpr {
  ExprUPtr expr;
  bool descending = false;
  bool nulls_first = true;
};

class OrderOp final : public Operator {
 public:
  OrderOp(std::vector<LogicalType> types, std::vector<OrderKeyExpr> keys);
  OperatorRole role() const override { return OperatorRole::Sink; }
  std::string describe() const override;
  std::unique_ptr<GlobalState> make_global(ExecContext&) const override;
  std::unique_ptr<OperatorState> make_sink_state(ExecContext&, GlobalState*) const override;
  void sink(ExecContext&, const Chunk& in, size_t m, GlobalState*, OperatorState*) const override;
  void combine(ExecContext&, GlobalState*, OperatorState*) const override;
  std::vector<ChunkPtr> finalize(ExecContext&, GlobalState*) const override;

 private:
  std::vector<OrderKeyExpr> keys_;
  SortKeyEncoder encoder_;
};

class TopNOp final : public Operator {
 public:
  TopNOp(std::vector<LogicalType> types, std::vector<OrderKeyExpr> keys, int64_t limit, int64_t offset);
  OperatorRole role() const override { return OperatorRole::Sink; }
  std::string describe() const override;
  std::unique_ptr<GlobalState> make_global(ExecContext&) const override;
  std::unique_ptr<OperatorState> make_sink_state(ExecContext&, GlobalState*) const override;
  void sink(ExecContext&, const Chunk& in, size_t m, GlobalState*, OperatorState*) const override;
  void combine(ExecContext&, GlobalState*, OperatorState*) const override;
  std::vector<ChunkPtr> finalize(ExecContext&, GlobalState*) const override;

 private:
  std::vector<OrderKeyExpr> keys_;
  SortKeyEncoder encoder_;
  int64_t limit_, offset_;
};

}  // namespace visiondb::exec

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/execution/detail/order_by_impl.hpp"
#endif
