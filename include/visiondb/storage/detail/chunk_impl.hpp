// Out-of-line parts of chunk.hpp.
#pragma once

#include "visiondb/config.hpp"
#include "visiondb/storage/chunk.hpp"

namespace visiondb {

VISIONDB_INLINE Chunk Chunk::flattened() const {
  if (!selection_) return *this;
  std::vector<ColumnPtr> cols;
  cols.reserve(columns_.size());
  for (const auto& c : columns_) cols.push_back(std::make_shared<const Column>(c->gather(*selection_)));
  return Chunk(std::move(cols), selection_->size());
}

VISIONDB_INLINE void ChunkBuilder::start() {
  columns_.clear();
  for (const auto& t : types_) {
    columns_.emplace_back(t);
    columns_.back().reserve(kVectorSize);
  }
  rows_in_chunk_ = 0;
}

VISIONDB_INLINE void ChunkBuilder::close() {
  if (rows_in_chunk_ == 0) return;
  std::vector<ColumnPtr> cols;
  cols.reserve(columns_.size());
  for (auto& c : columns_) cols.push_back(std::make_shared<const Column>(std::move(c)));
  done_.push_back(std::make_shared<const Chunk>(std::move(cols), rows_in_chunk_));
  start();
}

VISIONDB_INLINE void ChunkBuilder::append_row(const std::vector<Value>& row) {
  for (size_t i = 0; i < row.size(); ++i) columns_[i].append(row[i]);
  finish_row();
}

VISIONDB_INLINE void ChunkBuilder::finish_row() {
  ++rows_in_chunk_;
  ++total_rows_;
  if (rows_in_chunk_ == kVectorSize) close();
}

VISIONDB_INLINE void ChunkBuilder::append_chunk_rows(const Chunk& chunk, size_t first, size_t count) {
  while (count > 0) {
    size_t n = std::min(count, kVectorSize - rows_in_chunk_);
    if (chunk.has_selection()) {
      for (size_t i = 0; i < n; ++i) {
        uint32_t r = chunk.physical_row(first + i);
        for (size_t c = 0; c < columns_.size(); ++c) columns_[c].append_from(chunk.column(c), r);
      }
    } else {
      for (size_t c = 0; c < columns_.size(); ++c) columns_[c].append_range(chunk.column(c), first, n);
    }
    rows_in_chunk_ += n;
    total_rows_ += n;
    first += n;
    count -= n;
    if (rows_in_chunk_ == kVectorSize) close();
  }
}

VISIONDB_INLINE std::vector<std::shared_ptr<const Chunk>> ChunkBuilder::finish() {
  close();
  auto out = std::move(done_);
  done_.clear();
  total_rows_ = 0;
  return out;
}

}  // namespace visiondb
