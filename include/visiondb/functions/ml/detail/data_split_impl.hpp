// split_rows: the row choice of each DATA_SPLIT_METHOD.
#pragma once

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string_view>

#include "visiondb/functions/ml/data_split.hpp"

namespace visiondb::fn {

VISIONDB_INLINE size_t auto_split_eval_rows(size_t rows) noexcept {
  if (rows < 500) return 0;
  if (rows <= 50000) return static_cast<size_t>(std::llround(static_cast<double>(rows) * 0.2));
  return 10000;
}

namespace split_detail {

// splitmix64: a fixed generator, so that a seed gives the same split on every platform.
inline uint64_t next(uint64_t& state) noexcept {
  uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

// Exactly `take` of `rows` rows, each subset equally likely (Knuth's selection sampling).
inline void choose_random(std::vector<uint8_t>& is_eval, size_t take, uint64_t seed) {
  uint64_t state = seed ^ 0x5EED5A17D1u;
  size_t left = is_eval.size(), need = take;
  for (size_t i = 0; i < is_eval.size(); ++i, --left) {
    const double u = static_cast<double>(next(state) >> 11) * 0x1.0p-53;
    if (u * static_cast<double>(left) < static_cast<double>(need)) {
      is_eval[i] = 1;
      --need;
    }
  }
}

}  // namespace split_detail

VISIONDB_INLINE DataSplit split_rows(const ForestOptions& options, const std::vector<Chunk>& chunks, size_t split_column) {
  DataSplit s;
  size_t rows = 0;
  for (const auto& c : chunks) rows += c.size();
  s.is_eval.assign(rows, 0);
  switch (options.split) {
    case DataSplitMethod::NoSplit: break;
    case DataSplitMethod::AutoSplit:
      split_detail::choose_random(s.is_eval, auto_split_eval_rows(rows), options.params.seed);
      break;
    case DataSplitMethod::Random:
      split_detail::choose_random(s.is_eval, static_cast<size_t>(std::llround(static_cast<double>(rows) * options.eval_fraction)),
                                  options.params.seed);
      break;
    case DataSplitMethod::Custom: {
      size_t r = 0;
      for (const auto& c : chunks) {
        const Column& col = c.column(split_column);
        const uint8_t* v = col.data<uint8_t>();
        for (size_t i = 0; i < c.size(); ++i, ++r) s.is_eval[r] = col.is_null(i) || v[i] ? 1 : 0;
      }
      break;
    }
    case DataSplitMethod::Seq: {
      // Ascending order of the column, NULLs first (as ORDER BY ... ASC); ties keep query order.
      struct Key {
        bool null;
        double number;
        std::string_view text;
      };
      std::vector<Key> keys;
      keys.reserve(rows);
      bool text = false;
      for (const auto& c : chunks) {
        const Column& col = c.column(split_column);
        const TypeId t = col.type().id();
        text = t == TypeId::String || t == TypeId::Bytes;
        for (size_t i = 0; i < c.size(); ++i) {
          Key k{col.is_null(i), 0.0, {}};
          if (!k.null) {
            if (t == TypeId::String || t == TypeId::Bytes) k.text = col.string_at(i);
            else if (t == TypeId::Float64) k.number = col.data<double>()[i];
            else if (t == TypeId::Int64 || t == TypeId::Timestamp) k.number = static_cast<double>(col.data<int64_t>()[i]);
            else if (t == TypeId::Date) k.number = col.data<int32_t>()[i];
            else if (t == TypeId::Bool) k.number = col.data<uint8_t>()[i];
          }
          keys.push_back(k);
        }
      }
      std::vector<size_t> order(rows);
      std::iota(order.begin(), order.end(), size_t{0});
      std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
        const Key &x = keys[a], &y = keys[b];
        if (x.null != y.null) return x.null;
        if (x.null) return false;
        if (text) return x.text < y.text;
        return x.number < y.number;
      });
      const size_t eval = static_cast<size_t>(std::llround(static_cast<double>(rows) * options.eval_fraction));
      for (size_t i = rows - std::min(eval, rows); i < rows; ++i) s.is_eval[order[i]] = 1;
      break;
    }
  }
  for (uint8_t e : s.is_eval) s.eval_rows += e;
  s.train_rows = rows - s.eval_rows;
  return s;
}

}  // namespace visiondb::fn
