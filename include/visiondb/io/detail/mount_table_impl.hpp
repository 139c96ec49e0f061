// Out-of-line parts of mount_table.hpp.
#pragma once

#include <cctype>
#include <filesystem>

#include "visiondb/common/error.hpp"
#include "visiondb/config.hpp"
#include "visiondb/io/mount_table.hpp"
#include "visiondb/storage/detail/text.hpp"

namespace visiondb::io {

namespace detail {
// The length of "scheme://" at the start of s, or 0.
inline size_t scheme_prefix_length(std::string_view s) noexcept {
  size_t i = 0;
  if (s.empty() || !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z'))) return 0;
  while (i < s.size() && (std::isalnum(static_cast<unsigned char>(s[i])) || s[i] == '+' || s[i] == '.' || s[i] == '-')) ++i;
  return s.substr(i, 3) == "://" ? i + 3 : 0;
}

// "gs://name/" or "GS://name" -> "gs://name"; throws for anything else.
inline std::string normalized_bucket(std::string_view bucket) {
  const UriParts p = split_uri(bucket);
  if (p.root.empty() || p.scheme == "file")
    visiondb::detail::throw_invalid_argument("a mount needs a bucket URI such as 'gs://name', got '" + std::string(bucket) + "'");
  if (!p.path.empty() && p.path != "/")
    visiondb::detail::throw_invalid_argument("a mount maps a whole bucket: '" + std::string(bucket) +
                                             "' has a path after the bucket name");
  return p.root;
}
}  // namespace detail

VISIONDB_INLINE UriParts split_uri(std::string_view uri) {
  UriParts out;
  const size_t n = detail::scheme_prefix_length(uri);
  if (n == 0) {
    out.path = std::string(uri);
    return out;
  }
  out.scheme = visiondb::detail::to_lower(uri.substr(0, n - 3));
  if (out.scheme == "file") {
    std::string_view rest = uri.substr(n);
    // file://localhost/path is the same as file:///path.
    if (rest.substr(0, 10) == "localhost/") rest.remove_prefix(9);
    out.root = "file://";
    out.path = std::string(rest);
    return out;
  }
  std::string_view rest = uri.substr(n);
  const size_t slash = rest.find('/');
  std::string_view bucket = rest.substr(0, slash);
  if (bucket.empty())
    visiondb::detail::throw_invalid_argument("the URI '" + std::string(uri) + "' has no bucket name after " + out.scheme + "://");
  out.root = out.scheme + "://" + std::string(bucket);
  out.path = slash == std::string_view::npos ? std::string() : std::string(rest.substr(slash));
  return out;
}

VISIONDB_INLINE std::pair<std::string, std::string> parse_mount_spec(std::string_view spec) {
  const size_t eq = spec.find('=');
  if (eq == std::string_view::npos || detail::scheme_prefix_length(spec) == 0)
    visiondb::detail::throw_invalid_argument("a mount is written 'gs://bucket=/local/folder' (or 'gs://bucket=' to remove it), got '" +
                                             std::string(spec) + "'");
  return {detail::normalized_bucket(spec.substr(0, eq)), std::string(spec.substr(eq + 1))};
}

VISIONDB_INLINE void MountTable::mount(std::string_view bucket, std::string_view dir) {
  std::string key = detail::normalized_bucket(bucket);
  if (dir.empty()) visiondb::detail::throw_invalid_argument("the folder of the mount of '" + key + "' is empty");
  std::error_code ec;
  std::string folder = std::filesystem::absolute(std::filesystem::path(dir), ec).lexically_normal().string();
  if (ec) folder = std::string(dir);
  while (folder.size() > 1 && folder.back() == '/') folder.pop_back();
  std::lock_guard lock(mutex_);
  mounts_[key] = std::move(folder);
}

VISIONDB_INLINE bool MountTable::unmount(std::string_view bucket) {
  std::string key = detail::normalized_bucket(bucket);
  std::lock_guard lock(mutex_);
  return mounts_.erase(key) > 0;
}

VISIONDB_INLINE std::vector<std::pair<std::string, std::string>> MountTable::list() const {
  std::lock_guard lock(mutex_);
  return {mounts_.begin(), mounts_.end()};
}

VISIONDB_INLINE std::string MountTable::folder_of(std::string_view bucket) const {
  std::lock_guard lock(mutex_);
  auto it = mounts_.find(std::string(bucket));
  return it == mounts_.end() ? std::string() : it->second;
}

VISIONDB_INLINE std::string MountTable::local_root(const UriParts& uri, std::string_view original) const {
  if (uri.root.empty() || uri.scheme == "file") return {};
  std::lock_guard lock(mutex_);
  auto it = mounts_.find(uri.root);
  if (it == mounts_.end())
    visiondb::detail::throw_io_error(std::string(original), "the bucket " + uri.root + " is not mounted; map it to a local folder with SET mount = '" +
                                                             uri.root + "=/path/to/folder' (or Database::mount, or the REPL's --mount)");
  return it->second == "/" ? std::string() : it->second;
}

VISIONDB_INLINE std::string local_path(std::string_view uri, const MountTable* mounts) {
  const UriParts parts = split_uri(uri);
  if (parts.root.empty() || parts.scheme == "file") return parts.path;
  static const MountTable no_mounts;  // its local_root throws the "not mounted" error
  return (mounts ? *mounts : no_mounts).local_root(parts, uri) + parts.path;
}

}  // namespace visiondb::io
