// Out-of-line parts of scalar/substring.hpp: the operations and their overloads.
#pragma once

#include <algorithm>
#include <cstring>

#include "visiondb/config.hpp"
#include "visiondb/functions/detail/utf8.hpp"
#include "visiondb/functions/scalar/substring.hpp"

namespace visiondb::fn::detail {

// SUBSTR's start and end as byte offsets. pos > 0 is 1-based; pos == 0 is 1; pos < 0 counts from
// the end (-1 is the last unit) and clamps at the start; the piece is [start, start + length).
template <bool Utf8>
std::string_view substr_view(std::string_view s, int64_t pos, int64_t length) {
  size_t start = 0;
  if (pos > 0) {
    if constexpr (Utf8) {
      int64_t moved = 0;
      start = utf8_forward(s, 0, pos - 1, &moved);
      if (moved < pos - 1) return {};
    } else {
      if (static_cast<uint64_t>(pos - 1) >= s.size()) return {};
      start = static_cast<size_t>(pos - 1);
    }
  } else if (pos < 0) {
    if constexpr (Utf8) {
      start = utf8_backward(s, s.size(), pos == INT64_MIN ? INT64_MAX : -pos);
    } else {
      start = pos == INT64_MIN || static_cast<uint64_t>(-pos) >= s.size() ? 0 : s.size() - static_cast<size_t>(-pos);
    }
  }
  size_t end;
  if constexpr (Utf8) end = utf8_forward(s, start, length);
  else end = start + static_cast<size_t>(std::min<uint64_t>(static_cast<uint64_t>(length), s.size() - start));
  return s.substr(start, end - start);
}

template <bool Utf8>
struct SubstrOp {
  static bool apply(std::string_view s, int64_t pos, std::string_view& r) {
    r = substr_view<Utf8>(s, pos, INT64_MAX);
    return true;
  }
  static bool apply(std::string_view s, int64_t pos, int64_t length, std::string_view& r) {
    if (length < 0) return false;
    r = substr_view<Utf8>(s, pos, length);
    return true;
  }
  static std::string error(std::string_view, int64_t) { return {}; }
  static std::string error(std::string_view, int64_t, int64_t length) {
    return "third argument in SUBSTR() cannot be negative: " + std::to_string(length);
  }
};

template <bool Utf8>
struct LeftOp {
  static bool apply(std::string_view s, int64_t n, std::string_view& r) {
    if (n < 0) return false;
    r = substr_view<Utf8>(s, 1, n);
    return true;
  }
  static std::string error(std::string_view, int64_t n) {
    return "second argument in LEFT() cannot be negative: " + std::to_string(n);
  }
};

template <bool Utf8>
struct RightOp {
  static bool apply(std::string_view s, int64_t n, std::string_view& r) {
    if (n < 0) return false;
    r = n == 0 ? std::string_view() : substr_view<Utf8>(s, -n, n);
    return true;
  }
  static std::string error(std::string_view, int64_t n) {
    return "second argument in RIGHT() cannot be negative: " + std::to_string(n);
  }
};

// 1-based position of a byte offset: characters before it plus one.
template <bool Utf8>
int64_t position_of(std::string_view s, size_t byte) {
  if constexpr (Utf8) return utf8_length(s.substr(0, byte)) + 1;
  else return static_cast<int64_t>(byte) + 1;
}

template <bool Utf8>
struct StrposOp {
  static int64_t apply(std::string_view s, std::string_view t) {
    size_t p = s.find(t);
    return p == std::string_view::npos ? 0 : position_of<Utf8>(s, p);
  }
};

// INSTR after ZetaSQL's StrPosOccurrence: occurrences may overlap (the next search starts one
// character after the previous match); a negative position searches backwards from that
// character; INSTR('ab', '', 1, 3) = 3 and INSTR('a', '', -1) = 2.
template <bool Utf8>
struct InstrOp {
  static bool apply(std::string_view s, std::string_view t, int64_t& r) { return apply(s, t, 1, 1, r); }
  static bool apply(std::string_view s, std::string_view t, int64_t pos, int64_t& r) { return apply(s, t, pos, 1, r); }
  static bool apply(std::string_view s, std::string_view t, int64_t pos, int64_t occurrence, int64_t& r) {
    if (occurrence < 1 || pos == 0) return false;
    r = 0;
    if (pos > 0) {
      int64_t moved = 0;
      size_t at = Utf8 ? utf8_forward(s, 0, pos - 1, &moved) : static_cast<size_t>(std::min<uint64_t>(pos - 1, s.size()));
      if (Utf8 ? moved < pos - 1 : static_cast<uint64_t>(pos - 1) > s.size()) return true;
      for (int64_t k = 0; k < occurrence; ++k) {
        if (k > 0) {
          // One character past the previous match; past the end, an empty needle stops matching.
          int64_t step = 0;
          at = Utf8 ? utf8_forward(s, at, 1, &step) : at + 1;
          if (Utf8 && step == 0) ++at;
        }
        at = s.find(t, at);  // npos when at > size
        if (at == std::string_view::npos) return true;
      }
      r = position_of<Utf8>(s, at);
      return true;
    }
    // Backwards: the last match starting at or before the character `pos` names.
    int64_t back = pos == INT64_MIN ? INT64_MAX : -(pos + 1);
    int64_t moved = 0;
    size_t at = Utf8 ? utf8_backward(s, s.size(), back, &moved) : s.size() - static_cast<size_t>(std::min<uint64_t>(back, s.size()));
    if (Utf8 ? moved < back : static_cast<uint64_t>(back) > s.size()) return true;
    if (!t.empty()) {
      if (at == 0) return true;
      at = Utf8 ? utf8_backward(s, at, 1) : at - 1;
    }
    for (int64_t k = 0; k < occurrence; ++k) {
      if (k > 0) {
        if (at == 0) return true;
        at = Utf8 ? utf8_backward(s, at, 1) : at - 1;
      }
      at = s.rfind(t, at);
      if (at == std::string_view::npos) return true;
    }
    r = position_of<Utf8>(s, at);
    return true;
  }
  static std::string error(std::string_view, std::string_view) { return {}; }
  static std::string error(std::string_view s, std::string_view t, int64_t pos) { return error(s, t, pos, 1); }
  static std::string error(std::string_view, std::string_view, int64_t pos, int64_t occurrence) {
    if (occurrence < 1) return "occurrence must be positive in INSTR, got " + std::to_string(occurrence);
    return "position must be non-zero in INSTR, got " + std::to_string(pos);
  }
};

struct StartsWithOp {
  static bool apply(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }
};
struct EndsWithOp {
  static bool apply(std::string_view s, std::string_view p) {
    return s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
  }
};

// CONTAINS_SUBSTR compares after simple Unicode lower-casing (BigQuery also NFKC-normalizes).
inline void fold_case(std::string_view s, std::string& out) {
  out.clear();
  size_t at = 0;
  while (at < s.size()) utf8_append(out, unicode_lower(utf8_decode(s, at)));
}
struct ContainsSubstrOp {
  static bool apply(std::string_view s, std::string_view t) {
    thread_local std::string a, b;
    fold_case(s, a);
    fold_case(t, b);
    return a.find(b) != std::string::npos;
  }
};

template <bool Utf8>
struct ReverseOp {
  static bool apply(std::string_view s, std::string& r) {
    r.clear();
    if constexpr (Utf8) {
      size_t end = s.size();
      while (end > 0) {
        size_t start = utf8_backward(s, end, 1);
        r.append(s.data() + start, end - start);
        end = start;
      }
    } else {
      r.assign(s.rbegin(), s.rend());
    }
    return true;
  }
  static std::string error(std::string_view) { return {}; }
};

}  // namespace visiondb::fn::detail

namespace visiondb::fn {

namespace detail {
using SV = std::string_view;
inline LogicalType str_t() { return LogicalType::string(); }
inline LogicalType bytes_t() { return LogicalType::bytes(); }
inline LogicalType int_t() { return LogicalType::int64(); }
inline LogicalType bool_t() { return LogicalType::boolean(); }
}  // namespace detail

VISIONDB_INLINE FunctionSet SubstrFunction::overloads() {
  using namespace detail;
  return {nary<SV, SubstrOp<true>, SV, int64_t>({str_t(), int_t()}, str_t()),
          nary<SV, SubstrOp<true>, SV, int64_t, int64_t>({str_t(), int_t(), int_t()}, str_t()),
          nary<SV, SubstrOp<false>, SV, int64_t>({bytes_t(), int_t()}, bytes_t()),
          nary<SV, SubstrOp<false>, SV, int64_t, int64_t>({bytes_t(), int_t(), int_t()}, bytes_t())};
}
VISIONDB_INLINE FunctionSet SubstringFunction::overloads() { return SubstrFunction::overloads(); }
VISIONDB_INLINE FunctionSet LeftFunction::overloads() {
  using namespace detail;
  return {nary<SV, LeftOp<true>, SV, int64_t>({str_t(), int_t()}, str_t()),
          nary<SV, LeftOp<false>, SV, int64_t>({bytes_t(), int_t()}, bytes_t())};
}
VISIONDB_INLINE FunctionSet RightFunction::overloads() {
  using namespace detail;
  return {nary<SV, RightOp<true>, SV, int64_t>({str_t(), int_t()}, str_t()),
          nary<SV, RightOp<false>, SV, int64_t>({bytes_t(), int_t()}, bytes_t())};
}
VISIONDB_INLINE FunctionSet StrposFunction::overloads() {
  using namespace detail;
  return {nary<int64_t, StrposOp<true>, SV, SV>({str_t(), str_t()}, int_t()),
          nary<int64_t, StrposOp<false>, SV, SV>({bytes_t(), bytes_t()}, int_t())};
}
VISIONDB_INLINE FunctionSet InstrFunction::overloads() {
  using namespace detail;
  FunctionSet out;
  for (bool utf8 : {true, false}) {
    LogicalType t = utf8 ? str_t() : bytes_t();
    if (utf8) {
      out.push_back(nary<int64_t, InstrOp<true>, SV, SV>({t, t}, int_t()));
      out.push_back(nary<int64_t, InstrOp<true>, SV, SV, int64_t>({t, t, int_t()}, int_t()));
      out.push_back(nary<int64_t, InstrOp<true>, SV, SV, int64_t, int64_t>({t, t, int_t(), int_t()}, int_t()));
    } else {
      out.push_back(nary<int64_t, InstrOp<false>, SV, SV>({t, t}, int_t()));
      out.push_back(nary<int64_t, InstrOp<false>, SV, SV, int64_t>({t, t, int_t()}, int_t()));
      out.push_back(nary<int64_t, InstrOp<false>, SV, SV, int64_t, int64_t>({t, t, int_t(), int_t()}, int_t()));
    }
  }
  return out;
}
VISIONDB_INLINE FunctionSet StartsWithFunction::overloads() {
  using namespace detail;
  return {nary<bool, StartsWithOp, SV, SV>({str_t(), str_t()}, bool_t()),
          nary<bool, StartsWithOp, SV, SV>({bytes_t(), bytes_t()}, bool_t())};
}
VISIONDB_INLINE FunctionSet EndsWithFunction::overloads() {
  using namespace detail;
  return {nary<bool, EndsWithOp, SV, SV>({str_t(), str_t()}, bool_t()),
          nary<bool, EndsWithOp, SV, SV>({bytes_t(), bytes_t()}, bool_t())};
}
VISIONDB_INLINE FunctionSet ContainsSubstrFunction::overloads() {
  using namespace detail;
  return {nary<bool, ContainsSubstrOp, SV, SV>({str_t(), str_t()}, bool_t())};
}
VISIONDB_INLINE FunctionSet ReverseFunction::overloads() {
  using namespace detail;
  return {nary<SV, ReverseOp<true>, SV>({str_t()}, str_t()), nary<SV, ReverseOp<false>, SV>({bytes_t()}, bytes_t())};
}

}  // namespace visiondb::fn
