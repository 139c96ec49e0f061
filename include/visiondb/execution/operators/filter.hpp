// FilterOp: keeps the rows where the predicate is TRUE by narrowing the chunk's selection vector;
// the columns themselves are shared, not copied [DuckDB].
#pragma once

#include <memory>
#include <string>

#include "visiondb/execution/expression_executor.hpp"
#include "visiondb/execution/operator.hpp"

namespace visiondb::exec {

class FilterOp final : public Operator {
 public:
  FilterOp(std::vector<LogicalType> types, ExprUPtr predicate)
      : Operator(OperatorKind::Filter, std::move(types)), predicate_(std::move(predicate)) {}
  OperatorRole role() const override { return OperatorRole::Streaming; }
  std::string describe() const override { return "FILTER " + predicate_->text; }

  OpResult execute(ExecContext&, const Chunk& in, Chunk& out, GlobalState*, OperatorState*) const override {
    std::vector<uint32_t> hit;
    ExpressionExecutor::select(*predicate_, in, nullptr, in.size(), hit);
    if (hit.size() == in.size()) {
      out = in;
      return OpResult::NeedMoreInput;
    }
    out = in;
    if (hit.empty()) {
      out = Chunk();
      return OpResult::NeedMoreInput;
    }
    auto sel = std::make_shared<SelectionVector>(hit.size());
    for (size_t k = 0; k < hit.size(); ++k) (*sel)[k] = in.physical_row(hit[k]);
    out.set_selection(std::move(sel));
    return OpResult::NeedMoreInput;
  }

 private:
  ExprUPtr predicate_;
};

}  // namespace visiondb::exec
