// VECTOR_SEARCH: BigQuery's table function for the nearest embeddings, by brute force.
//   VECTOR_SEARCH({TABLE base | (query)}, 'column_to_search', {TABLE queries | (query)}
//                 [, 'query_column_to_search'] [, query_column_to_search => 'c'] [, top_k => 10]
//                 [, distance_type => 'EUCLIDEAN' | 'COSINE' | 'DOT_PRODUCT'] [, options => '{...}'])
// One output row per (query row, one of its top_k nearest base rows): `query` (a STRUCT of the
// query row), `base` (a STRUCT of the base row) and `distance`. The queries are read first; the
// base table then streams through per-worker top-k heaps (SIMD distance tiles, parallel over base
// chunks and ranges of queries), merged at the end. Ties go to the base row read first.
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "visiondb/sql/function_interface.hpp"

namespace visiondb::fn {

class VectorSearchFunction final : public sql::TableFunction {
 public:
  VectorSearchFunction() : TableFunction("VECTOR_SEARCH") {}
  static constexpr std::string_view doc =
      "VECTOR_SEARCH(TABLE base | (query), 'column', TABLE queries | (query) [, 'query_column'] [, top_k => n] "
      "[, distance_type => 'EUCLIDEAN' | 'COSINE' | 'DOT_PRODUCT']): the top_k nearest base rows of each query row";
  size_t max_table_arguments() const override { return 2; }
  std::shared_ptr<sql::BoundTableFunction> bind(std::vector<sql::TableFunctionArgument>& args,
                                                SourceSpan span) const override;
};

}  // namespace visiondb::fn

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/functions/ml/detail/vector_search_impl.hpp"
#endif
