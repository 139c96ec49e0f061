// Out-of-line parts of ast_type.hpp.
#pragma once

#include "visiondb/sql/detail/char_class.hpp"
#include "visiondb/sql/ast_type.hpp"
#include "visiondb/sql/token.hpp"

namespace visiondb::sql {

VISIONDB_INLINE std::string IdentifierPath::to_string() const {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i) out += '.';
    out += parts[i].name;
  }
  return out;
}

VISIONDB_INLINE TypeName TypeName::clone() const {
  TypeName copy;
  copy.span = span;
  copy.name = name;
  copy.parameters = parameters;
  if (element) copy.element = std::make_unique<TypeName>(element->clone());
  copy.fields.reserve(fields.size());
  for (const TypeField& f : fields) copy.fields.push_back(TypeField{f.name, f.type.clone()});
  return copy;
}

VISIONDB_INLINE std::string canonical_type_name(std::string_view name) {
  std::string upper(name);
  for (char& c : upper) c = detail::ascii_upper(c);
  if (upper == "INT" || upper == "INTEGER" || upper == "BIGINT" || upper == "SMALLINT" || upper == "TINYINT" ||
      upper == "BYTEINT")
    return "INT64";
  if (upper == "BOOLEAN") return "BOOL";
  if (upper == "DECIMAL") return "NUMERIC";
  if (upper == "BIGDECIMAL") return "BIGNUMERIC";
  return upper;
}

}  // namespace visiondb::sql
