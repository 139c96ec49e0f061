// Out-of-line parts of gemm.hpp: the micro-kernels (xsimd, one per architecture, and a scalar
// one), the blocked and threaded driver, and im2col.
#pragma once

#include <algorithm>
#include <array>
#include <utility>
#include <cstring>

#include "visiondb/common/assert.hpp"
#include "visiondb/common/error.hpp"
#include "visiondb/common/parallel.hpp"
#include "visiondb/common/simd.hpp"
#include "visiondb/nn/kernels/gemm.hpp"
#include "visiondb/nn/kernels/gemm_partition.hpp"

namespace visiondb::nn {

VISIONDB_INLINE PackedWeights::PackedWeights(int rows, int cols, std::span<const float> kn, const float* bias)
    : k_(rows), n_(cols), block_k_(gemm_block_k(rows)) {
  VISIONDB_ASSERT(kn.size() == static_cast<std::size_t>(rows) * cols);
  const int np = panels();
  data_.resize(static_cast<std::size_t>(np) * k_ * kPanelWidth);
  bias_.resize(static_cast<std::size_t>(np) * kPanelWidth);
  for (int k0 = 0; k0 < k_; k0 += block_k_)
    for (int j = 0; j < np; ++j) {
      float* dst = const_cast<float*>(slice(k0, j));
      const int width = std::min(kPanelWidth, n_ - j * kPanelWidth);
      for (int kk = k0; kk < std::min(k_, k0 + block_k_); ++kk)
        std::memcpy(dst + static_cast<std::size_t>(kk - k0) * kPanelWidth,
                    kn.data() + static_cast<std::size_t>(kk) * n_ + static_cast<std::size_t>(j) * kPanelWidth,
                    sizeof(float) * static_cast<std::size_t>(width));
    }
  if (bias) std::memcpy(bias_.data(), bias, sizeof(float) * static_cast<std::size_t>(n_));
}

VISIONDB_INLINE PackedWeights::PackedWeights(int rows, int cols) : k_(rows), n_(cols), block_k_(gemm_block_k(rows)) {
  data_.resize(static_cast<std::size_t>(panels()) * k_ * kPanelWidth);
  bias_.resize(static_cast<std::size_t>(panels()) * kPanelWidth);
}

VISIONDB_INLINE std::vector<float> PackedWeights::unpacked() const {
  std::vector<float> kn(static_cast<std::size_t>(k_) * n_);
  for (int k0 = 0; k0 < k_; k0 += block_k_)
    for (int j = 0; j < panels(); ++j) {
      const float* src = slice(k0, j);
      const int width = std::min(kPanelWidth, n_ - j * kPanelWidth);
      for (int kk = k0; kk < std::min(k_, k0 + block_k_); ++kk)
        std::memcpy(kn.data() + static_cast<std::size_t>(kk) * n_ + static_cast<std::size_t>(j) * kPanelWidth,
                    src + static_cast<std::size_t>(kk - k0) * kPanelWidth, sizeof(float) * static_cast<std::size_t>(width));
    }
  return kn;
}

namespace detail {

/// The epilogue of one micro-tile, its pointers already offset to the tile.
struct TileEpilogue {
  const float* bias = nullptr;      // 32 floats, or null
  const float* residual = nullptr;  // row stride residual_ld, or null
  std::size_t residual_ld = 0;
  bool relu = false;

  /// The epilogue of the tile at row r0, panel p, given the bias padded to whole panels (null:
  /// the caller adds the bias elsewhere).
  static TileEpilogue of_tile(const GemmEpilogue& ep, const float* padded_bias, std::size_t r0, std::size_t p) {
    TileEpilogue t;
    t.bias = ep.bias && padded_bias ? padded_bias + p * kPanelWidth : nullptr;
    t.residual = ep.residual ? ep.residual + r0 * ep.residual_ld + p * kPanelWidth : nullptr;
    t.residual_ld = ep.residual_ld;
    t.relu = ep.relu;
    return t;
  }
};

// The scalar tail shared by every kernel: finishes a tile held in `tile` (MR x 32).
template <int MR>
inline void store_tile_scalar(const float (*tile)[kPanelWidth], int rows, int cols, float* c, std::size_t ldc,
                              bool accumulate, const TileEpilogue* ep) {
  for (int r = 0; r < rows; ++r)
    for (int j = 0; j < cols; ++j) {
      float x = tile[r][j];
      float* cp = c + static_cast<std::size_t>(r) * ldc + j;
      if (accumulate) x += *cp;
      if (ep) {
        if (ep->bias) x += ep->bias[j];
        if (ep->residual) x += ep->residual[static_cast<std::size_t>(r) * ep->residual_ld + j];
        if (ep->relu) x = x > 0.0f ? x : 0.0f;
      }
      *cp = x;
    }
}

/// The A operand of one micro-tile within a K block: `pieces` consecutive ranges of K,
/// [k[i], k[i + 1]) relative to the block's start, each with its own row pointers
/// rows[i * stride + r] (k contiguous from the range's start). A plain matrix is one piece; an
/// implicit convolution has one piece per (ky, kx) tap that the block overlaps, so that the C tile
/// stays in registers across taps.
struct TileA {
  const int* k = nullptr;
  int pieces = 1;
  const float* const* rows = nullptr;
  int stride = 0;
};

/// One row tile's run along the panels of a panel group: the C tiles (MR rows x 32 columns each)
/// of A (a TileA) times `panels` consecutive B panel slices of one K block.
struct PanelRun {
  const float* b = nullptr;          // the first panel's slice
  std::size_t b_stride = 0;          // floats from one panel's slice to the next
  float* c = nullptr;                // the first panel's tile
  std::size_t ldc = 0;
  int panels = 1;
  int last_cols = kPanelWidth;       // columns of the last panel (N's tail)
  bool accumulate = false;           // a later K block: add to C
  const float* init = nullptr;       // the first K block: the sums start from these 32 floats per
                                     // panel (the bias), else from zero
  const TileEpilogue* ep = nullptr;  // the last K block: residual (offset to the first panel)
                                     // and ReLU; its bias is unused (see init)
  const char* l2_prefetch = nullptr;  // lines of weights to request into L2 meanwhile, one per k step
  int l2_lines = 0;
};

/// The micro-kernel: C tiles of exactly MR rows (SimdKernelAnyRows picks MR), one panel after the
/// other with A's row pointers loaded once, so that the per-tile cost outside the k loop stays
/// small next to K = 64's 768 cycles of FMAs (ResNet-50's first stage).
template <class Arch, int MR>
struct SimdKernel {
  using V = xsimd::batch<float, Arch>;
  static constexpr int kLanes = static_cast<int>(V::size);
  static constexpr int kVecs = kPanelWidth / kLanes;
  static constexpr int kRows = MR;
  static constexpr int kPrefetchSteps = 16;

  static void run(const TileA& a, const PanelRun& run) {
    const TileEpilogue* ep = run.ep;
    const float* residual = ep ? ep->residual : nullptr;
    const char* l2 = run.l2_prefetch;
    int l2_left = run.l2_lines;
    for (int p = 0; p < run.panels; ++p) {
      float* c = run.c + static_cast<std::size_t>(p) * kPanelWidth;
      const float* b = run.b + static_cast<std::size_t>(p) * run.b_stride;
      const float* res = residual ? residual + static_cast<std::size_t>(p) * kPanelWidth : nullptr;
      // The epilogue's residual rows (a tensor written layers ago, out of L1/L2) and the C rows
      // (for writing), requested now so that they arrive while the tile is computed.
#pragma GCC unroll 32
      for (int r = 0; r < MR; ++r) {
        if (res) {
          __builtin_prefetch(res + static_cast<std::size_t>(r) * ep->residual_ld);
          __builtin_prefetch(res + static_cast<std::size_t>(r) * ep->residual_ld + 16);
        }
        __builtin_prefetch(c + static_cast<std::size_t>(r) * run.ldc, 1);
        __builtin_prefetch(c + static_cast<std::size_t>(r) * run.ldc + 16, 1);
      }
      V acc[MR][kVecs];
      if (run.init) {
        V start[kVecs];
#pragma GCC unroll 4
        for (int v = 0; v < kVecs; ++v) start[v] = V::load_unaligned(run.init + static_cast<std::size_t>(p) * kPanelWidth + v * kLanes);
#pragma GCC unroll 32
        for (int r = 0; r < MR; ++r)
#pragma GCC unroll 4
          for (int v = 0; v < kVecs; ++v) acc[r][v] = start[v];
      } else {
#pragma GCC unroll 32
        for (int r = 0; r < MR; ++r)
#pragma GCC unroll 4
          for (int v = 0; v < kVecs; ++v) acc[r][v] = V(0.0f);
      }
      for (int pc = 0; pc < a.pieces; ++pc) {
        const float* ar[MR];
        const float* const* piece_rows = a.rows + static_cast<std::size_t>(pc) * a.stride;
#pragma GCC unroll 32
        for (int r = 0; r < MR; ++r) ar[r] = piece_rows[r];
        const int kc = a.k[pc + 1] - a.k[pc];
        const float* bk = b + static_cast<std::size_t>(a.k[pc]) * kPanelWidth;
        // The next piece's rows start elsewhere in the input (another tap): request their first
        // 128 bytes now (on the first panel only: the later ones find them in L1).
        if (p == 0 && pc + 1 < a.pieces) {
          const float* const* next_rows = piece_rows + a.stride;
#pragma GCC unroll 32
          for (int r = 0; r < MR; ++r) {
            __builtin_prefetch(next_rows[r]);
            __builtin_prefetch(next_rows[r] + 16);
          }
        }
        // The weights kPrefetchSteps steps ahead, 128 bytes per step (past the slice's end: the
        // next panel's, which follows it in memory).
        const float* pf = bk + kPrefetchSteps * kPanelWidth;
        auto step = [&](int k) __attribute__((always_inline)) {
          __builtin_prefetch(pf + static_cast<std::size_t>(k) * kPanelWidth);
          __builtin_prefetch(pf + static_cast<std::size_t>(k) * kPanelWidth + 16);
          V bv[kVecs];
#pragma GCC unroll 4
          for (int v = 0; v < kVecs; ++v) bv[v] = V::load_aligned(bk + static_cast<std::size_t>(k) * kPanelWidth + v * kLanes);
#pragma GCC unroll 32
          for (int r = 0; r < MR; ++r) {
            const V av(ar[r][k]);
#pragma GCC unroll 4
            for (int v = 0; v < kVecs; ++v) acc[r][v] = xsimd::fma(av, bv[v], acc[r][v]);
          }
        };
        int k = 0;
        if (l2_left > 0) {
          const int kl = std::min(kc, l2_left);
          for (; k < kl; ++k) {
            __builtin_prefetch(l2 + static_cast<std::size_t>(k) * 64, 0, 2);
            step(k);
          }
          l2 += static_cast<std::size_t>(kl) * 64;
          l2_left -= kl;
        }
        for (; k < kc; ++k) step(k);
      }
      if (p + 1 < run.panels || run.last_cols == kPanelWidth) {
        const V zero(0.0f);
#pragma GCC unroll 32
        for (int r = 0; r < MR; ++r)
#pragma GCC unroll 4
          for (int v = 0; v < kVecs; ++v) {
            float* cp = c + static_cast<std::size_t>(r) * run.ldc + v * kLanes;
            V x = acc[r][v];
            if (run.accumulate) x += V::load_unaligned(cp);
            if (ep) {
              if (res) x += V::load_unaligned(res + static_cast<std::size_t>(r) * ep->residual_ld + v * kLanes);
              if (ep->relu) x = xsimd::max(x, zero);
            }
            x.store_unaligned(cp);
          }
        continue;
      }
      // The last, partial panel. Not over-aligned: an aligned array would make this function
      // realign its stack and keep rbp as a frame pointer, one general register fewer for the 12
      // row pointers of the k loop.
      float tile[MR][kPanelWidth];
      for (int r = 0; r < MR; ++r)
        for (int v = 0; v < kVecs; ++v) acc[r][v].store_unaligned(&tile[r][v * kLanes]);
      TileEpilogue tail;
      if (ep) {
        tail = *ep;
        tail.bias = nullptr;
        tail.residual = res;
      }
      store_tile_scalar<MR>(tile, MR, run.last_cols, c, run.ldc, run.accumulate, ep ? &tail : nullptr);
    }
  }
};

/// Runs the tile with a kernel of exactly `rows` rows (1..MR), so that a last, partial row tile
/// costs what it computes (Inception's 35 x 35, 17 x 17 and 71 x 71 maps leave one row over).
template <class Arch, int MR>
struct SimdKernelAnyRows {
  static constexpr int kRows = MR;
  using Fn = void (*)(const TileA&, const PanelRun&);
  template <std::size_t... R>
  static constexpr std::array<Fn, MR> table(std::index_sequence<R...>) {
    return {&SimdKernel<Arch, static_cast<int>(R) + 1>::run...};
  }
  static void run(const TileA& a, int rows, const PanelRun& run) {
    static constexpr std::array<Fn, MR> kernels = table(std::make_index_sequence<MR>{});
    kernels[rows - 1](a, run);
  }
};

/// The portable kernel: plain loops (the compiler may vectorise them for the generic build).
struct ScalarKernel {
  static constexpr int kRows = 4;
  static void run(const TileA& a, int rows, const PanelRun& run) {
    for (int p = 0; p < run.panels; ++p) {
      const float* b = run.b + static_cast<std::size_t>(p) * run.b_stride;
      alignas(64) float tile[kRows][kPanelWidth] = {};
      for (int r = 0; r < rows; ++r)
        for (int j = 0; j < kPanelWidth; ++j) tile[r][j] = run.init ? run.init[p * kPanelWidth + j] : 0.0f;
      for (int pc = 0; pc < a.pieces; ++pc)
        for (int r = 0; r < rows; ++r) {
          const float* ar = a.rows[static_cast<std::size_t>(pc) * a.stride + r];
          for (int k = 0; k < a.k[pc + 1] - a.k[pc]; ++k) {
            const float av = ar[k];
            const float* bk = b + static_cast<std::size_t>(a.k[pc] + k) * kPanelWidth;
            for (int j = 0; j < kPanelWidth; ++j) tile[r][j] += av * bk[j];
          }
        }
      TileEpilogue tail;
      if (run.ep) {
        tail = *run.ep;
        tail.bias = nullptr;
        if (tail.residual) tail.residual += static_cast<std::size_t>(p) * kPanelWidth;
      }
      const int cols = p + 1 < run.panels ? kPanelWidth : run.last_cols;
      store_tile_scalar<kRows>(tile, rows, cols, run.c + static_cast<std::size_t>(p) * kPanelWidth, run.ldc,
                               run.accumulate, run.ep ? &tail : nullptr);
    }
  }
};

// Implicit pieces: one per (ky, kx) tap with at least this many input channels. With fewer (the
// RGB stems), one per kernel row (kx and channel contiguous in a dense input) when that row has at
// least kImplicitMinRowFloats floats; else im2col.
inline constexpr int kImplicitMinChannels = 16;
inline constexpr int kImplicitMinRowFloats = 8;
inline constexpr int kMaxPieces = kGemmMaxBlockK / kImplicitMinRowFloats + 2;
inline constexpr std::size_t kGroupBytes = 256 * 1024;  // weights of a panel group: half of L2

/// Panels per group for a K block of kc rows: as many as fit kGroupBytes, at least one.
inline std::size_t panels_per_group(std::size_t kc) noexcept {
  return std::max<std::size_t>(1, kGroupBytes / (kc * kPanelWidth * sizeof(float)));
}
/// Cache lines of `panels` consecutive panel slices of a K block of kc rows (64-byte lines).
inline std::size_t panel_lines(std::size_t panels, std::size_t kc) noexcept {
  return panels * kc * kPanelWidth * sizeof(float) / 64;
}

inline constexpr std::size_t kSharedIm2colMaxFloats = std::size_t{8} << 20;  // 32 MiB

/// Where an output pixel's window starts in the input, and its offset there (may lie outside).
struct RowOrigin {
  int iy = 0, ix = 0;
  bool inside_w = false;  // the window lies within the image's width
  bool inside = false;    // ... and its height
  std::ptrdiff_t offset = 0;
};


template <class Kernel>
void gemm_driver(std::size_t rows, const GemmA& a, const PackedWeights& b, float* c, std::size_t ldc,
                 const GemmEpilogue& ep, bool single_thread, const PackedWeights* next) {
  constexpr int MR = Kernel::kRows;
  const int K = b.k(), N = b.n(), block_k = b.block_k();
  const std::size_t panels = static_cast<std::size_t>(b.panels());
  if (rows == 0 || N == 0) return;
  const GemmPartition part =
      partition_gemm(rows, panels, MR, single_thread ? 1 : static_cast<std::size_t>(current_concurrency()));
  const std::size_t block_rows = part.block_rows, row_blocks = part.row_blocks, col_chunks = part.col_chunks;
  GemmA shared = a;
  // Implicit convolution: the rows of a piece of K that lies within one (ky, kx) tap, or within
  // one kernel row of a dense input with few channels, are the input pixels themselves (or zeros),
  // so nothing is copied; see kImplicitMinRowFloats for the rest, built by im2col.
  const bool tap_pieces = a.conv && a.conv->input.c >= kImplicitMinChannels;
  const bool row_pieces = a.conv && !tap_pieces && a.conv->input.pitch == a.conv->input.c &&
                          a.conv->kw * a.conv->input.c >= kImplicitMinRowFloats;
  // im2col with column chunks: they would each build the same rows, so build them once, in
  // parallel, and read them in place (only when few rows: large images have enough row blocks).
  if (a.conv && !tap_pieces && !row_pieces && col_chunks > 1 &&
      rows * static_cast<std::size_t>(K) <= kSharedIm2colMaxFloats) {
    thread_local AlignedBuffer<float> whole;
    const std::size_t ld = round_up(static_cast<std::size_t>(K), 16) + 16;
    if (whole.size() < rows * ld) whole.resize(rows * ld);
    // A thread_local named inside the lambda would be each worker's own: pass the pointer.
    float* whole_data = whole.data();
    const ConvGeometry* conv = a.conv;
    parallel_for(0, rows, 16, [=](std::size_t r0, std::size_t r1) {
      im2col_block(*conv, r0, r1 - r0, 0, K, whole_data + r0 * ld, ld);
    });
    shared.conv = nullptr;
    shared.data = whole_data;
    shared.ld = ld;
  }
  const GemmA& a_src = shared;
  // A residual that is C itself (ResNet's bottleneck writes its sum over its input): C starts as
  // the residual and every K block accumulates into it, so the residual is read only once.
  const bool residual_is_c = ep.residual == c && ep.residual_ld == ldc;
  GemmEpilogue ep_last = ep;
  if (residual_is_c) ep_last.residual = nullptr;
  const ConvGeometry* conv = a_src.conv;
  const bool implicit = conv && (tap_pieces || row_pieces);
  // The floats of K per piece boundary: a tap's channels, or a kernel row's.
  const int piece_unit = !implicit ? K : tap_pieces ? conv->input.c : conv->kw * conv->input.c;
  auto run_task = [&](std::size_t task) {
    const std::size_t rb = task / col_chunks, cc = task % col_chunks;
    const std::size_t m0 = part.row_start(rb), m1 = part.row_start(rb + 1);
    const std::size_t p0 = cc * panels / col_chunks, p1 = (cc + 1) * panels / col_chunks;
    thread_local AlignedBuffer<float> a_block;
    // Padded so that consecutive rows do not fall into the same L1 set.
    const std::size_t lda_block = round_up(static_cast<std::size_t>(block_k), 16) + 16;
    const bool copy = conv && !implicit;
    if (copy && a_block.size() < block_rows * lda_block) a_block.resize(block_rows * lda_block);
    thread_local AlignedBuffer<float> edge_rows;  // row pieces: the rows whose window crosses an edge
    if (row_pieces && edge_rows.size() < MR * lda_block) edge_rows.resize(MR * lda_block);
    alignas(64) static const float zeros[kGemmMaxBlockK] = {};
    // Implicit: each row's window origin and its offset in the input, decoded once per task;
    // each piece then adds its tap's offset, or points at zeros where the tap is in the padding.
    thread_local std::vector<RowOrigin> origins;
    if (implicit) {
      if (origins.size() < m1 - m0) origins.resize(block_rows);
      const TensorView& in = conv->input;
      const std::size_t plane = static_cast<std::size_t>(conv->out_h) * conv->out_w;
      int img = static_cast<int>(m0 / plane), oy = static_cast<int>(m0 % plane) / conv->out_w,
          ox = static_cast<int>(m0 % plane) % conv->out_w;
      for (std::size_t row = m0; row < m1; ++row) {
        RowOrigin& o = origins[row - m0];
        o.iy = oy * conv->stride_h - conv->pad_h;
        o.ix = ox * conv->stride_w - conv->pad_w;
        o.offset = ((static_cast<std::ptrdiff_t>(img) * in.h + o.iy) * in.w + o.ix) * in.pitch;
        o.inside_w = o.ix >= 0 && o.ix + conv->kw <= in.w;
        o.inside = o.inside_w && o.iy >= 0 && o.iy + conv->kh <= in.h;
        if (++ox == conv->out_w) {
          ox = 0;
          if (++oy == conv->out_h) {
            oy = 0;
            ++img;
          }
        }
      }
    }
    for (int k0 = 0; k0 < K; k0 += block_k) {
      const int kc = std::min(block_k, K - k0);
      if (copy) im2col_block(*conv, m0, m1 - m0, k0, kc, a_block.data(), lda_block);
      // Pieces of [k0, k0 + kc): one for a plain matrix, one per tap for an implicit convolution
      // (offsets relative to k0).
      int piece_k[kMaxPieces + 1], pieces = 0;
      for (int k = k0; k < k0 + kc;) {
        piece_k[pieces++] = k - k0;
        k = implicit ? std::min(k0 + kc, (k / piece_unit + 1) * piece_unit) : k0 + kc;
      }
      piece_k[pieces] = kc;
      const bool last_block = k0 + kc == K;
      const std::size_t group = panels_per_group(static_cast<std::size_t>(kc));
      for (std::size_t g0 = p0; g0 < p1; g0 += group) {
        const std::size_t g1 = std::min(p1, g0 + group);
        // The next group's weights (or the next K block's first group's, or the next layer's),
        // requested into L2 a share per row tile, so that its first row tile does not wait for them.
        const char* next_b = nullptr;
        std::size_t next_lines = 0;
        if (g1 < p1) {
          next_b = reinterpret_cast<const char*>(b.slice(k0, static_cast<int>(g1)));
          next_lines = panel_lines(std::min(p1, g1 + group) - g1, static_cast<std::size_t>(kc));
        } else if (k0 + kc < K) {
          const auto kn = static_cast<std::size_t>(std::min(block_k, K - k0 - kc));
          next_b = reinterpret_cast<const char*>(b.slice(k0 + kc, static_cast<int>(p0)));
          next_lines = panel_lines(std::min(p1, p0 + panels_per_group(kn)) - p0, kn);
        } else if (next && next->k() > 0 && next->n() > 0) {
          // The next layer's first group (its cut by threads is not known here: the first panels).
          const auto kn = static_cast<std::size_t>(next->block_k());
          next_b = reinterpret_cast<const char*>(next->slice(0, 0));
          next_lines = panel_lines(std::min(static_cast<std::size_t>(next->panels()), panels_per_group(kn)), kn);
        }
        const std::size_t tiles = (m1 - m0 + MR - 1) / MR;
        const std::size_t lines_per_tile = (next_lines + tiles - 1) / tiles;
        for (std::size_t r0 = m0; r0 < m1; r0 += MR) {
          const int nrows = static_cast<int>(std::min<std::size_t>(MR, m1 - r0));
          // Row pointers of each piece for this row tile.
          const float* row_ptr[kMaxPieces][MR];
          if (tap_pieces) {
            const TensorView& in = conv->input;
            const RowOrigin* org = origins.data() + (r0 - m0);
            bool all_inside = true;
            for (int r = 0; r < nrows; ++r) all_inside &= org[r].inside;
            for (int pc = 0; pc < pieces && all_inside; ++pc) {  // no padding in this row tile
              const int ks = k0 + piece_k[pc], tap = ks / in.c, ci = ks % in.c;
              const int dy = tap / conv->kw, dx = tap % conv->kw;
              const float* tap_base = in.data + ((static_cast<std::ptrdiff_t>(dy) * in.w + dx) * in.pitch + ci);
              for (int r = 0; r < nrows; ++r) row_ptr[pc][r] = tap_base + org[r].offset;
            }
            for (int pc = 0; pc < pieces && !all_inside; ++pc) {
              const int ks = k0 + piece_k[pc], tap = ks / in.c, ci = ks % in.c;
              const int dy = tap / conv->kw, dx = tap % conv->kw;
              const std::ptrdiff_t tap_off = (static_cast<std::ptrdiff_t>(dy) * in.w + dx) * in.pitch + ci;
              for (int r = 0; r < nrows; ++r) {
                const bool inside = static_cast<unsigned>(org[r].iy + dy) < static_cast<unsigned>(in.h) &&
                                    static_cast<unsigned>(org[r].ix + dx) < static_cast<unsigned>(in.w);
                row_ptr[pc][r] = inside ? in.data + (org[r].offset + tap_off) : zeros;
              }
            }
          } else if (row_pieces) {
            // A kernel row is contiguous in the input unless the window crosses the left or right
            // edge: those rows (a few per image row) are built by im2col into a small buffer.
            const TensorView& in = conv->input;
            const RowOrigin* org = origins.data() + (r0 - m0);
            int piece_dy[kMaxPieces];
            std::ptrdiff_t piece_off[kMaxPieces];
            for (int pc = 0; pc < pieces; ++pc) {
              const int ks = k0 + piece_k[pc];
              piece_dy[pc] = ks / piece_unit;
              piece_off[pc] = static_cast<std::ptrdiff_t>(piece_dy[pc]) * in.w * in.pitch + ks % piece_unit;
            }
            for (int r = 0; r < nrows; ++r) {
              if (org[r].inside_w) {
                for (int pc = 0; pc < pieces; ++pc)
                  row_ptr[pc][r] = static_cast<unsigned>(org[r].iy + piece_dy[pc]) < static_cast<unsigned>(in.h)
                                       ? in.data + (org[r].offset + piece_off[pc])
                                       : zeros;
              } else {
                float* edge = edge_rows.data() + static_cast<std::size_t>(r) * lda_block;
                im2col_block(*conv, r0 + static_cast<std::size_t>(r), 1, k0, kc, edge, lda_block);
                for (int pc = 0; pc < pieces; ++pc) row_ptr[pc][r] = edge + piece_k[pc];
              }
            }
          } else {
            for (int r = 0; r < nrows; ++r) {
              const std::size_t row = r0 + static_cast<std::size_t>(r);
              row_ptr[0][r] = copy ? a_block.data() + (row - m0) * lda_block : a_src.data + row * a_src.ld + k0;
            }
          }
          TileA tile_a;
          tile_a.k = piece_k;
          tile_a.pieces = pieces;
          tile_a.rows = &row_ptr[0][0];
          tile_a.stride = MR;
          // The bias starts the sums of the first K block; the residual and ReLU finish the last.
          const TileEpilogue tile_ep = last_block ? TileEpilogue::of_tile(ep_last, nullptr, r0, g0) : TileEpilogue{};
          PanelRun run;
          run.b = b.slice(k0, static_cast<int>(g0));
          run.b_stride = static_cast<std::size_t>(kc) * kPanelWidth;
          run.c = c + r0 * ldc + g0 * kPanelWidth;
          run.ldc = ldc;
          run.panels = static_cast<int>(g1 - g0);
          run.last_cols = std::min<int>(kPanelWidth, N - static_cast<int>(g1 - 1) * kPanelWidth);
          run.accumulate = k0 > 0 || residual_is_c;
          run.init = k0 == 0 && ep.bias ? b.bias() + g0 * kPanelWidth : nullptr;
          run.ep = last_block ? &tile_ep : nullptr;
          if (next_b) {
            const std::size_t first = (r0 - m0) / MR * lines_per_tile;
            run.l2_prefetch = next_b + first * 64;
            run.l2_lines = static_cast<int>(std::min(next_lines, first + lines_per_tile) - std::min(next_lines, first));
          }
          Kernel::run(tile_a, nrows, run);
        }
      }
    }
  };
  if (single_thread) {
    for (std::size_t task = 0; task < row_blocks * col_chunks; ++task) run_task(task);
  } else {
    parallel_for_each_index(0, row_blocks * col_chunks, run_task);
  }
}

}  // namespace detail

namespace detail {
// The runs im2col copies are short (the stems' 9 or 21 floats per kernel row): a plain loop
// beats a call to memcpy / memset.
inline void copy_floats(float* dst, const float* src, int n) {
  for (int i = 0; i < n; ++i) dst[i] = src[i];
}
inline void zero_floats(float* dst, int n) {
  for (int i = 0; i < n; ++i) dst[i] = 0.0f;
}
}  // namespace detail

VISIONDB_INLINE void im2col_block(const ConvGeometry& g, std::size_t row0, std::size_t rows, int k0, int kc,
                                  float* dst, std::size_t ld_dst) {
  const TensorView& in = g.input;
  const int cin = in.c, per_ky = g.kw * cin;
  const std::size_t plane = static_cast<std::size_t>(g.out_h) * g.out_w;
  const int kend = k0 + kc;
  const int ky_first = k0 / per_ky, ky_last = (kend - 1) / per_ky;
  // The first row's pixel, decoded once; the next rows step through it.
  int n = static_cast<int>(row0 / plane);
  int oy = static_cast<int>(row0 % plane) / g.out_w, ox = static_cast<int>(row0 % plane) % g.out_w;
  for (std::size_t r = 0; r < rows; ++r) {
    const int iy0 = oy * g.stride_h - g.pad_h, ix0 = ox * g.stride_w - g.pad_w;
    float* d = dst + r * ld_dst - k0;  // indexed by absolute k
    // Offsets t = k - ky * per_ky whose kx falls inside the image: [lo, hi).
    const int lo = std::clamp(-ix0 * cin, 0, per_ky), hi = std::clamp((in.w - ix0) * cin, 0, per_ky);
    for (int ky = ky_first; ky <= ky_last; ++ky) {
      const int ka = std::max(k0, ky * per_ky), kb = std::min(kend, (ky + 1) * per_ky);
      const int iy = iy0 + ky;
      if (iy < 0 || iy >= in.h) {
        detail::zero_floats(d + ka, kb - ka);
        continue;
      }
      const int base = ky * per_ky;
      const int za = std::min(kb, std::max(ka, base + lo)), zb = std::max(za, std::min(kb, base + hi));
      if (za > ka) detail::zero_floats(d + ka, za - ka);
      if (zb < kb) detail::zero_floats(d + zb, kb - zb);
      if (zb <= za) continue;
      if (in.pitch == cin) {
        const float* src = in.at(n, iy, 0) + static_cast<std::ptrdiff_t>(ix0) * cin - base;
        detail::copy_floats(d + za, src + za, zb - za);
      } else {
        for (int k = za; k < zb;) {
          const int t = k - base, kx = t / cin, ci = t % cin;
          const int run = std::min(cin - ci, zb - k);
          detail::copy_floats(d + k, in.at(n, iy, ix0 + kx) + ci, run);
          k += run;
        }
      }
    }
    if (++ox == g.out_w) {
      ox = 0;
      if (++oy == g.out_h) {
        oy = 0;
        ++n;
      }
    }
  }
}

VISIONDB_INLINE bool gemm_isa_available(GemmIsa isa) noexcept {
  switch (isa) {
    case GemmIsa::Best:
    case GemmIsa::Scalar: return true;
    case GemmIsa::Avx512: return XSIMD_WITH_AVX512F != 0;
    case GemmIsa::Avx2: return XSIMD_WITH_FMA3_AVX2 != 0;
  }
  return false;
}

VISIONDB_INLINE void gemm(std::size_t rows, const GemmA& a, const PackedWeights& b, float* c, std::size_t ldc,
                          const GemmEpilogue& epilogue, GemmIsa isa, bool single_thread, const PackedWeights* next) {
  if (isa == GemmIsa::Best) {
#if XSIMD_WITH_AVX512F
    isa = GemmIsa::Avx512;
#elif XSIMD_WITH_FMA3_AVX2
    isa = GemmIsa::Avx2;
#else
    isa = GemmIsa::Scalar;
#endif
  }
  switch (isa) {
#if XSIMD_WITH_AVX512F
    case GemmIsa::Avx512: return detail::gemm_driver<detail::SimdKernelAnyRows<xsimd::avx512f, 12>>(rows, a, b, c, ldc, epilogue, single_thread, next);
#endif
#if XSIMD_WITH_FMA3_AVX2
    case GemmIsa::Avx2: return detail::gemm_driver<detail::SimdKernelAnyRows<xsimd::fma3<xsimd::avx2>, 3>>(rows, a, b, c, ldc, epilogue, single_thread, next);
#endif
    case GemmIsa::Scalar: return detail::gemm_driver<detail::ScalarKernel>(rows, a, b, c, ldc, epilogue, single_thread, next);
    default: break;
  }
  visiondb::detail::throw_invalid_argument("gemm: instruction set not compiled into this build");
}

}  // namespace visiondb::nn
