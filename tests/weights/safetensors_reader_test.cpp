// Reading .safetensors: dtypes to fp32, metadata, and every malformed header or range refused.
#include <gtest/gtest.h>

#include "visiondb/nn/safetensors_reader.hpp"
#include "weights/helpers.hpp"

namespace vn = visiondb::nn;
using visiondb::test::read_file;
using visiondb::test::weights_fixture_dir;

namespace {
template <class F>
std::string io_error_of(F&& f) {
  try {
    f();
  } catch (const visiondb::IoError& e) {
    return e.what();
  }
  return "(no IoError)";
}

std::vector<uint8_t> with_header(const std::string& json, size_t data_bytes) {
  std::vector<uint8_t> out;
  visiondb::test::put_le(out, json.size(), 8);
  out.insert(out.end(), json.begin(), json.end());
  out.resize(out.size() + data_bytes, 0);
  return out;
}
}  // namespace

TEST(SafetensorsReader, ReadsF32F16Bf16WithMetadata) {
  const auto expected = visiondb::test::read_json_file(weights_fixture_dir() + "/expected.json")["tiny.safetensors"];
  const auto got = vn::read_safetensors(weights_fixture_dir() + "/tiny.safetensors");
  ASSERT_EQ(got.size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    const auto& t = got.tensors()[i];
    EXPECT_EQ(t.name, expected[i]["name"].get<std::string>());
    EXPECT_EQ(t.shape, expected[i]["shape"].get<std::vector<int64_t>>());
    EXPECT_EQ(t.source_dtype, expected[i]["dtype"].get<std::string>());
    const auto values = expected[i]["values"].get<std::vector<float>>();
    ASSERT_EQ(t.values.size(), values.size());
    for (size_t k = 0; k < values.size(); ++k) EXPECT_EQ(t.values[k], values[k]) << t.name << "[" << k << "]";
  }
  const auto meta = vn::read_safetensors_metadata(read_file(weights_fixture_dir() + "/tiny.safetensors"), "t");
  EXPECT_EQ(meta.at("note"), "visiondb fixture");
}

TEST(SafetensorsReader, RefusesMalformedFiles) {
  const auto good = read_file(weights_fixture_dir() + "/tiny.safetensors");
  std::vector<uint8_t> cut(good.begin(), good.end() - 5);
  EXPECT_NE(io_error_of([&] { vn::read_safetensors(cut, "cut.safetensors"); }).find("truncated"), std::string::npos);
  EXPECT_NE(io_error_of([&] { vn::read_safetensors(std::vector<uint8_t>(good.begin(), good.begin() + 20), "h.st"); })
                .find("more than the file holds"),
            std::string::npos);
  EXPECT_NE(io_error_of([&] { vn::read_safetensors(std::vector<uint8_t>{1, 2}, "tiny.st"); }).find("too short"),
            std::string::npos);
  struct Case {
    std::string json;
    size_t data;
    const char* message;
  };
  const std::vector<Case> cases = {
      {"{not json", 0, "not valid JSON"},
      {"[1,2]", 0, "not a JSON object"},
      {R"({"a":{"dtype":"F8_E4M3","shape":[2],"data_offsets":[0,2]}})", 2, "unsupported dtype"},
      {R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}})", 4, "needs 8"},
      {R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})", 4, "outside"},
      {R"({"a":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}})", 8, "negative"},
      {R"({"a":{"dtype":"F32","shape":[2]}})", 8, "needs dtype, shape and data_offsets"},
      {R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[8,0]}})", 8, "outside"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.json);
    const std::string what = io_error_of([&] { vn::read_safetensors(with_header(c.json, c.data), "bad.safetensors"); });
    EXPECT_NE(what.find(c.message), std::string::npos) << what;
    EXPECT_NE(what.find("bad.safetensors"), std::string::npos) << what;
  }
}
