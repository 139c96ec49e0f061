// Operators on hand-built tables, each at 1 and at 4 worker tasks, against plain C++ references.
#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <map>
#include <numeric>
#include <optional>
#include <set>
#include <unordered_map>
#include <random>

#include "visiondb/execution/executor.hpp"
#include "visiondb/execution/operators/filter.hpp"
#include "visiondb/execution/operators/hash_aggregate.hpp"
#include "visiondb/execution/operators/hash_join.hpp"
#include "visiondb/execution/operators/limit.hpp"
#include "visiondb/execution/operators/order_by.hpp"
#include "visiondb/execution/operators/table_scan.hpp"
#include "visiondb/functions/registry.hpp"

using namespace visiondb;
using namespace visiondb::exec;

namespace {

// A table of (key INT64 with NULLs, value FLOAT64, name STRING) rows.
struct Rows {
  std::vector<std::optional<int64_t>> key;
  std::vector<double> value;
  std::vector<std::string> name;
};

Rows make_rows(size_t n, int64_t distinct, uint32_t seed) {
  std::mt19937 rng(seed);
  Rows r;
  for (size_t i = 0; i < n; ++i) {
    if (rng() % 50 == 0) r.key.push_back(std::nullopt);
    else r.key.push_back(static_cast<int64_t>(rng() % static_cast<uint32_t>(distinct)));
    r.value.push_back(static_cast<double>(rng() % 1000) / 8.0);
    r.name.push_back("n" + std::to_string(rng() % 7));
  }
  return r;
}

std::shared_ptr<const SourceSnapshot> snapshot_of(const Rows& r) {
  ChunkBuilder b({LogicalType::int64(), LogicalType::float64(), LogicalType::string()});
  for (size_t i = 0; i < r.key.size(); ++i)
    b.append_row({r.key[i] ? Value::int64(*r.key[i]) : Value::null(LogicalType::int64()), Value::float64(r.value[i]),
                  Value::string(r.name[i])});
  auto data = std::make_shared<TableData>();
  data->chunks = b.finish();
  data->rows = r.key.size();
  return std::make_shared<TableSnapshot>(data);
}

OperatorPtr scan(const std::shared_ptr<const SourceSnapshot>& snap, std::vector<ExprUPtr> filters = {}) {
  return std::make_unique<TableScanOp>("t", snap, std::vector<size_t>{0, 1, 2},
                                       std::vector<std::string>{"key", "value", "name"},
                                       std::vector<LogicalType>{LogicalType::int64(), LogicalType::float64(), LogicalType::string()},
                                       std::move(filters), std::vector<size_t>{0, 1, 2});
}

std::vector<std::vector<Value>> rows_of(const std::vector<ChunkPtr>& chunks) {
  std::vector<std::vector<Value>> out;
  for (const auto& c : chunks)
    for (size_t i = 0; i < c->size(); ++i) {
      std::vector<Value> row;
      for (size_t k = 0; k < c->column_count(); ++k) row.push_back(c->get(k, i));
      out.push_back(std::move(row));
    }
  return out;
}

ExprUPtr call(const std::string& name, ExprUPtr a, ExprUPtr b) {
  auto r = fn::Registry::builtins()->resolve_scalar(name, {a->type, b->type}, {});
  auto e = std::make_unique<Expr>();
  e->kind = BoundExprKind::Function;
  e->type = r.function->return_type();
  e->function = r.function;
  e->text = name;
  e->children.push_back(std::move(a));
  e->children.push_back(std::move(b));
  return e;
}

class Threads : public ::testing::TestWithParam<int> {};

}  // namespace

TEST_P(Threads, ScanFilterKeepsScanOrderAndSkipsNulls) {
  Rows r = make_rows(10000, 100, 1);
  std::vector<ExprUPtr> filters;
  filters.push_back(call("<", make_column_expr(0, LogicalType::int64()), make_constant_expr(Value::int64(10))));
  auto op = scan(snapshot_of(r), std::move(filters));
  ExecContext ctx;
  ctx.threads = GetParam();
  Executor ex(ctx);
  auto got = rows_of(ex.run(*op));
  std::vector<int64_t> want;
  for (size_t i = 0; i < r.key.size(); ++i)
    if (r.key[i] && *r.key[i] < 10) want.push_back(static_cast<int64_t>(i));
  ASSERT_EQ(got.size(), want.size());
  for (size_t k = 0; k < want.size(); ++k) EXPECT_EQ(got[k][1], Value::float64(r.value[static_cast<size_t>(want[k])]));
}

// GROUP BY key: COUNT(*), SUM(value), COUNT(DISTINCT name), against a std::map.
void expect_aggregate_matches_a_map(const Rows& r, int threads) {
  std::vector<ExprUPtr> groups;
  groups.push_back(make_column_expr(0, LogicalType::int64()));
  auto reg = fn::Registry::builtins();
  std::vector<AggregateSpec> aggs;
  AggregateSpec count;
  count.function = reg->resolve_aggregate("count", {}, false, {}).function;
  aggs.push_back(std::move(count));
  AggregateSpec sum;
  sum.function = reg->resolve_aggregate("sum", {LogicalType::float64()}, false, {}).function;
  sum.args.push_back(make_column_expr(1, LogicalType::float64()));
  aggs.push_back(std::move(sum));
  AggregateSpec distinct;
  distinct.function = reg->resolve_aggregate("count", {LogicalType::string()}, true, {}).function;
  distinct.args.push_back(make_column_expr(2, LogicalType::string()));
  aggs.push_back(std::move(distinct));
  auto agg = std::make_unique<HashAggregateOp>(
      std::vector<LogicalType>{LogicalType::int64(), LogicalType::int64(), LogicalType::float64(), LogicalType::int64()},
      std::move(groups), std::move(aggs));
  agg->children.push_back(scan(snapshot_of(r)));
  ExecContext ctx;
  ctx.threads = threads;
  Executor ex(ctx);
  auto got = rows_of(ex.run(*agg));
  struct G {
    int64_t n = 0;
    double sum = 0;
    std::set<std::string> names;
  };
  std::map<std::optional<int64_t>, G> want;
  for (size_t i = 0; i < r.key.size(); ++i) {
    auto& g = want[r.key[i]];
    ++g.n;
    g.sum += r.value[i];
    g.names.insert(r.name[i]);
  }
  ASSERT_EQ(got.size(), want.size());
  for (const auto& row : got) {
    std::optional<int64_t> key = row[0].is_null() ? std::nullopt : std::optional<int64_t>(row[0].as_int64());
    auto it = want.find(key);
    ASSERT_NE(it, want.end());
    EXPECT_EQ(row[1].as_int64(), it->second.n);
    EXPECT_NEAR(row[2].as_float64(), it->second.sum, 1e-9);  // multiples of 1/8: exact anyway
    EXPECT_EQ(row[3].as_int64(), static_cast<int64_t>(it->second.names.size()));
  }
}

TEST_P(Threads, HashAggregateMatchesAMap) {
  expect_aggregate_matches_a_map(make_rows(30000, 9000, 2), GetParam());  // enough groups for the partitioned merge
}

TEST_P(Threads, HashAggregateKeyLayoutsMatchAMap) {
  const Rows r = make_rows(30000, 9000, 21);
  auto keys = [&](auto f) {
    Rows out = r;
    for (size_t i = 0; i < out.key.size(); ++i)
      if (out.key[i]) out.key[i] = f(i, *out.key[i]);
    return out;
  };
  // Negative keys around zero (the key-indexed directory).
  expect_aggregate_matches_a_map(keys([](size_t, int64_t k) { return k - 4500; }), GetParam());
  // Keys rising through the input, then falling below the first ones: the directory widens both ways.
  expect_aggregate_matches_a_map(keys([](size_t i, int64_t k) { return i < 20000 ? static_cast<int64_t>(i / 3) : -k; }),
                                 GetParam());
  // Sparse keys: hashed from the start.
  expect_aggregate_matches_a_map(keys([](size_t, int64_t k) { return k * 1000003 - 2000000000; }), GetParam());
  // Dense keys, then a few far away: the groups move from the directory into the hash table.
  expect_aggregate_matches_a_map(keys([](size_t i, int64_t k) {
                                   if (i > 25000 && k % 7 == 0) return std::numeric_limits<int64_t>::max() - k;
                                   if (i > 28000 && k % 5 == 0) return std::numeric_limits<int64_t>::min() + k;
                                   return k;
                                 }),
                                 GetParam());
}

// Every join type against nested loops; the build side's value and name (a string) are output.
// probe_min_value > 0 filters the probe side on value >= it in its scan (a selection vector).
void expect_joins_match_nested_loops(const Rows& probe, const Rows& build, int threads, double probe_min_value = 0) {
  auto probe_snap = snapshot_of(probe), build_snap = snapshot_of(build);
  for (sql::JoinType type : {sql::JoinType::Inner, sql::JoinType::Left, sql::JoinType::Right, sql::JoinType::Full,
                             sql::JoinType::Semi, sql::JoinType::Anti}) {
    std::vector<ExprUPtr> pk, bk;
    pk.push_back(make_column_expr(0, LogicalType::int64()));
    bk.push_back(make_column_expr(0, LogicalType::int64()));
    bool pairs = type != sql::JoinType::Semi && type != sql::JoinType::Anti;
    std::vector<LogicalType> types{LogicalType::int64(), LogicalType::float64()};
    std::vector<size_t> probe_out{0, 1}, build_out;
    if (pairs) {
      types.push_back(LogicalType::float64());
      types.push_back(LogicalType::string());
      build_out = {1, 2};
    }
    auto join = std::make_unique<HashJoinOp>(type, types, std::move(pk), std::move(bk), nullptr, probe_out, build_out);
    std::vector<ExprUPtr> filters;
    if (probe_min_value > 0)
      filters.push_back(call(">=", make_column_expr(1, LogicalType::float64()), make_constant_expr(Value::float64(probe_min_value))));
    join->children.push_back(scan(probe_snap, std::move(filters)));
    join->children.push_back(scan(build_snap));
    ExecContext ctx;
    ctx.threads = threads;
    Executor ex(ctx);
    auto got = rows_of(ex.run(*join));
    // Reference, as multisets of printed rows.
    std::vector<std::string> want;
    std::vector<bool> build_matched(build.key.size(), false);
    for (size_t i = 0; i < probe.key.size(); ++i) {
      if (probe.value[i] < probe_min_value) continue;
      bool matched = false;
      for (size_t j = 0; j < build.key.size(); ++j) {
        if (!probe.key[i] || !build.key[j] || *probe.key[i] != *build.key[j]) continue;
        matched = true;
        build_matched[j] = true;
        if (pairs)
          want.push_back(std::to_string(*probe.key[i]) + "|" + std::to_string(probe.value[i]) + "|" +
                         std::to_string(build.value[j]) + "|" + build.name[j]);
      }
      std::string key = probe.key[i] ? std::to_string(*probe.key[i]) : "NULL";
      if (!matched && (type == sql::JoinType::Left || type == sql::JoinType::Full))
        want.push_back(key + "|" + std::to_string(probe.value[i]) + "|NULL|NULL");
      if (matched && type == sql::JoinType::Semi) want.push_back(key + "|" + std::to_string(probe.value[i]));
      if (!matched && type == sql::JoinType::Anti) want.push_back(key + "|" + std::to_string(probe.value[i]));
    }
    if (type == sql::JoinType::Right || type == sql::JoinType::Full)
      for (size_t j = 0; j < build.key.size(); ++j)
        if (!build_matched[j]) want.push_back("NULL|NULL|" + std::to_string(build.value[j]) + "|" + build.name[j]);
    std::vector<std::string> have;
    for (const auto& row : got) {
      std::string s;
      for (size_t k = 0; k < row.size(); ++k) {
        if (k) s += "|";
        if (row[k].is_null()) s += "NULL";
        else if (row[k].type().id() == TypeId::Float64) s += std::to_string(row[k].as_float64());
        else s += row[k].to_string();
      }
      have.push_back(s);
    }
    std::sort(want.begin(), want.end());
    std::sort(have.begin(), have.end());
    EXPECT_EQ(have, want) << "join type " << sql::join_type_name(type);
  }
}

// Keys k -> f(k) on both sides.
template <class F>
Rows with_keys(Rows r, F f) {
  for (auto& k : r.key)
    if (k) k = f(*k);
  return r;
}

TEST_P(Threads, HashJoinTypesMatchNestedLoops) {
  // Small dense keys with duplicates on both sides (the key-indexed directory).
  expect_joins_match_nested_loops(make_rows(5000, 300, 3), make_rows(700, 400, 4), GetParam());
}

TEST_P(Threads, HashJoinKeyLayoutsMatchNestedLoops) {
  const Rows probe = make_rows(3000, 500, 11), build = make_rows(400, 500, 12);
  // Negative keys around zero, a range the directory covers.
  auto shifted = [](int64_t k) { return k - 250; };
  expect_joins_match_nested_loops(with_keys(probe, shifted), with_keys(build, shifted), GetParam());
  // Sparse keys: too wide a range for a directory, so hashed.
  auto sparse = [](int64_t k) { return k * 1000003 - 200000000; };
  expect_joins_match_nested_loops(with_keys(probe, sparse), with_keys(build, sparse), GetParam());
  // The extremes of INT64: a range that does not fit 64 bits.
  auto extremes = [](int64_t k) {
    return k == 0 ? std::numeric_limits<int64_t>::min() : k == 1 ? std::numeric_limits<int64_t>::max() : k;
  };
  expect_joins_match_nested_loops(with_keys(probe, extremes), with_keys(build, extremes), GetParam());
  // Unique build keys (every probe row matches at most one), some probe keys out of range.
  Rows unique;
  for (int64_t k = 0; k < 450; ++k) {
    unique.key.push_back(k == 17 ? std::nullopt : std::optional<int64_t>((k * 37) % 450 + 20));
    unique.value.push_back(static_cast<double>(k) / 4.0);
    unique.name.push_back(k % 3 ? "short" + std::to_string(k) : "a name longer than twelve bytes " + std::to_string(k));
  }
  expect_joins_match_nested_loops(probe, unique, GetParam());
  // The same with the probe side filtered: its rows arrive through a selection vector.
  expect_joins_match_nested_loops(probe, unique, GetParam(), 60.0);
  expect_joins_match_nested_loops(with_keys(probe, shifted), with_keys(build, shifted), GetParam(), 60.0);
}

TEST_P(Threads, OrderAndTopNMatchAStableSort) {
  Rows r = make_rows(9000, 50, 5);
  auto snap = snapshot_of(r);
  // Reference: key DESC NULLS LAST, then scan order (rows that tie keep their order).
  std::vector<size_t> idx(r.key.size());
  std::iota(idx.begin(), idx.end(), 0);
  std::stable_sort(idx.begin(), idx.end(), [&](size_t a, size_t b) {
    if (!r.key[a] || !r.key[b]) return r.key[a].has_value() && !r.key[b].has_value();
    return *r.key[a] > *r.key[b];
  });
  for (int64_t limit : {-1, 0, 1, 37, 5000}) {
    std::vector<OrderKeyExpr> keys;
    keys.push_back({make_column_expr(0, LogicalType::int64()), true, false});
    std::vector<LogicalType> types{LogicalType::int64(), LogicalType::float64(), LogicalType::string()};
    OperatorPtr op;
    if (limit < 0) op = std::make_unique<OrderOp>(types, std::move(keys));
    else op = std::make_unique<TopNOp>(types, std::move(keys), limit, 3);
    op->children.push_back(scan(snap));
    ExecContext ctx;
    ctx.threads = GetParam();
    Executor ex(ctx);
    auto got = rows_of(ex.run(*op));
    size_t first = limit < 0 ? 0 : 3;
    size_t count = limit < 0 ? idx.size() : std::min<size_t>(static_cast<size_t>(limit), idx.size() - 3);
    ASSERT_EQ(got.size(), count) << "limit " << limit;
    for (size_t k = 0; k < count; ++k) EXPECT_EQ(got[k][1], Value::float64(r.value[idx[first + k]])) << "row " << k;
  }
}

TEST_P(Threads, LimitTakesTheFirstRowsInScanOrder) {
  Rows r = make_rows(20000, 10, 6);
  auto limit = std::make_unique<LimitOp>(std::vector<LogicalType>{LogicalType::int64(), LogicalType::float64(), LogicalType::string()},
                                         5, 2047);
  limit->children.push_back(scan(snapshot_of(r)));
  ExecContext ctx;
  ctx.threads = GetParam();
  Executor ex(ctx);
  auto got = rows_of(ex.run(*limit));
  ASSERT_EQ(got.size(), 5u);
  for (size_t k = 0; k < 5; ++k) EXPECT_EQ(got[k][1], Value::float64(r.value[2047 + k]));
}

INSTANTIATE_TEST_SUITE_P(Workers, Threads, ::testing::Values(1, 4));

TEST_P(Threads, LargeBuildSidesArePartitioned) {
  // More than 65536 build rows: the hash table is built as partitions in parallel.
  Rows probe = make_rows(150000, 120000, 7);
  Rows build = make_rows(100000, 120000, 8);
  std::unordered_map<int64_t, int64_t> build_count;
  for (const auto& k : build.key)
    if (k) ++build_count[*k];
  for (bool left : {false, true}) {
    std::vector<ExprUPtr> pk, bk;
    pk.push_back(make_column_expr(0, LogicalType::int64()));
    bk.push_back(make_column_expr(0, LogicalType::int64()));
    auto join = std::make_unique<HashJoinOp>(left ? sql::JoinType::Left : sql::JoinType::Inner,
                                             std::vector<LogicalType>{LogicalType::int64(), LogicalType::int64()},
                                             std::move(pk), std::move(bk), nullptr, std::vector<size_t>{0},
                                             std::vector<size_t>{0});
    join->children.push_back(scan(snapshot_of(probe)));
    join->children.push_back(scan(snapshot_of(build)));
    ExecContext ctx;
    ctx.threads = GetParam();
    Executor ex(ctx);
    auto got = rows_of(ex.run(*join));
    size_t want = 0;
    for (const auto& k : probe.key) {
      size_t m = k && build_count.count(*k) ? static_cast<size_t>(build_count[*k]) : 0;
      want += m ? m : (left ? 1 : 0);
    }
    EXPECT_EQ(got.size(), want);
    for (const auto& row : got)
      if (!row[1].is_null()) ASSERT_EQ(row[0], row[1]);
  }
}
