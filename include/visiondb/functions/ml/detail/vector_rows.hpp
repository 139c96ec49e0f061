// One row of an ARRAY<FLOAT64> or ARRAY<INT64> column seen as a vector of doubles: FLOAT64 rows
// point into the column's flat child (no copy); INT64 rows are converted into a scratch buffer.
#pragma once

#include <cstdint>
#include <vector>

#include "visiondb/storage/column.hpp"

namespace visiondb::fn::detail {

struct VectorRow {
  const double* data = nullptr;
  size_t size = 0;
  bool has_null_element = false;
};

/// True for the vector types ML.DISTANCE and VECTOR_SEARCH take.
inline bool is_vector_type(const LogicalType& t) {
  return t.id() == TypeId::Array && (t.element().id() == TypeId::Float64 || t.element().id() == TypeId::Int64);
}

/// Row `row` (physical, valid) of an ARRAY<FLOAT64 | INT64> column.
inline VectorRow vector_row(const Column& array, uint32_t row, std::vector<double>& scratch) {
  auto [first, last] = array.array_range(row);
  const Column& child = array.child();
  VectorRow v;
  v.size = static_cast<size_t>(last - first);
  if (!child.validity().all_valid())
    for (int64_t k = first; k < last; ++k)
      if (!child.is_valid(static_cast<size_t>(k))) v.has_null_element = true;
  if (child.type().id() == TypeId::Float64) {
    v.data = child.data<double>() + first;
  } else {
    scratch.resize(v.size);
    const int64_t* p = child.data<int64_t>() + first;
    for (size_t k = 0; k < v.size; ++k) scratch[k] = static_cast<double>(p[k]);
    v.data = scratch.data();
  }
  return v;
}

}  // namespace visiondb::fn::detail
