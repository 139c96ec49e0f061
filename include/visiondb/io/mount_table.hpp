// MountTable: bucket-style URI prefixes ("gs://name") mapped to local folders, so that object
// tables and their queries keep BigQuery's gs:// URIs while the bytes come from a local disk.
//   Database::mount("gs://yoga_images", "/data/yoga");  SET mount = 'gs://yoga_images=/data/yoga'
//   visiondb --mount gs://yoga_images=/data/yoga
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace visiondb::io {

/// A URI split into the part a mount replaces and the rest: "gs://b/x/*.jpg" -> {"gs://b", "/x/*.jpg"}.
struct UriParts {
  std::string scheme;  ///< "gs", "s3", "file" or "" for a plain path
  std::string root;    ///< "gs://b" for a bucket URI, "file://" for file URIs, "" for plain paths
  std::string path;    ///< the rest: "/x/*.jpg" (bucket), "/data/x.jpg" (file://), the path itself (plain)
};

/// Splits a URI (see UriParts). Throws InvalidArgument for a bucket URI without a bucket name.
UriParts split_uri(std::string_view uri);

/// Parses a mount specification "gs://name=DIR" (the REPL's --mount and SET mount); an empty DIR
/// ("gs://name=") means unmount. Throws InvalidArgument when it is not of that form.
std::pair<std::string, std::string> parse_mount_spec(std::string_view spec);

class MountTable {
 public:
  /// Maps the bucket URI `bucket` ("gs://name", a trailing '/' allowed) to the local folder `dir`
  /// (made absolute now), replacing an earlier mount of that bucket. Throws InvalidArgument for a
  /// malformed bucket URI or an empty dir.
  void mount(std::string_view bucket, std::string_view dir);
  /// Removes the mount of `bucket`; returns whether there was one.
  bool unmount(std::string_view bucket);
  /// Every mount as (bucket URI, folder), sorted by bucket.
  std::vector<std::pair<std::string, std::string>> list() const;
  /// The folder `bucket` is mounted at, or "" when it has none.
  std::string folder_of(std::string_view bucket) const;

  /// The local path of a URI's root: "" for plain paths and file:// URIs (their paths are local
  /// already), the mounted folder without a trailing '/' for bucket URIs ("" for a mount at "/").
  /// Throws IoError naming the URI when its bucket is not mounted.
  std::string local_root(const UriParts& uri, std::string_view original) const;

 private:
  mutable std::mutex mutex_;
  std::map<std::string, std::string> mounts_;
};

/// A URI as a local path: plain paths and file:// URIs as they are, bucket URIs through `mounts`
/// (null: no mounts). Throws IoError naming the URI when its bucket is not mounted.
std::string local_path(std::string_view uri, const MountTable* mounts);

}  // namespace visiondb::io

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/io/detail/mount_table_impl.hpp"
#endif
