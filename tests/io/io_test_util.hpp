// Helpers of the io tests: a scratch directory per test, files written into it, and cell access
// to a CsvData across its chunks.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "visiondb/io/csv_reader.hpp"

namespace visiondb::io::testing {

/// A fresh directory removed at the end of the test.
class ScratchDir {
 public:
  ScratchDir() {
    static int counter = 0;
    path_ = std::filesystem::temp_directory_path() /
            ("visiondb_io_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  /// Writes `content` to `name` (sub-folders created) and returns the full path.
  std::string write(const std::string& name, const std::string& content) const {
    auto p = path_ / name;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << content;
    return p.string();
  }
  std::string path(const std::string& name = "") const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

/// The value at (row, col) of the data, counting rows across chunks.
inline Value cell(const CsvData& d, size_t row, size_t col) {
  for (const auto& ch : d.data->chunks) {
    if (row < ch->size()) return ch->get(col, row);
    row -= ch->size();
  }
  throw std::out_of_range("row out of range");
}

/// All rows as "a|b|c" lines, NULL shown as "NULL", for whole-table comparisons.
inline std::vector<std::string> rows_of(const CsvData& d) {
  std::vector<std::string> out;
  for (const auto& ch : d.data->chunks)
    for (size_t r = 0; r < ch->size(); ++r) {
      std::string line;
      for (size_t c = 0; c < ch->column_count(); ++c) {
        if (c) line += '|';
        Value v = ch->get(c, r);
        line += v.is_null() ? "NULL" : v.to_string();
      }
      out.push_back(line);
    }
  return out;
}

}  // namespace visiondb::io::testing
