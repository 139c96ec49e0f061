// Out-of-line parts of vector_search.hpp: argument checks, the per-worker top-k heaps and the
// output rows.
#pragma once

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "visiondb/common/parallel.hpp"
#include "visiondb/config.hpp"
#include "visiondb/functions/ml/detail/vector_rows.hpp"
#include "visiondb/functions/ml/vector_distance.hpp"
#include "visiondb/functions/ml/vector_search.hpp"
#include "visiondb/storage/detail/text.hpp"

namespace visiondb::fn {

namespace detail {

// One candidate: its distance, its place in the base input (morsel, row: the tie-break) and where
// its row is kept (a compact chunk of retained rows).
struct SearchHit {
  double distance;
  uint64_t key;
  uint32_t chunk;
  uint32_t row;
};
inline constexpr uint32_t kPendingChunk = UINT32_MAX;

// Nearer first; NaN (a NaN element) after every number; ties by input order.
inline bool nearer(const SearchHit& a, const SearchHit& b) noexcept {
  bool an = std::isnan(a.distance), bn = std::isnan(b.distance);
  if (an != bn) return bn;
  if (!an && a.distance != b.distance) return a.distance < b.distance;
  return a.key < b.key;
}

// A max-heap (by `nearer`) of at most k hits: its front is the farthest kept.
inline bool offer(std::vector<SearchHit>& heap, size_t k, const SearchHit& hit) {
  if (heap.size() < k) {
    heap.push_back(hit);
    std::push_heap(heap.begin(), heap.end(), nearer);
    return true;
  }
  if (!nearer(hit, heap.front())) return false;
  std::pop_heap(heap.begin(), heap.end(), nearer);
  heap.back() = hit;
  std::push_heap(heap.begin(), heap.end(), nearer);
  return true;
}

struct SearchResults : sql::TableFunctionState {
  std::vector<std::vector<SearchHit>> heaps;  // per query
  std::vector<Chunk> retained;                // the base rows that hits point to
};

struct SearchShared final : SearchResults {
  std::vector<std::shared_ptr<const Chunk>> query_chunks;
  std::vector<std::pair<uint32_t, uint32_t>> query_rows;  // (chunk, physical row) of each query
  std::vector<double> queries;                            // nq x dim, row-major
  std::vector<double> query_norms2;
  size_t dim = 0;
};

struct SearchLocal final : SearchResults {
  size_t morsel = SIZE_MAX;
  uint64_t morsel_rows = 0;  // rows of the current morsel already seen
  std::vector<const double*> base;
  std::vector<double> base_norms2, converted;
  std::vector<uint32_t> block_rows;  // logical rows of the block's vectors
  std::vector<double> scratch;
};

[[noreturn]] inline void search_error(const std::string& message) {
  throw SqlError(ErrorKind::Execution, "VECTOR_SEARCH: " + message);
}

class VectorSearchBound final : public sql::BoundTableFunction {
 public:
  size_t base_column = 0, query_column = 0, top_k = 10;
  DistanceType type = DistanceType::Euclidean;
  std::string base_column_name, query_column_name;

  void execute(const Chunk*, sql::TableFunctionState*, std::vector<Chunk>&) const override {
    search_error("needs both its base table and its query table");
  }

  std::shared_ptr<sql::TableFunctionState> prepare_side(const std::vector<std::shared_ptr<const Chunk>>& side) const override {
    auto s = std::make_shared<SearchShared>();
    std::vector<double> scratch;
    bool have_dim = false;
    for (const auto& chunk : side) {
      const uint32_t ci = static_cast<uint32_t>(s->query_chunks.size());
      s->query_chunks.push_back(chunk);
      const Column& col = chunk->column(query_column);
      for (size_t i = 0; i < chunk->size(); ++i) {
        uint32_t row = chunk->physical_row(i);
        if (col.is_null(row)) continue;  // a NULL query vector has no neighbours
        VectorRow v = vector_row(col, row, scratch);
        if (v.has_null_element) search_error("a query vector in column '" + query_column_name + "' has a NULL element");
        if (!have_dim) {
          s->dim = v.size;
          have_dim = true;
        } else if (v.size != s->dim) {
          search_error("the query vectors in column '" + query_column_name + "' have different lengths (" +
                       std::to_string(s->dim) + " and " + std::to_string(v.size) + ")");
        }
        s->queries.insert(s->queries.end(), v.data, v.data + v.size);
        s->query_rows.emplace_back(ci, row);
        if (type == DistanceType::Cosine) {
          double n2 = squared_norm(v.data, v.size);
          if (n2 == 0) search_error("the COSINE distance of a zero query vector is undefined");
          s->query_norms2.push_back(n2);
        }
      }
    }
    s->heaps.resize(s->query_rows.size());
    return s;
  }

  std::unique_ptr<sql::TableFunctionState> make_sink_state(sql::TableFunctionState* shared) const override {
    auto l = std::make_unique<SearchLocal>();
    l->heaps.resize(static_cast<SearchShared*>(shared)->query_rows.size());
    return l;
  }

  void sink(const Chunk& input, size_t morsel, sql::TableFunctionState* shared_state,
            sql::TableFunctionState* local_state) const override {
    const auto& s = *static_cast<SearchShared*>(shared_state);
    auto& l = *static_cast<SearchLocal*>(local_state);
    if (morsel != l.morsel) {
      l.morsel = morsel;
      l.morsel_rows = 0;
    }
    const uint64_t first_key = (static_cast<uint64_t>(morsel) << 32) | l.morsel_rows;
    const size_t n = input.size();
    l.morsel_rows += n;
    const size_t nq = s.query_rows.size();
    if (nq == 0 || n == 0) return;

    const Column& col = input.column(base_column);
    const bool floats = col.type().element().id() == TypeId::Float64;
    // The chunk's vectors (checked here, before any parallel work).
    l.base.clear();
    l.block_rows.clear();
    l.base_norms2.clear();
    if (!floats) l.converted.resize(n * s.dim);
    for (size_t i = 0; i < n; ++i) {
      uint32_t row = input.physical_row(i);
      if (col.is_null(row)) continue;  // a NULL base vector is never a neighbour
      VectorRow v = vector_row(col, row, l.scratch);
      if (v.has_null_element) search_error("a base vector in column '" + base_column_name + "' has a NULL element");
      if (v.size != s.dim)
        search_error("the base vectors in column '" + base_column_name + "' have " + std::to_string(v.size) +
                     " elements and the query vectors " + std::to_string(s.dim));
      const double* p = v.data;
      if (!floats) {
        double* dst = l.converted.data() + l.base.size() * s.dim;
        std::copy(v.data, v.data + v.size, dst);
        p = dst;
      }
      if (type == DistanceType::Cosine) {
        double n2 = squared_norm(p, s.dim);
        if (n2 == 0) search_error("the COSINE distance of a zero base vector is undefined");
        l.base_norms2.push_back(n2);
      }
      l.base.push_back(p);
      l.block_rows.push_back(static_cast<uint32_t>(i));
    }
    const size_t nb_all = l.base.size();
    if (nb_all == 0) return;
    // Per block of base rows (kept in cache), parallel over ranges of queries too (many queries
    // over few base chunks): each query's heap is updated by one task per block, blocks in order,
    // so the answer does not depend on the split.
    std::vector<std::atomic<uint8_t>> entered(n);
    for (auto& e : entered) e.store(0, std::memory_order_relaxed);
    constexpr size_t kBlock = 128, kQueryGrain = 16;
    for (size_t b0 = 0; b0 < nb_all; b0 += kBlock) {
      const size_t nb = std::min(kBlock, nb_all - b0);
      parallel_for(0, nq, kQueryGrain, [&](size_t j0, size_t j1) {
        const size_t nqr = j1 - j0;
        std::vector<double> distances(nb * nqr);
        distance_block(type, s.queries.data() + j0 * s.dim, s.query_norms2.data() + (s.query_norms2.empty() ? 0 : j0), nqr,
                       l.base.data() + b0, l.base_norms2.data() + (l.base_norms2.empty() ? 0 : b0), nb, s.dim,
                       distances.data());
        for (size_t jr = 0; jr < nqr; ++jr) {
          auto& heap = l.heaps[j0 + jr];
          for (size_t b = 0; b < nb; ++b) {
            const uint32_t i = l.block_rows[b0 + b];
            SearchHit hit{distances[b * nqr + jr], first_key + i, kPendingChunk, i};
            if (offer(heap, top_k, hit)) entered[i].store(1, std::memory_order_relaxed);
          }
        }
      });
    }
    bool any = false;
    for (size_t i = 0; i < n && !any; ++i) any = entered[i].load(std::memory_order_relaxed) != 0;
    if (!any) return;
    // Keep only the rows that entered a heap, as one compact chunk.
    std::vector<uint32_t> rows, compact(n, 0);
    for (size_t i = 0; i < n; ++i)
      if (entered[i].load(std::memory_order_relaxed)) {
        compact[i] = static_cast<uint32_t>(rows.size());
        rows.push_back(input.physical_row(i));
      }
    std::vector<ColumnPtr> cols;
    for (size_t c = 0; c < input.column_count(); ++c)
      cols.push_back(std::make_shared<const Column>(input.column(c).gather(rows)));
    const uint32_t ci = static_cast<uint32_t>(l.retained.size());
    l.retained.emplace_back(std::move(cols), rows.size());
    for (auto& heap : l.heaps)
      for (auto& hit : heap)
        if (hit.chunk == kPendingChunk) {
          hit.chunk = ci;
          hit.row = compact[hit.row];
        }
  }

  void combine(sql::TableFunctionState* shared_state, sql::TableFunctionState* local_state) const override {
    auto& s = *static_cast<SearchShared*>(shared_state);
    auto& l = *static_cast<SearchLocal*>(local_state);
    const uint32_t offset = static_cast<uint32_t>(s.retained.size());
    for (auto& c : l.retained) s.retained.push_back(std::move(c));
    l.retained.clear();
    for (size_t j = 0; j < l.heaps.size(); ++j)
      for (SearchHit hit : l.heaps[j]) {
        hit.chunk += offset;
        offer(s.heaps[j], top_k, hit);
      }
    l.heaps.clear();
  }

  void finalize(sql::TableFunctionState* shared_state, std::vector<Chunk>& out) const override {
    auto& s = *static_cast<SearchShared*>(shared_state);
    Column query(types[0]), base(types[1]), distance(LogicalType::float64());
    auto flush = [&] {
      if (distance.size() == 0) return;
      const size_t rows = distance.size();
      std::vector<ColumnPtr> cols{std::make_shared<const Column>(std::move(query)),
                                  std::make_shared<const Column>(std::move(base)),
                                  std::make_shared<const Column>(std::move(distance))};
      out.emplace_back(std::move(cols), rows);
      query = Column(types[0]);
      base = Column(types[1]);
      distance = Column(LogicalType::float64());
    };
    for (size_t j = 0; j < s.heaps.size(); ++j) {
      auto& heap = s.heaps[j];
      std::sort(heap.begin(), heap.end(), nearer);
      const auto [qc, qr] = s.query_rows[j];
      const Chunk& qchunk = *s.query_chunks[qc];
      for (const SearchHit& hit : heap) {
        for (size_t f = 0; f < query.field_count(); ++f) query.field(f).append_from(qchunk.column(f), qr);
        query.close_struct_row();
        const Chunk& bchunk = s.retained[hit.chunk];
        for (size_t f = 0; f < base.field_count(); ++f) base.field(f).append_from(bchunk.column(f), hit.row);
        base.close_struct_row();
        distance.append_float64(hit.distance);
        if (distance.size() == kVectorSize) flush();
      }
    }
    flush();
  }
};

inline std::string lower_name(std::string_view s) { return visiondb::detail::to_lower(s); }

inline size_t find_vector_column(const sql::TableFunctionArgument& table, const std::string& name, const char* what,
                                 SourceSpan span) {
  for (size_t c = 0; c < table.input_names.size(); ++c)
    if (lower_name(table.input_names[c]) == lower_name(name)) {
      if (!is_vector_type(table.input_types[c]))
        throw SqlError(ErrorKind::Type,
                       std::string("VECTOR_SEARCH: the ") + what + " '" + name + "' is " + table.input_types[c].to_string() +
                           "; expected ARRAY<FLOAT64> or ARRAY<INT64>",
                       span);
      return c;
    }
  throw SqlError(ErrorKind::Bind, std::string("VECTOR_SEARCH: the ") + what + " '" + name + "' is not a column of its table", span);
}

inline const std::string& string_argument(const sql::TableFunctionArgument& a, const char* what) {
  if (a.kind != sql::TableFunctionArgument::Kind::Scalar || a.value.is_null() || a.value.type().id() != TypeId::String)
    throw SqlError(ErrorKind::Type, std::string("VECTOR_SEARCH: ") + what + " must be a STRING constant", a.span);
  return a.value.as_string();
}

}  // namespace detail

VISIONDB_INLINE std::shared_ptr<sql::BoundTableFunction> VectorSearchFunction::bind(std::vector<sql::TableFunctionArgument>& args,
                                                                                    SourceSpan span) const {
  using Kind = sql::TableFunctionArgument::Kind;
  const char* usage =
      "VECTOR_SEARCH takes (TABLE base | (query), 'column_to_search', TABLE queries | (query) [, 'query_column_to_search'] "
      "[, top_k => n] [, distance_type => '...'] [, options => '...'])";
  std::vector<const sql::TableFunctionArgument*> positional;
  const sql::TableFunctionArgument *query_column = nullptr, *top_k = nullptr, *distance_type = nullptr;
  for (const auto& a : args) {
    std::string name = detail::lower_name(a.name);
    if (name.empty()) {
      positional.push_back(&a);
    } else if (name == "query_column_to_search") {
      query_column = &a;
    } else if (name == "top_k") {
      top_k = &a;
    } else if (name == "distance_type") {
      distance_type = &a;
    } else if (name == "options") {
      detail::string_argument(a, "options");  // brute force always: the options change nothing
    } else {
      throw SqlError(ErrorKind::Bind, "VECTOR_SEARCH has no argument named '" + a.name + "'", a.span);
    }
  }
  if (positional.size() < 3 || positional[0]->kind != Kind::Table || positional[2]->kind != Kind::Table)
    throw SqlError(ErrorKind::Bind, usage, span);
  // Positional extras, in BigQuery's order.
  for (size_t p = 3; p < positional.size(); ++p) {
    const sql::TableFunctionArgument*& slot = p == 3 ? query_column : p == 4 ? top_k : p == 5 ? distance_type : query_column;
    if (p > 5 || slot) throw SqlError(ErrorKind::Bind, usage, positional[p]->span);
    slot = positional[p];
  }
  const auto& base = *positional[0];
  const auto& queries = *positional[2];
  auto bound = std::make_shared<detail::VectorSearchBound>();
  bound->base_column_name = detail::string_argument(*positional[1], "column_to_search");
  bound->query_column_name =
      query_column ? detail::string_argument(*query_column, "query_column_to_search") : bound->base_column_name;
  bound->base_column = detail::find_vector_column(base, bound->base_column_name, "column_to_search", positional[1]->span);
  bound->query_column = detail::find_vector_column(queries, bound->query_column_name, "query_column_to_search",
                                                   query_column ? query_column->span : positional[2]->span);
  if (top_k) {
    if (top_k->kind != Kind::Scalar || top_k->value.is_null() || top_k->value.type().id() != TypeId::Int64)
      throw SqlError(ErrorKind::Type, "VECTOR_SEARCH: top_k must be an INT64 constant", top_k->span);
    int64_t k = top_k->value.as_int64();
    if (k < 1) throw SqlError(ErrorKind::Bind, "VECTOR_SEARCH: top_k must be at least 1, got " + std::to_string(k), top_k->span);
    bound->top_k = static_cast<size_t>(std::min<int64_t>(k, INT32_MAX));
  }
  if (distance_type) {
    const std::string& text = detail::string_argument(*distance_type, "distance_type");
    if (!parse_distance_type(text, bound->type) || bound->type == DistanceType::Manhattan)
      throw SqlError(ErrorKind::Bind,
                     "VECTOR_SEARCH: invalid distance_type '" + text + "'; expected 'EUCLIDEAN', 'COSINE' or 'DOT_PRODUCT'",
                     distance_type->span);
  }
  std::vector<std::pair<std::string, LogicalType>> qfields, bfields;
  for (size_t c = 0; c < queries.input_names.size(); ++c) qfields.emplace_back(queries.input_names[c], queries.input_types[c]);
  for (size_t c = 0; c < base.input_names.size(); ++c) bfields.emplace_back(base.input_names[c], base.input_types[c]);
  bound->names = {"query", "base", "distance"};
  bound->types = {LogicalType::structure(std::move(qfields)), LogicalType::structure(std::move(bfields)),
                  LogicalType::float64()};
  return bound;
}

}  // namespace visiondb::fn
