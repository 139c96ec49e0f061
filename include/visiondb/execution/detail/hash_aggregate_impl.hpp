// Out-of-line parts of operators/hash_aggregate.hpp.
#pragma once

#include <algorithm>
#include <bit>
#include <climits>

#include "visiondb/common/parallel.hpp"
#include "visiondb/config.hpp"
#include "visiondb/execution/expression_executor.hpp"
#include "visiondb/execution/group_table.hpp"
#include "visiondb/execution/operators/hash_aggregate.hpp"

namespace visiondb::exec {

namespace detail {

struct AggregateLocal final : OperatorState {
  std::unique_ptr<GroupTable> table;  // grouped
  // ungrouped: one set of states per morsel seen, in arrival order
  std::vector<std::pair<size_t, std::vector<std::unique_ptr<sql::AggregateStates>>>> morsel_states;
  EncodedKeys keys;
  std::vector<uint32_t> gids;
};

struct AggregateGlobal final : GlobalState {
  std::vector<std::unique_ptr<GroupTable>> tables;
  std::vector<std::pair<size_t, std::vector<std::unique_ptr<sql::AggregateStates>>>> morsel_states;
};

inline std::vector<LogicalType> expr_types(const std::vector<ExprUPtr>& xs) {
  std::vector<LogicalType> out;
  for (const auto& x : xs) out.push_back(x->type);
  return out;
}

}  // namespace detail

VISIONDB_INLINE HashAggregateOp::HashAggregateOp(std::vector<LogicalType> types, std::vector<ExprUPtr> groups,
                                                 std::vector<AggregateSpec> aggregates)
    : Operator(OperatorKind::HashAggregate, std::move(types)),
      groups_(std::move(groups)),
      aggregates_(std::move(aggregates)),
      encoder_(detail::expr_types(groups_)) {
  for (const auto& a : aggregates_) functions_.push_back(a.function);
}

VISIONDB_INLINE std::string HashAggregateOp::describe() const {
  std::string out = "HASH_AGGREGATE";
  if (!groups_.empty()) {
    out += " BY ";
    for (size_t i = 0; i < groups_.size(); ++i) out += (i ? ", " : "") + groups_[i]->text;
  }
  if (!aggregates_.empty()) {
    out += " COMPUTE ";
    for (size_t i = 0; i < aggregates_.size(); ++i) out += (i ? ", " : "") + aggregates_[i].text;
  }
  return out;
}

VISIONDB_INLINE std::unique_ptr<GlobalState> HashAggregateOp::make_global(ExecContext&) const {
  return std::make_unique<detail::AggregateGlobal>();
}

VISIONDB_INLINE std::unique_ptr<OperatorState> HashAggregateOp::make_sink_state(ExecContext&, GlobalState*) const {
  auto s = std::make_unique<detail::AggregateLocal>();
  if (!groups_.empty()) s->table = std::make_unique<GroupTable>(encoder_, functions_);
  return s;
}

VISIONDB_INLINE void HashAggregateOp::sink(ExecContext&, const Chunk& in, size_t m, GlobalState*,
                                          OperatorState* state) const {
  auto& local = *static_cast<detail::AggregateLocal*>(state);
  const size_t n = in.size();
  if (n == 0) return;
  // Arguments of every aggregate.
  std::vector<std::vector<Vec>> arg_vecs(aggregates_.size());
  std::vector<std::vector<ColumnView>> arg_views(aggregates_.size());
  for (size_t a = 0; a < aggregates_.size(); ++a)
    for (const auto& e : aggregates_[a].args) {
      arg_vecs[a].push_back(ExpressionExecutor::evaluate(*e, in, nullptr, n));
      arg_views[a].push_back(arg_vecs[a].back().view());
    }
  if (groups_.empty()) {
    if (local.morsel_states.empty() || local.morsel_states.back().first != m) {
      std::vector<std::unique_ptr<sql::AggregateStates>> states;
      for (const auto& f : functions_) {
        states.push_back(f->make_states());
        states.back()->resize(1);
      }
      local.morsel_states.emplace_back(m, std::move(states));
    }
    auto& states = local.morsel_states.back().second;
    for (size_t a = 0; a < aggregates_.size(); ++a) states[a]->update(arg_views[a], n, nullptr);
    return;
  }
  std::vector<Vec> key_vecs;
  std::vector<ColumnView> key_views;
  for (const auto& g : groups_) {
    key_vecs.push_back(ExpressionExecutor::evaluate(*g, in, nullptr, n));
    key_views.push_back(key_vecs.back().view());
  }
  encoder_.encode(key_views, n, local.keys);
  local.gids.resize(n);
  local.table->find_or_create(local.keys, key_views, local.gids.data());
  auto& states = local.table->states();
  for (size_t a = 0; a < aggregates_.size(); ++a) states[a]->update(arg_views[a], n, local.gids.data());
}

VISIONDB_INLINE void HashAggregateOp::combine(ExecContext&, GlobalState* g, OperatorState* state) const {
  auto& global = *static_cast<detail::AggregateGlobal*>(g);
  auto& local = *static_cast<detail::AggregateLocal*>(state);
  if (local.table && local.table->size() > 0) global.tables.push_back(std::move(local.table));
  for (auto& ms : local.morsel_states) global.morsel_states.push_back(std::move(ms));
  local.morsel_states.clear();
}

VISIONDB_INLINE std::vector<ChunkPtr> HashAggregateOp::finalize_ungrouped(GlobalState* g) const {
  auto& global = *static_cast<detail::AggregateGlobal*>(g);
  std::stable_sort(global.morsel_states.begin(), global.morsel_states.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::unique_ptr<sql::AggregateStates>> total;
  for (const auto& f : functions_) {
    total.push_back(f->make_states());
    total.back()->resize(1);
  }
  for (auto& [m, states] : global.morsel_states)
    for (size_t a = 0; a < total.size(); ++a) total[a]->combine(*states[a], nullptr, nullptr, 1);
  std::vector<ColumnPtr> cols;
  for (size_t a = 0; a < total.size(); ++a) {
    Column c(functions_[a]->return_type());
    total[a]->finalize(0, 1, c);
    cols.push_back(std::make_shared<const Column>(std::move(c)));
  }
  return {std::make_shared<const Chunk>(std::move(cols), 1)};
}

namespace detail {
// Output chunks of a finished table: key columns sliced, aggregates finalized.
inline void emit_groups(GroupTable& t, const std::vector<std::shared_ptr<const sql::AggregateFunction>>& fns,
                        std::vector<ChunkPtr>& out) {
  const size_t groups = t.size();
  for (size_t first = 0; first < groups; first += kVectorSize) {
    size_t count = std::min(kVectorSize, groups - first);
    std::vector<ColumnPtr> cols;
    for (const auto& kc : t.key_columns()) cols.push_back(std::make_shared<const Column>(kc.slice(first, count)));
    for (size_t a = 0; a < fns.size(); ++a) {
      Column c(fns[a]->return_type());
      t.states()[a]->finalize(first, count, c);
      cols.push_back(std::make_shared<const Column>(std::move(c)));
    }
    out.push_back(std::make_shared<const Chunk>(std::move(cols), count));
  }
}
}  // namespace detail

VISIONDB_INLINE std::vector<ChunkPtr> HashAggregateOp::finalize(ExecContext& ctx, GlobalState* g) const {
  if (groups_.empty()) return finalize_ungrouped(g);
  auto& global = *static_cast<detail::AggregateGlobal*>(g);
  std::vector<ChunkPtr> out;
  if (global.tables.empty()) return out;
  if (global.tables.size() == 1) {
    detail::emit_groups(*global.tables[0], functions_, out);
    return out;
  }
  // Partitioned merge: partition p holds the groups whose hash starts with p's bits or, when every
  // table indexes its keys directly, the p-th slice of the keys' range (so each merged table's
  // directory covers only its slice).
  const size_t threads = static_cast<size_t>(std::max(ctx.threads, 1));
  size_t total = 0;
  for (const auto& t : global.tables) total += t->size();
  size_t partitions = total < 4096 ? 1 : std::bit_ceil(std::min<size_t>(64, threads * 4));
  const int shift = 64 - std::countr_zero(partitions);
  const size_t nt = global.tables.size();
  bool by_range = true;
  int64_t lo = INT64_MAX, hi = INT64_MIN;
  for (const auto& t : global.tables) {
    int64_t a, b;
    if (t->direct_range(a, b)) {
      lo = std::min(lo, a);
      hi = std::max(hi, b);
    } else if (!t->direct()) {
      by_range = false;
    }
  }
  by_range = by_range && lo <= hi;
  const uint64_t slice = by_range ? (static_cast<uint64_t>(hi) - static_cast<uint64_t>(lo)) / partitions + 1 : 0;
  // lists[t][p]: the groups of table t in partition p.
  std::vector<std::vector<std::vector<uint32_t>>> lists(nt, std::vector<std::vector<uint32_t>>(partitions));
  parallel_for_each_index(0, nt, [&](size_t t) {
    const GroupTable& table = *global.tables[t];
    for (uint32_t gid = 0; gid < table.size(); ++gid) {
      size_t p = 0;
      if (partitions == 1 || (by_range && table.group_key_null(gid))) p = 0;
      else if (by_range) p = static_cast<size_t>((table.group_key(gid) - static_cast<uint64_t>(lo)) / slice);
      else p = static_cast<size_t>(table.group_hash(gid) >> shift);
      lists[t][p].push_back(gid);
    }
  });
  std::vector<std::vector<ChunkPtr>> parts(partitions);
  parallel_for_each_index(0, partitions, [&](size_t p) {
    GroupTable merged(encoder_, functions_);
    std::vector<uint32_t> dst;
    for (size_t t = 0; t < nt; ++t) {
      const auto& gids = lists[t][p];
      if (gids.empty()) continue;
      dst.resize(gids.size());
      merged.absorb(*global.tables[t], gids, dst.data());
      for (size_t a = 0; a < functions_.size(); ++a)
        merged.states()[a]->combine(*global.tables[t]->states()[a], gids.data(), dst.data(), gids.size());
    }
    detail::emit_groups(merged, functions_, parts[p]);
  });
  for (auto& p : parts)
    for (auto& c : p) out.push_back(std::move(c));
  return out;
}

}  // namespace visiondb::exec
