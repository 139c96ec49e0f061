// Helpers of the object-table tests: a scratch folder, images written into it with stb_image_write
// (Debian's libstb-dev), and independent references (md5sum's digest).
#pragma once

#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace visiondb::test {

/// A fresh folder removed at the end of the test.
class ScratchDir {
 public:
  ScratchDir() {
    static int counter = 0;
    path_ = std::filesystem::temp_directory_path() /
            ("visiondb_objects_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  /// Writes `content` to `name` (folders created) and returns the full path.
  std::string write(const std::string& name, const std::string& content) const {
    auto p = path_ / name;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << content;
    return p.string();
  }
  std::string path(const std::string& name = "") const { return name.empty() ? path_.string() : (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

/// Interleaved 8-bit pixels.
struct TestImage {
  int width = 0, height = 0, channels = 0;
  std::vector<uint8_t> pixels;
};

/// A deterministic pattern (gradients and a checkerboard) different per seed.
TestImage make_test_image(int width, int height, int channels, int seed);

enum class TestFormat { Png, Jpeg, Bmp };
/// Writes the image in `format` to `path` (folders created); throws std::runtime_error on failure.
void write_test_image(const std::string& path, const TestImage& image, TestFormat format);

/// The file's bytes.
std::string read_file(const std::string& path);

/// md5sum's hex digest of the file, computed by the md5sum program now.
std::string md5sum_hex(const std::string& path);

/// A hex digest as base64 (the md5_hash form).
std::string hex_to_base64(const std::string& hex);

/// The shared data dir (VISIONDB_DATA_DIR, else ../shared/data beside the sources), or "".
std::string shared_data_dir();

}  // namespace visiondb::test
