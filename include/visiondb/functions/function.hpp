// Scalar function building blocks: unary<> and binary<> turn an operation struct (only the math)
// into a ScalarFunction whose kernel handles NULLs, constants, selections and errors, with tight
// typed loops over column buffers where the inputs allow [DuckDB's UnaryExecutor/BinaryExecutor].
//
// An operation is either plain:     static R apply(A a, B b);
// or checked (it can fail):         static bool apply(A a, B b, R& out);
//                                   static std::string error(A a, B b);   // "int64 overflow: 1 + 2"
// A STRING/BYTES result may be owned (R& is std::string&, reused from row to row: assign it) or a
// view into an argument (std::string_view&: SUBSTR, TRIM, SPLIT pieces copy nothing). nary<> does
// the same for three or more arguments (SUBSTR(s, pos, len), INSTR(s, t, pos, occurrence)).
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "visiondb/common/error.hpp"
#include "visiondb/sql/function_interface.hpp"
#include "visiondb/storage/column.hpp"
#include "visiondb/storage/column_view.hpp"

namespace visiondb::fn {

using sql::AggregateFunction;
using sql::FunctionContext;
using sql::ScalarFunction;

/// The overloads of one function name.
using FunctionSet = std::vector<std::shared_ptr<ScalarFunction>>;

/// Builds the overload of a generic function for these argument types; null with `error` set
/// when the types do not fit.
using GenericBind = std::shared_ptr<ScalarFunction> (*)(const std::vector<LogicalType>& args, std::string& error);
using AggregateSet = std::vector<std::shared_ptr<AggregateFunction>>;

/// DATE values are int32 days; a distinct C++ type would only add casts.
using date_t = int32_t;

// ---- C++ type <-> column storage ------------------------------------------------------------

template <class T>
struct Physical {
  static_assert(std::is_arithmetic_v<T>, "unsupported physical type");
  static T load(const Column& c, uint32_t row) noexcept { return c.data<T>()[row]; }
  static LogicalType logical_type();
};
template <>
struct Physical<bool> {
  static bool load(const Column& c, uint32_t row) noexcept { return c.data<uint8_t>()[row] != 0; }
  static LogicalType logical_type() { return LogicalType::boolean(); }
};
template <>
struct Physical<std::string_view> {
  static std::string_view load(const Column& c, uint32_t row) noexcept { return c.string_at(row); }
  static LogicalType logical_type() { return LogicalType::string(); }
};
template <class T>
LogicalType Physical<T>::logical_type() {
  if constexpr (std::is_same_v<T, int64_t>) return LogicalType::int64();
  else if constexpr (std::is_same_v<T, double>) return LogicalType::float64();
  else if constexpr (std::is_same_v<T, int32_t>) return LogicalType::date();
  else return LogicalType::null();
}

/// Writes a kernel's results row by row (rows must be written in increasing order for strings).
template <class R>
class ResultWriter {
 public:
  ResultWriter(Column& out, size_t n) : out_(out) {
    out.resize(n);
    data_ = out.data<R>();
  }
  void set(size_t i, R v) noexcept { data_[i] = v; }
  void set_null(size_t i) { out_.set_null(i); }
  R* data() noexcept { return data_; }

 private:
  Column& out_;
  R* data_;
};
template <>
class ResultWriter<bool> {
 public:
  ResultWriter(Column& out, size_t n) : out_(out) {
    out.resize(n);
    data_ = out.data<uint8_t>();
  }
  void set(size_t i, bool v) noexcept { data_[i] = v ? 1 : 0; }
  void set_null(size_t i) { out_.set_null(i); }
  uint8_t* data() noexcept { return data_; }

 private:
  Column& out_;
  uint8_t* data_;
};
/// Strings are appended: set(i, ..) / set_null(i) must come in order of i, exactly once each.
template <>
class ResultWriter<std::string_view> {
 public:
  ResultWriter(Column& out, size_t n) : out_(out) { out.reserve(n); }
  void set(size_t, std::string_view v) { out_.append_string(v); }
  void set_null(size_t) { out_.append_null(); }

 private:
  Column& out_;
};

template <class Op, class R, class... A>
concept CheckedOp = requires(A... a, R& r) {
  { Op::apply(a..., r) } -> std::convertible_to<bool>;
};

namespace detail {
[[noreturn]] void throw_execution_error(std::string message);

/// Stores std::string results of string ops (the writer copies them into the column).
template <class R>
using StoreType = std::conditional_t<std::is_same_v<R, std::string_view>, std::string, R>;
}  // namespace detail

// ---- the generic row loop: any arity, NULL in -> NULL out, checked ops honour SAFE. ------------

namespace detail {
template <class Op, class... A>
concept ViewResultOp = requires(A... a, std::string_view& r) {
  { Op::apply(a..., r) } -> std::convertible_to<bool>;
};
}  // namespace detail

/// Runs Op over n rows of args (one view per A): a row with a NULL argument is NULL; a checked op
/// that fails throws its error(), or gives NULL under SAFE.
template <class R, class Op, class... A>
void execute_nary(std::span<const ColumnView> args, size_t n, Column& out, const FunctionContext& ctx) {
  ResultWriter<R> w(out, n);
  bool nulls = false;
  for (size_t k = 0; k < sizeof...(A); ++k) nulls |= !args[k].all_valid();
  [&]<size_t... I>(std::index_sequence<I...>) {
    // One result buffer for all rows: an op assigns it, so long strings allocate once per chunk.
    [[maybe_unused]] detail::StoreType<R> r{};
    for (size_t i = 0; i < n; ++i) {
      const uint32_t rows[sizeof...(A) + 1] = {args[I].row(i)..., 0};
      if (nulls && !(args[I].column->is_valid(rows[I]) && ...)) {
        w.set_null(i);
        continue;
      }
      if constexpr (std::is_same_v<R, std::string_view> && detail::ViewResultOp<Op, A...>) {
        std::string_view v;
        if (!Op::apply(Physical<A>::load(*args[I].column, rows[I])..., v)) {
          if (!ctx.safe) detail::throw_execution_error(Op::error(Physical<A>::load(*args[I].column, rows[I])...));
          w.set_null(i);
          continue;
        }
        w.set(i, v);
      } else if constexpr (CheckedOp<Op, detail::StoreType<R>, A...>) {
        if (!Op::apply(Physical<A>::load(*args[I].column, rows[I])..., r)) {
          if (!ctx.safe) detail::throw_execution_error(Op::error(Physical<A>::load(*args[I].column, rows[I])...));
          w.set_null(i);
          continue;
        }
        w.set(i, r);
      } else {
        w.set(i, Op::apply(Physical<A>::load(*args[I].column, rows[I])...));
      }
    }
  }(std::index_sequence_for<A...>{});
}

// ---- unary ----------------------------------------------------------------------------------

template <class A, class R, class Op>
void execute_unary(const ColumnView& a, size_t n, Column& out, const FunctionContext& ctx) {
  constexpr bool kFixed = std::is_arithmetic_v<A> && std::is_arithmetic_v<R> && !std::is_same_v<A, bool> &&
                          !CheckedOp<Op, detail::StoreType<R>, A>;
  if constexpr (kFixed) {
    // Fixed width in and out: a loop the compiler vectorizes.
    ResultWriter<R> w(out, n);
    const Column& ca = *a.column;
    const A* in = ca.data<A>();
    auto* o = w.data();
    if (!a.sel && !a.constant) {
      for (size_t i = 0; i < n; ++i) o[i] = static_cast<std::remove_pointer_t<decltype(o)>>(Op::apply(in[i]));
    } else {
      for (size_t i = 0; i < n; ++i) o[i] = static_cast<std::remove_pointer_t<decltype(o)>>(Op::apply(in[a.row(i)]));
    }
    if (!a.all_valid())
      for (size_t i = 0; i < n; ++i)
        if (!ca.is_valid(a.row(i))) w.set_null(i);
  } else {
    execute_nary<R, Op, A>(std::span<const ColumnView>(&a, 1), n, out, ctx);
  }
}

// ---- binary ---------------------------------------------------------------------------------

namespace detail {
template <class A, class B, class R, class Op, bool AFlat, bool BFlat>
void binary_fixed_loop(const A* pa, const B* pb, R* o, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    A x = AFlat ? pa[i] : pa[0];
    B y = BFlat ? pb[i] : pb[0];
    o[i] = static_cast<R>(Op::apply(x, y));
  }
}
}  // namespace detail

template <class A, class B, class R, class Op>
void execute_binary(const ColumnView& a, const ColumnView& b, size_t n, Column& out, const FunctionContext& ctx) {
  constexpr bool kFixed = std::is_arithmetic_v<A> && std::is_arithmetic_v<B> && std::is_arithmetic_v<R> &&
                          !std::is_same_v<A, bool> && !std::is_same_v<B, bool> &&
                          !CheckedOp<Op, detail::StoreType<R>, A, B>;
  if constexpr (kFixed) {
    ResultWriter<R> w(out, n);
    const Column& ca = *a.column;
    const Column& cb = *b.column;
    const bool a_flat = !a.sel && !a.constant, b_flat = !b.sel && !b.constant;
    const A* pa = ca.data<A>();
    const B* pb = cb.data<B>();
    auto* o = w.data();
    using O = std::remove_pointer_t<decltype(o)>;
    if (a_flat && b_flat) detail::binary_fixed_loop<A, B, O, Op, true, true>(pa, pb, o, n);
    else if (a_flat && b.constant) detail::binary_fixed_loop<A, B, O, Op, true, false>(pa, pb, o, n);
    else if (a.constant && b_flat) detail::binary_fixed_loop<A, B, O, Op, false, true>(pa, pb, o, n);
    else
      for (size_t i = 0; i < n; ++i) o[i] = static_cast<O>(Op::apply(pa[a.row(i)], pb[b.row(i)]));
    if (!a.all_valid() || !b.all_valid())
      for (size_t i = 0; i < n; ++i)
        if (!ca.is_valid(a.row(i)) || !cb.is_valid(b.row(i))) w.set_null(i);
  } else {
    const ColumnView views[2] = {a, b};
    execute_nary<R, Op, A, B>(std::span<const ColumnView>(views, 2), n, out, ctx);
  }
}

// ---- ScalarFunction adapters ------------------------------------------------------------------

template <class A, class R, class Op>
class UnaryFunction final : public ScalarFunction {
 public:
  UnaryFunction(std::string name, std::vector<LogicalType> args, LogicalType ret)
      : ScalarFunction(std::move(name), std::move(args), std::move(ret)) {}
  void execute(std::span<const ColumnView> args, size_t rows, Column& out, const FunctionContext& ctx) const override {
    execute_unary<A, R, Op>(args[0], rows, out, ctx);
  }
};

template <class A, class B, class R, class Op>
class BinaryFunction final : public ScalarFunction {
 public:
  BinaryFunction(std::string name, std::vector<LogicalType> args, LogicalType ret)
      : ScalarFunction(std::move(name), std::move(args), std::move(ret)) {}
  void execute(std::span<const ColumnView> args, size_t rows, Column& out, const FunctionContext& ctx) const override {
    execute_binary<A, B, R, Op>(args[0], args[1], rows, out, ctx);
  }
};

template <class R, class Op, class... A>
class NaryFunction final : public ScalarFunction {
 public:
  NaryFunction(std::vector<LogicalType> args, LogicalType ret) : ScalarFunction("", std::move(args), std::move(ret)) {}
  void execute(std::span<const ColumnView> args, size_t rows, Column& out, const FunctionContext& ctx) const override {
    execute_nary<R, Op, A...>(args, rows, out, ctx);
  }
};

/// An overload from an operation; logical types default to those of the C++ types.
template <class A, class R, class Op>
std::shared_ptr<ScalarFunction> unary(LogicalType arg = Physical<A>::logical_type(),
                                      LogicalType ret = Physical<R>::logical_type()) {
  return std::make_shared<UnaryFunction<A, R, Op>>("", std::vector<LogicalType>{std::move(arg)}, std::move(ret));
}
template <class A, class B, class R, class Op>
std::shared_ptr<ScalarFunction> binary(LogicalType a = Physical<A>::logical_type(),
                                       LogicalType b = Physical<B>::logical_type(),
                                       LogicalType ret = Physical<R>::logical_type()) {
  return std::make_shared<BinaryFunction<A, B, R, Op>>("", std::vector<LogicalType>{std::move(a), std::move(b)},
                                                       std::move(ret));
}

/// An overload of any arity: nary<R, Op, A...>() or, with logical types, nary<R, Op, A...>({types}, ret).
template <class R, class Op, class... A>
std::shared_ptr<ScalarFunction> nary(std::vector<LogicalType> args = {Physical<A>::logical_type()...},
                                     LogicalType ret = Physical<R>::logical_type()) {
  return std::make_shared<NaryFunction<R, Op, A...>>(std::move(args), std::move(ret));
}

/// A function written as a lambda over whole argument views (for the odd ones out).
template <class F>
class LambdaFunction final : public ScalarFunction {
 public:
  LambdaFunction(std::vector<LogicalType> args, LogicalType ret, F f, bool deterministic = true)
      : ScalarFunction("", std::move(args), std::move(ret)), f_(std::move(f)), deterministic_(deterministic) {}
  bool deterministic() const override { return deterministic_; }
  void execute(std::span<const ColumnView> args, size_t rows, Column& out, const FunctionContext& ctx) const override {
    f_(args, rows, out, ctx);
  }

 private:
  F f_;
  bool deterministic_;
};
template <class F>
std::shared_ptr<ScalarFunction> lambda(std::vector<LogicalType> args, LogicalType ret, F f, bool deterministic = true) {
  return std::make_shared<LambdaFunction<F>>(std::move(args), std::move(ret), std::move(f), deterministic);
}

}  // namespace visiondb::fn

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/functions/detail/function_impl.hpp"
#endif
