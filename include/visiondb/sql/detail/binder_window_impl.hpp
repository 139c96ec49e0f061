// Out-of-line parts of binder.hpp: window function calls. f(...) OVER (...) or OVER w (a WINDOW
// clause name, extended or not) becomes a BoundWindow collected in the SELECT's WindowState; the
// expression that called it reads its result column. BigQuery's rules: numbering and LAG/LEAD take
// no frame; RANK, DENSE_RANK, PERCENT_RANK, CUME_DIST, NTILE, LAG and LEAD need ORDER BY; the
// default frame is RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW with ORDER BY and the whole
// partition without.
#pragma once

#include <cmath>

#include "visiondb/config.hpp"
#include "visiondb/sql/detail/binder_state.hpp"
#include "visiondb/storage/detail/text.hpp"

namespace visiondb::sql {

namespace detail {

// The PARTITION BY, ORDER BY and frame a window specification stands for once its named base
// windows are resolved.
struct ResolvedWindowSpec {
  const std::vector<ExprPtr>* partition_by = nullptr;
  const std::vector<OrderByItem>* order_by = nullptr;
  const WindowFrame* frame = nullptr;
};

inline ResolvedWindowSpec resolve_window_spec(const WindowSpec& spec, const std::vector<NamedWindow>* named, int depth = 0) {
  ResolvedWindowSpec out;
  if (!spec.base_window.empty()) {
    const NamedWindow* base = nullptr;
    if (named)
      for (const auto& w : *named)
        if (visiondb::detail::iequals(w.name.name, spec.base_window.name)) base = &w;
    if (!base) bind_error("unrecognized window name " + quote_name(spec.base_window.name), spec.base_window.span);
    if (depth > 64) bind_error("window " + quote_name(spec.base_window.name) + " refers to itself", spec.base_window.span);
    out = resolve_window_spec(base->spec, named, depth + 1);
    if (!spec.partition_by.empty())
      bind_error("PARTITION BY cannot be used when referencing window " + quote_name(spec.base_window.name), spec.span);
    if (!spec.order_by.empty()) {
      if (out.order_by && !out.order_by->empty())
        bind_error("ORDER BY cannot be used: window " + quote_name(spec.base_window.name) + " already has one", spec.span);
      out.order_by = &spec.order_by;
    }
    if (spec.frame) {
      if (out.frame) bind_error("a frame cannot be used: window " + quote_name(spec.base_window.name) + " already has one", spec.span);
      out.frame = spec.frame.get();
    }
    return out;
  }
  out.partition_by = &spec.partition_by;
  out.order_by = &spec.order_by;
  out.frame = spec.frame.get();
  return out;
}

inline bool window_needs_order(WindowFunctionKind k) {
  switch (k) {
    case WindowFunctionKind::Rank:
    case WindowFunctionKind::DenseRank:
    case WindowFunctionKind::PercentRank:
    case WindowFunctionKind::CumeDist:
    case WindowFunctionKind::Ntile:
    case WindowFunctionKind::Lag:
    case WindowFunctionKind::Lead: return true;
    default: return false;
  }
}

inline bool window_takes_frame(WindowFunctionKind k) {
  return k == WindowFunctionKind::Aggregate || k == WindowFunctionKind::FirstValue ||
         k == WindowFunctionKind::LastValue || k == WindowFunctionKind::NthValue;
}

}  // namespace detail

VISIONDB_INLINE WindowFrameSpec BinderImpl::bind_window_frame(const WindowFrame* frame, const BoundWindow& w,
                                                            const std::string& name) {
  WindowFrameSpec out;
  if (!frame) {
    if (w.order_count() > 0) {
      out.unit = FrameUnit::Range;
      out.start.kind = FrameBoundKind::UnboundedPreceding;
      out.end.kind = FrameBoundKind::CurrentRow;
    } else {
      out.unit = FrameUnit::Rows;
      out.start.kind = FrameBoundKind::UnboundedPreceding;
      out.end.kind = FrameBoundKind::UnboundedFollowing;
    }
    return out;
  }
  out.unit = frame->unit;
  const char* unit = frame->unit == FrameUnit::Rows ? "ROWS" : "RANGE";
  auto bound = [&](const FrameBound& b) {
    WindowFrameBound r;
    r.kind = b.kind;
    if (b.kind == FrameBoundKind::Preceding || b.kind == FrameBoundKind::Following) {
      r.offset = evaluate_constant(*b.offset, "a window frame offset");
      const TypeId t = r.offset.type().id();
      if (r.offset.is_null()) detail::bind_error("a window frame offset cannot be NULL", b.offset->span);
      if (frame->unit == FrameUnit::Rows && t != TypeId::Int64)
        detail::type_error("a ROWS frame offset must be INT64, got " + r.offset.type().to_string(), b.offset->span);
      if (t != TypeId::Int64 && t != TypeId::Float64)
        detail::type_error("a RANGE frame offset must be a number, got " + r.offset.type().to_string(), b.offset->span);
      if (r.offset.to_double() < 0 || std::isnan(r.offset.to_double()))
        detail::bind_error("a window frame offset must be non-negative", b.offset->span);
    }
    return r;
  };
  out.start = bound(frame->start);
  if (frame->between) {
    out.end = bound(frame->end);
  } else {
    out.end.kind = FrameBoundKind::CurrentRow;
    if (frame->start.kind == FrameBoundKind::Following || frame->start.kind == FrameBoundKind::UnboundedFollowing)
      detail::bind_error(std::string(unit) + " frames without BETWEEN must start at or before the current row", frame->span);
  }
  auto rank = [](FrameBoundKind k) { return static_cast<int>(k); };  // UNBOUNDED PRECEDING < ... < UNBOUNDED FOLLOWING
  if (out.start.kind == FrameBoundKind::UnboundedFollowing)
    detail::bind_error("a window frame cannot start at UNBOUNDED FOLLOWING", frame->span);
  if (out.end.kind == FrameBoundKind::UnboundedPreceding)
    detail::bind_error("a window frame cannot end at UNBOUNDED PRECEDING", frame->span);
  if (rank(out.start.kind) > rank(out.end.kind))
    detail::bind_error("the window frame starts after it ends", frame->span);
  const bool offsets = out.start.kind == FrameBoundKind::Preceding || out.start.kind == FrameBoundKind::Following ||
                       out.end.kind == FrameBoundKind::Preceding || out.end.kind == FrameBoundKind::Following;
  if (frame->unit == FrameUnit::Range && offsets) {
    if (w.order_count() != 1)
      detail::bind_error("a RANGE frame with an offset needs exactly one ORDER BY key in " + name, frame->span);
    if (!w.order(0)->type.is_numeric())
      detail::type_error("a RANGE frame with an offset needs a numeric ORDER BY key, got " + w.order(0)->type.to_string(),
                         frame->span);
  }
  return out;
}

VISIONDB_INLINE BoundExprPtr BinderImpl::bind_window(const FunctionCallExpr& e) {
  Scope& s = scope();
  const std::string lname = visiondb::detail::to_lower(e.upper_name());
  const std::string upper = visiondb::detail::to_upper(lname);
  if (!s.window) {
    std::string clause = s.clause.empty() ? "this context" : s.clause + " clause";
    detail::bind_error("window function " + upper + " not allowed in " + clause, e.span);
  }
  WindowState& ws = *s.window;
  if (ws.in_window_args) detail::bind_error("window function " + upper + " cannot be nested in another window function", e.span);
  if (s.in_aggregate_args) detail::bind_error("window function " + upper + " cannot be an aggregate's argument", e.span);
  if (e.safe) detail::bind_error("SAFE. is not supported for window function " + upper, e.span);

  using K = WindowFunctionKind;
  K kind = K::Aggregate;
  static const std::pair<const char*, K> kNames[] = {
      {"row_number", K::RowNumber}, {"rank", K::Rank},         {"dense_rank", K::DenseRank},
      {"percent_rank", K::PercentRank}, {"cume_dist", K::CumeDist}, {"ntile", K::Ntile},
      {"lag", K::Lag},               {"lead", K::Lead},         {"first_value", K::FirstValue},
      {"last_value", K::LastValue},  {"nth_value", K::NthValue}};
  bool known = false;
  for (const auto& [n, k] : kNames)
    if (lname == n) {
      kind = k;
      known = true;
    }
  if (!known && !functions_.has_aggregate(lname)) {
    if (functions_.has_scalar(lname)) detail::bind_error("function " + upper + " cannot be used with OVER", e.span);
    std::vector<std::string> all = functions_.names();
    for (const auto& [n, k] : kNames) all.push_back(n);
    detail::bind_error("window function not found: " + upper + detail::did_you_mean(lname, all), e.span);
  }
  if (kind != K::Aggregate && (e.distinct || e.star))
    detail::bind_error(std::string(e.distinct ? "DISTINCT" : "*") + " is not allowed in " + upper, e.span);
  if (!e.order_by.empty() || e.limit)
    detail::bind_error("ORDER BY and LIMIT inside the arguments of " + upper + " are not allowed with OVER", e.span);
  const bool navigation = kind == K::FirstValue || kind == K::LastValue || kind == K::NthValue;
  if (e.null_handling != NullHandling::Default && !navigation)
    detail::bind_error("IGNORE NULLS and RESPECT NULLS are not allowed in " + upper + " OVER (...)", e.span);

  detail::ResolvedWindowSpec spec = detail::resolve_window_spec(*e.over, ws.named);

  // Arguments, partitions and keys: bound where the call stands (they may read aggregates).
  auto w = std::make_unique<BoundWindow>(kind, LogicalType::null(), e.span);
  std::vector<BoundExprPtr> args, parts, keys;
  ws.in_window_args = true;
  try {
    for (const auto& a : e.args) {
      if (a.kind != FunctionArgKind::Expr || !a.name.empty())
        detail::bind_error("window function " + upper + " takes expressions only", a.span);
      args.push_back(bind_expr(*a.expr));
    }
    if (spec.partition_by)
      for (const auto& p : *spec.partition_by) {
        BoundExprPtr x = bind_expr(*p);
        if (x->type.id() == TypeId::Array || x->type.id() == TypeId::Struct || x->type.id() == TypeId::Object)
          detail::type_error("partitioning by expressions of type " + x->type.to_string() + " is not allowed", p->span);
        parts.push_back(std::move(x));
      }
    if (spec.order_by)
      for (const auto& o : *spec.order_by) {
        BoundExprPtr x = bind_expr(*o.expr);
        if (x->type.id() == TypeId::Array || x->type.id() == TypeId::Struct || x->type.id() == TypeId::Object)
          detail::type_error("ORDER BY does not support expressions of type " + x->type.to_string(), o.expr->span);
        if (x->type.id() == TypeId::Null) x = cast_to(std::move(x), LogicalType::int64());
        keys.push_back(std::move(x));
        w->descending.push_back(o.descending);
        w->nulls_first.push_back(o.nulls == OrderByItem::Nulls::Default ? !o.descending : o.nulls == OrderByItem::Nulls::First);
      }
  } catch (...) {
    ws.in_window_args = false;
    throw;
  }
  ws.in_window_args = false;
  if (s.aggregate) {
    for (auto& x : args) x = check_grouped(std::move(x), "window function argument");
    for (auto& x : parts) x = check_grouped(std::move(x), "PARTITION BY");
    for (auto& x : keys) x = check_grouped(std::move(x), "window ORDER BY");
  }
  for (auto& x : parts)
    if (x->type.id() == TypeId::Null) x = cast_to(std::move(x), LogicalType::int64());

  auto arity = [&](size_t lo, size_t hi) {
    if (args.size() < lo || args.size() > hi)
      detail::type_error("window function " + upper + " expects " +
                             (lo == hi ? std::to_string(lo) : std::to_string(lo) + " to " + std::to_string(hi)) +
                             " arguments, got " + std::to_string(args.size()),
                         e.span);
  };
  // A constant INT64 argument (NTILE's buckets, LAG's offset, NTH_VALUE's n).
  auto constant_int = [&](size_t i, int64_t min, const char* what) -> int64_t {
    const Expr& ast = *e.args[i].expr;
    Value v = evaluate_constant(ast, what);
    if (v.is_null() || v.type().id() != TypeId::Int64)
      detail::type_error(std::string(what) + " of " + upper + " must be a constant INT64", ast.span);
    if (v.as_int64() < min)
      detail::bind_error(std::string(what) + " of " + upper + " must be " + (min == 0 ? "non-negative" : "positive") +
                             ", got " + std::to_string(v.as_int64()),
                         ast.span);
    return v.as_int64();
  };
  LogicalType type;
  switch (kind) {
    case K::RowNumber:
    case K::Rank:
    case K::DenseRank:
      arity(0, 0);
      type = LogicalType::int64();
      break;
    case K::PercentRank:
    case K::CumeDist:
      arity(0, 0);
      type = LogicalType::float64();
      break;
    case K::Ntile:
      arity(1, 1);
      w->constant_arg = constant_int(0, 1, "the bucket count");
      args.clear();
      type = LogicalType::int64();
      break;
    case K::Lag:
    case K::Lead: {
      arity(1, 3);
      w->constant_arg = args.size() > 1 ? constant_int(1, 0, "the offset") : 1;
      if (args.size() == 3) {
        LogicalType t = unify({&args[0], &args[2]}, upper + " value and default", e.span);
        (void)t;
        args.erase(args.begin() + 1);
      } else if (args.size() == 2) {
        args.pop_back();
      }
      if (args[0]->type.id() == TypeId::Null) {
        for (auto& a : args) a = cast_to(std::move(a), LogicalType::int64());
      }
      type = args[0]->type;
      break;
    }
    case K::FirstValue:
    case K::LastValue:
      arity(1, 1);
      if (args[0]->type.id() == TypeId::Null) args[0] = cast_to(std::move(args[0]), LogicalType::int64());
      type = args[0]->type;
      break;
    case K::NthValue:
      arity(2, 2);
      w->constant_arg = constant_int(1, 1, "n");
      args.pop_back();
      if (args[0]->type.id() == TypeId::Null) args[0] = cast_to(std::move(args[0]), LogicalType::int64());
      type = args[0]->type;
      break;
    case K::Aggregate: {
      if (e.star && lname != "count") detail::bind_error(upper + "(*) is not allowed; only COUNT(*)", e.span);
      if (!e.star && args.empty() && lname == "count") detail::type_error("COUNT expects an argument or *", e.span);
      if (e.distinct)
        for (const auto& a : args)
          if (a->type.id() == TypeId::Array || a->type.id() == TypeId::Struct || a->type.id() == TypeId::Object)
            detail::type_error("DISTINCT is not allowed for aggregate arguments of type " + a->type.to_string(), e.span);
      std::vector<LogicalType> types;
      for (const auto& a : args) types.push_back(a->type.id() == TypeId::Null ? LogicalType::int64() : a->type);
      ResolvedAggregate r = functions_.resolve_aggregate(lname, types, e.distinct, e.span);
      for (size_t i = 0; i < args.size(); ++i) args[i] = cast_to(std::move(args[i]), r.arg_types[i]);
      w->aggregate = r.function;
      w->distinct = e.distinct;
      type = r.function->return_type();
      break;
    }
  }
  w->type = type;
  w->ignore_nulls = e.null_handling == NullHandling::IgnoreNulls;
  w->arg_count = args.size();
  w->partition_count = parts.size();
  for (auto& x : args) w->children.push_back(std::move(x));
  for (auto& x : parts) w->children.push_back(std::move(x));
  for (auto& x : keys) w->children.push_back(std::move(x));
  if (detail::window_needs_order(kind) && w->order_count() == 0)
    detail::bind_error("window function " + upper + " needs an ORDER BY in its OVER clause", e.over->span);
  if (!detail::window_takes_frame(kind) && spec.frame)
    detail::bind_error("window function " + upper + " does not take a window frame", spec.frame->span);
  w->frame = bind_window_frame(spec.frame, *w, upper);

  // Identical calls share one result column.
  std::string key = w->to_string() + "|" + w->frame.to_string() + "|" + std::to_string(w->constant_arg) + "|" +
                    std::to_string(w->ignore_nulls) + "|" + type.to_string();
  for (const auto& c : w->children) key += fingerprint(*c) + ",";
  uint32_t index = 0;
  auto it = std::find(ws.keys.begin(), ws.keys.end(), key);
  if (it != ws.keys.end()) {
    index = static_cast<uint32_t>(it - ws.keys.begin());
  } else {
    index = static_cast<uint32_t>(ws.windows.size());
    ws.keys.push_back(key);
    ws.windows.push_back(std::move(w));
  }
  const auto& stored = *ws.windows[index];
  return std::make_unique<BoundColumnRef>(ColumnBinding{ws.index, index}, stored.type, stored.to_string(), e.span);
}

}  // namespace visiondb::sql
