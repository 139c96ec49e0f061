// The parallel parse equals the serial one: a generated file whose quoted fields (with commas,
// doubled quotes, LF and CRLF inside) cross many block boundaries is read with one block and with
// blocks of a few bytes, on 1 and 2 workers, and compared with the values it was generated from.
#include <gtest/gtest.h>

#include <random>

#include "io/io_test_util.hpp"
#include "visiondb/common/parallel.hpp"
#include "visiondb/io/csv_reader.hpp"

using namespace visiondb;
using namespace visiondb::io;
using visiondb::io::testing::rows_of;
using visiondb::io::testing::ScratchDir;

namespace {

struct Generated {
  std::string text;
  std::vector<std::string> rows;  // as rows_of() renders them
};

Generated generate(uint32_t seed, size_t rows) {
  std::mt19937 rng(seed);
  const std::string pieces[] = {"a", "b c", ",", "\"", "\n", "\r\n", "xyz", "'", ";", " "};
  Generated g;
  g.text = "id,label,value\r\n";
  for (size_t r = 0; r < rows; ++r) {
    std::string label;
    const int n = static_cast<int>(rng() % 6);
    for (int i = 0; i < n; ++i) label += pieces[rng() % 10];
    const bool quote = label.find_first_of(",\"\r\n") != std::string::npos || label.empty() || rng() % 4 == 0;
    std::string field = label;
    if (quote) {
      field = "\"";
      for (char c : label) field += c == '"' ? std::string("\"\"") : std::string(1, c);
      field += "\"";
    }
    const int64_t value = static_cast<int64_t>(rng() % 100000) - 50000;
    g.text += std::to_string(r) + "," + field + "," + std::to_string(value) + (rng() % 3 == 0 ? "\r\n" : "\n");
    g.rows.push_back(std::to_string(r) + "|" + label + "|" + std::to_string(value));
  }
  return g;
}

}  // namespace

TEST(CsvParallel, BlocksOfAnySizeGiveTheSerialResult) {
  const uint32_t seed = 20240501;
  ScratchDir dir;
  Generated g = generate(seed, 6000);
  const std::string path = dir.write("gen.csv", g.text);
  CsvReadOptions serial;
  serial.block_bytes = g.text.size() + 1;  // one block
  CsvData reference = read_csv_file(path, serial);
  ASSERT_EQ(reference.data->rows, g.rows.size()) << "seed " << seed;
  ASSERT_EQ(rows_of(reference), g.rows) << "seed " << seed;
  EXPECT_EQ(reference.schema[1].type, LogicalType::string());
  EXPECT_EQ(reference.schema[2].type, LogicalType::int64());

  for (int threads : {1, 2}) {
    TaskArena arena(threads);
    for (size_t block : {size_t{1}, size_t{7}, size_t{63}, size_t{64}, size_t{65}, size_t{1000}, size_t{4096}}) {
      CsvReadOptions o;
      o.block_bytes = block;
      CsvData d = arena.execute([&] { return read_csv_file(path, o); });
      ASSERT_EQ(d.data->rows, reference.data->rows) << "block " << block << " threads " << threads << " seed " << seed;
      EXPECT_EQ(rows_of(d), g.rows) << "block " << block << " threads " << threads << " seed " << seed;
      for (const auto& ch : d.data->chunks) EXPECT_LE(ch->size(), kVectorSize);
    }
  }
}

TEST(CsvParallel, LongQuotedFieldSpanningManyBlocks) {
  ScratchDir dir;
  std::string big(10000, 'q');
  for (size_t i = 0; i < big.size(); i += 37) big[i] = '\n';
  std::string field = "\"" + big + "\"\"\"";  // ends with a doubled quote
  std::string text = "k,v\n1," + field + "\n2,short\n";
  CsvReadOptions o;
  o.block_bytes = 128;
  CsvData d = read_csv_file(dir.write("big.csv", text), o);
  ASSERT_EQ(d.data->rows, 2u);
  EXPECT_EQ(visiondb::io::testing::cell(d, 0, 1), Value::string(big + "\""));
  EXPECT_EQ(visiondb::io::testing::cell(d, 1, 1), Value::string("short"));
}

TEST(CsvParallel, RandomBytesNeverCrashAndParallelAgreesWithSerial) {
  // Random text over a small alphabet rich in quotes, delimiters and line breaks: each file either
  // reads or fails with a visiondb::Error, and one block and many blocks give the same outcome.
  ScratchDir dir;
  const char alphabet[] = {'"', ',', '\n', '\r', 'a', '1', '.', '-', ' ', 't', 'e', '2'};
  TaskArena arena(2);
  for (uint32_t seed = 1; seed <= 300; ++seed) {
    std::mt19937 rng(seed);
    std::string text;
    const size_t n = rng() % 400;
    for (size_t i = 0; i < n; ++i) text += alphabet[rng() % sizeof alphabet];
    const std::string path = dir.write("r.csv", text);
    auto outcome = [&](size_t block, int64_t max_bad) {
      CsvReadOptions o;
      o.block_bytes = block;
      o.max_bad_records = max_bad;
      o.allow_jagged_rows = seed % 3 == 0;
      try {
        CsvData d = arena.execute([&] { return read_csv_file(path, o); });
        std::string s;
        for (const auto& c : d.schema.columns()) s += c.name + ":" + c.type.to_string() + ";";
        for (const auto& row : rows_of(d)) s += row + "\n";
        return s + "bad=" + std::to_string(d.bad_records);
      } catch (const Error& e) {
        return std::string("error: ") + e.what();
      }
    };
    for (int64_t max_bad : {0, 5}) {
      const std::string serial = outcome(text.size() + 1, max_bad);
      for (size_t block : {size_t{1}, size_t{5}, size_t{17}, size_t{64}})
        ASSERT_EQ(outcome(block, max_bad), serial) << "seed " << seed << " block " << block << " max_bad " << max_bad;
    }
  }
}
