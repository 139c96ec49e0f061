// Listing the files an object table's URIs name, in parallel: one task per directory, the stat()
// calls of a large directory split across workers. Two wildcard styles, each its world's:
//   bucket URIs (gs://b/...), as BigQuery and Cloud Storage: object names are flat, so '*' matches
//     any characters, '/' included ('gs://b/poses/*.jpg' lists gs://b/poses/tree/1.jpg), and
//     '**/' any number of folders, none included;
//   local paths and file:// URIs, as the shell (glob.hpp): '*' and '?' stay inside one path
//     component and a whole component '**' matches any number of folders, none included.
// '?' matches one character in both. Symbolic links to files are listed; links to folders are not
// followed (a link cycle cannot loop).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "visiondb/io/mount_table.hpp"

namespace visiondb::io {

/// One listed file.
struct ListedObject {
  std::string uri;           ///< in the spelling of the URI that matched it: gs://b/x/a.jpg, file:///d/a.jpg, d/a.jpg
  std::string path;          ///< its local path
  int64_t size = 0;          ///< bytes
  int64_t modified_us = 0;   ///< last modification, microseconds since the Unix epoch
};

/// What a listing did, for EXPLAIN and benchmarks.
struct ListingCounters {
  size_t directories = 0;  ///< directories read
  size_t entries = 0;      ///< directory entries seen
};

/// Lists the regular files matching the URIs: each URI's matches sorted by URI, then the next
/// URI's; a file two URIs match is listed once, for the first. A pattern that matches nothing, a
/// folder that does not exist (any more) and a literal path that is not a file give no rows.
/// Throws IoError naming the URI when its bucket is not mounted.
std::vector<ListedObject> list_objects(const std::vector<std::string>& uris, const MountTable& mounts,
                                       ListingCounters* counters = nullptr);

/// The checks CREATE EXTERNAL TABLE makes: every URI is well formed and not empty, its bucket is
/// mounted, and the folder its pattern starts from exists (a literal path must be a regular
/// file). Throws IoError / InvalidArgument naming the URI.
void check_object_uris(const std::vector<std::string>& uris, const MountTable& mounts);

/// Bucket-style matching of a whole object name: '*' any characters ('/' included), '?' one
/// character, and "**/" any number of folders (none included).
bool bucket_match(std::string_view pattern, std::string_view name) noexcept;

}  // namespace visiondb::io

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/io/detail/object_listing_impl.hpp"
#endif
