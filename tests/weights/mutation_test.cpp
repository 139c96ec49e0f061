// Hostile bytes: every parser of untrusted files (zip + pickle, safetensors, .vdbw) must answer
// random mutations and truncations of valid files with an error, never a crash (run under ASan/UBSan
// in the sanitizer CI job). The seed is fixed and printed.
#include <gtest/gtest.h>

#include <random>

#include "visiondb/nn/pth_reader.hpp"
#include "visiondb/nn/safetensors_reader.hpp"
#include "visiondb/nn/weights_file.hpp"
#include "weights/helpers.hpp"

namespace vn = visiondb::nn;
using visiondb::test::read_file;
using visiondb::test::weights_fixture_dir;

namespace {

std::vector<uint8_t> mutate(const std::vector<uint8_t>& in, std::mt19937& rng) {
  std::vector<uint8_t> out = in;
  const int kind = static_cast<int>(rng() % 4);
  if (kind == 0 && !out.empty()) {
    out.resize(rng() % out.size());  // truncate
  } else {
    const int flips = 1 + static_cast<int>(rng() % 8);
    for (int i = 0; i < flips && !out.empty(); ++i) {
      const size_t at = rng() % out.size();
      out[at] = kind == 1 ? static_cast<uint8_t>(rng()) : static_cast<uint8_t>(out[at] ^ (1u << (rng() % 8)));
      if (kind == 3) out[at] = (rng() % 2) ? 0xFF : 0x00;  // extreme values for lengths and counts
    }
  }
  return out;
}

template <class F>
void expect_error_or_success(F&& f, size_t& errors) {
  try {
    f();
  } catch (const visiondb::Error&) {
    ++errors;
  }
}

}  // namespace

TEST(WeightsMutation, ParsersRefuseGarbageWithoutCrashing) {
  constexpr uint32_t kSeed = 20261121;
  std::mt19937 rng(kSeed);
  SCOPED_TRACE("seed " + std::to_string(kSeed));
  const auto pth = read_file(weights_fixture_dir() + "/state_dict.pth");
  const auto st = read_file(weights_fixture_dir() + "/tiny.safetensors");
  visiondb::test::ScratchDir dir("weights_mutation");
  std::vector<float> v(300);
  for (size_t i = 0; i < v.size(); ++i) v[i] = static_cast<float>(i);
  const std::vector<vn::WeightsTensorToWrite> tensors = {{"a", {10, 10}, std::span(v).first(100)},
                                                         {"b", {200}, std::span(v).subspan(100)}};
  auto meta = vn::WeightsMetadata::for_architecture("resnet50");
  meta.num_classes = 2;
  vn::write_weights_file(dir.file("w.vdbw"), meta, tensors);
  const auto vdbw = read_file(dir.file("w.vdbw"));

  // VISIONDB_MUTATION_ROUNDS raises the count for a longer fuzzing run (e.g. under ASan).
  const char* env = std::getenv("VISIONDB_MUTATION_ROUNDS");
  const int rounds = env && std::atoi(env) > 0 ? std::atoi(env) : 400;
  size_t errors = 0, runs = 0;
  for (int i = 0; i < rounds; ++i, ++runs) expect_error_or_success([&] { vn::read_pth(mutate(pth, rng), "m.pth"); }, errors);
  for (int i = 0; i < rounds; ++i, ++runs)
    expect_error_or_success([&] { vn::read_safetensors(mutate(st, rng), "m.safetensors"); }, errors);
  for (int i = 0; i < rounds / 2; ++i, ++runs) {
    visiondb::test::write_file(dir.file("m.vdbw"), mutate(vdbw, rng));
    expect_error_or_success([&] { vn::WeightsFile f(dir.file("m.vdbw")); }, errors);
  }
  // Most mutations must be caught (CRC-32 of zip entries, XXH64 of the weights file); a flip in
  // padding or an unused field may pass, which is fine.
  EXPECT_GT(errors, runs / 2);
}
