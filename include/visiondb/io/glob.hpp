// Glob expansion of the uris of LOAD DATA, external tables and object tables over local files:
// '*' matches any run of characters inside one path component, '?' one character, and a whole
// component '**' any number of directories (none included). "file://" URIs are local paths.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "visiondb/common/error.hpp"

namespace visiondb::io {

/// True when the pattern contains '*' or '?'.
bool has_glob_chars(std::string_view pattern) noexcept;

/// The local path of a URI: "file:///data/a.csv" -> "/data/a.csv"; plain paths are unchanged.
std::string local_path_of(std::string_view uri);

/// Matches one path component against a pattern component made of literals, '*' and '?'.
bool glob_match(std::string_view pattern, std::string_view name) noexcept;

/// The regular files matching `pattern`, sorted and without duplicates. A pattern without
/// wildcards gives itself when it names a regular file, and nothing otherwise.
std::vector<std::string> expand_glob(std::string_view pattern);

/// Expands every URI in order (each one's matches sorted); throws IoError naming the URI when a
/// pattern matches no file or a plain path is not a readable regular file.
std::vector<std::string> expand_uris(const std::vector<std::string>& uris);

}  // namespace visiondb::io

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/io/detail/glob_impl.hpp"
#endif
