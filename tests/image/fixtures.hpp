// Helpers of the image tests: fixture files under tests/data/image and the shared data dir.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace visiondb::test {

inline std::string image_fixture_dir() { return std::string(VISIONDB_SOURCE_DIR) + "/tests/data/image"; }

inline std::vector<uint8_t> read_bytes(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw std::runtime_error("cannot open test fixture " + path);
  return std::vector<uint8_t>((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
}

inline nlohmann::json read_json(const std::string& path) {
  std::ifstream f(path);
  if (!f) throw std::runtime_error("cannot open test fixture " + path);
  return nlohmann::json::parse(f);
}

/// The shared data dir (VISIONDB_DATA_DIR, else ../shared/data beside the sources), or "" when absent.
inline std::string shared_data_dir() {
  std::string dir;
  if (const char* env = std::getenv("VISIONDB_DATA_DIR"); env && *env) {
    dir = env;
  } else {
    dir = std::string(VISIONDB_SOURCE_DIR) + "/../shared/data";
  }
  return std::filesystem::is_directory(dir) ? dir : std::string();
}

}  // namespace visiondb::test
