// LimitOp: LIMIT n OFFSET k without ORDER BY: the first rows in scan order. Workers stop pulling
// morsels once the finished prefix of morsels holds enough rows.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "visiondb/execution/operator.hpp"

namespace visiondb::exec {

class LimitOp final : public Operator {
 public:
  /// limit < 0: no limit (OFFSET only).
  LimitOp(std::vector<LogicalType> types, int64_t limit, int64_t offset)
      : Operator(OperatorKind::Limit, std::move(types)), limit_(limit), offset_(offset) {}
  OperatorRole role() const override { return OperatorRole::Sink; }
  std::string describe() const override {
    std::string out = "LIMIT " + (limit_ < 0 ? std::string("ALL") : std::to_string(limit_));
    if (offset_) out += " OFFSET " + std::to_string(offset_);
    return out;
  }

  std::unique_ptr<GlobalState> make_global(ExecContext&) const override { return std::make_unique<Global>(); }
  std::unique_ptr<OperatorState> make_sink_state(ExecContext&, GlobalState*) const override {
    return std::make_unique<Local>();
  }
  void sink(ExecContext&, const Chunk& in, size_t, GlobalState*, OperatorState* state) const override {
    if (in.size() == 0) return;
    auto& l = *static_cast<Local*>(state);
    l.chunks.push_back(std::make_shared<const Chunk>(in));
    l.rows += in.size();
  }
  void morsel_done(GlobalState* g, OperatorState* state, size_t m) const override {
    auto& global = *static_cast<Global*>(g);
    auto& l = *static_cast<Local*>(state);
    std::lock_guard lock(global.mutex);
    global.done_morsels[m] = {std::move(l.chunks), l.rows};
    l.chunks.clear();
    l.rows = 0;
    if (limit_ < 0) return;
    // Extend the finished prefix; stop everyone once it holds enough rows.
    for (auto it = global.done_morsels.find(global.prefix_end); it != global.done_morsels.end();
         it = global.done_morsels.find(global.prefix_end)) {
      global.prefix_rows += it->second.second;
      ++global.prefix_end;
    }
    if (global.prefix_rows >= static_cast<size_t>(limit_ + offset_)) global.enough.store(true);
  }
  bool done(GlobalState* g) const override {
    return limit_ == 0 || static_cast<Global*>(g)->enough.load(std::memory_order_relaxed);
  }
  std::vector<ChunkPtr> finalize(ExecContext&, GlobalState* g) const override {
    auto& global = *static_cast<Global*>(g);
    std::vector<ChunkPtr> out;
    size_t skip = static_cast<size_t>(offset_);
    size_t want = limit_ < 0 ? SIZE_MAX : static_cast<size_t>(limit_);
    for (auto& [m, entry] : global.done_morsels) {
      for (auto& c : entry.first) {
        if (want == 0) return out;
        size_t n = c->size();
        if (skip >= n) {
          skip -= n;
          continue;
        }
        size_t take = std::min(n - skip, want);
        if (skip == 0 && take == n) {
          out.push_back(c);
        } else {
          auto sel = std::make_shared<SelectionVector>(take);
          for (size_t i = 0; i < take; ++i) (*sel)[i] = c->physical_row(skip + i);
          Chunk sliced(c->columns(), c->physical_size());
          sliced.set_selection(std::move(sel));
          out.push_back(std::make_shared<const Chunk>(std::move(sliced)));
        }
        skip = 0;
        want -= take;
      }
    }
    return out;
  }

 private:
  struct Local final : OperatorState {
    std::vector<ChunkPtr> chunks;
    size_t rows = 0;
  };
  struct Global final : GlobalState {
    std::mutex mutex;
    std::map<size_t, std::pair<std::vector<ChunkPtr>, size_t>> done_morsels;
    size_t prefix_end = 0;
    size_t prefix_rows = 0;
    std::atomic<bool> enough{false};
  };
  int64_t limit_, offset_;
};

}  // namespace visiondb::exec
