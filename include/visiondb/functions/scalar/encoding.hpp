// BYTES <-> text encodings: TO_HEX, FROM_HEX, TO_BASE64, FROM_BASE64 (BigQuery's; ZetaSQL's
// functions/string.cc): hex is lower case out, either case in, an odd digit count reads as if a
// leading 0 were there; base64 is the standard alphabet with '=' padding.
#pragma once

#include <string_view>

#include "visiondb/functions/function.hpp"

namespace visiondb::fn {

struct ToHexFunction {
  static constexpr std::string_view name = "to_hex", doc = "TO_HEX(bytes): lower-case hexadecimal STRING";
  static FunctionSet overloads();
};
struct FromHexFunction {
  static constexpr std::string_view name = "from_hex", doc = "FROM_HEX(string): the BYTES a hexadecimal STRING encodes";
  static FunctionSet overloads();
};
struct ToBase64Function {
  static constexpr std::string_view name = "to_base64", doc = "TO_BASE64(bytes): base64 STRING";
  static FunctionSet overloads();
};
struct FromBase64Function {
  static constexpr std::string_view name = "from_base64", doc = "FROM_BASE64(string): the BYTES a base64 STRING encodes";
  static FunctionSet overloads();
};

}  // namespace visiondb::fn

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/functions/detail/encoding_impl.hpp"
#endif
