// Out-of-line parts of database.hpp: the path from SQL text to a QueryResult.
//   parse (sql/parser) -> bind (sql/binder) -> optimize (sql/planner)
//   -> physical plan (execution/physical_planner) -> run (execution/executor) -> QueryResult
// DDL and DML run here too: a statement builds new table data and commits it in one step, so a
// failed statement changes nothing.
#pragma once

#include <chrono>
#include <mutex>
#include <new>

#include "visiondb/api/database.hpp"
#include "visiondb/api/detail/statement_runner.hpp"
#include "visiondb/common/parallel.hpp"
#include "visiondb/config.hpp"
#include "visiondb/sql/lexer.hpp"
#include "visiondb/sql/parser.hpp"
#include "visiondb/storage/detail/text.hpp"

namespace visiondb {

namespace detail {

class DatabaseImpl {
 public:
  explicit DatabaseImpl(DatabaseOptions options)
      : functions(std::make_shared<fn::Registry>()), arena(options.threads), runner(catalog, *functions, arena) {}

  Catalog catalog;
  std::shared_ptr<fn::Registry> functions;
  Workers arena;
  StatementRunner runner;
  std::mutex mutex;  // one statement at a time

  /// Runs f, turning every failure into a visiondb::Error with the SQL text attached.
  template <class F>
  auto guarded(std::string_view sql, F&& f) -> decltype(f()) {
    try {
      return f();
    } catch (SqlError& e) {
      e.attach_query(sql);
      throw;
    } catch (const Error&) {
      throw;
    } catch (const std::bad_alloc&) {
      throw Error(ErrorKind::Execution, "out of memory");
    } catch (const std::exception& e) {
      throw Error(ErrorKind::Internal, std::string("internal error: ") + e.what());
    }
  }

  std::vector<QueryResult> run_script(std::string_view sql, const sql::Parameters& params, bool keep_all) {
    std::lock_guard lock(mutex);
    return guarded(sql, [&] {
      auto statements = sql::parse_script(sql);
      std::vector<QueryResult> results;
      for (auto& s : statements) {
        QueryResult r = runner.run(*s.statement, params);
        if (keep_all || &s == &statements.back()) results.push_back(std::move(r));
      }
      if (results.empty()) results.push_back(QueryResult::status("EMPTY"));
      return results;
    });
  }
};

class PreparedImpl {
 public:
  PreparedImpl(DatabaseImpl& db, std::string sql) : db_(db), sql_(std::move(sql)) {
    statement_ = db.guarded(sql_, [&] { return sql::parse_statement(sql_); });
    // Parameters, from the tokens: the parser numbers `?` in order.
    db.guarded(sql_, [&] {
      for (const auto& t : sql::tokenize(sql_)) {
        if (t.kind == sql::TokenKind::PositionalParameter) ++positional_;
        if (t.kind == sql::TokenKind::NamedParameter) {
          std::string n = to_lower(t.value);
          if (std::find(names_.begin(), names_.end(), n) == names_.end()) names_.push_back(n);
        }
      }
      return 0;
    });
  }
  void bind(size_t index, Value v) {
    if (index >= positional_)
      throw_invalid_argument("parameter index " + std::to_string(index) + " is out of range: the statement has " +
                             std::to_string(positional_) + " positional parameters");
    if (params_.positional.size() < positional_) params_.positional.resize(positional_);
    params_.positional[index] = std::move(v);
    if (bound_.size() < positional_) bound_.resize(positional_, false);
    bound_[index] = true;
  }
  void bind(std::string_view name, Value v) {
    std::string n = to_lower(name.size() && name[0] == '@' ? name.substr(1) : name);
    if (std::find(names_.begin(), names_.end(), n) == names_.end())
      throw_invalid_argument("the statement has no parameter @" + std::string(n));
    params_.named[n] = std::move(v);
  }
  QueryResult execute() {
    for (size_t i = 0; i < positional_; ++i)
      if (i >= bound_.size() || !bound_[i])
        throw_invalid_argument("positional parameter " + std::to_string(i) + " has no value");
    std::lock_guard lock(db_.mutex);
    return db_.guarded(sql_, [&] { return db_.runner.run(*statement_, params_); });
  }
  size_t positional_count() const { return positional_; }
  const std::vector<std::string>& names() const { return names_; }

 private:
  DatabaseImpl& db_;
  std::string sql_;
  sql::StatementPtr statement_;
  size_t positional_ = 0;
  std::vector<std::string> names_;
  std::vector<bool> bound_;
  sql::Parameters params_;
};

}  // namespace detail

VISIONDB_INLINE PreparedStatement::PreparedStatement(std::unique_ptr<detail::PreparedImpl> impl) : impl_(std::move(impl)) {}
VISIONDB_INLINE PreparedStatement::PreparedStatement(PreparedStatement&&) noexcept = default;
VISIONDB_INLINE PreparedStatement& PreparedStatement::operator=(PreparedStatement&&) noexcept = default;
VISIONDB_INLINE PreparedStatement::~PreparedStatement() = default;
VISIONDB_INLINE PreparedStatement& PreparedStatement::bind(size_t index, Value value) {
  impl_->bind(index, std::move(value));
  return *this;
}
VISIONDB_INLINE PreparedStatement& PreparedStatement::bind(std::string_view name, Value value) {
  impl_->bind(name, std::move(value));
  return *this;
}
VISIONDB_INLINE QueryResult PreparedStatement::execute() { return impl_->execute(); }
VISIONDB_INLINE size_t PreparedStatement::positional_count() const { return impl_->positional_count(); }
VISIONDB_INLINE std::vector<std::string> PreparedStatement::parameter_names() const { return impl_->names(); }

VISIONDB_INLINE Database::Database(DatabaseOptions options) : impl_(std::make_unique<detail::DatabaseImpl>(options)) {}
VISIONDB_INLINE Database::~Database() = default;

VISIONDB_INLINE QueryResult Database::query(std::string_view sql) {
  return std::move(impl_->run_script(sql, {}, false).back());
}

VISIONDB_INLINE QueryResult Database::query(std::string_view sql, const std::vector<Value>& positional) {
  sql::Parameters params;
  params.positional = positional;
  return std::move(impl_->run_script(sql, params, false).back());
}

VISIONDB_INLINE std::vector<QueryResult> Database::query_all(std::string_view sql) { return impl_->run_script(sql, {}, true); }

VISIONDB_INLINE PreparedStatement Database::prepare(std::string_view sql) {
  return PreparedStatement(std::make_unique<detail::PreparedImpl>(*impl_, std::string(sql)));
}

VISIONDB_INLINE int Database::threads() const { return impl_->arena.threads(); }

VISIONDB_INLINE void Database::set_threads(int threads) {
  std::lock_guard lock(impl_->mutex);
  if (threads < 0) detail::throw_invalid_argument("threads must be >= 0");
  impl_->arena.reset(threads);
}

VISIONDB_INLINE void Database::set_progress_callback(ProgressCallback callback) {
  std::lock_guard lock(impl_->mutex);
  impl_->runner.set_progress_callback(std::move(callback));
}

VISIONDB_INLINE void Database::mount(std::string_view bucket, std::string_view folder) {
  impl_->runner.mounts().mount(bucket, folder);
}
VISIONDB_INLINE bool Database::unmount(std::string_view bucket) { return impl_->runner.mounts().unmount(bucket); }
VISIONDB_INLINE std::vector<std::pair<std::string, std::string>> Database::mounts() const {
  return impl_->runner.mounts().list();
}

VISIONDB_INLINE Catalog& Database::catalog() { return impl_->catalog; }
VISIONDB_INLINE fn::Registry& Database::functions() { return *impl_->functions; }
VISIONDB_INLINE const Catalog& Database::catalog() const { return impl_->catalog; }

}  // namespace visiondb
