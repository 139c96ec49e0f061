// Out-of-line parts of operators/window_top_k.hpp.
#pragma once

#include <algorithm>
#include <cstring>
#include <string>
#include <unordered_map>

#include "visiondb/config.hpp"
#include "visiondb/execution/expression_executor.hpp"
#include "visiondb/execution/key_encoder.hpp"
#include "visiondb/execution/operators/window_top_k.hpp"
#include "visiondb/execution/sort_key.hpp"

namespace visiondb::exec {

namespace detail {

struct TopKCandidate {
  uint32_t null_rank;  // 0 sorts first
  uint64_t key;        // order bits, inverted for DESC
  uint64_t position;   // input position: ties keep input order
  uint32_t row;        // the copied row in the state's store
  bool operator<(const TopKCandidate& o) const {
    if (null_rank != o.null_rank) return null_rank < o.null_rank;
    if (key != o.key) return key < o.key;
    return position < o.position;
  }
};

// Partitions (by encoded key) with a max-heap of their best candidates, and the rows copied.
struct TopKState {
  explicit TopKState(const std::vector<LogicalType>& types) {
    for (const auto& t : types) store.emplace_back(t);
  }
  std::unordered_map<uint64_t, uint32_t> fixed_ids;
  std::unordered_map<std::string, uint32_t> byte_ids;
  uint32_t null_id = UINT32_MAX;
  std::vector<std::vector<TopKCandidate>> heaps;
  std::vector<std::string> keys;  // bytes mode: each partition's key; fixed mode: its 8 bytes + null flag
  std::vector<Column> store;

  uint32_t partition(bool fixed, bool null, uint64_t fixed_key, std::string_view bytes) {
    if (fixed) {
      if (null) {
        if (null_id == UINT32_MAX) null_id = add(std::string(1, '\1'));
        return null_id;
      }
      auto it = fixed_ids.find(fixed_key);
      if (it != fixed_ids.end()) return it->second;
      std::string k(9, '\0');
      std::memcpy(k.data() + 1, &fixed_key, 8);
      uint32_t id = add(std::move(k));
      fixed_ids.emplace(fixed_key, id);
      return id;
    }
    std::string k(1, null ? '\1' : '\0');
    k.append(bytes);
    auto it = byte_ids.find(k);
    if (it != byte_ids.end()) return it->second;
    uint32_t id = add(k);
    byte_ids.emplace(std::move(k), id);
    return id;
  }
  uint32_t add(std::string key) {
    keys.push_back(std::move(key));
    heaps.emplace_back();
    return static_cast<uint32_t>(heaps.size() - 1);
  }
  // Offers a candidate whose row lives at (src, src_row); copies it in when it makes the cut.
  void offer(uint32_t p, TopKCandidate c, size_t limit, const std::vector<const Column*>& src, uint32_t src_row) {
    auto& h = heaps[p];
    if (h.size() >= limit) {
      if (limit == 0 || !(c < h.front())) return;
      std::pop_heap(h.begin(), h.end());
      h.pop_back();
    }
    c.row = static_cast<uint32_t>(store.empty() ? 0 : store[0].size());
    for (size_t k = 0; k < store.size(); ++k) store[k].append_from(*src[k], src_row);
    if (store.empty()) c.row = 0;
    h.push_back(c);
    std::push_heap(h.begin(), h.end());
  }
};

struct TopKLocal final : OperatorState {
  explicit TopKLocal(const std::vector<LogicalType>& types) : state(types) {}
  TopKState state;
  size_t morsel = SIZE_MAX;
  uint64_t seq = 0;
};
struct TopKGlobal final : GlobalState {
  explicit TopKGlobal(const std::vector<LogicalType>& types) : state(types) {}
  TopKState state;
};

inline std::vector<LogicalType> input_types(const std::vector<LogicalType>& out) {
  return std::vector<LogicalType>(out.begin(), out.end() - 1);
}

}  // namespace detail

VISIONDB_INLINE WindowTopKOp::WindowTopKOp(std::vector<LogicalType> types, std::vector<ExprUPtr> partitions,
                                           ExprUPtr order, bool descending, bool nulls_first, int64_t limit,
                                           std::string text)
    : Operator(OperatorKind::Window, std::move(types)),
      partitions_(std::move(partitions)),
      order_(std::move(order)),
      descending_(descending),
      nulls_first_(nulls_first),
      limit_(static_cast<size_t>(std::max<int64_t>(limit, 0))),
      text_(std::move(text)) {}

VISIONDB_INLINE std::string WindowTopKOp::describe() const {
  return "WINDOW TOP " + std::to_string(limit_) + " PER PARTITION " + text_;
}

VISIONDB_INLINE std::unique_ptr<GlobalState> WindowTopKOp::make_global(ExecContext&) const {
  return std::make_unique<detail::TopKGlobal>(detail::input_types(types()));
}

VISIONDB_INLINE std::unique_ptr<OperatorState> WindowTopKOp::make_sink_state(ExecContext&, GlobalState*) const {
  return std::make_unique<detail::TopKLocal>(detail::input_types(types()));
}

VISIONDB_INLINE void WindowTopKOp::sink(ExecContext&, const Chunk& in, size_t m, GlobalState*, OperatorState* local) const {
  auto& l = static_cast<detail::TopKLocal&>(*local);
  const size_t n = in.size();
  if (n == 0) return;
  if (l.morsel != m) {
    l.morsel = m;
    l.seq = 0;
  }
  const uint64_t first_position = (uint64_t{m} << 32) | l.seq;
  l.seq += n;
  // Partition keys: one fixed-width key is read directly; anything else is encoded.
  std::vector<Vec> pvecs;
  std::vector<ColumnView> pviews;
  for (const auto& p : partitions_) {
    pvecs.push_back(ExpressionExecutor::evaluate(*p, in, nullptr, n));
    pviews.push_back(pvecs.back().view());
  }
  const bool direct = partitions_.size() == 1 && partitions_[0]->type.fixed_width() > 0 &&
                      pviews[0].column->type().id() != TypeId::Null;
  EncodedKeys enc;
  KeyEncoder encoder;
  if (!partitions_.empty() && !direct) {
    std::vector<LogicalType> ptypes;
    for (const auto& p : partitions_) ptypes.push_back(p->type);
    encoder = KeyEncoder(ptypes);
    encoder.encode(pviews, n, enc);
  }
  // The order key.
  Vec ovec;
  ColumnView oview;
  if (order_) {
    ovec = ExpressionExecutor::evaluate(*order_, in, nullptr, n);
    oview = ovec.view();
  }
  const bool untyped_order = order_ && oview.column->type().id() == TypeId::Null;
  // The order key of every row as (null rank, bits), in a tight typed loop.
  std::vector<uint64_t> okeys(order_ ? n : 0);
  std::vector<uint8_t> oranks(order_ ? n : 0, 1);
  if (order_) {
    const uint64_t invert = descending_ ? ~uint64_t{0} : 0;
    const uint8_t null_rank = nulls_first_ ? 0 : 1, value_rank = nulls_first_ ? 1 : 0;
    if (untyped_order) {
      std::fill(oranks.begin(), oranks.end(), null_rank);
    } else {
      const Column& oc = *oview.column;
      const bool nulls = !oview.all_valid();
      if (oc.type().id() == TypeId::Float64 && !oview.sel && !oview.constant) {
        const double* d = oc.data<double>();
        for (size_t i = 0; i < n; ++i) {
          double v = d[i];
          uint64_t bits;
          if (v == 0) v = 0;
          std::memcpy(&bits, &v, 8);
          bits = (bits >> 63) ? ~bits : (bits | 0x8000000000000000ULL);
          okeys[i] = (v != v ? 0 : bits) ^ invert;  // NaN sorts before every number
          oranks[i] = value_rank;
        }
      } else {
        for (size_t i = 0; i < n; ++i) {
          okeys[i] = sort_order_bits(oc, oview.row(i)) ^ invert;
          oranks[i] = value_rank;
        }
      }
      if (nulls)
        for (size_t i = 0; i < n; ++i)
          if (oview.is_null(i)) {
            oranks[i] = null_rank;
            okeys[i] = 0;
          }
    }
  }
  std::vector<const Column*> src;
  for (size_t c = 0; c < in.column_count(); ++c) src.push_back(&in.column(c));
  detail::TopKState& st = l.state;
  uint32_t last_pid = UINT32_MAX;
  uint64_t last_key = 0;
  const bool pnulls = direct && !pviews[0].all_valid();
  for (size_t i = 0; i < n; ++i) {
    uint32_t pid;
    if (partitions_.empty()) {
      pid = st.heaps.empty() ? st.add(std::string()) : 0;
    } else if (direct) {
      if (pnulls && pviews[0].is_null(i)) {
        pid = st.partition(true, true, 0, {});
      } else {
        const uint64_t key = fixed_key_bits(*pviews[0].column, pviews[0].row(i));
        // Unnested rows of one input row come together: most rows hit the last partition.
        if (last_pid == UINT32_MAX || key != last_key) {
          last_pid = st.partition(true, false, key, {});
          last_key = key;
        }
        pid = last_pid;
      }
    } else {
      pid = st.partition(encoder.fixed_mode(), enc.any_null[i], encoder.fixed_mode() ? enc.fixed[i] : 0,
                         encoder.fixed_mode() ? std::string_view() : enc.key(i));
    }
    detail::TopKCandidate c{order_ ? oranks[i] : 0u, order_ ? okeys[i] : 0, first_position + i, 0};
    // Most rows lose to the partition's current worst kept row: one comparison.
    const auto& h = st.heaps[pid];
    if (h.size() >= limit_ && (limit_ == 0 || !(c < h.front()))) continue;
    st.offer(pid, c, limit_, src, in.physical_row(i));
  }
}

VISIONDB_INLINE void WindowTopKOp::combine(ExecContext&, GlobalState* g, OperatorState* local) const {
  auto& dst = static_cast<detail::TopKGlobal&>(*g).state;
  auto& src = static_cast<detail::TopKLocal&>(*local).state;
  std::vector<const Column*> cols;
  for (const auto& c : src.store) cols.push_back(&c);
  for (size_t p = 0; p < src.heaps.size(); ++p) {
    const std::string& key = src.keys[p];
    uint32_t pid;
    if (partitions_.empty()) {
      pid = dst.heaps.empty() ? dst.add(std::string()) : 0;
    } else if (auto it = dst.byte_ids.find(key); it != dst.byte_ids.end()) {
      pid = it->second;
    } else {
      pid = dst.add(key);
      dst.byte_ids.emplace(key, pid);
    }
    for (const auto& c : src.heaps[p]) dst.offer(pid, c, limit_, cols, c.row);
  }
  src = detail::TopKState(detail::input_types(types()));
}

VISIONDB_INLINE std::vector<ChunkPtr> WindowTopKOp::finalize(ExecContext&, GlobalState* g) const {
  auto& st = static_cast<detail::TopKGlobal&>(*g).state;
  // Partitions in input order (by their first kept row), each in row-number order.
  std::vector<uint32_t> order(st.heaps.size());
  std::vector<uint64_t> first(st.heaps.size(), UINT64_MAX);
  for (uint32_t p = 0; p < st.heaps.size(); ++p) {
    order[p] = p;
    for (const auto& c : st.heaps[p]) first[p] = std::min(first[p], c.position);
    std::sort(st.heaps[p].begin(), st.heaps[p].end());
  }
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) { return first[a] < first[b]; });
  std::vector<uint32_t> rows;
  std::vector<int64_t> numbers;
  for (uint32_t p : order)
    for (size_t k = 0; k < st.heaps[p].size(); ++k) {
      rows.push_back(st.heaps[p][k].row);
      numbers.push_back(static_cast<int64_t>(k + 1));
    }
  std::vector<ChunkPtr> out;
  for (size_t start = 0; start < rows.size(); start += kVectorSize) {
    const size_t m = std::min(kVectorSize, rows.size() - start);
    std::vector<ColumnPtr> cols;
    for (const auto& c : st.store) {
      Column col(c.type());
      col.append_gather(c, rows.data() + start, m);
      cols.push_back(std::make_shared<const Column>(std::move(col)));
    }
    Column rn(LogicalType::int64());
    rn.resize(m);
    std::copy(numbers.begin() + static_cast<ptrdiff_t>(start), numbers.begin() + static_cast<ptrdiff_t>(start + m),
              rn.data<int64_t>());
    cols.push_back(std::make_shared<const Column>(std::move(rn)));
    out.push_back(std::make_shared<const Chunk>(std::move(cols), m));
  }
  return out;
}

}  // namespace visiondb::exec
