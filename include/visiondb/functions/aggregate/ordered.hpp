// ORDER BY, LIMIT and IGNORE NULLS inside an aggregate's parentheses (ARRAY_AGG(x ORDER BY k DESC
// LIMIT 3), STRING_AGG(s, ',' ORDER BY s)): a wrapper that keeps each group's rows (arguments and
// keys), and at the end sorts them by the keys (ties in arrival order), drops repeats (DISTINCT),
// cuts at the limit and feeds them, in that order, to the wrapped aggregate.
#pragma once

#include <algorithm>
#include <memory>
#include <string>
#include <unordered_set>
#include <vector>

#include "visiondb/execution/sort_key.hpp"
#include "visiondb/functions/aggregate/array_agg.hpp"

namespace visiondb::fn {

class OrderedStates final : public sql::AggregateStates {
 public:
  OrderedStates(std::shared_ptr<const AggregateFunction> inner, const sql::AggregateModifiers& modifiers, bool distinct)
      : inner_(std::move(inner)), mods_(modifiers), distinct_(distinct), rows_(column_types(*inner_, modifiers)) {}

  void resize(size_t groups) override { rows_.resize(groups); }
  void update(std::span<const ColumnView> args, size_t n, const uint32_t* gids) override {
    const bool skip_nulls = mods_.ignore_nulls;
    const ColumnView* first = args.empty() ? nullptr : &args[0];
    rows_.append(args, n, gids, [&](size_t i) {
      return skip_nulls && first && (first->column->type().id() == TypeId::Null || first->is_null(i));
    });
  }
  void combine(sql::AggregateStates& other, const uint32_t* src, const uint32_t* dst, size_t n) override {
    rows_.merge(static_cast<OrderedStates&>(other).rows_, src, dst, n);
  }
  void finalize(size_t first, size_t count, Column& out) override {
    const size_t n_args = inner_->arg_types().size();
    auto inner = inner_->make_states();
    inner->resize(count);
    std::vector<uint32_t> idx, gids;
    std::vector<ColumnView> views(n_args);
    for (size_t j = 0; j < count; ++j) {
      rows_.rows_of(first + j, idx);
      if (!mods_.order_types.empty())
        std::stable_sort(idx.begin(), idx.end(), [&](uint32_t a, uint32_t b) { return compare(a, b, n_args) < 0; });
      if (distinct_) {
        std::unordered_set<std::string> seen;
        std::vector<uint32_t> kept;
        for (uint32_t r : idx)
          if (seen.insert(value_key(rows_.column(0), r)).second) kept.push_back(r);
        idx.swap(kept);
      }
      if (mods_.limit >= 0 && idx.size() > static_cast<size_t>(mods_.limit)) idx.resize(static_cast<size_t>(mods_.limit));
      gids.assign(std::min(idx.size(), kVectorSize), static_cast<uint32_t>(j));
      for (size_t off = 0; off < idx.size(); off += kVectorSize) {
        const size_t k = std::min(kVectorSize, idx.size() - off);
        for (size_t a = 0; a < n_args; ++a) views[a] = ColumnView(&rows_.column(a), idx.data() + off);
        inner->update(views, k, gids.data());
      }
    }
    inner->finalize(0, count, out);
  }

 private:
  static std::vector<LogicalType> column_types(const AggregateFunction& inner, const sql::AggregateModifiers& m) {
    std::vector<LogicalType> out = inner.arg_types();
    out.insert(out.end(), m.order_types.begin(), m.order_types.end());
    return out;
  }
  int compare(uint32_t a, uint32_t b, size_t n_args) const {
    for (size_t k = 0; k < mods_.order_types.size(); ++k) {
      const Column& c = rows_.column(n_args + k);
      const bool na = c.is_null(a), nb = c.is_null(b);
      if (na || nb) {
        if (na && nb) continue;
        return (na ? mods_.nulls_first[k] : !mods_.nulls_first[k]) ? -1 : 1;
      }
      int r = 0;
      if (c.type().fixed_width()) {
        const uint64_t x = exec::sort_order_bits(c, a), y = exec::sort_order_bits(c, b);
        r = x < y ? -1 : x > y ? 1 : 0;
      } else {
        r = c.string_at(a).compare(c.string_at(b));
      }
      if (r != 0) return (r < 0) != mods_.descending[k] ? -1 : 1;
    }
    return 0;
  }
  static std::string value_key(const Column& c, uint32_t r) {
    if (c.is_null(r)) return std::string(1, '\0');
    if (c.type().is_varlen()) return "s" + std::string(c.string_at(r));
    return "v" + c.get(r).to_sql();
  }

  std::shared_ptr<const AggregateFunction> inner_;
  sql::AggregateModifiers mods_;
  bool distinct_;
  GroupedRows rows_;
};

class OrderedAggregate final : public AggregateFunction {
 public:
  OrderedAggregate(std::shared_ptr<const AggregateFunction> inner, sql::AggregateModifiers modifiers, bool distinct)
      : AggregateFunction(inner->name(), all_types(*inner, modifiers), inner->return_type()),
        inner_(std::move(inner)),
        mods_(std::move(modifiers)),
        distinct_(distinct) {}
  std::unique_ptr<sql::AggregateStates> make_states() const override {
    return std::make_unique<OrderedStates>(inner_, mods_, distinct_);
  }

 private:
  static std::vector<LogicalType> all_types(const AggregateFunction& inner, const sql::AggregateModifiers& m) {
    std::vector<LogicalType> out = inner.arg_types();
    out.insert(out.end(), m.order_types.begin(), m.order_types.end());
    return out;
  }
  std::shared_ptr<const AggregateFunction> inner_;
  sql::AggregateModifiers mods_;
  bool distinct_;
};

}  // namespace visiondb::fn
