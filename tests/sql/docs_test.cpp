// Every built-in function is documented in docs/sql.md (by its upper-case name).
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "visiondb/functions/registry.hpp"
#include "visiondb/storage/detail/text.hpp"

TEST(Docs, EveryFunctionIsInSqlMd) {
  const char* env = std::getenv("VISIONDB_SOURCE_DIR");
  std::ifstream in(std::string(env ? env : VISIONDB_SOURCE_DIR) + "/docs/sql.md");
  ASSERT_TRUE(in) << "docs/sql.md is missing";
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string doc = ss.str();
  for (const auto& f : visiondb::fn::Registry::builtins()->docs()) {
    const std::string& n = f.name;
    if (n.empty() || !std::isalpha(static_cast<unsigned char>(n[0]))) continue;  // operators: see the table
    std::string upper = visiondb::detail::to_upper(n);
    if (upper == "LIKE" || upper == "NOT LIKE") upper = "LIKE";
    EXPECT_NE(doc.find(upper), std::string::npos) << n << " is not documented in docs/sql.md";
  }
}
