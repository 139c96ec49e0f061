// STRING_AGG(expression [, delimiter]): the non-NULL values joined with the delimiter (',' by
// default), for STRING and BYTES. Values keep the order they arrived in within each partial
// result; without ORDER BY, SQL promises no order.
#pragma once

#include <string>

#include "visiondb/functions/aggregate/aggregate_states.hpp"

namespace visiondb::fn {

class StringAggStates final : public sql::AggregateStates {
 public:
  void resize(size_t groups) override { states_.resize(groups); }
  void update(std::span<const ColumnView> args, size_t n, const uint32_t* gids) override {
    const ColumnView& a = args[0];
    for (size_t i = 0; i < n; ++i) {
      if (a.is_null(i)) continue;
      State& s = states_[gids ? gids[i] : 0];
      if (s.any) {
        if (args.size() > 1) {
          if (!args[1].is_null(i)) s.text += args[1].column->string_at(args[1].row(i));
        } else {
          s.text += ',';
        }
      }
      s.text += a.column->string_at(a.row(i));
      if (!s.any && args.size() > 1 && !args[1].is_null(i)) {
        s.delimiter = args[1].column->string_at(args[1].row(i));
        s.delimiter_set = true;
      }
      s.any = true;
    }
  }
  void combine(sql::AggregateStates& other, const uint32_t* src, const uint32_t* dst, size_t n) override {
    auto& o = static_cast<StringAggStates&>(other);
    for (size_t i = 0; i < n; ++i) {
      State& s = states_[dst ? dst[i] : i];
      State& t = o.states_[src ? src[i] : i];
      if (!t.any) continue;
      if (!s.any) {
        s = std::move(t);
        continue;
      }
      s.text += t.delimiter_set ? t.delimiter : s.delimiter;
      s.text += t.text;
    }
  }
  void finalize(size_t first, size_t count, Column& out) override {
    for (size_t g = first; g < first + count; ++g) states_[g].any ? out.append_string(states_[g].text) : out.append_null();
  }

 private:
  struct State {
    std::string text;
    std::string delimiter = ",";
    bool delimiter_set = false;
    bool any = false;
  };
  std::vector<State> states_;
};

class StringAggFunctionImpl final : public AggregateFunction {
 public:
  StringAggFunctionImpl(std::vector<LogicalType> args, LogicalType ret) : AggregateFunction("", std::move(args), std::move(ret)) {}
  std::unique_ptr<sql::AggregateStates> make_states() const override { return std::make_unique<StringAggStates>(); }
};

struct StringAggFunction {
  static constexpr std::string_view name = "string_agg",
                                    doc = "STRING_AGG([DISTINCT] s [, delimiter]): non-NULL values joined by delimiter (default ',')";
  static AggregateSet overloads() {
    auto s = LogicalType::string(), b = LogicalType::bytes();
    return {std::make_shared<StringAggFunctionImpl>(std::vector<LogicalType>{s}, s),
            std::make_shared<StringAggFunctionImpl>(std::vector<LogicalType>{s, s}, s),
            std::make_shared<StringAggFunctionImpl>(std::vector<LogicalType>{b}, b),
            std::make_shared<StringAggFunctionImpl>(std::vector<LogicalType>{b, b}, b)};
  }
};

}  // namespace visiondb::fn
