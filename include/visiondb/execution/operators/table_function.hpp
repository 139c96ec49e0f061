// TableFunctionOp: FROM fn(...). With a TABLE input it streams: each input chunk becomes output
// rows (ML.PREDICT over a table); without one it is a source that runs the function once; with two
// (VECTOR_SEARCH) it is a sink: the second input is read whole, the first flows through per-worker
// states that are merged at the end. Only the output columns the query uses are kept (the function
// was told which through set_used_columns).
#pragma once

#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "visiondb/execution/executor.hpp"
#include "visiondb/execution/operator.hpp"
#include "visiondb/sql/function_interface.hpp"

namespace visiondb::exec {

class TableFunctionOp final : public Operator {
 public:
  /// `inputs`: how many TABLE arguments (children) the call has, 0 to 2.
  TableFunctionOp(std::string name, std::shared_ptr<const sql::BoundTableFunction> fn, std::vector<size_t> columns,
                  size_t inputs)
      : Operator(OperatorKind::TableFunction,
                 [&] {
                   std::vector<LogicalType> t;
                   for (size_t c : columns) t.push_back(fn->types[c]);
                   return t;
                 }()),
        name_(std::move(name)),
        fn_(std::move(fn)),
        columns_(std::move(columns)),
        has_input_(inputs > 0),
        two_inputs_(inputs > 1) {}

  OperatorRole role() const override {
    return two_inputs_ ? OperatorRole::Sink : has_input_ ? OperatorRole::Streaming : OperatorRole::Source;
  }
  std::string describe() const override {
    std::string out = "TABLE_FUNCTION " + name_ + " [";
    for (size_t i = 0; i < columns_.size(); ++i) out += (i ? ", " : "") + fn_->names[columns_[i]];
    const std::string details = fn_->explain();
    return out + "]" + (details.empty() ? "" : " " + details);
  }

  // Source: the function runs once, in prepare().
  std::unique_ptr<GlobalState> prepare(ExecContext& ctx, Executor&) const override {
    auto g = std::make_unique<SourceGlobal>();
    if (!has_input_) {
      auto state = fn_->make_state(ctx);
      std::vector<Chunk> raw;
      fn_->execute(nullptr, state.get(), raw);
      for (auto& c : raw) g->chunks.push_back(project(c));
      fn_->finish(ctx);
    }
    return g;
  }
  size_t morsel_count(GlobalState* g) const override { return static_cast<SourceGlobal*>(g)->chunks.size(); }
  void read_morsel(ExecContext&, GlobalState* g, size_t m, Chunk& out) const override {
    out = static_cast<SourceGlobal*>(g)->chunks[m];
  }

  // Streaming over the input.
  std::unique_ptr<OperatorState> make_state(ExecContext& ctx, GlobalState*) const override {
    auto s = std::make_unique<StreamState>();
    s->fn_state = fn_->make_state(ctx);
    return s;
  }
  // Sink over the first input, once the second is read.
  std::vector<ChunkPtr> materialize(ExecContext& ctx, Executor& ex) const override {
    auto g = std::make_unique<SinkGlobal>();
    g->shared = fn_->prepare_side(ex.run(*children[1]));
    ex.run_pipeline(*children[0], *this, g.get());
    return finalize(ctx, g.get());
  }
  std::unique_ptr<OperatorState> make_sink_state(ExecContext&, GlobalState* g) const override {
    auto s = std::make_unique<StreamState>();
    s->fn_state = fn_->make_sink_state(static_cast<SinkGlobal*>(g)->shared.get());
    return s;
  }
  void sink(ExecContext&, const Chunk& in, size_t m, GlobalState* g, OperatorState* local) const override {
    fn_->sink(in, m, static_cast<SinkGlobal*>(g)->shared.get(), static_cast<StreamState*>(local)->fn_state.get());
  }
  void combine(ExecContext&, GlobalState* g, OperatorState* local) const override {
    fn_->combine(static_cast<SinkGlobal*>(g)->shared.get(), static_cast<StreamState*>(local)->fn_state.get());
  }
  std::vector<ChunkPtr> finalize(ExecContext&, GlobalState* g) const override {
    std::vector<Chunk> raw;
    fn_->finalize(static_cast<SinkGlobal*>(g)->shared.get(), raw);
    std::vector<ChunkPtr> out;
    for (auto& c : raw)
      if (c.size() > 0) out.push_back(std::make_shared<const Chunk>(project(c)));
    return out;
  }

  std::vector<Chunk> finish(ExecContext& ctx, GlobalState* g) const override {
    std::vector<Chunk> result;
    if (!has_input_) return result;
    if (fn_->whole_input()) {
      std::vector<Chunk> raw;
      fn_->execute_whole(static_cast<SourceGlobal*>(g)->input, raw);
      for (auto& c : raw) result.push_back(project(c));
    }
    fn_->finish(ctx);
    return result;
  }
  OpResult execute(ExecContext&, const Chunk& in, Chunk& out, GlobalState* g, OperatorState* state) const override {
    if (fn_->whole_input()) {
      // Gathered for finish(): the function needs every row at once.
      auto& global = *static_cast<SourceGlobal*>(g);
      std::lock_guard<std::mutex> lock(global.mutex);
      global.input.push_back(in);
      out = Chunk();
      return OpResult::NeedMoreInput;
    }
    auto& s = *static_cast<StreamState*>(state);
    if (!s.running) {
      std::vector<Chunk> raw;
      fn_->execute(&in, s.fn_state.get(), raw);
      for (auto& c : raw) s.pending.push_back(project(c));
      s.running = true;
    }
    if (s.pending.empty()) {
      s.running = false;
      out = Chunk();
      return OpResult::NeedMoreInput;
    }
    out = std::move(s.pending.front());
    s.pending.pop_front();
    if (s.pending.empty()) {
      s.running = false;
      return OpResult::NeedMoreInput;
    }
    return OpResult::HaveMoreOutput;
  }

 private:
  struct SourceGlobal final : GlobalState {
    std::vector<Chunk> chunks;
    std::mutex mutex;           // whole_input(): guards input
    std::vector<Chunk> input;   // whole_input(): every input chunk
  };
  struct SinkGlobal final : GlobalState {
    std::shared_ptr<sql::TableFunctionState> shared;
  };
  struct StreamState final : OperatorState {
    std::unique_ptr<sql::TableFunctionState> fn_state;
    std::deque<Chunk> pending;
    bool running = false;
  };
  Chunk project(const Chunk& c) const {
    std::vector<ColumnPtr> cols;
    for (size_t k : columns_) cols.push_back(c.column_ptr(k));
    Chunk out(std::move(cols), c.physical_size());
    if (c.has_selection()) out.set_selection(c.selection_ptr());
    return out;
  }
  std::string name_;
  std::shared_ptr<const sql::BoundTableFunction> fn_;
  std::vector<size_t> columns_;
  bool has_input_;
  bool two_inputs_;
};

}  // namespace visiondb::exec
