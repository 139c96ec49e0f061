// Out-of-line parts of physical_planner.hpp, and the SubqueryRunner behind subquery expressions.
#pragma once

#include <mutex>
#include <unordered_map>
#include <unordered_set>

#include "visiondb/config.hpp"
#include "visiondb/execution/executor.hpp"
#include "visiondb/execution/expression_executor.hpp"
#include "visiondb/execution/key_encoder.hpp"
#include "visiondb/execution/operators/filter.hpp"
#include "visiondb/execution/operators/hash_aggregate.hpp"
#include "visiondb/execution/operators/hash_join.hpp"
#include "visiondb/execution/operators/limit.hpp"
#include "visiondb/execution/operators/order_by.hpp"
#include "visiondb/execution/operators/projection.hpp"
#include "visiondb/execution/operators/set_operation.hpp"
#include "visiondb/execution/operators/table_function.hpp"
#include "visiondb/execution/operators/table_scan.hpp"
#include "visiondb/execution/operators/unnest.hpp"
#include "visiondb/execution/operators/window.hpp"
#include "visiondb/execution/physical_planner.hpp"

namespace visiondb::exec {

namespace detail {

// Replaces the correlated column references of a subquery plan (depth `level` at nesting `level`)
// by the outer row's values; nested subquery plans are cloned before they are changed.
inline void substitute_outer(sql::LogicalOp& op, const std::vector<sql::ColumnBinding>& bindings,
                             const std::vector<Value>& values, uint32_t level);

inline void substitute_outer_expr(sql::BoundExprPtr& e, const std::vector<sql::ColumnBinding>& bindings,
                                  const std::vector<Value>& values, uint32_t level) {
  if (e->kind == BoundExprKind::ColumnRef) {
    auto& r = static_cast<sql::BoundColumnRef&>(*e);
    if (r.depth != level) return;
    for (size_t k = 0; k < bindings.size(); ++k)
      if (bindings[k] == r.binding) {
        SourceSpan span = e->span;
        Value v = values[k];
        if (v.is_null()) v = Value::null(e->type);
        e = sql::make_constant(std::move(v), span);
        return;
      }
    return;
  }
  if (e->kind == BoundExprKind::Subquery) {
    auto& s = static_cast<sql::BoundSubquery&>(*e);
    auto copy = std::shared_ptr<sql::LogicalOp>(s.plan->clone());
    substitute_outer(*copy, bindings, values, level + 1);
    s.plan = std::move(copy);
  }
  for (auto& c : e->children) substitute_outer_expr(c, bindings, values, level);
}

inline void substitute_outer(sql::LogicalOp& op, const std::vector<sql::ColumnBinding>& bindings,
                             const std::vector<Value>& values, uint32_t level) {
  sql::for_each_expression(op, [&](sql::BoundExprPtr& e) { substitute_outer_expr(e, bindings, values, level); });
  for (auto& c : op.children) substitute_outer(*c, bindings, values, level);
}

// Appends row r of c as bytes that differ for different values (a memo key).
inline void append_row_key(const Column& c, size_t r, std::string& key) {
  if (c.is_null(r)) {
    key += 'N';
    return;
  }
  key += 'V';
  auto put_size = [&](uint64_t v) { key.append(reinterpret_cast<const char*>(&v), 8); };
  if (size_t w = c.type().fixed_width()) {
    const uint64_t bits = fixed_key_bits(c, static_cast<uint32_t>(r));
    key.append(reinterpret_cast<const char*>(&bits), 8);
    (void)w;
    return;
  }
  switch (c.type().id()) {
    case TypeId::String:
    case TypeId::Bytes: {
      std::string_view s = c.string_at(r);
      put_size(s.size());
      key.append(s);
      return;
    }
    case TypeId::Array: {
      auto [b, e] = c.array_range(r);
      put_size(static_cast<uint64_t>(e - b));
      const Column& elements = c.child();
      if (elements.type().fixed_width() && elements.validity().all_valid() && elements.type().id() != TypeId::Float64) {
        const size_t w = elements.type().fixed_width();
        const char* base = elements.type().id() == TypeId::Date ? reinterpret_cast<const char*>(elements.data<int32_t>())
                           : w == 1 ? reinterpret_cast<const char*>(elements.data<uint8_t>())
                                    : reinterpret_cast<const char*>(elements.data<int64_t>());
        key.append(base + static_cast<size_t>(b) * w, static_cast<size_t>(e - b) * w);
        return;
      }
      for (int64_t k = b; k < e; ++k) append_row_key(elements, static_cast<size_t>(k), key);
      return;
    }
    case TypeId::Struct:
      for (size_t f = 0; f < c.field_count(); ++f) append_row_key(c.field(f), r, key);
      return;
    default: key += c.get(r).to_sql(); return;
  }
}

/// What a subquery produced, in the form its expression needs.
struct SubqueryResult {
  Value scalar;                          // Scalar
  bool any_row = false;                  // Exists
  std::unordered_set<std::string> keys;  // In: encoded non-NULL values
  bool has_null = false;                 // In
  std::shared_ptr<const Column> elements;  // Array: the column's values, in order (no Value each)
};

class SubqueryRunnerImpl final : public SubqueryRunner {
 public:
  SubqueryRunnerImpl(const sql::BoundSubquery& e, ExecContext& ctx, LogicalType needle_type)
      : kind_(e.subquery_kind),
        negated_(e.negated),
        plan_(e.plan),
        correlated_(e.correlated),
        ctx_(ctx),
        type_(e.type),
        encoder_(std::vector<LogicalType>{needle_type.id() == TypeId::Null ? LogicalType::int64() : needle_type}),
        span_(e.span) {}

  void evaluate(std::span<const ColumnView> args, size_t n, Column& out) const override {
    const size_t first_outer = kind_ == sql::BoundSubqueryKind::In ? 1 : 0;
    if (correlated_.empty()) {
      std::call_once(once_, [&] { uncorrelated_ = run(*plan_); });
      for (size_t i = 0; i < n; ++i) emit(uncorrelated_, args, i, out);
      return;
    }
    for (size_t i = 0; i < n; ++i) {
      // The memo key: the outer values' bytes (an ARRAY's elements in bulk), not their text.
      std::string key;
      for (size_t k = first_outer; k < args.size(); ++k) {
        if (args[k].column->type().id() == TypeId::Null) key += '\0';
        else append_row_key(*args[k].column, args[k].row(i), key);
        key += '\x1f';
      }
      std::shared_ptr<const SubqueryResult> result;
      {
        std::lock_guard lock(mutex_);
        if (auto it = memo_.find(key); it != memo_.end()) result = it->second;
      }
      if (!result) {
        std::vector<Value> outer;
        for (size_t k = first_outer; k < args.size(); ++k) outer.push_back(args[k].get(i));
        auto copy = plan_->clone();
        substitute_outer(*copy, correlated_, outer, 1);
        result = std::make_shared<const SubqueryResult>(run(*copy));
        std::lock_guard lock(mutex_);
        memo_.emplace(key, result);
      }
      emit(*result, args, i, out);
    }
  }

 private:
  SubqueryResult run(const sql::LogicalOp& plan) const {
    auto chunks = execute_plan(plan, ctx_);
    SubqueryResult r;
    size_t rows = 0;
    for (const auto& c : chunks) rows += c->size();
    r.any_row = rows > 0;
    switch (kind_) {
      case sql::BoundSubqueryKind::Scalar:
        if (rows > 1) throw SqlError(ErrorKind::Execution, "scalar subquery produced more than one element", span_);
        r.scalar = rows == 1 ? chunks[0]->get(0, 0) : Value::null(type_);
        for (const auto& c : chunks)
          if (c->size()) r.scalar = c->get(0, 0);
        break;
      case sql::BoundSubqueryKind::In: {
        EncodedKeys keys;
        for (const auto& c : chunks) {
          ColumnView v(&c->column(0), c->has_selection() ? c->selection()->data() : nullptr);
          encoder_.encode(std::span<const ColumnView>(&v, 1), c->size(), keys);
          for (size_t i = 0; i < keys.n; ++i) {
            if (keys.any_null[i]) r.has_null = true;
            else r.keys.insert(encoded(keys, i));
          }
        }
        break;
      }
      case sql::BoundSubqueryKind::Exists: break;
      case sql::BoundSubqueryKind::Array: {
        auto elements = std::make_shared<Column>(type_.element());
        for (const auto& c : chunks) {
          if (c->size() == 0) continue;
          if (!c->has_selection()) {
            elements->append_range(c->column(0), 0, c->size());
          } else {
            elements->append_gather(c->column(0), c->selection()->data(), c->size());
          }
        }
        r.elements = std::move(elements);
        break;
      }
    }
    return r;
  }

  std::string encoded(const EncodedKeys& keys, size_t i) const {
    return encoder_.fixed_mode() ? std::string(reinterpret_cast<const char*>(&keys.fixed[i]), 8) : std::string(keys.key(i));
  }

  void emit(const SubqueryResult& r, std::span<const ColumnView> args, size_t i, Column& out) const {
    switch (kind_) {
      case sql::BoundSubqueryKind::Scalar: out.append(r.scalar); return;
      case sql::BoundSubqueryKind::Array:
        out.child().append_range(*r.elements, 0, r.elements->size());
        out.close_array_row();
        return;
      case sql::BoundSubqueryKind::Exists: out.append_bool(r.any_row); return;
      case sql::BoundSubqueryKind::In: {
        // x IN (subquery): TRUE on a match; else NULL when x is NULL or the subquery holds a NULL
        // (and it is not empty); else FALSE. NOT IN negates (NULL stays NULL).
        if (!r.any_row) return out.append_bool(negated_);
        const ColumnView& needle = args[0];
        if (needle.column->type().id() == TypeId::Null || needle.is_null(i)) return out.append_null();
        EncodedKeys k;
        SelectionVector sel{needle.row(i)};
        ColumnView one(needle.column, sel.data());
        encoder_.encode(std::span<const ColumnView>(&one, 1), 1, k);
        if (r.keys.count(encoded(k, 0))) return out.append_bool(!negated_);
        if (r.has_null) return out.append_null();
        return out.append_bool(negated_);
      }
    }
  }

  sql::BoundSubqueryKind kind_;
  bool negated_;
  std::shared_ptr<sql::LogicalOp> plan_;
  std::vector<sql::ColumnBinding> correlated_;
  ExecContext& ctx_;
  LogicalType type_;
  KeyEncoder encoder_;
  SourceSpan span_;
  mutable std::once_flag once_;
  mutable SubqueryResult uncorrelated_;
  mutable std::mutex mutex_;
  mutable std::unordered_map<std::string, std::shared_ptr<const SubqueryResult>> memo_;
};

inline std::vector<LogicalType> types_of(const std::vector<ExprUPtr>& xs) {
  std::vector<LogicalType> out;
  for (const auto& x : xs) out.push_back(x->type);
  return out;
}

// True when every binding e reads is in the map.
inline bool reads_only(const sql::BoundExpr& e, const BindingMap& m) {
  std::vector<sql::ColumnBinding> bs;
  sql::collect_bindings(e, bs);
  bool has_subquery = false;
  sql::visit_bound(e, [&](const sql::BoundExpr& x) { has_subquery |= x.kind == BoundExprKind::Subquery; });
  if (has_subquery || bs.empty()) return false;
  for (const auto& b : bs)
    if (!m.count(b)) return false;
  return true;
}

}  // namespace detail

VISIONDB_INLINE BindingMap PhysicalPlanner::binding_map(const std::vector<sql::ColumnBinding>& bindings) {
  BindingMap m;
  for (size_t i = 0; i < bindings.size(); ++i) m.emplace(bindings[i], i);
  return m;
}

VISIONDB_INLINE ExprUPtr PhysicalPlanner::compile(const sql::BoundExpr& e, const BindingMap& input) {
  auto out = std::make_unique<Expr>();
  out->kind = e.kind;
  out->type = e.type;
  out->span = e.span;
  out->text = e.to_string();
  switch (e.kind) {
    case BoundExprKind::Constant: {
      auto c = make_constant_expr(static_cast<const sql::BoundConstant&>(e).value);
      c->span = e.span;
      return c;
    }
    case BoundExprKind::ColumnRef: {
      const auto& r = static_cast<const sql::BoundColumnRef&>(e);
      auto it = input.find(r.binding);
      if (r.depth != 0 || it == input.end())
        visiondb::detail::throw_internal("column " + r.to_string() + " is not in the operator's input");
      out->column = it->second;
      return out;
    }
    case BoundExprKind::Function: {
      const auto& f = static_cast<const sql::BoundFunction&>(e);
      out->function = f.function;
      out->safe = f.safe;
      std::vector<const Value*> constants;
      for (const auto& c : e.children) {
        out->children.push_back(compile(*c, input));
        constants.push_back(c->kind == BoundExprKind::Constant ? &static_cast<const sql::BoundConstant&>(*c).value : nullptr);
      }
      if (e.children.size() == 2) {
        const std::string& n = f.function->name();
        using C = Expr::Compare;
        out->compare = n == "=" ? C::Eq : n == "!=" ? C::Ne : n == "<" ? C::Lt : n == "<=" ? C::Le : n == ">" ? C::Gt
                       : n == ">=" ? C::Ge : C::None;
      }
      try {
        out->prepared = f.function->prepare(constants);
      } catch (const SqlError& err) {
        throw SqlError(err.kind(), err.message(), e.span);
      }
      return out;
    }
    case BoundExprKind::Cast: {
      const auto& c = static_cast<const sql::BoundCast&>(e);
      out->function = c.function;
      out->safe = c.safe;
      out->children.push_back(compile(*e.children[0], input));
      return out;
    }
    case BoundExprKind::InList: {
      out->children.push_back(compile(*e.children[0], input));
      auto set = std::make_shared<InListSet>();
      LogicalType t = e.children[0]->type.id() == TypeId::Null ? LogicalType::int64() : e.children[0]->type;
      set->encoder = KeyEncoder({t});
      for (size_t k = 1; k < e.children.size(); ++k) {
        const auto& item = *e.children[k];
        if (item.kind != BoundExprKind::Constant) visiondb::detail::throw_internal("IN list item is not constant");
        const Value& v = static_cast<const sql::BoundConstant&>(item).value;
        if (v.is_null()) {
          set->has_null = true;
          continue;
        }
        Column col(t);
        col.append(v);
        ColumnView view(&col);
        EncodedKeys keys;
        set->encoder.encode(std::span<const ColumnView>(&view, 1), 1, keys);
        set->keys.insert(set->encoder.fixed_mode() ? std::string(reinterpret_cast<const char*>(&keys.fixed[0]), 8)
                                                   : std::string(keys.key(0)));
      }
      out->in_set = std::move(set);
      return out;
    }
    case BoundExprKind::Subquery: {
      const auto& s = static_cast<const sql::BoundSubquery&>(e);
      LogicalType needle = LogicalType::int64();
      if (s.subquery_kind == sql::BoundSubqueryKind::In) needle = e.children[0]->type;
      for (const auto& c : e.children) out->children.push_back(compile(*c, input));
      out->subquery = std::make_shared<detail::SubqueryRunnerImpl>(s, ctx_, needle);
      return out;
    }
    case BoundExprKind::FieldAccess:
      out->field = static_cast<const sql::BoundFieldAccess&>(e).field;
      out->children.push_back(compile(*e.children[0], input));
      return out;
    case BoundExprKind::Aggregate:
    case BoundExprKind::Window: visiondb::detail::throw_internal("aggregate or window expression outside its operator");
    default:
      for (const auto& c : e.children) out->children.push_back(compile(*c, input));
      return out;
  }
}

VISIONDB_INLINE OperatorPtr PhysicalPlanner::plan(const sql::LogicalOp& op) {
  using K = sql::LogicalOpKind;
  switch (op.kind) {
    case K::Get: return plan_get(static_cast<const sql::LogicalGet&>(op));
    case K::Filter: {
      const auto& f = static_cast<const sql::LogicalFilter&>(op);
      auto child = plan(*op.children[0]);
      auto input = binding_map(op.children[0]->bindings());
      std::vector<sql::BoundExprPtr> terms;
      for (const auto& p : f.predicates) terms.push_back(p->clone());
      auto pred = compile(*sql::make_and(std::move(terms)), input);
      auto out = std::make_unique<FilterOp>(child->types(), std::move(pred));
      out->children.push_back(std::move(child));
      return out;
    }
    case K::Projection: {
      const auto& p = static_cast<const sql::LogicalProjection&>(op);
      OperatorPtr child;
      BindingMap input;
      if (op.children.empty()) {
        // A projection without input reads one empty row.
        child = std::make_unique<ChunkScanOp>(std::vector<LogicalType>{},
                                              std::vector<ChunkPtr>{std::make_shared<const Chunk>(std::vector<ColumnPtr>{}, 1)});
      } else {
        child = plan(*op.children[0]);
        input = binding_map(op.children[0]->bindings());
      }
      std::vector<ExprUPtr> exprs;
      for (const auto& e : p.exprs) exprs.push_back(compile(*e, input));
      auto types = detail::types_of(exprs);
      auto out = std::make_unique<ProjectionOp>(std::move(types), std::move(exprs));
      out->children.push_back(std::move(child));
      return out;
    }
    case K::Aggregate: return plan_aggregate(static_cast<const sql::LogicalAggregate&>(op));
    case K::Join: return plan_join(static_cast<const sql::LogicalJoin&>(op));
    case K::Order:
    case K::TopN: {
      auto child = plan(*op.children[0]);
      auto input = binding_map(op.children[0]->bindings());
      const auto& keys = op.kind == K::Order ? static_cast<const sql::LogicalOrder&>(op).keys
                                             : static_cast<const sql::LogicalTopN&>(op).keys;
      std::vector<OrderKeyExpr> ks;
      for (const auto& k : keys) ks.push_back({compile(*k.expr, input), k.descending, k.nulls_first});
      OperatorPtr out;
      if (op.kind == K::Order) {
        out = std::make_unique<OrderOp>(child->types(), std::move(ks));
      } else {
        const auto& t = static_cast<const sql::LogicalTopN&>(op);
        out = std::make_unique<TopNOp>(child->types(), std::move(ks), t.limit, t.offset);
      }
      out->children.push_back(std::move(child));
      return out;
    }
    case K::Limit: {
      const auto& l = static_cast<const sql::LogicalLimit&>(op);
      auto child = plan(*op.children[0]);
      if (l.limit > 0) {
        // A scan under projections only: each morsel needs to give no more than limit + offset rows.
        Operator* below = child.get();
        while (below->kind() == OperatorKind::Projection) below = below->children[0].get();
        if (below->kind() == OperatorKind::TableScan)
          static_cast<TableScanOp*>(below)->set_row_limit(static_cast<size_t>(l.limit + l.offset));
      }
      auto out = std::make_unique<LimitOp>(child->types(), l.limit, l.offset);
      out->children.push_back(std::move(child));
      return out;
    }
    case K::SetOp: return plan_set_op(static_cast<const sql::LogicalSetOp&>(op));
    case K::Values: {
      const auto& v = static_cast<const sql::LogicalValues&>(op);
      ChunkBuilder builder(v.value_types);
      BindingMap none;
      Chunk one({}, 1);
      for (const auto& row : v.rows) {
        for (size_t c = 0; c < row.size(); ++c) {
          auto e = compile(*row[c], none);
          Vec val = ExpressionExecutor::evaluate(*e, one, nullptr, 1);
          ColumnView view = val.view();
          if (view.column->type().id() == TypeId::Null || view.is_null(0)) builder.column(c).append_null();
          else builder.column(c).append_from(*view.column, view.row(0));
        }
        builder.finish_row();
      }
      std::vector<ChunkPtr> chunks = builder.finish();
      if (v.value_types.empty() && !v.rows.empty())
        chunks = {std::make_shared<const Chunk>(std::vector<ColumnPtr>{}, v.rows.size())};
      return std::make_unique<ChunkScanOp>(v.value_types, std::move(chunks), "VALUES " + std::to_string(v.rows.size()) + " rows");
    }
    case K::TableFunction: {
      const auto& t = static_cast<const sql::LogicalTableFunction&>(op);
      std::vector<size_t> cols(t.column_ids.begin(), t.column_ids.end());
      t.function->set_used_columns(cols);
      auto out = std::make_unique<TableFunctionOp>(t.name, t.function, cols, op.children.size());
      for (const auto& child : op.children) out->children.push_back(plan(*child));
      return out;
    }
    case K::Unnest: return plan_unnest(*this, static_cast<const sql::LogicalUnnest&>(op));
    case K::Window: return plan_window(*this, static_cast<const sql::LogicalWindow&>(op));
    default: visiondb::detail::throw_internal("no physical operator for " + op.describe());
  }
}

VISIONDB_INLINE OperatorPtr PhysicalPlanner::plan_get(const sql::LogicalGet& op) {
  // Scan the output columns and whatever the pushed filters read.
  std::vector<size_t> scan_columns;
  std::vector<size_t> outputs;
  BindingMap positions;
  auto add = [&](uint32_t schema_col) {
    sql::ColumnBinding b{op.table_index, schema_col};
    auto it = positions.find(b);
    if (it != positions.end()) return it->second;
    size_t pos = scan_columns.size();
    scan_columns.push_back(schema_col);
    positions.emplace(b, pos);
    return pos;
  };
  for (uint32_t c : op.column_ids) outputs.push_back(add(c));
  for (const auto& f : op.filters) {
    std::vector<sql::ColumnBinding> bs;
    sql::collect_bindings(*f, bs);
    for (const auto& b : bs) add(b.column);
  }
  const Schema& schema = op.source->source_schema();
  std::vector<std::string> names;
  std::vector<LogicalType> types;
  for (size_t c : scan_columns) {
    names.push_back(schema[c].name);
    types.push_back(schema[c].type);
  }
  std::vector<ExprUPtr> filters;
  for (const auto& f : op.filters) filters.push_back(compile(*f, positions));
  return std::make_unique<TableScanOp>(op.name, op.snapshot, std::move(scan_columns), std::move(names), std::move(types),
                                       std::move(filters), std::move(outputs));
}

VISIONDB_INLINE OperatorPtr PhysicalPlanner::plan_aggregate(const sql::LogicalAggregate& op) {
  auto child = plan(*op.children[0]);
  auto input = binding_map(op.children[0]->bindings());
  std::vector<ExprUPtr> groups;
  for (const auto& g : op.groups) groups.push_back(compile(*g, input));
  std::vector<AggregateSpec> aggs;
  for (const auto& a : op.aggregates) {
    const auto& agg = static_cast<const sql::BoundAggregate&>(*a);
    AggregateSpec spec;
    spec.function = agg.function;
    spec.text = agg.to_string();
    for (const auto& arg : agg.children) spec.args.push_back(compile(*arg, input));
    aggs.push_back(std::move(spec));
  }
  auto out = std::make_unique<HashAggregateOp>(op.types(), std::move(groups), std::move(aggs));
  out->children.push_back(std::move(child));
  return out;
}

VISIONDB_INLINE OperatorPtr PhysicalPlanner::plan_join(const sql::LogicalJoin& op) {
  using JT = sql::JoinType;
  const auto& lop = *op.children[0];
  const auto& rop = *op.children[1];
  auto lmap = binding_map(lop.bindings());
  auto rmap = binding_map(rop.bindings());
  // Equality conditions between the sides become hash keys; the rest is a residual.
  std::vector<const sql::BoundExpr*> lkeys, rkeys, residual;
  for (const auto& c : op.conditions) {
    if (c->kind == BoundExprKind::Function && c->children.size() == 2 &&
        static_cast<const sql::BoundFunction&>(*c).function->name() == "=" &&
        c->children[0]->type == c->children[1]->type &&
        c->children[0]->type.id() != TypeId::Array && c->children[0]->type.id() != TypeId::Object) {
      const auto& a = *c->children[0];
      const auto& b = *c->children[1];
      if (detail::reads_only(a, lmap) && detail::reads_only(b, rmap)) {
        lkeys.push_back(&a);
        rkeys.push_back(&b);
        continue;
      }
      if (detail::reads_only(a, rmap) && detail::reads_only(b, lmap)) {
        lkeys.push_back(&b);
        rkeys.push_back(&a);
        continue;
      }
    }
    residual.push_back(c.get());
  }
  JT type = op.join_type;
  bool swap = false;
  if (type == JT::Inner || type == JT::Left || type == JT::Right || type == JT::Full)
    swap = lop.estimate_rows() < rop.estimate_rows();
  const auto& pop = swap ? rop : lop;
  const auto& bop = swap ? lop : rop;
  auto& pkeys = swap ? rkeys : lkeys;
  auto& bkeys = swap ? lkeys : rkeys;
  if (swap) {
    if (type == JT::Left) type = JT::Right;
    else if (type == JT::Right) type = JT::Left;
  }
  auto probe = plan(pop);
  auto build = plan(bop);
  auto pmap = binding_map(pop.bindings());
  auto bmap = binding_map(bop.bindings());
  std::vector<ExprUPtr> pk, bk;
  for (auto* e : pkeys) pk.push_back(compile(*e, pmap));
  for (auto* e : bkeys) bk.push_back(compile(*e, bmap));
  ExprUPtr res;
  if (!residual.empty()) {
    BindingMap both = pmap;
    size_t np = pop.bindings().size();
    for (const auto& [b, i] : bmap) both.emplace(b, np + i);
    std::vector<sql::BoundExprPtr> terms;
    for (auto* r : residual) terms.push_back(r->clone());
    res = compile(*sql::make_and(std::move(terms)), both);
  }
  // The output: the logical join's columns, from the probe or the build side.
  const auto pb = pop.bindings(), bb = bop.bindings();
  std::vector<size_t> probe_out, build_out;
  std::vector<LogicalType> types;
  const auto ptypes = probe->types(), btypes = build->types();
  if (type == JT::Semi || type == JT::Anti || type == JT::Mark) {
    for (size_t i = 0; i < pb.size(); ++i) {
      probe_out.push_back(i);
      types.push_back(ptypes[i]);
    }
    if (type == JT::Mark) types.push_back(LogicalType::boolean());
    auto join = std::make_unique<HashJoinOp>(type, types, std::move(pk), std::move(bk), std::move(res),
                                             std::move(probe_out), std::move(build_out));
    join->children.push_back(std::move(probe));
    join->children.push_back(std::move(build));
    return join;
  }
  const auto wanted = op.bindings();
  // Positions of each wanted binding in the operator's output (probe columns first).
  std::vector<std::pair<bool, size_t>> where;  // (from probe, index)
  for (const auto& b : wanted) {
    auto it = std::find(pb.begin(), pb.end(), b);
    if (it != pb.end()) where.push_back({true, static_cast<size_t>(it - pb.begin())});
    else where.push_back({false, static_cast<size_t>(std::find(bb.begin(), bb.end(), b) - bb.begin())});
  }
  for (const auto& [from_probe, i] : where)
    if (from_probe) probe_out.push_back(i);
  for (const auto& [from_probe, i] : where)
    if (!from_probe) build_out.push_back(i);
  for (size_t i : probe_out) types.push_back(ptypes[i]);
  for (size_t i : build_out) types.push_back(btypes[i]);
  const size_t np = probe_out.size();
  std::vector<size_t> out_pos;  // output position of each wanted binding
  {
    size_t pi = 0, bi = 0;
    for (const auto& [from_probe, i] : where) out_pos.push_back(from_probe ? pi++ : np + bi++);
  }
  auto join = std::make_unique<HashJoinOp>(type, types, std::move(pk), std::move(bk), std::move(res),
                                           std::move(probe_out), std::move(build_out));
  join->children.push_back(std::move(probe));
  join->children.push_back(std::move(build));
  bool in_order = true;
  for (size_t k = 0; k < out_pos.size(); ++k) in_order &= out_pos[k] == k;
  if (in_order) return join;
  // Restore the logical column order.
  std::vector<ExprUPtr> reorder;
  for (size_t k = 0; k < out_pos.size(); ++k) reorder.push_back(make_column_expr(out_pos[k], types[out_pos[k]]));
  auto out_types = detail::types_of(reorder);
  auto proj = std::make_unique<ProjectionOp>(std::move(out_types), std::move(reorder));
  proj->children.push_back(std::move(join));
  return proj;
}

VISIONDB_INLINE OperatorPtr PhysicalPlanner::plan_set_op(const sql::LogicalSetOp& op) {
  auto left = plan(*op.children[0]);
  auto right = plan(*op.children[1]);
  OperatorPtr out;
  switch (op.set_kind) {
    case sql::SetOpKind::UnionAll:
    case sql::SetOpKind::Union: {
      out = std::make_unique<UnionAllOp>(op.output_types);
      out->children.push_back(std::move(left));
      out->children.push_back(std::move(right));
      if (op.set_kind == sql::SetOpKind::Union) {
        std::vector<ExprUPtr> groups;
        for (size_t i = 0; i < op.output_types.size(); ++i) groups.push_back(make_column_expr(i, op.output_types[i]));
        auto distinct = std::make_unique<HashAggregateOp>(op.output_types, std::move(groups), std::vector<AggregateSpec>{});
        distinct->children.push_back(std::move(out));
        out = std::move(distinct);
      }
      return out;
    }
    case sql::SetOpKind::Intersect:
    case sql::SetOpKind::Except:
      out = std::make_unique<SetOpOp>(op.output_types, op.set_kind == sql::SetOpKind::Intersect);
      out->children.push_back(std::move(left));
      out->children.push_back(std::move(right));
      return out;
  }
  return out;
}

VISIONDB_INLINE std::vector<ChunkPtr> execute_plan(const sql::LogicalOp& plan, ExecContext& ctx) {
  PhysicalPlanner planner(ctx);
  auto root = planner.plan(plan);
  Executor ex(ctx);
  return ex.run(*root);
}

VISIONDB_INLINE Value evaluate_constant_expr(const sql::BoundExpr& e) {
  ExecContext ctx;
  PhysicalPlanner planner(ctx);
  auto compiled = planner.compile(e, {});
  return ExpressionExecutor::evaluate_constant(*compiled);
}

}  // namespace visiondb::exec
