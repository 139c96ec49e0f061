// Out-of-line parts of object_listing.hpp: POSIX directory reads (d_type saves a stat per entry),
// fstatat() relative to the directory, one task per directory.
#pragma once

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <string_view>
#include <unordered_set>

#include "visiondb/common/error.hpp"
#include "visiondb/common/parallel.hpp"
#include "visiondb/config.hpp"
#include "visiondb/io/glob.hpp"
#include "visiondb/io/object_listing.hpp"

namespace visiondb::io {

namespace detail {

inline std::vector<std::string_view> path_components(std::string_view path) {
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

// Shell style: do components f[j..] match pattern components p[i..]? ('**' spans any number.)
inline bool shell_match(const std::vector<std::string_view>& p, size_t i, const std::vector<std::string_view>& f, size_t j) {
  while (i < p.size()) {
    if (p[i] == "**") {
      for (size_t k = j; k <= f.size(); ++k)
        if (shell_match(p, i + 1, f, k)) return true;
      return false;
    }
    if (j == f.size() || !glob_match(p[i], f[j])) return false;
    ++i;
    ++j;
  }
  return j == f.size();
}

// Shell style: can a file below the folder d (components) match p?
inline bool shell_viable(const std::vector<std::string_view>& p, const std::vector<std::string_view>& d) {
  size_t i = 0, j = 0;
  while (i < p.size()) {
    if (j == d.size() || p[i] == "**") return true;
    if (!glob_match(p[i], d[j])) return false;
    ++i;
    ++j;
  }
  return false;
}

// One URI made ready for the walk.
struct ObjectPattern {
  std::string uri;         // as written
  std::string uri_root;    // "gs://b", "file://" or ""
  std::string local_root;  // the mount folder ("" for local URIs): a listed path minus this, after uri_root, is its URI
  bool bucket_style = false;
  bool literal = false;    // no wildcard: `base` is the file itself
  std::string base;        // the folder the walk starts from (local)
  std::string rel;         // the pattern below base
  std::string literal_prefix;  // bucket style: rel up to its first wildcard

  // comps: rel's components (shell style), views the caller keeps alive.
  bool viable(std::string_view dir_rel, const std::vector<std::string_view>& comps,
              const std::vector<std::string_view>& dir_comps) const {
    if (bucket_style) {
      std::string d = std::string(dir_rel) + "/";
      size_t n = std::min(d.size(), literal_prefix.size());
      return d.compare(0, n, literal_prefix, 0, n) == 0;
    }
    return shell_viable(comps, dir_comps);
  }
  bool accept(std::string_view file_rel, const std::vector<std::string_view>& comps,
              const std::vector<std::string_view>& file_comps) const {
    if (bucket_style) return bucket_match(rel, file_rel);
    return shell_match(comps, 0, file_comps, 0);
  }
};

inline ObjectPattern make_object_pattern(const std::string& uri, const MountTable& mounts) {
  if (uri.empty()) visiondb::detail::throw_invalid_argument("uris contains an empty string");
  ObjectPattern p;
  p.uri = uri;
  const UriParts parts = split_uri(uri);
  p.uri_root = parts.root;
  p.local_root = mounts.local_root(parts, uri);
  p.bucket_style = !parts.root.empty() && parts.scheme != "file";
  std::string local = p.bucket_style ? p.local_root + (parts.path.empty() || parts.path[0] != '/' ? "/" : "") + parts.path
                                     : parts.path;
  if (local.empty()) visiondb::detail::throw_io_error(uri, "the URI names no file");
  const bool absolute = local[0] == '/';
  const auto comps = path_components(local);
  if (comps.empty()) visiondb::detail::throw_io_error(uri, "the URI names no file");
  size_t first_wild = comps.size();
  for (size_t i = 0; i < comps.size(); ++i)
    if (has_glob_chars(comps[i])) {
      first_wild = i;
      break;
    }
  p.literal = first_wild == comps.size();
  // The walk starts in the folder of the literal components before the first wildcard one; a
  // literal path is its own base.
  const size_t base_n = p.literal ? comps.size() : first_wild;
  p.base = absolute ? "/" : "";
  for (size_t i = 0; i < base_n; ++i) {
    if (!p.base.empty() && p.base.back() != '/') p.base += '/';
    p.base += comps[i];
  }
  if (p.base.empty()) p.base = ".";
  for (size_t i = base_n; i < comps.size(); ++i) {
    if (!p.rel.empty()) p.rel += '/';
    p.rel += comps[i];
  }
  if (local.back() == '/' && !p.rel.empty()) p.rel += '/';  // "dir/*/" names folders: nothing matches
  p.literal_prefix = p.rel.substr(0, p.rel.find_first_of("*?"));
  return p;
}

// The URI of a listed local path under pattern p.
inline std::string uri_of(const ObjectPattern& p, const std::string& path) {
  if (p.uri_root.empty()) return path;
  return p.uri_root + path.substr(p.local_root.size());
}

inline int64_t mtime_us(const struct stat& st) noexcept {
  return static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000 + static_cast<int64_t>(st.st_mtim.tv_nsec / 1000);
}

class ObjectWalker {
 public:
  ObjectWalker(const ObjectPattern& p, std::vector<ListedObject>& out) : p_(p), comps_(path_components(p.rel)), out_(out) {}

  void run() {
    if (p_.literal) {
      struct stat st;
      if (::stat(p_.base.c_str(), &st) == 0 && S_ISREG(st.st_mode)) out_.push_back({uri_of(p_, p_.base), p_.base, st.st_size, mtime_us(st)});
      return;
    }
    struct stat st;
    if (::stat(p_.base.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) return;
    visit(p_.base, std::string());
    group_.wait();
  }
  size_t directories() const noexcept { return directories_.load(); }
  size_t entries() const noexcept { return entries_.load(); }

 private:
  void visit(std::string dir, std::string rel) {
    DIR* d = ::opendir(dir.c_str());
    if (!d) return;  // unreadable or gone: nothing to list there
    directories_.fetch_add(1, std::memory_order_relaxed);
    const int dfd = ::dirfd(d);
    const std::string prefix = dir == "/" ? dir : dir == "." ? std::string() : dir + "/";
    const std::string rel_prefix = rel.empty() ? rel : rel + "/";
    std::vector<std::string_view> comps = path_components(rel);
    std::vector<std::string> files, subdirs;
    size_t seen = 0;
    while (const dirent* e = ::readdir(d)) {
      const char* name = e->d_name;
      if (name[0] == '.' && (name[1] == 0 || (name[1] == '.' && name[2] == 0))) continue;
      ++seen;
      unsigned char type = e->d_type;
      bool link = type == DT_LNK;
      if (type == DT_UNKNOWN || link) {
        struct stat st;
        if (::fstatat(dfd, name, &st, 0) != 0) continue;  // a dangling link
        type = S_ISDIR(st.st_mode) ? DT_DIR : S_ISREG(st.st_mode) ? DT_REG : DT_UNKNOWN;
      }
      const std::string child_rel = rel_prefix + name;
      if (type == DT_DIR && !link) {
        comps.push_back(name);
        if (p_.viable(child_rel, comps_, comps)) subdirs.emplace_back(name);
        comps.pop_back();
      } else if (type == DT_REG) {
        comps.push_back(name);
        if (p_.accept(child_rel, comps_, comps)) files.emplace_back(name);
        comps.pop_back();
      }
    }
    entries_.fetch_add(seen, std::memory_order_relaxed);
    for (auto& s : subdirs) {
      std::string child = prefix + s, child_rel = rel_prefix + s;
      group_.run([this, child = std::move(child), child_rel = std::move(child_rel)] { visit(child, child_rel); });
    }
    // stat() the matches, relative to the open directory; big folders split across workers.
    std::vector<ListedObject> found(files.size());
    std::vector<uint8_t> ok(files.size(), 0);
    parallel_for(0, files.size(), 512, [&](size_t b, size_t e) {
      for (size_t i = b; i < e; ++i) {
        struct stat st;
        if (::fstatat(dfd, files[i].c_str(), &st, 0) != 0 || !S_ISREG(st.st_mode)) continue;
        ListedObject& o = found[i];
        o.path = prefix + files[i];
        o.uri = uri_of(p_, o.path);
        o.size = st.st_size;
        o.modified_us = mtime_us(st);
        ok[i] = 1;
      }
    });
    ::closedir(d);
    std::lock_guard lock(mutex_);
    for (size_t i = 0; i < found.size(); ++i)
      if (ok[i]) out_.push_back(std::move(found[i]));
  }

  const ObjectPattern& p_;
  const std::vector<std::string_view> comps_;  // the pattern's components below base (views into p_.rel)
  std::vector<ListedObject>& out_;
  std::mutex mutex_;
  TaskGroup group_;
  std::atomic<size_t> directories_{0}, entries_{0};
};

}  // namespace detail

VISIONDB_INLINE bool bucket_match(std::string_view p, std::string_view s) noexcept {
  if (p.find("**/") == std::string_view::npos) return glob_match(p, s);
  // Positions of s reachable after each pattern token (an NFA run; patterns are short).
  const size_t n = s.size();
  std::vector<uint8_t> reach(n + 1, 0), next(n + 1, 0);
  reach[0] = 1;
  size_t i = 0;
  while (i < p.size()) {
    std::fill(next.begin(), next.end(), 0);
    if (p.compare(i, 3, "**/") == 0) {
      // Empty, or any run ending in '/'.
      bool run = false;
      for (size_t k = 0; k <= n; ++k) {
        if (run && k > 0 && s[k - 1] == '/') next[k] = 1;
        if (reach[k]) next[k] = 1, run = true;
      }
      i += 3;
    } else if (p[i] == '*') {
      while (i < p.size() && p[i] == '*' && p.compare(i, 3, "**/") != 0) ++i;
      bool run = false;
      for (size_t k = 0; k <= n; ++k) {
        run = run || reach[k];
        next[k] = run;
      }
    } else {
      const char c = p[i++];
      for (size_t k = 0; k < n; ++k)
        if (reach[k] && (c == '?' || s[k] == c)) next[k + 1] = 1;
    }
    reach.swap(next);
  }
  return reach[n] != 0;
}

VISIONDB_INLINE std::vector<ListedObject> list_objects(const std::vector<std::string>& uris, const MountTable& mounts,
                                                       ListingCounters* counters) {
  std::vector<detail::ObjectPattern> patterns;
  for (const auto& u : uris) patterns.push_back(detail::make_object_pattern(u, mounts));
  std::vector<ListedObject> out;
  std::unordered_set<std::string> seen;
  for (const auto& p : patterns) {
    std::vector<ListedObject> found;
    detail::ObjectWalker walker(p, found);
    walker.run();
    if (counters) {
      counters->directories += walker.directories();
      counters->entries += walker.entries();
    }
    parallel_sort(found.begin(), found.end(), [](const ListedObject& a, const ListedObject& b) { return a.uri < b.uri; });
    if (patterns.size() == 1) return found;
    if (out.empty() && seen.empty()) {
      for (const auto& o : found) seen.insert(o.path);
      out = std::move(found);
      continue;
    }
    for (auto& o : found)
      if (seen.insert(o.path).second) out.push_back(std::move(o));
  }
  return out;
}

VISIONDB_INLINE void check_object_uris(const std::vector<std::string>& uris, const MountTable& mounts) {
  if (uris.empty()) visiondb::detail::throw_invalid_argument("uris must name at least one file or pattern");
  for (const auto& u : uris) {
    const detail::ObjectPattern p = detail::make_object_pattern(u, mounts);
    struct stat st;
    const bool exists = ::stat(p.base.c_str(), &st) == 0;
    if (p.literal) {
      if (!exists) visiondb::detail::throw_io_error(u, "no such file");
      if (S_ISDIR(st.st_mode))
        visiondb::detail::throw_io_error(u, "is a folder; list its files with a pattern such as '" + u +
                                                (u.back() == '/' ? "" : "/") + "*'");
      if (!S_ISREG(st.st_mode)) visiondb::detail::throw_io_error(u, "is not a regular file");
    } else if (!exists || !S_ISDIR(st.st_mode)) {
      visiondb::detail::throw_io_error(u, "the folder " + (p.uri_root.empty() ? p.base : detail::uri_of(p, p.base)) +
                                              " does not exist");
    }
  }
}

}  // namespace visiondb::io
