// The train/evaluation split of CREATE MODEL (DATA_SPLIT_METHOD), with BigQuery's rules:
// AUTO_SPLIT keeps every row for training below 500 rows, evaluates on a random 20% up to 50,000
// rows and on 10,000 random rows above; RANDOM evaluates on a random DATA_SPLIT_EVAL_FRACTION;
// CUSTOM on the rows whose BOOL DATA_SPLIT_COL is TRUE or NULL; SEQ on the rows with the largest
// DATA_SPLIT_COL values; NO_SPLIT trains on everything.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "visiondb/config.hpp"
#include "visiondb/functions/ml/forest_options.hpp"
#include "visiondb/storage/chunk.hpp"

namespace visiondb::fn {

/// Which rows evaluate.
struct DataSplit {
  std::vector<uint8_t> is_eval;  ///< per row of the training query, in order
  size_t eval_rows = 0;
  size_t train_rows = 0;
};

/// The number of evaluation rows AUTO_SPLIT takes out of `rows` (0: no split).
size_t auto_split_eval_rows(size_t rows) noexcept;

/// Splits the rows of `chunks` (flattened: no selection). `split_column` is the index of
/// DATA_SPLIT_COL in the chunks for CUSTOM and SEQ (else ignored). RANDOM and AUTO_SPLIT draw
/// exactly round(rows * fraction) rows from a generator seeded by options.params.seed.
DataSplit split_rows(const ForestOptions& options, const std::vector<Chunk>& chunks, size_t split_column);

}  // namespace visiondb::fn

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/functions/ml/detail/data_split_impl.hpp"
#endif
