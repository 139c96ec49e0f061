// Out-of-line parts of registry.hpp: registration and overload resolution.
#pragma once

#include <algorithm>
#include <climits>

#include "visiondb/config.hpp"
#include "visiondb/functions/aggregate/approx.hpp"
#include "visiondb/functions/aggregate/array_agg.hpp"
#include "visiondb/functions/aggregate/count.hpp"
#include "visiondb/functions/aggregate/distinct.hpp"
#include "visiondb/functions/aggregate/min_max.hpp"
#include "visiondb/functions/aggregate/ordered.hpp"
#include "visiondb/functions/aggregate/statistics.hpp"
#include "visiondb/functions/aggregate/string_agg.hpp"
#include "visiondb/functions/aggregate/sum_avg.hpp"
#include "visiondb/functions/ml/decode_image.hpp"
#include "visiondb/functions/ml/distance.hpp"
#include "visiondb/functions/ml/image_transforms.hpp"
#include "visiondb/functions/ml/model_functions.hpp"
#include "visiondb/functions/ml/vector_search.hpp"
#include "visiondb/functions/registry.hpp"
#include "visiondb/functions/scalar/arithmetic.hpp"
#include "visiondb/functions/scalar/array.hpp"
#include "visiondb/functions/scalar/cast.hpp"
#include "visiondb/functions/scalar/comparison.hpp"
#include "visiondb/functions/scalar/conditional.hpp"
#include "visiondb/functions/scalar/encoding.hpp"
#include "visiondb/functions/scalar/format.hpp"
#include "visiondb/functions/scalar/like.hpp"
#include "visiondb/functions/scalar/math.hpp"
#include "visiondb/functions/scalar/random.hpp"
#include "visiondb/functions/scalar/regexp.hpp"
#include "visiondb/functions/scalar/split.hpp"
#include "visiondb/functions/scalar/string.hpp"
#include "visiondb/functions/scalar/string_edit.hpp"
#include "visiondb/functions/scalar/substring.hpp"
#include "visiondb/functions/scalar/time.hpp"
#include "visiondb/storage/detail/text.hpp"

namespace visiondb::fn {

VISIONDB_INLINE std::string closest_name(std::string_view name, const std::vector<std::string>& candidates) {
  std::string lower = visiondb::detail::to_lower(name);
  std::string best;
  size_t best_d = SIZE_MAX;
  for (const auto& c : candidates) {
    std::string lc = visiondb::detail::to_lower(c);
    // Levenshtein distance, two rows.
    std::vector<size_t> prev(lc.size() + 1), cur(lc.size() + 1);
    for (size_t j = 0; j <= lc.size(); ++j) prev[j] = j;
    for (size_t i = 1; i <= lower.size(); ++i) {
      cur[0] = i;
      for (size_t j = 1; j <= lc.size(); ++j)
        cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (lower[i - 1] == lc[j - 1] ? 0 : 1)});
      std::swap(prev, cur);
    }
    size_t d = prev[lc.size()];
    if (d < best_d) {
      best_d = d;
      best = c;
    }
  }
  size_t limit = std::max<size_t>(1, std::min<size_t>(3, lower.size() / 3 + 1));
  return best_d <= limit && best_d > 0 ? best : std::string();
}

namespace detail {
// A descriptor has either overloads() (a fixed list) or resolve(args, span) (variadic ones).
template <class F>
void register_scalar(Registry& r) {
  if constexpr (requires(const std::vector<LogicalType>& a, SourceSpan s) { F::resolve(a, s); })
    r.add_scalar_resolver(std::string(F::name), &F::resolve, std::string(F::doc));
  else
    r.add_scalar(std::string(F::name), F::overloads(), std::string(F::doc));
}
}  // namespace detail

VISIONDB_INLINE Registry::Registry() : random_(std::make_shared<RandomSource>()) {
#define VISIONDB_REGISTER_SCALAR(F) detail::register_scalar<F>(*this);
  VISIONDB_SCALAR_FUNCTIONS(VISIONDB_REGISTER_SCALAR)
  VISIONDB_DIALECT_SCALAR_FUNCTIONS(VISIONDB_REGISTER_SCALAR)
#undef VISIONDB_REGISTER_SCALAR
#define VISIONDB_REGISTER_GENERIC(F) add_generic_scalar(std::string(F::name), &F::bind, std::string(F::doc));
  VISIONDB_GENERIC_FUNCTIONS(VISIONDB_REGISTER_GENERIC)
#undef VISIONDB_REGISTER_GENERIC
#define VISIONDB_REGISTER_AGGREGATE(F) add_aggregate(std::string(F::name), F::overloads(), std::string(F::doc));
  VISIONDB_AGGREGATE_FUNCTIONS(VISIONDB_REGISTER_AGGREGATE)
#undef VISIONDB_REGISTER_AGGREGATE
  add_aggregate("count", {}, std::string(CountFunction::doc));
  add_aggregate(std::string(ArrayAggFunction::name), {}, std::string(ArrayAggFunction::doc));
  add_scalar(std::string(RandFunction::name), RandFunction::overloads(random_), std::string(RandFunction::doc));
  for (const auto& f : kModelFunctions) add_table_function(std::make_shared<ModelTableFunction>(f.name), f.doc);
  add_table_function(std::make_shared<VectorSearchFunction>(), std::string(VectorSearchFunction::doc));
}

VISIONDB_INLINE std::shared_ptr<Registry> Registry::builtins() {
  static std::shared_ptr<Registry> instance = std::make_shared<Registry>();
  return instance;
}

VISIONDB_INLINE void Registry::add_scalar(std::string name, FunctionSet overloads, std::string doc) {
  std::lock_guard lock(mutex_);
  name = visiondb::detail::to_lower(name);
  for (auto& f : overloads) f->set_name(name);
  auto& set = scalars_[name];
  set.insert(set.end(), overloads.begin(), overloads.end());
  docs_.push_back({name, std::move(doc), false});
}

VISIONDB_INLINE void Registry::add_scalar_resolver(std::string name, ScalarResolver resolver, std::string doc) {
  std::lock_guard lock(mutex_);
  name = visiondb::detail::to_lower(name);
  resolvers_[name] = std::move(resolver);
  docs_.push_back({name, std::move(doc), false});
}

VISIONDB_INLINE void Registry::add_aggregate(std::string name, AggregateSet overloads, std::string doc) {
  std::lock_guard lock(mutex_);
  name = visiondb::detail::to_lower(name);
  for (auto& f : overloads) f->set_name(name);
  auto& set = aggregates_[name];
  set.insert(set.end(), overloads.begin(), overloads.end());
  docs_.push_back({name, std::move(doc), true});
}

VISIONDB_INLINE void Registry::add_generic_scalar(std::string name, GenericBind bind, std::string doc) {
  std::lock_guard lock(mutex_);
  name = visiondb::detail::to_lower(name);
  generics_[name] = bind;
  docs_.push_back({name, std::move(doc), false});
}

VISIONDB_INLINE void Registry::add_table_function(std::shared_ptr<sql::TableFunction> fn, std::string doc) {
  std::lock_guard lock(mutex_);
  std::string name = visiondb::detail::to_lower(fn->name());
  docs_.push_back({name, std::move(doc), false});
  table_functions_[name] = std::move(fn);
}

VISIONDB_INLINE bool Registry::has_scalar(std::string_view name) const {
  std::lock_guard lock(mutex_);
  std::string lname = visiondb::detail::to_lower(name);
  return scalars_.count(lname) > 0 || generics_.count(lname) > 0 || resolvers_.count(lname) > 0;
}

VISIONDB_INLINE bool Registry::has_aggregate(std::string_view name) const {
  std::lock_guard lock(mutex_);
  return aggregates_.count(visiondb::detail::to_lower(name)) > 0;
}

namespace detail {

// Cost of passing an argument of type `arg` for a parameter of type `param`; -1: not allowed.
inline int coercion_cost(const LogicalType& arg, const LogicalType& param) {
  if (arg == param) return 0;
  if (arg.id() == TypeId::Null) return 1;
  if (arg.id() == TypeId::Int64 && param.id() == TypeId::Float64) return 1;
  return -1;
}

inline std::string display_name(const std::string& name) {
  bool op = !name.empty() && !((name[0] >= 'a' && name[0] <= 'z') || name[0] == '_');
  if (op || name == "like" || name == "not like") return "operator " + visiondb::detail::to_upper(name);
  return "function " + visiondb::detail::to_upper(name);
}

inline std::string types_list(const std::vector<LogicalType>& types) {
  std::string out;
  for (size_t i = 0; i < types.size(); ++i) out += (i ? ", " : "") + types[i].to_string();
  return out;
}

template <class Set>
int best_overload(const Set& set, const std::vector<LogicalType>& args) {
  int best = -1, best_cost = INT_MAX;
  for (size_t k = 0; k < set.size(); ++k) {
    const auto& params = set[k]->arg_types();
    if (params.size() != args.size()) continue;
    int cost = 0;
    for (size_t i = 0; i < args.size() && cost >= 0; ++i) {
      int c = coercion_cost(args[i], params[i]);
      cost = c < 0 ? -1 : cost + c;
    }
    if (cost >= 0 && cost < best_cost) {
      best_cost = cost;
      best = static_cast<int>(k);
    }
  }
  return best;
}

template <class Set>
[[noreturn]] void no_signature(const std::string& name, const Set& set, const std::vector<LogicalType>& args,
                               SourceSpan span) {
  std::string msg = "no matching signature for " + display_name(name) + " for argument types: " +
                    (args.empty() ? std::string("()") : types_list(args)) + "; supported signatures: ";
  std::string upper = visiondb::detail::to_upper(name);
  for (size_t k = 0; k < set.size(); ++k)
    msg += (k ? "; " : "") + upper + "(" + types_list(set[k]->arg_types()) + ")";
  throw SqlError(ErrorKind::Type, msg, span);
}

}  // namespace detail

VISIONDB_INLINE sql::ResolvedScalar Registry::resolve_scalar(std::string_view name, const std::vector<LogicalType>& args,
                                                            SourceSpan span) const {
  std::string lname = visiondb::detail::to_lower(name);
  FunctionSet set;
  ScalarResolver resolver;
  {
    std::lock_guard lock(mutex_);
    if (auto g = generics_.find(lname); g != generics_.end()) {
      std::string error;
      std::shared_ptr<ScalarFunction> f = g->second(args, error);
      if (!f) {
        if (error.empty())
          error = "no matching signature for " + detail::display_name(lname) + " for argument types: " + detail::types_list(args);
        throw SqlError(ErrorKind::Type, error, span);
      }
      f->set_name(lname);
      return {f, f->arg_types()};
    }
    auto it = scalars_.find(lname);
    if (auto r = resolvers_.find(lname); r != resolvers_.end()) {
      resolver = r->second;
    } else if (it == scalars_.end()) {
      std::string msg = "function not found: " + std::string(name);
      std::vector<std::string> all;
      for (const auto& [n, s] : scalars_) all.push_back(n);
      for (const auto& [n, s] : generics_)
        if (n[0] != '$') all.push_back(n);
      for (const auto& [n, s] : resolvers_) all.push_back(n);
      for (const auto& [n, s] : aggregates_) all.push_back(n);
      if (aggregates_.count(lname)) msg = "aggregate function " + visiondb::detail::to_upper(name) + " not allowed here";
      else if (auto near = closest_name(lname, all); !near.empty()) msg += " (did you mean " + visiondb::detail::to_upper(near) + "?)";
      throw SqlError(ErrorKind::Bind, msg, span);
    } else {
      set = it->second;
    }
  }
  if (resolver) {
    sql::ResolvedScalar r = resolver(args, span);
    if (r.function->name().empty()) std::const_pointer_cast<sql::ScalarFunction>(r.function)->set_name(lname);
    return r;
  }
  int k = detail::best_overload(set, args);
  if (k < 0) detail::no_signature(lname, set, args, span);
  return {set[static_cast<size_t>(k)], set[static_cast<size_t>(k)]->arg_types()};
}

VISIONDB_INLINE sql::ResolvedAggregate Registry::resolve_aggregate(std::string_view name,
                                                                  const std::vector<LogicalType>& args, bool distinct,
                                                                  SourceSpan span) const {
  sql::ResolvedAggregate r = resolve_aggregate_plain(name, args, span);
  if (distinct) {
    if (args.empty()) throw SqlError(ErrorKind::Bind, "DISTINCT needs an argument in " + visiondb::detail::to_upper(name), span);
    r.function = std::make_shared<DistinctAggregate>(r.function);
  }
  return r;
}

VISIONDB_INLINE sql::ResolvedAggregate Registry::resolve_ordered_aggregate(std::string_view name,
                                                                          const std::vector<LogicalType>& args,
                                                                          bool distinct,
                                                                          const sql::AggregateModifiers& modifiers,
                                                                          SourceSpan span) const {
  if (modifiers.empty()) return resolve_aggregate(name, args, distinct, span);
  sql::ResolvedAggregate r = resolve_aggregate_plain(name, args, span);
  r.function = std::make_shared<OrderedAggregate>(r.function, modifiers, distinct);
  return r;
}

VISIONDB_INLINE bool Registry::can_cast(const LogicalType& from, const LogicalType& to) const { return fn::can_cast(from, to); }

VISIONDB_INLINE std::shared_ptr<const sql::ScalarFunction> Registry::resolve_cast(const LogicalType& from,
                                                                                 const LogicalType& to,
                                                                                 SourceSpan span) const {
  if (!fn::can_cast(from, to))
    throw SqlError(ErrorKind::Type, "invalid cast from " + from.to_string() + " to " + to.to_string(), span);
  return std::make_shared<CastFunction>(from, to);
}

VISIONDB_INLINE sql::ResolvedAggregate Registry::resolve_aggregate_plain(std::string_view name,
                                                                        const std::vector<LogicalType>& args,
                                                                        SourceSpan span) const {
  std::string lname = visiondb::detail::to_lower(name);
  if (lname == "count") {
    if (args.empty()) {
      auto f = aggregate<CountStarOp>({}, LogicalType::int64());
      f->set_name("count");
      return {f, {}};
    }
    if (args.size() == 1) {
      auto f = aggregate<CountOp>({args[0]}, LogicalType::int64());
      f->set_name("count");
      return {f, {args[0]}};
    }
    throw SqlError(ErrorKind::Type, "COUNT takes one argument, or *", span);
  }
  AggregateSet set;
  {
    std::lock_guard lock(mutex_);
    auto it = aggregates_.find(lname);
    if (it == aggregates_.end()) throw SqlError(ErrorKind::Bind, "aggregate function not found: " + std::string(name), span);
    set = it->second;
  }
  int k = detail::best_overload(set, args);
  if (k < 0) {
    // ARRAY_AGG takes any element type.
    if (lname == "array_agg") {
      std::string error;
      auto f = ArrayAggFunction::bind(args, error);
      if (!f) throw SqlError(ErrorKind::Type, error, span);
      return {f, f->arg_types()};
    }
    // ANY_VALUE takes any type: nested and object values go through Value.
    if (lname == "any_value" && args.size() == 1) {
      auto f = aggregate<AnyValueOp<Value>>({args[0]}, args[0]);
      f->set_name(lname);
      return {f, {args[0]}};
    }
    detail::no_signature(lname, set, args, span);
  }
  return {set[static_cast<size_t>(k)], set[static_cast<size_t>(k)]->arg_types()};
}

VISIONDB_INLINE std::shared_ptr<const sql::TableFunction> Registry::find_table_function(std::string_view name) const {
  std::lock_guard lock(mutex_);
  auto it = table_functions_.find(visiondb::detail::to_lower(name));
  return it == table_functions_.end() ? nullptr : it->second;
}

VISIONDB_INLINE std::vector<std::string> Registry::names() const {
  std::lock_guard lock(mutex_);
  std::vector<std::string> out;
  for (const auto& [n, s] : scalars_) out.push_back(n);
  for (const auto& [n, s] : generics_)
    if (n[0] != '$') out.push_back(n);
  for (const auto& [n, s] : resolvers_) out.push_back(n);
  for (const auto& [n, s] : aggregates_) out.push_back(n);
  for (const auto& [n, s] : table_functions_) out.push_back(n);
  return out;
}

VISIONDB_INLINE std::vector<FunctionDoc> Registry::docs() const {
  std::lock_guard lock(mutex_);
  return docs_;
}

}  // namespace visiondb::fn
