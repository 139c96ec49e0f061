// CAST and SAFE_CAST between INT64, FLOAT64, STRING, BOOL, BYTES, TIMESTAMP, DATE (and ARRAYs of
// them, element by element), with BigQuery's conversion rules; also the literal parsers
// (DATE '2024-05-01', TIMESTAMP '...') the binder uses.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "visiondb/sql/function_interface.hpp"
#include "visiondb/storage/column.hpp"
#include "visiondb/storage/column_view.hpp"
#include "visiondb/storage/value.hpp"

namespace visiondb::fn {

/// True when CAST(x AS to) is valid for an x of type from.
bool can_cast(const LogicalType& from, const LogicalType& to);

/// Casts n rows of `in` into `out` (an empty column of `to`). A value that does not convert throws
/// SqlError (Execution) naming it, or becomes NULL when `safe`.
void cast_column(const ColumnView& in, size_t n, const LogicalType& to, bool safe, Column& out);

/// Casts one value (constant folding, parameters, tests).
Value cast_value(const Value& v, const LogicalType& to, bool safe = false);

/// Parsers shared with the binder's literal handling; nullopt when the text is not valid.
std::optional<int64_t> parse_int64(std::string_view s);
std::optional<double> parse_float64(std::string_view s);
std::optional<int32_t> parse_date(std::string_view s);
/// "YYYY-MM-DD[( |T)HH:MM[:SS[.ffffff]]][Z|+HH[:MM]|-HH[:MM]| UTC]" -> microseconds UTC.
std::optional<int64_t> parse_timestamp(std::string_view s);
/// CAST(x AS to) as a ScalarFunction (SAFE_CAST when the context says safe).
class CastFunction final : public sql::ScalarFunction {
 public:
  CastFunction(LogicalType from, LogicalType to) : ScalarFunction("cast", {std::move(from)}, std::move(to)) {}
  void execute(std::span<const ColumnView> args, size_t rows, Column& out, const sql::FunctionContext& ctx) const override {
    cast_column(args[0], rows, return_type(), ctx.safe, out);
  }
};

/// BigQuery's text form of a FLOAT64 (shortest round trip; "inf", "-inf", "nan").
std::string format_float64(double d);

}  // namespace visiondb::fn

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/functions/detail/cast_impl.hpp"
#endif
