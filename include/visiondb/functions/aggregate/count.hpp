// COUNT(*), COUNT(x) and COUNTIF(condition): INT64, 0 for no rows.
#pragma once

#include "visiondb/functions/aggregate/aggregate_states.hpp"

namespace visiondb::fn {

struct CountStarOp {
  struct State {
    int64_t n = 0;
  };
  using Input = void;
  static void add_rows(State& s, size_t n) { s.n += static_cast<int64_t>(n); }
  static void merge(State& s, const State& o) { s.n += o.n; }
  static void finalize(const State& s, Column& out) { out.append_int64(s.n); }
};

struct CountOp {
  struct State {
    int64_t n = 0;
  };
  using Input = Value;  // any type; only validity matters
  static constexpr bool kSeesNulls = true;
  static void add_maybe_null(State& s, const ColumnView& a, size_t i) { s.n += a.is_valid(i); }
  static void merge(State& s, const State& o) { s.n += o.n; }
  static void finalize(const State& s, Column& out) { out.append_int64(s.n); }
};

struct CountIfOp {
  struct State {
    int64_t n = 0;
  };
  using Input = bool;
  static void add(State& s, bool v) { s.n += v; }
  static void merge(State& s, const State& o) { s.n += o.n; }
  static void finalize(const State& s, Column& out) { out.append_int64(s.n); }
};

struct CountFunction {
  static constexpr std::string_view name = "count",
                                    doc = "COUNT(*) counts rows; COUNT([DISTINCT] x) counts non-NULL values of x";
};
struct CountIfFunction {
  static constexpr std::string_view name = "countif", doc = "COUNTIF(condition): the number of rows where it is TRUE";
  static AggregateSet overloads() { return {aggregate<CountIfOp>({LogicalType::boolean()}, LogicalType::int64())}; }
};

}  // namespace visiondb::fn
