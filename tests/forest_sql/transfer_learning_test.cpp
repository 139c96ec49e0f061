// MLDB's transfer-learning flow, examples/transfer_learning.sql run as written on generated
// images (three classes of distinct patterns, 8 images each) and generated Inception-v3 weights: the CSV as a
// table, embeddings by CREATE TABLE AS SELECT, a forest on a 50/50 split, ML.EVALUATE and the
// confusion matrix, and the stored scoring function called from SQL and from C++ (prepared).
// The same flow then runs on ../shared/data/images/yoga_poses when it is there.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "forest_sql_helpers.hpp"
#include "visiondb/api/database.hpp"
#include "visiondb/models/inception_v3.hpp"
#include "visiondb/nn/generated_weights.hpp"
#include "visiondb/nn/weights_file.hpp"

using namespace visiondb;
namespace fs = std::filesystem;

namespace {

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// A 24-bit BMP (bottom-up rows, padded to 4 bytes).
void write_bmp(const std::string& path, int w, int h, const std::vector<uint8_t>& rgb) {
  const int row = (w * 3 + 3) / 4 * 4;
  const uint32_t size = 54 + static_cast<uint32_t>(row * h);
  std::vector<uint8_t> b(size, 0);
  auto put32 = [&](size_t at, uint32_t v) {
    for (int k = 0; k < 4; ++k) b[at + k] = static_cast<uint8_t>(v >> (8 * k));
  };
  b[0] = 'B';
  b[1] = 'M';
  put32(2, size);
  put32(10, 54);
  put32(14, 40);
  put32(18, static_cast<uint32_t>(w));
  put32(22, static_cast<uint32_t>(h));
  b[26] = 1;
  b[28] = 24;
  put32(34, static_cast<uint32_t>(row * h));
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x)
      for (int c = 0; c < 3; ++c) b[54 + (h - 1 - y) * row + x * 3 + (2 - c)] = rgb[(y * w + x) * 3 + c];
  std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
}

// Class 0: horizontal stripes, dark; 1: vertical stripes, bright; 2: a red disc on green. Every
// image has its own stripe width, offset and noise.
std::vector<uint8_t> pattern(int cls, int w, int h, int seed) {
  std::vector<uint8_t> px(static_cast<size_t>(w * h * 3));
  const int period = 6 + seed % 7, shift = seed * 5;
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      const double n = forest_sql_test::noise(static_cast<uint64_t>((y * w + x) * 31 + seed), 9) * 40;
      double r, g, bl;
      if (cls == 0) {
        const bool on = ((y + shift) / period) % 2 == 0;
        r = g = bl = on ? 90 : 20;
      } else if (cls == 1) {
        const bool on = ((x + shift) / period) % 2 == 0;
        r = g = bl = on ? 240 : 150;
      } else {
        const double dx = x - w / 2.0 - seed % 9, dy = y - h / 2.0;
        const bool in = dx * dx + dy * dy < (w / 3.0) * (w / 3.0);
        r = in ? 220 : 30;
        g = in ? 30 : 160;
        bl = 40;
      }
      px[(y * w + x) * 3 + 0] = static_cast<uint8_t>(std::min(255.0, r + n));
      px[(y * w + x) * 3 + 1] = static_cast<uint8_t>(std::min(255.0, g + n));
      px[(y * w + x) * 3 + 2] = static_cast<uint8_t>(std::min(255.0, bl + n));
    }
  return px;
}

void write_inception(const std::string& path) {
  const auto specs = models::InceptionV3::tensor_specs();
  const nn::GeneratedWeights generated(specs, 2);
  std::vector<nn::WeightsTensorToWrite> tensors;
  for (const auto& s : specs) tensors.push_back({s.name, s.shape, generated.tensor(s.name, s.shape)});
  nn::WeightsMetadata meta = nn::WeightsMetadata::for_architecture("inception_v3");
  meta.num_classes = 1000;
  meta.source_format = "generated";
  nn::write_weights_file(path, meta, tensors);
}

// Runs the flow in `dir` (cwd for the script's relative paths); returns the script's results.
std::vector<QueryResult> run_flow(Database& db, const std::string& dir) {
  const fs::path before = fs::current_path();
  fs::current_path(dir);
  std::vector<QueryResult> out;
  try {
    out = db.query_all(read_text(std::string(VISIONDB_SOURCE_DIR) + "/examples/transfer_learning.sql"));
  } catch (...) {
    fs::current_path(before);
    throw;
  }
  fs::current_path(before);
  return out;
}

struct Scratch {
  std::string dir;
  explicit Scratch(const std::string& name)
      : dir((fs::temp_directory_path() / ("visiondb_" + name + "_" + std::to_string(::getpid()))).string()) {
    fs::remove_all(dir);
    fs::create_directories(dir + "/images");
  }
  ~Scratch() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
};

// The checks common to both data sets: a score per class, the function called from SQL and from
// C++ agrees with ML.PREDICT over the stored embedding.
void check_scoring(Database& db, const std::string& dir, const std::string& path, size_t classes) {
  const fs::path before = fs::current_path();
  fs::current_path(dir);
  auto sql = db.query("SELECT predict_image('images/" + path + "')");
  auto stmt = db.prepare("SELECT r.predicted_label, r.predicted_label_probs FROM (SELECT predict_image(?) AS r)");
  stmt.bind(0, Value::string("images/" + path));
  auto cpp = stmt.execute();
  fs::current_path(before);
  Value s = sql.get_as<Value>(0, 0);
  ASSERT_EQ(s.children().size(), 2u);
  const std::string label = s.children()[0].as_string();
  EXPECT_EQ(cpp.get_as<std::string>(0, 0), label);
  EXPECT_EQ(cpp.get_as<Value>(0, 1).children().size(), classes);
  auto stored = db.query("SELECT predicted_label, predicted_label_probs FROM ML.PREDICT(MODEL image_forest, "
                         "(SELECT pool_3 FROM features WHERE path = '" + path + "'))");
  EXPECT_EQ(stored.get_as<std::string>(0, 0), label);
  const auto& a = stored.get_as<Value>(0, 1).children();
  const auto& b = s.children()[1].children();
  ASSERT_EQ(a.size(), b.size());
  for (size_t k = 0; k < a.size(); ++k) EXPECT_NEAR(a[k].children()[1].as_float64(), b[k].children()[1].as_float64(), 0.02);
}

}  // namespace

TEST(TransferLearning, TheExampleRunsOnGeneratedImages) {
  Scratch s("transfer_learning");
  write_inception(s.dir + "/inception_v3.vdbw");
  const char* names[3] = {"audi", "bmw", "tesla"};
  std::string csv = "path,label\n";
  for (int c = 0; c < 3; ++c) {
    fs::create_directories(s.dir + "/images/" + names[c]);
    for (int i = 0; i < 8; ++i) {
      char file[64];
      std::snprintf(file, sizeof file, "%s/%s_%02d.bmp", names[c], names[c], i);
      const int w = 64 + (i % 4) * 8, h = 56 + (i % 3) * 8;
      write_bmp(s.dir + "/images/" + file, w, h, pattern(c, w, h, i + 13 * c));
      csv += std::string(file) + "," + names[c] + "\n";
    }
  }
  std::ofstream(s.dir + "/images/labels.csv") << csv;

  Database db;
  auto results = run_flow(db, s.dir);
  ASSERT_EQ(results.size(), 11u);
  // The class counts, from the CSV table.
  const auto& counts = results[2];
  ASSERT_EQ(counts.row_count(), 3u);
  EXPECT_EQ(counts.get_as<int64_t>(0, 1), 8);
  // 24 embeddings of 2048.
  auto f = db.query("SELECT COUNT(*), MIN(ARRAY_LENGTH(pool_3)), MAX(ARRAY_LENGTH(pool_3)) FROM features");
  EXPECT_EQ(f.get_as<int64_t>(0, 0), 24);
  EXPECT_EQ(f.get_as<int64_t>(0, 1), 2048);
  EXPECT_EQ(f.get_as<int64_t>(0, 2), 2048);
  // The 50/50 split.
  auto m = forest_sql_test::model_of(db, "image_forest");
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->train_rows, 12u);
  EXPECT_EQ(m->eval_rows, 12u);
  // ML.EVALUATE on the held-out half, and the confusion matrix over the same 12 images.
  const auto& eval = results[7];
  ASSERT_EQ(eval.column_names(), (std::vector<std::string>{"precision", "recall", "accuracy", "f1_score", "log_loss", "roc_auc"}));
  const double accuracy = eval.get_as<double>(0, 2);
  std::printf("generated images: accuracy %.3f, log loss %.3f, roc auc %.3f\n", accuracy, eval.get_as<double>(0, 4),
              eval.get_as<double>(0, 5));
  EXPECT_GE(accuracy, 0.8);  // three very different patterns, even through random weights
  const auto& cm = results[8];
  ASSERT_EQ(cm.row_count(), 3u);
  int64_t total = 0, diagonal = 0;
  for (size_t r = 0; r < 3; ++r)
    for (size_t c = 0; c < 3; ++c) {
      total += cm.get_as<int64_t>(r, c + 1);
      if (r == c) diagonal += cm.get_as<int64_t>(r, c + 1);
    }
  EXPECT_EQ(total, 12);
  EXPECT_NEAR(static_cast<double>(diagonal) / 12.0, accuracy, 1e-12);
  // The last statement: three images scored by the stored function.
  EXPECT_EQ(results[10].row_count(), 3u);
  check_scoring(db, s.dir, "tesla/tesla_05.bmp", 3);
}

TEST(TransferLearning, TheExampleRunsOnTheYogaPoses) {
  const char* env = std::getenv("VISIONDB_DATA_DIR");
  const std::string data = env ? env : std::string(VISIONDB_SOURCE_DIR) + "/../shared/data";
  const std::string yoga = data + "/images/yoga_poses";
  if (!fs::exists(yoga + "/labels.csv")) GTEST_SKIP() << "no " << yoga << " (set VISIONDB_DATA_DIR)";
  Scratch s("transfer_learning_yoga");
  write_inception(s.dir + "/inception_v3.vdbw");
  // Four images of each pose (the first in labels.csv order), their files linked, not copied.
  std::ifstream in(yoga + "/labels.csv");
  std::string line, csv = "path,label\n", first;
  std::map<std::string, int> taken;
  std::getline(in, line);
  while (std::getline(in, line)) {
    const auto c1 = line.find(','), c2 = line.find(',', c1 + 1);
    const std::string path = line.substr(0, c1), label = line.substr(c1 + 1, c2 - c1 - 1);
    if (taken[label]++ >= 4) continue;
    fs::create_directories(fs::path(s.dir + "/images/" + path).parent_path());
    fs::create_symlink(fs::absolute(yoga + "/" + path), s.dir + "/images/" + path);
    csv += path + "," + label + "\n";
    if (first.empty()) first = path;
  }
  std::ofstream(s.dir + "/images/labels.csv") << csv;
  Database db;
  auto results = run_flow(db, s.dir);
  ASSERT_EQ(results.size(), 11u);
  EXPECT_EQ(results[2].row_count(), 5u);
  auto m = forest_sql_test::model_of(db, "image_forest");
  EXPECT_EQ(m->train_rows + m->eval_rows, 20u);
  EXPECT_EQ(m->eval_rows, 10u);
  const auto& eval = results[7];
  std::printf("yoga poses (generated weights): accuracy %.3f, log loss %.3f\n", eval.get_as<double>(0, 2),
              eval.get_as<double>(0, 4));
  // Random weights carry little about poses: the flow must run and report, not reach a score.
  EXPECT_GE(eval.get_as<double>(0, 2), 0.0);
  int64_t total = 0;
  for (size_t r = 0; r < results[8].row_count(); ++r)
    for (size_t c = 1; c < results[8].column_count(); ++c) total += results[8].get_as<int64_t>(r, c);
  EXPECT_EQ(total, 10);
  check_scoring(db, s.dir, first, 5);
}
