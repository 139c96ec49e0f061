// Out-of-line parts of operators/window.hpp.
#pragma once

#include <algorithm>
#include <mutex>
#include <numeric>
#include <string>
#include <unordered_map>

#include "visiondb/common/parallel.hpp"
#include "visiondb/config.hpp"
#include "visiondb/execution/detail/window_functions.hpp"
#include "visiondb/execution/expression_executor.hpp"
#include "visiondb/execution/hash.hpp"
#include "visiondb/execution/key_encoder.hpp"
#include "visiondb/execution/operators/window.hpp"
#include "visiondb/execution/operators/window_top_k.hpp"
#include "visiondb/execution/physical_planner.hpp"

namespace visiondb::exec {

namespace detail {

struct WindowInput {
  size_t morsel;
  ChunkPtr chunk;                // selection-free
  std::vector<ColumnPtr> values;  // the value expressions over chunk, dense
};
struct WindowLocal final : OperatorState {
  std::vector<WindowInput> inputs;
};
struct WindowGlobal final : GlobalState {
  std::vector<WindowInput> inputs;
};

// Row indexes grouped by partition (stable: ascending within a partition).
struct WindowPartitions {
  std::vector<uint32_t> rows;
  std::vector<size_t> offsets{0};  // partitions + 1
  size_t count() const noexcept { return offsets.size() - 1; }
};

inline WindowPartitions partition_rows(const std::vector<const Column*>& keys, size_t n) {
  WindowPartitions out;
  if (keys.empty()) {
    out.rows.resize(n);
    std::iota(out.rows.begin(), out.rows.end(), 0u);
    out.offsets.push_back(n);
    return out;
  }
  std::vector<LogicalType> types;
  for (const Column* c : keys) types.push_back(c->type());
  KeyEncoder encoder(types);
  std::vector<uint32_t> pid(n);
  uint32_t next = 0;
  // Fixed keys: an open-addressing table (key, id) that doubles at half load.
  struct Slot {
    uint64_t key;
    uint32_t id;
  };
  std::vector<Slot> slots(1024, Slot{0, UINT32_MAX});
  size_t used = 0;
  auto fixed_id = [&](uint64_t key, uint64_t hash) -> uint32_t {
    size_t mask = slots.size() - 1;
    for (size_t i = hash & mask;; i = (i + 1) & mask) {
      if (slots[i].id == UINT32_MAX) {
        slots[i] = {key, next};
        if (++used * 2 > slots.size()) {
          std::vector<Slot> bigger(slots.size() * 2, Slot{0, UINT32_MAX});
          const size_t bmask = bigger.size() - 1;
          for (const Slot& sl : slots) {
            if (sl.id == UINT32_MAX) continue;
            size_t j = hash_u64(sl.key) & bmask;
            while (bigger[j].id != UINT32_MAX) j = (j + 1) & bmask;
            bigger[j] = sl;
          }
          slots.swap(bigger);
        }
        return next++;
      }
      if (slots[i].key == key) return slots[i].id;
    }
  };
  // Other keys: the same table over hashes, the keys' bytes kept once per partition.
  std::vector<Slot> byte_slots(1024, Slot{0, UINT32_MAX});
  size_t byte_used = 0;
  std::string key_bytes;
  std::vector<size_t> key_offsets{0};
  auto byte_id = [&](std::string_view key, uint64_t hash) -> uint32_t {
    size_t mask = byte_slots.size() - 1;
    for (size_t i = hash & mask;; i = (i + 1) & mask) {
      const Slot& sl = byte_slots[i];
      if (sl.id == UINT32_MAX) {
        byte_slots[i] = {hash, next};
        key_bytes.append(key);
        key_offsets.push_back(key_bytes.size());
        if (++byte_used * 2 > byte_slots.size()) {
          std::vector<Slot> bigger(byte_slots.size() * 2, Slot{0, UINT32_MAX});
          const size_t bmask = bigger.size() - 1;
          for (const Slot& o : byte_slots) {
            if (o.id == UINT32_MAX) continue;
            size_t j = o.key & bmask;
            while (bigger[j].id != UINT32_MAX) j = (j + 1) & bmask;
            bigger[j] = o;
          }
          byte_slots.swap(bigger);
        }
        return next++;
      }
      if (sl.key == hash &&
          std::string_view(key_bytes).substr(key_offsets[sl.id], key_offsets[sl.id + 1] - key_offsets[sl.id]) == key)
        return sl.id;
    }
  };
  uint32_t null_id = UINT32_MAX;
  std::vector<uint32_t> sel(kVectorSize);
  std::vector<ColumnView> views(keys.size());
  EncodedKeys enc;
  std::string key;
  for (size_t b = 0; b < n; b += kVectorSize) {
    const size_t k = std::min(kVectorSize, n - b);
    for (size_t i = 0; i < k; ++i) sel[i] = static_cast<uint32_t>(b + i);
    for (size_t c = 0; c < keys.size(); ++c) views[c] = ColumnView(keys[c], sel.data());
    encoder.encode(views, k, enc);
    for (size_t i = 0; i < k; ++i) {
      uint32_t id;
      if (encoder.fixed_mode()) {
        if (enc.any_null[i]) {
          if (null_id == UINT32_MAX) null_id = next++;
          id = null_id;
        } else {
          id = fixed_id(enc.fixed[i], hash_u64(enc.fixed[i]));
        }
      } else {
        // A NULL single string key and '' differ only by the flag: it leads the key.
        key.assign(1, enc.any_null[i] ? '\1' : '\0');
        key.append(enc.key(i));
        id = byte_id(key, hash_bytes(key));
      }
      pid[b + i] = id;
    }
  }
  out.offsets.assign(next + 1, 0);
  for (uint32_t p : pid) ++out.offsets[p + 1];
  for (size_t p = 0; p < next; ++p) out.offsets[p + 1] += out.offsets[p];
  std::vector<size_t> fill(out.offsets.begin(), out.offsets.end() - 1);
  out.rows.resize(n);
  for (size_t r = 0; r < n; ++r) out.rows[fill[pid[r]]++] = static_cast<uint32_t>(r);
  return out;
}

// A structural key of a bound expression, to evaluate each distinct input once.
inline std::string bound_expr_key(const sql::BoundExpr& e) {
  std::string out = std::to_string(static_cast<int>(e.kind)) + ":" + e.type.to_string();
  if (e.kind == BoundExprKind::ColumnRef) {
    const auto& r = static_cast<const sql::BoundColumnRef&>(e);
    out += "#" + std::to_string(r.binding.table) + "." + std::to_string(r.binding.column) + "@" + std::to_string(r.depth);
  } else if (e.kind == BoundExprKind::Subquery) {
    out += "@" + std::to_string(reinterpret_cast<uintptr_t>(&e));
  } else {
    out += "=" + e.to_string();
  }
  out += "(";
  for (const auto& c : e.children) out += bound_expr_key(*c) + ",";
  return out + ")";
}

}  // namespace detail

VISIONDB_INLINE WindowOp::WindowOp(std::vector<LogicalType> types, std::vector<ExprUPtr> values,
                                   std::vector<WindowCall> calls, int64_t partition_limit)
    : Operator(OperatorKind::Window, std::move(types)),
      values_(std::move(values)),
      calls_(std::move(calls)),
      partition_limit_(partition_limit) {}

VISIONDB_INLINE std::string WindowOp::describe() const {
  std::string out = "WINDOW ";
  for (size_t i = 0; i < calls_.size(); ++i) out += (i ? ", " : "") + calls_[i].text;
  if (partition_limit_ >= 0) out += " KEEP TOP " + std::to_string(partition_limit_) + " PER PARTITION";
  return out;
}

VISIONDB_INLINE std::unique_ptr<GlobalState> WindowOp::make_global(ExecContext&) const {
  return std::make_unique<detail::WindowGlobal>();
}

VISIONDB_INLINE std::unique_ptr<OperatorState> WindowOp::make_sink_state(ExecContext&, GlobalState*) const {
  return std::make_unique<detail::WindowLocal>();
}

VISIONDB_INLINE void WindowOp::sink(ExecContext&, const Chunk& in, size_t m, GlobalState*, OperatorState* local) const {
  if (in.size() == 0) return;
  detail::WindowInput input;
  input.morsel = m;
  input.chunk = in.has_selection() ? std::make_shared<const Chunk>(in.flattened()) : std::make_shared<const Chunk>(in);
  const size_t n = input.chunk->size();
  for (const auto& e : values_)
    input.values.push_back(ExpressionExecutor::flatten(ExpressionExecutor::evaluate(*e, *input.chunk, nullptr, n), n));
  static_cast<detail::WindowLocal*>(local)->inputs.push_back(std::move(input));
}

VISIONDB_INLINE void WindowOp::combine(ExecContext&, GlobalState* g, OperatorState* local) const {
  auto& dst = static_cast<detail::WindowGlobal*>(g)->inputs;
  auto& src = static_cast<detail::WindowLocal*>(local)->inputs;
  dst.insert(dst.end(), std::make_move_iterator(src.begin()), std::make_move_iterator(src.end()));
  src.clear();
}

VISIONDB_INLINE std::vector<ChunkPtr> WindowOp::finalize(ExecContext&, GlobalState* g) const {
  auto& inputs = static_cast<detail::WindowGlobal*>(g)->inputs;
  std::stable_sort(inputs.begin(), inputs.end(), [](const auto& a, const auto& b) { return a.morsel < b.morsel; });
  size_t n = 0;
  std::vector<size_t> base;
  for (const auto& in : inputs) {
    base.push_back(n);
    n += in.chunk->size();
  }
  // Every value expression over all rows, one column each.
  std::vector<Column> values;
  for (size_t v = 0; v < values_.size(); ++v) {
    values.emplace_back(values_[v]->type);
    values.back().reserve(n);
  }
  parallel_for_each_index(0, values_.size(), [&](size_t v) {
    for (auto& in : inputs) {
      const Column& c = *in.values[v];
      values[v].append_range(c, 0, c.size());
    }
  });
  for (auto& in : inputs) in.values.clear();

  // Per call: its results in partition order, and where each input row went in them.
  std::vector<Column> results;
  std::vector<std::vector<uint32_t>> position(calls_.size());
  for (const auto& c : calls_) results.emplace_back(c.type);
  std::vector<bool> done(calls_.size(), false);
  std::vector<uint8_t> kept;  // with a partition limit: the rows that stay
  if (partition_limit_ >= 0) kept.assign(n, 0);
  for (size_t first = 0; first < calls_.size(); ++first) {
    if (done[first]) continue;
    std::vector<size_t> group;
    for (size_t c = first; c < calls_.size(); ++c)
      if (!done[c] && calls_[c].same_ordering(calls_[first])) {
        group.push_back(c);
        done[c] = true;
      }
    const WindowCall& spec = calls_[first];
    std::vector<const Column*> part_cols, order_cols;
    for (size_t v : spec.partitions) part_cols.push_back(&values[v]);
    for (size_t v : spec.orders) order_cols.push_back(&values[v]);
    detail::WindowPartitions parts = detail::partition_rows(part_cols, n);
    detail::WindowOrder order(order_cols, spec.descending, spec.nulls_first);
    const size_t np = parts.count();
    const size_t limit = partition_limit_ >= 0 ? static_cast<size_t>(partition_limit_) : SIZE_MAX;
    // Tasks: runs of consecutive partitions of about kTaskRows rows (a big partition alone).
    constexpr size_t kTaskRows = 16384;
    std::vector<size_t> task_first{0};
    for (size_t p = 0, rows_in_task = 0; p < np; ++p) {
      rows_in_task += parts.offsets[p + 1] - parts.offsets[p];
      if (rows_in_task >= kTaskRows && p + 1 < np) {
        task_first.push_back(p + 1);
        rows_in_task = 0;
      }
    }
    task_first.push_back(np);
    const size_t tasks = task_first.size() - 1;
    std::vector<std::vector<Column>> task_results(tasks);
    parallel_for_each_index(0, tasks, [&](size_t t) {
      std::vector<Column>& outs = task_results[t];
      for (size_t k = 0; k < group.size(); ++k) outs.emplace_back(calls_[group[k]].type);
      std::vector<detail::WindowAggregateStates> aggs(group.size());
      detail::WindowScratch scratch;
      for (size_t p = task_first[t]; p < task_first[t + 1]; ++p) {
        uint32_t* rows = parts.rows.data() + parts.offsets[p];
        const size_t m = parts.offsets[p + 1] - parts.offsets[p];
        order.sort(rows, m, limit, scratch.items);
        detail::WindowPartition part;
        part.rows = rows;
        part.m = std::min(m, limit);
        part.order = &order;
        part.scratch = &scratch;
        for (size_t k = 0; k < group.size(); ++k) detail::window_call(calls_[group[k]], part, values, aggs[k], outs[k]);
      }
    });
    // Concatenate in partition order; record each row's position.
    std::vector<uint32_t> pos(n, UINT32_MAX);
    uint32_t at = 0;
    for (size_t p = 0; p < np; ++p) {
      const size_t m = std::min(parts.offsets[p + 1] - parts.offsets[p], limit);
      for (size_t i = 0; i < m; ++i) pos[parts.rows[parts.offsets[p] + i]] = at++;
    }
    if (!kept.empty())
      for (size_t r = 0; r < n; ++r) kept[r] = pos[r] != UINT32_MAX;
    for (size_t k = 0; k < group.size(); ++k) {
      Column& all = results[group[k]];
      for (auto& outs : task_results) {
        all.append_range(outs[k], 0, outs[k].size());
        outs[k] = Column();
      }
      position[group[k]] = pos;
    }
  }

  // The input chunks with the results appended.
  std::vector<ChunkPtr> out(inputs.size());
  parallel_for_each_index(0, inputs.size(), [&](size_t c) {
    const Chunk& chunk = *inputs[c].chunk;
    const size_t rows = chunk.size();
    std::vector<ColumnPtr> cols = chunk.columns();
    for (size_t k = 0; k < calls_.size(); ++k) {
      Column col(calls_[k].type);
      col.append_gather(results[k], position[k].data() + base[c], rows);
      cols.push_back(std::make_shared<const Column>(std::move(col)));
    }
    auto result = std::make_shared<Chunk>(std::move(cols), rows);
    if (!kept.empty()) {
      auto sel = std::make_shared<SelectionVector>();
      for (size_t i = 0; i < rows; ++i)
        if (kept[base[c] + i]) sel->push_back(static_cast<uint32_t>(i));
      if (sel->size() < rows) result->set_selection(std::move(sel));
    }
    out[c] = std::move(result);
  });
  std::vector<ChunkPtr> nonempty;
  for (auto& c : out)
    if (c->size()) nonempty.push_back(std::move(c));
  return nonempty;
}

VISIONDB_INLINE OperatorPtr plan_window(PhysicalPlanner& planner, const sql::LogicalWindow& op) {
  auto child = planner.plan(*op.children[0]);
  if (op.windows.empty()) return child;
  auto input = PhysicalPlanner::binding_map(op.children[0]->bindings());
  if (op.partition_limit >= 0 && op.windows.size() == 1) {
    // ROW_NUMBER() ... <= k with at most one fixed-width ORDER BY key: streaming per-partition heaps.
    const auto& w = static_cast<const sql::BoundWindow&>(*op.windows[0]);
    if (w.function == sql::WindowFunctionKind::RowNumber && w.order_count() <= 1 &&
        (w.order_count() == 0 || w.order(0)->type.fixed_width() > 0)) {
      std::vector<ExprUPtr> parts;
      for (size_t i = 0; i < w.partition_count; ++i) parts.push_back(planner.compile(*w.partition(i), input));
      ExprUPtr order = w.order_count() ? planner.compile(*w.order(0), input) : nullptr;
      auto out = std::make_unique<WindowTopKOp>(op.types(), std::move(parts), std::move(order),
                                                w.order_count() && w.descending[0], w.order_count() && w.nulls_first[0],
                                                op.partition_limit, w.to_string());
      out->children.push_back(std::move(child));
      return out;
    }
  }
  std::vector<ExprUPtr> values;
  std::vector<std::string> keys;
  auto value = [&](const sql::BoundExpr& e) {
    std::string key = detail::bound_expr_key(e);
    for (size_t i = 0; i < keys.size(); ++i)
      if (keys[i] == key) return i;
    keys.push_back(key);
    values.push_back(planner.compile(e, input));
    return values.size() - 1;
  };
  std::vector<WindowCall> calls;
  for (const auto& e : op.windows) {
    const auto& w = static_cast<const sql::BoundWindow&>(*e);
    WindowCall c;
    c.function = w.function;
    c.aggregate = w.aggregate;
    c.ignore_nulls = w.ignore_nulls;
    c.constant_arg = w.constant_arg;
    c.frame = w.frame;
    for (size_t i = 0; i < w.arg_count; ++i) c.args.push_back(value(*w.arg(i)));
    for (size_t i = 0; i < w.partition_count; ++i) c.partitions.push_back(value(*w.partition(i)));
    for (size_t i = 0; i < w.order_count(); ++i) c.orders.push_back(value(*w.order(i)));
    c.descending = w.descending;
    c.nulls_first = w.nulls_first;
    c.type = w.type;
    c.text = w.to_string();
    calls.push_back(std::move(c));
  }
  auto out = std::make_unique<WindowOp>(op.types(), std::move(values), std::move(calls), op.partition_limit);
  out->children.push_back(std::move(child));
  return out;
}

}  // namespace visiondb::exec
