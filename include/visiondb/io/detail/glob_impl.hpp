// Out-of-line parts of glob.hpp.
#pragma once

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "visiondb/common/error.hpp"
#include "visiondb/config.hpp"
#include "visiondb/io/glob.hpp"

namespace visiondb::io {

namespace detail {

inline std::vector<std::string_view> split_components(std::string_view path) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i <= path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    if (j > i) out.push_back(path.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

inline std::string join_path(const std::string& dir, std::string_view name) {
  if (dir.empty()) return std::string(name);
  if (dir.back() == '/') return dir + std::string(name);
  return dir + "/" + std::string(name);
}

// Walks the directory tree along the pattern's components, collecting matching files.
inline void glob_walk(const std::string& dir, const std::vector<std::string_view>& comps, size_t idx,
                      std::vector<std::string>& out) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const std::string here = dir.empty() ? std::string(".") : dir;
  if (idx == comps.size()) {
    if (!dir.empty() && fs::is_regular_file(dir, ec)) out.push_back(dir);
    return;
  }
  std::string_view comp = comps[idx];
  if (comp == "**") {
    glob_walk(dir, comps, idx + 1, out);  // zero directories
    for (fs::directory_iterator it(here, ec), end; !ec && it != end; it.increment(ec)) {
      // Symbolic links to directories are not followed here, so a link cycle cannot loop.
      std::error_code sec;
      if (it->symlink_status(sec).type() == fs::file_type::directory)
        glob_walk(join_path(dir, it->path().filename().native()), comps, idx, out);
    }
    return;
  }
  if (!has_glob_chars(comp)) {
    std::string next = join_path(dir, comp);
    if (idx + 1 == comps.size() || fs::is_directory(next, ec)) glob_walk(next, comps, idx + 1, out);
    return;
  }
  for (fs::directory_iterator it(here, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().native();
    if (!glob_match(comp, name)) continue;
    std::error_code sec;
    if (idx + 1 < comps.size() && !it->is_directory(sec)) continue;
    glob_walk(join_path(dir, name), comps, idx + 1, out);
  }
}

}  // namespace detail

VISIONDB_INLINE bool has_glob_chars(std::string_view pattern) noexcept {
  return pattern.find_first_of("*?") != std::string_view::npos;
}

VISIONDB_INLINE std::string local_path_of(std::string_view uri) {
  constexpr std::string_view kFile = "file://";
  if (uri.substr(0, kFile.size()) == kFile) {
    uri.remove_prefix(kFile.size());
    // file://localhost/path is the same as file:///path.
    if (uri.substr(0, 10) == "localhost/") uri.remove_prefix(9);
  }
  return std::string(uri);
}

VISIONDB_INLINE bool glob_match(std::string_view p, std::string_view s) noexcept {
  // Iterative wildcard matching with one backtrack point (linear for a single '*').
  size_t pi = 0, si = 0, star = std::string_view::npos, mark = 0;
  while (si < s.size()) {
    if (pi < p.size() && (p[pi] == '?' || p[pi] == s[si])) {
      ++pi;
      ++si;
    } else if (pi < p.size() && p[pi] == '*') {
      star = pi++;
      mark = si;
    } else if (star != std::string_view::npos) {
      pi = star + 1;
      si = ++mark;
    } else {
      return false;
    }
  }
  while (pi < p.size() && p[pi] == '*') ++pi;
  return pi == p.size();
}

VISIONDB_INLINE std::vector<std::string> expand_glob(std::string_view pattern_uri) {
  const std::string pattern = local_path_of(pattern_uri);
  std::vector<std::string> out;
  std::error_code ec;
  if (!has_glob_chars(pattern)) {
    if (std::filesystem::is_regular_file(pattern, ec)) out.push_back(pattern);
    return out;
  }
  const auto comps = detail::split_components(pattern);
  // The literal components before the first wildcard form the directory the walk starts from.
  std::string base = (!pattern.empty() && pattern[0] == '/') ? "/" : "";
  size_t first = 0;
  while (first < comps.size() && !has_glob_chars(comps[first]) && first + 1 < comps.size()) {
    base = detail::join_path(base, comps[first]);
    ++first;
  }
  if (!base.empty() && !std::filesystem::is_directory(base, ec)) return out;
  detail::glob_walk(base, comps, first, out);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

VISIONDB_INLINE std::vector<std::string> expand_uris(const std::vector<std::string>& uris) {
  std::vector<std::string> out;
  for (const auto& uri : uris) {
    if (uri.empty()) visiondb::detail::throw_invalid_argument("uris contains an empty string");
    auto files = expand_glob(uri);
    if (files.empty()) {
      std::error_code ec;
      std::string path = local_path_of(uri);
      if (has_glob_chars(path)) visiondb::detail::throw_io_error(uri, "no file matches this pattern");
      if (std::filesystem::is_directory(path, ec))
        visiondb::detail::throw_io_error(uri, "is a directory (use a pattern such as 'dir/*.csv')");
      visiondb::detail::throw_io_error(uri, "no such file");
    }
    out.insert(out.end(), files.begin(), files.end());
  }
  return out;
}

}  // namespace visiondb::io
