// The window functions over one sorted partition: numbering (ROW_NUMBER, RANK, DENSE_RANK,
// PERCENT_RANK, CUME_DIST, NTILE), navigation (LAG, LEAD, FIRST_VALUE, LAST_VALUE, NTH_VALUE) and
// aggregates over ROWS / RANGE frames. A partition is a list of row indexes into the evaluated
// value columns, in ORDER BY order; each call yields a column of those rows' results in that order.
// Aggregates run incrementally when every frame starts at the partition's start, once when every
// frame is the whole partition, and per row otherwise.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <vector>

#include "visiondb/common/parallel.hpp"
#include "visiondb/execution/operators/window.hpp"
#include "visiondb/execution/sort_key.hpp"

namespace visiondb::exec::detail {

/// The ORDER BY keys of a window group, compared row against row.
class WindowOrder {
 public:
  WindowOrder(const std::vector<const Column*>& cols, const std::vector<bool>& descending,
              const std::vector<bool>& nulls_first) {
    for (size_t k = 0; k < cols.size(); ++k) {
      Key key;
      key.col = cols[k];
      key.desc = descending[k];
      key.nulls_first = nulls_first[k];
      key.fixed = cols[k]->type().fixed_width() > 0;
      key.nulls = !cols[k]->validity().all_valid();
      if (key.fixed) {
        const size_t n = cols[k]->size();
        key.bits.resize(n);
        const Column* c = cols[k];
        uint64_t* bits = key.bits.data();
        parallel_for(0, n, 1 << 16, [&](size_t b, size_t e) {
          for (size_t r = b; r < e; ++r) bits[r] = sort_order_bits(*c, static_cast<uint32_t>(r));
        });
      }
      keys_.push_back(std::move(key));
    }
  }
  bool empty() const noexcept { return keys_.empty(); }

  /// <0, 0, >0 as row a sorts before, with, or after row b (keys only).
  int compare(uint32_t a, uint32_t b) const {
    for (const Key& k : keys_) {
      const bool na = k.nulls && k.col->is_null(a), nb = k.nulls && k.col->is_null(b);
      if (na || nb) {
        if (na && nb) continue;
        const bool a_first = na ? k.nulls_first : !k.nulls_first;
        return a_first ? -1 : 1;
      }
      if (k.fixed) {
        const uint64_t x = k.bits[a], y = k.bits[b];
        if (x != y) return (x < y) != k.desc ? -1 : 1;
      } else {
        int c = k.col->string_at(a).compare(k.col->string_at(b));
        if (c != 0) return (c < 0) != k.desc ? -1 : 1;
      }
    }
    return 0;
  }

  struct Item {
    uint64_t key;
    uint32_t null_rank;
    uint32_t row;
    bool operator<(const Item& o) const {
      if (null_rank != o.null_rank) return null_rank < o.null_rank;
      if (key != o.key) return key < o.key;
      return row < o.row;
    }
  };

  /// Sorts rows[0, m) by the keys, ties by row index; with `limit` < m only the first `limit`
  /// positions are put in order (the rest are the other rows, unordered). `items` is scratch.
  void sort(uint32_t* rows, size_t m, size_t limit, std::vector<Item>& items) const {
    limit = std::min(limit, m);
    if (keys_.empty() || m < 2) return;
    if (keys_.size() == 1 && keys_[0].fixed) {
      const Key& k = keys_[0];
      items.resize(m);
      for (size_t i = 0; i < m; ++i) {
        const uint32_t r = rows[i];
        const bool null = k.nulls && k.col->is_null(r);
        items[i].row = r;
        items[i].null_rank = null == k.nulls_first ? 0u : 1u;
        items[i].key = null ? 0 : (k.desc ? ~k.bits[r] : k.bits[r]);
      }
      if (limit < m) {
        std::partial_sort(items.begin(), items.begin() + static_cast<ptrdiff_t>(limit), items.begin() + static_cast<ptrdiff_t>(m));
      } else if (m > (1u << 16)) {
        parallel_sort(items.begin(), items.begin() + static_cast<ptrdiff_t>(m), std::less<Item>());
      } else {
        std::sort(items.begin(), items.begin() + static_cast<ptrdiff_t>(m));
      }
      for (size_t i = 0; i < m; ++i) rows[i] = items[i].row;
      return;
    }
    auto less = [this](uint32_t a, uint32_t b) {
      int c = compare(a, b);
      return c != 0 ? c < 0 : a < b;
    };
    if (limit < m) std::partial_sort(rows, rows + limit, rows + m, less);
    else if (m > (1u << 16)) parallel_sort(rows, rows + m, less);
    else std::sort(rows, rows + m, less);
  }

  /// The value of the single numeric ORDER BY key of row r as a double (RANGE offsets).
  double number(uint32_t r) const {
    const Column& c = *keys_[0].col;
    return c.type().id() == TypeId::Int64 ? static_cast<double>(c.data<int64_t>()[r]) : c.data<double>()[r];
  }
  bool null_key(uint32_t r) const { return keys_[0].nulls && keys_[0].col->is_null(r); }
  bool descending() const { return keys_[0].desc; }

 private:
  struct Key {
    const Column* col = nullptr;
    bool desc = false;
    bool nulls_first = true;
    bool fixed = false;
    bool nulls = false;
    std::vector<uint64_t> bits;
  };
  std::vector<Key> keys_;
};

/// What one worker reuses from partition to partition.
struct WindowScratch {
  std::vector<WindowOrder::Item> items;
  std::vector<uint32_t> peer_start, peer_end, fs, fe, src, pick, sel, gids, valid;
  std::vector<ColumnView> views;
};

/// One sorted partition: its rows (indexes into the value columns), and its peer groups.
struct WindowPartition {
  const uint32_t* rows = nullptr;
  size_t m = 0;
  const WindowOrder* order = nullptr;
  WindowScratch* scratch = nullptr;
  bool peers_done = false;

  const std::vector<uint32_t>& peer_start() const { return scratch->peer_start; }
  const std::vector<uint32_t>& peer_end() const { return scratch->peer_end; }

  void peers() {
    if (peers_done) return;
    peers_done = true;
    auto& ps = scratch->peer_start;
    auto& pe = scratch->peer_end;
    ps.resize(m);
    pe.resize(m);
    size_t start = 0;
    for (size_t i = 1; i <= m; ++i) {
      const bool boundary = i == m || (!order->empty() && order->compare(rows[i - 1], rows[i]) != 0);
      if (!boundary) continue;
      for (size_t k = start; k < i; ++k) {
        ps[k] = static_cast<uint32_t>(start);
        pe[k] = static_cast<uint32_t>(i);
      }
      start = i;
    }
  }
};

// ---- frames ---------------------------------------------------------------------------------

inline size_t clamp_index(int64_t v, size_t m) {
  return v < 0 ? 0 : static_cast<size_t>(std::min<int64_t>(v, static_cast<int64_t>(m)));
}

// i + delta with saturation (offsets can be huge).
inline int64_t add_offset(size_t i, int64_t delta) {
  const int64_t base = static_cast<int64_t>(i);
  if (delta > 0 && base > INT64_MAX - delta) return INT64_MAX;
  if (delta < 0 && base < INT64_MIN - delta) return INT64_MIN;
  return base + delta;
}

/// Frame [fs[i], fe[i]) of every row of the partition.
inline void window_frames(const WindowCall& call, WindowPartition& p, std::vector<uint32_t>& fs, std::vector<uint32_t>& fe) {
  using B = sql::FrameBoundKind;
  const size_t m = p.m;
  fs.resize(m);
  fe.resize(m);
  const auto& f = call.frame;
  if (f.unit == sql::FrameUnit::Rows) {
    const int64_t so = f.start.offset.is_null() ? 0 : f.start.offset.as_int64();
    const int64_t eo = f.end.offset.is_null() ? 0 : f.end.offset.as_int64();
    for (size_t i = 0; i < m; ++i) {
      size_t s = 0, e = m;
      switch (f.start.kind) {
        case B::UnboundedPreceding: s = 0; break;
        case B::Preceding: s = clamp_index(add_offset(i, -so), m); break;
        case B::CurrentRow: s = i; break;
        case B::Following: s = clamp_index(add_offset(i, so), m); break;
        case B::UnboundedFollowing: s = m; break;
      }
      switch (f.end.kind) {
        case B::UnboundedPreceding: e = 0; break;
        case B::Preceding: e = clamp_index(add_offset(i, -eo) + 1, m); break;
        case B::CurrentRow: e = i + 1; break;
        case B::Following: e = clamp_index(add_offset(i, eo == INT64_MAX ? eo : eo + 1), m); break;
        case B::UnboundedFollowing: e = m; break;
      }
      fs[i] = static_cast<uint32_t>(s);
      fe[i] = static_cast<uint32_t>(std::max(s, e));
    }
    return;
  }
  // RANGE: CURRENT ROW means the peers; offsets are distances on the single numeric key.
  p.peers();
  const bool offsets = f.start.kind == B::Preceding || f.start.kind == B::Following || f.end.kind == B::Preceding ||
                       f.end.kind == B::Following;
  // The non-NULL keys form one run [ns, ne) of the partition; NULL keys sort first or last.
  size_t ns = 0, ne = m;
  if (offsets) {
    while (ns < m && p.order->null_key(p.rows[ns])) ++ns;
    ne = ns;
    while (ne < m && !p.order->null_key(p.rows[ne])) ++ne;
  }
  const bool desc = offsets && p.order->descending();
  // First position in [ns, ne) whose key is past `v` ("past": after in sort order; `inclusive`:
  // at or after).
  auto first_past = [&](double v, bool inclusive) {
    size_t lo = ns, hi = ne;
    while (lo < hi) {
      size_t mid = (lo + hi) / 2;
      double k = p.order->number(p.rows[mid]);
      bool past = desc ? (inclusive ? k <= v : k < v) : (inclusive ? k >= v : k > v);
      if (past) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
  auto offset_of = [](const sql::WindowFrameBound& b) { return b.offset.is_null() ? 0.0 : b.offset.to_double(); };
  for (size_t i = 0; i < m; ++i) {
    const bool null_row = offsets && (i < ns || i >= ne);
    size_t s = 0, e = m;
    const double v = offsets && !null_row ? p.order->number(p.rows[i]) : 0.0;
    // Preceding moves against the sort direction, following with it.
    auto towards = [&](double d, bool preceding) { return (preceding != desc) ? v - d : v + d; };
    switch (f.start.kind) {
      case B::UnboundedPreceding: s = 0; break;
      case B::CurrentRow: s = p.peer_start()[i]; break;
      case B::Preceding:
      case B::Following:
        s = null_row ? p.peer_start()[i] : first_past(towards(offset_of(f.start), f.start.kind == B::Preceding), true);
        break;
      case B::UnboundedFollowing: s = m; break;
    }
    switch (f.end.kind) {
      case B::UnboundedPreceding: e = 0; break;
      case B::CurrentRow: e = p.peer_end()[i]; break;
      case B::Preceding:
      case B::Following:
        e = null_row ? p.peer_end()[i] : first_past(towards(offset_of(f.end), f.end.kind == B::Preceding), false);
        break;
      case B::UnboundedFollowing: e = m; break;
    }
    fs[i] = static_cast<uint32_t>(s);
    fe[i] = static_cast<uint32_t>(std::max(s, e));
  }
}

// ---- one call over one partition: results appended to `out`, in the partition's sorted order --

inline void window_numbering(const WindowCall& call, WindowPartition& p, Column& out) {
  using K = sql::WindowFunctionKind;
  const size_t m = p.m;
  const size_t base = out.size();
  out.resize(base + m);
  if (call.function == K::RowNumber) {
    int64_t* o = out.data<int64_t>() + base;
    for (size_t i = 0; i < m; ++i) o[i] = static_cast<int64_t>(i + 1);
    return;
  }
  if (call.function == K::Ntile) {
    int64_t* o = out.data<int64_t>() + base;
    const size_t k = static_cast<size_t>(call.constant_arg);
    const size_t q = m / k, r = m % k;  // the first r buckets hold q + 1 rows
    for (size_t i = 0; i < m; ++i) {
      if (q == 0) o[i] = static_cast<int64_t>(i + 1);
      else if (i < r * (q + 1)) o[i] = static_cast<int64_t>(i / (q + 1) + 1);
      else o[i] = static_cast<int64_t>((i - r * (q + 1)) / q + r + 1);
    }
    return;
  }
  p.peers();
  const auto& ps = p.peer_start();
  const auto& pe = p.peer_end();
  if (call.function == K::Rank || call.function == K::DenseRank) {
    int64_t* o = out.data<int64_t>() + base;
    int64_t dense = 0;
    for (size_t i = 0; i < m; ++i) {
      if (ps[i] == i) ++dense;
      o[i] = call.function == K::Rank ? static_cast<int64_t>(ps[i]) + 1 : dense;
    }
    return;
  }
  double* o = out.data<double>() + base;
  for (size_t i = 0; i < m; ++i) {
    if (call.function == K::PercentRank) o[i] = m > 1 ? static_cast<double>(ps[i]) / static_cast<double>(m - 1) : 0.0;
    else o[i] = static_cast<double>(pe[i]) / static_cast<double>(m);
  }
}

inline void window_navigation(const WindowCall& call, WindowPartition& p, const std::vector<Column>& values, Column& out) {
  using K = sql::WindowFunctionKind;
  const size_t m = p.m;
  const Column& value = values[call.args[0]];
  auto& src = p.scratch->src;
  src.assign(m, UINT32_MAX);
  if (call.function == K::Lag || call.function == K::Lead) {
    const int64_t off = call.function == K::Lag ? -call.constant_arg : call.constant_arg;
    const Column* fallback = call.args.size() > 1 ? &values[call.args[1]] : nullptr;
    if (!fallback) {
      for (size_t i = 0; i < m; ++i) {
        int64_t j = add_offset(i, off);
        if (j >= 0 && j < static_cast<int64_t>(m)) src[i] = p.rows[j];
      }
      out.append_gather(value, src.data(), m);
      return;
    }
    for (size_t i = 0; i < m; ++i) {
      int64_t j = add_offset(i, off);
      if (j >= 0 && j < static_cast<int64_t>(m)) out.append_from(value, p.rows[j]);
      else out.append_from(*fallback, p.rows[i]);
    }
    return;
  }
  auto& fs = p.scratch->fs;
  auto& fe = p.scratch->fe;
  window_frames(call, p, fs, fe);
  if (!call.ignore_nulls || value.validity().all_valid()) {
    for (size_t i = 0; i < m; ++i) {
      if (fs[i] >= fe[i]) continue;
      if (call.function == K::FirstValue) src[i] = p.rows[fs[i]];
      else if (call.function == K::LastValue) src[i] = p.rows[fe[i] - 1];
      else if (static_cast<int64_t>(fe[i] - fs[i]) >= call.constant_arg) src[i] = p.rows[fs[i] + call.constant_arg - 1];
    }
  } else {
    // IGNORE NULLS: the positions holding non-NULL values, searched per frame.
    auto& valid = p.scratch->valid;
    valid.clear();
    for (size_t i = 0; i < m; ++i)
      if (value.is_valid(p.rows[i])) valid.push_back(static_cast<uint32_t>(i));
    for (size_t i = 0; i < m; ++i) {
      if (fs[i] >= fe[i]) continue;
      auto first = std::lower_bound(valid.begin(), valid.end(), fs[i]);
      auto end = std::lower_bound(valid.begin(), valid.end(), fe[i]);
      const int64_t count = end - first;
      if (count == 0) continue;
      if (call.function == K::FirstValue) src[i] = p.rows[*first];
      else if (call.function == K::LastValue) src[i] = p.rows[*(end - 1)];
      else if (count >= call.constant_arg) src[i] = p.rows[*(first + (call.constant_arg - 1))];
    }
  }
  out.append_gather(value, src.data(), m);
}

// Feeds rows sel[0, n) to groups gids (null: group 0) of the aggregate, in batches.
inline void window_update(sql::AggregateStates& states, const WindowCall& call, const std::vector<Column>& values,
                          const uint32_t* sel, const uint32_t* gids, size_t n, std::vector<ColumnView>& views) {
  views.resize(call.args.size());
  for (size_t off = 0; off < n; off += kVectorSize) {
    const size_t k = std::min(kVectorSize, n - off);
    for (size_t a = 0; a < call.args.size(); ++a) views[a] = ColumnView(&values[call.args[a]], sel + off);
    states.update(views, k, gids ? gids + off : nullptr);
  }
}

/// An aggregate's states shared by the partitions one worker processes (groups are handed out
/// as partitions and frames need them).
struct WindowAggregateStates {
  std::unique_ptr<sql::AggregateStates> states;
  size_t groups = 0;
  size_t take(const WindowCall& call, size_t n) {
    if (!states) states = call.aggregate->make_states();
    size_t first = groups;
    groups += n;
    states->resize(groups);
    return first;
  }
};

inline void window_aggregate(const WindowCall& call, WindowPartition& p, const std::vector<Column>& values,
                             WindowAggregateStates& agg, Column& out) {
  const size_t m = p.m;
  WindowScratch& sc = *p.scratch;
  auto& fs = sc.fs;
  auto& fe = sc.fe;
  window_frames(call, p, fs, fe);
  bool from_start = true;
  for (size_t i = 0; i < m; ++i) from_start &= fs[i] == 0 && (i == 0 || fe[i] >= fe[i - 1]);
  if (from_start) {
    // One group grows with the frame (the whole partition is its last step); each distinct frame
    // end is finalized once.
    const uint32_t g = static_cast<uint32_t>(agg.take(call, 1));
    Column finals(call.type);
    auto& pick = sc.pick;
    pick.resize(m);
    sc.gids.assign(std::min(m, kVectorSize), g);
    size_t added = 0;
    int64_t last_end = -1;
    for (size_t i = 0; i < m; ++i) {
      if (static_cast<int64_t>(fe[i]) != last_end) {
        while (fe[i] > added) {
          const size_t k = std::min<size_t>(fe[i] - added, kVectorSize);
          window_update(*agg.states, call, values, p.rows + added, sc.gids.data(), k, sc.views);
          added += k;
        }
        agg.states->finalize(g, 1, finals);
        last_end = fe[i];
      }
      pick[i] = static_cast<uint32_t>(finals.size() - 1);
    }
    out.append_gather(finals, pick.data(), m);
    return;
  }
  // Any other frame: one group per row, fed the rows of its frame.
  const uint32_t first = static_cast<uint32_t>(agg.take(call, m));
  auto& sel = sc.sel;
  auto& gids = sc.gids;
  sel.clear();
  gids.clear();
  for (size_t i = 0; i < m; ++i) {
    for (size_t k = fs[i]; k < fe[i]; ++k) {
      sel.push_back(p.rows[k]);
      gids.push_back(first + static_cast<uint32_t>(i));
      if (sel.size() == kVectorSize) {
        window_update(*agg.states, call, values, sel.data(), gids.data(), sel.size(), sc.views);
        sel.clear();
        gids.clear();
      }
    }
  }
  if (!sel.empty()) window_update(*agg.states, call, values, sel.data(), gids.data(), sel.size(), sc.views);
  agg.states->finalize(first, m, out);
}

/// Appends the results of `call` for the partition's rows, in its sorted order, to `out`.
inline void window_call(const WindowCall& call, WindowPartition& p, const std::vector<Column>& values,
                        WindowAggregateStates& agg, Column& out) {
  using K = sql::WindowFunctionKind;
  switch (call.function) {
    case K::RowNumber:
    case K::Rank:
    case K::DenseRank:
    case K::PercentRank:
    case K::CumeDist:
    case K::Ntile: return window_numbering(call, p, out);
    case K::Lag:
    case K::Lead:
    case K::FirstValue:
    case K::LastValue:
    case K::NthValue: return window_navigation(call, p, values, out);
    case K::Aggregate: return window_aggregate(call, p, values, agg, out);
  }
}

}  // namespace visiondb::exec::detail
