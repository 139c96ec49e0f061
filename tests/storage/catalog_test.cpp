#include "visiondb/storage/catalog.hpp"

#include <gtest/gtest.h>

#include "visiondb/common/error.hpp"
#include "visiondb/storage/table.hpp"

using namespace visiondb;

namespace {
std::shared_ptr<Table> make_table(std::string ds, std::string name) {
  return std::make_shared<Table>(QualifiedName{std::move(ds), std::move(name)},
                                 Schema({{"id", LogicalType::int64()}, {"uri", LogicalType::string()}}));
}
}  // namespace

TEST(Catalog, DatasetsAndTables) {
  Catalog cat;
  EXPECT_TRUE(cat.has_dataset("main"));
  cat.create_dataset("yoga_set");
  EXPECT_THROW(cat.create_dataset("yoga_set"), SqlError);
  cat.create_dataset("yoga_set", /*if_not_exists=*/true);
  cat.create(make_table("yoga_set", "poses"));
  EXPECT_NE(cat.find(CatalogEntryKind::Table, {"yoga_set", "poses"}), nullptr);
  EXPECT_EQ(cat.find(CatalogEntryKind::Table, {"yoga_set", "Poses"}), nullptr);  // table names are case-sensitive
  EXPECT_EQ(cat.find(CatalogEntryKind::Model, {"yoga_set", "poses"}), nullptr);   // models have their own namespace
  try {
    cat.create(make_table("yoga_set", "poses"));
    FAIL();
  } catch (const SqlError& e) {
    EXPECT_EQ(e.message(), "table \"yoga_set.poses\" already exists");
  }
  cat.create(make_table("yoga_set", "poses"), /*replace=*/true);
  EXPECT_THROW(cat.create(make_table("nope", "t")), SqlError);
  try {
    cat.drop_dataset("yoga_set");
    FAIL();
  } catch (const SqlError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Constraint);
  }
  cat.drop_dataset("yoga_set", false, /*cascade=*/true);
  EXPECT_FALSE(cat.has_dataset("yoga_set"));
  EXPECT_FALSE(cat.drop(CatalogEntryKind::Table, {"main", "x"}, /*if_exists=*/true));
  EXPECT_THROW(cat.drop(CatalogEntryKind::Table, {"main", "x"}), SqlError);
}

TEST(Table, SnapshotsSurviveCommits) {
  auto t = make_table("main", "t");
  auto before = t->snapshot();
  ChunkBuilder b(t->schema().types());
  b.append_row({Value::int64(1), Value::string("a")});
  auto data = std::make_shared<TableData>();
  data->chunks = b.finish();
  data->rows = 1;
  t->commit(data);
  EXPECT_EQ(before->rows, 0u);
  EXPECT_EQ(t->row_count(), 1u);
  EXPECT_EQ(t->schema().find("URI"), 1);
}
