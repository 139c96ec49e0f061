// QueryResult: what a statement returns: named, typed columns in chunks (the executor's own
// memory, shared, not copied), or for DDL/DML a short status and a row count.
#pragma once

#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include "visiondb/common/error.hpp"
#include "visiondb/storage/chunk.hpp"
#include "visiondb/storage/types.hpp"
#include "visiondb/storage/value.hpp"

namespace visiondb {

class QueryResult {
 public:
  QueryResult() = default;
  /// A result set.
  QueryResult(std::vector<std::string> names, std::vector<LogicalType> types,
              std::vector<std::shared_ptr<const Chunk>> chunks);
  /// A statement without a result set: `status` like "CREATE TABLE", and the rows it touched.
  static QueryResult status(std::string status, size_t rows_affected = 0);

  /// True when the statement produced rows (even zero of them): a query, EXPLAIN, ML.EVALUATE.
  bool has_rows() const noexcept { return has_rows_; }
  const std::string& status() const noexcept { return status_; }
  size_t rows_affected() const noexcept { return rows_affected_; }

  size_t column_count() const noexcept { return names_.size(); }
  const std::string& column_name(size_t col) const { return names_.at(col); }
  const LogicalType& column_type(size_t col) const { return types_.at(col); }
  const std::vector<std::string>& column_names() const noexcept { return names_; }
  const std::vector<LogicalType>& column_types() const noexcept { return types_; }
  /// The index of a column by case-insensitive name; throws InvalidArgument when missing.
  size_t column_index(std::string_view name) const;

  size_t row_count() const noexcept { return rows_; }
  /// Row `row`, column `col` as a Value (row-at-a-time; use chunks() for bulk access).
  Value get(size_t row, size_t col) const;
  /// Typed access: T is bool, int64_t, double, std::string, or Value. Throws InvalidArgument on a
  /// NULL (use get() or is_null()) or a type that does not match the column.
  template <class T>
  T get_as(size_t row, size_t col) const;
  bool is_null(size_t row, size_t col) const;

  /// The result's chunks, each with flattened (selection-free) columns.
  const std::vector<std::shared_ptr<const Chunk>>& chunks() const noexcept { return chunks_; }

 private:
  std::pair<const Chunk*, size_t> locate(size_t row) const;

  bool has_rows_ = false;
  std::string status_;
  size_t rows_affected_ = 0;
  std::vector<std::string> names_;
  std::vector<LogicalType> types_;
  std::vector<std::shared_ptr<const Chunk>> chunks_;
  std::vector<size_t> chunk_starts_;  // first row of each chunk, for get()
  size_t rows_ = 0;
};

template <class T>
T QueryResult::get_as(size_t row, size_t col) const {
  Value v = get(row, col);
  if constexpr (std::is_same_v<T, Value>) {
    return v;
  } else {
    if (v.is_null())
      detail::throw_invalid_argument("column \"" + names_[col] + "\" is NULL at row " + std::to_string(row));
    auto mismatch = [&]() -> T {
      detail::throw_invalid_argument("column \"" + names_[col] + "\" has type " + types_[col].to_string());
    };
    if constexpr (std::is_same_v<T, bool>) {
      return v.type().id() == TypeId::Bool ? v.as_bool() : mismatch();
    } else if constexpr (std::is_same_v<T, int64_t>) {
      return v.type().id() == TypeId::Int64 ? v.as_int64() : mismatch();
    } else if constexpr (std::is_same_v<T, double>) {
      return v.type().is_numeric() ? v.to_double() : mismatch();
    } else if constexpr (std::is_same_v<T, std::string>) {
      return v.type().is_varlen() ? v.as_string() : v.to_string();
    } else {
      static_assert(sizeof(T) == 0, "get_as<T>: T is bool, int64_t, double, std::string or Value");
    }
  }
}

}  // namespace visiondb

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/api/detail/query_result_impl.hpp"
#endif
