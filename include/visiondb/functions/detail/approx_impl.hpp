// Out-of-line parts of aggregate/approx.hpp.
#pragma once

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <memory>
#include <string>

#include "visiondb/config.hpp"
#include "visiondb/execution/hash.hpp"
#include "visiondb/functions/aggregate/approx.hpp"

namespace visiondb::fn::detail {

/// HyperLogLog++ with precision 15: a sparse exact set of hashes, then dense registers.
class HyperLogLog {
 public:
  static constexpr int kPrecision = 15;
  static constexpr size_t kRegisters = size_t{1} << kPrecision;
  static constexpr size_t kSparseLimit = 4096;  // 32 KB of hashes: the size of the dense form

  void add(uint64_t h) {
    if (dense_) return add_dense(h);
    sparse_.push_back(h);
    if (sparse_.size() >= 2 * kSparseLimit) compact();
  }
  void merge(HyperLogLog& o) {
    if (o.dense_) {
      to_dense();
      for (size_t k = 0; k < kRegisters; ++k) dense_[k] = std::max(dense_[k], o.dense_[k]);
      return;
    }
    for (uint64_t h : o.sparse_) add(h);
  }
  int64_t estimate() {
    if (!dense_) {
      compact();
      if (!dense_) return static_cast<int64_t>(sparse_.size());
    }
    // Ertl, "New cardinality estimation algorithms for HyperLogLog sketches" (2017), eq. (13).
    constexpr int q = 64 - kPrecision;
    double counts[q + 2] = {};
    for (size_t k = 0; k < kRegisters; ++k) counts[dense_[k]] += 1;
    const double m = static_cast<double>(kRegisters);
    double z = m * tau(1 - counts[q + 1] / m);
    for (int k = q; k >= 1; --k) z = 0.5 * (z + counts[k]);
    z += m * sigma(counts[0] / m);
    return std::llround(m * m / (2 * std::log(2.0)) / z);
  }

 private:
  void compact() {
    std::sort(sparse_.begin(), sparse_.end());
    sparse_.erase(std::unique(sparse_.begin(), sparse_.end()), sparse_.end());
    if (sparse_.size() > kSparseLimit) to_dense();
  }
  void to_dense() {
    if (dense_) return;
    dense_ = std::make_unique<uint8_t[]>(kRegisters);
    std::memset(dense_.get(), 0, kRegisters);
    for (uint64_t h : sparse_) add_dense(h);
    std::vector<uint64_t>().swap(sparse_);
  }
  void add_dense(uint64_t h) {
    size_t index = static_cast<size_t>(h >> (64 - kPrecision));
    uint64_t rest = (h << kPrecision) | (uint64_t{1} << (kPrecision - 1));  // guard bit: rho <= 50
    uint8_t rho = static_cast<uint8_t>(std::countl_zero(rest) + 1);
    dense_[index] = std::max(dense_[index], rho);
  }
  static double sigma(double x) {
    if (x == 1) return INFINITY;
    double y = 1, z = x, prev;
    do {
      x *= x;
      prev = z;
      z += x * y;
      y += y;
    } while (z != prev);
    return z;
  }
  static double tau(double x) {
    if (x == 0 || x == 1) return 0;
    double y = 1, z = 1 - x, prev;
    do {
      x = std::sqrt(x);
      prev = z;
      y *= 0.5;
      z -= (1 - x) * (1 - x) * y;
    } while (z != prev);
    return z / 3;
  }

  std::vector<uint64_t> sparse_;
  std::unique_ptr<uint8_t[]> dense_;
};

// The 64-bit hash of row `row`: equal values (0 and -0, every NaN) hash equally.
inline uint64_t value_hash(const Column& c, uint32_t row) {
  switch (c.type().id()) {
    case TypeId::String:
    case TypeId::Bytes: return exec::hash_bytes(c.string_at(row));
    case TypeId::Float64: {
      double d = c.data<double>()[row];
      if (d == 0) d = 0;
      if (std::isnan(d)) d = NAN;
      return exec::hash_u64(std::bit_cast<uint64_t>(d));
    }
    case TypeId::Date: return exec::hash_u64(static_cast<uint64_t>(static_cast<int64_t>(c.data<int32_t>()[row])));
    case TypeId::Bool: return exec::hash_u64(c.data<uint8_t>()[row]);
    default: return exec::hash_u64(static_cast<uint64_t>(c.data<int64_t>()[row]));
  }
}

class HllStates final : public sql::AggregateStates {
 public:
  void resize(size_t groups) override { states_.resize(groups); }
  void update(std::span<const ColumnView> args, size_t n, const uint32_t* gids) override {
    const ColumnView& a = args[0];
    const bool nulls = !a.all_valid();
    for (size_t i = 0; i < n; ++i) {
      if (nulls && a.is_null(i)) continue;
      states_[gids ? gids[i] : 0].add(value_hash(*a.column, a.row(i)));
    }
  }
  void combine(sql::AggregateStates& other, const uint32_t* src, const uint32_t* dst, size_t n) override {
    auto& o = static_cast<HllStates&>(other);
    for (size_t i = 0; i < n; ++i) states_[dst ? dst[i] : i].merge(o.states_[src ? src[i] : i]);
  }
  void finalize(size_t first, size_t count, Column& out) override {
    for (size_t g = first; g < first + count; ++g) out.append_int64(states_[g].estimate());
  }

 private:
  std::vector<HyperLogLog> states_;
};

class HllAggregate final : public AggregateFunction {
 public:
  explicit HllAggregate(LogicalType t) : AggregateFunction("", {std::move(t)}, LogicalType::int64()) {}
  std::unique_ptr<sql::AggregateStates> make_states() const override { return std::make_unique<HllStates>(); }
};

// APPROX_QUANTILES: the values of each group, sorted at the end. NaN sorts first, as in ORDER BY.
template <class T>
class QuantileStates final : public sql::AggregateStates {
 public:
  void resize(size_t groups) override { states_.resize(groups); }
  void update(std::span<const ColumnView> args, size_t n, const uint32_t* gids) override {
    if (args.size() > 1 && n > 0) set_count(args[1]);
    const ColumnView& a = args[0];
    const bool nulls = !a.all_valid();
    for (size_t i = 0; i < n; ++i) {
      if (nulls && a.is_null(i)) continue;
      std::vector<T>& s = states_[gids ? gids[i] : 0];
      if constexpr (std::is_same_v<T, std::string>) s.emplace_back(a.column->string_at(a.row(i)));
      else s.push_back(a.column->template data<T>()[a.row(i)]);
    }
  }
  void combine(sql::AggregateStates& other, const uint32_t* src, const uint32_t* dst, size_t n) override {
    auto& o = static_cast<QuantileStates&>(other);
    if (o.count_ > 0) count_ = o.count_;
    for (size_t i = 0; i < n; ++i) {
      auto& d = states_[dst ? dst[i] : i];
      auto& s = o.states_[src ? src[i] : i];
      d.insert(d.end(), std::make_move_iterator(s.begin()), std::make_move_iterator(s.end()));
    }
  }
  void finalize(size_t first, size_t count, Column& out) override {
    for (size_t g = first; g < first + count; ++g) {
      std::vector<T>& s = states_[g];
      if (s.empty() || count_ <= 0) {  // (count_ is set by the first update that saw a row)
        out.append_null();
        continue;
      }
      std::sort(s.begin(), s.end(), less);
      const size_t n = s.size();
      Column& child = out.child();
      for (int64_t i = 0; i <= count_; ++i) {
        // Rank ceil(i * N / count) (1-based), so i = 0 is the minimum and i = count the maximum.
        unsigned __int128 num = static_cast<unsigned __int128>(i) * n;
        size_t rank = static_cast<size_t>((num + static_cast<uint64_t>(count_) - 1) / static_cast<uint64_t>(count_));
        const T& v = s[rank == 0 ? 0 : rank - 1];
        if constexpr (std::is_same_v<T, std::string>) child.append_string(v);
        else if constexpr (std::is_same_v<T, double>) child.append_float64(v);
        else if constexpr (std::is_same_v<T, int32_t>) child.append_date(v);
        else if constexpr (std::is_same_v<T, uint8_t>) child.append_bool(v != 0);
        else child.append_int64(v);
      }
      out.close_array_row();
    }
  }

 private:
  static bool less(const T& a, const T& b) {
    if constexpr (std::is_same_v<T, double>) {
      if (std::isnan(a)) return !std::isnan(b);
      if (std::isnan(b)) return false;
    }
    return a < b;
  }
  void set_count(const ColumnView& v) {
    if (count_ > 0 && v.constant) return;
    if (v.is_null(0)) throw_execution_error("the number of quantiles in APPROX_QUANTILES cannot be NULL");
    int64_t c = v.column->data<int64_t>()[v.row(0)];
    if (c <= 0 || c > 100000)
      throw_execution_error("the number of quantiles in APPROX_QUANTILES must be between 1 and 100000, got " +
                            std::to_string(c));
    count_ = c;
  }

  std::vector<std::vector<T>> states_;
  int64_t count_ = 0;
};

template <class T>
class QuantileAggregate final : public AggregateFunction {
 public:
  explicit QuantileAggregate(LogicalType t)
      : AggregateFunction("", {t, LogicalType::int64()}, LogicalType::array(t)) {}
  std::unique_ptr<sql::AggregateStates> make_states() const override { return std::make_unique<QuantileStates<T>>(); }
};

}  // namespace visiondb::fn::detail

namespace visiondb::fn {

VISIONDB_INLINE AggregateSet ApproxCountDistinctFunction::overloads() {
  AggregateSet out;
  for (auto t : {LogicalType::int64(), LogicalType::float64(), LogicalType::string(), LogicalType::bytes(),
                 LogicalType::boolean(), LogicalType::date(), LogicalType::timestamp()})
    out.push_back(std::make_shared<detail::HllAggregate>(t));
  return out;
}

VISIONDB_INLINE AggregateSet ApproxQuantilesFunction::overloads() {
  using namespace detail;
  return {std::make_shared<QuantileAggregate<int64_t>>(LogicalType::int64()),
          std::make_shared<QuantileAggregate<double>>(LogicalType::float64()),
          std::make_shared<QuantileAggregate<std::string>>(LogicalType::string()),
          std::make_shared<QuantileAggregate<std::string>>(LogicalType::bytes()),
          std::make_shared<QuantileAggregate<uint8_t>>(LogicalType::boolean()),
          std::make_shared<QuantileAggregate<int32_t>>(LogicalType::date()),
          std::make_shared<QuantileAggregate<int64_t>>(LogicalType::timestamp())};
}

}  // namespace visiondb::fn
