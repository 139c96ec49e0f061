// Out-of-line parts of sql_function.hpp.
#pragma once

#include "visiondb/config.hpp"
#include "visiondb/sql/parser.hpp"
#include "visiondb/sql/sql_function.hpp"

namespace visiondb::sql {

VISIONDB_INLINE SqlFunction::SqlFunction(QualifiedName name, std::vector<Param> params, std::optional<LogicalType> returns,
                                         std::string body_sql, bool temporary)
    : CatalogEntry(CatalogEntryKind::Function, std::move(name)),
      params_(std::move(params)),
      returns_(std::move(returns)),
      body_sql_(std::move(body_sql)),
      temporary_(temporary) {
  body_ = std::shared_ptr<const Expr>(parse_expression(body_sql_));
}

VISIONDB_INLINE std::string SqlFunction::signature() const {
  std::string out = this->name().name + "(";
  for (size_t i = 0; i < params_.size(); ++i)
    out += (i ? ", " : "") + params_[i].name + " " + (params_[i].type ? params_[i].type->to_string() : "ANY TYPE");
  out += ")";
  if (returns_) out += " RETURNS " + returns_->to_string();
  return out;
}

VISIONDB_INLINE std::string SqlFunction::describe() const {
  return std::string(temporary_ ? "temp " : "") + "function " + signature() + " AS (" + body_sql_ + ")";
}

}  // namespace visiondb::sql
