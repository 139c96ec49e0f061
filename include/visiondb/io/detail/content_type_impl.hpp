// Out-of-line parts of content_type.hpp.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>

#include "visiondb/config.hpp"
#include "visiondb/io/content_type.hpp"
#include "visiondb/storage/detail/text.hpp"

namespace visiondb::io {

VISIONDB_INLINE std::string_view content_type_of_signature(std::string_view h) noexcept {
  auto starts = [&](std::string_view sig) { return h.size() >= sig.size() && h.compare(0, sig.size(), sig) == 0; };
  using namespace std::string_view_literals;
  if (starts("\xFF\xD8\xFF"sv)) return "image/jpeg";
  if (starts("\x89PNG\r\n\x1A\n"sv)) return "image/png";
  if (starts("GIF87a"sv) || starts("GIF89a"sv)) return "image/gif";
  if (starts("BM"sv) && h.size() >= 18) {
    // The DIB header size after the 14-byte file header: one of the known BMP variants.
    const uint32_t dib = uint32_t(uint8_t(h[14])) | (uint32_t(uint8_t(h[15])) << 8) | (uint32_t(uint8_t(h[16])) << 16) |
                         (uint32_t(uint8_t(h[17])) << 24);
    if (dib == 12 || dib == 16 || dib == 40 || dib == 52 || dib == 56 || dib == 64 || dib == 108 || dib == 124)
      return "image/bmp";
  }
  if (starts("RIFF"sv) && h.size() >= 12 && h.compare(8, 4, "WEBP") == 0) return "image/webp";
  if (starts("II*\0"sv) || starts("MM\0*"sv)) return "image/tiff";
  if (h.size() >= 12 && h.compare(4, 4, "ftyp") == 0) {
    const std::string_view brand = h.substr(8, 4);
    if (brand == "avif" || brand == "avis") return "image/avif";
    if (brand == "heic" || brand == "heix" || brand == "mif1") return "image/heic";
    return "video/mp4";
  }
  if (starts("%PDF-"sv)) return "application/pdf";
  if (starts("PK\x03\x04"sv)) return "application/zip";
  if (starts("\x1F\x8B"sv)) return "application/gzip";
  return {};
}

VISIONDB_INLINE std::string_view content_type_of_extension(std::string_view name) noexcept {
  const size_t slash = name.rfind('/');
  const size_t dot = name.rfind('.');
  if (dot == std::string_view::npos || (slash != std::string_view::npos && dot < slash)) return {};
  const std::string ext = visiondb::detail::to_lower(name.substr(dot + 1));
  struct Entry {
    const char* ext;
    const char* type;
  };
  static constexpr Entry kTypes[] = {
      {"jpg", "image/jpeg"},  {"jpeg", "image/jpeg"}, {"jpe", "image/jpeg"},   {"png", "image/png"},
      {"gif", "image/gif"},   {"bmp", "image/bmp"},   {"webp", "image/webp"},  {"tif", "image/tiff"},
      {"tiff", "image/tiff"}, {"avif", "image/avif"}, {"heic", "image/heic"},  {"svg", "image/svg+xml"},
      {"csv", "text/csv"},    {"tsv", "text/tab-separated-values"},            {"txt", "text/plain"},
      {"md", "text/markdown"}, {"html", "text/html"}, {"htm", "text/html"},    {"json", "application/json"},
      {"jsonl", "application/jsonl"}, {"xml", "application/xml"},              {"pdf", "application/pdf"},
      {"zip", "application/zip"},     {"gz", "application/gzip"},              {"mp4", "video/mp4"},
      {"mp3", "audio/mpeg"},  {"wav", "audio/wav"},
  };
  for (const auto& e : kTypes)
    if (ext == e.ext) return e.type;
  return {};
}

VISIONDB_INLINE std::string_view sniff_content_type(std::string_view head, std::string_view name) noexcept {
  std::string_view t = content_type_of_signature(head);
  if (t.empty()) t = content_type_of_extension(name);
  return t.empty() ? std::string_view("application/octet-stream") : t;
}

}  // namespace visiondb::io
