// Out-of-line parts of expression_executor.hpp and expression.hpp.
#pragma once

#include <cstring>
#include <string>
#include <unordered_set>

#include "visiondb/config.hpp"
#include "visiondb/execution/expression_executor.hpp"
#include "visiondb/execution/key_encoder.hpp"
#include "visiondb/execution/nested_expression.hpp"

namespace visiondb::exec {

struct InListSet {
  KeyEncoder encoder;
  std::unordered_set<std::string> keys;  // encoded non-NULL items
  bool has_null = false;
};

VISIONDB_INLINE ExprUPtr make_column_expr(size_t column, LogicalType type, std::string text) {
  auto e = std::make_unique<Expr>();
  e->kind = BoundExprKind::ColumnRef;
  e->type = std::move(type);
  e->column = column;
  e->text = text.empty() ? "#" + std::to_string(column) : std::move(text);
  return e;
}

VISIONDB_INLINE ExprUPtr make_constant_expr(const Value& v) {
  auto e = std::make_unique<Expr>();
  e->kind = BoundExprKind::Constant;
  e->type = v.type();
  Column c(v.type());
  c.append(v);
  e->constant = std::make_shared<const Column>(std::move(c));
  e->text = v.to_sql();
  return e;
}

namespace detail {

// Three-valued booleans while combining AND / OR.
enum : uint8_t { kFalse = 0, kTrue = 1, kNull = 2 };

inline uint8_t bool_state(const ColumnView& v, size_t i) {
  uint32_t r = v.row(i);
  if (!v.column->is_valid(r)) return kNull;
  return v.column->data<uint8_t>()[r] ? kTrue : kFalse;
}

// The logical rows that positions `pos` of the current scope stand for.
inline std::vector<uint32_t> scope_rows(const uint32_t* rows, const std::vector<uint32_t>& pos) {
  std::vector<uint32_t> out(pos.size());
  for (size_t k = 0; k < pos.size(); ++k) out[k] = rows ? rows[pos[k]] : pos[k];
  return out;
}

struct Part {
  std::vector<uint32_t> positions;  // ascending positions in [0, n)
  Vec vec;
};

// One column of n rows from disjoint parts covering [0, n).
inline ColumnPtr assemble(const LogicalType& type, size_t n, const std::vector<Part>& parts) {
  Column out(type);
  if (parts.size() == 1 && parts[0].positions.size() == n) return ExpressionExecutor::flatten(parts[0].vec, n);
  std::vector<uint32_t> part_of(n, UINT32_MAX), index_in(n, 0);
  for (uint32_t p = 0; p < parts.size(); ++p)
    for (uint32_t k = 0; k < parts[p].positions.size(); ++k) {
      part_of[parts[p].positions[k]] = p;
      index_in[parts[p].positions[k]] = k;
    }
  const size_t w = type.fixed_width();
  if (w) {
    out.resize(n);
    auto* dst = reinterpret_cast<uint8_t*>(w == 1 ? static_cast<void*>(out.data<uint8_t>())
                                           : w == 4 ? static_cast<void*>(out.data<int32_t>())
                                                    : static_cast<void*>(out.data<int64_t>()));
    for (size_t i = 0; i < n; ++i) {
      if (part_of[i] == UINT32_MAX) {
        out.set_null(i);
        continue;
      }
      ColumnView v = parts[part_of[i]].vec.view();
      uint32_t r = v.row(index_in[i]);
      const Column& c = *v.column;
      if (!c.is_valid(r) || c.type().id() == TypeId::Null) {
        out.set_null(i);
        continue;
      }
      const uint8_t* src = reinterpret_cast<const uint8_t*>(w == 1 ? static_cast<const void*>(c.data<uint8_t>())
                                                            : w == 4 ? static_cast<const void*>(c.data<int32_t>())
                                                                     : static_cast<const void*>(c.data<int64_t>()));
      std::memcpy(dst + i * w, src + size_t{r} * w, w);
    }
    return std::make_shared<const Column>(std::move(out));
  }
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    if (part_of[i] == UINT32_MAX) {
      out.append_null();
      continue;
    }
    ColumnView v = parts[part_of[i]].vec.view();
    uint32_t r = v.row(index_in[i]);
    if (!v.column->is_valid(r) || v.column->type().id() == TypeId::Null) out.append_null();
    else out.append_from(*v.column, r);
  }
  return std::make_shared<const Column>(std::move(out));
}

inline Vec constant_vec(ColumnPtr c) {
  Vec v;
  v.column = std::move(c);
  v.constant = true;
  return v;
}

inline Vec dense_vec(Column&& c) {
  Vec v;
  v.column = std::make_shared<const Column>(std::move(c));
  return v;
}

// column <op> constant as a loop that writes the positions that pass; false when e is not that.
template <class T, class Cmp>
size_t select_compare(const T* data, const Column& col, const SelectionVector* chunk_sel, const uint32_t* rows, size_t n,
                      T c, Cmp cmp, uint32_t* out) {
  size_t m = 0;
  const bool nulls = !col.validity().all_valid();
  if (!rows && !chunk_sel && !nulls) {
    for (uint32_t k = 0; k < n; ++k) {
      out[m] = k;
      m += cmp(data[k], c);
    }
    return m;
  }
  const uint32_t* sel = chunk_sel ? chunk_sel->data() : nullptr;
  for (uint32_t k = 0; k < n; ++k) {
    uint32_t r = rows ? rows[k] : k;
    uint32_t p = sel ? sel[r] : r;
    out[m] = k;
    m += cmp(data[p], c) & (!nulls || col.is_valid(p));
  }
  return m;
}

template <class T>
size_t select_compare_op(Expr::Compare op, const T* data, const Column& col, const SelectionVector* chunk_sel,
                         const uint32_t* rows, size_t n, T c, uint32_t* out) {
  using C = Expr::Compare;
  switch (op) {
    case C::Eq: return select_compare(data, col, chunk_sel, rows, n, c, [](T a, T b) { return a == b; }, out);
    case C::Ne: return select_compare(data, col, chunk_sel, rows, n, c, [](T a, T b) { return a != b; }, out);
    case C::Lt: return select_compare(data, col, chunk_sel, rows, n, c, [](T a, T b) { return a < b; }, out);
    case C::Le: return select_compare(data, col, chunk_sel, rows, n, c, [](T a, T b) { return a <= b; }, out);
    case C::Gt: return select_compare(data, col, chunk_sel, rows, n, c, [](T a, T b) { return a > b; }, out);
    case C::Ge: return select_compare(data, col, chunk_sel, rows, n, c, [](T a, T b) { return a >= b; }, out);
    default: return 0;
  }
}

inline bool try_select_compare(const Expr& e, const Chunk& in, const uint32_t* rows, size_t n, std::vector<uint32_t>& out) {
  using C = Expr::Compare;
  if (e.compare == C::None || e.safe) return false;
  const Expr* col = e.children[0].get();
  const Expr* con = e.children[1].get();
  C op = e.compare;
  if (!col->is_column_ref() || !con->is_constant()) {
    std::swap(col, con);
    if (!col->is_column_ref() || !con->is_constant()) return false;
    op = op == C::Lt ? C::Gt : op == C::Gt ? C::Lt : op == C::Le ? C::Ge : op == C::Ge ? C::Le : op;
  }
  const Column& c = in.column(col->column);
  const Column& k = *con->constant;
  if (k.type() != c.type() || k.is_null(0)) return false;
  out.resize(n);
  size_t m = 0;
  switch (c.type().id()) {
    case TypeId::Int64:
    case TypeId::Timestamp:
      m = select_compare_op<int64_t>(op, c.data<int64_t>(), c, in.selection(), rows, n, k.data<int64_t>()[0], out.data());
      break;
    case TypeId::Float64:
      m = select_compare_op<double>(op, c.data<double>(), c, in.selection(), rows, n, k.data<double>()[0], out.data());
      break;
    case TypeId::Date:
      m = select_compare_op<int32_t>(op, c.data<int32_t>(), c, in.selection(), rows, n, k.data<int32_t>()[0], out.data());
      break;
    default: return false;
  }
  out.resize(m);
  return true;
}

// Re-throws an error raised inside e's evaluation with e's span when it has none.
[[noreturn]] inline void rethrow_with_span(const SqlError& err, const Expr& e) {
  if (err.span().valid() || !e.span.valid()) throw err;
  throw SqlError(err.kind(), err.message(), e.span);
}

}  // namespace detail

VISIONDB_INLINE ColumnPtr ExpressionExecutor::flatten(const Vec& v, size_t n) {
  if (!v.sel && !v.constant && v.column->size() == n) return v.column;
  Column out(v.column->type());
  const ColumnView view = v.view();
  if (v.column->type().id() == TypeId::Null) {
    for (size_t i = 0; i < n; ++i) out.append_null();
    return std::make_shared<const Column>(std::move(out));
  }
  if (v.constant) {
    out.reserve(n);
    if (size_t w = v.column->type().fixed_width()) {
      out.resize(n);
      const bool valid = v.column->is_valid(0);
      if (w == 8) {
        int64_t x = v.column->data<int64_t>()[0];
        std::fill_n(out.data<int64_t>(), n, x);
      } else if (w == 4) {
        std::fill_n(out.data<int32_t>(), n, v.column->data<int32_t>()[0]);
      } else {
        std::fill_n(out.data<uint8_t>(), n, v.column->data<uint8_t>()[0]);
      }
      if (!valid)
        for (size_t i = 0; i < n; ++i) out.set_null(i);
      return std::make_shared<const Column>(std::move(out));
    }
    for (size_t i = 0; i < n; ++i) out.append_from(*v.column, 0);
    return std::make_shared<const Column>(std::move(out));
  }
  std::vector<uint32_t> idx(n);
  for (size_t i = 0; i < n; ++i) idx[i] = view.row(i);
  return std::make_shared<const Column>(v.column->gather(idx));
}

VISIONDB_INLINE Vec ExpressionExecutor::evaluate(const Expr& e, const Chunk& in, const uint32_t* rows, size_t n) {
  try {
    switch (e.kind) {
      case BoundExprKind::Constant: return detail::constant_vec(e.constant);
      case BoundExprKind::ColumnRef: {
        Vec v;
        v.column = in.column_ptr(e.column);
        const SelectionVector* chunk_sel = in.selection();
        if (!rows) {
          if (chunk_sel) {
            v.sel_owner = std::shared_ptr<const SelectionVector>(std::shared_ptr<const void>(), chunk_sel);
            v.sel = chunk_sel->data();
          }
          return v;
        }
        auto sel = std::make_shared<SelectionVector>(n);
        for (size_t k = 0; k < n; ++k) (*sel)[k] = chunk_sel ? (*chunk_sel)[rows[k]] : rows[k];
        v.sel = sel->data();
        v.sel_owner = std::move(sel);
        return v;
      }
      case BoundExprKind::Function: {
        std::vector<Vec> args;
        args.reserve(e.children.size());
        bool all_constant = true;
        for (const auto& c : e.children) {
          args.push_back(evaluate(*c, in, rows, n));
          all_constant &= args.back().constant;
        }
        std::vector<ColumnView> views;
        views.reserve(args.size());
        for (const auto& a : args) views.push_back(a.view());
        sql::FunctionContext ctx{e.prepared.get(), e.safe};
        Column out(e.type);
        if (all_constant && !e.children.empty() && e.function->deterministic()) {
          e.function->execute(views, 1, out, ctx);
          return detail::constant_vec(std::make_shared<const Column>(std::move(out)));
        }
        e.function->execute(views, n, out, ctx);
        return detail::dense_vec(std::move(out));
      }
      case BoundExprKind::Cast: {
        Vec a = evaluate(*e.children[0], in, rows, n);
        Column out(e.type);
        ColumnView view = a.view();
        sql::FunctionContext ctx{nullptr, e.safe};
        if (a.constant) {
          e.function->execute(std::span<const ColumnView>(&view, 1), 1, out, ctx);
          return detail::constant_vec(std::make_shared<const Column>(std::move(out)));
        }
        e.function->execute(std::span<const ColumnView>(&view, 1), n, out, ctx);
        return detail::dense_vec(std::move(out));
      }
      case BoundExprKind::Not: {
        Vec a = evaluate(*e.children[0], in, rows, n);
        size_t m = a.constant ? 1 : n;
        Column out(LogicalType::boolean());
        out.resize(m);
        uint8_t* o = out.data<uint8_t>();
        ColumnView v = a.view();
        for (size_t i = 0; i < m; ++i) {
          uint8_t s = detail::bool_state(v, i);
          if (s == detail::kNull) out.set_null(i);
          else o[i] = s == detail::kFalse;
        }
        return a.constant ? detail::constant_vec(std::make_shared<const Column>(std::move(out)))
                          : detail::dense_vec(std::move(out));
      }
      case BoundExprKind::IsNull:
      case BoundExprKind::IsNotNull: {
        Vec a = evaluate(*e.children[0], in, rows, n);
        size_t m = a.constant ? 1 : n;
        Column out(LogicalType::boolean());
        out.resize(m);
        uint8_t* o = out.data<uint8_t>();
        ColumnView v = a.view();
        const bool want_null = e.kind == BoundExprKind::IsNull;
        const bool untyped = v.column->type().id() == TypeId::Null;
        for (size_t i = 0; i < m; ++i) o[i] = (untyped || v.is_null(i)) == want_null;
        return a.constant ? detail::constant_vec(std::make_shared<const Column>(std::move(out)))
                          : detail::dense_vec(std::move(out));
      }
      case BoundExprKind::And:
      case BoundExprKind::Or: {
        const bool is_and = e.kind == BoundExprKind::And;
        const uint8_t decided = is_and ? detail::kFalse : detail::kTrue;
        std::vector<uint8_t> state(n, is_and ? detail::kTrue : detail::kFalse);
        std::vector<uint32_t> open(n);
        for (uint32_t i = 0; i < n; ++i) open[i] = i;
        for (const auto& c : e.children) {
          if (open.empty()) break;
          std::vector<uint32_t> lr = detail::scope_rows(rows, open);
          Vec cv = evaluate(*c, in, lr.data(), lr.size());
          ColumnView v = cv.view();
          std::vector<uint32_t> still;
          still.reserve(open.size());
          for (size_t k = 0; k < open.size(); ++k) {
            uint8_t s = detail::bool_state(v, k);
            uint32_t p = open[k];
            if (s == decided) {
              state[p] = decided;
              continue;
            }
            if (s == detail::kNull) state[p] = detail::kNull;
            still.push_back(p);
          }
          open.swap(still);
        }
        Column out(LogicalType::boolean());
        out.resize(n);
        uint8_t* o = out.data<uint8_t>();
        for (size_t i = 0; i < n; ++i) {
          if (state[i] == detail::kNull) out.set_null(i);
          else o[i] = state[i];
        }
        return detail::dense_vec(std::move(out));
      }
      case BoundExprKind::Case: {
        std::vector<detail::Part> parts;
        std::vector<uint32_t> open(n);
        for (uint32_t i = 0; i < n; ++i) open[i] = i;
        size_t pairs = (e.children.size() - 1) / 2;
        for (size_t w = 0; w < pairs && !open.empty(); ++w) {
          std::vector<uint32_t> lr = detail::scope_rows(rows, open);
          std::vector<uint32_t> hit;
          select(*e.children[2 * w], in, lr.data(), lr.size(), hit);
          if (hit.empty()) continue;
          detail::Part part;
          std::vector<uint32_t> hit_rows(hit.size());
          std::vector<uint32_t> rest;
          rest.reserve(open.size() - hit.size());
          size_t h = 0;
          for (size_t k = 0; k < open.size(); ++k) {
            if (h < hit.size() && hit[h] == k) {
              part.positions.push_back(open[k]);
              hit_rows[h] = lr[k];
              ++h;
            } else {
              rest.push_back(open[k]);
            }
          }
          part.vec = evaluate(*e.children[2 * w + 1], in, hit_rows.data(), hit_rows.size());
          parts.push_back(std::move(part));
          open.swap(rest);
        }
        if (!open.empty()) {
          std::vector<uint32_t> lr = detail::scope_rows(rows, open);
          detail::Part part;
          part.vec = evaluate(*e.children.back(), in, lr.data(), lr.size());
          part.positions = std::move(open);
          parts.push_back(std::move(part));
        }
        Vec out;
        out.column = detail::assemble(e.type, n, parts);
        return out;
      }
      case BoundExprKind::Coalesce: {
        std::vector<detail::Part> parts;
        std::vector<uint32_t> open(n);
        for (uint32_t i = 0; i < n; ++i) open[i] = i;
        for (size_t c = 0; c < e.children.size() && !open.empty(); ++c) {
          std::vector<uint32_t> lr = detail::scope_rows(rows, open);
          Vec v = evaluate(*e.children[c], in, lr.data(), lr.size());
          ColumnView view = v.view();
          const bool last = c + 1 == e.children.size();
          const bool untyped = v.column->type().id() == TypeId::Null;
          detail::Part part;
          std::vector<uint32_t> idx, rest;
          for (size_t k = 0; k < open.size(); ++k) {
            if (last || (!untyped && view.is_valid(k))) {
              part.positions.push_back(open[k]);
              idx.push_back(view.row(k));
            } else {
              rest.push_back(open[k]);
            }
          }
          if (!part.positions.empty()) {
            auto sel = std::make_shared<SelectionVector>(std::move(idx));
            part.vec.column = v.column;
            part.vec.sel = sel->data();
            part.vec.sel_owner = std::move(sel);
            parts.push_back(std::move(part));
          }
          open.swap(rest);
        }
        Vec out;
        out.column = detail::assemble(e.type, n, parts);
        return out;
      }
      case BoundExprKind::InList: {
        Vec needle = evaluate(*e.children[0], in, rows, n);
        const InListSet& set = *e.in_set;
        size_t m = needle.constant ? 1 : n;
        ColumnView nv = needle.view();
        EncodedKeys keys;
        set.encoder.encode(std::span<const ColumnView>(&nv, 1), m, keys);
        Column out(LogicalType::boolean());
        out.resize(m);
        uint8_t* o = out.data<uint8_t>();
        for (size_t i = 0; i < m; ++i) {
          if (keys.any_null[i] || nv.column->type().id() == TypeId::Null) {
            out.set_null(i);
            continue;
          }
          std::string k = set.encoder.fixed_mode() ? std::string(reinterpret_cast<const char*>(&keys.fixed[i]), 8)
                                                   : std::string(keys.key(i));
          if (set.keys.count(k)) o[i] = 1;
          else if (set.has_null) out.set_null(i);
          else o[i] = 0;
        }
        return needle.constant ? detail::constant_vec(std::make_shared<const Column>(std::move(out)))
                               : detail::dense_vec(std::move(out));
      }
      case BoundExprKind::Subquery: {
        std::vector<Vec> args;
        for (const auto& c : e.children) args.push_back(evaluate(*c, in, rows, n));
        std::vector<ColumnView> views;
        bool all_constant = true;
        for (const auto& a : args) {
          views.push_back(a.view());
          all_constant &= a.constant;
        }
        Column out(e.type);
        if (all_constant) {
          e.subquery->evaluate(views, 1, out);
          return detail::constant_vec(std::make_shared<const Column>(std::move(out)));
        }
        e.subquery->evaluate(views, n, out);
        return detail::dense_vec(std::move(out));
      }
      case BoundExprKind::ArrayPack:
      case BoundExprKind::StructPack:
      case BoundExprKind::FieldAccess: return detail::evaluate_nested(e, in, rows, n);
      default: visiondb::detail::throw_internal("expression kind not executable here: " + e.text);
    }
  } catch (const SqlError& err) {
    detail::rethrow_with_span(err, e);
  }
}

VISIONDB_INLINE void ExpressionExecutor::select(const Expr& e, const Chunk& in, const uint32_t* rows, size_t n,
                                               std::vector<uint32_t>& out) {
  out.clear();
  if (n == 0) return;
  if (e.kind == BoundExprKind::And) {
    std::vector<uint32_t> open(n);
    for (uint32_t i = 0; i < n; ++i) open[i] = i;
    for (const auto& c : e.children) {
      std::vector<uint32_t> lr = detail::scope_rows(rows, open);
      std::vector<uint32_t> hit;
      select(*c, in, lr.data(), lr.size(), hit);
      std::vector<uint32_t> next(hit.size());
      for (size_t k = 0; k < hit.size(); ++k) next[k] = open[hit[k]];
      open.swap(next);
      if (open.empty()) break;
    }
    out = std::move(open);
    return;
  }
  if (e.kind == BoundExprKind::Or) {
    std::vector<uint8_t> taken(n, 0);
    std::vector<uint32_t> open(n);
    for (uint32_t i = 0; i < n; ++i) open[i] = i;
    for (const auto& c : e.children) {
      if (open.empty()) break;
      std::vector<uint32_t> lr = detail::scope_rows(rows, open);
      std::vector<uint32_t> hit;
      select(*c, in, lr.data(), lr.size(), hit);
      for (uint32_t h : hit) taken[open[h]] = 1;
      std::vector<uint32_t> rest;
      for (uint32_t p : open)
        if (!taken[p]) rest.push_back(p);
      open.swap(rest);
    }
    for (uint32_t i = 0; i < n; ++i)
      if (taken[i]) out.push_back(i);
    return;
  }
  if (detail::try_select_compare(e, in, rows, n, out)) return;
  Vec v = evaluate(e, in, rows, n);
  ColumnView view = v.view();
  if (v.column->type().id() == TypeId::Null) return;
  if (v.constant) {
    if (view.is_valid(0) && view.column->data<uint8_t>()[0]) {
      out.resize(n);
      for (uint32_t i = 0; i < n; ++i) out[i] = i;
    }
    return;
  }
  const uint8_t* data = v.column->data<uint8_t>();
  out.resize(n);
  size_t m = 0;
  if (!v.sel && v.column->validity().all_valid()) {
    for (uint32_t i = 0; i < n; ++i) {
      out[m] = i;
      m += data[i] != 0;
    }
  } else {
    for (uint32_t i = 0; i < n; ++i) {
      uint32_t r = view.row(i);
      out[m] = i;
      m += (data[r] != 0) & v.column->is_valid(r);
    }
  }
  out.resize(m);
}

VISIONDB_INLINE Value ExpressionExecutor::evaluate_constant(const Expr& e) {
  Chunk one({}, 1);
  Vec v = evaluate(e, one, nullptr, 1);
  return v.column->get(v.view().row(0));
}

}  // namespace visiondb::exec
