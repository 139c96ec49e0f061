// Basic string functions of the foundation: || and CONCAT (the binder folds CONCAT(a, b, c) into
// a || b || c), LENGTH / CHAR_LENGTH (characters of a STRING, bytes of BYTES), BYTE_LENGTH.
#pragma once

#include <string>
#include <string_view>

#include "visiondb/functions/function.hpp"

namespace visiondb::fn {

struct ConcatOp {
  static bool apply(std::string_view a, std::string_view b, std::string& r) {
    r.reserve(a.size() + b.size());
    r.assign(a);
    r.append(b);
    return true;
  }
  static std::string error(std::string_view, std::string_view) { return {}; }
};

struct CharLengthOp {
  static int64_t apply(std::string_view s) {
    int64_t n = 0;
    for (unsigned char c : s) n += (c & 0xC0) != 0x80;
    return n;
  }
};
struct ByteLengthOp {
  static int64_t apply(std::string_view s) { return static_cast<int64_t>(s.size()); }
};

struct ConcatFunction {
  static constexpr std::string_view name = "||", doc = "a || b (also CONCAT(a, b, ...)): concatenation; NULL if any is NULL";
  static FunctionSet overloads() {
    auto b = LogicalType::bytes();
    return {binary<std::string_view, std::string_view, std::string_view, ConcatOp>(),
            binary<std::string_view, std::string_view, std::string_view, ConcatOp>(b, b, b)};
  }
};
struct LengthFunction {
  static constexpr std::string_view name = "length", doc = "LENGTH(s): characters of a STRING, bytes of BYTES";
  static FunctionSet overloads() {
    return {unary<std::string_view, int64_t, CharLengthOp>(),
            unary<std::string_view, int64_t, ByteLengthOp>(LogicalType::bytes(), LogicalType::int64())};
  }
};
struct CharLengthFunction {
  static constexpr std::string_view name = "char_length", doc = "CHAR_LENGTH(s): characters of a STRING";
  static FunctionSet overloads() { return {unary<std::string_view, int64_t, CharLengthOp>()}; }
};
struct ByteLengthFunction {
  static constexpr std::string_view name = "byte_length", doc = "BYTE_LENGTH(s): bytes of a STRING or BYTES";
  static FunctionSet overloads() {
    return {unary<std::string_view, int64_t, ByteLengthOp>(),
            unary<std::string_view, int64_t, ByteLengthOp>(LogicalType::bytes(), LogicalType::int64())};
  }
};

}  // namespace visiondb::fn
