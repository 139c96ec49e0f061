// Helpers of the SQL front-end tests: canonical printing with a round-trip check, and error capture.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "visiondb/sql/ast_printer.hpp"
#include "visiondb/sql/parser.hpp"

namespace visiondb::sql::testing {

/// The canonical text of one statement; fails the test unless printing it and parsing it again
/// gives the same canonical text (parse(print(parse(x))) == parse(x)).
inline std::string canon(std::string_view sql) {
  StatementPtr s = parse_statement(sql);
  std::string printed = to_sql(*s);
  std::string again;
  try {
    again = to_sql(*parse_statement(printed));
  } catch (const SqlError& e) {
    ADD_FAILURE() << "printed form does not parse: " << printed << "\n" << e.what();
  }
  EXPECT_EQ(again, printed) << "round trip of: " << sql;
  return printed;
}

/// One expression printed with every operand parenthesised: shows the tree's shape.
inline std::string tree(std::string_view sql) {
  ExprPtr e = parse_expression(sql);
  PrintOptions options;
  options.fully_parenthesized = true;
  std::string printed = to_sql(*e, options);
  EXPECT_EQ(to_sql(*parse_expression(printed), options), printed) << "round trip of: " << sql;
  return printed;
}

/// The SqlError that parsing sql throws (a default error with an empty message when none).
inline SqlError parse_error(std::string_view sql) {
  try {
    parse_script(sql);
  } catch (const SqlError& e) {
    return e;
  }
  ADD_FAILURE() << "expected a syntax error for: " << sql;
  return SqlError(ErrorKind::Internal, "");
}

/// The first statement of sql, cast to T.
template <class T>
const T& first_as(const std::vector<ScriptStatement>& script) {
  EXPECT_FALSE(script.empty());
  EXPECT_EQ(script.at(0).statement->kind, T::kKind);
  return script.at(0).statement->template as<T>();
}

}  // namespace visiondb::sql::testing
