// Reference Winograd F(m x m, 3 x 3) convolution: plain loops over NCHW tensors, the transforms
// written as matrix products, in a chosen scalar type. In double it equals the direct convolution
// (the algorithm is exact in exact arithmetic); in float it rounds as a Winograd kernel does. Used
// to test the fast kernel (nn/kernels/winograd.hpp), never by the networks.
#pragma once

#include <cstddef>
#include <vector>

#include "visiondb/nn/kernels/reference/conv2d.hpp"

namespace visiondb::nn::reference {

/// The matrices of F(m x m, 3 x 3), m = 2 or 4 (Lavin & Gray, points 0, +-1, +-2).
struct WinogradMatrices {
  int m = 4;
  std::vector<std::vector<double>> bt, g, at;
  explicit WinogradMatrices(int tile) : m(tile) {
    if (tile == 2) {
      bt = {{1, 0, -1, 0}, {0, 1, 1, 0}, {0, -1, 1, 0}, {0, 1, 0, -1}};
      g = {{1, 0, 0}, {0.5, 0.5, 0.5}, {0.5, -0.5, 0.5}, {0, 0, 1}};
      at = {{1, 1, 1, 0}, {0, 1, -1, -1}};
    } else {
      bt = {{4, 0, -5, 0, 1, 0}, {0, -4, -4, 1, 1, 0}, {0, 4, -4, -1, 1, 0},
            {0, -2, -1, 2, 1, 0}, {0, 2, -1, -2, 1, 0}, {0, 4, 0, -5, 0, 1}};
      g = {{0.25, 0, 0}, {-1.0 / 6, -1.0 / 6, -1.0 / 6}, {-1.0 / 6, 1.0 / 6, -1.0 / 6},
           {1.0 / 24, 1.0 / 12, 1.0 / 6}, {1.0 / 24, -1.0 / 12, 1.0 / 6}, {0, 0, 1}};
      at = {{1, 1, 1, 1, 1, 0}, {0, 1, -1, 2, -2, 0}, {0, 1, 1, 4, 4, 0}, {0, 1, -1, 8, -8, 1}};
    }
  }
};

/// Y = A^T [ sum over ci of (G g G^T) .* (B^T d B) ] A per m x m output tile, every step in T, for
/// a 3 x 3 stride-1 convolution with zero padding s.pad_h (= s.pad_w); then + bias, + residual, ReLU.
template <class T>
std::vector<float> winograd_conv3x3(const ConvShape& s, int tile, const std::vector<float>& in,
                                    const std::vector<float>& weight, const std::vector<float>& bias,
                                    const std::vector<float>* residual = nullptr, bool relu = false) {
  const WinogradMatrices mats(tile);
  const int m = tile, t = tile + 2, oh = s.out_h(), ow = s.out_w();
  auto mul = [](const std::vector<std::vector<T>>& a, const std::vector<std::vector<T>>& b) {
    std::vector<std::vector<T>> c(a.size(), std::vector<T>(b[0].size(), T(0)));
    for (std::size_t i = 0; i < a.size(); ++i)
      for (std::size_t j = 0; j < b[0].size(); ++j)
        for (std::size_t k = 0; k < b.size(); ++k) c[i][j] += a[i][k] * b[k][j];
    return c;
  };
  auto cast = [](const std::vector<std::vector<double>>& a) {
    std::vector<std::vector<T>> c(a.size(), std::vector<T>(a[0].size()));
    for (std::size_t i = 0; i < a.size(); ++i)
      for (std::size_t j = 0; j < a[0].size(); ++j) c[i][j] = static_cast<T>(a[i][j]);
    return c;
  };
  auto transpose = [](const std::vector<std::vector<T>>& a) {
    std::vector<std::vector<T>> c(a[0].size(), std::vector<T>(a.size()));
    for (std::size_t i = 0; i < a.size(); ++i)
      for (std::size_t j = 0; j < a[0].size(); ++j) c[j][i] = a[i][j];
    return c;
  };
  const auto bt = cast(mats.bt), b = transpose(bt), at = cast(mats.at), a = transpose(at);
  // Transformed weights U[co][ci], computed in double then held in T (as a kernel packs them).
  const auto gd = mats.g;
  std::vector<std::vector<std::vector<T>>> u(static_cast<std::size_t>(s.c_out) * s.c_in);
  for (int co = 0; co < s.c_out; ++co)
    for (int ci = 0; ci < s.c_in; ++ci) {
      std::vector<std::vector<double>> gk(3, std::vector<double>(3));
      for (int ky = 0; ky < 3; ++ky)
        for (int kx = 0; kx < 3; ++kx) gk[ky][kx] = weight[((static_cast<std::size_t>(co) * s.c_in + ci) * 3 + ky) * 3 + kx];
      std::vector<std::vector<T>> ut(t, std::vector<T>(t));
      for (int i = 0; i < t; ++i)
        for (int j = 0; j < t; ++j) {
          double acc = 0;
          for (int ky = 0; ky < 3; ++ky)
            for (int kx = 0; kx < 3; ++kx) acc += gd[i][ky] * gk[ky][kx] * gd[j][kx];
          ut[i][j] = static_cast<T>(acc);
        }
      u[static_cast<std::size_t>(co) * s.c_in + ci] = ut;
    }
  std::vector<float> out(static_cast<std::size_t>(s.n) * s.c_out * oh * ow);
  for (int n = 0; n < s.n; ++n)
    for (int ty = 0; ty < oh; ty += m)
      for (int tx = 0; tx < ow; tx += m) {
        // Transformed input tiles of every channel.
        std::vector<std::vector<std::vector<T>>> v(s.c_in);
        for (int ci = 0; ci < s.c_in; ++ci) {
          std::vector<std::vector<T>> d(t, std::vector<T>(t, T(0)));
          for (int i = 0; i < t; ++i)
            for (int j = 0; j < t; ++j) {
              const int iy = ty - s.pad_h + i, ix = tx - s.pad_w + j;
              if (iy >= 0 && iy < s.h && ix >= 0 && ix < s.w)
                d[i][j] = in[((static_cast<std::size_t>(n) * s.c_in + ci) * s.h + iy) * s.w + ix];
            }
          v[ci] = mul(mul(bt, d), b);
        }
        for (int co = 0; co < s.c_out; ++co) {
          std::vector<std::vector<T>> mm(t, std::vector<T>(t, T(0)));
          for (int ci = 0; ci < s.c_in; ++ci)
            for (int i = 0; i < t; ++i)
              for (int j = 0; j < t; ++j) mm[i][j] += u[static_cast<std::size_t>(co) * s.c_in + ci][i][j] * v[ci][i][j];
          const auto y = mul(mul(at, mm), a);
          for (int i = 0; i < m && ty + i < oh; ++i)
            for (int j = 0; j < m && tx + j < ow; ++j) {
              const std::size_t o = ((static_cast<std::size_t>(n) * s.c_out + co) * oh + ty + i) * ow + tx + j;
              double acc = static_cast<double>(y[i][j]) + (bias.empty() ? 0.0 : bias[co]);
              if (residual) acc += (*residual)[o];
              if (relu && acc < 0) acc = 0;
              out[o] = static_cast<float>(acc);
            }
        }
      }
  return out;
}

}  // namespace visiondb::nn::reference
