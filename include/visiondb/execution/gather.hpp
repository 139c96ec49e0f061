// gather_column: builds a column from rows of another picked by index (kNullRow gives NULL), with a
// memcpy fast path for fixed-width types. Used by joins, sorts and top-N.
#pragma once

#include <cstdint>
#include <cstring>

#include <memory>
#include <vector>

#include "visiondb/storage/chunk.hpp"

namespace visiondb::exec {

inline constexpr uint32_t kNullRow = UINT32_MAX;

inline Column gather_column(const Column& src, const uint32_t* idx, size_t n) {
  Column out(src.type());
  if (src.type().id() == TypeId::Null) {
    for (size_t i = 0; i < n; ++i) out.append_null();
    return out;
  }
  out.append_gather(src, idx, n);
  return out;
}

/// All logical rows of chunks concatenated into one column per column index (selection applied).
inline std::vector<Column> concat_chunks(const std::vector<LogicalType>& types,
                                         const std::vector<std::shared_ptr<const Chunk>>& chunks) {
  std::vector<Column> out;
  size_t total = 0;
  for (const auto& c : chunks) total += c->size();
  for (size_t k = 0; k < types.size(); ++k) {
    out.emplace_back(types[k]);
    out.back().reserve(total);
  }
  std::vector<uint32_t> idx;
  for (const auto& c : chunks) {
    if (c->size() == 0) continue;
    for (size_t k = 0; k < types.size(); ++k) {
      if (!c->has_selection()) {
        out[k].append_range(c->column(k), 0, c->size());
      } else {
        Column g = c->column(k).gather(*c->selection());
        out[k].append_range(g, 0, g.size());
      }
    }
  }
  return out;
}

}  // namespace visiondb::exec
