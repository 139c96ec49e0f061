// Out-of-line parts of binder.hpp: SQL functions. CREATE FUNCTION checks the body (when no
// parameter is ANY TYPE) and stores it; a call binds the body against a scope holding only the
// parameters, then replaces each parameter by the call's argument. Calls may nest; a function
// that reaches itself again is refused.
#pragma once

#include <algorithm>

#include "visiondb/config.hpp"
#include "visiondb/sql/ast_printer.hpp"
#include "visiondb/sql/detail/binder_state.hpp"
#include "visiondb/sql/sql_function.hpp"
#include "visiondb/storage/detail/text.hpp"

namespace visiondb::sql {

VISIONDB_INLINE std::shared_ptr<const SqlFunction> BinderImpl::find_sql_function(const IdentifierPath& name) const {
  if (name.parts.empty() || name.parts.size() > 3) return nullptr;
  QualifiedName qn = name.parts.size() == 1   ? QualifiedName{"", name.parts[0].name}
                     : name.parts.size() == 2 ? QualifiedName{name.parts[0].name, name.parts[1].name}
                                              : QualifiedName{name.parts[1].name, name.parts[2].name};
  return std::dynamic_pointer_cast<const SqlFunction>(catalog_.find(CatalogEntryKind::Function, qn));
}

VISIONDB_INLINE BoundExprPtr BinderImpl::bind_function_body(const Expr& body, const std::vector<std::string>& names,
                                                            const std::vector<LogicalType>& types, uint32_t index,
                                                            const std::string& function,
                                                            const std::optional<LogicalType>& returns) {
  for (const auto& f : function_stack_)
    if (f == function)
      detail::bind_error("SQL function " + function + " calls itself; recursive SQL functions are not allowed", body.span);
  // Only the parameters are visible: no column of the caller, no CTE.
  std::vector<Scope*> saved_scopes;
  std::vector<CteEntry> saved_ctes;
  saved_scopes.swap(scopes_);
  saved_ctes.swap(ctes_);
  Scope params;
  params.clause = "SQL function body";
  ScopeRelation rel;
  for (uint32_t k = 0; k < names.size(); ++k) rel.columns.push_back({names[k], types[k], {index, k}, true});
  params.relations.push_back(std::move(rel));
  scopes_.push_back(&params);
  function_stack_.push_back(function);
  auto restore = [&] {
    function_stack_.pop_back();
    scopes_.swap(saved_scopes);
    ctes_.swap(saved_ctes);
  };
  BoundExprPtr out;
  try {
    out = bind_expr(body);
  } catch (...) {
    restore();
    throw;
  }
  restore();
  if (returns) {
    bool ok;
    LogicalType t = common_supertype(out->type, *returns, ok);
    if (!ok || t != *returns)
      detail::type_error("SQL function " + function + " returns " + out->type.to_string() + " but is declared to return " +
                             returns->to_string(),
                         body.span);
    out = cast_to(std::move(out), *returns);
  } else if (out->type.id() == TypeId::Null) {
    out = cast_to(std::move(out), LogicalType::int64());
  }
  return out;
}

VISIONDB_INLINE BoundStatement BinderImpl::bind_create_function(const CreateFunctionStatement& s) {
  BoundStatement out;
  out.kind = BoundStatementKind::CreateFunction;
  out.span = s.span;
  out.name = qualified_name(s.name, "function");
  if (out.name.dataset.empty()) out.name.dataset = Catalog::kDefaultDataset;
  else if (!catalog_.has_dataset(out.name.dataset))
    detail::bind_error("dataset " + detail::quote_name(out.name.dataset) + " not found", s.name.span);
  out.or_replace = s.flags.or_replace;
  out.if_not_exists = s.flags.if_not_exists;
  const std::string lname = visiondb::detail::to_lower(s.name.to_string());
  if (s.name.parts.size() == 1 && (functions_.has_scalar(lname) || functions_.has_aggregate(lname)))
    detail::bind_error("function " + detail::quote_name(s.name.to_string()) + " is a built-in function; choose another name",
                       s.name.span);
  std::vector<SqlFunction::Param> params;
  std::vector<std::string> names;
  std::vector<LogicalType> types;
  bool templated = false;
  for (const auto& p : s.params) {
    for (const auto& n : names)
      if (visiondb::detail::iequals(n, p.name.name))
        detail::bind_error("duplicate parameter name " + detail::quote_name(p.name.name), p.name.span);
    SqlFunction::Param param;
    param.name = p.name.name;
    if (p.type.name == "ANY TYPE") {
      templated = true;
    } else {
      param.type = bind_type_name(p.type);
      types.push_back(*param.type);
    }
    names.push_back(param.name);
    params.push_back(std::move(param));
  }
  std::optional<LogicalType> returns;
  if (s.returns) returns = bind_type_name(*s.returns);
  bind_options(s.options);
  const std::string key = out.name.to_string();
  // The body must bind now unless a parameter takes any type (then it is checked per call).
  if (!templated) bind_function_body(*s.body, names, types, new_index(), key, returns);
  out.entry = std::make_shared<SqlFunction>(out.name, std::move(params), std::move(returns), to_sql(*s.body),
                                            s.flags.temporary);
  return out;
}

VISIONDB_INLINE BoundExprPtr BinderImpl::bind_sql_function_call(const SqlFunction& f, const FunctionCallExpr& e) {
  const std::string key = f.name().to_string();
  const std::string shown = e.name.to_string();
  if (e.safe) detail::bind_error("SAFE. is not supported for SQL function " + shown, e.span);
  if (e.distinct || e.star || !e.order_by.empty() || e.limit || e.null_handling != NullHandling::Default)
    detail::bind_error("SQL function " + shown + " is not an aggregate function", e.span);
  for (const auto& k : function_stack_)
    if (k == key)
      detail::bind_error("SQL function " + shown + " calls itself; recursive SQL functions are not allowed", e.span);
  std::vector<BoundExprPtr> args;
  for (const auto& a : e.args) {
    if (a.kind != FunctionArgKind::Expr || !a.name.empty())
      detail::bind_error("SQL function " + shown + " takes expressions only", a.span);
    args.push_back(bind_expr(*a.expr));
  }
  const auto& params = f.params();
  if (args.size() != params.size())
    detail::type_error("SQL function " + f.signature() + " expects " + std::to_string(params.size()) + " argument" +
                           (params.size() == 1 ? "" : "s") + ", got " + std::to_string(args.size()),
                       e.span);
  std::vector<std::string> names;
  std::vector<LogicalType> types;
  for (size_t i = 0; i < params.size(); ++i) {
    names.push_back(params[i].name);
    if (!params[i].type) {
      if (args[i]->type.id() == TypeId::Null) args[i] = cast_to(std::move(args[i]), LogicalType::int64());
      types.push_back(args[i]->type);
      continue;
    }
    const LogicalType& want = *params[i].type;
    bool ok;
    LogicalType t = common_supertype(args[i]->type, want, ok);
    if (!ok || t != want)
      detail::type_error("argument " + std::to_string(i + 1) + " (" + params[i].name + ") of SQL function " + shown +
                             " expects " + want.to_string() + ", got " + args[i]->type.to_string(),
                         e.args[i].span);
    args[i] = cast_to(std::move(args[i]), want);
    types.push_back(want);
  }
  const uint32_t index = new_index();
  BoundExprPtr body;
  try {
    body = bind_function_body(f.body(), names, types, index, key, f.returns());
  } catch (const SqlError& err) {
    // The body's positions are in its own text: report at the call, naming the function.
    throw SqlError(err.kind(), "in SQL function " + key + ": " + err.message(), e.span);
  }
  replace_column_refs(body, [&](const BoundColumnRef& r) -> BoundExprPtr {
    if (r.binding.table != index) return nullptr;
    return args[r.binding.column]->clone();
  });
  body->span = e.span;
  return body;
}

}  // namespace visiondb::sql
