// DISTINCT inside an aggregate (COUNT(DISTINCT x), SUM(DISTINCT x), ...): a wrapper that keeps,
// per group, the set of values seen and forwards only new ones to the inner aggregate. Merging
// partial results forwards the values one side has not seen, so the inner state always reflects
// exactly its set. (The planner turns the common all-DISTINCT case into a two-phase GROUP BY,
// which is faster; this is the general path.)
#pragma once

#include <cstring>
#include <limits>
#include <string>
#include <unordered_set>

#include "visiondb/functions/aggregate/aggregate_states.hpp"

namespace visiondb::fn {

class DistinctStates final : public sql::AggregateStates {
 public:
  DistinctStates(std::unique_ptr<sql::AggregateStates> inner, LogicalType arg_type)
      : inner_(std::move(inner)), type_(std::move(arg_type)) {}

  void resize(size_t groups) override {
    sets_.resize(groups);
    inner_->resize(groups);
  }

  void update(std::span<const ColumnView> args, size_t n, const uint32_t* gids) override {
    const ColumnView& a = args[0];
    // Constant extra arguments (APPROX_QUANTILES' n, STRING_AGG's delimiter) are kept so that
    // combine() can hand them on with the merged values.
    if (!extra_seen_ && n > 0) {
      extra_seen_ = true;
      for (size_t k = 1; k < args.size(); ++k)
        if (args[k].constant) extra_.push_back(args[k].get(0));
      if (extra_.size() + 1 != args.size()) extra_.clear();  // only all-constant extras are kept
    }
    rows_.clear();
    new_gids_.clear();
    for (size_t i = 0; i < n; ++i) {
      if (a.is_null(i)) continue;
      uint32_t g = gids ? gids[i] : 0;
      if (sets_[g].insert(key(*a.column, a.row(i))).second) {
        rows_.push_back(static_cast<uint32_t>(i));
        new_gids_.push_back(g);
      }
    }
    if (rows_.empty()) return;
    forward(args, rows_, new_gids_);
  }

  void combine(sql::AggregateStates& other, const uint32_t* src, const uint32_t* dst, size_t n) override {
    auto& o = static_cast<DistinctStates&>(other);
    Column values(type_);
    std::vector<uint32_t> gids;
    for (size_t i = 0; i < n; ++i) {
      uint32_t d = dst ? dst[i] : static_cast<uint32_t>(i);
      for (const auto& k : o.sets_[src ? src[i] : i]) {
        if (!sets_[d].insert(k).second) continue;
        append_key(values, k);
        gids.push_back(d);
      }
    }
    if (gids.empty()) return;
    if (!extra_seen_) {
      extra_seen_ = o.extra_seen_;
      extra_ = o.extra_;
    }
    std::vector<Column> extra;
    for (const Value& x : extra_) extra.push_back(Column::constant(x, 1));
    std::vector<ColumnView> views{ColumnView(&values)};
    for (const Column& c : extra) views.emplace_back(&c, nullptr, true);
    inner_->update(views, gids.size(), gids.data());
  }

  void finalize(size_t first, size_t count, Column& out) override { inner_->finalize(first, count, out); }

 private:
  static std::string key(const Column& c, uint32_t row) {
    if (c.type().is_varlen()) return std::string(c.string_at(row));
    if (c.type().id() == TypeId::Float64) {
      double d = c.data<double>()[row];
      if (d == 0) d = 0;                                   // -0 and 0 are one value
      if (d != d) d = std::numeric_limits<double>::quiet_NaN();  // so are all NaNs
      return std::string(reinterpret_cast<const char*>(&d), 8);
    }
    size_t w = c.type().fixed_width();
    if (w) return std::string(reinterpret_cast<const char*>(raw(c)) + row * w, w);
    return c.get(row).to_sql();
  }
  static const uint8_t* raw(const Column& c) {
    switch (c.type().fixed_width()) {
      case 1: return c.data<uint8_t>();
      case 4: return reinterpret_cast<const uint8_t*>(c.data<int32_t>());
      default: return reinterpret_cast<const uint8_t*>(c.data<int64_t>());
    }
  }
  void append_key(Column& out, const std::string& k) const {
    switch (type_.id()) {
      case TypeId::String:
      case TypeId::Bytes: out.append_string(k); return;
      case TypeId::Bool: out.append_bool(k[0] != 0); return;
      case TypeId::Date: {
        int32_t v;
        std::memcpy(&v, k.data(), 4);
        out.append_date(v);
        return;
      }
      case TypeId::Float64: {
        double v;
        std::memcpy(&v, k.data(), 8);
        out.append_float64(v);
        return;
      }
      case TypeId::Int64:
      case TypeId::Timestamp: {
        int64_t v;
        std::memcpy(&v, k.data(), 8);
        out.append_int64(v);
        return;
      }
      default: detail::throw_execution_error("DISTINCT is not supported in aggregates over " + type_.to_string());
    }
  }
  void forward(std::span<const ColumnView> args, const std::vector<uint32_t>& rows, const std::vector<uint32_t>& gids) {
    std::vector<ColumnView> views;
    sels_.resize(args.size());
    for (size_t k = 0; k < args.size(); ++k) {
      if (args[k].constant) {
        views.push_back(args[k]);
        continue;
      }
      sels_[k].resize(rows.size());
      for (size_t j = 0; j < rows.size(); ++j) sels_[k][j] = args[k].row(rows[j]);
      views.emplace_back(args[k].column, sels_[k].data());
    }
    inner_->update(views, rows.size(), gids.data());
  }

  std::unique_ptr<sql::AggregateStates> inner_;
  LogicalType type_;
  std::vector<std::unordered_set<std::string>> sets_;
  std::vector<uint32_t> rows_, new_gids_;
  std::vector<std::vector<uint32_t>> sels_;
  std::vector<Value> extra_;
  bool extra_seen_ = false;
};

/// Wraps an aggregate so that it sees each distinct value of its first argument once per group.
class DistinctAggregate final : public AggregateFunction {
 public:
  explicit DistinctAggregate(std::shared_ptr<const AggregateFunction> inner)
      : AggregateFunction(inner->name(), inner->arg_types(), inner->return_type()), inner_(std::move(inner)) {}
  std::unique_ptr<sql::AggregateStates> make_states() const override {
    return std::make_unique<DistinctStates>(inner_->make_states(), inner_->arg_types().at(0));
  }

 private:
  std::shared_ptr<const AggregateFunction> inner_;
};

}  // namespace visiondb::fn
