// The contract between the binder and the functions: what a scalar, aggregate or table function
// is to the binder (a name, a signature, a kernel behind a virtual call) and the FunctionCatalog the
// binder asks to resolve a call. functions/registry.hpp implements it with the built-in list; the
// binder never sees a concrete function.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "visiondb/common/error.hpp"
#include "visiondb/storage/chunk.hpp"
#include "visiondb/storage/column_view.hpp"
#include "visiondb/storage/types.hpp"
#include "visiondb/storage/value.hpp"

namespace visiondb::exec {
struct ExecContext;
}

namespace visiondb::sql {

/// What a kernel gets besides its arguments.
struct FunctionContext {
  /// The function's prepare() result for this call site (null when it has none).
  const void* prepared = nullptr;
  /// SAFE. prefix or SAFE_CAST: a row that would raise an error becomes NULL instead.
  bool safe = false;
};

/// One overload of a scalar function: fixed argument types, a result type and a kernel.
class ScalarFunction {
 public:
  ScalarFunction(std::string name, std::vector<LogicalType> arg_types, LogicalType return_type)
      : name_(std::move(name)), arg_types_(std::move(arg_types)), return_type_(std::move(return_type)) {}
  virtual ~ScalarFunction() = default;

  const std::string& name() const noexcept { return name_; }
  /// The registry names overloads when it registers them.
  void set_name(std::string name) { name_ = std::move(name); }
  const std::vector<LogicalType>& arg_types() const noexcept { return arg_types_; }
  const LogicalType& return_type() const noexcept { return return_type_; }
  /// False for RAND(), CURRENT_TIMESTAMP(): never constant-folded.
  virtual bool deterministic() const { return true; }
  /// True when the result is NULL whenever an argument is NULL (lets the planner fold NULLs).
  virtual bool propagates_nulls() const { return true; }

  /// Per call site work done once: compiles a constant pattern, parses a constant format.
  /// constants[i] is the value of argument i when it is a constant, else null. May throw SqlError
  /// (a bad pattern); the caller attaches the span of the call.
  virtual std::shared_ptr<const void> prepare(std::span<const Value* const> constants) const {
    (void)constants;
    return nullptr;
  }
  /// Computes `rows` results into `out` (an empty column of return_type()). Errors (overflow,
  /// division by zero) throw SqlError of kind Execution unless ctx.safe, where the row is NULL.
  virtual void execute(std::span<const ColumnView> args, size_t rows, Column& out,
                       const FunctionContext& ctx) const = 0;

 private:
  std::string name_;
  std::vector<LogicalType> arg_types_;
  LogicalType return_type_;
};

/// The states of one aggregate for every group of one hash table (one group when ungrouped),
/// addressed by dense group id. One object per (aggregate, partial table); never shared by threads.
class AggregateStates {
 public:
  virtual ~AggregateStates() = default;
  /// Grows to `groups` states; the new ones are empty.
  virtual void resize(size_t groups) = 0;
  /// Adds rows [0, n) of the arguments: row i to group gids[i] (gids null: every row to group 0).
  virtual void update(std::span<const ColumnView> args, size_t n, const uint32_t* gids) = 0;
  /// Merges other's group src[i] into this one's group dst[i] for i < n (null: the identity).
  virtual void combine(AggregateStates& other, const uint32_t* src, const uint32_t* dst, size_t n) = 0;
  /// Appends the results of groups [first, first + count) to out. Leaves the states as they were:
  /// window frames finalize a growing state many times.
  virtual void finalize(size_t first, size_t count, Column& out) = 0;
};

/// One overload of an aggregate function.
class AggregateFunction {
 public:
  AggregateFunction(std::string name, std::vector<LogicalType> arg_types, LogicalType return_type)
      : name_(std::move(name)), arg_types_(std::move(arg_types)), return_type_(std::move(return_type)) {}
  virtual ~AggregateFunction() = default;
  const std::string& name() const noexcept { return name_; }
  void set_name(std::string name) { name_ = std::move(name); }
  const std::vector<LogicalType>& arg_types() const noexcept { return arg_types_; }
  const LogicalType& return_type() const noexcept { return return_type_; }
  /// Fresh, empty states for a new table.
  virtual std::unique_ptr<AggregateStates> make_states() const = 0;

 private:
  std::string name_;
  std::vector<LogicalType> arg_types_;
  LogicalType return_type_;
};

// ---- table-valued functions: FROM fn(...), e.g. ML.PREDICT(MODEL m, TABLE t) ----------------

/// One argument of a table-function call as the binder saw it.
struct TableFunctionArgument {
  enum class Kind { Scalar, Table, Model };
  Kind kind = Kind::Scalar;
  std::string name;          ///< the parameter name for `name => value` arguments, else empty
  Value value;               ///< Scalar: a constant value
  std::shared_ptr<const void> entry;  ///< Model: the catalog entry (the function casts it)
  std::string entry_name;    ///< Model: its name as written
  std::vector<std::string> input_names;      ///< Table: the input relation's columns
  std::vector<LogicalType> input_types;
  SourceSpan span;
};

/// Per-execution state of a bound table function (one per worker).
class TableFunctionState {
 public:
  virtual ~TableFunctionState() = default;
};

/// A bound call: its output columns and how to run it. Immutable, shared by all workers.
class BoundTableFunction {
 public:
  virtual ~BoundTableFunction() = default;
  std::vector<std::string> names;
  std::vector<LogicalType> types;
  /// Tells the function which output columns are used (projection pushdown: compute only those).
  virtual void set_used_columns(const std::vector<size_t>& used) { (void)used; }
  /// Per-worker state; `ctx` is the statement's execution (threads, progress callback).
  virtual std::unique_ptr<TableFunctionState> make_state(exec::ExecContext& ctx) const {
    (void)ctx;
    return nullptr;
  }
  /// With a TABLE input: turns one input chunk into output rows, appended to `out`. Without an
  /// input: called once with input == nullptr. Output chunks have all of `types`' columns.
  virtual void execute(const Chunk* input, TableFunctionState* state, std::vector<Chunk>& out) const = 0;
  /// Called once after the last input chunk of an execution (a final progress report).
  virtual void finish(exec::ExecContext& ctx) const { (void)ctx; }
  /// True when the output depends on all the input rows at once (ML.EVALUATE over a table): the
  /// executor then gathers the input and calls execute_whole() once, after the last input chunk.
  virtual bool whole_input() const { return false; }
  /// With whole_input(): turns all the input chunks (in no particular order) into output rows.
  virtual void execute_whole(const std::vector<Chunk>& input, std::vector<Chunk>& out) const {
    (void)input;
    (void)out;
  }

  // ---- two TABLE inputs (VECTOR_SEARCH: the base table, then the queries). The second input is
  // read whole first; the first then flows through per-worker states, which are merged at the end.
  /// The state shared by every worker, made from all chunks of the second input.
  virtual std::shared_ptr<TableFunctionState> prepare_side(const std::vector<std::shared_ptr<const Chunk>>& side) const {
    (void)side;
    return nullptr;
  }
  /// One worker's state over the first input.
  virtual std::unique_ptr<TableFunctionState> make_sink_state(TableFunctionState* shared) const {
    (void)shared;
    return nullptr;
  }
  /// Consumes a chunk of the first input from morsel `morsel` (a morsel's chunks arrive in order).
  virtual void sink(const Chunk& input, size_t morsel, TableFunctionState* shared, TableFunctionState* local) const {
    (void)input, (void)morsel, (void)shared, (void)local;
  }
  /// Folds a worker's state into the shared one (called serially).
  virtual void combine(TableFunctionState* shared, TableFunctionState* local) const { (void)shared, (void)local; }
  /// The output once every worker is combined.
  virtual void finalize(TableFunctionState* shared, std::vector<Chunk>& out) const { (void)shared, (void)out; }
  /// What EXPLAIN adds after the output columns (empty: nothing); read after the run for
  /// EXPLAIN ANALYZE, so it may include what the run did.
  virtual std::string explain() const { return {}; }
};

class TableFunction {
 public:
  explicit TableFunction(std::string name) : name_(std::move(name)) {}
  virtual ~TableFunction() = default;
  const std::string& name() const noexcept { return name_; }
  /// How many TABLE / (query) arguments the function takes (VECTOR_SEARCH: two).
  virtual size_t max_table_arguments() const { return 1; }
  /// Checks the arguments and returns the bound call; throws SqlError (Bind/Type) on bad ones.
  virtual std::shared_ptr<BoundTableFunction> bind(std::vector<TableFunctionArgument>& args,
                                                   SourceSpan span) const = 0;

 private:
  std::string name_;
};

/// What an aggregate call adds to its arguments: agg(x [IGNORE NULLS] [ORDER BY k [DESC] ...]
/// [LIMIT n]). The states of such an aggregate receive the arguments, then the ORDER BY keys.
struct AggregateModifiers {
  bool ignore_nulls = false;
  std::vector<LogicalType> order_types;
  std::vector<bool> descending;
  std::vector<bool> nulls_first;
  int64_t limit = -1;  ///< -1: none
  bool empty() const noexcept { return !ignore_nulls && order_types.empty() && limit < 0; }
};

// ---- the catalog of functions ---------------------------------------------------------------

/// A chosen overload and the types its arguments must be cast to.
struct ResolvedScalar {
  std::shared_ptr<const ScalarFunction> function;
  std::vector<LogicalType> arg_types;
};
struct ResolvedAggregate {
  std::shared_ptr<const AggregateFunction> function;
  std::vector<LogicalType> arg_types;
};

class FunctionCatalog {
 public:
  virtual ~FunctionCatalog() = default;
  virtual bool has_scalar(std::string_view name) const = 0;
  virtual bool has_aggregate(std::string_view name) const = 0;
  /// Picks the overload for these argument types (exact, else with BigQuery's implicit coercions).
  /// Throws SqlError: Bind for an unknown name (with a "did you mean"), Type for no matching
  /// signature (listing the supported ones). `span` is the call's.
  virtual ResolvedScalar resolve_scalar(std::string_view name, const std::vector<LogicalType>& args,
                                        SourceSpan span) const = 0;
  /// `distinct`: the aggregate sees each distinct value of its first argument once per group.
  virtual ResolvedAggregate resolve_aggregate(std::string_view name, const std::vector<LogicalType>& args,
                                              bool distinct, SourceSpan span) const = 0;
  /// An aggregate call with modifiers (ORDER BY, LIMIT, IGNORE NULLS inside its parentheses).
  virtual ResolvedAggregate resolve_ordered_aggregate(std::string_view name, const std::vector<LogicalType>& args,
                                                      bool distinct, const AggregateModifiers& modifiers,
                                                      SourceSpan span) const {
    if (modifiers.empty()) return resolve_aggregate(name, args, distinct, span);
    throw SqlError(ErrorKind::Bind, "ORDER BY, LIMIT and IGNORE NULLS are not supported in aggregate " + std::string(name),
                   span);
  }
  /// The conversion CAST(x AS to) for an x of type from; throws SqlError (Type) when there is none.
  /// The kernel honours FunctionContext::safe (SAFE_CAST).
  virtual std::shared_ptr<const ScalarFunction> resolve_cast(const LogicalType& from, const LogicalType& to,
                                                             SourceSpan span) const = 0;
  /// True when CAST(x AS to) exists for an x of type from.
  virtual bool can_cast(const LogicalType& from, const LogicalType& to) const = 0;
  /// The table function of that (case-insensitive, maybe dotted: "ml.predict") name, or null.
  virtual std::shared_ptr<const TableFunction> find_table_function(std::string_view name) const = 0;
  /// Every function name, for "did you mean" suggestions.
  virtual std::vector<std::string> names() const = 0;
};

}  // namespace visiondb::sql
