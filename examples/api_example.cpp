// A short tour of the C++ API: a table, a query with typed access, a prepared statement with
// parameters, a printed result, and an error with its position. Built in CI (examples/).
#include <cstdint>
#include <iostream>

#include "visiondb/api/database.hpp"
#include "visiondb/api/result_printer.hpp"

int main() {
  visiondb::Database db(visiondb::DatabaseOptions{.threads = 2});
  db.query(
      "CREATE TABLE poses (name STRING, level INT64, minutes FLOAT64);"
      "INSERT INTO poses VALUES ('tree', 1, 2.5), ('crow', 3, 1.0), ('warrior', 2, 4.0)");

  // Typed access, row by row.
  visiondb::QueryResult r = db.query("SELECT name, level FROM poses WHERE level >= 2 ORDER BY level");
  for (size_t row = 0; row < r.row_count(); ++row)
    std::cout << r.get_as<std::string>(row, 0) << " is level " << r.get_as<int64_t>(row, 1) << '\n';

  // A prepared statement, run with different parameter values.
  visiondb::PreparedStatement longer = db.prepare("SELECT COUNT(*) AS n FROM poses WHERE minutes > @m");
  for (double m : {1.5, 3.0}) {
    longer.bind("m", visiondb::Value::float64(m));
    std::cout << "longer than " << m << " min: " << longer.execute().get_as<int64_t>(0, 0) << '\n';
  }

  // Any result prints as a table (or CSV, JSON, Markdown).
  visiondb::print_result(std::cout, db.query("SELECT level, AVG(minutes) AS avg_minutes FROM poses GROUP BY level ORDER BY level"));

  // Errors are visiondb::Error: a kind, a message and, for SQL, the line with a caret.
  try {
    db.query("SELECT nmae FROM poses");
  } catch (const visiondb::Error& e) {
    std::cout << "error kind " << visiondb::error_kind_name(e.kind()) << ":\n" << e.what() << '\n';
  }
  return 0;
}
