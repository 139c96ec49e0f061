// Operator: a physical operator, immutable after planning so that every worker shares it. Each
// operator plays one role in a pipeline:
//   Source     produces chunks by morsel (table scans, materialized chunks);
//   Streaming  turns an input chunk into output chunks (filter, projection, hash-join probe);
//   Sink       consumes a pipeline and materializes a result (aggregate, sort, limit) that the
//              next pipeline reads.
// Per-worker state comes from make_state()/make_sink_state(); per-execution state (a join's hash
// table, an aggregate's partial tables) lives in a GlobalState made by prepare()/make_global().
#pragma once

#include <atomic>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "visiondb/common/progress.hpp"
#include "visiondb/execution/operator_kind.hpp"
#include "visiondb/storage/chunk.hpp"

namespace visiondb::exec {

using ChunkPtr = std::shared_ptr<const Chunk>;

/// How far the running pipeline's source is, in morsels: operators that report progress (ML.PREDICT)
/// estimate their total from it.
struct SourceProgress {
  std::atomic<size_t> morsels{0};  ///< in all
  std::atomic<size_t> claimed{0};  ///< handed to workers so far
};

/// What every operator of one statement's execution shares.
struct ExecContext {
  /// Worker tasks per pipeline (the Database's thread count).
  int threads = 1;
  /// The session's progress callback (may be empty): long operators report through it.
  ProgressCallback progress;
  /// Set by the executor for each pipeline it runs.
  std::shared_ptr<SourceProgress> source = std::make_shared<SourceProgress>();
};

class OperatorState {
 public:
  virtual ~OperatorState() = default;
};
class GlobalState {
 public:
  virtual ~GlobalState() = default;
};

enum class OpResult { NeedMoreInput, HaveMoreOutput };
enum class OperatorRole { Source, Streaming, Sink };

class Executor;

class Operator {
 public:
  Operator(OperatorKind kind, std::vector<LogicalType> types) : kind_(kind), types_(std::move(types)) {}
  virtual ~Operator() = default;
  Operator(const Operator&) = delete;
  Operator& operator=(const Operator&) = delete;

  OperatorKind kind() const noexcept { return kind_; }
  /// Output column types.
  const std::vector<LogicalType>& types() const noexcept { return types_; }
  /// Streaming operators read children[0]; a hash join builds on children[1].
  std::vector<std::unique_ptr<Operator>> children;
  virtual OperatorRole role() const = 0;
  /// One EXPLAIN line.
  virtual std::string describe() const = 0;

  /// Work before the pipeline runs (a hash join's build); its result is passed back to every call.
  virtual std::unique_ptr<GlobalState> prepare(ExecContext&, Executor&) const { return nullptr; }

  // ---- Source
  virtual size_t morsel_count(GlobalState*) const { return 0; }
  /// Produces morsel m (possibly empty).
  virtual void read_morsel(ExecContext&, GlobalState*, size_t m, Chunk& out) const {
    (void)m;
    out = Chunk();
  }

  // ---- Streaming
  virtual std::unique_ptr<OperatorState> make_state(ExecContext&, GlobalState*) const { return nullptr; }
  /// Produces output for `in`; returns HaveMoreOutput to be called again with the same input.
  virtual OpResult execute(ExecContext&, const Chunk& in, Chunk& out, GlobalState*, OperatorState*) const {
    out = in;
    return OpResult::NeedMoreInput;
  }
  /// Output after the last input (the unmatched build rows of a RIGHT or FULL join).
  virtual std::vector<Chunk> finish(ExecContext&, GlobalState*) const { return {}; }

  // ---- Sink
  /// Runs the children and returns this operator's output. The default runs children[0]'s
  /// pipeline into sink()/combine()/finalize().
  virtual std::vector<ChunkPtr> materialize(ExecContext& ctx, Executor& ex) const;
  virtual std::unique_ptr<GlobalState> make_global(ExecContext&) const { return nullptr; }
  virtual std::unique_ptr<OperatorState> make_sink_state(ExecContext&, GlobalState*) const { return nullptr; }
  /// Consumes a chunk of morsel m (chunks of one morsel arrive in order, from one worker).
  virtual void sink(ExecContext&, const Chunk& in, size_t m, GlobalState*, OperatorState*) const {
    (void)in;
    (void)m;
  }
  /// Called once per morsel after its last chunk.
  virtual void morsel_done(GlobalState*, OperatorState*, size_t m) const { (void)m; }
  /// True when no more input is needed (LIMIT reached).
  virtual bool done(GlobalState*) const { return false; }
  /// Folds one worker's state into the global state (called serially).
  virtual void combine(ExecContext&, GlobalState*, OperatorState*) const {}
  virtual std::vector<ChunkPtr> finalize(ExecContext&, GlobalState*) const { return {}; }

 private:
  OperatorKind kind_;
  std::vector<LogicalType> types_;
};

using OperatorPtr = std::unique_ptr<Operator>;

/// The plan as indented EXPLAIN lines, the root first.
std::string explain_plan(const Operator& root);

}  // namespace visiondb::exec
