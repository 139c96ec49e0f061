// Out-of-line parts of operators/order_by.hpp.
#pragma once

#include <algorithm>
#include <cstring>
#include <numeric>

#include "visiondb/common/parallel.hpp"
#include "visiondb/config.hpp"
#include "visiondb/execution/expression_executor.hpp"
#include "visiondb/execution/gather.hpp"
#include "visiondb/execution/operators/order_by.hpp"

namespace visiondb::exec {

namespace detail {

inline std::vector<SortSpec> sort_specs(const std::vector<OrderKeyExpr>& keys) {
  std::vector<SortSpec> out;
  for (const auto& k : keys) out.push_back({k.expr->type, k.descending, k.nulls_first});
  return out;
}

inline std::string describe_keys(const std::vector<OrderKeyExpr>& keys) {
  std::string out;
  for (size_t i = 0; i < keys.size(); ++i)
    out += (i ? ", " : "") + keys[i].expr->text + (keys[i].descending ? " DESC" : " ASC") +
           (keys[i].nulls_first ? " NULLS FIRST" : " NULLS LAST");
  return out;
}

// Encodes the sort keys of a chunk; positions (morsel << 32 | row-in-morsel) make keys unique.
struct PositionCounter {
  size_t morsel = SIZE_MAX;
  uint64_t rows = 0;
  uint64_t next(size_t m, size_t n) {
    if (m != morsel) {
      morsel = m;
      rows = 0;
    }
    uint64_t first = (uint64_t{m} << 32) | rows;
    rows += n;
    return first;
  }
};

inline void encode_chunk_keys(const std::vector<OrderKeyExpr>& keys, const SortKeyEncoder& enc, const Chunk& in,
                              uint64_t first_position, SortKeys& out) {
  const size_t n = in.size();
  std::vector<Vec> vecs;
  std::vector<ColumnView> views;
  for (const auto& k : keys) {
    vecs.push_back(ExpressionExecutor::evaluate(*k.expr, in, nullptr, n));
    views.push_back(vecs.back().view());
  }
  enc.encode(views, n, first_position, out);
}

struct SortPart {
  SortKeys keys;
  std::vector<ChunkPtr> chunks;
  std::vector<Column> columns;  // concatenated at finalize
};

struct SortRef {
  const char* key;
  uint32_t length;
  uint32_t part;
  uint32_t row;
};

// Rows in key order -> output chunks.
inline std::vector<ChunkPtr> emit_sorted(const std::vector<LogicalType>& types, const std::vector<SortPart>& parts,
                                         const std::vector<SortRef>& refs, size_t first, size_t count) {
  std::vector<ChunkPtr> out;
  for (size_t start = first; start < first + count; start += kVectorSize) {
    size_t m = std::min(kVectorSize, first + count - start);
    std::vector<ColumnPtr> cols;
    for (size_t c = 0; c < types.size(); ++c) {
      if (parts.size() == 1) {
        std::vector<uint32_t> idx(m);
        for (size_t i = 0; i < m; ++i) idx[i] = refs[start + i].row;
        cols.push_back(std::make_shared<const Column>(gather_column(parts[0].columns[c], idx.data(), m)));
        continue;
      }
      Column col(types[c]);
      col.reserve(m);
      for (size_t i = 0; i < m; ++i) col.append_from(parts[refs[start + i].part].columns[c], refs[start + i].row);
      cols.push_back(std::make_shared<const Column>(std::move(col)));
    }
    out.push_back(std::make_shared<const Chunk>(std::move(cols), m));
  }
  return out;
}

inline std::vector<SortRef> sorted_refs(const std::vector<SortPart>& parts) {
  std::vector<SortRef> refs;
  size_t total = 0;
  for (const auto& p : parts) total += p.keys.rows();
  refs.reserve(total);
  for (uint32_t p = 0; p < parts.size(); ++p)
    for (uint32_t r = 0; r < parts[p].keys.rows(); ++r) {
      std::string_view k = parts[p].keys.key(r);
      refs.push_back({k.data(), static_cast<uint32_t>(k.size()), p, r});
    }
  auto less = [](const SortRef& a, const SortRef& b) {
    int c = std::memcmp(a.key, b.key, std::min(a.length, b.length));
    return c != 0 ? c < 0 : a.length < b.length;
  };
  if (refs.size() > 100000) parallel_sort(refs.begin(), refs.end(), less);
  else std::sort(refs.begin(), refs.end(), less);
  return refs;
}

struct OrderLocal final : OperatorState {
  SortPart part;
  PositionCounter positions;
};
struct OrderGlobal final : GlobalState {
  std::vector<SortPart> parts;
};

struct TopNLocal final : OperatorState {
  SortKeys keys;
  std::vector<Column> columns;
  std::string threshold;
  PositionCounter positions;
  SortKeys scratch;
};
struct TopNGlobal final : GlobalState {
  std::vector<SortPart> parts;
};

}  // namespace detail

// ---- OrderOp --------------------------------------------------------------------------------

VISIONDB_INLINE OrderOp::OrderOp(std::vector<LogicalType> types, std::vector<OrderKeyExpr> keys)
    : Operator(OperatorKind::Order, std::move(types)), keys_(std::move(keys)), encoder_(detail::sort_specs(keys_)) {}

VISIONDB_INLINE std::string OrderOp::describe() const { return "ORDER_BY " + detail::describe_keys(keys_); }

VISIONDB_INLINE std::unique_ptr<GlobalState> OrderOp::make_global(ExecContext&) const {
  return std::make_unique<detail::OrderGlobal>();
}
VISIONDB_INLINE std::unique_ptr<OperatorState> OrderOp::make_sink_state(ExecContext&, GlobalState*) const {
  return std::make_unique<detail::OrderLocal>();
}

VISIONDB_INLINE void OrderOp::sink(ExecContext&, const Chunk& in, size_t m, GlobalState*, OperatorState* state) const {
  auto& local = *static_cast<detail::OrderLocal*>(state);
  if (in.size() == 0) return;
  detail::encode_chunk_keys(keys_, encoder_, in, local.positions.next(m, in.size()), local.part.keys);
  local.part.chunks.push_back(std::make_shared<const Chunk>(in));
}

VISIONDB_INLINE void OrderOp::combine(ExecContext&, GlobalState* g, OperatorState* state) const {
  auto& local = *static_cast<detail::OrderLocal*>(state);
  if (local.part.keys.rows() == 0) return;
  static_cast<detail::OrderGlobal*>(g)->parts.push_back(std::move(local.part));
}

VISIONDB_INLINE std::vector<ChunkPtr> OrderOp::finalize(ExecContext&, GlobalState* g) const {
  auto& parts = static_cast<detail::OrderGlobal*>(g)->parts;
  parallel_for_each_index(0, parts.size(), [&](size_t p) { parts[p].columns = concat_chunks(types(), parts[p].chunks); });
  auto refs = detail::sorted_refs(parts);
  return detail::emit_sorted(types(), parts, refs, 0, refs.size());
}

// ---- TopNOp ---------------------------------------------------------------------------------

VISIONDB_INLINE TopNOp::TopNOp(std::vector<LogicalType> types, std::vector<OrderKeyExpr> keys, int64_t limit,
                               int64_t offset)
    : Operator(OperatorKind::TopN, std::move(types)),
      keys_(std::move(keys)),
      encoder_(detail::sort_specs(keys_)),
      limit_(limit),
      offset_(offset) {}

VISIONDB_INLINE std::string TopNOp::describe() const {
  std::string out = "TOP_N " + std::to_string(limit_) + " BY " + detail::describe_keys(keys_);
  if (offset_) out += " OFFSET " + std::to_string(offset_);
  return out;
}

VISIONDB_INLINE std::unique_ptr<GlobalState> TopNOp::make_global(ExecContext&) const {
  return std::make_unique<detail::TopNGlobal>();
}
VISIONDB_INLINE std::unique_ptr<OperatorState> TopNOp::make_sink_state(ExecContext&, GlobalState*) const {
  auto s = std::make_unique<detail::TopNLocal>();
  for (const auto& t : types()) s->columns.emplace_back(t);
  return s;
}

namespace detail {
// The first key's NULL rank and order bits as the normalized key holds them (single fixed-width
// key only), so most rows are rejected without building a key.
inline void key_prefix(const ColumnView& v, size_t i, const SortSpec& spec, uint8_t& rank, uint64_t& bits) {
  const size_t w = spec.type.fixed_width();
  uint32_t r = v.row(i);
  if (v.column->type().id() == TypeId::Null || !v.column->is_valid(r)) {
    rank = spec.nulls_first ? 0 : 2;
    bits = 0;
    return;
  }
  rank = 1;
  bits = sort_order_bits(*v.column, r);
  if (spec.descending) bits = ~bits;
  if (w < 8) bits &= (uint64_t{1} << (8 * w)) - 1;
}
inline void decode_prefix(std::string_view key, size_t w, uint8_t& rank, uint64_t& bits) {
  rank = static_cast<uint8_t>(key[0]);
  bits = 0;
  for (size_t k = 0; k < w; ++k) bits = (bits << 8) | static_cast<unsigned char>(key[1 + k]);
}
}  // namespace detail

VISIONDB_INLINE void TopNOp::sink(ExecContext&, const Chunk& in, size_t m, GlobalState*, OperatorState* state) const {
  auto& local = *static_cast<detail::TopNLocal*>(state);
  const size_t n = in.size();
  const size_t k = static_cast<size_t>(limit_ + offset_);
  if (n == 0 || k == 0) return;
  const uint64_t first_position = local.positions.next(m, n);
  std::vector<uint32_t> keep;
  local.scratch.clear();
  const bool has_threshold = !local.threshold.empty();
  const size_t w = keys_.size() == 1 ? keys_[0].expr->type.fixed_width() : 0;
  if (has_threshold && w > 0) {
    // Single fixed-width key: compare the raw value with the bar first.
    Vec vec = ExpressionExecutor::evaluate(*keys_[0].expr, in, nullptr, n);
    ColumnView view = vec.view();
    uint8_t bar_rank, rank;
    uint64_t bar_bits, bits;
    detail::decode_prefix(local.threshold, w, bar_rank, bar_bits);
    for (uint32_t i = 0; i < n; ++i) {
      detail::key_prefix(view, i, encoder_.specs()[0], rank, bits);
      if (rank < bar_rank || (rank == bar_rank && bits <= bar_bits)) keep.push_back(i);
    }
    if (keep.empty()) return;
    for (uint32_t i : keep) {
      SelectionVector one{view.row(i)};
      ColumnView v1(view.column, one.data(), false);
      if (view.constant) v1 = view;
      encoder_.encode(std::span<const ColumnView>(&v1, 1), 1, first_position + i, local.scratch);
    }
    std::vector<uint32_t> kept;
    for (size_t j = 0; j < keep.size(); ++j)
      if (local.scratch.key(j) < std::string_view(local.threshold)) kept.push_back(static_cast<uint32_t>(j));
    SortKeys filtered;
    std::vector<uint32_t> rows;
    for (uint32_t j : kept) {
      std::string_view key = local.scratch.key(j);
      filtered.bytes.append(key.data(), key.size());
      filtered.offsets.push_back(static_cast<uint32_t>(filtered.bytes.size()));
      rows.push_back(keep[j]);
    }
    local.scratch = std::move(filtered);
    keep = std::move(rows);
  } else {
    detail::encode_chunk_keys(keys_, encoder_, in, first_position, local.scratch);
    for (uint32_t i = 0; i < n; ++i)
      if (!has_threshold || local.scratch.key(i) < std::string_view(local.threshold)) keep.push_back(i);
    if (keep.size() != n) {
      SortKeys filtered;
      for (uint32_t i : keep) {
        std::string_view key = local.scratch.key(i);
        filtered.bytes.append(key.data(), key.size());
        filtered.offsets.push_back(static_cast<uint32_t>(filtered.bytes.size()));
      }
      local.scratch = std::move(filtered);
    }
  }
  if (keep.empty()) return;
  // local.scratch now holds exactly the keys of `keep`, in order.
  for (size_t j = 0; j < keep.size(); ++j) {
    std::string_view key = local.scratch.key(j);
    local.keys.bytes.append(key.data(), key.size());
    local.keys.offsets.push_back(static_cast<uint32_t>(local.keys.bytes.size()));
  }
  std::vector<uint32_t> phys(keep.size());
  for (size_t j = 0; j < keep.size(); ++j) phys[j] = in.physical_row(keep[j]);
  for (size_t c = 0; c < local.columns.size(); ++c) {
    Column g = gather_column(in.column(c), phys.data(), phys.size());
    local.columns[c].append_range(g, 0, g.size());
  }
  if (local.keys.rows() >= std::max<size_t>(2 * k, k + 1024)) {
    // Keep the k best; the k-th becomes the bar new rows must beat.
    std::vector<uint32_t> idx(local.keys.rows());
    std::iota(idx.begin(), idx.end(), 0);
    std::nth_element(idx.begin(), idx.begin() + static_cast<ptrdiff_t>(k - 1), idx.end(),
                     [&](uint32_t a, uint32_t b) { return local.keys.key(a) < local.keys.key(b); });
    idx.resize(k);
    std::sort(idx.begin(), idx.end());
    SortKeys kept;
    for (uint32_t i : idx) {
      std::string_view key = local.keys.key(i);
      kept.bytes.append(key.data(), key.size());
      kept.offsets.push_back(static_cast<uint32_t>(kept.bytes.size()));
    }
    std::string worst;
    for (size_t j = 0; j < kept.rows(); ++j)
      if (worst.empty() || kept.key(j) > std::string_view(worst)) worst = std::string(kept.key(j));
    for (auto& col : local.columns) col = gather_column(col, idx.data(), idx.size());
    local.keys = std::move(kept);
    local.threshold = std::move(worst);
  }
}

VISIONDB_INLINE void TopNOp::combine(ExecContext&, GlobalState* g, OperatorState* state) const {
  auto& local = *static_cast<detail::TopNLocal*>(state);
  if (local.keys.rows() == 0) return;
  detail::SortPart part;
  part.keys = std::move(local.keys);
  part.columns = std::move(local.columns);
  static_cast<detail::TopNGlobal*>(g)->parts.push_back(std::move(part));
}

VISIONDB_INLINE std::vector<ChunkPtr> TopNOp::finalize(ExecContext&, GlobalState* g) const {
  auto& parts = static_cast<detail::TopNGlobal*>(g)->parts;
  auto refs = detail::sorted_refs(parts);
  size_t first = std::min(refs.size(), static_cast<size_t>(offset_));
  size_t count = std::min(refs.size() - first, static_cast<size_t>(limit_));
  return detail::emit_sorted(types(), parts, refs, first, count);
}

}  // namespace visiondb::exec
