// A table-valued function registered by the caller runs through the binder, the planner (only the
// used output columns) and the executor (streaming over its TABLE input): the path ML.PREDICT takes.
#include <gtest/gtest.h>

#include "visiondb/api/database.hpp"
#include "visiondb/functions/registry.hpp"

using namespace visiondb;

namespace {

// repeat_rows(TABLE t, n): every row of t n times, with t's first column and a copy number.
class RepeatRows final : public sql::TableFunction {
 public:
  RepeatRows() : TableFunction("test.repeat_rows") {}
  std::shared_ptr<sql::BoundTableFunction> bind(std::vector<sql::TableFunctionArgument>& args, SourceSpan span) const override {
    if (args.size() != 2 || args[0].kind != sql::TableFunctionArgument::Kind::Table ||
        args[1].value.type().id() != TypeId::Int64)
      throw SqlError(ErrorKind::Type, "repeat_rows(TABLE t, INT64 n)", span);
    auto b = std::make_shared<Bound>();
    b->n = args[1].value.as_int64();
    b->names = {args[0].input_names[0], "copy", "expensive"};
    b->types = {args[0].input_types[0], LogicalType::int64(), LogicalType::string()};
    last = b;
    return b;
  }
  struct Bound final : sql::BoundTableFunction {
    int64_t n = 1;
    std::vector<size_t> used;
    void set_used_columns(const std::vector<size_t>& u) override { used = u; }
    void execute(const Chunk* input, sql::TableFunctionState*, std::vector<Chunk>& out) const override {
      Column first(types[0]), copy(LogicalType::int64()), expensive(LogicalType::string());
      bool want_expensive = std::find(used.begin(), used.end(), 2) != used.end();
      for (size_t i = 0; i < input->size(); ++i)
        for (int64_t k = 0; k < n; ++k) {
          first.append_from(input->column(0), input->physical_row(i));
          copy.append_int64(k);
          want_expensive ? expensive.append_string("computed") : expensive.append_null();
        }
      size_t rows = copy.size();
      out.emplace_back(std::vector<ColumnPtr>{std::make_shared<const Column>(std::move(first)),
                                              std::make_shared<const Column>(std::move(copy)),
                                              std::make_shared<const Column>(std::move(expensive))},
                       rows);
    }
  };
  static inline std::shared_ptr<const Bound> last;
};

}  // namespace

TEST(TableFunction, StreamsItsInputAndComputesOnlyUsedColumns) {
  Database db;
  db.functions().add_table_function(std::make_shared<RepeatRows>(), "test");
  db.query("CREATE TABLE t (x INT64, y STRING)");
  db.query("INSERT INTO t VALUES (1, 'a'), (2, 'b'), (3, 'c')");
  auto r = db.query("SELECT x, copy FROM test.repeat_rows(TABLE t, 2) WHERE x > 1 ORDER BY x, copy");
  ASSERT_EQ(r.row_count(), 4u);
  EXPECT_EQ(r.get_as<int64_t>(0, 0), 2);
  EXPECT_EQ(r.get_as<int64_t>(3, 1), 1);
  ASSERT_NE(RepeatRows::last, nullptr);
  EXPECT_EQ(RepeatRows::last->used, (std::vector<size_t>{0, 1}));  // "expensive" is never asked for
  auto q = db.query("SELECT COUNT(*), MIN(expensive) FROM test.repeat_rows((SELECT x FROM t WHERE x < 3), 5)");
  EXPECT_EQ(q.get_as<int64_t>(0, 0), 10);
  EXPECT_EQ(q.get_as<std::string>(0, 1), "computed");
  EXPECT_THROW(db.query("SELECT * FROM test.repeat_rows(TABLE t, 'x')"), SqlError);
  try {
    db.query("SELECT * FROM test.repeat_row(TABLE t, 1)");
    FAIL();
  } catch (const SqlError& e) {
    EXPECT_NE(std::string(e.what()).find("table function \"test.repeat_row\" not found"), std::string::npos);
  }
}
