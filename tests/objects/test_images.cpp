// Image writing for the tests (the stb_image_write implementation lives in this TU only).
#include "objects/test_images.hpp"

#include <cstdio>
#include <memory>
#include <stdexcept>

#include "visiondb/image/encode.hpp"

namespace visiondb::test {

TestImage make_test_image(int width, int height, int channels, int seed) {
  TestImage img{width, height, channels, std::vector<uint8_t>(size_t(width) * size_t(height) * size_t(channels))};
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x)
      for (int c = 0; c < channels; ++c) {
        int v = c == 0 ? x * 255 / std::max(width - 1, 1) : c == 1 ? y * 255 / std::max(height - 1, 1) : ((x / 3 + y / 3) % 2) * 200;
        v = (v + seed * 37 + c * 11) % 256;
        img.pixels[(size_t(y) * size_t(width) + size_t(x)) * size_t(channels) + size_t(c)] = static_cast<uint8_t>(v);
      }
  return img;
}

void write_test_image(const std::string& path, const TestImage& image, TestFormat format) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  const img::ImageFileFormat f = format == TestFormat::Png    ? img::ImageFileFormat::Png
                                  : format == TestFormat::Jpeg ? img::ImageFileFormat::Jpeg
                                                               : img::ImageFileFormat::Bmp;
  img::write_image_file(path, image.pixels.data(), image.width, image.height, image.channels, f);
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::string md5sum_hex(const std::string& path) {
  const std::string cmd = "md5sum '" + path + "'";
  std::unique_ptr<FILE, int (*)(FILE*)> p(::popen(cmd.c_str(), "r"), ::pclose);
  if (!p) throw std::runtime_error("cannot run md5sum");
  char buf[64] = {};
  if (std::fread(buf, 1, 32, p.get()) != 32) throw std::runtime_error("md5sum gave no digest for " + path);
  return std::string(buf, 32);
}

std::string hex_to_base64(const std::string& hex) {
  std::vector<uint8_t> bytes;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) bytes.push_back(static_cast<uint8_t>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  static const char* a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    uint32_t v = (uint32_t(bytes[i]) << 16) | (uint32_t(bytes[i + 1]) << 8) | bytes[i + 2];
    out += a[v >> 18], out += a[(v >> 12) & 63], out += a[(v >> 6) & 63], out += a[v & 63];
  }
  if (bytes.size() - i == 1) {
    uint32_t v = uint32_t(bytes[i]) << 16;
    out += a[v >> 18], out += a[(v >> 12) & 63], out += "==";
  } else if (bytes.size() - i == 2) {
    uint32_t v = (uint32_t(bytes[i]) << 16) | (uint32_t(bytes[i + 1]) << 8);
    out += a[v >> 18], out += a[(v >> 12) & 63], out += a[(v >> 6) & 63], out += '=';
  }
  return out;
}

std::string shared_data_dir() {
  std::string dir;
  if (const char* env = std::getenv("VISIONDB_DATA_DIR"); env && *env) dir = env;
  else if (const char* src = std::getenv("VISIONDB_SOURCE_DIR"); src && *src) dir = std::string(src) + "/../shared/data";
  else dir = std::string(VISIONDB_SOURCE_DIR) + "/../shared/data";
  return std::filesystem::is_directory(dir) ? dir : std::string();
}

}  // namespace visiondb::test
