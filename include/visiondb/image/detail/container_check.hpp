// Structural checks of encoded images, run before decoding: stb_image pads a truncated JPEG,
// BMP or GIF with zeros and reports success, so completeness is checked here from the container
// (markers, chunks, blocks). Each check returns an empty string when the file is whole, or the
// reason it is not.
#pragma once

#include <cstdint>
#include <cstring>
#include <span>
#include <string>

#include "visiondb/common/checksum.hpp"

namespace visiondb::img::detail {

inline uint32_t read_be32(const uint8_t* p) noexcept {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3];
}
inline uint32_t read_le32(const uint8_t* p) noexcept {
  return uint32_t{p[0]} | (uint32_t{p[1]} << 8) | (uint32_t{p[2]} << 16) | (uint32_t{p[3]} << 24);
}
inline uint16_t read_le16(const uint8_t* p) noexcept { return static_cast<uint16_t>(p[0] | (p[1] << 8)); }

/// The width and height the header announces, read without stb (whose own size checks would
/// hide the limit that was hit); {0, 0} when the header cannot be read.
struct HeaderSize {
  int64_t width = 0;
  int64_t height = 0;
};

inline HeaderSize read_header_size(std::span<const uint8_t> b, int format /* ImageFormat */) {
  const size_t n = b.size();
  switch (format) {
    case 1: {  // JPEG: the first SOFn segment
      size_t pos = 2;
      while (pos + 4 <= n) {
        if (b[pos] != 0xFF) return {};
        const uint8_t marker = b[pos + 1];
        if (marker == 0xFF) {
          ++pos;
          continue;
        }
        const size_t len = (size_t{b[pos + 2]} << 8) | b[pos + 3];
        if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) {
          if (pos + 9 > n) return {};
          return {int64_t((b[pos + 7] << 8) | b[pos + 8]), int64_t((b[pos + 5] << 8) | b[pos + 6])};
        }
        if (marker == 0xDA || len < 2) return {};
        pos += 2 + len;
      }
      return {};
    }
    case 2:  // PNG: IHDR
      if (n < 24) return {};
      return {int64_t(read_be32(b.data() + 16)), int64_t(read_be32(b.data() + 20))};
    case 3: {  // BMP
      if (n < 26) return {};
      if (read_le32(b.data() + 14) == 12) return {read_le16(b.data() + 18), read_le16(b.data() + 20)};
      const int64_t h = static_cast<int32_t>(read_le32(b.data() + 22));
      return {static_cast<int32_t>(read_le32(b.data() + 18)), h < 0 ? -h : h};
    }
    case 4:  // GIF: the logical screen
      if (n < 10) return {};
      return {read_le16(b.data() + 6), read_le16(b.data() + 8)};
    default: return {};
  }
}

/// JPEG: walks the marker segments and the entropy-coded data up to EOI (FF D9).
inline std::string check_jpeg_structure(std::span<const uint8_t> b) {
  const size_t n = b.size();
  size_t pos = 2;  // after SOI
  bool seen_frame = false, seen_scan = false;
  while (true) {
    while (pos < n && b[pos] != 0xFF) ++pos;  // tolerate garbage between segments, as libjpeg does
    while (pos < n && b[pos] == 0xFF) ++pos;  // fill bytes
    if (pos >= n) break;
    const uint8_t marker = b[pos++];
    if (marker == 0xD9) {
      if (!seen_frame || !seen_scan) return "it ends before any image data";
      return {};
    }
    if ((marker >= 0xD0 && marker <= 0xD7) || marker == 0x01 || marker == 0x00) continue;
    if (pos + 2 > n) break;
    const size_t len = (size_t{b[pos]} << 8) | b[pos + 1];
    if (len < 2) return "a marker segment at byte " + std::to_string(pos) + " has an invalid length";
    if (pos + len > n) break;
    if ((marker >= 0xC0 && marker <= 0xCF) && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) seen_frame = true;
    if (marker == 0xC4) {
      // Huffman tables: at most 256 codes each. stb_image 2.27 does not check this and would write
      // past its code-size array (fixed in stb 2.28), so a bad table is refused here.
      size_t t = pos + 2;
      const size_t end = pos + len;
      while (t < end) {
        if (t + 17 > end) return "a Huffman table at byte " + std::to_string(t) + " is cut short";
        if ((b[t] >> 4) > 1 || (b[t] & 15) > 3) return "a Huffman table at byte " + std::to_string(t) + " has a bad class or id";
        size_t codes = 0;
        for (int i = 1; i <= 16; ++i) codes += b[t + i];
        if (codes > 256 || t + 17 + codes > end) {
          return "a Huffman table at byte " + std::to_string(t) + " is corrupt (" + std::to_string(codes) + " codes)";
        }
        t += 17 + codes;
      }
    }
    pos += len;
    if (marker == 0xDA) {
      seen_scan = true;
      // Entropy-coded data: runs until a marker other than a stuffed zero or a restart marker.
      while (true) {
        const void* ff = std::memchr(b.data() + pos, 0xFF, n - pos);
        if (!ff) {
          pos = n;
          break;
        }
        pos = static_cast<size_t>(static_cast<const uint8_t*>(ff) - b.data());
        if (pos + 1 >= n) {
          pos = n;
          break;
        }
        const uint8_t next = b[pos + 1];
        if (next == 0x00 || next == 0xFF || (next >= 0xD0 && next <= 0xD7)) {
          pos += (next == 0xFF) ? 1 : 2;
          continue;
        }
        break;  // a real marker: back to the segment loop
      }
    }
  }
  return "it is truncated (no end-of-image marker)";
}

/// PNG: walks the chunks up to IEND, checking each chunk's CRC-32.
inline std::string check_png_structure(std::span<const uint8_t> b) {
  const size_t n = b.size();
  size_t pos = 8;
  bool seen_header = false, seen_data = false;
  while (true) {
    if (pos + 12 > n) return "it is truncated (no IEND chunk)";
    const uint32_t len = read_be32(b.data() + pos);
    if (len > 0x7FFFFFFFu || pos + 12 + size_t{len} > n) return "it is truncated (no IEND chunk)";
    const uint8_t* type = b.data() + pos + 4;
    const uint32_t stored_crc = read_be32(b.data() + pos + 8 + len);
    if (visiondb::crc32(type, size_t{len} + 4) != stored_crc) {
      return "chunk \"" + std::string(reinterpret_cast<const char*>(type), 4) + "\" at byte " + std::to_string(pos) +
             " fails its CRC check";
    }
    if (std::memcmp(type, "IHDR", 4) == 0) seen_header = true;
    if (std::memcmp(type, "IDAT", 4) == 0) seen_data = true;
    if (std::memcmp(type, "IEND", 4) == 0) {
      if (!seen_header || !seen_data) return "it has no IHDR or IDAT chunk";
      return {};
    }
    pos += 12 + size_t{len};
  }
}

/// GIF: walks the blocks up to the end of the first frame's image data.
inline std::string check_gif_structure(std::span<const uint8_t> b) {
  const size_t n = b.size();
  if (n < 13) return "it is truncated (incomplete header)";
  size_t pos = 13;
  const uint8_t flags = b[10];
  if (flags & 0x80) pos += 3u * (2u << (flags & 7));
  auto skip_sub_blocks = [&]() -> bool {
    while (true) {
      if (pos >= n) return false;
      const size_t len = b[pos++];
      if (len == 0) return true;
      pos += len;
    }
  };
  while (true) {
    if (pos >= n) return "it is truncated before its first frame ends";
    const uint8_t block = b[pos++];
    if (block == 0x21) {  // extension: label, then sub-blocks
      if (pos >= n) return "it is truncated before its first frame ends";
      ++pos;
      if (!skip_sub_blocks()) return "it is truncated before its first frame ends";
    } else if (block == 0x2C) {  // image descriptor
      if (pos + 9 > n) return "it is truncated before its first frame ends";
      const uint8_t local = b[pos + 8];
      pos += 9;
      if (local & 0x80) pos += 3u * (2u << (local & 7));
      ++pos;  // LZW minimum code size
      if (!skip_sub_blocks()) return "it is truncated before its first frame ends";
      return {};
    } else if (block == 0x3B) {
      return "it holds no image frame";
    } else {
      return "it has an unknown block 0x" + std::to_string(block) + " at byte " + std::to_string(pos - 1);
    }
  }
}

/// GIF: the colour PIL shows for the first frame's transparent pixels (the palette entry of the
/// transparent index, local palette first), when the frame has one. stb_image composes them on
/// black instead, so the decoder repaints them. False when there is no transparency.
inline bool gif_transparent_colour(std::span<const uint8_t> b, uint8_t rgb[3]) {
  const size_t n = b.size();
  if (n < 13) return false;
  size_t pos = 13;
  const uint8_t flags = b[10];
  size_t global = 0, global_size = 0;
  if (flags & 0x80) {
    global = pos;
    global_size = 2u << (flags & 7);
    pos += 3 * global_size;
  }
  int transparent = -1;
  while (pos < n) {
    const uint8_t block = b[pos++];
    if (block == 0x21) {
      if (pos >= n) return false;
      const uint8_t label = b[pos++];
      if (label == 0xF9 && pos + 5 <= n && b[pos] >= 4 && (b[pos + 1] & 1)) transparent = b[pos + 4];
      while (pos < n && b[pos] != 0) pos += 1 + b[pos];
      ++pos;
    } else if (block == 0x2C) {
      if (transparent < 0 || pos + 9 > n) return false;
      const uint8_t local = b[pos + 8];
      size_t table = global, table_size = global_size;
      if (local & 0x80) {
        table = pos + 9;
        table_size = 2u << (local & 7);
      }
      if (table == 0 || static_cast<size_t>(transparent) >= table_size || table + 3 * table_size > n) return false;
      for (int c = 0; c < 3; ++c) rgb[c] = b[table + 3 * static_cast<size_t>(transparent) + c];
      return true;
    } else {
      return false;
    }
  }
  return false;
}

/// BMP: checks that the pixel array the header announces lies inside the file (uncompressed kinds).
inline std::string check_bmp_structure(std::span<const uint8_t> b) {
  const size_t n = b.size();
  if (n < 26) return "it is truncated (incomplete header)";
  const uint32_t data_offset = read_le32(b.data() + 10);
  const uint32_t header_size = read_le32(b.data() + 14);
  int64_t width, height;
  uint32_t bpp, compression = 0;
  if (header_size == 12) {
    width = read_le16(b.data() + 18);
    height = read_le16(b.data() + 20);
    bpp = read_le16(b.data() + 24);
  } else {
    if (n < 34) return "it is truncated (incomplete header)";
    width = static_cast<int32_t>(read_le32(b.data() + 18));
    height = static_cast<int32_t>(read_le32(b.data() + 22));
    bpp = read_le16(b.data() + 28);
    compression = read_le32(b.data() + 30);
  }
  if (compression == 1 || compression == 2) return {};  // RLE: length not known from the header
  if (height < 0) height = -height;
  if (width <= 0 || bpp == 0 || bpp > 32) return {};  // let the decoder name the problem
  const uint64_t stride = ((static_cast<uint64_t>(width) * bpp + 31) / 32) * 4;
  const uint64_t needed = uint64_t{data_offset} + stride * static_cast<uint64_t>(height);
  if (needed > n) {
    return "it is truncated (its pixel data needs " + std::to_string(needed) + " bytes, the file has " +
           std::to_string(n) + ")";
  }
  return {};
}

}  // namespace visiondb::img::detail
