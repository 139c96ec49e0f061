// TypedStates<Op>: the AggregateStates of an aggregate written as an operation on one state
// struct. The aggregate file holds only the math:
//   struct SumIntOp {
//     struct State { __int128 sum = 0; bool any = false; };
//     using Input = int64_t;                                   // the argument's C++ type
//     static void add(State& s, int64_t v) { s.sum += v; s.any = true; }
//     static void merge(State& s, const State& o) { ... }
//     static void finalize(const State& s, Column& out) { ... }   // appends one row
//   };
// NULL arguments are skipped (SQL aggregates ignore NULLs) unless Op::kSeesNulls is true.
#pragma once

#include <memory>
#include <span>
#include <type_traits>
#include <vector>

#include "visiondb/functions/function.hpp"

namespace visiondb::fn {

template <class Op>
concept HasBulkAdd = requires(typename Op::State& s, const typename Op::Input* p, size_t n) {
  Op::add_bulk(s, p, n);
};
template <class Op>
concept SeesNulls = requires { Op::kSeesNulls; } && Op::kSeesNulls;

/// Reads argument values of C++ type T: arithmetic, bool, std::string_view, or Value (any type).
template <class T>
T load_arg(const ColumnView& v, size_t i) {
  if constexpr (std::is_same_v<T, Value>) return v.get(i);
  else return Physical<T>::load(*v.column, v.row(i));
}

template <class Op>
class TypedStates final : public sql::AggregateStates {
 public:
  using State = typename Op::State;
  using Input = typename Op::Input;

  void resize(size_t groups) override { states_.resize(groups); }

  void update(std::span<const ColumnView> args, size_t n, const uint32_t* gids) override {
    if constexpr (std::is_void_v<Input>) {
      // COUNT(*): no argument.
      if (!gids) Op::add_rows(states_[0], n);
      else
        for (size_t i = 0; i < n; ++i) Op::add_rows(states_[gids[i]], 1);
    } else {
      const ColumnView& a = args[0];
      const bool nulls = !a.all_valid();
      if constexpr (HasBulkAdd<Op>) {
        if (!gids && !nulls && !a.sel && !a.constant) {
          Op::add_bulk(states_[0], a.column->template data<Input>(), n);
          return;
        }
      }
      if (!gids) {
        State& s = states_[0];
        for (size_t i = 0; i < n; ++i) {
          if constexpr (SeesNulls<Op>) {
            Op::add_maybe_null(s, a, i);
          } else {
            if (nulls && a.is_null(i)) continue;
            Op::add(s, load_arg<Input>(a, i));
          }
        }
        return;
      }
      for (size_t i = 0; i < n; ++i) {
        if constexpr (SeesNulls<Op>) {
          Op::add_maybe_null(states_[gids[i]], a, i);
        } else {
          if (nulls && a.is_null(i)) continue;
          Op::add(states_[gids[i]], load_arg<Input>(a, i));
        }
      }
    }
  }

  void combine(sql::AggregateStates& other, const uint32_t* src, const uint32_t* dst, size_t n) override {
    auto& o = static_cast<TypedStates&>(other);
    for (size_t i = 0; i < n; ++i) Op::merge(states_[dst ? dst[i] : i], o.states_[src ? src[i] : i]);
  }

  void finalize(size_t first, size_t count, Column& out) override {
    for (size_t g = first; g < first + count; ++g) Op::finalize(states_[g], out);
  }

 private:
  std::vector<State> states_;
};

/// An AggregateFunction whose states are TypedStates<Op>.
template <class Op>
class TypedAggregate final : public AggregateFunction {
 public:
  TypedAggregate(std::vector<LogicalType> args, LogicalType ret)
      : AggregateFunction("", std::move(args), std::move(ret)) {}
  std::unique_ptr<sql::AggregateStates> make_states() const override { return std::make_unique<TypedStates<Op>>(); }
};

template <class Op>
std::shared_ptr<AggregateFunction> aggregate(std::vector<LogicalType> args, LogicalType ret) {
  return std::make_shared<TypedAggregate<Op>>(std::move(args), std::move(ret));
}

/// Appends a value of C++ type T to a column of the matching type.
template <class T>
void append_typed(Column& out, const T& v) {
  if constexpr (std::is_same_v<T, bool>) out.append_bool(v);
  else if constexpr (std::is_same_v<T, int64_t>) out.append_int64(v);
  else if constexpr (std::is_same_v<T, double>) out.append_float64(v);
  else if constexpr (std::is_same_v<T, int32_t>) out.append_date(v);
  else if constexpr (std::is_same_v<T, std::string>) out.append_string(v);
  else if constexpr (std::is_same_v<T, Value>) out.append(v);
  else static_assert(sizeof(T) == 0, "append_typed: unsupported type");
}

}  // namespace visiondb::fn
