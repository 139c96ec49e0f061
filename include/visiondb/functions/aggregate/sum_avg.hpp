// SUM and AVG. SUM(INT64) is INT64 (accumulated in 128 bits; a total outside INT64 is an error),
// SUM(FLOAT64) is FLOAT64, AVG is FLOAT64; all are NULL over no non-NULL input.
#pragma once

#include <string>

#include "visiondb/functions/aggregate/aggregate_states.hpp"

namespace visiondb::fn {

namespace detail {
inline std::string int128_to_string(__int128 v) {
  if (v == 0) return "0";
  bool neg = v < 0;
  unsigned __int128 u = neg ? static_cast<unsigned __int128>(-(v + 1)) + 1 : static_cast<unsigned __int128>(v);
  std::string s;
  while (u) {
    s += static_cast<char>('0' + static_cast<int>(u % 10));
    u /= 10;
  }
  if (neg) s += '-';
  return std::string(s.rbegin(), s.rend());
}
}  // namespace detail

struct SumIntOp {
  struct State {
    __int128 sum = 0;
    bool any = false;
  };
  using Input = int64_t;
  static void add(State& s, int64_t v) {
    s.sum += v;
    s.any = true;
  }
  static void add_bulk(State& s, const int64_t* p, size_t n) {
    __int128 acc = 0;
    for (size_t i = 0; i < n; ++i) acc += p[i];
    s.sum += acc;
    s.any |= n > 0;
  }
  static void merge(State& s, const State& o) {
    s.sum += o.sum;
    s.any |= o.any;
  }
  static void finalize(const State& s, Column& out) {
    if (!s.any) return out.append_null();
    if (s.sum > INT64_MAX || s.sum < INT64_MIN)
      detail::throw_execution_error("int64 overflow: SUM is " + detail::int128_to_string(s.sum));
    out.append_int64(static_cast<int64_t>(s.sum));
  }
};

struct SumDoubleOp {
  struct State {
    double sum = 0;
    bool any = false;
  };
  using Input = double;
  static void add(State& s, double v) {
    s.sum += v;
    s.any = true;
  }
  static void add_bulk(State& s, const double* p, size_t n) {
    // Four partial sums: a fixed association, so the result does not depend on the thread count.
    double a0 = 0, a1 = 0, a2 = 0, a3 = 0;
    size_t i = 0;
    for (; i + 4 <= n; i += 4) {
      a0 += p[i];
      a1 += p[i + 1];
      a2 += p[i + 2];
      a3 += p[i + 3];
    }
    for (; i < n; ++i) a0 += p[i];
    s.sum += (a0 + a1) + (a2 + a3);
    s.any |= n > 0;
  }
  static void merge(State& s, const State& o) {
    s.sum += o.sum;
    s.any |= o.any;
  }
  static void finalize(const State& s, Column& out) { s.any ? out.append_float64(s.sum) : out.append_null(); }
};

struct AvgIntOp {
  struct State {
    __int128 sum = 0;
    int64_t n = 0;
  };
  using Input = int64_t;
  static void add(State& s, int64_t v) {
    s.sum += v;
    ++s.n;
  }
  static void add_bulk(State& s, const int64_t* p, size_t n) {
    __int128 acc = 0;
    for (size_t i = 0; i < n; ++i) acc += p[i];
    s.sum += acc;
    s.n += static_cast<int64_t>(n);
  }
  static void merge(State& s, const State& o) {
    s.sum += o.sum;
    s.n += o.n;
  }
  static void finalize(const State& s, Column& out) {
    s.n ? out.append_float64(static_cast<double>(s.sum) / static_cast<double>(s.n)) : out.append_null();
  }
};

struct AvgDoubleOp {
  struct State {
    double sum = 0;
    int64_t n = 0;
  };
  using Input = double;
  static void add(State& s, double v) {
    s.sum += v;
    ++s.n;
  }
  static void add_bulk(State& s, const double* p, size_t n) {
    SumDoubleOp::State t;
    SumDoubleOp::add_bulk(t, p, n);
    s.sum += t.sum;
    s.n += static_cast<int64_t>(n);
  }
  static void merge(State& s, const State& o) {
    s.sum += o.sum;
    s.n += o.n;
  }
  static void finalize(const State& s, Column& out) {
    s.n ? out.append_float64(s.sum / static_cast<double>(s.n)) : out.append_null();
  }
};

struct SumFunction {
  static constexpr std::string_view name = "sum", doc = "SUM([DISTINCT] x): the sum of non-NULL values; NULL if none";
  static AggregateSet overloads() {
    return {aggregate<SumIntOp>({LogicalType::int64()}, LogicalType::int64()),
            aggregate<SumDoubleOp>({LogicalType::float64()}, LogicalType::float64())};
  }
};
struct AvgFunction {
  static constexpr std::string_view name = "avg", doc = "AVG([DISTINCT] x): the FLOAT64 mean of non-NULL values";
  static AggregateSet overloads() {
    return {aggregate<AvgIntOp>({LogicalType::int64()}, LogicalType::float64()),
            aggregate<AvgDoubleOp>({LogicalType::float64()}, LogicalType::float64())};
  }
};

}  // namespace visiondb::fn
