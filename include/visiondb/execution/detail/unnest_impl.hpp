// Out-of-line parts of operators/unnest.hpp.
#pragma once

#include <algorithm>
#include <tuple>

#include "visiondb/config.hpp"
#include "visiondb/execution/operators/unnest.hpp"
#include "visiondb/execution/physical_planner.hpp"

namespace visiondb::exec {

namespace detail {
struct UnnestState final : OperatorState {
  Vec arrays;           // the current input chunk's arrays
  bool active = false;  // an input chunk is being unnested
  size_t row = 0;       // its next logical row
  int64_t element = 0;  // the next element of that row
};
}  // namespace detail

VISIONDB_INLINE UnnestOp::UnnestOp(std::vector<LogicalType> types, ExprUPtr array, std::vector<size_t> passthrough,
                                   std::vector<uint32_t> own, bool outer)
    : Operator(OperatorKind::Unnest, std::move(types)),
      array_(std::move(array)),
      passthrough_(std::move(passthrough)),
      own_(std::move(own)),
      outer_(outer) {}

VISIONDB_INLINE std::string UnnestOp::describe() const {
  std::string out = std::string(outer_ ? "LEFT " : "") + "UNNEST " + array_->text;
  if (std::find(own_.begin(), own_.end(), sql::LogicalUnnest::kOffset) != own_.end()) out += " WITH OFFSET";
  return out;
}

VISIONDB_INLINE std::unique_ptr<OperatorState> UnnestOp::make_state(ExecContext&, GlobalState*) const {
  return std::make_unique<detail::UnnestState>();
}

VISIONDB_INLINE OpResult UnnestOp::execute(ExecContext&, const Chunk& in, Chunk& out, GlobalState*,
                                           OperatorState* state) const {
  auto& st = static_cast<detail::UnnestState&>(*state);
  const size_t n = in.size();
  if (!st.active) {
    st.arrays = ExpressionExecutor::evaluate(*array_, in, nullptr, n);
    st.active = true;
    st.row = 0;
    st.element = 0;
  }
  const ColumnView av = st.arrays.view();
  const bool untyped = av.column->type().id() == TypeId::Null;
  // Plan the output: its source input rows and the element ranges, in order.
  struct Piece {
    int64_t first;  // element row in the element column; -1: one NULL element (outer join)
    int64_t count;
    int64_t offset;  // offset of the first element
  };
  std::vector<uint32_t> src;
  std::vector<Piece> pieces;
  src.reserve(kVectorSize);
  size_t produced = 0;
  while (st.row < n && produced < kVectorSize) {
    const size_t i = st.row;
    int64_t b = 0, e = 0;
    if (!untyped && av.is_valid(i)) std::tie(b, e) = av.column->array_range(av.row(i));
    if (b == e) {
      if (outer_) {
        src.push_back(in.physical_row(i));
        pieces.push_back({-1, 1, 0});
        ++produced;
      }
      ++st.row;
      st.element = 0;
      continue;
    }
    const int64_t start = b + st.element;
    const int64_t take = std::min<int64_t>(e - start, static_cast<int64_t>(kVectorSize - produced));
    src.insert(src.end(), static_cast<size_t>(take), in.physical_row(i));
    pieces.push_back({start, take, st.element});
    produced += static_cast<size_t>(take);
    st.element += take;
    if (start + take == e) {
      ++st.row;
      st.element = 0;
    }
  }
  const bool done = st.row >= n;
  if (done) {
    st.active = false;
    st.arrays = Vec();
  }
  if (produced == 0) {
    out = Chunk();
    return OpResult::NeedMoreInput;
  }
  std::vector<ColumnPtr> cols;
  cols.reserve(passthrough_.size() + own_.size());
  for (size_t p : passthrough_) {
    Column c(in.column(p).type());
    c.append_gather(in.column(p), src.data(), src.size());
    cols.push_back(std::make_shared<const Column>(std::move(c)));
  }
  const Column* elements = untyped ? nullptr : &av.column->child();
  for (uint32_t id : own_) {
    if (id == sql::LogicalUnnest::kOffset) {
      Column c(LogicalType::int64());
      c.resize(produced);
      int64_t* o = c.data<int64_t>();
      size_t k = 0;
      for (const Piece& p : pieces) {
        if (p.first < 0) {
          c.set_null(k++);
          continue;
        }
        for (int64_t j = 0; j < p.count; ++j) o[k++] = p.offset + j;
      }
      cols.push_back(std::make_shared<const Column>(std::move(c)));
      continue;
    }
    const LogicalType& t = types()[cols.size()];
    Column c(t);
    const Column* from = nullptr;
    if (elements) from = id == sql::LogicalUnnest::kElement ? elements : &elements->field(id - sql::LogicalUnnest::kFirstField);
    for (const Piece& p : pieces) {
      if (p.first < 0 || !from) {
        for (int64_t j = 0; j < p.count; ++j) c.append_null();
        continue;
      }
      c.append_range(*from, static_cast<size_t>(p.first), static_cast<size_t>(p.count));
    }
    cols.push_back(std::make_shared<const Column>(std::move(c)));
  }
  out = Chunk(std::move(cols), produced);
  return done ? OpResult::NeedMoreInput : OpResult::HaveMoreOutput;
}

VISIONDB_INLINE OperatorPtr plan_unnest(PhysicalPlanner& planner, const sql::LogicalUnnest& op) {
  auto child = planner.plan(*op.children[0]);
  auto input = PhysicalPlanner::binding_map(op.children[0]->bindings());
  auto array = planner.compile(*op.array, input);
  std::vector<size_t> pass;
  for (const auto& b : op.projected ? op.child_projection : op.children[0]->bindings()) pass.push_back(input.at(b));
  auto out = std::make_unique<UnnestOp>(op.types(), std::move(array), std::move(pass), op.column_ids, op.outer);
  out->children.push_back(std::move(child));
  return out;
}

}  // namespace visiondb::exec
