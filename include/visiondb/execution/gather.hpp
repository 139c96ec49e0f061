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
  const size_t w = src.type().fixed_width();
  if (w) {
    out.resize(n);
    const bool nulls = !src.validity().all_valid();
    auto copy = [&](auto* dst, const auto* from) {
      for (size_t i = 0; i < n; ++i) {
        uint32_t r = idx[i];
        if (r == kNullRow) {
          out.set_null(i);
          continue;
        }
        dst[i] = from[r];
        if (nulls && !src.is_valid(r)) out.set_null(i);
      }
    };
    if (w == 8) copy(out.data<int64_t>(), src.data<int64_t>());
    else if (w == 4) copy(out.data<int32_t>(), src.data<int32_t>());
    else copy(out.data<uint8_t>(), src.data<uint8_t>());
    return out;
  }
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    if (idx[i] == kNullRow || src.type().id() == TypeId::Null) out.append_null();
    else out.append_from(src, idx[i]);
  }
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
