// Out-of-line parts of scalar/conditional.hpp.
#pragma once

#include <cmath>

#include "visiondb/config.hpp"
#include "visiondb/functions/scalar/conditional.hpp"

namespace visiondb::fn::detail {

template <bool Greatest>
class ExtremeFunction final : public ScalarFunction {
 public:
  ExtremeFunction(std::vector<LogicalType> args, LogicalType t) : ScalarFunction("", std::move(args), std::move(t)) {}

  void execute(std::span<const ColumnView> args, size_t n, Column& out, const FunctionContext&) const override {
    switch (return_type().id()) {
      case TypeId::Int64: return fixed<int64_t>(args, n, out);
      case TypeId::Float64: return fixed<double>(args, n, out);
      case TypeId::Timestamp: return fixed<int64_t>(args, n, out);
      case TypeId::Date: return fixed<int32_t>(args, n, out);
      case TypeId::Bool: return fixed<uint8_t>(args, n, out);
      default: return strings(args, n, out);
    }
  }

 private:
  template <class T>
  static bool better(T a, T b) {
    return Greatest ? a > b : a < b;
  }
  template <class T>
  static void fixed(std::span<const ColumnView> args, size_t n, Column& out) {
    out.resize(n);
    T* o = out.data<T>();
    for (size_t i = 0; i < n; ++i) {
      bool null = false, nan = false;
      T best{};
      for (size_t k = 0; k < args.size(); ++k) {
        const ColumnView& a = args[k];
        if (a.is_null(i)) {
          null = true;
          break;
        }
        T v = a.column->data<T>()[a.row(i)];
        if constexpr (std::is_floating_point_v<T>) nan |= std::isnan(v);
        if (k == 0 || better(v, best)) best = v;
      }
      if (null) out.set_null(i);
      else if constexpr (std::is_floating_point_v<T>) o[i] = nan ? NAN : best;
      else o[i] = best;
    }
  }
  static void strings(std::span<const ColumnView> args, size_t n, Column& out) {
    out.reserve(n);
    for (size_t i = 0; i < n; ++i) {
      bool null = false;
      std::string_view best;
      for (size_t k = 0; k < args.size() && !null; ++k) {
        if (args[k].is_null(i)) {
          null = true;
          break;
        }
        std::string_view v = args[k].column->string_at(args[k].row(i));
        if (k == 0 || better(v, best)) best = v;
      }
      if (null) out.append_null();
      else out.append_string(best);
    }
  }
};

template <bool Greatest>
sql::ResolvedScalar resolve_extreme(const std::vector<LogicalType>& args, SourceSpan span) {
  const char* fname = Greatest ? "GREATEST" : "LEAST";
  if (args.empty()) throw SqlError(ErrorKind::Type, std::string("function ") + fname + " expects at least one argument", span);
  LogicalType t = LogicalType::null();
  bool ok = true;
  for (const auto& a : args) {
    if (a.id() == TypeId::Null) continue;
    if (t.id() == TypeId::Null) t = a;
    else if (t.is_numeric() && a.is_numeric()) t = t.id() == TypeId::Float64 || a.id() == TypeId::Float64 ? LogicalType::float64() : t;
    else if (t != a) ok = false;
  }
  TypeId id = t.id();
  if (id == TypeId::Null) t = LogicalType::int64();
  if (!ok || !(id == TypeId::Null || id == TypeId::Int64 || id == TypeId::Float64 || id == TypeId::String || id == TypeId::Bytes ||
               id == TypeId::Date || id == TypeId::Timestamp || id == TypeId::Bool)) {
    std::string list;
    for (size_t k = 0; k < args.size(); ++k) list += (k ? ", " : "") + args[k].to_string();
    throw SqlError(ErrorKind::Type,
                   std::string("no matching signature for function ") + fname + " for argument types: " + list +
                       "; the arguments must share one orderable type",
                   span);
  }
  std::vector<LogicalType> types(args.size(), t);
  return {std::make_shared<ExtremeFunction<Greatest>>(types, t), types};
}

}  // namespace visiondb::fn::detail

namespace visiondb::fn {
VISIONDB_INLINE sql::ResolvedScalar GreatestFunction::resolve(const std::vector<LogicalType>& args, SourceSpan span) {
  return detail::resolve_extreme<true>(args, span);
}
VISIONDB_INLINE sql::ResolvedScalar LeastFunction::resolve(const std::vector<LogicalType>& args, SourceSpan span) {
  return detail::resolve_extreme<false>(args, span);
}
}  // namespace visiondb::fn
