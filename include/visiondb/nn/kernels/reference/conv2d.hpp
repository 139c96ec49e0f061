// Reference convolution: plain loops over NCHW tensors, obviously correct, used to test the
// fast kernels. Not used by the networks.
#pragma once

#include <cmath>
#include <cstddef>
#include <vector>

namespace visiondb::nn::reference {

/// Convolution parameters of the reference kernels.
struct ConvShape {
  int n = 1, c_in = 1, h = 1, w = 1;
  int c_out = 1, kh = 1, kw = 1, stride_h = 1, stride_w = 1, pad_h = 0, pad_w = 0;
  int out_h() const noexcept { return (h + 2 * pad_h - kh) / stride_h + 1; }
  int out_w() const noexcept { return (w + 2 * pad_w - kw) / stride_w + 1; }
};

/// out[n][co][y][x] = bias[co] + sum over ci, ky, kx of in[n][ci][y*s-p+ky][x*s-p+kx] * weight[co][ci][ky][kx]
/// (zero outside the image), accumulated in double; then + residual (same shape as out) and ReLU.
inline std::vector<float> conv2d(const ConvShape& s, const std::vector<float>& in, const std::vector<float>& weight,
                                 const std::vector<float>& bias, const std::vector<float>* residual = nullptr,
                                 bool relu = false) {
  const int oh = s.out_h(), ow = s.out_w();
  std::vector<float> out(static_cast<std::size_t>(s.n) * s.c_out * oh * ow);
  for (int n = 0; n < s.n; ++n)
    for (int co = 0; co < s.c_out; ++co)
      for (int y = 0; y < oh; ++y)
        for (int x = 0; x < ow; ++x) {
          double acc = bias.empty() ? 0.0 : bias[co];
          for (int ci = 0; ci < s.c_in; ++ci)
            for (int ky = 0; ky < s.kh; ++ky)
              for (int kx = 0; kx < s.kw; ++kx) {
                const int iy = y * s.stride_h - s.pad_h + ky, ix = x * s.stride_w - s.pad_w + kx;
                if (iy < 0 || iy >= s.h || ix < 0 || ix >= s.w) continue;
                acc += static_cast<double>(in[((static_cast<std::size_t>(n) * s.c_in + ci) * s.h + iy) * s.w + ix]) *
                       weight[((static_cast<std::size_t>(co) * s.c_in + ci) * s.kh + ky) * s.kw + kx];
              }
          const std::size_t o = ((static_cast<std::size_t>(n) * s.c_out + co) * oh + y) * ow + x;
          if (residual) acc += (*residual)[o];
          if (relu && acc < 0) acc = 0;
          out[o] = static_cast<float>(acc);
        }
  return out;
}

/// y = x * W^T + b for x [rows x k], W [n x k] (torch Linear layout), in double.
inline std::vector<float> dense(int rows, int k, int n, const std::vector<float>& x, const std::vector<float>& weight,
                                const std::vector<float>& bias) {
  std::vector<float> out(static_cast<std::size_t>(rows) * n);
  for (int r = 0; r < rows; ++r)
    for (int j = 0; j < n; ++j) {
      double acc = bias.empty() ? 0.0 : bias[j];
      for (int t = 0; t < k; ++t)
        acc += static_cast<double>(x[static_cast<std::size_t>(r) * k + t]) * weight[static_cast<std::size_t>(j) * k + t];
      out[static_cast<std::size_t>(r) * n + j] = static_cast<float>(acc);
    }
  return out;
}

/// Batch norm in inference mode: (x - mean) / sqrt(var + eps) * gamma + beta, per channel (NCHW).
inline std::vector<float> batch_norm(int n, int c, int hw, const std::vector<float>& x, const std::vector<float>& gamma,
                                     const std::vector<float>& beta, const std::vector<float>& mean,
                                     const std::vector<float>& var, double eps) {
  std::vector<float> out(x.size());
  for (int in = 0; in < n; ++in)
    for (int ch = 0; ch < c; ++ch)
      for (int p = 0; p < hw; ++p) {
        const std::size_t i = (static_cast<std::size_t>(in) * c + ch) * hw + p;
        out[i] = static_cast<float>((x[i] - mean[ch]) / std::sqrt(var[ch] + eps) * gamma[ch] + beta[ch]);
      }
  return out;
}

}  // namespace visiondb::nn::reference
