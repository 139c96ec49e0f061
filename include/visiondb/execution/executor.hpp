// Executor: runs physical plans as pipelines of morsels. A pipeline is a source, a chain of
// streaming operators and a sink; it runs on `threads` tasks that each pull morsel indexes from
// one atomic counter [HyPer's morsel-driven parallelism], with their own operator states, so TBB's
// work stealing never shares a state. Sinks materialize; the next pipeline reads that.
#pragma once

#include <vector>

#include "visiondb/execution/operator.hpp"

namespace visiondb::exec {

class Executor {
 public:
  explicit Executor(ExecContext& ctx) : ctx_(ctx) {}
  ExecContext& context() noexcept { return ctx_; }

  /// Runs the plan rooted at op; its output chunks in order (a scan's order where no operator
  /// reorders).
  std::vector<ChunkPtr> run(const Operator& op);
  /// Runs the pipeline ending at `top` (a source or streaming operator) into `sink_op`.
  void run_pipeline(const Operator& top, const Operator& sink_op, GlobalState* sink_global);

 private:
  ExecContext& ctx_;
};

/// A source over chunks already in memory (the output of a sink, VALUES rows).
class ChunkScanOp final : public Operator {
 public:
  ChunkScanOp(std::vector<LogicalType> types, std::vector<ChunkPtr> chunks, std::string label = "CHUNK_SCAN")
      : Operator(OperatorKind::ChunkScan, std::move(types)), chunks_(std::move(chunks)), label_(std::move(label)) {}
  OperatorRole role() const override { return OperatorRole::Source; }
  std::string describe() const override { return label_; }
  size_t morsel_count(GlobalState*) const override { return chunks_.size(); }
  void read_morsel(ExecContext&, GlobalState*, size_t m, Chunk& out) const override { out = *chunks_[m]; }

 private:
  std::vector<ChunkPtr> chunks_;
  std::string label_;
};

/// The sink of a plan's last pipeline: keeps chunks in morsel order.
class CollectOp final : public Operator {
 public:
  explicit CollectOp(std::vector<LogicalType> types) : Operator(OperatorKind::ChunkScan, std::move(types)) {}
  OperatorRole role() const override { return OperatorRole::Sink; }
  std::string describe() const override { return "COLLECT"; }
  std::unique_ptr<GlobalState> make_global(ExecContext&) const override;
  std::unique_ptr<OperatorState> make_sink_state(ExecContext&, GlobalState*) const override;
  void sink(ExecContext&, const Chunk& in, size_t m, GlobalState*, OperatorState*) const override;
  void combine(ExecContext&, GlobalState*, OperatorState*) const override;
  std::vector<ChunkPtr> finalize(ExecContext&, GlobalState*) const override;
};

}  // namespace visiondb::exec

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/execution/detail/executor_impl.hpp"
#endif
