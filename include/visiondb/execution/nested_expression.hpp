// Evaluation of the expressions that build and take apart nested values: [a, b] with
// non-constant elements, STRUCT(a AS x, ...) and s.field. Kept apart from the expression
// executor's core; it calls in here for BoundExprKind::ArrayPack, StructPack and FieldAccess.
#pragma once

#include <span>

#include "visiondb/execution/expression_executor.hpp"

namespace visiondb::exec {

/// n rows of ARRAY `type` whose row i holds element views' row i, in order.
Column pack_array(std::span<const ColumnView> elements, size_t n, const LogicalType& type);
/// n rows of STRUCT `type` whose field k is fields[k].
Column pack_struct(std::span<const ColumnView> fields, size_t n, const LogicalType& type);
/// Field `field` of n STRUCT rows (NULL where the STRUCT is NULL).
Column extract_field(const ColumnView& structs, size_t field, size_t n);

namespace detail {
/// ExpressionExecutor::evaluate for ArrayPack, StructPack and FieldAccess.
Vec evaluate_nested(const Expr& e, const Chunk& in, const uint32_t* rows, size_t n);
}  // namespace detail

}  // namespace visiondb::exec

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/execution/detail/nested_expression_impl.hpp"
#endif
