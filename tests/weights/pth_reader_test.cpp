// Reading torch.save checkpoints without Python, against values written by torch itself
// (tools/make_weight_fixtures.py), and refusing anything that is not tensors and containers.
#include <gtest/gtest.h>

#include <filesystem>

#include "visiondb/nn/pth_reader.hpp"
#include "weights/helpers.hpp"

namespace vn = visiondb::nn;
using visiondb::test::make_stored_zip;
using visiondb::test::PickleBuilder;
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

void expect_matches_fixture(const vn::NamedTensors& got, const nlohmann::json& expected) {
  ASSERT_EQ(got.size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    const auto& e = expected[i];
    const auto& t = got.tensors()[i];
    SCOPED_TRACE(t.name);
    EXPECT_EQ(t.name, e["name"].get<std::string>());
    EXPECT_EQ(t.shape, e["shape"].get<std::vector<int64_t>>());
    EXPECT_EQ(t.source_dtype, e["dtype"].get<std::string>());
    const auto values = e["values"].get<std::vector<float>>();
    ASSERT_EQ(t.values.size(), values.size());
    for (size_t k = 0; k < values.size(); ++k) EXPECT_EQ(t.values[k], values[k]) << "element " << k;
  }
}

std::vector<uint8_t> pth_with_pickle(const std::vector<uint8_t>& pkl, std::vector<uint8_t> storage = {}) {
  std::vector<std::pair<std::string, std::vector<uint8_t>>> entries = {{"archive/data.pkl", pkl}};
  if (!storage.empty()) entries.push_back({"archive/data/0", storage});
  return make_stored_zip(entries);
}

}  // namespace

TEST(PthReader, ReadsTorchSaveOutputExactly) {
  const auto expected = visiondb::test::read_json_file(weights_fixture_dir() + "/expected.json");
  // A real module's state_dict (with _metadata), a transposed view, two views of one storage at
  // offsets, fp16 (incl. -65504 and a tiny value), bf16, fp64, an int64 counter and a scalar.
  const auto sd = vn::read_pth(weights_fixture_dir() + "/state_dict.pth");
  expect_matches_fixture(sd, expected["state_dict.pth"]);
  EXPECT_EQ(sd.find("1.num_batches_tracked")->values[0], 12345.0f);
  EXPECT_EQ(sd.find("scalar")->shape.size(), 0u);
  // A checkpoint dict with the state_dict inside, names prefixed by "module.".
  expect_matches_fixture(vn::read_pth(weights_fixture_dir() + "/checkpoint.pth"), expected["checkpoint.pth"]);
}

TEST(PthReader, RefusesMaliciousPicklesNamingTheGlobal) {
  const std::string r = io_error_of([&] { vn::read_pth(weights_fixture_dir() + "/malicious_reduce.pth"); });
  EXPECT_NE(r.find("refused"), std::string::npos) << r;
  EXPECT_NE(r.find("\"posix.system\""), std::string::npos) << r;  // os.system pickles as posix.system
  EXPECT_NE(r.find("malicious_reduce.pth"), std::string::npos) << r;
  const std::string g = io_error_of([&] { vn::read_pth(weights_fixture_dir() + "/malicious_global.pth"); });
  EXPECT_NE(g.find("\"os.system\""), std::string::npos) << g;

  // A pickle that would create a file if anything were executed: refused, and no file appears.
  visiondb::test::ScratchDir dir("pth_malicious");
  const std::string marker = dir.file("pwned");
  PickleBuilder p;
  p.global("os", "system").str("touch " + marker).op(0x85).op('R');
  const auto bytes = pth_with_pickle(p.finish());
  EXPECT_NE(io_error_of([&] { vn::read_pth(bytes, "evil.pth"); }).find("os.system"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(marker));
}

TEST(PthReader, RefusesEverythingOutsideTheWhitelist) {
  struct Case {
    const char* what;
    std::vector<uint8_t> pickle;
    const char* message;
  };
  std::vector<Case> cases;
  cases.push_back({"builtins.eval", PickleBuilder().global("builtins", "eval").finish(), "\"builtins.eval\""});
  cases.push_back({"STACK_GLOBAL subprocess", PickleBuilder().str("subprocess").str("Popen").op(0x93).finish(),
                   "\"subprocess.Popen\""});
  cases.push_back({"OrderedDict with arguments",
                   PickleBuilder().global("collections", "OrderedDict").str("x").op(0x85).op('R').finish(),
                   "OrderedDict built from arguments"});
  cases.push_back({"calling a storage type",
                   PickleBuilder().global("torch", "FloatStorage").op(')').op('R').finish(), "torch.FloatStorage"});
  cases.push_back({"NEWOBJ", PickleBuilder().global("torch", "FloatStorage").op(')').op(0x81).finish(), "NEWOBJ"});
  cases.push_back({"REDUCE on a string", PickleBuilder().str("os").op(')').op('R').finish(), "REDUCE"});
  cases.push_back({"BUILD on a list", PickleBuilder().op(']').op('}').op('b').finish(), "BUILD"});
  cases.push_back({"persistent id not a storage", PickleBuilder().str("x").op('Q').finish(), "persistent id"});
  cases.push_back({"unknown opcode", PickleBuilder().op('I').finish(), "unsupported pickle opcode 0x49"});
  cases.push_back({"truncated pickle", PickleBuilder().op('X').op(0xFF).op(0xFF).op(0).op(0).finish(), "end of data"});
  cases.push_back({"two values at STOP", PickleBuilder().op('N').op('N').finish(), "STOP with 2 values"});
  PickleBuilder flood;  // millions of one-byte values: capped, not gigabytes of memory
  for (int i = 0; i < (1 << 21) + 8; ++i) flood.op('N');
  cases.push_back({"a flood of values", flood.finish(), "too large"});
  for (const auto& c : cases) {
    SCOPED_TRACE(c.what);
    const std::string what = io_error_of([&] { vn::read_pth(pth_with_pickle(c.pickle), "bad.pth"); });
    EXPECT_NE(what.find(c.message), std::string::npos) << what;
    EXPECT_NE(what.find("bad.pth"), std::string::npos) << what;
  }
}

TEST(PthReader, ChecksStoragesAndTheArchive) {
  // A view that reaches past its storage.
  PickleBuilder p;
  p.global("collections", "OrderedDict").op(')').op('R').op('(');
  p.tensor_item("w", "FloatStorage", "0", 6, 2, {2, 3}, {3, 1});  // needs elements 2..7 of 6
  p.op('u');
  std::vector<uint8_t> storage(24, 0);
  EXPECT_NE(io_error_of([&] { vn::read_pth(pth_with_pickle(p.finish(), storage), "view.pth"); }).find("reaches past"),
            std::string::npos);
  // A storage claiming more elements than its entry holds.
  PickleBuilder q;
  q.global("collections", "OrderedDict").op(')').op('R').op('(');
  q.tensor_item("w", "FloatStorage", "0", 100, 0, {10}, {1});
  q.op('u');
  EXPECT_NE(io_error_of([&] { vn::read_pth(pth_with_pickle(q.finish(), storage), "short.pth"); }).find("claims 100"),
            std::string::npos);
  // A storage missing from the archive.
  PickleBuilder m;
  m.global("collections", "OrderedDict").op(')').op('R').op('(');
  m.tensor_item("w", "FloatStorage", "7", 6, 0, {6}, {1});
  m.op('u');
  EXPECT_NE(io_error_of([&] { vn::read_pth(pth_with_pickle(m.finish(), storage), "m.pth"); }).find("archive/data/7"),
            std::string::npos);

  const auto good = read_file(weights_fixture_dir() + "/state_dict.pth");
  for (size_t keep : {good.size() / 2, good.size() - 10, size_t{100}, size_t{3}}) {
    SCOPED_TRACE(keep);
    std::vector<uint8_t> cut(good.begin(), good.begin() + static_cast<ptrdiff_t>(keep));
    EXPECT_NE(io_error_of([&] { vn::read_pth(cut, "cut.pth"); }).find("cut.pth"), std::string::npos);
  }
  // A flipped byte inside a storage: the zip's CRC-32 catches it.
  auto corrupt = good;
  const auto sd = vn::read_pth(good, "good.pth");
  const float needle = sd.find("0.weight")->values[5];
  for (size_t i = 0; i + 4 <= corrupt.size(); ++i)
    if (std::memcmp(corrupt.data() + i, &needle, 4) == 0) {
      corrupt[i] ^= 0x40;
      break;
    }
  EXPECT_NE(io_error_of([&] { vn::read_pth(corrupt, "crc.pth"); }).find("CRC-32 mismatch"), std::string::npos);
}

TEST(PthReader, NamesTheLegacyFormatAndOtherFiles) {
  EXPECT_NE(io_error_of([&] { vn::read_pth(weights_fixture_dir() + "/legacy.pth"); }).find("legacy"), std::string::npos);
  EXPECT_NE(io_error_of([&] { vn::read_pth(weights_fixture_dir() + "/tiny.safetensors"); }).find("zip archive was expected"),
            std::string::npos);
  const auto zip = make_stored_zip({{"a/other.txt", {'x'}}});
  EXPECT_NE(io_error_of([&] { vn::read_pth(zip, "z.pth"); }).find("data.pkl"), std::string::npos);
}
