#include "visiondb/functions/scalar/regexp.hpp"

#include <gtest/gtest.h>
#include <re2/re2.h>

using namespace visiondb;

TEST(Regexp, RequiredLiteralIsConservative) {
  EXPECT_EQ(fn::regexp_required_literal(R"(img_[0-9]*77\.jpg$)"), "77.jpg");
  EXPECT_EQ(fn::regexp_required_literal("abc*"), "ab");
  EXPECT_EQ(fn::regexp_required_literal("ab+c"), "ab");
  EXPECT_EQ(fn::regexp_required_literal("ab?c"), "");
  EXPECT_EQ(fn::regexp_required_literal("(abc)?x"), "");
  EXPECT_EQ(fn::regexp_required_literal("abc|xyz"), "");
  EXPECT_EQ(fn::regexp_required_literal(R"(\pLabc)"), "");
  // Counted repetition makes the previous character optional; one-character classes break the run.
  EXPECT_EQ(fn::regexp_required_literal("ab{0}cd"), "cd");
  EXPECT_EQ(fn::regexp_required_literal(R"(\d+abc\w)"), "abc");
}

TEST(Regexp, PrefilterNeverChangesAnswers) {
  const char* patterns[] = {R"(img_[0-9]*77\.jpg$)", "ab+c", "x.*yz+", R"(\.jpg$)", "^a[b-d]{2}ef"};
  const char* texts[] = {"img_177.jpg", "img_77.jpg", "img_7.jpg", "abbbc", "ac", "xqqyzz", "a.jpg", "abcef", "acdef", "aef"};
  auto fns = fn::RegexpContainsFunction::overloads();
  const auto& f = *fns[0];
  for (const char* p : patterns) {
    Value pat = Value::string(p);
    const Value* constants[] = {nullptr, &pat};
    auto prepared = f.prepare(constants);
    Column text(LogicalType::string()), pc(LogicalType::string());
    for (const char* t : texts) text.append_string(t);
    pc.append_string(p);
    ColumnView args[] = {ColumnView(&text), ColumnView(&pc, nullptr, true)};
    Column out(LogicalType::boolean());
    sql::FunctionContext ctx{prepared.get(), false};
    f.execute(args, std::size(texts), out, ctx);
    re2::RE2 plain(p);
    for (size_t i = 0; i < std::size(texts); ++i)
      EXPECT_EQ(out.get(i).as_bool(), re2::RE2::PartialMatch(texts[i], plain)) << p << " on " << texts[i];
  }
}
