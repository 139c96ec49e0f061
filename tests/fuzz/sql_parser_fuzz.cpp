// libFuzzer target for the SQL front end: any input either parses or throws SqlError; what parses
// prints to SQL that parses back to the same canonical text (the round-trip property).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "visiondb/sql/ast_printer.hpp"
#include "visiondb/sql/lexer.hpp"
#include "visiondb/sql/parser.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view sql(reinterpret_cast<const char*>(data), size);
  (void)visiondb::sql::is_complete_statement(sql);
  try {
    (void)visiondb::sql::split_statements(sql);
  } catch (const visiondb::SqlError&) {
  }
  std::vector<visiondb::sql::ScriptStatement> script;
  try {
    script = visiondb::sql::parse_script(sql);
  } catch (const visiondb::SqlError&) {
    return 0;
  }
  for (const auto& s : script) {
    std::string printed = visiondb::sql::to_sql(*s.statement);
    std::string reprinted;
    try {
      reprinted = visiondb::sql::to_sql(*visiondb::sql::parse_statement(printed));
    } catch (const visiondb::SqlError& e) {
      std::fprintf(stderr, "printed form does not parse:\n%s\n%s\n", printed.c_str(), e.what());
      std::abort();
    }
    if (reprinted != printed) {
      std::fprintf(stderr, "round trip changed the statement:\n%s\n%s\n", printed.c_str(), reprinted.c_str());
      std::abort();
    }
  }
  return 0;
}
