// UnionAllOp (UNION ALL: both inputs, left first) and SetOpOp (INTERSECT DISTINCT, EXCEPT
// DISTINCT: the distinct rows of the left input found / not found in the right one; NULLs compare
// equal here, as SQL's set operations require). UNION DISTINCT is UNION ALL under a DISTINCT.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "visiondb/execution/executor.hpp"
#include "visiondb/execution/group_table.hpp"
#include "visiondb/execution/operator.hpp"

namespace visiondb::exec {

class UnionAllOp final : public Operator {
 public:
  explicit UnionAllOp(std::vector<LogicalType> types) : Operator(OperatorKind::UnionAll, std::move(types)) {}
  OperatorRole role() const override { return OperatorRole::Sink; }
  std::string describe() const override { return "UNION_ALL"; }
  std::vector<ChunkPtr> materialize(ExecContext&, Executor& ex) const override {
    auto out = ex.run(*children[0]);
    auto right = ex.run(*children[1]);
    out.insert(out.end(), right.begin(), right.end());
    return out;
  }
};

class SetOpOp final : public Operator {
 public:
  SetOpOp(std::vector<LogicalType> types, bool intersect)
      : Operator(OperatorKind::SetOp, std::move(types)), intersect_(intersect) {}
  OperatorRole role() const override { return OperatorRole::Sink; }
  std::string describe() const override { return intersect_ ? "INTERSECT_DISTINCT" : "EXCEPT_DISTINCT"; }
  std::vector<ChunkPtr> materialize(ExecContext&, Executor& ex) const override {
    KeyEncoder encoder(types());
    GroupTable right(encoder, {});
    GroupTable left(encoder, {});
    EncodedKeys keys;
    std::vector<uint32_t> gids;
    auto add = [&](GroupTable& t, const std::vector<ChunkPtr>& chunks) {
      for (const auto& c : chunks) {
        std::vector<ColumnView> views;
        for (size_t k = 0; k < c->column_count(); ++k)
          views.emplace_back(&c->column(k), c->has_selection() ? c->selection()->data() : nullptr);
        encoder.encode(views, c->size(), keys);
        gids.resize(c->size());
        t.find_or_create(keys, views, gids.data());
      }
    };
    add(left, ex.run(*children[0]));
    add(right, ex.run(*children[1]));
    // Probe the right table with the left table's distinct rows.
    std::vector<uint32_t> keep;
    const auto& cols = left.key_columns();
    for (size_t first = 0; first < left.size(); first += kVectorSize) {
      size_t n = std::min(kVectorSize, left.size() - first);
      std::vector<ColumnView> views;
      std::vector<uint32_t> idx(n);
      for (size_t i = 0; i < n; ++i) idx[i] = static_cast<uint32_t>(first + i);
      for (const auto& c : cols) views.emplace_back(&c, idx.data());
      encoder.encode(views, n, keys);
      gids.resize(n);
      right.find(keys, gids.data());
      for (size_t i = 0; i < n; ++i)
        if ((gids[i] != UINT32_MAX) == intersect_) keep.push_back(static_cast<uint32_t>(first + i));
    }
    std::vector<ChunkPtr> out;
    for (size_t first = 0; first < keep.size(); first += kVectorSize) {
      size_t n = std::min(kVectorSize, keep.size() - first);
      std::vector<ColumnPtr> outc;
      for (const auto& c : cols) outc.push_back(std::make_shared<const Column>(c.gather({keep.data() + first, n})));
      out.push_back(std::make_shared<const Chunk>(std::move(outc), n));
    }
    return out;
  }

 private:
  bool intersect_;
};

}  // namespace visiondb::exec
