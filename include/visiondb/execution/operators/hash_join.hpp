// HashJoinOp: joins the probe input (children[0], streamed) with the build input (children[1],
// materialized and hashed once, in parallel). Equality keys go through the hash table; the rest of
// the ON condition is a residual predicate checked on candidate pairs. Without keys every build
// row is a candidate (cross products, non-equi joins). Join types: INNER, LEFT, RIGHT and FULL
// (build rows matched are flagged; unmatched ones are emitted at the end), SEMI, ANTI and MARK
// (a probe row plus a BOOL saying whether it matched, with IN's NULL rules).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "visiondb/execution/expression.hpp"
#include "visiondb/execution/key_encoder.hpp"
#include "visiondb/execution/operator.hpp"
#include "visiondb/sql/logical_plan.hpp"

namespace visiondb::exec {

namespace detail {
struct JoinBuild;
struct JoinProbe;
}  // namespace detail

class HashJoinOp final : public Operator {
 public:
  /// Output: probe columns then build columns (INNER/LEFT/RIGHT/FULL), probe columns (SEMI/ANTI),
  /// probe columns then the mark (MARK). `residual` reads probe columns then build columns.
  /// probe_out / build_out: the probe and build columns the output keeps (INNER/LEFT/RIGHT/FULL),
  /// or the probe columns (SEMI/ANTI/MARK; build_out empty).
  HashJoinOp(sql::JoinType type, std::vector<LogicalType> types, std::vector<ExprUPtr> probe_keys,
             std::vector<ExprUPtr> build_keys, ExprUPtr residual, std::vector<size_t> probe_out,
             std::vector<size_t> build_out);
  OperatorRole role() const override { return OperatorRole::Streaming; }
  std::string describe() const override;
  std::unique_ptr<GlobalState> prepare(ExecContext&, Executor&) const override;
  std::unique_ptr<OperatorState> make_state(ExecContext&, GlobalState*) const override;
  OpResult execute(ExecContext&, const Chunk& in, Chunk& out, GlobalState*, OperatorState*) const override;
  std::vector<Chunk> finish(ExecContext&, GlobalState*) const override;

 private:
  /// slot_of_row: where each build row's record goes (JoinBuild::by_slot), or null for row order.
  void build_payload(detail::JoinBuild& build, const uint32_t* slot_of_row, size_t slots) const;
  OpResult emit_in_place(const detail::JoinBuild& build, detail::JoinProbe& st, const Chunk& in, Chunk& out) const;
  Column gather_payload(const detail::JoinBuild& build, size_t field, const uint32_t* rows, size_t n) const;
  bool emits_pairs() const noexcept {
    return type_ == sql::JoinType::Inner || type_ == sql::JoinType::Left || type_ == sql::JoinType::Right ||
           type_ == sql::JoinType::Full;
  }
  sql::JoinType type_;
  std::vector<ExprUPtr> probe_keys_, build_keys_;
  ExprUPtr residual_;
  std::vector<size_t> probe_out_, build_out_;
  KeyEncoder encoder_;
};

}  // namespace visiondb::exec

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/execution/detail/hash_join_impl.hpp"
#endif
