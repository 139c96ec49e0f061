// OperatorKind: every physical operator, with its EXPLAIN name. Adding an operator adds an
// enumerator and a name here (the static_assert keeps the two in step [ggml]).
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace visiondb::exec {

enum class OperatorKind : uint8_t {
  TableScan,
  ChunkScan,
  Filter,
  Projection,
  HashAggregate,
  HashJoin,
  Order,
  TopN,
  Limit,
  UnionAll,
  SetOp,
  TableFunction,
  Unnest,
  Window,
  Count,  // not an operator: the number of kinds
};

inline constexpr std::array<std::string_view, static_cast<size_t>(OperatorKind::Count)> kOperatorKindNames = {
    "TABLE_SCAN", "CHUNK_SCAN", "FILTER", "PROJECTION", "HASH_AGGREGATE", "HASH_JOIN",
    "ORDER_BY",   "TOP_N",      "LIMIT",  "UNION_ALL",  "SET_OPERATION",  "TABLE_FUNCTION",
    "UNNEST",     "WINDOW",
};
static_assert(kOperatorKindNames.size() == static_cast<size_t>(OperatorKind::Count),
              "every OperatorKind needs a name");

constexpr std::string_view operator_kind_name(OperatorKind k) noexcept { return kOperatorKindNames[static_cast<size_t>(k)]; }

}  // namespace visiondb::exec
