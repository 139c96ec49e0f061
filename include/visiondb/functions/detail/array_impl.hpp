// Out-of-line parts of scalar/array.hpp.
#pragma once

#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "visiondb/config.hpp"
#include "visiondb/functions/scalar/array.hpp"

namespace visiondb::fn {

namespace detail {

inline bool arg_null(const ColumnView& v, size_t i) { return v.column->type().id() == TypeId::Null || v.is_null(i); }

// The type a and b both coerce to (NULL to anything, INT64 to FLOAT64), or Null id when none.
inline LogicalType array_supertype(const LogicalType& a, const LogicalType& b, bool& ok) {
  ok = true;
  if (a.id() == TypeId::Null) return b;
  if (b.id() == TypeId::Null) return a;
  if (a == b) return a;
  if (a.is_numeric() && b.is_numeric()) return LogicalType::float64();
  if (a.id() == TypeId::Array && b.id() == TypeId::Array) {
    LogicalType e = array_supertype(a.element(), b.element(), ok);
    return ok ? LogicalType::array(e) : a;
  }
  ok = false;
  return a;
}

// An untyped NULL argument where an ARRAY is expected reads as ARRAY<INT64>.
inline bool as_array(const LogicalType& t, LogicalType& out) {
  if (t.id() == TypeId::Null) {
    out = LogicalType::array(LogicalType::int64());
    return true;
  }
  if (t.id() != TypeId::Array) return false;
  out = t;
  return true;
}

inline bool array_arg(const std::vector<LogicalType>& args, const char* fn, LogicalType& out, std::string& error) {
  if (args.size() == 1 && as_array(args[0], out)) return true;
  error = std::string(fn) + " expects one ARRAY argument, got " +
          (args.empty() ? std::string("none") : args[0].to_string() + (args.size() > 1 ? ", ..." : ""));
  return false;
}

// Element `k` of row `r` of an array column as the row index into its child.
inline uint32_t element_row(const Column& arrays, uint32_t r, int64_t k) {
  return static_cast<uint32_t>(arrays.offsets()[r] + k);
}

// Equality of two non-NULL values of the same scalar type (NaN equals nothing, as `=`).
inline bool scalar_equal(const Column& a, uint32_t ra, const Column& b, uint32_t rb) {
  switch (a.type().id()) {
    case TypeId::Bool: return a.data<uint8_t>()[ra] == b.data<uint8_t>()[rb];
    case TypeId::Int64:
    case TypeId::Timestamp: return a.data<int64_t>()[ra] == b.data<int64_t>()[rb];
    case TypeId::Float64: return a.data<double>()[ra] == b.data<double>()[rb];
    case TypeId::Date: return a.data<int32_t>()[ra] == b.data<int32_t>()[rb];
    case TypeId::String:
    case TypeId::Bytes: return a.string_at(ra) == b.string_at(rb);
    default: return false;
  }
}

// a[k] for k from the index argument (0-based after `base` is subtracted).
inline void subscript_kernel(std::span<const ColumnView> args, size_t n, Column& out, const FunctionContext& ctx,
                             int64_t base) {
  const ColumnView& a = args[0];
  const ColumnView& k = args[1];
  std::vector<uint32_t> rows(n, UINT32_MAX);
  const bool untyped = a.column->type().id() == TypeId::Null || k.column->type().id() == TypeId::Null;
  if (!untyped) {
    const Column& arrays = *a.column;
    const int64_t* index = k.column->data<int64_t>();
    for (size_t i = 0; i < n; ++i) {
      if (a.is_null(i) || k.is_null(i)) continue;
      const uint32_t r = a.row(i);
      const int64_t written = index[k.row(i)];
      const int64_t at = written - base;
      const int64_t len = static_cast<int64_t>(arrays.array_length(r));
      if (at < 0 || at >= len) {
        if (ctx.safe) continue;
        throw_execution_error("array index " + std::to_string(written) + " is out of bounds (" +
                              (at < 0 ? "underflow" : "overflow") + ")");
      }
      rows[i] = element_row(arrays, r, at);
    }
  }
  if (out.type().id() == TypeId::Null) {
    for (size_t i = 0; i < n; ++i) out.append_null();
    return;
  }
  if (untyped) {
    for (size_t i = 0; i < n; ++i) out.append_null();
    return;
  }
  out.append_gather(a.column->child(), rows.data(), n);
}

inline std::shared_ptr<ScalarFunction> bind_subscript(const std::vector<LogicalType>& args, std::string& error,
                                                      int64_t base) {
  LogicalType arr;
  if (args.size() != 2 || !as_array(args[0], arr)) {
    error = "array subscript requires an ARRAY, got " + (args.empty() ? std::string("nothing") : args[0].to_string());
    return nullptr;
  }
  if (args[1].id() != TypeId::Int64 && args[1].id() != TypeId::Null) {
    error = "array index must be INT64, got " + args[1].to_string();
    return nullptr;
  }
  return lambda({arr, LogicalType::int64()}, arr.element(),
                [base](std::span<const ColumnView> a, size_t n, Column& out, const FunctionContext& ctx) {
                  subscript_kernel(a, n, out, ctx, base);
                });
}

}  // namespace detail

VISIONDB_INLINE std::shared_ptr<ScalarFunction> ArrayLengthFunction::bind(const std::vector<LogicalType>& args,
                                                                        std::string& error) {
  LogicalType arr;
  if (!detail::array_arg(args, "ARRAY_LENGTH", arr, error)) return nullptr;
  return lambda({arr}, LogicalType::int64(), [](std::span<const ColumnView> a, size_t n, Column& out, const FunctionContext&) {
    ResultWriter<int64_t> w(out, n);
    for (size_t i = 0; i < n; ++i) {
      if (detail::arg_null(a[0], i)) w.set_null(i);
      else w.set(i, static_cast<int64_t>(a[0].column->array_length(a[0].row(i))));
    }
  });
}

VISIONDB_INLINE std::shared_ptr<ScalarFunction> ArrayConcatFunction::bind(const std::vector<LogicalType>& args,
                                                                        std::string& error) {
  if (args.empty()) {
    error = "ARRAY_CONCAT expects at least one ARRAY argument";
    return nullptr;
  }
  LogicalType t = LogicalType::null();
  for (const auto& a : args) {
    LogicalType arr;
    if (!detail::as_array(a, arr) && a.id() != TypeId::Null) {
      error = "ARRAY_CONCAT expects ARRAY arguments, got " + a.to_string();
      return nullptr;
    }
    bool ok;
    t = detail::array_supertype(t, a.id() == TypeId::Null ? LogicalType::null() : arr, ok);
    if (!ok) {
      error = "ARRAY_CONCAT arguments have incompatible types: " + t.to_string() + ", " + a.to_string();
      return nullptr;
    }
  }
  if (t.id() == TypeId::Null) t = LogicalType::array(LogicalType::int64());
  std::vector<LogicalType> params(args.size(), t);
  return lambda(params, t, [](std::span<const ColumnView> a, size_t n, Column& out, const FunctionContext&) {
    Column& child = out.child();
    for (size_t i = 0; i < n; ++i) {
      bool null = false;
      for (const auto& v : a) null |= detail::arg_null(v, i);
      if (null) {
        out.append_null();
        continue;
      }
      for (const auto& v : a) {
        auto [b, e] = v.column->array_range(v.row(i));
        child.append_range(v.column->child(), static_cast<size_t>(b), static_cast<size_t>(e - b));
      }
      out.close_array_row();
    }
  });
}

VISIONDB_INLINE std::shared_ptr<ScalarFunction> ArrayReverseFunction::bind(const std::vector<LogicalType>& args,
                                                                         std::string& error) {
  LogicalType arr;
  if (!detail::array_arg(args, "ARRAY_REVERSE", arr, error)) return nullptr;
  return lambda({arr}, arr, [](std::span<const ColumnView> a, size_t n, Column& out, const FunctionContext&) {
    Column& child = out.child();
    std::vector<uint32_t> rows;
    for (size_t i = 0; i < n; ++i) {
      if (detail::arg_null(a[0], i)) {
        out.append_null();
        continue;
      }
      auto [b, e] = a[0].column->array_range(a[0].row(i));
      rows.clear();
      for (int64_t k = e; k-- > b;) rows.push_back(static_cast<uint32_t>(k));
      child.append_gather(a[0].column->child(), rows.data(), rows.size());
      out.close_array_row();
    }
  });
}

VISIONDB_INLINE FunctionSet ArrayToStringFunction::overloads() {
  FunctionSet out;
  for (const LogicalType& t : {LogicalType::string(), LogicalType::bytes()}) {
    auto kernel = [](std::span<const ColumnView> a, size_t n, Column& out, const FunctionContext&) {
      std::string text;
      for (size_t i = 0; i < n; ++i) {
        bool null = detail::arg_null(a[0], i) || detail::arg_null(a[1], i) || (a.size() > 2 && detail::arg_null(a[2], i));
        if (null) {
          out.append_null();
          continue;
        }
        const Column& arrays = *a[0].column;
        const Column& elems = arrays.child();
        std::string_view delim = a[1].column->string_at(a[1].row(i));
        auto [b, e] = arrays.array_range(a[0].row(i));
        text.clear();
        bool first = true;
        for (int64_t k = b; k < e; ++k) {
          std::string_view s;
          if (elems.is_null(static_cast<size_t>(k))) {
            if (a.size() < 3) continue;
            s = a[2].column->string_at(a[2].row(i));
          } else {
            s = elems.string_at(static_cast<size_t>(k));
          }
          if (!first) text += delim;
          text += s;
          first = false;
        }
        out.append_string(text);
      }
    };
    out.push_back(lambda({LogicalType::array(t), t}, t, kernel));
    out.push_back(lambda({LogicalType::array(t), t, t}, t, kernel));
  }
  return out;
}

namespace detail {
// Elements GENERATE_ARRAY may produce in one array: past this the call is an error.
inline constexpr int64_t kMaxGeneratedElements = 10'000'000;

template <class T>
void generate_array_kernel(std::span<const ColumnView> a, size_t n, Column& out, const FunctionContext& ctx) {
  Column& child = out.child();
  for (size_t i = 0; i < n; ++i) {
    bool null = false;
    for (const auto& v : a) null |= arg_null(v, i);
    if (null) {
      out.append_null();
      continue;
    }
    const T start = a[0].column->data<T>()[a[0].row(i)];
    const T end = a[1].column->data<T>()[a[1].row(i)];
    const T step = a.size() > 2 ? a[2].column->data<T>()[a[2].row(i)] : T{1};
    if (step == T{0} || (std::is_floating_point_v<T> && (std::isnan(static_cast<double>(step)) ||
                                                         std::isnan(static_cast<double>(start)) ||
                                                         std::isnan(static_cast<double>(end))))) {
      if (step == T{0} && !ctx.safe) throw_execution_error("sequence step cannot be 0");
      if (step == T{0}) {
        out.append_null();
        continue;
      }
      out.close_array_row();  // NaN bounds: an empty array
      continue;
    }
    // The element count, computed without overflow.
    double count_d = 0;
    if ((step > 0 && start <= end) || (step < 0 && start >= end))
      count_d = std::floor((static_cast<double>(end) - static_cast<double>(start)) / static_cast<double>(step)) + 1;
    if (count_d > static_cast<double>(kMaxGeneratedElements)) {
      if (!ctx.safe)
        throw_execution_error("GENERATE_ARRAY would produce more than " + std::to_string(kMaxGeneratedElements) + " elements");
      out.append_null();
      continue;
    }
    if constexpr (std::is_integral_v<T>) {
      __int128 v = start;
      while ((step > 0 && v <= end) || (step < 0 && v >= end)) {
        child.append_int64(static_cast<int64_t>(v));
        v += step;
      }
    } else {
      const int64_t count = static_cast<int64_t>(count_d);
      for (int64_t k = 0; k < count; ++k) {
        double v = start + static_cast<double>(k) * step;
        if ((step > 0 && v > end) || (step < 0 && v < end)) break;
        child.append_float64(v);
      }
    }
    out.close_array_row();
  }
}
}  // namespace detail

VISIONDB_INLINE FunctionSet GenerateArrayFunction::overloads() {
  auto i = LogicalType::int64(), f = LogicalType::float64();
  return {lambda({i, i}, LogicalType::array(i), detail::generate_array_kernel<int64_t>),
          lambda({i, i, i}, LogicalType::array(i), detail::generate_array_kernel<int64_t>),
          lambda({f, f}, LogicalType::array(f), detail::generate_array_kernel<double>),
          lambda({f, f, f}, LogicalType::array(f), detail::generate_array_kernel<double>)};
}

VISIONDB_INLINE std::shared_ptr<ScalarFunction> OffsetFunction::bind(const std::vector<LogicalType>& args, std::string& error) {
  return detail::bind_subscript(args, error, 0);
}
VISIONDB_INLINE std::shared_ptr<ScalarFunction> OrdinalFunction::bind(const std::vector<LogicalType>& args, std::string& error) {
  return detail::bind_subscript(args, error, 1);
}

VISIONDB_INLINE std::shared_ptr<ScalarFunction> InUnnestFunction::bind(const std::vector<LogicalType>& args, std::string& error) {
  LogicalType arr;
  if (args.size() != 2 || !detail::as_array(args[1], arr)) {
    error = "IN UNNEST requires an ARRAY, got " + (args.size() == 2 ? args[1].to_string() : std::string("nothing"));
    return nullptr;
  }
  bool ok;
  LogicalType t = detail::array_supertype(args[0], arr.element(), ok);
  if (!ok) {
    error = "IN UNNEST has incompatible types: " + args[0].to_string() + " and " + arr.to_string();
    return nullptr;
  }
  if (t.id() == TypeId::Null) t = LogicalType::int64();
  if (t.is_nested() || t.id() == TypeId::Object) {
    error = "IN UNNEST is not supported for elements of type " + t.to_string();
    return nullptr;
  }
  auto fn = lambda({t, LogicalType::array(t)}, LogicalType::boolean(),
                   [](std::span<const ColumnView> a, size_t n, Column& out, const FunctionContext&) {
                     ResultWriter<bool> w(out, n);
                     for (size_t i = 0; i < n; ++i) {
                       if (detail::arg_null(a[1], i)) {
                         w.set(i, false);
                         continue;
                       }
                       const Column& arrays = *a[1].column;
                       auto [b, e] = arrays.array_range(a[1].row(i));
                       if (b == e) {
                         w.set(i, false);
                         continue;
                       }
                       if (detail::arg_null(a[0], i)) {
                         w.set_null(i);
                         continue;
                       }
                       const Column& elems = arrays.child();
                       bool found = false, saw_null = false;
                       for (int64_t k = b; k < e && !found; ++k) {
                         if (elems.is_null(static_cast<size_t>(k))) saw_null = true;
                         else found = detail::scalar_equal(*a[0].column, a[0].row(i), elems, static_cast<uint32_t>(k));
                       }
                       if (found) w.set(i, true);
                       else if (saw_null) w.set_null(i);
                       else w.set(i, false);
                     }
                   });
  return fn;
}

}  // namespace visiondb::fn
