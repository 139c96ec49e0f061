// Readers for tests/data/forest (written by tools/make_forest_fixtures.py).
#pragma once

#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace visiondb::ml::testing {

inline std::string forest_data_dir() { return std::string(VISIONDB_SOURCE_DIR) + "/tests/data/forest/"; }

/// "key v1 v2 ..." lines; '#' starts a comment line.
inline std::map<std::string, std::vector<double>> read_key_values(const std::string& file) {
  std::ifstream in(forest_data_dir() + file);
  std::map<std::string, std::vector<double>> out;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream ss(line);
    std::string key;
    ss >> key;
    double v;
    while (ss >> v) out[key].push_back(v);
  }
  return out;
}

/// digits.csv: split, label, 64 pixel columns.
struct Digits {
  std::vector<double> train_x, test_x;  // row-major, 64 wide
  std::vector<int64_t> train_y, test_y;
};

inline Digits read_digits() {
  std::ifstream in(forest_data_dir() + "digits.csv");
  Digits d;
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::istringstream ss(line);
    std::string cell;
    std::vector<double> v;
    while (std::getline(ss, cell, ',')) v.push_back(std::stod(cell));
    if (v.size() != 66) continue;
    bool test = v[0] != 0;
    (test ? d.test_y : d.train_y).push_back(static_cast<int64_t>(v[1]));
    auto& x = test ? d.test_x : d.train_x;
    x.insert(x.end(), v.begin() + 2, v.end());
  }
  return d;
}

}  // namespace visiondb::ml::testing
