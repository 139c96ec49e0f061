// Out-of-line parts of winograd.hpp: the transform matrices, the weight transform (double), the
// input and output transforms (xsimd along channels, constant coefficients folded at compile
// time), and the tiled, threaded driver on the packed GEMM.
#pragma once

#include <algorithm>
#include <cstring>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "visiondb/common/aligned_buffer.hpp"
#include "visiondb/common/error.hpp"
#include "visiondb/common/parallel.hpp"
#include "visiondb/common/simd.hpp"
#include "visiondb/nn/kernels/winograd.hpp"

namespace visiondb::nn {
namespace detail {

// Lavin & Gray's matrices, interpolation points 0, +-1 (F2) and 0, +-1, +-2 (F4).
struct WinogradF2 {
  static constexpr int m = 2, t = 4;
  static constexpr float bt[4][4] = {{1, 0, -1, 0}, {0, 1, 1, 0}, {0, -1, 1, 0}, {0, 1, 0, -1}};
  static constexpr float at[2][4] = {{1, 1, 1, 0}, {0, 1, -1, -1}};
  static constexpr double g[4][3] = {{1, 0, 0}, {0.5, 0.5, 0.5}, {0.5, -0.5, 0.5}, {0, 0, 1}};
};

struct WinogradF4 {
  static constexpr int m = 4, t = 6;
  static constexpr float bt[6][6] = {{4, 0, -5, 0, 1, 0},  {0, -4, -4, 1, 1, 0}, {0, 4, -4, -1, 1, 0},
                                     {0, -2, -1, 2, 1, 0}, {0, 2, -1, -2, 1, 0}, {0, 4, 0, -5, 0, 1}};
  static constexpr float at[4][6] = {{1, 1, 1, 1, 1, 0}, {0, 1, -1, 2, -2, 0}, {0, 1, 1, 4, 4, 0}, {0, 1, -1, 8, -8, 1}};
  static constexpr double g[6][3] = {{1.0 / 4, 0, 0},
                                     {-1.0 / 6, -1.0 / 6, -1.0 / 6},
                                     {-1.0 / 6, 1.0 / 6, -1.0 / 6},
                                     {1.0 / 24, 1.0 / 12, 1.0 / 6},
                                     {1.0 / 24, -1.0 / 12, 1.0 / 6},
                                     {0, 0, 1}};
};

inline float wmadd(float a, float b, float c) { return a * b + c; }
template <class A>
inline xsimd::batch<float, A> wmadd(const xsimd::batch<float, A>& a, const xsimd::batch<float, A>& b,
                                    const xsimd::batch<float, A>& c) {
  return xsimd::fma(a, b, c);
}

template <class V>
struct WinogradLanes {  // an xsimd batch
  static constexpr int size = static_cast<int>(V::size);
  static V load(const float* p) { return V::load_unaligned(p); }
  static void store(float* p, const V& v) { v.store_unaligned(p); }
};
template <>
struct WinogradLanes<float> {
  static constexpr int size = 1;
  static float load(const float* p) { return *p; }
  static void store(float* p, float v) { *p = v; }
};

template <int N, class F>
inline void static_for(F&& f) {
  [&]<int... I>(std::integer_sequence<int, I...>) { (f(std::integral_constant<int, I>{}), ...); }(
      std::make_integer_sequence<int, N>{});
}

// The coefficients of a transform matrix, as compile-time constants.
template <class W>
struct BtCoef {
  static constexpr float get(int r, int k) { return W::bt[r][k]; }
};
template <class W>
struct AtCoef {
  static constexpr float get(int r, int k) { return W::at[r][k]; }
};

template <class C, int Row, int N>
constexpr int last_nonzero() {
  for (int k = N - 1; k >= 0; --k)
    if (C::get(Row, k) != 0.0f) return k;
  return -1;
}

template <float C, class V>
inline V scaled(const V& x) {
  if constexpr (C == 1.0f) return x;
  else if constexpr (C == -1.0f) return -x;
  else return x * V(C);
}

template <float C, class V>
inline V add_scaled(const V& acc, const V& x) {
  if constexpr (C == 1.0f) return acc + x;
  else if constexpr (C == -1.0f) return acc - x;
  else return wmadd(x, V(C), acc);
}

/// sum over k of C(Row, k) * x[k], the zero coefficients skipped and +-1 taken as adds.
template <class C, int Row, int N, int K = 0, class V>
inline V row_sum(const V* x) {
  constexpr int last = last_nonzero<C, Row, N>();
  static_assert(last >= 0, "a transform row of zeros");
  constexpr float c = C::get(Row, K);
  if constexpr (K == last) return scaled<c>(x[K]);
  else if constexpr (c == 0.0f) return row_sum<C, Row, N, K + 1>(x);
  else return add_scaled<c>(row_sum<C, Row, N, K + 1>(x), x[K]);
}

/// B^T d B for one tile and one group of channels: d read from the input (zero outside it), the
/// (t x t) result written to position p at u + p * pos_stride.
template <class W, class V>
inline void winograd_input_group(const TensorView& in, int n, int iy0, int ix0, int c0, float* u, std::size_t pos_stride) {
  constexpr int T = W::t;
  using L = WinogradLanes<V>;
  V dcol[T][T];  // dcol[j][k] = d[k][j]
  for (int k = 0; k < T; ++k) {
    const int iy = iy0 + k;
    const bool row_in = iy >= 0 && iy < in.h;
    for (int j = 0; j < T; ++j) {
      const int ix = ix0 + j;
      dcol[j][k] = row_in && ix >= 0 && ix < in.w ? L::load(in.at(n, iy, ix) + c0) : V(0.0f);
    }
  }
  V tmp[T][T];  // tmp[i][j] = (B^T d)[i][j]
  static_for<T>([&](auto i) {
    for (int j = 0; j < T; ++j) tmp[i][j] = row_sum<BtCoef<W>, decltype(i)::value, T>(dcol[j]);
  });
  static_for<T>([&](auto j) {
    for (int i = 0; i < T; ++i)
      L::store(u + static_cast<std::size_t>(i * T + j) * pos_stride, row_sum<BtCoef<W>, decltype(j)::value, T>(tmp[i]));
  });
}

/// A^T M A + bias (+ residual) (ReLU) for one tile and one group of channels; stores the pixels
/// that lie inside the output.
template <class W, class V>
inline void winograd_output_group(const float* mp, std::size_t pos_stride, const TensorView& out, int n, int oy0,
                                  int ox0, int c0, const float* bias, const GemmEpilogue& ep) {
  constexpr int T = W::t, M = W::m;
  using L = WinogradLanes<V>;
  V mcol[T][T];  // mcol[j][k] = M[k][j]
  for (int k = 0; k < T; ++k)
    for (int j = 0; j < T; ++j) mcol[j][k] = L::load(mp + static_cast<std::size_t>(k * T + j) * pos_stride);
  V tmp[M][T];
  static_for<M>([&](auto i) {
    for (int j = 0; j < T; ++j) tmp[i][j] = row_sum<AtCoef<W>, decltype(i)::value, T>(mcol[j]);
  });
  const V b = L::load(bias + c0);
  const V zero(0.0f);
  static_for<M>([&](auto j) {
    const int x = ox0 + j;
    if (x >= out.w) return;
    for (int i = 0; i < M; ++i) {
      const int y = oy0 + i;
      if (y >= out.h) break;
      V v = row_sum<AtCoef<W>, decltype(j)::value, T>(tmp[i]) + b;
      if (ep.residual) {
        const std::size_t row = (static_cast<std::size_t>(n) * out.h + y) * out.w + x;
        v += L::load(ep.residual + row * ep.residual_ld + c0);
      }
      if (ep.relu) {
        if constexpr (std::is_same_v<V, float>) v = v > 0.0f ? v : 0.0f;
        else v = xsimd::max(v, zero);
      }
      L::store(out.at(n, y, x) + c0, v);
    }
  });
}

#if XSIMD_WITH_AVX512F
using WinogradVec = xsimd::batch<float, xsimd::avx512f>;
#elif XSIMD_WITH_FMA3_AVX2
using WinogradVec = xsimd::batch<float, xsimd::fma3<xsimd::avx2>>;
#else
using WinogradVec = float;
#endif

template <class W>
void winograd_driver(const TensorView& in, int pad, const WinogradWeights& w, const TensorView& out,
                     const GemmEpilogue& ep, GemmIsa isa, int tiles_per_block) {
  constexpr int M = W::m, T = W::t, P = T * T;
  constexpr int kLanes = WinogradLanes<WinogradVec>::size;
  const int cin = w.in_ch(), cout = w.out_ch();
  const int th = (out.h + M - 1) / M, tw = (out.w + M - 1) / M;
  const std::size_t tiles = static_cast<std::size_t>(out.n) * th * tw;
  if (tiles == 0 || cout == 0) return;
  auto round_up = [](std::size_t v, std::size_t m) { return (v + m - 1) / m * m; };
  // Rows padded by 16 floats so that the GEMM's 12 row streams do not share L1 sets.
  const std::size_t ldu = round_up(static_cast<std::size_t>(cin), 16) + 16;
  const std::size_t ldm = round_up(static_cast<std::size_t>(cout), 16) + 16;
  const std::size_t threads = static_cast<std::size_t>(std::max(1, current_concurrency()));
  std::size_t tb = static_cast<std::size_t>(tiles_per_block > 0 ? tiles_per_block : winograd_default_block(M, cin, cout));
  // As many blocks as the size bound needs, rounded to a multiple of the threads so that they
  // share the work evenly. A row's result does not depend on which block it is in: any cut gives
  // the same bits.
  std::size_t blocks = (tiles + tb - 1) / tb;
  if (blocks >= threads) blocks = round_up(blocks, threads);
  // Too few tiles for a block per thread (small maps at small batches): one block of every tile,
  // whose products are computed position by position in parallel, so that each transformed
  // weight matrix is read once, by one thread (blocks per thread would each read all of them).
  const bool by_position = threads > 1 && blocks < threads;
  if (by_position) blocks = 1;
  tb = (tiles + blocks - 1) / blocks;
  blocks = (tiles + tb - 1) / tb;
  const std::size_t u_pos = tb * ldu, m_pos = tb * ldm;
  const int plane = th * tw;

  auto run_block = [&](std::size_t b, bool serial, float* u, float* mbuf) {
    const std::size_t t0 = b * tb, rows = std::min(tiles, t0 + tb) - t0;
    auto tile_origin = [&](std::size_t r, int& n, int& oy, int& ox) {
      const std::size_t id = t0 + r;
      n = static_cast<int>(id / static_cast<std::size_t>(plane));
      const int rem = static_cast<int>(id % static_cast<std::size_t>(plane));
      oy = rem / tw * M;
      ox = rem % tw * M;
    };
    auto inputs = [&](std::size_t r0, std::size_t r1) {
      for (std::size_t r = r0; r < r1; ++r) {
        int n, oy, ox;
        tile_origin(r, n, oy, ox);
        float* ur = u + r * ldu;
        int c0 = 0;
        for (; c0 + kLanes <= cin; c0 += kLanes)
          winograd_input_group<W, WinogradVec>(in, n, oy - pad, ox - pad, c0, ur + c0, u_pos);
        for (; c0 < cin; ++c0) winograd_input_group<W, float>(in, n, oy - pad, ox - pad, c0, ur + c0, u_pos);
      }
    };
    auto outputs = [&](std::size_t r0, std::size_t r1) {
      for (std::size_t r = r0; r < r1; ++r) {
        int n, oy, ox;
        tile_origin(r, n, oy, ox);
        const float* mr = mbuf + r * ldm;
        int c0 = 0;
        for (; c0 + kLanes <= cout; c0 += kLanes)
          winograd_output_group<W, WinogradVec>(mr + c0, m_pos, out, n, oy, ox, c0, w.bias(), ep);
        for (; c0 < cout; ++c0) winograd_output_group<W, float>(mr + c0, m_pos, out, n, oy, ox, c0, w.bias(), ep);
      }
    };
    if (serial) inputs(0, rows);
    else parallel_for(0, rows, 2, inputs);
    auto product = [&](std::size_t p) {
      GemmEpilogue plain;
      plain.bias = false;
      GemmA a;
      a.data = u + p * u_pos;
      a.ld = ldu;
      gemm(rows, a, w.position(static_cast<int>(p)), mbuf + p * m_pos, ldm, plain, isa, true);
    };
    if (serial) {
      for (std::size_t p = 0; p < P; ++p) product(p);
    } else {
      parallel_for_each_index(0, static_cast<std::size_t>(P), product);
    }
    if (serial) outputs(0, rows);
    else parallel_for(0, rows, 2, outputs);
  };

  const std::size_t u_floats = P * u_pos, m_floats = P * m_pos;
  if (!by_position) {
    parallel_for_each_index(0, blocks, [&](std::size_t b) {
      thread_local AlignedBuffer<float> u, mbuf;
      if (u.size() < u_floats) u.resize(u_floats);
      if (mbuf.size() < m_floats) mbuf.resize(m_floats);
      run_block(b, true, u.data(), mbuf.data());
    });
  } else {
    // One block (small maps): each phase runs in parallel.
    thread_local AlignedBuffer<float> u, mbuf;
    if (u.size() < u_floats) u.resize(u_floats);
    if (mbuf.size() < m_floats) mbuf.resize(m_floats);
    for (std::size_t b = 0; b < blocks; ++b) run_block(b, false, u.data(), mbuf.data());
  }
}

}  // namespace detail

VISIONDB_INLINE WinogradWeights::WinogradWeights(int tile, int in_ch, int out_ch, std::span<const float> kn,
                                                 const float* bias)
    : tile_(tile), in_ch_(in_ch), out_ch_(out_ch) {
  if (tile != 2 && tile != 4)
    visiondb::detail::throw_invalid_argument("Winograd tile must be 2 or 4, got " + std::to_string(tile));
  if (kn.size() != std::size_t{9} * in_ch * out_ch)
    visiondb::detail::throw_invalid_argument("Winograd weights: expected a (9 * in_ch) x out_ch matrix");
  const int t = tile + 2;
  const double* g = tile == 2 ? &detail::WinogradF2::g[0][0] : &detail::WinogradF4::g[0][0];
  const std::size_t co_n = static_cast<std::size_t>(out_ch);
  // U_p[ci][co] for every position p = (i, j): (G w G^T)[i][j], in double, output channels
  // innermost (contiguous, vectorised), written straight into the packed panels.
  positions_.resize(static_cast<std::size_t>(t * t));
  parallel_for_each_index(0, positions_.size(), [&](std::size_t p) { positions_[p] = PackedWeights(in_ch, out_ch); });
  const int panels = positions_[0].panels();
  parallel_for(0, static_cast<std::size_t>(in_ch), 8, [&](std::size_t c0, std::size_t c1) {
    std::vector<double> gw(static_cast<std::size_t>(t) * 3 * co_n);  // (G w)[i][kx][co]
    for (std::size_t ci = c0; ci < c1; ++ci) {
      for (int i = 0; i < t; ++i)
        for (int kx = 0; kx < 3; ++kx) {
          double* dst = gw.data() + (static_cast<std::size_t>(i) * 3 + kx) * co_n;
          const double g0 = g[i * 3], g1 = g[i * 3 + 1], g2 = g[i * 3 + 2];
          const float* w0 = kn.data() + (static_cast<std::size_t>(kx) * in_ch + ci) * co_n;
          const float* w1 = kn.data() + (static_cast<std::size_t>(3 + kx) * in_ch + ci) * co_n;
          const float* w2 = kn.data() + (static_cast<std::size_t>(6 + kx) * in_ch + ci) * co_n;
          for (std::size_t co = 0; co < co_n; ++co)
            dst[co] = g0 * static_cast<double>(w0[co]) + g1 * static_cast<double>(w1[co]) + g2 * static_cast<double>(w2[co]);
        }
      for (int i = 0; i < t; ++i)
        for (int j = 0; j < t; ++j) {
          const double h0 = g[j * 3], h1 = g[j * 3 + 1], h2 = g[j * 3 + 2];
          const double* r0 = gw.data() + (static_cast<std::size_t>(i) * 3) * co_n;
          const double* r1 = r0 + co_n;
          const double* r2 = r1 + co_n;
          PackedWeights& pw = positions_[static_cast<std::size_t>(i * t + j)];
          for (int pj = 0; pj < panels; ++pj) {
            float* dst = pw.panel_row(static_cast<int>(ci), pj);
            const std::size_t base = static_cast<std::size_t>(pj) * kPanelWidth;
            const std::size_t width = std::min<std::size_t>(kPanelWidth, co_n - base);
            for (std::size_t c = 0; c < width; ++c)
              dst[c] = static_cast<float>(r0[base + c] * h0 + r1[base + c] * h1 + r2[base + c] * h2);
          }
        }
    }
  });
  bias_.assign(co_n, 0.0f);
  if (bias) std::copy(bias, bias + out_ch, bias_.begin());
}

VISIONDB_INLINE std::size_t WinogradWeights::floats() const noexcept {
  return positions_.size() * static_cast<std::size_t>(in_ch_) * out_ch_;
}

VISIONDB_INLINE int winograd_default_block(int tile, int in_ch, int out_ch) noexcept {
  // The block's transformed input and products ((tile + 2)^2 x tiles x channels) within ~768 KiB.
  const int positions = (tile + 2) * (tile + 2);
  const int tiles = (768 * 1024 / 4) / (positions * (in_ch + out_ch + 32));
  return std::max(12, tiles / 12 * 12);
}

VISIONDB_INLINE void winograd_conv3x3(const TensorView& in, int pad, const WinogradWeights& w, const TensorView& out,
                                      const GemmEpilogue& epilogue, GemmIsa isa, int tiles_per_block) {
  if (w.empty()) visiondb::detail::throw_invalid_argument("winograd_conv3x3: no transformed weights");
  using Shape = std::vector<int64_t>;
  if (in.c != w.in_ch())
    throw ShapeError("winograd_conv3x3 input", Shape{in.n, w.in_ch(), in.h, in.w}, Shape{in.n, in.c, in.h, in.w});
  const Shape want{in.n, w.out_ch(), in.h + 2 * pad - 2, in.w + 2 * pad - 2};
  const Shape got{out.n, out.c, out.h, out.w};
  if (want != got) throw ShapeError("winograd_conv3x3 output", want, got);
  if (w.tile() == 2) detail::winograd_driver<detail::WinogradF2>(in, pad, w, out, epilogue, isa, tiles_per_block);
  else detail::winograd_driver<detail::WinogradF4>(in, pad, w, out, epilogue, isa, tiles_per_block);
}

}  // namespace visiondb::nn
