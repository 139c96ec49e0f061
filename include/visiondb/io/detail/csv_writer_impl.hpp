// Out-of-line parts of csv_writer.hpp.
#pragma once

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "visiondb/common/error.hpp"
#include "visiondb/common/parallel.hpp"
#include "visiondb/config.hpp"
#include "visiondb/io/csv_writer.hpp"
#include "visiondb/io/detail/csv_text.hpp"
#include "visiondb/io/glob.hpp"

namespace visiondb::io {

VISIONDB_INLINE void append_csv_text(std::string& out, std::string_view text, char delimiter) {
  bool needs_quotes = text.empty();
  for (char c : text) {
    if (c == delimiter || c == '"' || c == '\n' || c == '\r') {
      needs_quotes = true;
      break;
    }
  }
  if (!needs_quotes) {
    out += text;
    return;
  }
  out += '"';
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

VISIONDB_INLINE void append_csv_value(std::string& out, const Column& col, size_t row, char delimiter) {
  if (col.is_null(row)) return;
  switch (col.type().id()) {
    case TypeId::Bool: out += col.data<uint8_t>()[row] ? "true" : "false"; return;
    case TypeId::Int64: detail::append_int64(out, col.data<int64_t>()[row]); return;
    case TypeId::Float64: detail::append_float64(out, col.data<double>()[row]); return;
    case TypeId::String: append_csv_text(out, col.string_at(row), delimiter); return;
    case TypeId::Bytes:
      if (col.string_at(row).empty()) out += "\"\"";  // apart from NULL, as for strings
      detail::append_base64(out, col.string_at(row));
      return;
    case TypeId::Timestamp: detail::append_timestamp_utc(out, col.data<int64_t>()[row]); return;
    case TypeId::Date: out += visiondb::detail::format_date(col.data<int32_t>()[row]); return;
    case TypeId::Null: return;
    default:
      // Nested and object values are refused by check_csv_types before anything is written.
      append_csv_text(out, col.get(row).to_string(), delimiter);
      return;
  }
}

VISIONDB_INLINE void check_csv_types(const std::vector<std::string>& names, const std::vector<LogicalType>& types) {
  for (size_t i = 0; i < types.size(); ++i) {
    const TypeId id = types[i].id();
    if (id == TypeId::Array || id == TypeId::Struct || id == TypeId::Object) {
      std::string name = i < names.size() ? names[i] : std::to_string(i + 1);
      visiondb::detail::throw_invalid_argument(
          "CSV cannot hold column \"" + name + "\" of type " + types[i].to_string() +
          " (BigQuery exports no ARRAY or STRUCT values to CSV: use TO_JSON_STRING, or format='JSON')");
    }
  }
}

VISIONDB_INLINE std::string export_path_of(std::string_view uri) {
  std::string path = local_path_of(uri);
  size_t star = path.find('*');
  if (star != std::string::npos) {
    if (path.find('*', star + 1) != std::string::npos)
      visiondb::detail::throw_invalid_argument("EXPORT DATA uri may hold one '*' wildcard, got '" + std::string(uri) + "'");
    path.replace(star, 1, "000000000000");
  }
  return path;
}

namespace detail {

// Removes the temporary file unless released (every early exit, exceptions included).
class TempFileGuard {
 public:
  explicit TempFileGuard(std::string path) : path_(std::move(path)) {}
  ~TempFileGuard() {
    if (!path_.empty()) ::unlink(path_.c_str());
  }
  void release() { path_.clear(); }

 private:
  std::string path_;
};

inline std::string temp_path_for(const std::string& path) {
  static std::atomic<unsigned> counter{0};
  return path + ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
}

}  // namespace detail

VISIONDB_INLINE size_t write_csv(const std::string& path, const std::vector<std::string>& names,
                                 const std::vector<LogicalType>& types,
                                 const std::vector<std::shared_ptr<const Chunk>>& chunks, const CsvWriteOptions& options) {
  check_csv_types(names, types);
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!options.overwrite && fs::exists(path, ec))
    visiondb::detail::throw_io_error(path, "already exists (overwrite=true replaces it)");
  if (fs::is_directory(path, ec)) visiondb::detail::throw_io_error(path, "is a directory");
  const fs::path parent = fs::path(path).parent_path();
  if (!parent.empty() && !fs::is_directory(parent, ec))
    visiondb::detail::throw_io_error(path, "its directory \"" + parent.string() + "\" does not exist");

  const std::string tmp = detail::temp_path_for(path);
  std::FILE* f = std::fopen(tmp.c_str(), "wbx");
  if (!f) visiondb::detail::throw_io_error(path, std::string("cannot create a temporary file: ") + std::strerror(errno));
  detail::TempFileGuard guard(tmp);
  auto fail = [&](const char* what) {
    int e = errno;
    std::fclose(f);
    f = nullptr;
    visiondb::detail::throw_io_error(path, std::string(what) + ": " + std::strerror(e));
  };
  const char delim = options.field_delimiter;
  if (options.header) {
    std::string line;
    for (size_t c = 0; c < names.size(); ++c) {
      if (c) line += delim;
      append_csv_text(line, names[c], delim);
    }
    line += '\n';
    if (std::fwrite(line.data(), 1, line.size(), f) != line.size()) fail("write failed");
  }
  // Chunks are formatted in parallel, a group at a time, and written in order.
  size_t rows = 0;
  constexpr size_t kGroup = 64;
  std::vector<std::string> texts(kGroup);
  for (size_t g = 0; g < chunks.size(); g += kGroup) {
    const size_t n = std::min(kGroup, chunks.size() - g);
    parallel_for_each_index(0, n, [&](size_t i) {
      const Chunk& ch = *chunks[g + i];
      std::string& out = texts[i];
      out.clear();
      for (size_t r = 0; r < ch.size(); ++r) {
        const size_t pr = ch.physical_row(r);
        for (size_t c = 0; c < ch.column_count(); ++c) {
          if (c) out += delim;
          append_csv_value(out, ch.column(c), pr, delim);
        }
        out += '\n';
      }
    });
    for (size_t i = 0; i < n; ++i) {
      if (std::fwrite(texts[i].data(), 1, texts[i].size(), f) != texts[i].size()) fail("write failed");
      rows += chunks[g + i]->size();
    }
  }
  if (std::fflush(f) != 0) fail("write failed");
  if (::fsync(::fileno(f)) != 0) fail("fsync failed");
  if (std::fclose(f) != 0) {
    f = nullptr;
    visiondb::detail::throw_io_error(path, std::string("close failed: ") + std::strerror(errno));
  }
  if (options.overwrite) {
    if (std::rename(tmp.c_str(), path.c_str()) != 0)
      visiondb::detail::throw_io_error(path, std::string("cannot rename the temporary file: ") + std::strerror(errno));
  } else {
    // link() fails when the target appeared meanwhile: no file is ever replaced silently.
    if (::link(tmp.c_str(), path.c_str()) != 0) {
      int e = errno;
      visiondb::detail::throw_io_error(
          path, e == EEXIST ? std::string("already exists (overwrite=true replaces it)") : std::strerror(e));
    }
    ::unlink(tmp.c_str());
  }
  guard.release();
  return rows;
}

}  // namespace visiondb::io
