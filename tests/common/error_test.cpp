#include "visiondb/common/error.hpp"

#include <gtest/gtest.h>

using namespace visiondb;

TEST(SqlError, RendersLineAndCaret) {
  SqlError e(ErrorKind::Bind, "column \"nmae\" not found in table \"people\"", SourceSpan{7, 4});
  e.attach_query("SELECT nmae FROM people");
  EXPECT_EQ(std::string(e.what()),
            "Binder Error: column \"nmae\" not found in table \"people\"\n"
            "LINE 1: SELECT nmae FROM people\n"
            "               ^~~~");
  EXPECT_EQ(e.position().line, 1u);
  EXPECT_EQ(e.position().column, 8u);
  EXPECT_EQ(e.kind(), ErrorKind::Bind);
}

TEST(SqlError, PicksTheRightLineOfAMultiLineStatement) {
  SqlError e(ErrorKind::Syntax, "unexpected \"FORM\"", SourceSpan{14, 4});
  e.attach_query("SELECT a,\n  b FORM t");
  EXPECT_EQ(std::string(e.what()),
            "Parser Error: unexpected \"FORM\"\n"
            "LINE 2:   b FORM t\n"
            "            ^~~~");
  EXPECT_EQ(e.position().line, 2u);
  EXPECT_EQ(e.position().column, 5u);
}

TEST(SqlError, WithoutQueryTextIsJustTheMessage) {
  SqlError e(ErrorKind::Execution, "division by zero");
  EXPECT_EQ(std::string(e.what()), "Execution Error: division by zero");
  EXPECT_FALSE(e.has_position());
}

TEST(Errors, NameTheFileAndTheTensor) {
  IoError io("/tmp/x.csv", "line 3, column 2: unterminated quoted field");
  EXPECT_EQ(std::string(io.what()), "\"/tmp/x.csv\": line 3, column 2: unterminated quoted field");
  ShapeError s("conv1.weight", {64, 3, 7, 7}, {64, 3, 3, 3});
  EXPECT_EQ(std::string(s.what()), "tensor \"conv1.weight\" has shape [64, 3, 3, 3], expected [64, 3, 7, 7]");
  EXPECT_EQ(s.kind(), ErrorKind::Shape);
}
