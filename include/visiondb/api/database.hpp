// Database: the embedded engine's entry point. Owns the catalog, the session settings and the task
// arena that fixes the worker count.
//   visiondb::Database db;
//   db.query("CREATE TABLE t AS SELECT 1 AS x");
//   auto r = db.query("SELECT x FROM t");  r.get_as<int64_t>(0, 0) == 1
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "visiondb/api/query_result.hpp"
#include "visiondb/common/progress.hpp"
#include "visiondb/storage/catalog.hpp"
#include "visiondb/storage/value.hpp"

namespace visiondb {

namespace detail {
class DatabaseImpl;
class PreparedImpl;
}  // namespace detail
namespace fn {
class Registry;
}  // namespace fn

/// Settings fixed when a Database is opened.
struct DatabaseOptions {
  /// Worker threads for queries; 0 means one per core. Also `SET threads = n` in SQL.
  int threads = 0;
};

/// A parsed and bound statement, executed many times with different parameter values.
class PreparedStatement {
 public:
  PreparedStatement(PreparedStatement&&) noexcept;
  PreparedStatement& operator=(PreparedStatement&&) noexcept;
  ~PreparedStatement();

  /// Binds the 0-based positional parameter `?` number `index`.
  PreparedStatement& bind(size_t index, Value value);
  /// Binds the named parameter @name (name without '@').
  PreparedStatement& bind(std::string_view name, Value value);
  /// Runs the statement with the values bound so far.
  QueryResult execute();
  /// The number of positional parameters and the names of the named ones.
  size_t positional_count() const;
  std::vector<std::string> parameter_names() const;

 private:
  friend class Database;
  explicit PreparedStatement(std::unique_ptr<detail::PreparedImpl> impl);
  std::unique_ptr<detail::PreparedImpl> impl_;
};

class Database {
 public:
  explicit Database(DatabaseOptions options = {});
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  /// Runs one statement, or a script of statements separated by ';', and returns the result of the
  /// last one. Errors are visiondb::Error; a SqlError's what() shows the line and a caret. A failed
  /// statement changes nothing.
  QueryResult query(std::string_view sql);
  /// Runs one statement with parameter values: positional `?` from `positional`, then @name ones.
  QueryResult query(std::string_view sql, const std::vector<Value>& positional);
  /// Runs a script and returns every statement's result, in order.
  std::vector<QueryResult> query_all(std::string_view sql);
  /// Parses and binds one statement for repeated execution.
  PreparedStatement prepare(std::string_view sql);

  /// The worker count in force (DatabaseOptions::threads or `SET threads = n`).
  int threads() const;
  void set_threads(int threads);

  /// Receives the progress of long statements (CREATE MODEL training, ML.PREDICT over many rows)
  /// while they run, from the thread doing the work; an empty function turns reports off.
  void set_progress_callback(ProgressCallback callback);

  /// Maps a bucket URI ("gs://name") to a local folder, so that object tables over gs://name/...
  /// read that folder (also SET mount = 'gs://name=/folder' and the REPL's --mount). Replaces an
  /// earlier mount of the bucket; throws InvalidArgument for a malformed bucket URI.
  void mount(std::string_view bucket, std::string_view folder);
  /// Removes the mount of a bucket; returns whether there was one.
  bool unmount(std::string_view bucket);
  /// Every mount as (bucket URI, folder), sorted by bucket.
  std::vector<std::pair<std::string, std::string>> mounts() const;

  Catalog& catalog();
  const Catalog& catalog() const;
  /// This database's functions: the built-ins, plus what callers register (table functions such
  /// as ML.PREDICT, scalar and aggregate functions).
  fn::Registry& functions();

 private:
  std::unique_ptr<detail::DatabaseImpl> impl_;
};

}  // namespace visiondb

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/api/detail/database_impl.hpp"
#endif
