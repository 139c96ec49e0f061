// ARRAY_AGG(x): the values of each group as an ARRAY, in the order they arrive (NULL elements
// kept; NULL for a group with no rows). Values are appended to one element column shared by every
// group, chained per group, so neither a group nor an element costs an object; merging partial
// results splices the chains.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "visiondb/functions/aggregate/aggregate_states.hpp"

namespace visiondb::fn {

/// Values appended to one column, chained per group (the store of ARRAY_AGG and of ORDER BY
/// inside aggregates).
class GroupedRows {
 public:
  explicit GroupedRows(std::vector<LogicalType> types) {
    for (auto& t : types) columns_.emplace_back(std::move(t));
  }
  void resize(size_t groups) {
    head_.resize(groups, kNone);
    tail_.resize(groups, kNone);
    count_.resize(groups, 0);
  }
  /// Appends rows [0, n) of the views (one per column) to groups gids (null: group 0); rows
  /// where skip(i) is true are left out.
  template <class Skip>
  void append(std::span<const ColumnView> views, size_t n, const uint32_t* gids, Skip&& skip) {
    std::vector<uint32_t> rows;
    std::vector<uint32_t> groups;
    rows.reserve(n);
    for (size_t i = 0; i < n; ++i) {
      if (skip(i)) continue;
      rows.push_back(static_cast<uint32_t>(i));
      groups.push_back(gids ? gids[i] : 0);
    }
    const uint32_t first = static_cast<uint32_t>(columns_.empty() ? next_.size() : columns_[0].size());
    for (size_t c = 0; c < columns_.size(); ++c) {
      const ColumnView& v = views[c];
      if (v.column->type().id() == TypeId::Null) {
        for (size_t k = 0; k < rows.size(); ++k) columns_[c].append_null();
        continue;
      }
      std::vector<uint32_t> physical(rows.size());
      for (size_t k = 0; k < rows.size(); ++k) physical[k] = v.row(rows[k]);
      columns_[c].append_gather(*v.column, physical.data(), physical.size());
    }
    for (size_t k = 0; k < rows.size(); ++k) link(groups[k], first + static_cast<uint32_t>(k));
  }
  /// Moves other's rows of group src[i] to the end of group dst[i].
  void merge(GroupedRows& other, const uint32_t* src, const uint32_t* dst, size_t n) {
    const uint32_t base = static_cast<uint32_t>(next_.size());
    for (size_t c = 0; c < columns_.size(); ++c) columns_[c].append_range(other.columns_[c], 0, other.columns_[c].size());
    for (uint32_t x : other.next_) next_.push_back(x == kNone ? kNone : x + base);
    for (size_t i = 0; i < n; ++i) {
      const uint32_t s = src ? src[i] : static_cast<uint32_t>(i);
      const uint32_t d = dst ? dst[i] : static_cast<uint32_t>(i);
      if (other.head_[s] == kNone) continue;
      const uint32_t h = other.head_[s] + base, t = other.tail_[s] + base;
      if (head_[d] == kNone) head_[d] = h;
      else next_[tail_[d]] = h;
      tail_[d] = t;
      count_[d] += other.count_[s];
    }
  }
  /// The rows of group g, in arrival order.
  void rows_of(size_t g, std::vector<uint32_t>& out) const {
    out.clear();
    for (uint32_t r = head_[g]; r != kNone; r = next_[r]) out.push_back(r);
  }
  size_t count(size_t g) const { return count_[g]; }
  const Column& column(size_t c) const { return columns_[c]; }
  size_t column_count() const { return columns_.size(); }

 private:
  static constexpr uint32_t kNone = UINT32_MAX;
  void link(uint32_t g, uint32_t row) {
    next_.push_back(kNone);
    if (head_[g] == kNone) head_[g] = row;
    else next_[tail_[g]] = row;
    tail_[g] = row;
    ++count_[g];
  }
  std::vector<Column> columns_;
  std::vector<uint32_t> next_, head_, tail_, count_;
};

class ArrayAggStates final : public sql::AggregateStates {
 public:
  explicit ArrayAggStates(LogicalType element) : rows_({std::move(element)}) {}
  void resize(size_t groups) override { rows_.resize(groups); }
  void update(std::span<const ColumnView> args, size_t n, const uint32_t* gids) override {
    rows_.append(args.subspan(0, 1), n, gids, [](size_t) { return false; });
  }
  void combine(sql::AggregateStates& other, const uint32_t* src, const uint32_t* dst, size_t n) override {
    rows_.merge(static_cast<ArrayAggStates&>(other).rows_, src, dst, n);
  }
  void finalize(size_t first, size_t count, Column& out) override {
    std::vector<uint32_t> idx;
    for (size_t g = first; g < first + count; ++g) {
      if (rows_.count(g) == 0) {
        out.append_null();
        continue;
      }
      rows_.rows_of(g, idx);
      out.child().append_gather(rows_.column(0), idx.data(), idx.size());
      out.close_array_row();
    }
  }

 private:
  GroupedRows rows_;
};

class ArrayAggFunction final : public AggregateFunction {
 public:
  static constexpr std::string_view name = "array_agg",
                                    doc = "ARRAY_AGG([DISTINCT] x [IGNORE NULLS] [ORDER BY key [DESC], ...] [LIMIT n]): the values as an ARRAY; NULL over no row";
  explicit ArrayAggFunction(LogicalType element)
      : AggregateFunction("array_agg", {element}, LogicalType::array(element)) {}
  std::unique_ptr<sql::AggregateStates> make_states() const override {
    return std::make_unique<ArrayAggStates>(arg_types()[0]);
  }
  /// The overload for an argument type, or null with `error` set (arrays of arrays are not allowed).
  static std::shared_ptr<AggregateFunction> bind(const std::vector<LogicalType>& args, std::string& error) {
    if (args.size() != 1) {
      error = "ARRAY_AGG expects one argument, got " + std::to_string(args.size());
      return nullptr;
    }
    if (args[0].id() == TypeId::Array) {
      error = "ARRAY_AGG cannot aggregate arrays: an array of arrays is not allowed";
      return nullptr;
    }
    return std::make_shared<ArrayAggFunction>(args[0].id() == TypeId::Null ? LogicalType::int64() : args[0]);
  }
};

}  // namespace visiondb::fn
