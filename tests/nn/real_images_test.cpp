// End to end on real photos (the shared data dir; skipped when absent): visiondb's decode +
// preprocessing + network against PIL + torchvision's presets + torchvision's network, on the same
// generated weights. The reference numbers come from tools/make_nn_image_fixtures.py.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "nn_test_util.hpp"
#include "visiondb/common/checksum.hpp"
#include "visiondb/image/decode.hpp"
#include "visiondb/image/preprocess.hpp"
#include "visiondb/models/inception_v3.hpp"
#include "visiondb/models/resnet50.hpp"
#include "visiondb/nn/detail/sha256.hpp"
#include "visiondb/nn/generated_weights.hpp"

namespace visiondb::models {
namespace {

// Lossless PNGs decode to Pillow's exact pixels, so only the arithmetic differs: the same bound as
// the generated-input fixtures. JPEGs go through stb_image, whose IDCT and chroma upsampling differ
// from Pillow's libjpeg-turbo by up to 3 levels on a few pixels (tests/image/samples_test.cpp):
// measured on these photos, that moves the logits by at most 1.0e-3 of the largest (ResNet-50) and
// 7.2e-4 (Inception-v3), against 4.4e-7 for the PNGs; the bound leaves a 5x margin.
constexpr double kLosslessTolerance = 1e-4;
constexpr double kJpegTolerance = 5e-3;

struct Photo {
  std::string file;
  std::vector<float> input;  // normalised NCHW
};

std::unique_ptr<Network> build(const std::string& arch, const nn::GeneratedWeights& w) {
  if (arch == "resnet50") return std::make_unique<ResNet50>(w);
  return std::make_unique<InceptionV3>(w);
}

img::PreprocessParams params_of(const nlohmann::json& net, const nlohmann::json& doc) {
  img::PreprocessParams p;
  p.resize_shorter = net.at("resize");
  p.crop_height = p.crop_width = net.at("crop");
  for (int c = 0; c < 3; ++c) {
    p.mean[c] = doc.at("mean")[c].get<float>();
    p.std[c] = doc.at("std")[c].get<float>();
  }
  return p;
}

// CRC-32 of the uint8 crop (CHW), as PIL's Resize + CenterCrop + PILToTensor gives it.
uint32_t crop_crc(const img::Image& image, img::PreprocessParams p) {
  p.mean = {0, 0, 0};
  p.std = {1, 1, 1};
  std::vector<float> unit(p.output_size());
  img::preprocess_image(image, p, unit);
  std::vector<uint8_t> u8(unit.size());
  for (std::size_t i = 0; i < unit.size(); ++i) u8[i] = static_cast<uint8_t>(std::nearbyint(unit[i] * 255.0f));
  return crc32_update(0, u8.data(), u8.size());
}

void check_network(const std::string& arch) {
  const std::string data = nn::test::shared_data_dir();
  if (data.empty()) GTEST_SKIP() << "no shared data dir (set VISIONDB_DATA_DIR); real-photo checks skipped";
  const auto doc = nn::test::load_fixture("real_images.json");
  const auto& net_doc = doc.at("networks").at(arch);
  const img::PreprocessParams params = params_of(net_doc, doc);
  const auto& rows = net_doc.at("photos");

  // Decode and preprocess every photo with visiondb, as one batch.
  std::vector<float> batch_input;
  for (const auto& row : rows) {
    const std::string path = data + "/images/samples/" + row.at("file").get<std::string>();
    SCOPED_TRACE(path);
    const std::vector<uint8_t> bytes = img::read_file_bytes(path, uint64_t{64} << 20);
    ASSERT_EQ(nn::detail::sha256_hex(bytes), row.at("sha256").get<std::string>()) << "not the photo the fixture was made from";
    const img::Image image = img::decode_image(bytes, path);
    if (row.at("lossless").get<bool>())
      EXPECT_EQ(crop_crc(image, params), row.at("crop_crc32").get<uint32_t>()) << "uint8 crop differs from PIL's";
    const std::size_t at = batch_input.size();
    batch_input.resize(at + params.output_size());
    img::decode_and_preprocess(bytes, path, params, std::span<float>(batch_input).subspan(at));
  }
  const std::size_t batch = rows.size();
  const nn::GeneratedWeights weights(arch == "resnet50" ? ResNet50::tensor_specs() : InceptionV3::tensor_specs(),
                                     doc.at("seed").get<uint64_t>());
  const auto net = build(arch, weights);
  ASSERT_EQ(net->preprocessing().input_size, params.crop_width);
  ASSERT_EQ(net->preprocessing().resize_size, params.resize_shorter);
  const Outputs out = net->run(batch_input, batch, OutputRequest{true, false, true});

  const auto fixed_idx = doc.at("fixed_logit_indices").get<std::vector<int>>();
  double worst_lossless = 0, worst_jpeg = 0;
  int jpeg_same_top5 = 0, jpeg_count = 0;
  for (std::size_t r = 0; r < batch; ++r) {
    const auto& row = rows[r];
    SCOPED_TRACE(row.at("file").get<std::string>());
    const bool lossless = row.at("lossless").get<bool>();
    const double tol = lossless ? kLosslessTolerance : kJpegTolerance;
    const float* logits = out.logits.data() + r * 1000;
    const float* emb = out.embedding.data() + r * net->embedding_size();
    const double scale = row.at("logit_max_abs").get<double>();
    const auto top10 = row.at("top10").get<std::vector<int>>();
    const auto top10_logits = row.at("top10_logits").get<std::vector<double>>();
    const auto fixed = row.at("fixed_logits").get<std::vector<double>>();
    // Logits: the 10 largest and 32 at fixed indices, relative to the largest magnitude.
    double err = 0;
    for (std::size_t i = 0; i < top10.size(); ++i) err = std::max(err, std::abs(logits[top10[i]] - top10_logits[i]));
    for (std::size_t i = 0; i < fixed_idx.size(); ++i) err = std::max(err, std::abs(logits[fixed_idx[i]] - fixed[i]));
    err /= scale;
    EXPECT_LE(err, tol) << "logits vs torch";
    (lossless ? worst_lossless : worst_jpeg) = std::max(lossless ? worst_lossless : worst_jpeg, err);
    // Embedding: 16 values and its statistics, relative to its largest value.
    const auto& e = row.at("embedding");
    const double emax = e.at("max").get<double>();
    double sum = 0, sq = 0, mx = -1e30;
    for (std::size_t i = 0; i < net->embedding_size(); ++i) {
      sum += emb[i];
      sq += double(emb[i]) * emb[i];
      mx = std::max(mx, double(emb[i]));
    }
    const auto first = e.at("first").get<std::vector<double>>();
    for (std::size_t i = 0; i < first.size(); ++i) EXPECT_NEAR(emb[i], first[i], tol * emax) << "embedding[" << i << "]";
    EXPECT_NEAR(sum / net->embedding_size(), e.at("mean").get<double>(), tol * emax);
    EXPECT_NEAR(std::sqrt(sq / net->embedding_size()), e.at("rms").get<double>(), tol * emax);
    EXPECT_NEAR(mx, emax, tol * emax);
    EXPECT_NEAR(std::sqrt(sq), e.at("l2").get<double>(), tol * e.at("l2").get<double>());
    // Top-5: for a PNG, exactly torch's. For a JPEG, our k-th class must be one whose torch logit is
    // within twice the tolerance of torch's k-th: classes may swap only where torch's own margin is
    // smaller than the decoders' difference (the random network has near-ties).
    const std::vector<int> ours = nn::test::top_k(out.logits, 1000, r, 5);
    const std::vector<int> want(top10.begin(), top10.begin() + 5);
    if (lossless) {
      EXPECT_EQ(ours, want);
    } else {
      ++jpeg_count;
      jpeg_same_top5 += ours == want;
      if (ours != want) std::printf("  %s: top-5 order differs from torch's within its near-ties\n", row.at("file").get<std::string>().c_str());
      for (int k = 0; k < 5; ++k) {
        const auto it = std::find(top10.begin(), top10.end(), ours[k]);
        ASSERT_NE(it, top10.end()) << "class " << ours[k] << " (our rank " << k << ") is not in torch's top-10";
        EXPECT_LE(std::abs(top10_logits[it - top10.begin()] - top10_logits[k]), 2 * tol * scale)
            << "our rank " << k << " is class " << ours[k] << ", torch's is " << top10[k];
      }
    }
  }
  std::printf("%s on %zu real photos: logits vs torch (rel. to max |logit|): PNG %.3g, JPEG %.3g; "
              "JPEG top-5 identical %d of %d\n",
              arch.c_str(), batch, worst_lossless, worst_jpeg, jpeg_same_top5, jpeg_count);
}

TEST(RealImages, ResNet50DecodePreprocessAndNetworkMatchTorchvision) { check_network("resnet50"); }

TEST(RealImages, InceptionV3DecodePreprocessAndNetworkMatchTorchvision) { check_network("inception_v3"); }

}  // namespace
}  // namespace visiondb::models
