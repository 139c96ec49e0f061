// Out-of-line parts of logical_plan.hpp.
#pragma once

#include <algorithm>

#include "visiondb/config.hpp"
#include "visiondb/sql/logical_plan.hpp"
#include "visiondb/sql/logical_unnest.hpp"
#include "visiondb/sql/logical_window.hpp"

namespace visiondb::sql {

namespace detail {
inline std::string join_exprs(const std::vector<BoundExprPtr>& xs, const char* sep = ", ") {
  std::string out;
  for (size_t i = 0; i < xs.size(); ++i) out += (i ? sep : "") + xs[i]->to_string();
  return out;
}
inline std::vector<BoundExprPtr> clone_exprs(const std::vector<BoundExprPtr>& xs) {
  std::vector<BoundExprPtr> out;
  out.reserve(xs.size());
  for (const auto& x : xs) out.push_back(x->clone());
  return out;
}
inline void plan_lines(const LogicalOp& op, int depth, std::string& out) {
  out += std::string(static_cast<size_t>(depth) * 2, ' ') + op.describe() + "\n";
  for (const auto& c : op.children) plan_lines(*c, depth + 1, out);
}
}  // namespace detail

VISIONDB_INLINE double LogicalOp::estimate_rows() const {
  double r = 1;
  for (const auto& c : children) r = std::max(r, c->estimate_rows());
  return r;
}

VISIONDB_INLINE std::string plan_to_string(const LogicalOp& op) {
  std::string out;
  detail::plan_lines(op, 0, out);
  return out;
}

VISIONDB_INLINE std::string_view join_type_name(JoinType t) noexcept {
  switch (t) {
    case JoinType::Inner: return "INNER";
    case JoinType::Left: return "LEFT";
    case JoinType::Right: return "RIGHT";
    case JoinType::Full: return "FULL";
    case JoinType::Semi: return "SEMI";
    case JoinType::Anti: return "ANTI";
    case JoinType::Mark: return "MARK";
  }
  return "?";
}

// ---- Get
VISIONDB_INLINE std::vector<ColumnBinding> LogicalGet::bindings() const {
  std::vector<ColumnBinding> out;
  for (uint32_t c : column_ids) out.push_back({table_index, c});
  return out;
}
VISIONDB_INLINE std::vector<LogicalType> LogicalGet::types() const {
  std::vector<LogicalType> out;
  for (uint32_t c : column_ids) out.push_back(source->source_schema()[c].type);
  return out;
}
VISIONDB_INLINE std::string LogicalGet::describe() const {
  std::string out = "SCAN " + name + " [";
  const auto& s = source->source_schema();
  for (size_t i = 0; i < column_ids.size(); ++i) out += (i ? ", " : "") + s[column_ids[i]].name;
  out += "]";
  if (!filters.empty()) out += " filters: " + detail::join_exprs(filters, " AND ");
  return out;
}
VISIONDB_INLINE double LogicalGet::estimate_rows() const {
  double r = snapshot ? static_cast<double>(snapshot->estimated_rows()) : 1000.0;
  for (size_t i = 0; i < filters.size(); ++i) r *= 0.5;
  return std::max(r, 1.0);
}
VISIONDB_INLINE LogicalOpPtr LogicalGet::clone() const {
  auto out = std::make_unique<LogicalGet>(table_index, source, name, snapshot);
  out->column_ids = column_ids;
  out->filters = detail::clone_exprs(filters);
  return out;
}

// ---- Filter
VISIONDB_INLINE std::string LogicalFilter::describe() const { return "FILTER " + detail::join_exprs(predicates, " AND "); }
VISIONDB_INLINE LogicalOpPtr LogicalFilter::clone() const {
  auto out = std::make_unique<LogicalFilter>();
  out->predicates = detail::clone_exprs(predicates);
  clone_children_into(*out);
  return out;
}

// ---- Projection
VISIONDB_INLINE LogicalProjection::LogicalProjection(uint32_t table_index, LogicalOpPtr child, std::vector<BoundExprPtr> xs)
    : LogicalOp(LogicalOpKind::Projection), table_index(table_index), exprs(std::move(xs)) {
  if (child) children.push_back(std::move(child));
  for (uint32_t i = 0; i < exprs.size(); ++i) column_ids.push_back(i);
}
VISIONDB_INLINE std::vector<ColumnBinding> LogicalProjection::bindings() const {
  std::vector<ColumnBinding> out;
  for (uint32_t c : column_ids) out.push_back({table_index, c});
  return out;
}
VISIONDB_INLINE std::vector<LogicalType> LogicalProjection::types() const {
  std::vector<LogicalType> out;
  for (const auto& e : exprs) out.push_back(e->type);
  return out;
}
VISIONDB_INLINE std::string LogicalProjection::describe() const { return "PROJECT " + detail::join_exprs(exprs); }
VISIONDB_INLINE LogicalOpPtr LogicalProjection::clone() const {
  auto out = std::make_unique<LogicalProjection>(table_index, nullptr, detail::clone_exprs(exprs));
  out->column_ids = column_ids;
  clone_children_into(*out);
  return out;
}

// ---- Aggregate
VISIONDB_INLINE std::vector<ColumnBinding> LogicalAggregate::bindings() const {
  std::vector<ColumnBinding> out;
  for (uint32_t i = 0; i < groups.size(); ++i) out.push_back({group_index, i});
  for (uint32_t c : aggregate_ids) out.push_back({aggregate_index, c});
  return out;
}
VISIONDB_INLINE std::vector<LogicalType> LogicalAggregate::types() const {
  std::vector<LogicalType> out;
  for (const auto& e : groups) out.push_back(e->type);
  for (const auto& e : aggregates) out.push_back(e->type);
  return out;
}
VISIONDB_INLINE std::string LogicalAggregate::describe() const {
  std::string out = "AGGREGATE";
  if (!groups.empty()) out += " BY " + detail::join_exprs(groups);
  if (!aggregates.empty()) out += " COMPUTE " + detail::join_exprs(aggregates);
  return out;
}
VISIONDB_INLINE double LogicalAggregate::estimate_rows() const {
  if (groups.empty()) return 1;
  return std::max(1.0, children[0]->estimate_rows() * 0.1);
}
VISIONDB_INLINE LogicalOpPtr LogicalAggregate::clone() const {
  auto out = std::make_unique<LogicalAggregate>(group_index, aggregate_index, nullptr);
  out->children.clear();
  out->groups = detail::clone_exprs(groups);
  out->aggregates = detail::clone_exprs(aggregates);
  out->aggregate_ids = aggregate_ids;
  clone_children_into(*out);
  return out;
}

// ---- Join
VISIONDB_INLINE std::vector<ColumnBinding> LogicalJoin::bindings() const {
  if (projected) return projection;
  auto out = children[0]->bindings();
  if (join_type == JoinType::Semi || join_type == JoinType::Anti) return out;
  if (join_type == JoinType::Mark) {
    out.push_back(mark_binding);
    return out;
  }
  auto r = children[1]->bindings();
  out.insert(out.end(), r.begin(), r.end());
  return out;
}
VISIONDB_INLINE std::vector<LogicalType> LogicalJoin::types() const {
  if (projected) {
    auto lb = children[0]->bindings(), rb = children[1]->bindings();
    auto lt = children[0]->types(), rt = children[1]->types();
    std::vector<LogicalType> out;
    for (const auto& b : projection) {
      auto it = std::find(lb.begin(), lb.end(), b);
      if (it != lb.end()) out.push_back(lt[static_cast<size_t>(it - lb.begin())]);
      else out.push_back(rt[static_cast<size_t>(std::find(rb.begin(), rb.end(), b) - rb.begin())]);
    }
    return out;
  }
  auto out = children[0]->types();
  if (join_type == JoinType::Semi || join_type == JoinType::Anti) return out;
  if (join_type == JoinType::Mark) {
    out.push_back(LogicalType::boolean());
    return out;
  }
  auto r = children[1]->types();
  out.insert(out.end(), r.begin(), r.end());
  return out;
}
VISIONDB_INLINE std::string LogicalJoin::describe() const {
  std::string out = conditions.empty() && join_type == JoinType::Inner ? "CROSS JOIN"
                                                                       : std::string(join_type_name(join_type)) + " JOIN";
  if (!conditions.empty()) out += " ON " + detail::join_exprs(conditions, " AND ");
  return out;
}
VISIONDB_INLINE double LogicalJoin::estimate_rows() const {
  double l = children[0]->estimate_rows(), r = children[1]->estimate_rows();
  if (join_type == JoinType::Semi || join_type == JoinType::Anti || join_type == JoinType::Mark) return l;
  if (conditions.empty()) return l * r;
  return std::max(l, r);
}
VISIONDB_INLINE LogicalOpPtr LogicalJoin::clone() const {
  auto out = std::make_unique<LogicalJoin>(join_type, nullptr, nullptr);
  out->children.clear();
  out->conditions = detail::clone_exprs(conditions);
  out->mark_binding = mark_binding;
  out->null_aware = null_aware;
  out->projected = projected;
  out->projection = projection;
  clone_children_into(*out);
  return out;
}

// ---- Order / Limit / TopN
VISIONDB_INLINE std::string OrderKey::to_string() const {
  return expr->to_string() + (descending ? " DESC" : " ASC") + (nulls_first ? " NULLS FIRST" : " NULLS LAST");
}
namespace detail {
inline std::string join_keys(const std::vector<OrderKey>& keys) {
  std::string out;
  for (size_t i = 0; i < keys.size(); ++i) out += (i ? ", " : "") + keys[i].to_string();
  return out;
}
inline std::vector<OrderKey> clone_keys(const std::vector<OrderKey>& keys) {
  std::vector<OrderKey> out;
  for (const auto& k : keys) out.push_back(k.clone());
  return out;
}
}  // namespace detail
VISIONDB_INLINE std::string LogicalOrder::describe() const { return "ORDER BY " + detail::join_keys(keys); }
VISIONDB_INLINE LogicalOpPtr LogicalOrder::clone() const {
  auto out = std::make_unique<LogicalOrder>(nullptr, detail::clone_keys(keys));
  out->children.clear();
  clone_children_into(*out);
  return out;
}
VISIONDB_INLINE std::string LogicalLimit::describe() const {
  std::string out = "LIMIT " + (limit < 0 ? std::string("ALL") : std::to_string(limit));
  if (offset) out += " OFFSET " + std::to_string(offset);
  return out;
}
VISIONDB_INLINE double LogicalLimit::estimate_rows() const {
  double c = children[0]->estimate_rows();
  return limit < 0 ? c : std::min(c, static_cast<double>(limit));
}
VISIONDB_INLINE LogicalOpPtr LogicalLimit::clone() const {
  auto out = std::make_unique<LogicalLimit>(nullptr, limit, offset);
  out->children.clear();
  clone_children_into(*out);
  return out;
}
VISIONDB_INLINE std::string LogicalTopN::describe() const {
  std::string out = "TOP " + std::to_string(limit) + " BY " + detail::join_keys(keys);
  if (offset) out += " OFFSET " + std::to_string(offset);
  return out;
}
VISIONDB_INLINE LogicalOpPtr LogicalTopN::clone() const {
  auto out = std::make_unique<LogicalTopN>(nullptr, detail::clone_keys(keys), limit, offset);
  out->children.clear();
  clone_children_into(*out);
  return out;
}

// ---- SetOp
VISIONDB_INLINE std::vector<ColumnBinding> LogicalSetOp::bindings() const {
  std::vector<ColumnBinding> out;
  for (uint32_t i = 0; i < output_types.size(); ++i) out.push_back({table_index, i});
  return out;
}
VISIONDB_INLINE std::string LogicalSetOp::describe() const {
  switch (set_kind) {
    case SetOpKind::UnionAll: return "UNION ALL";
    case SetOpKind::Union: return "UNION DISTINCT";
    case SetOpKind::Intersect: return "INTERSECT DISTINCT";
    case SetOpKind::Except: return "EXCEPT DISTINCT";
  }
  return "SET OPERATION";
}
VISIONDB_INLINE double LogicalSetOp::estimate_rows() const {
  double l = children[0]->estimate_rows(), r = children[1]->estimate_rows();
  return set_kind == SetOpKind::UnionAll || set_kind == SetOpKind::Union ? l + r : l;
}
VISIONDB_INLINE LogicalOpPtr LogicalSetOp::clone() const {
  auto out = std::make_unique<LogicalSetOp>(set_kind, table_index, output_types, nullptr, nullptr);
  out->children.clear();
  clone_children_into(*out);
  return out;
}

// ---- Values
VISIONDB_INLINE std::vector<ColumnBinding> LogicalValues::bindings() const {
  std::vector<ColumnBinding> out;
  for (uint32_t i = 0; i < value_types.size(); ++i) out.push_back({table_index, i});
  return out;
}
VISIONDB_INLINE std::string LogicalValues::describe() const {
  if (value_types.empty() && rows.size() == 1) return "SINGLE ROW";
  return "VALUES " + std::to_string(rows.size()) + " rows";
}
VISIONDB_INLINE LogicalOpPtr LogicalValues::clone() const {
  auto out = std::make_unique<LogicalValues>(table_index, value_types);
  for (const auto& r : rows) out->rows.push_back(detail::clone_exprs(r));
  return out;
}

// ---- TableFunction
VISIONDB_INLINE std::vector<ColumnBinding> LogicalTableFunction::bindings() const {
  std::vector<ColumnBinding> out;
  for (uint32_t c : column_ids) out.push_back({table_index, c});
  return out;
}
VISIONDB_INLINE std::vector<LogicalType> LogicalTableFunction::types() const {
  std::vector<LogicalType> out;
  for (uint32_t c : column_ids) out.push_back(function->types[c]);
  return out;
}
VISIONDB_INLINE std::string LogicalTableFunction::describe() const {
  std::string out = "TABLE FUNCTION " + name + " [";
  for (size_t i = 0; i < column_ids.size(); ++i) out += (i ? ", " : "") + function->names[column_ids[i]];
  return out + "]";
}
VISIONDB_INLINE double LogicalTableFunction::estimate_rows() const {
  return children.empty() ? 1000.0 : children[0]->estimate_rows();
}
VISIONDB_INLINE LogicalOpPtr LogicalTableFunction::clone() const {
  auto out = std::make_unique<LogicalTableFunction>(table_index, name, function);
  out->column_ids = column_ids;
  clone_children_into(*out);
  return out;
}

VISIONDB_INLINE void for_each_expression(LogicalOp& op, const std::function<void(BoundExprPtr&)>& f) {
  switch (op.kind) {
    case LogicalOpKind::Get:
      for (auto& e : static_cast<LogicalGet&>(op).filters) f(e);
      break;
    case LogicalOpKind::Filter:
      for (auto& e : static_cast<LogicalFilter&>(op).predicates) f(e);
      break;
    case LogicalOpKind::Projection:
      for (auto& e : static_cast<LogicalProjection&>(op).exprs) f(e);
      break;
    case LogicalOpKind::Aggregate: {
      auto& a = static_cast<LogicalAggregate&>(op);
      for (auto& e : a.groups) f(e);
      for (auto& e : a.aggregates) f(e);
      break;
    }
    case LogicalOpKind::Join:
      for (auto& e : static_cast<LogicalJoin&>(op).conditions) f(e);
      break;
    case LogicalOpKind::Order:
      for (auto& k : static_cast<LogicalOrder&>(op).keys) f(k.expr);
      break;
    case LogicalOpKind::TopN:
      for (auto& k : static_cast<LogicalTopN&>(op).keys) f(k.expr);
      break;
    case LogicalOpKind::Values:
      for (auto& row : static_cast<LogicalValues&>(op).rows)
        for (auto& e : row) f(e);
      break;
    case LogicalOpKind::Unnest: f(static_cast<LogicalUnnest&>(op).array); break;
    case LogicalOpKind::Window:
      for (auto& e : static_cast<LogicalWindow&>(op).windows) f(e);
      break;
    default: break;
  }
}

}  // namespace visiondb::sql
