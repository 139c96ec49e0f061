// Out-of-line parts of nested_expression.hpp.
#pragma once

#include <vector>

#include "visiondb/config.hpp"
#include "visiondb/execution/nested_expression.hpp"

namespace visiondb::exec {

namespace detail {
inline bool view_null(const ColumnView& v, size_t i) {
  return v.column->type().id() == TypeId::Null || v.is_null(i);
}
}  // namespace detail

VISIONDB_INLINE Column pack_array(std::span<const ColumnView> elements, size_t n, const LogicalType& type) {
  Column out(type);
  out.reserve(n);
  Column& child = out.child();
  child.reserve(n * elements.size());
  for (size_t i = 0; i < n; ++i) {
    for (const ColumnView& v : elements) {
      if (detail::view_null(v, i)) child.append_null();
      else child.append_from(*v.column, v.row(i));
    }
    out.close_array_row();
  }
  return out;
}

VISIONDB_INLINE Column pack_struct(std::span<const ColumnView> fields, size_t n, const LogicalType& type) {
  Column out(type);
  for (size_t k = 0; k < fields.size(); ++k) {
    const ColumnView& v = fields[k];
    Column& dst = out.field(k);
    if (v.column->type().id() == TypeId::Null) {
      for (size_t i = 0; i < n; ++i) dst.append_null();
      continue;
    }
    std::vector<uint32_t> rows(n);
    for (size_t i = 0; i < n; ++i) rows[i] = v.row(i);
    dst.append_gather(*v.column, rows.data(), n);
  }
  out.resize(n);  // closes the rows: every field column already holds n values
  return out;
}

VISIONDB_INLINE Column extract_field(const ColumnView& structs, size_t field, size_t n) {
  const Column& src = structs.column->field(field);
  Column out(src.type());
  std::vector<uint32_t> rows(n);
  for (size_t i = 0; i < n; ++i) rows[i] = structs.is_null(i) ? UINT32_MAX : structs.row(i);
  out.append_gather(src, rows.data(), n);
  return out;
}

namespace detail {

VISIONDB_INLINE Vec evaluate_nested(const Expr& e, const Chunk& in, const uint32_t* rows, size_t n) {
  std::vector<Vec> args;
  args.reserve(e.children.size());
  bool all_constant = true;
  for (const auto& c : e.children) {
    args.push_back(ExpressionExecutor::evaluate(*c, in, rows, n));
    all_constant &= args.back().constant;
  }
  std::vector<ColumnView> views;
  for (const auto& a : args) views.push_back(a.view());
  const size_t m = all_constant && !e.children.empty() ? 1 : n;
  Column out;
  switch (e.kind) {
    case BoundExprKind::ArrayPack: out = pack_array(views, m, e.type); break;
    case BoundExprKind::StructPack: out = pack_struct(views, m, e.type); break;
    case BoundExprKind::FieldAccess:
      if (views[0].column->type().id() == TypeId::Null) {
        out = Column(e.type);
        for (size_t i = 0; i < m; ++i) out.append_null();
      } else {
        out = extract_field(views[0], e.field, m);
      }
      break;
    default: visiondb::detail::throw_internal("not a nested-value expression: " + e.text);
  }
  Vec v;
  v.column = std::make_shared<const Column>(std::move(out));
  v.constant = m == 1 && all_constant && !e.children.empty();
  return v;
}

}  // namespace detail

}  // namespace visiondb::exec
