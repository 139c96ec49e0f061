// ProjectionOp: computes the output columns. When every output is a plain column reference the
// input's columns and selection are passed on untouched; otherwise the outputs are dense columns.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "visiondb/execution/expression_executor.hpp"
#include "visiondb/execution/operator.hpp"

namespace visiondb::exec {

class ProjectionOp final : public Operator {
 public:
  ProjectionOp(std::vector<LogicalType> types, std::vector<ExprUPtr> exprs)
      : Operator(OperatorKind::Projection, std::move(types)), exprs_(std::move(exprs)) {
    all_refs_ = true;
    for (const auto& e : exprs_) all_refs_ &= e->is_column_ref();
  }
  OperatorRole role() const override { return OperatorRole::Streaming; }
  std::string describe() const override {
    std::string out = "PROJECTION ";
    for (size_t i = 0; i < exprs_.size(); ++i) out += (i ? ", " : "") + exprs_[i]->text;
    return out;
  }

  OpResult execute(ExecContext&, const Chunk& in, Chunk& out, GlobalState*, OperatorState*) const override {
    std::vector<ColumnPtr> cols;
    cols.reserve(exprs_.size());
    if (all_refs_) {
      for (const auto& e : exprs_) cols.push_back(in.column_ptr(e->column));
      out = Chunk(std::move(cols), in.physical_size());
      if (in.has_selection()) out.set_selection(in.selection_ptr());
      return OpResult::NeedMoreInput;
    }
    const size_t n = in.size();
    for (const auto& e : exprs_) cols.push_back(ExpressionExecutor::flatten(ExpressionExecutor::evaluate(*e, in, nullptr, n), n));
    out = Chunk(std::move(cols), n);
    return OpResult::NeedMoreInput;
  }

  const std::vector<ExprUPtr>& expressions() const noexcept { return exprs_; }

 private:
  std::vector<ExprUPtr> exprs_;
  bool all_refs_ = false;
};

}  // namespace visiondb::exec
