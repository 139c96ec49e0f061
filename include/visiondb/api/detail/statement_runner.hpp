// StatementRunner: binds, plans and runs one parsed statement against a catalog. Queries go through
// the planner and the executor; DDL and DML build new table data and commit it with one swap.
#pragma once

#include <algorithm>
#include <chrono>
#include <memory>
#include <string>

#include "visiondb/api/query_result.hpp"
#include "visiondb/common/parallel.hpp"
#include "visiondb/common/progress.hpp"
#include "visiondb/execution/physical_planner.hpp"
#include "visiondb/functions/registry.hpp"
#include "visiondb/io/mount_table.hpp"
#include "visiondb/sql/binder.hpp"
#include "visiondb/sql/planner.hpp"
#include "visiondb/storage/catalog.hpp"

namespace visiondb::detail {

/// The Database's workers: `threads` tasks per pipeline, run in a task arena of at most one thread
/// per core (more tasks than cores still exercise the parallel paths; more arena threads than
/// cores would only oversubscribe).
class Workers {
 public:
  explicit Workers(int threads) { reset(threads); }
  void reset(int threads) {
    requested_ = threads > 0 ? threads : hardware_concurrency();
    arena_.reset(std::min(requested_, hardware_concurrency()));
  }
  int threads() const noexcept { return requested_; }
  template <class F>
  decltype(auto) execute(F&& f) {
    return arena_.execute(std::forward<F>(f));
  }

 private:
  int requested_ = 1;
  TaskArena arena_{1};
};

/// The planner's constant folding, done by the executor.
class ExecutorConstantEvaluator final : public sql::ConstantEvaluator {
 public:
  Value evaluate(const sql::BoundExpr& e) const override { return exec::evaluate_constant_expr(e); }
};

class StatementRunner {
 public:
  StatementRunner(Catalog& catalog, const fn::Registry& functions, Workers& arena)
      : catalog_(catalog), functions_(functions), arena_(arena) {}

  /// Binds and runs one statement; the result of a query, or a status for other statements.
  QueryResult run(const sql::Statement& statement, const sql::Parameters& params);

  /// Runs a bound query: optimized, planned, executed in the task arena.
  std::vector<exec::ChunkPtr> run_query(sql::BoundQuery& q);

  /// The bucket mounts object tables resolve gs:// URIs with (SET mount, Database::mount).
  io::MountTable& mounts() noexcept { return *mounts_; }
  /// Receives the progress of long statements (training, ML.PREDICT); empty for none.
  void set_progress_callback(ProgressCallback callback) { progress_ = std::move(callback); }

 private:
  QueryResult explain(sql::BoundStatement& b);
  QueryResult create_table(sql::BoundStatement& b);
  QueryResult replace_rows(sql::BoundStatement& b);
  QueryResult drop(sql::BoundStatement& b);
  QueryResult set(sql::BoundStatement& b);
  QueryResult create_external_table(sql::BoundStatement& b);
  QueryResult create_object_table(sql::BoundStatement& b);
  QueryResult create_model(sql::BoundStatement& b);
  QueryResult load_data(sql::BoundStatement& b);
  QueryResult export_data(sql::BoundStatement& b);
  QueryResult export_model(sql::BoundStatement& b);
  /// Puts a query's chunks into table form: selection-free, and in full chunks where rows were
  /// filtered out.
  static std::shared_ptr<TableData> to_table_data(const std::vector<LogicalType>& types,
                                                  const std::vector<exec::ChunkPtr>& chunks,
                                                  std::shared_ptr<const TableData> base = nullptr);

  Catalog& catalog_;
  const fn::Registry& functions_;
  Workers& arena_;
  ExecutorConstantEvaluator evaluator_;
  std::shared_ptr<io::MountTable> mounts_ = std::make_shared<io::MountTable>();
  ProgressCallback progress_;
};

}  // namespace visiondb::detail

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/api/detail/statement_runner_impl.hpp"
#endif
