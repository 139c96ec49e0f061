// Out-of-line parts of query_result.hpp.
#pragma once

#include <algorithm>

#include "visiondb/api/query_result.hpp"
#include "visiondb/common/error.hpp"
#include "visiondb/config.hpp"
#include "visiondb/storage/detail/text.hpp"

namespace visiondb {

VISIONDB_INLINE QueryResult::QueryResult(std::vector<std::string> names, std::vector<LogicalType> types,
                                         std::vector<std::shared_ptr<const Chunk>> chunks)
    : has_rows_(true), names_(std::move(names)), types_(std::move(types)) {
  for (auto& c : chunks) {
    if (c->size() == 0) continue;
    chunk_starts_.push_back(rows_);
    rows_ += c->size();
    chunks_.push_back(c->has_selection() ? std::make_shared<const Chunk>(c->flattened()) : std::move(c));
  }
  status_ = "SELECT";
}

VISIONDB_INLINE QueryResult QueryResult::status(std::string status, size_t rows_affected) {
  QueryResult r;
  r.status_ = std::move(status);
  r.rows_affected_ = rows_affected;
  return r;
}

VISIONDB_INLINE size_t QueryResult::column_index(std::string_view name) const {
  for (size_t i = 0; i < names_.size(); ++i)
    if (detail::iequals(names_[i], name)) return i;
  detail::throw_invalid_argument("result has no column \"" + std::string(name) + "\"");
}

VISIONDB_INLINE std::pair<const Chunk*, size_t> QueryResult::locate(size_t row) const {
  if (row >= rows_)
    detail::throw_invalid_argument("row " + std::to_string(row) + " is out of range: the result has " +
                                   std::to_string(rows_) + " rows");
  auto it = std::upper_bound(chunk_starts_.begin(), chunk_starts_.end(), row);
  size_t idx = static_cast<size_t>(it - chunk_starts_.begin()) - 1;
  return {chunks_[idx].get(), row - chunk_starts_[idx]};
}

VISIONDB_INLINE Value QueryResult::get(size_t row, size_t col) const {
  if (col >= names_.size()) detail::throw_invalid_argument("column " + std::to_string(col) + " is out of range");
  auto [chunk, r] = locate(row);
  return chunk->column(col).get(r);
}

VISIONDB_INLINE bool QueryResult::is_null(size_t row, size_t col) const {
  auto [chunk, r] = locate(row);
  return chunk->column(col).is_null(r);
}

}  // namespace visiondb
