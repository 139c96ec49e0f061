// Runs a network on the generated input of a fixture and compares with PyTorch's outputs.
#pragma once

#include <gtest/gtest.h>

#include <map>

#include "nn_test_util.hpp"
#include "visiondb/models/network.hpp"
#include "visiondb/nn/generated_weights.hpp"

namespace visiondb::nn::test {

// Per-channel means and the top-left 4 x 5 x 5 window (NCHW order) of a stage's output.
struct StageDigest {
  std::vector<int64_t> shape;
  std::vector<float> channel_mean, slice;
};

inline StageDigest digest(const TensorView& t) {
  StageDigest d;
  d.shape = t.shape_nchw();
  d.channel_mean.assign(t.c, 0.0f);
  std::vector<double> sums(t.c, 0.0);
  for (std::size_t px = 0; px < t.pixels(); ++px)
    for (int ch = 0; ch < t.c; ++ch) sums[ch] += t.data[px * t.pitch + ch];
  for (int ch = 0; ch < t.c; ++ch) d.channel_mean[ch] = static_cast<float>(sums[ch] / static_cast<double>(t.pixels()));
  for (int n = 0; n < t.n; ++n)
    for (int ch = 0; ch < std::min(4, t.c); ++ch)
      for (int y = 0; y < std::min(5, t.h); ++y)
        for (int x = 0; x < std::min(5, t.w); ++x) d.slice.push_back(t.at(n, y, x)[ch]);
  return d;
}

inline void check_against_fixture(models::Network& net, const std::string& fixture_name) {
  const auto fx = load_fixture(fixture_name);
  std::map<std::string, StageDigest> stages;
  net.set_stage_observer([&](std::string_view stage, const TensorView& t) { stages[std::string(stage)] = digest(t); });
  const auto shape = fx.at("input_shape").get<std::vector<int>>();
  const std::size_t batch = static_cast<std::size_t>(shape[0]);
  const auto input = generated_input(shape[0], shape[1], shape[2], shape[3], fx.at("generator").at("seed").get<uint64_t>());
  models::OutputRequest all{true, true, true};
  const models::Outputs out = net.run(input, batch, all);
  net.set_stage_observer({});
  // Intermediate activations: every stage the fixture holds was produced, with torch's values.
  for (const auto& [name, want] : fx.at("intermediate").items()) {
    auto it = stages.find(name);
    ASSERT_NE(it, stages.end()) << "stage " << name << " not observed";
    EXPECT_EQ(it->second.shape, want.at("shape").get<std::vector<int64_t>>()) << name;
    EXPECT_LE(relative_inf_error(it->second.channel_mean, fixture_floats(want.at("channel_mean"))), 1e-4) << name;
    EXPECT_LE(relative_inf_error(it->second.slice, fixture_floats(want.at("slice"))), 1e-4) << name;
  }
  const auto logits = fixture_floats(fx.at("logits"));
  const auto embedding = fixture_floats(fx.at("embedding"));
  ASSERT_EQ(out.logits.size(), logits.size());
  ASSERT_EQ(out.embedding.size(), embedding.size());
  const double logit_err = relative_inf_error(out.logits, logits);
  const double emb_err = relative_inf_error(out.embedding, embedding);
  EXPECT_LE(logit_err, 1e-4) << "logits vs torch";
  EXPECT_LE(emb_err, 1e-4) << "embedding vs torch";
  ::testing::Test::RecordProperty("logits_rel_inf_error", std::to_string(logit_err));
  ::testing::Test::RecordProperty("embedding_rel_inf_error", std::to_string(emb_err));
  std::printf("%s: ||ours - torch||inf / ||torch||inf: logits %.3g, embedding %.3g\n", fixture_name.c_str(), logit_err, emb_err);
  const auto top5 = fx.at("top5").get<std::vector<std::vector<int>>>();
  for (std::size_t r = 0; r < batch; ++r) EXPECT_EQ(top_k(out.logits, 1000, r, 5), top5[r]) << "image " << r;
  for (std::size_t r = 0; r < batch; ++r) {
    double sum = 0;
    for (int j = 0; j < 1000; ++j) sum += out.probabilities[r * 1000 + j];
    EXPECT_NEAR(sum, 1.0, 1e-4);
    EXPECT_EQ(top_k(out.probabilities, 1000, r, 5), top5[r]);
  }
  // Embedding only: the classifier does not run, and the embedding is the same.
  const models::Outputs emb_only = net.run(input, batch, models::OutputRequest{false, false, true});
  EXPECT_TRUE(emb_only.logits.empty());
  EXPECT_TRUE(emb_only.probabilities.empty());
  EXPECT_EQ(emb_only.embedding, out.embedding);
}

// bf16 convolutions: an explicit option, about 3 significant digits; its accuracy is printed
// (docs/models.md quotes it) and bounded loosely.
inline void check_bf16_against_fixture(models::Network& net, const std::string& fixture_name) {
  net.set_precision(models::Precision::Bf16);
  const auto fx = load_fixture(fixture_name);
  const auto shape = fx.at("input_shape").get<std::vector<int>>();
  const std::size_t batch = static_cast<std::size_t>(shape[0]);
  const auto input = generated_input(shape[0], shape[1], shape[2], shape[3], fx.at("generator").at("seed").get<uint64_t>());
  const models::Outputs out = net.run(input, batch, models::OutputRequest{true, false, true});
  const double logit_err = relative_inf_error(out.logits, fixture_floats(fx.at("logits")));
  const double emb_err = relative_inf_error(out.embedding, fixture_floats(fx.at("embedding")));
  EXPECT_LT(logit_err, 5e-2);
  EXPECT_LT(emb_err, 5e-2);
  const auto top5 = fx.at("top5").get<std::vector<std::vector<int>>>();
  int common = 0;
  for (std::size_t r = 0; r < batch; ++r)
    for (int c : top_k(out.logits, 1000, r, 5)) common += std::count(top5[r].begin(), top5[r].end(), c) > 0 ? 1 : 0;
  std::printf("%s bf16 vs torch fp32: logits %.3g, embedding %.3g, top-5 overlap %d of %zu\n", fixture_name.c_str(),
              logit_err, emb_err, common, 5 * batch);
  net.set_precision(models::Precision::Fp32);
}

}  // namespace visiondb::nn::test
