// MIN, MAX (any orderable type; FLOAT64: NaN if any input is NaN, as BigQuery), ANY_VALUE (any
// type), LOGICAL_AND, LOGICAL_OR.
#pragma once

#include <cmath>
#include <string>

#include "visiondb/functions/aggregate/aggregate_states.hpp"

namespace visiondb::fn {

template <class T, bool IsMax>
struct MinMaxOp {
  using Stored = std::conditional_t<std::is_same_v<T, std::string_view>, std::string, T>;
  struct State {
    Stored v{};
    bool any = false;
  };
  using Input = T;
  static bool better(const T& a, const Stored& b) {
    if constexpr (std::is_same_v<T, double>) {
      if (std::isnan(b)) return false;
      if (std::isnan(a)) return true;
    }
    if constexpr (IsMax) return b < a;
    else return a < b;
  }
  static void add(State& s, T v) {
    if (!s.any || better(v, s.v)) {
      s.v = Stored(v);
      s.any = true;
    }
  }
  static void merge(State& s, const State& o) {
    if (o.any) add(s, T(o.v));
  }
  static void finalize(const State& s, Column& out) {
    if (!s.any) return out.append_null();
    if constexpr (std::is_same_v<T, bool>) out.append_bool(s.v);
    else if constexpr (std::is_same_v<T, std::string_view>) out.append_string(s.v);
    else if constexpr (std::is_same_v<T, int32_t>) out.append_date(s.v);
    else if constexpr (std::is_same_v<T, double>) out.append_float64(s.v);
    else out.append_int64(s.v);  // INT64 and TIMESTAMP share storage
  }
};

template <class T>
struct AnyValueOp {
  using Stored = std::conditional_t<std::is_same_v<T, std::string_view>, std::string, T>;
  struct State {
    Stored v{};
    bool any = false;
  };
  using Input = T;
  static void add(State& s, const T& v) {
    if (!s.any) {
      s.v = Stored(v);
      s.any = true;
    }
  }
  static void merge(State& s, const State& o) {
    if (!s.any && o.any) s = o;
  }
  static void finalize(const State& s, Column& out) {
    if (!s.any) return out.append_null();
    if constexpr (std::is_same_v<T, bool>) out.append_bool(s.v);
    else if constexpr (std::is_same_v<T, std::string_view>) out.append_string(s.v);
    else if constexpr (std::is_same_v<T, int32_t>) out.append_date(s.v);
    else if constexpr (std::is_same_v<T, double>) out.append_float64(s.v);
    else if constexpr (std::is_same_v<T, Value>) out.append(s.v);
    else out.append_int64(s.v);
  }
};

template <bool IsAnd>
struct LogicalAndOrOp {
  struct State {
    bool v = IsAnd;
    bool any = false;
  };
  using Input = bool;
  static void add(State& s, bool v) {
    s.v = IsAnd ? (s.v && v) : (s.v || v);
    s.any = true;
  }
  static void merge(State& s, const State& o) {
    if (o.any) add(s, o.v);
  }
  static void finalize(const State& s, Column& out) { s.any ? out.append_bool(s.v) : out.append_null(); }
};

/// The overloads of MIN or MAX over every orderable type.
template <bool IsMax>
AggregateSet min_max_overloads() {
  return {
      aggregate<MinMaxOp<int64_t, IsMax>>({LogicalType::int64()}, LogicalType::int64()),
      aggregate<MinMaxOp<double, IsMax>>({LogicalType::float64()}, LogicalType::float64()),
      aggregate<MinMaxOp<std::string_view, IsMax>>({LogicalType::string()}, LogicalType::string()),
      aggregate<MinMaxOp<std::string_view, IsMax>>({LogicalType::bytes()}, LogicalType::bytes()),
      aggregate<MinMaxOp<bool, IsMax>>({LogicalType::boolean()}, LogicalType::boolean()),
      aggregate<MinMaxOp<int64_t, IsMax>>({LogicalType::timestamp()}, LogicalType::timestamp()),
      aggregate<MinMaxOp<int32_t, IsMax>>({LogicalType::date()}, LogicalType::date()),
  };
}

struct MinFunction {
  static constexpr std::string_view name = "min", doc = "MIN(x): the smallest non-NULL value";
  static AggregateSet overloads() { return min_max_overloads<false>(); }
};
struct MaxFunction {
  static constexpr std::string_view name = "max", doc = "MAX(x): the largest non-NULL value";
  static AggregateSet overloads() { return min_max_overloads<true>(); }
};
struct AnyValueFunction {
  static constexpr std::string_view name = "any_value", doc = "ANY_VALUE(x): some non-NULL value of x, NULL if none";
  static AggregateSet overloads() {
    return {
        aggregate<AnyValueOp<int64_t>>({LogicalType::int64()}, LogicalType::int64()),
        aggregate<AnyValueOp<double>>({LogicalType::float64()}, LogicalType::float64()),
        aggregate<AnyValueOp<std::string_view>>({LogicalType::string()}, LogicalType::string()),
        aggregate<AnyValueOp<std::string_view>>({LogicalType::bytes()}, LogicalType::bytes()),
        aggregate<AnyValueOp<bool>>({LogicalType::boolean()}, LogicalType::boolean()),
        aggregate<AnyValueOp<int64_t>>({LogicalType::timestamp()}, LogicalType::timestamp()),
        aggregate<AnyValueOp<int32_t>>({LogicalType::date()}, LogicalType::date()),
    };
  }
};
struct LogicalAndFunction {
  static constexpr std::string_view name = "logical_and", doc = "LOGICAL_AND(b): TRUE when every non-NULL b is TRUE";
  static AggregateSet overloads() { return {aggregate<LogicalAndOrOp<true>>({LogicalType::boolean()}, LogicalType::boolean())}; }
};
struct LogicalOrFunction {
  static constexpr std::string_view name = "logical_or", doc = "LOGICAL_OR(b): TRUE when some non-NULL b is TRUE";
  static AggregateSet overloads() { return {aggregate<LogicalAndOrOp<false>>({LogicalType::boolean()}, LogicalType::boolean())}; }
};

}  // namespace visiondb::fn
