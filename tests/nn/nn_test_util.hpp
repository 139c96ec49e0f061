// Shared helpers of the nn tests: random tensors, error norms, reference fixtures.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "visiondb/nn/generated_weights.hpp"
#include "visiondb/nn/layers/conv2d.hpp"
#include "visiondb/nn/weight_loader.hpp"

namespace visiondb::nn::test {

/// A k x k stride-1 convolution padded to keep the size, its weights and batch norm generated
/// from `seed` (folded at load).
inline Conv2d generated_same_conv(int in_ch, int out_ch, int k, uint32_t seed, double eps) {
  Conv2dParams p;
  p.in_ch = in_ch;
  p.out_ch = out_ch;
  p.kh = p.kw = k;
  p.pad_h = p.pad_w = k / 2;
  const ConvBnNames names{"c.weight", "bn", eps};
  GeneratedWeights weights(Conv2d::tensor_specs(p, names), seed);
  WeightLoader loader(weights, "test");
  Conv2d conv(p);
  conv.load(loader, names);
  return conv;
}

inline std::vector<float> random_vector(std::size_t n, uint32_t seed, float lo = -1.0f, float hi = 1.0f) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(lo, hi);
  std::vector<float> v(n);
  for (auto& x : v) x = dist(rng);
  return v;
}

/// max |a - b| / max |b|.
inline double relative_inf_error(const std::vector<float>& a, const std::vector<float>& b) {
  double num = 0, den = 0;
  for (std::size_t i = 0; i < b.size(); ++i) {
    num = std::max(num, std::abs(static_cast<double>(a[i]) - b[i]));
    den = std::max(den, std::abs(static_cast<double>(b[i])));
  }
  return den > 0 ? num / den : num;
}

/// Indices of the k largest values of row r of a [rows x n] matrix, largest first.
inline std::vector<int> top_k(const std::vector<float>& m, std::size_t n, std::size_t r, int k) {
  std::vector<int> idx(n);
  std::iota(idx.begin(), idx.end(), 0);
  const float* row = m.data() + r * n;
  std::stable_sort(idx.begin(), idx.end(), [&](int a, int b) { return row[a] > row[b]; });
  idx.resize(k);
  return idx;
}

inline nlohmann::json load_fixture(const std::string& name) {
  const std::string path = std::string(VISIONDB_SOURCE_DIR) + "/tests/data/nn/" + name;
  std::ifstream f(path);
  if (!f) ADD_FAILURE() << "missing fixture " << path << " (tools/make_nn_fixtures.py writes it)";
  return nlohmann::json::parse(f);
}

/// The shared data dir (VISIONDB_DATA_DIR, else ../shared/data beside the sources), or "" when absent.
inline std::string shared_data_dir() {
  const char* env = std::getenv("VISIONDB_DATA_DIR");
  const std::string dir = env && *env ? std::string(env) : std::string(VISIONDB_SOURCE_DIR) + "/../shared/data";
  return std::filesystem::is_directory(dir) ? dir : std::string();
}

inline std::vector<float> fixture_floats(const nlohmann::json& entry) { return entry.at("data").get<std::vector<float>>(); }

}  // namespace visiondb::nn::test
