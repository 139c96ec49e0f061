// The media type of a file, as an object table's content_type: from the first bytes of the file
// (its signature), and from the name's extension only when the signature says nothing.
#pragma once

#include <cstddef>
#include <string_view>

namespace visiondb::io {

/// Bytes of the file's start that sniff_content_type() looks at.
inline constexpr size_t kSniffBytes = 32;

/// The media type a file's first bytes announce ("image/jpeg", "image/png", "image/gif",
/// "image/bmp", "image/webp", "image/tiff", "application/pdf", ...), or "" when they announce none.
std::string_view content_type_of_signature(std::string_view head) noexcept;

/// The media type a file name's extension suggests (.jpg, .csv, .json, ...), or "".
std::string_view content_type_of_extension(std::string_view name) noexcept;

/// The signature's type, else the extension's, else "application/octet-stream" (what Cloud
/// Storage serves for an object stored without a Content-Type).
std::string_view sniff_content_type(std::string_view head, std::string_view name) noexcept;

}  // namespace visiondb::io

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/io/detail/content_type_impl.hpp"
#endif
