// Array functions: ARRAY_LENGTH, ARRAY_CONCAT (and `||` on arrays), ARRAY_REVERSE,
// ARRAY_TO_STRING, GENERATE_ARRAY, and the kernels behind a[OFFSET(i)] / a[ORDINAL(i)] (SAFE_
// forms run them with SAFE semantics) and x IN UNNEST(a). Arrays are read in place through their
// offsets and element column: no Value per element.
//
// Functions over ARRAY<T> of any T are generic: their descriptor's bind() builds the overload for
// the argument types the binder has (or returns null and says why).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "visiondb/functions/function.hpp"

namespace visiondb::fn {


struct ArrayLengthFunction {
  static constexpr std::string_view name = "array_length",
                                    doc = "ARRAY_LENGTH(array): the number of elements (NULL elements count)";
  static std::shared_ptr<ScalarFunction> bind(const std::vector<LogicalType>& args, std::string& error);
};
struct ArrayConcatFunction {
  static constexpr std::string_view name = "array_concat",
                                    doc = "ARRAY_CONCAT(array, ...) (also a || b): the arrays one after another; NULL if any is NULL";
  static std::shared_ptr<ScalarFunction> bind(const std::vector<LogicalType>& args, std::string& error);
};
struct ArrayReverseFunction {
  static constexpr std::string_view name = "array_reverse", doc = "ARRAY_REVERSE(array): the elements in reverse order";
  static std::shared_ptr<ScalarFunction> bind(const std::vector<LogicalType>& args, std::string& error);
};
struct ArrayToStringFunction {
  static constexpr std::string_view name = "array_to_string",
                                    doc = "ARRAY_TO_STRING(array, delimiter [, null_text]): the elements joined; NULL elements skipped unless null_text is given";
  static FunctionSet overloads();
};
struct GenerateArrayFunction {
  static constexpr std::string_view name = "generate_array",
                                    doc = "GENERATE_ARRAY(start, end [, step]): start, start + step, ... up to end (INT64 or FLOAT64)";
  static FunctionSet overloads();
};
/// a[OFFSET(i)], a[i]: 0-based; out of range is an error (NULL under SAFE_OFFSET).
struct OffsetFunction {
  static constexpr std::string_view name = "$offset", doc = "a[OFFSET(i)], a[SAFE_OFFSET(i)], a[i]: element i, 0-based";
  static std::shared_ptr<ScalarFunction> bind(const std::vector<LogicalType>& args, std::string& error);
};
/// a[ORDINAL(i)]: 1-based.
struct OrdinalFunction {
  static constexpr std::string_view name = "$ordinal", doc = "a[ORDINAL(i)], a[SAFE_ORDINAL(i)]: element i, 1-based";
  static std::shared_ptr<ScalarFunction> bind(const std::vector<LogicalType>& args, std::string& error);
};
/// x IN UNNEST(a): TRUE when an element equals x; NULL when x is NULL or a holds a NULL and none
/// matched; FALSE for an empty or NULL array.
struct InUnnestFunction {
  static constexpr std::string_view name = "$in_unnest", doc = "x IN UNNEST(array)";
  static std::shared_ptr<ScalarFunction> bind(const std::vector<LogicalType>& args, std::string& error);
};

}  // namespace visiondb::fn

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/functions/detail/array_impl.hpp"
#endif
