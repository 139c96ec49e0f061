// Out-of-line parts of executor.hpp and operator.hpp.
#pragma once

#include <algorithm>
#include <atomic>
#include <mutex>

#include "visiondb/common/parallel.hpp"
#include "visiondb/config.hpp"
#include "visiondb/execution/executor.hpp"

namespace visiondb::exec {

namespace detail {
inline void explain_lines(const Operator& op, int depth, std::string& out) {
  out += std::string(static_cast<size_t>(depth) * 2, ' ') + op.describe() + "\n";
  for (const auto& c : op.children) explain_lines(*c, depth + 1, out);
}

struct CollectGlobal final : GlobalState {
  std::vector<std::pair<size_t, ChunkPtr>> chunks;
};
struct CollectLocal final : OperatorState {
  std::vector<std::pair<size_t, ChunkPtr>> chunks;
};
}  // namespace detail

VISIONDB_INLINE std::string explain_plan(const Operator& root) {
  std::string out;
  detail::explain_lines(root, 0, out);
  return out;
}

VISIONDB_INLINE std::vector<ChunkPtr> Operator::materialize(ExecContext& ctx, Executor& ex) const {
  auto global = make_global(ctx);
  ex.run_pipeline(*children[0], *this, global.get());
  return finalize(ctx, global.get());
}

VISIONDB_INLINE std::unique_ptr<GlobalState> CollectOp::make_global(ExecContext&) const {
  return std::make_unique<detail::CollectGlobal>();
}
VISIONDB_INLINE std::unique_ptr<OperatorState> CollectOp::make_sink_state(ExecContext&, GlobalState*) const {
  return std::make_unique<detail::CollectLocal>();
}
VISIONDB_INLINE void CollectOp::sink(ExecContext&, const Chunk& in, size_t m, GlobalState*, OperatorState* local) const {
  if (in.size() == 0) return;
  static_cast<detail::CollectLocal*>(local)->chunks.emplace_back(m, std::make_shared<const Chunk>(in));
}
VISIONDB_INLINE void CollectOp::combine(ExecContext&, GlobalState* g, OperatorState* local) const {
  auto& dst = static_cast<detail::CollectGlobal*>(g)->chunks;
  auto& src = static_cast<detail::CollectLocal*>(local)->chunks;
  dst.insert(dst.end(), std::make_move_iterator(src.begin()), std::make_move_iterator(src.end()));
}
VISIONDB_INLINE std::vector<ChunkPtr> CollectOp::finalize(ExecContext&, GlobalState* g) const {
  auto& all = static_cast<detail::CollectGlobal*>(g)->chunks;
  // Each morsel's chunks came from one worker in order: a stable sort by morsel restores scan order.
  std::stable_sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<ChunkPtr> out;
  out.reserve(all.size());
  for (auto& [m, c] : all) out.push_back(std::move(c));
  return out;
}

VISIONDB_INLINE std::vector<ChunkPtr> Executor::run(const Operator& op) {
  if (op.role() == OperatorRole::Sink) return op.materialize(ctx_, *this);
  CollectOp collect(op.types());
  auto global = collect.make_global(ctx_);
  run_pipeline(op, collect, global.get());
  return collect.finalize(ctx_, global.get());
}

VISIONDB_INLINE void Executor::run_pipeline(const Operator& top, const Operator& sink_op, GlobalState* sink_global) {
  // The chain of streaming operators, bottom (next to the source) first.
  std::vector<const Operator*> chain;
  const Operator* op = &top;
  while (op->role() == OperatorRole::Streaming) {
    chain.push_back(op);
    op = op->children[0].get();
  }
  std::reverse(chain.begin(), chain.end());

  // The source: a real one, or the materialized output of a sink below.
  std::unique_ptr<Operator> materialized;
  const Operator* source = op;
  if (op->role() == OperatorRole::Sink) {
    materialized = std::make_unique<ChunkScanOp>(op->types(), run(*op));
    source = materialized.get();
  }
  auto source_global = source->prepare(ctx_, *this);
  std::vector<std::unique_ptr<GlobalState>> globals;
  for (const Operator* o : chain) globals.push_back(o->prepare(ctx_, *this));

  struct Worker {
    std::vector<std::unique_ptr<OperatorState>> states;
    std::unique_ptr<OperatorState> sink_state;
  };
  auto make_worker = [&]() {
    Worker w;
    for (size_t i = 0; i < chain.size(); ++i) w.states.push_back(chain[i]->make_state(ctx_, globals[i].get()));
    w.sink_state = sink_op.make_sink_state(ctx_, sink_global);
    return w;
  };
  // Pushes a chunk through chain[level..] into the sink.
  auto push = [&](auto& self, Worker& w, const Chunk& chunk, size_t level, size_t morsel) -> void {
    if (chunk.size() == 0) return;
    if (level == chain.size()) {
      sink_op.sink(ctx_, chunk, morsel, sink_global, w.sink_state.get());
      return;
    }
    for (;;) {
      Chunk out;
      OpResult r = chain[level]->execute(ctx_, chunk, out, globals[level].get(), w.states[level].get());
      if (out.size() > 0) self(self, w, out, level + 1, morsel);
      if (r == OpResult::NeedMoreInput) break;
    }
  };

  const size_t morsels = source->morsel_count(source_global.get());
  const size_t tasks = std::max<size_t>(1, std::min<size_t>(static_cast<size_t>(std::max(ctx_.threads, 1)), morsels));
  std::vector<Worker> workers(tasks);
  std::atomic<size_t> next{0};
  ctx_.source->morsels.store(morsels);
  ctx_.source->claimed.store(0);
  auto task = [&](size_t t) {
    Worker& w = workers[t];
    w = make_worker();
    for (;;) {
      if (sink_op.done(sink_global)) break;
      size_t m = next.fetch_add(1, std::memory_order_relaxed);
      if (m >= morsels) break;
      ctx_.source->claimed.fetch_add(1, std::memory_order_relaxed);
      Chunk chunk;
      source->read_morsel(ctx_, source_global.get(), m, chunk);
      push(push, w, chunk, 0, m);
      sink_op.morsel_done(sink_global, w.sink_state.get(), m);
    }
  };
  if (tasks == 1 || morsels <= 1) {
    task(0);
    for (size_t t = 1; t < tasks; ++t) workers[t] = make_worker();
  } else {
    parallel_for_each_index(0, tasks, task);
  }
  // Output that exists only once all input is seen (unmatched rows of outer joins).
  size_t extra_morsel = morsels;
  for (size_t level = 0; level < chain.size(); ++level) {
    for (Chunk& c : chain[level]->finish(ctx_, globals[level].get())) {
      push(push, workers[0], c, level + 1, extra_morsel);
      sink_op.morsel_done(sink_global, workers[0].sink_state.get(), extra_morsel);
      ++extra_morsel;
    }
  }
  for (auto& w : workers) sink_op.combine(ctx_, sink_global, w.sink_state.get());
}

}  // namespace visiondb::exec
