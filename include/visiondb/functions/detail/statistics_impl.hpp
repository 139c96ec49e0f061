// Out-of-line parts of aggregate/statistics.hpp.
#pragma once

#include <cmath>

#include "visiondb/config.hpp"
#include "visiondb/functions/aggregate/statistics.hpp"

namespace visiondb::fn::detail {

// Count, mean and sum of squared deviations of one variable (Welford), plus a non-finite flag.
struct Moments {
  int64_t n = 0;
  double mean = 0, m2 = 0;
  bool nonfinite = false;
  void add(double v) {
    if (!std::isfinite(v)) {
      nonfinite = true;
      ++n;
      return;
    }
    ++n;
    double d = v - mean;
    mean += d / static_cast<double>(n);
    m2 += d * (v - mean);
  }
  void merge(const Moments& o) {
    if (o.n == 0) return;
    if (n == 0) {
      *this = o;
      return;
    }
    double total = static_cast<double>(n + o.n);
    double d = o.mean - mean;
    m2 += o.m2 + d * d * static_cast<double>(n) * static_cast<double>(o.n) / total;
    mean += d * static_cast<double>(o.n) / total;
    n += o.n;
    nonfinite |= o.nonfinite;
  }
};

enum class VarianceKind { VarSamp, VarPop, StddevSamp, StddevPop };

template <VarianceKind K>
struct VarianceOp {
  using State = Moments;
  using Input = double;
  static void add(State& s, double v) { s.add(v); }
  static void merge(State& s, const State& o) { s.merge(o); }
  static void finalize(const State& s, Column& out) {
    const bool sample = K == VarianceKind::VarSamp || K == VarianceKind::StddevSamp;
    if (s.n < (sample ? 2 : 1)) return out.append_null();
    if (s.nonfinite) return out.append_float64(NAN);
    double var = std::max(0.0, s.m2 / static_cast<double>(sample ? s.n - 1 : s.n));
    out.append_float64(K == VarianceKind::StddevSamp || K == VarianceKind::StddevPop ? std::sqrt(var) : var);
  }
};

// Co-moments of (y, x) pairs: both variables' moments and the sum of cross deviations.
struct CoMoments {
  int64_t n = 0;
  double mean_x = 0, mean_y = 0, m2_x = 0, m2_y = 0, c = 0;
  bool nonfinite = false;
  void add(double y, double x) {
    ++n;
    if (!std::isfinite(x) || !std::isfinite(y)) {
      nonfinite = true;
      return;
    }
    double k = static_cast<double>(n);
    double dx = x - mean_x, dy = y - mean_y;
    mean_x += dx / k;
    mean_y += dy / k;
    m2_x += dx * (x - mean_x);
    m2_y += dy * (y - mean_y);
    c += dx * (y - mean_y);
  }
  void merge(const CoMoments& o) {
    if (o.n == 0) return;
    if (n == 0) {
      *this = o;
      return;
    }
    double na = static_cast<double>(n), nb = static_cast<double>(o.n), total = na + nb;
    double dx = o.mean_x - mean_x, dy = o.mean_y - mean_y;
    m2_x += o.m2_x + dx * dx * na * nb / total;
    m2_y += o.m2_y + dy * dy * na * nb / total;
    c += o.c + dx * dy * na * nb / total;
    mean_x += dx * nb / total;
    mean_y += dy * nb / total;
    n += o.n;
    nonfinite |= o.nonfinite;
  }
};

enum class PairKind { CovarSamp, CovarPop, Corr };

/// The states of a two-argument statistic: pairs with a NULL on either side are skipped.
template <PairKind K>
class PairStates final : public sql::AggregateStates {
 public:
  void resize(size_t groups) override { states_.resize(groups); }
  void update(std::span<const ColumnView> args, size_t n, const uint32_t* gids) override {
    const ColumnView& y = args[0];
    const ColumnView& x = args[1];
    const double* py = y.column->data<double>();
    const double* px = x.column->data<double>();
    const bool nulls = !y.all_valid() || !x.all_valid();
    for (size_t i = 0; i < n; ++i) {
      if (nulls && (y.is_null(i) || x.is_null(i))) continue;
      states_[gids ? gids[i] : 0].add(py[y.row(i)], px[x.row(i)]);
    }
  }
  void combine(sql::AggregateStates& other, const uint32_t* src, const uint32_t* dst, size_t n) override {
    auto& o = static_cast<PairStates&>(other);
    for (size_t i = 0; i < n; ++i) states_[dst ? dst[i] : i].merge(o.states_[src ? src[i] : i]);
  }
  void finalize(size_t first, size_t count, Column& out) override {
    for (size_t g = first; g < first + count; ++g) {
      const CoMoments& s = states_[g];
      if (s.n < (K == PairKind::CovarPop ? 1 : 2)) {
        out.append_null();
        continue;
      }
      if (s.nonfinite) {
        out.append_float64(NAN);
        continue;
      }
      if (K == PairKind::Corr) {
        // As documented: NaN when either variance or the covariance is zero.
        if (s.m2_x <= 0 || s.m2_y <= 0 || s.c == 0) out.append_float64(NAN);
        else out.append_float64(std::clamp(s.c / std::sqrt(s.m2_x * s.m2_y), -1.0, 1.0));
      } else {
        out.append_float64(s.c / static_cast<double>(K == PairKind::CovarSamp ? s.n - 1 : s.n));
      }
    }
  }

 private:
  std::vector<CoMoments> states_;
};

template <PairKind K>
class PairAggregate final : public AggregateFunction {
 public:
  PairAggregate() : AggregateFunction("", {LogicalType::float64(), LogicalType::float64()}, LogicalType::float64()) {}
  std::unique_ptr<sql::AggregateStates> make_states() const override { return std::make_unique<PairStates<K>>(); }
};

}  // namespace visiondb::fn::detail

namespace visiondb::fn {

#define VISIONDB_VARIANCE(Type, Kind)                                                                \
  VISIONDB_INLINE AggregateSet Type::overloads() {                                                   \
    return {aggregate<detail::VarianceOp<detail::VarianceKind::Kind>>({LogicalType::float64()}, LogicalType::float64())}; \
  }
VISIONDB_VARIANCE(VarSampFunction, VarSamp)
VISIONDB_VARIANCE(VarianceFunction, VarSamp)
VISIONDB_VARIANCE(VarPopFunction, VarPop)
VISIONDB_VARIANCE(StddevSampFunction, StddevSamp)
VISIONDB_VARIANCE(StddevFunction, StddevSamp)
VISIONDB_VARIANCE(StddevPopFunction, StddevPop)
#undef VISIONDB_VARIANCE

VISIONDB_INLINE AggregateSet CovarSampFunction::overloads() {
  return {std::make_shared<detail::PairAggregate<detail::PairKind::CovarSamp>>()};
}
VISIONDB_INLINE AggregateSet CovarPopFunction::overloads() {
  return {std::make_shared<detail::PairAggregate<detail::PairKind::CovarPop>>()};
}
VISIONDB_INLINE AggregateSet CorrFunction::overloads() { return {std::make_shared<detail::PairAggregate<detail::PairKind::Corr>>()}; }

}  // namespace visiondb::fn
