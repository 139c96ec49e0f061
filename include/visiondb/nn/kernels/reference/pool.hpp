// Reference pooling and softmax: plain loops over NCHW tensors with torchvision's semantics
// (floor output size, padding counted by average pooling, -inf padding for max pooling).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <vector>

namespace visiondb::nn::reference {

/// Max (is_max) or average pooling, kernel k, stride s, padding p; average counts the padding
/// (count_include_pad=True, as F.avg_pool2d by default).
inline std::vector<float> pool2d(int n, int c, int h, int w, const std::vector<float>& in, int k, int s, int p,
                                 bool is_max, int* out_h = nullptr, int* out_w = nullptr) {
  const int oh = (h + 2 * p - k) / s + 1, ow = (w + 2 * p - k) / s + 1;
  if (out_h) *out_h = oh;
  if (out_w) *out_w = ow;
  std::vector<float> out(static_cast<std::size_t>(n) * c * oh * ow);
  for (int in_ = 0; in_ < n; ++in_)
    for (int ch = 0; ch < c; ++ch)
      for (int y = 0; y < oh; ++y)
        for (int x = 0; x < ow; ++x) {
          double acc = is_max ? -std::numeric_limits<double>::infinity() : 0.0;
          for (int ky = 0; ky < k; ++ky)
            for (int kx = 0; kx < k; ++kx) {
              const int iy = y * s - p + ky, ix = x * s - p + kx;
              if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
              const double v = in[((static_cast<std::size_t>(in_) * c + ch) * h + iy) * w + ix];
              acc = is_max ? std::max(acc, v) : acc + v;
            }
          out[((static_cast<std::size_t>(in_) * c + ch) * oh + y) * ow + x] =
              static_cast<float>(is_max ? acc : acc / (k * k));
        }
  return out;
}

/// Mean over H x W: [n, c, h, w] -> [n, c].
inline std::vector<float> global_avg_pool(int n, int c, int hw, const std::vector<float>& in) {
  std::vector<float> out(static_cast<std::size_t>(n) * c);
  for (std::size_t i = 0; i < out.size(); ++i) {
    double acc = 0;
    for (int p = 0; p < hw; ++p) acc += in[i * hw + p];
    out[i] = static_cast<float>(acc / hw);
  }
  return out;
}

/// Row-wise softmax of [rows x n].
inline std::vector<float> softmax(int rows, int n, const std::vector<float>& x) {
  std::vector<float> out(x.size());
  for (int r = 0; r < rows; ++r) {
    const float* xr = x.data() + static_cast<std::size_t>(r) * n;
    double mx = xr[0], sum = 0;
    for (int j = 1; j < n; ++j) mx = std::max<double>(mx, xr[j]);
    for (int j = 0; j < n; ++j) sum += std::exp(xr[j] - mx);
    for (int j = 0; j < n; ++j) out[static_cast<std::size_t>(r) * n + j] = static_cast<float>(std::exp(xr[j] - mx) / sum);
  }
  return out;
}

}  // namespace visiondb::nn::reference
