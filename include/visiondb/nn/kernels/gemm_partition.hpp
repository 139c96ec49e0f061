// How the packed GEMM is cut into tasks: row blocks of about equal size, and column chunks when
// there are fewer row blocks than threads (small images, late layers).
#pragma once

#include <algorithm>
#include <cstddef>

namespace visiondb::nn::detail {

inline constexpr std::size_t kBlockRowsMax = 288;  // rows per block: the A block stays in L2

inline std::size_t round_up(std::size_t v, std::size_t m) { return (v + m - 1) / m * m; }

/// How a GEMM is cut into tasks. Any cut gives bitwise the same result (K is never split and
/// each element is accumulated in the same order), so the cut may follow the thread count.
struct GemmPartition {
  std::size_t rows = 0, mr = 1;
  std::size_t block_rows = 0;  // rows of the largest row block
  std::size_t row_blocks = 0, col_chunks = 0;
  /// First row of row block b (b == row_blocks: rows). The blocks hold about the same number of
  /// rows (their bounds are rounded to the nearest multiple of the micro-tile), so that no thread
  /// waits for another: 289 rows (Inception-v3's 17 x 17 maps) split 144 + 145, not 156 + 133.
  std::size_t row_start(std::size_t b) const noexcept {
    if (b >= row_blocks) return rows;
    return std::min(rows, (b * rows + row_blocks * mr / 2) / row_blocks / mr * mr);
  }
};

inline GemmPartition partition_gemm(std::size_t rows, std::size_t panels, std::size_t mr, std::size_t threads) {
  GemmPartition g;
  g.rows = rows;
  g.mr = mr;
  threads = std::max<std::size_t>(threads, 1);
  // As many row blocks as needed to bound their size, rounded to a multiple of the threads.
  std::size_t blocks = (rows + kBlockRowsMax - 1) / kBlockRowsMax;
  if (blocks > 1)
    blocks = round_up(blocks, threads);
  else if (threads > 1 && rows >= threads * 4 * mr)
    blocks = threads;
  g.row_blocks = std::max<std::size_t>(1, std::min(blocks, (rows + mr - 1) / mr));
  for (std::size_t b = 0; b < g.row_blocks; ++b) g.block_rows = std::max(g.block_rows, g.row_start(b + 1) - g.row_start(b));
  // Too few row blocks for the threads (small images, late layers): split the columns too.
  g.col_chunks = std::clamp<std::size_t>((threads + g.row_blocks - 1) / g.row_blocks, 1, panels);
  return g;
}

}  // namespace visiondb::nn::detail
