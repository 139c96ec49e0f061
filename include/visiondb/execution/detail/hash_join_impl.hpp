// Out-of-line parts of operators/hash_join.hpp.
#pragma once

#include <algorithm>
#include <atomic>
#include <bit>
#include <climits>
#include <cstring>

#include "visiondb/common/aligned_buffer.hpp"
#include "visiondb/common/parallel.hpp"
#include "visiondb/config.hpp"
#include "visiondb/execution/executor.hpp"
#include "visiondb/execution/expression_executor.hpp"
#include "visiondb/execution/gather.hpp"
#include "visiondb/execution/operators/hash_join.hpp"

namespace visiondb::exec {

namespace detail {

// The build columns the join outputs, row by row: a probe hit reads one record (one cache line)
// instead of one place per column. Fixed-width values are stored as they are; strings as
// (length, 12 bytes inline) or, when longer, (length, offset into the column's bytes).
struct PayloadRows {
  struct Field {
    size_t column;     // build column
    size_t offset;     // in the record
    size_t width;      // fixed width, or 0 for a string
  };
  std::vector<Field> fields;
  size_t record = 0;   // bytes per row (validity bytes first); a power of two up to 64
  AlignedBuffer<uint8_t> data;  // 64-byte aligned: a record up to 64 bytes lies in one cache line
  bool usable = false;
  const uint8_t* row(uint32_t b) const noexcept { return data.data() + size_t{b} * record; }
};

struct JoinBuild final : GlobalState {
  std::vector<Column> columns;  // the build rows, concatenated
  PayloadRows payload;
  size_t rows = 0;
  bool keyed = false;
  bool fixed = false;
  // One cache line holds what a probe needs of a build row: its hash, its key (fixed mode) and
  // the next row of its bucket.
  struct Entry {
    uint64_t hash;
    uint64_t key;
    uint32_t next;
  };
  std::vector<Entry> entries;
  std::string key_bytes;
  std::vector<uint32_t> key_offsets;
  struct Slot {
    uint64_t key;
    uint32_t row;  // first build row with this key; UINT32_MAX: empty
    uint32_t more; // 1 when other rows share the key
  };
  // The table is split by the top bits of the hash into partitions built in parallel, each with
  // its own buckets (low bits of the hash).
  struct Part {
    uint64_t mask = 0;
    std::vector<uint32_t> heads;  // bucket -> first build row + 1 (Entry::next chains the rest)
    std::vector<Slot> slots;
  };
  // Fixed mode: open addressing on the key itself; a probe touches one slot. Rows with the same
  // key are chained through `next` (only read when the slot says there are several).
  std::vector<uint32_t> next;  // build row -> next row + 1 with the same key
  std::vector<Part> parts;
  int part_shift = 64;
  const Part& part_of(uint64_t h) const noexcept { return parts[part_shift >= 64 ? 0 : h >> part_shift]; }
  // Perfect mode: one INT64 key whose build values span a small range (a dense id, as in most
  // key/foreign-key joins). dir[key - key_min] is the first build row + 1 with that key (0: none),
  // so neither side hashes, and the directory (4 bytes per value of the range) mostly stays in
  // cache where a hash table of the same rows would not. Rows sharing a key chain through `next`.
  bool perfect = false;
  bool unique = true;  // perfect mode: no two build rows share a key (`next` stays empty)
  int64_t key_min = 0;
  uint64_t key_span = 0;  // max - min: keys k with (uint64)(k - key_min) <= key_span are in range
  std::vector<uint32_t> dir;
  std::vector<uint64_t> present;  // one bit per key of the range: some build row has it
  // by_slot: unique keys and a range not much wider than the rows, for INNER and LEFT joins
  // without a residual: the payload records are laid out by key (record = key - key_min), so a
  // probe reads the bitmap (small enough for L2) and then the record of a match, never `dir`.
  bool by_slot = false;
  uint32_t head_of(int64_t key) const noexcept {
    const uint64_t at = static_cast<uint64_t>(key) - static_cast<uint64_t>(key_min);
    return at <= key_span ? dir[at] : 0;
  }
  /// key - key_min + 1 when some build row has the key, else 0.
  uint32_t slot_of(int64_t key) const noexcept {
    const uint64_t at = static_cast<uint64_t>(key) - static_cast<uint64_t>(key_min);
    return at <= key_span && (present[at >> 6] >> (at & 63) & 1) ? static_cast<uint32_t>(at + 1) : 0;
  }
  bool has_null_key = false;
  std::unique_ptr<std::atomic<uint8_t>[]> matched;  // RIGHT / FULL

  bool key_equal(uint32_t b, const EncodedKeys& k, size_t i) const noexcept {
    if (fixed) return entries[b].key == k.fixed[i];
    std::string_view pk = k.key(i);
    size_t len = key_offsets[b + 1] - key_offsets[b];
    return len == pk.size() && std::memcmp(key_bytes.data() + key_offsets[b], pk.data(), len) == 0;
  }
};

struct JoinProbe final : OperatorState {
  bool started = false;
  EncodedKeys keys;
  std::vector<Vec> key_vecs;  // the probe key columns: string keys are views into them
  size_t row = 0;
  uint32_t chain = 0;
  bool chain_more = false;
  bool chain_loaded = false;
  std::vector<uint8_t> matched;
  // Perfect mode: each probe row's first build row + 1, or its slot + 1 where slots are used
  // (JoinBuild::by_slot, or only whether it matches); 0: no match.
  std::vector<uint32_t> heads;
  std::vector<uint32_t> probe_idx, build_idx;
};

// The build keys' range when a directory indexed by key is worth it (see JoinBuild::perfect):
// one INT64 key on both sides, spanning at most 4 slots per build row (or a small fixed size).
inline bool perfect_key_range(const std::vector<std::vector<Vec>>& key_vecs, const std::vector<ChunkPtr>& chunks,
                              size_t rows, int64_t& key_min, uint64_t& key_span) {
  std::vector<int64_t> lo(chunks.size(), INT64_MAX), hi(chunks.size(), INT64_MIN);
  parallel_for_each_index(0, chunks.size(), [&](size_t c) {
    const ColumnView v = key_vecs[c][0].view();
    const int64_t* data = v.column->data<int64_t>();
    int64_t a = INT64_MAX, b = INT64_MIN;
    for (size_t i = 0, n = chunks[c]->size(); i < n; ++i) {
      const uint32_t r = v.row(i);
      if (!v.column->is_valid(r)) continue;
      a = std::min(a, data[r]);
      b = std::max(b, data[r]);
    }
    lo[c] = a;
    hi[c] = b;
  });
  key_min = *std::min_element(lo.begin(), lo.end());
  const int64_t key_max = *std::max_element(hi.begin(), hi.end());
  if (key_min > key_max) return false;  // every key is NULL
  key_span = static_cast<uint64_t>(key_max) - static_cast<uint64_t>(key_min);
  const uint64_t limit = std::max<uint64_t>(uint64_t{4} * rows, 16384);
  return key_span < limit && key_span < UINT32_MAX;
}

// SQL's `=` is FALSE for NaN (IEEE), while the key encoding groups NaNs together: a NaN join key
// is therefore treated like a NULL one (it matches nothing).
inline void nan_keys_match_nothing(const std::vector<ColumnView>& views, EncodedKeys& keys) {
  for (const auto& v : views) {
    if (v.column->type().id() != TypeId::Float64) continue;
    const double* d = v.column->data<double>();
    for (size_t i = 0; i < keys.n; ++i)
      if (d[v.row(i)] != d[v.row(i)]) keys.any_null[i] = 1;
  }
}

inline std::vector<LogicalType> exprs_types(const std::vector<ExprUPtr>& xs) {
  std::vector<LogicalType> out;
  for (const auto& x : xs) out.push_back(x->type);
  return out;
}

}  // namespace detail

VISIONDB_INLINE HashJoinOp::HashJoinOp(sql::JoinType type, std::vector<LogicalType> types,
                                       std::vector<ExprUPtr> probe_keys, std::vector<ExprUPtr> build_keys,
                                       ExprUPtr residual, std::vector<size_t> probe_out, std::vector<size_t> build_out)
    : Operator(OperatorKind::HashJoin, std::move(types)),
      type_(type),
      probe_keys_(std::move(probe_keys)),
      build_keys_(std::move(build_keys)),
      residual_(std::move(residual)),
      probe_out_(std::move(probe_out)),
      build_out_(std::move(build_out)),
      encoder_(detail::exprs_types(probe_keys_)) {}

VISIONDB_INLINE std::string HashJoinOp::describe() const {
  std::string out = probe_keys_.empty() ? "NESTED_LOOP_JOIN " : "HASH_JOIN ";
  out += std::string(sql::join_type_name(type_));
  for (size_t i = 0; i < probe_keys_.size(); ++i)
    out += (i ? " AND " : " ON ") + probe_keys_[i]->text + " = " + build_keys_[i]->text;
  if (residual_) out += (probe_keys_.empty() ? " ON " : " AND ") + residual_->text;
  return out;
}

VISIONDB_INLINE void HashJoinOp::build_payload(detail::JoinBuild& build, const uint32_t* slot_of_row,
                                               size_t slots) const {
  auto& p = build.payload;
  if (!emits_pairs() || build_out_.empty() || build.rows == 0 || build.rows >= UINT32_MAX) return;
  size_t offset = build_out_.size();  // one validity byte per field
  for (size_t c : build_out_) {
    const LogicalType& t = build.columns[c].type();
    size_t w = t.fixed_width();
    if (!w && !t.is_varlen()) return;  // nested and object columns: gathered from the columns
    size_t size = w ? w : 16;
    offset = (offset + (size >= 8 ? 7 : size - 1)) / (size >= 8 ? 8 : size) * (size >= 8 ? 8 : size);
    p.fields.push_back({c, offset, w});
    offset += size;
  }
  p.record = offset <= 64 ? std::bit_ceil(offset) : (offset + 7) / 8 * 8;
  p.data.resize(p.record * slots);
  parallel_for(0, build.rows, 16384, [&](size_t first, size_t last) {
    for (size_t f = 0; f < p.fields.size(); ++f) {
      const auto& field = p.fields[f];
      const Column& col = build.columns[field.column];
      for (size_t b = first; b < last; ++b) {
        if (slot_of_row && slot_of_row[b] == UINT32_MAX) continue;
        uint8_t* rec = p.data.data() + size_t{slot_of_row ? slot_of_row[b] : b} * p.record;
        if (!col.is_valid(b)) continue;  // validity byte stays 0
        rec[f] = 1;
        if (field.width == 8) std::memcpy(rec + field.offset, col.data<int64_t>() + b, 8);
        else if (field.width == 4) std::memcpy(rec + field.offset, col.data<int32_t>() + b, 4);
        else if (field.width == 1) rec[field.offset] = col.data<uint8_t>()[b];
        else {
          std::string_view sv = col.string_at(b);
          uint32_t len = static_cast<uint32_t>(sv.size());
          std::memcpy(rec + field.offset, &len, 4);
          if (len <= 12) {
            std::memcpy(rec + field.offset + 4, sv.data(), len);
          } else {
            uint64_t at = static_cast<uint64_t>(sv.data() - col.byte_data());
            std::memcpy(rec + field.offset + 8, &at, 8);
          }
        }
      }
    }
  });
  p.usable = true;
}

VISIONDB_INLINE Column HashJoinOp::gather_payload(const detail::JoinBuild& build, size_t field_index, const uint32_t* rows,
                                                  size_t n) const {
  const auto& p = build.payload;
  const auto& field = p.fields[field_index];
  const Column& src = build.columns[field.column];
  Column out(src.type());
  if (field.width) {
    out.resize(n);
    uint8_t* dst = field.width == 8   ? reinterpret_cast<uint8_t*>(out.data<int64_t>())
                   : field.width == 4 ? reinterpret_cast<uint8_t*>(out.data<int32_t>())
                                      : out.data<uint8_t>();
    for (size_t i = 0; i < n; ++i) {
      if (rows[i] == kNullRow) {
        out.set_null(i);
        continue;
      }
      const uint8_t* rec = p.row(rows[i]);
      if (!rec[field_index]) out.set_null(i);
      std::memcpy(dst + i * field.width, rec + field.offset, field.width);
    }
    return out;
  }
  std::vector<std::string_view> values(n);
  std::unique_ptr<bool[]> valid(new bool[n]);
  for (size_t i = 0; i < n; ++i) {
    valid[i] = false;
    if (rows[i] == kNullRow) continue;
    const uint8_t* rec = p.row(rows[i]);
    if (!rec[field_index]) continue;
    valid[i] = true;
    uint32_t len;
    std::memcpy(&len, rec + field.offset, 4);
    if (len <= 12) {
      values[i] = std::string_view(reinterpret_cast<const char*>(rec + field.offset + 4), len);
    } else {
      uint64_t at;
      std::memcpy(&at, rec + field.offset + 8, 8);
      values[i] = std::string_view(src.byte_data() + at, len);
    }
  }
  out.append_strings(values.data(), valid.get(), n);
  return out;
}

VISIONDB_INLINE std::unique_ptr<GlobalState> HashJoinOp::prepare(ExecContext& ctx, Executor& ex) const {
  auto build = std::make_unique<detail::JoinBuild>();
  auto chunks = ex.run(*children[1]);
  build->columns = concat_chunks(children[1]->types(), chunks);
  for (const auto& c : chunks) build->rows += c->size();
  build->keyed = !build_keys_.empty();
  build->fixed = encoder_.fixed_mode();
  if (type_ == sql::JoinType::Right || type_ == sql::JoinType::Full) {
    build->matched = std::make_unique<std::atomic<uint8_t>[]>(build->rows);
    for (size_t i = 0; i < build->rows; ++i) build->matched[i].store(0, std::memory_order_relaxed);
  }
  if (!build->keyed || build->rows == 0) {
    build_payload(*build, nullptr, build->rows);
    return build;
  }
  // Keys of every build row, chunk by chunk in parallel.
  std::vector<size_t> starts(chunks.size() + 1, 0);
  for (size_t c = 0; c < chunks.size(); ++c) starts[c + 1] = starts[c] + chunks[c]->size();
  std::vector<std::vector<Vec>> key_vecs(chunks.size());  // alive while string keys view them
  parallel_for_each_index(0, chunks.size(), [&](size_t c) {
    const Chunk& ch = *chunks[c];
    for (const auto& k : build_keys_) key_vecs[c].push_back(ExpressionExecutor::evaluate(*k, ch, nullptr, ch.size()));
  });
  const size_t n = build->rows;
  if (build_keys_.size() == 1 && build_keys_[0]->type.id() == TypeId::Int64 &&
      probe_keys_[0]->type.id() == TypeId::Int64 && n < UINT32_MAX &&
      detail::perfect_key_range(key_vecs, chunks, n, build->key_min, build->key_span)) {
    build->perfect = true;
    build->dir.assign(build->key_span + 1, 0);
    build->present.assign(build->key_span / 64 + 1, 0);
    // In reverse, so that each chain lists build rows in ascending order.
    for (size_t c = chunks.size(); c-- > 0;) {
      const ColumnView v = key_vecs[c][0].view();
      const int64_t* data = v.column->data<int64_t>();
      for (size_t i = chunks[c]->size(); i-- > 0;) {
        const uint32_t r = v.row(i);
        if (!v.column->is_valid(r)) {
          build->has_null_key = true;
          continue;
        }
        const uint32_t row = static_cast<uint32_t>(starts[c] + i);
        uint32_t& head = build->dir[static_cast<uint64_t>(data[r]) - static_cast<uint64_t>(build->key_min)];
        if (head) {
          if (build->unique) build->next.assign(n, 0);
          build->unique = false;
          build->next[row] = head;
        }
        head = row + 1;
        const uint64_t at = static_cast<uint64_t>(data[r]) - static_cast<uint64_t>(build->key_min);
        build->present[at >> 6] |= uint64_t{1} << (at & 63);
      }
    }
    if (build->unique && (type_ == sql::JoinType::Inner || type_ == sql::JoinType::Left) && !residual_ &&
        build->key_span < 2 * n + 4096) {
      // Rows with a NULL key never match: they get no record (UINT32_MAX).
      std::vector<uint32_t> slot_of_row(n, UINT32_MAX);
      for (uint64_t at = 0; at <= build->key_span; ++at)
        if (build->dir[at]) slot_of_row[build->dir[at] - 1] = static_cast<uint32_t>(at);
      build_payload(*build, slot_of_row.data(), build->key_span + 1);
      // Without a payload (nested columns) the gathers need build rows, so `dir`.
      build->by_slot = build->payload.usable || build_out_.empty();
    } else {
      build_payload(*build, nullptr, n);
    }
    return build;
  }
  build_payload(*build, nullptr, n);
  std::vector<EncodedKeys> encoded(chunks.size());
  parallel_for_each_index(0, chunks.size(), [&](size_t c) {
    std::vector<ColumnView> views;
    for (const auto& v : key_vecs[c]) views.push_back(v.view());
    encoder_.encode(views, chunks[c]->size(), encoded[c]);
    detail::nan_keys_match_nothing(views, encoded[c]);
  });
  build->entries.resize(n);
  if (!build->fixed) build->key_offsets.assign(1, 0);
  std::vector<uint8_t> null_key(n);
  for (size_t c = 0; c < chunks.size(); ++c) {
    const EncodedKeys& k = encoded[c];
    size_t s = starts[c];
    std::memcpy(null_key.data() + s, k.any_null.data(), k.n);
    for (size_t i = 0; i < k.n; ++i) {
      build->entries[s + i].hash = k.hashes[i];
      build->entries[s + i].key = build->fixed ? k.fixed[i] : 0;
    }
    if (!build->fixed) {
      for (size_t i = 0; i < k.n; ++i) {
        std::string_view key = k.key(i);
        build->key_bytes.append(key.data(), key.size());
        build->key_offsets.push_back(static_cast<uint32_t>(build->key_bytes.size()));
      }
    }
  }
  // Partitions by the top hash bits, built in parallel (each touches only its own rows).
  size_t parts = 1;
  if (n > 65536) parts = std::bit_ceil(std::min<size_t>(64, static_cast<size_t>(std::max(ctx.threads, 1)) * 4));
  build->part_shift = parts == 1 ? 64 : 64 - std::countr_zero(parts);
  build->parts.resize(parts);
  std::vector<std::vector<uint32_t>> rows_of(parts);
  for (size_t i = 0; i < n; ++i) {
    if (null_key[i]) {
      build->has_null_key = true;
      continue;
    }
    const uint64_t h = build->entries[i].hash;
    rows_of[parts == 1 ? 0 : h >> build->part_shift].push_back(static_cast<uint32_t>(i));
  }
  if (build->fixed) build->next.assign(n, 0);
  parallel_for_each_index(0, parts, [&](size_t p) {
    auto& part = build->parts[p];
    const auto& rows = rows_of[p];
    const size_t buckets = std::bit_ceil(std::max<size_t>(16, rows.size() * 2));
    part.mask = buckets - 1;
    // Insert in reverse so that each chain lists build rows in ascending order.
    if (build->fixed) {
      part.slots.assign(buckets, detail::JoinBuild::Slot{0, UINT32_MAX, 0});
      for (size_t k = rows.size(); k-- > 0;) {
        const uint32_t i = rows[k];
        const uint64_t key = build->entries[i].key;
        uint64_t idx = build->entries[i].hash & part.mask;
        for (;;) {
          auto& slot = part.slots[idx];
          if (slot.row == UINT32_MAX) {
            slot = {key, i, 0};
            break;
          }
          if (slot.key == key) {
            build->next[i] = slot.row + 1;
            slot.row = i;
            slot.more = 1;
            break;
          }
          idx = (idx + 1) & part.mask;
        }
      }
    } else {
      part.heads.assign(buckets, 0);
      for (size_t k = rows.size(); k-- > 0;) {
        const uint32_t i = rows[k];
        uint64_t b = build->entries[i].hash & part.mask;
        build->entries[i].next = part.heads[b];
        part.heads[b] = i + 1;
      }
    }
  });
  if (build->fixed) build->entries = {};
  return build;
}

VISIONDB_INLINE std::unique_ptr<OperatorState> HashJoinOp::make_state(ExecContext&, GlobalState*) const {
  return std::make_unique<detail::JoinProbe>();
}

VISIONDB_INLINE OpResult HashJoinOp::execute(ExecContext&, const Chunk& in, Chunk& out, GlobalState* g,
                                             OperatorState* s) const {
  auto& build = *static_cast<detail::JoinBuild*>(g);
  auto& st = *static_cast<detail::JoinProbe*>(s);
  const size_t n = in.size();
  if (!st.started) {
    st.started = true;
    st.row = 0;
    st.chain_loaded = false;
    st.matched.assign(n, 0);
    if (build.perfect) {
      const Vec key = ExpressionExecutor::evaluate(*probe_keys_[0], in, nullptr, n);
      const ColumnView v = key.view();
      const int64_t* data = v.column->data<int64_t>();
      st.heads.resize(n);
      st.keys.any_null.assign(n, 0);
      // Slots where the build rows are not needed: by_slot, or only whether a row matches.
      const bool slots = (build.by_slot || (!emits_pairs() && !residual_)) && n <= kVectorSize;
      const bool dense = !v.sel && !v.constant && v.all_valid();
      for (size_t i = 0; i < n; ++i) {
        const uint32_t r = dense ? static_cast<uint32_t>(i) : v.row(i);
        if (!dense && !v.column->is_valid(r)) {
          st.keys.any_null[i] = 1;
          st.heads[i] = 0;
          continue;
        }
        st.heads[i] = slots ? build.slot_of(data[r]) : build.head_of(data[r]);
      }
    } else if (build.keyed) {
      std::vector<Vec>& vecs = st.key_vecs;
      vecs.clear();
      std::vector<ColumnView> views;
      for (const auto& k : probe_keys_) {
        vecs.push_back(ExpressionExecutor::evaluate(*k, in, nullptr, n));
        views.push_back(vecs.back().view());
      }
      encoder_.encode(views, n, st.keys);
      detail::nan_keys_match_nothing(views, st.keys);
    }
  }
  const bool stop_at_first = !emits_pairs() && !residual_;
  st.probe_idx.clear();
  st.build_idx.clear();
  if (build.perfect && (build.unique || stop_at_first) && st.row == 0 && !st.chain_loaded && n <= kVectorSize) {
    // At most one match per probe row, or only whether it matches: the whole chunk in one pass.
    // build_idx holds build rows, or slots when build.by_slot.
    if (stop_at_first) {
      for (size_t i = 0; i < n; ++i) st.matched[i] = st.heads[i] != 0;
    } else {
      st.probe_idx.resize(n);
      st.build_idx.resize(n);
      size_t m = 0;
      for (size_t i = 0; i < n; ++i) {
        const uint32_t head = st.heads[i];
        st.probe_idx[m] = static_cast<uint32_t>(i);
        st.build_idx[m] = head - 1;
        m += head != 0;
      }
      st.probe_idx.resize(m);
      st.build_idx.resize(m);
    }
    st.row = n;
    if (!stop_at_first && !residual_ && (type_ == sql::JoinType::Inner || type_ == sql::JoinType::Left))
      return emit_in_place(build, st, in, out);
  }
  while (st.row < n && st.probe_idx.size() < kVectorSize) {
    const size_t i = st.row;
    if (!st.chain_loaded) {
      st.chain_loaded = true;
      st.chain_more = false;
      if (build.rows == 0 || (stop_at_first && st.matched[i])) {
        st.chain = 0;
      } else if (!build.keyed) {
        st.chain = 1;
      } else if (build.perfect) {
        st.chain = st.heads[i];
        st.chain_more = !build.unique;
      } else if (st.keys.any_null[i]) {
        st.chain = 0;
      } else if (build.fixed) {
        if (i + 16 < n) {
          const uint64_t h16 = st.keys.hashes[i + 16];
          const auto& p16 = build.part_of(h16);
          __builtin_prefetch(&p16.slots[h16 & p16.mask]);
        }
        const uint64_t key = st.keys.fixed[i];
        const uint64_t h = st.keys.hashes[i];
        const auto& part = build.part_of(h);
        uint64_t idx = h & part.mask;
        st.chain = 0;
        for (;;) {
          const auto& slot = part.slots[idx];
          if (slot.row == UINT32_MAX) break;
          if (slot.key == key) {
            st.chain = slot.row + 1;
            st.chain_more = slot.more != 0;
            break;
          }
          idx = (idx + 1) & part.mask;
        }
      } else {
        const uint64_t h = st.keys.hashes[i];
        const auto& part = build.part_of(h);
        st.chain = part.heads[h & part.mask];
        // Software pipelining: the bucket of a row 16 ahead, the first entry of a row 8 ahead.
        if (i + 16 < n) {
          const uint64_t h16 = st.keys.hashes[i + 16];
          const auto& p16 = build.part_of(h16);
          __builtin_prefetch(&p16.heads[h16 & p16.mask]);
        }
        if (i + 8 < n) {
          const uint64_t h8 = st.keys.hashes[i + 8];
          const auto& p8 = build.part_of(h8);
          uint32_t head = p8.heads[h8 & p8.mask];
          if (head) __builtin_prefetch(&build.entries[head - 1]);
        }
      }
    }
    while (st.chain != 0 && st.probe_idx.size() < kVectorSize) {
      uint32_t b = st.chain - 1;
      if (!build.keyed) {
        st.chain = b + 1 < build.rows ? b + 2 : 0;
      } else if (build.fixed || build.perfect) {
        st.chain = st.chain_more ? build.next[b] : 0;
      } else {
        const auto& entry = build.entries[b];
        st.chain = entry.next;
        if (entry.hash != st.keys.hashes[i] || !build.key_equal(b, st.keys, i)) continue;
      }
      if (stop_at_first) {
        st.matched[i] = 1;
        st.chain = 0;
        break;
      }
      st.probe_idx.push_back(static_cast<uint32_t>(i));
      st.build_idx.push_back(b);
    }
    if (st.chain == 0) {
      ++st.row;
      st.chain_loaded = false;
    }
  }
  const bool chunk_done = st.row >= n;
  const auto& probe_types = children[0]->types();
  const size_t probe_cols = probe_types.size();

  // Candidate pairs that pass the residual predicate.
  std::vector<uint32_t> pass_probe, pass_build;
  if (!st.probe_idx.empty()) {
    std::vector<uint32_t> phys(st.probe_idx.size());
    for (size_t k = 0; k < phys.size(); ++k) phys[k] = in.physical_row(st.probe_idx[k]);
    if (residual_) {
      std::vector<ColumnPtr> cols;
      for (size_t c = 0; c < probe_cols; ++c)
        cols.push_back(std::make_shared<const Column>(gather_column(in.column(c), phys.data(), phys.size())));
      for (const auto& bc : build.columns)
        cols.push_back(std::make_shared<const Column>(gather_column(bc, st.build_idx.data(), st.build_idx.size())));
      Chunk pairs(std::move(cols), phys.size());
      std::vector<uint32_t> hit;
      ExpressionExecutor::select(*residual_, pairs, nullptr, pairs.size(), hit);
      for (uint32_t h : hit) {
        pass_probe.push_back(st.probe_idx[h]);
        pass_build.push_back(st.build_idx[h]);
      }
    } else {
      pass_probe = st.probe_idx;
      pass_build = st.build_idx;
    }
    for (size_t k = 0; k < pass_probe.size(); ++k) {
      st.matched[pass_probe[k]] = 1;
      if (build.matched) build.matched[pass_build[k]].store(1, std::memory_order_relaxed);
    }
  }

  // Rows to emit: pairs, then (chunk done) the rows that depend on matches.
  std::vector<uint32_t> out_probe, out_build;
  std::vector<uint8_t> mark_values, mark_nulls;
  if (emits_pairs()) {
    out_probe = std::move(pass_probe);
    out_build = std::move(pass_build);
  }
  if (chunk_done) {
    for (uint32_t i = 0; i < n; ++i) {
      switch (type_) {
        case sql::JoinType::Left:
        case sql::JoinType::Full:
          if (!st.matched[i]) {
            out_probe.push_back(i);
            out_build.push_back(kNullRow);
          }
          break;
        case sql::JoinType::Semi:
          if (st.matched[i]) out_probe.push_back(i);
          break;
        case sql::JoinType::Anti:
          if (!st.matched[i]) out_probe.push_back(i);
          break;
        case sql::JoinType::Mark: {
          out_probe.push_back(i);
          bool probe_null = build.keyed && st.keys.any_null[i];
          bool is_null = !st.matched[i] && build.rows > 0 && (probe_null || build.has_null_key);
          mark_values.push_back(st.matched[i]);
          mark_nulls.push_back(is_null);
          break;
        }
        default: break;
      }
    }
    st.started = false;
  }
  if (out_probe.empty()) {
    out = Chunk();
    return chunk_done ? OpResult::NeedMoreInput : OpResult::HaveMoreOutput;
  }
  std::vector<uint32_t> phys(out_probe.size());
  for (size_t k = 0; k < phys.size(); ++k) phys[k] = in.physical_row(out_probe[k]);
  std::vector<ColumnPtr> cols;
  for (size_t c : probe_out_)
    cols.push_back(std::make_shared<const Column>(gather_column(in.column(c), phys.data(), phys.size())));
  if (emits_pairs()) {
    if (build.payload.usable) {
      // The records are scattered over the build side: request them all first, so that the
      // misses overlap instead of stalling the gathers one by one; a chunk's records fit in L2.
      const size_t last = build.payload.record - 1;  // a record past 64 bytes spans two lines
      for (uint32_t b : out_build) {
        if (b == kNullRow) continue;
        __builtin_prefetch(build.payload.row(b));
        if (last >= 64) __builtin_prefetch(build.payload.row(b) + last);
      }
    }
    for (size_t k = 0; k < build_out_.size(); ++k) {
      if (build.payload.usable)
        cols.push_back(std::make_shared<const Column>(gather_payload(build, k, out_build.data(), out_build.size())));
      else
        cols.push_back(std::make_shared<const Column>(gather_column(build.columns[build_out_[k]], out_build.data(), out_build.size())));
    }
  } else if (type_ == sql::JoinType::Mark) {
    Column mark(LogicalType::boolean());
    mark.resize(mark_values.size());
    for (size_t k = 0; k < mark_values.size(); ++k) {
      mark.data<uint8_t>()[k] = mark_values[k];
      if (mark_nulls[k]) mark.set_null(k);
    }
    cols.push_back(std::make_shared<const Column>(std::move(mark)));
  }
  out = Chunk(std::move(cols), phys.size());
  return chunk_done ? OpResult::NeedMoreInput : OpResult::HaveMoreOutput;
}

VISIONDB_INLINE OpResult HashJoinOp::emit_in_place(const detail::JoinBuild& build, detail::JoinProbe& st,
                                                   const Chunk& in, Chunk& out) const {
  // Each probe row matched at most one build row: the output keeps the input's columns as they
  // are (no copy) and selects its rows; the build columns are gathered at the physical rows of
  // their probe rows. A physical row read twice through the input's selection has the same key,
  // so the same match.
  st.started = false;
  const size_t n = in.size(), phys_n = in.physical_size(), m = st.probe_idx.size();
  const bool left = type_ == sql::JoinType::Left;
  if (m == 0 && !left) {
    out = Chunk();
    return OpResult::NeedMoreInput;
  }
  std::vector<uint32_t> rows(phys_n, kNullRow);
  auto sel = std::make_shared<SelectionVector>(left ? n : m);
  if (left) {
    for (size_t i = 0; i < n; ++i) (*sel)[i] = in.physical_row(i);
  }
  for (size_t k = 0; k < m; ++k) {
    const uint32_t p = in.physical_row(st.probe_idx[k]);
    if (!left) (*sel)[k] = p;
    rows[p] = st.build_idx[k];
  }
  std::vector<ColumnPtr> cols;
  for (size_t c : probe_out_) cols.push_back(in.column_ptr(c));
  if (build.payload.usable) {
    const size_t last = build.payload.record - 1;
    for (uint32_t b : rows) {
      if (b == kNullRow) continue;
      __builtin_prefetch(build.payload.row(b));
      if (last >= 64) __builtin_prefetch(build.payload.row(b) + last);
    }
  }
  for (size_t k = 0; k < build_out_.size(); ++k) {
    if (build.payload.usable)
      cols.push_back(std::make_shared<const Column>(gather_payload(build, k, rows.data(), phys_n)));
    else
      cols.push_back(std::make_shared<const Column>(gather_column(build.columns[build_out_[k]], rows.data(), phys_n)));
  }
  out = Chunk(std::move(cols), phys_n);
  // Every physical row, in order, when the input had no selection and all rows are kept.
  if (in.has_selection() || sel->size() != phys_n) out.set_selection(std::move(sel));
  return OpResult::NeedMoreInput;
}

VISIONDB_INLINE std::vector<Chunk> HashJoinOp::finish(ExecContext&, GlobalState* g) const {
  std::vector<Chunk> out;
  if (type_ != sql::JoinType::Right && type_ != sql::JoinType::Full) return out;
  auto& build = *static_cast<detail::JoinBuild*>(g);
  std::vector<uint32_t> rows;
  for (size_t b = 0; b < build.rows; ++b)
    if (!build.matched[b].load(std::memory_order_relaxed)) rows.push_back(static_cast<uint32_t>(b));
  const auto& probe_types = children[0]->types();
  for (size_t first = 0; first < rows.size(); first += kVectorSize) {
    size_t m = std::min(kVectorSize, rows.size() - first);
    std::vector<ColumnPtr> cols;
    for (size_t p : probe_out_) {
      Column c(probe_types[p]);
      for (size_t i = 0; i < m; ++i) c.append_null();
      cols.push_back(std::make_shared<const Column>(std::move(c)));
    }
    for (size_t c : build_out_)
      cols.push_back(std::make_shared<const Column>(gather_column(build.columns[c], rows.data() + first, m)));
    out.emplace_back(std::move(cols), m);
  }
  return out;
}

}  // namespace visiondb::exec
