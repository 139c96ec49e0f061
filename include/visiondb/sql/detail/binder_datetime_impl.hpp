// The binder's support for the date and time syntax the parser keeps as AST nodes (and the
// conversion of CONCAT's operands to STRING): EXTRACT(part
// FROM x [AT TIME ZONE tz]), INTERVAL arguments of TIMESTAMP_ADD / TIMESTAMP_SUB / DATE_ADD /
// DATE_SUB, and date-part arguments (TIMESTAMP_DIFF(a, b, DAY), DATE_TRUNC(d, WEEK(MONDAY))).
// Each becomes a call of the built-in function with the part as an INT64 code (date_part.hpp);
// a part the function does not take is an error at bind time, with the argument's position.
#pragma once

#include <initializer_list>

#include "visiondb/config.hpp"
#include "visiondb/sql/detail/binder_state.hpp"
#include "visiondb/sql/detail/date_part.hpp"
#include "visiondb/storage/detail/text.hpp"

namespace visiondb::sql::detail {

// Part sets the functions accept (BigQuery's date_functions / timestamp_functions).
enum PartSet : unsigned {
  kSubDay = 1,      // MICROSECOND .. HOUR
  kDay = 2,         // DAY
  kWeeks = 4,       // WEEK, WEEK(<weekday>), ISOWEEK
  kCalendar = 8,    // MONTH, QUARTER, YEAR, ISOYEAR
  kExtractOnly = 16,  // DAYOFWEEK, DAYOFYEAR
  kPlainWeek = 32,  // WEEK without a weekday (DATE_ADD)
  kNoIso = 64,      // no ISOWEEK / ISOYEAR (DATE_ADD)
};

inline bool part_allowed(DatePart p, unsigned set) {
  auto v = static_cast<int64_t>(p);
  if (v <= static_cast<int64_t>(DatePart::Hour)) return set & kSubDay;
  if (p == DatePart::Day) return set & kDay;
  if (p == DatePart::DayOfWeek || p == DatePart::DayOfYear) return set & kExtractOnly;
  if (week_start(p) >= 0) return (set & kWeeks) || ((set & kPlainWeek) && p == DatePart::Week);
  if (p == DatePart::IsoWeek) return (set & kWeeks) && !(set & kNoIso);
  if (p == DatePart::IsoYear) return (set & kCalendar) && !(set & kNoIso);
  if (p == DatePart::Date) return false;
  return set & kCalendar;
}

/// A date-part argument written as a keyword (DAY) or WEEK(<weekday>); nullopt otherwise.
inline std::optional<DatePart> part_argument(const Expr& x) {
  if (x.kind == ExprKind::ColumnRef) {
    const auto& path = x.as<ColumnRefExpr>().path.parts;
    if (path.size() == 1) return parse_date_part(visiondb::detail::to_upper(path[0].name));
  }
  if (x.kind == ExprKind::FunctionCall) {
    const auto& call = x.as<FunctionCallExpr>();
    if (call.upper_name() == "WEEK" && call.args.size() == 1 && call.args[0].expr &&
        call.args[0].expr->kind == ExprKind::ColumnRef) {
      const auto& path = call.args[0].expr->as<ColumnRefExpr>().path.parts;
      if (path.size() == 1) return parse_date_part("WEEK", visiondb::detail::to_upper(path[0].name));
    }
  }
  return std::nullopt;
}

// A STRING literal where a DATE or TIMESTAMP is expected converts (BigQuery's literal coercion);
// an untyped NULL takes the type.
inline BoundExprPtr coerce_to(BinderImpl& b, BoundExprPtr x, const LogicalType& t) {
  if (x->type.id() == TypeId::Null || (x->kind == BoundExprKind::Constant && x->type.id() == TypeId::String)) {
    BoundExprPtr c = b.cast_to(std::move(x), t);
    if (c->kind == BoundExprKind::Constant) return c;
    try {
      return make_constant(b.evaluator_.evaluate(*c), c->span);
    } catch (const Error&) {
      type_error("invalid " + t.to_string() + " literal", c->span);
    }
  }
  return x;
}

inline BoundExprPtr part_constant(DatePart p, SourceSpan span) {
  return make_constant(Value::int64(static_cast<int64_t>(p)), span);
}

/// An operand of CONCAT: BigQuery converts any value that casts to STRING (CONCAT('Summer ', 1923)).
inline BoundExprPtr concat_operand(BinderImpl& b, BoundExprPtr x) {
  TypeId t = x->type.id();
  if (t == TypeId::String || t == TypeId::Bytes || t == TypeId::Null || t == TypeId::Array || t == TypeId::Struct ||
      !b.functions_.can_cast(x->type, LogicalType::string()))
    return x;
  return b.cast_to(std::move(x), LogicalType::string());
}

VISIONDB_INLINE BoundExprPtr bind_extract(BinderImpl& b, const ExtractExpr& e) {
  auto part = parse_date_part(e.part, e.part_argument);
  std::string shown = e.part + (e.part_argument.empty() ? "" : "(" + e.part_argument + ")");
  if (!part) bind_error("invalid date part " + shown + " in EXTRACT", e.span);
  BoundExprPtr x = b.bind_expr(*e.operand);
  if (x->type.id() == TypeId::Null || (x->kind == BoundExprKind::Constant && x->type.id() == TypeId::String))
    x = coerce_to(b, std::move(x), LogicalType::timestamp());
  std::vector<BoundExprPtr> args;
  if (x->type.id() == TypeId::Date) {
    if (e.time_zone) bind_error("EXTRACT from a DATE does not take AT TIME ZONE", e.time_zone->span);
    if (!part_allowed(*part, kDay | kWeeks | kCalendar | kExtractOnly))
      bind_error("EXTRACT from a DATE does not support the " + shown + " date part", e.span);
    args.push_back(std::move(x));
    args.push_back(part_constant(*part, e.span));
    return b.call("extract", std::move(args), e.span);
  }
  if (x->type.id() != TypeId::Timestamp)
    type_error("EXTRACT expects a DATE or TIMESTAMP, got " + x->type.to_string(), e.operand->span);
  args.push_back(std::move(x));
  if (*part != DatePart::Date) args.push_back(part_constant(*part, e.span));
  if (e.time_zone) args.push_back(b.cast_to(b.bind_expr(*e.time_zone), LogicalType::string(), e.time_zone->span));
  return b.call(*part == DatePart::Date ? "date" : "extract", std::move(args), e.span);
}

VISIONDB_INLINE BoundExprPtr bind_datetime_call(BinderImpl& b, const FunctionCallExpr& e, const std::string& lname) {
  const bool add = lname == "timestamp_add" || lname == "timestamp_sub" || lname == "date_add" || lname == "date_sub";
  const bool diff = lname == "timestamp_diff" || lname == "date_diff";
  const bool trunc = lname == "timestamp_trunc" || lname == "date_trunc" || lname == "last_day";
  const bool literal_only = lname == "format_timestamp" || lname == "format_date" || lname == "unix_seconds" ||
                            lname == "unix_millis" || lname == "unix_micros" || lname == "unix_date";
  if (!add && !diff && !trunc && !literal_only) return nullptr;
  const std::string upper = visiondb::detail::to_upper(lname);
  const bool is_date = lname.rfind("date", 0) == 0 || lname == "last_day" || lname == "format_date" || lname == "unix_date";
  const LogicalType value_type = is_date ? LogicalType::date() : LogicalType::timestamp();
  for (const auto& a : e.args)
    if (a.kind != FunctionArgKind::Expr || !a.name.empty())
      bind_error("function " + upper + " takes expressions only", a.span);
  auto arity = [&](size_t lo, size_t hi) {
    if (e.args.size() < lo || e.args.size() > hi)
      type_error("function " + upper + " expects " + (lo == hi ? std::to_string(lo) : std::to_string(lo) + " to " + std::to_string(hi)) +
                     " arguments, got " + std::to_string(e.args.size()),
                 e.span);
  };
  std::vector<BoundExprPtr> args;
  if (literal_only) {
    for (const auto& a : e.args) args.push_back(b.bind_expr(*a.expr));
    size_t k = lname.rfind("format", 0) == 0 ? 1 : 0;
    if (k < args.size()) args[k] = coerce_to(b, std::move(args[k]), value_type);
    return b.call(lname, std::move(args), e.span, e.safe);
  }
  // The parts each function takes.
  unsigned set = 0;
  if (add) set = is_date ? (kDay | kPlainWeek | kCalendar | kNoIso) : (kSubDay | kDay);
  else if (diff) set = is_date ? (kDay | kWeeks | kCalendar) : (kSubDay | kDay);
  else if (lname == "last_day") set = kWeeks | kCalendar;
  else set = is_date ? (kDay | kWeeks | kCalendar) : (kSubDay | kDay | kWeeks | kCalendar);
  auto check_part = [&](std::optional<DatePart> p, const std::string& shown, SourceSpan span) {
    if (!p) bind_error(upper + " expects a date part (such as DAY or MONTH), got " + shown, span);
    if (!part_allowed(*p, set)) bind_error(upper + " does not support the " + date_part_name(*p) + " date part", span);
    return *p;
  };
  if (add) {
    arity(2, 2);
    args.push_back(coerce_to(b, b.bind_expr(*e.args[0].expr), value_type));
    const Expr& iv = *e.args[1].expr;
    if (iv.kind != ExprKind::Interval)
      type_error(upper + " expects an INTERVAL as its second argument, e.g. " + upper + "(x, INTERVAL 1 DAY)", iv.span);
    const auto& interval = iv.as<IntervalExpr>();
    if (!interval.to_unit.empty()) bind_error(upper + " takes an INTERVAL of one date part", iv.span);
    DatePart p = check_part(parse_date_part(interval.unit), interval.unit, iv.span);
    BoundExprPtr n = b.bind_expr(*interval.value);
    if (n->type.id() != TypeId::Int64 && n->type.id() != TypeId::Null)
      type_error("INTERVAL expects an INT64 value, got " + n->type.to_string(), interval.value->span);
    args.push_back(b.cast_to(std::move(n), LogicalType::int64()));
    args.push_back(part_constant(p, iv.span));
    return b.call(lname, std::move(args), e.span, e.safe);
  }
  if (diff) {
    arity(3, 3);
    args.push_back(coerce_to(b, b.bind_expr(*e.args[0].expr), value_type));
    args.push_back(coerce_to(b, b.bind_expr(*e.args[1].expr), value_type));
    const Expr& px = *e.args[2].expr;
    args.push_back(part_constant(check_part(part_argument(px), "an expression", px.span), px.span));
    return b.call(lname, std::move(args), e.span, e.safe);
  }
  // TIMESTAMP_TRUNC(t, part[, tz]), DATE_TRUNC(d, part), LAST_DAY(d[, part]).
  if (lname == "last_day") arity(1, 2);
  else arity(2, lname == "timestamp_trunc" ? 3 : 2);
  args.push_back(coerce_to(b, b.bind_expr(*e.args[0].expr), value_type));
  if (e.args.size() > 1) {
    const Expr& px = *e.args[1].expr;
    args.push_back(part_constant(check_part(part_argument(px), "an expression", px.span), px.span));
  }
  if (e.args.size() > 2) args.push_back(b.cast_to(b.bind_expr(*e.args[2].expr), LogicalType::string(), e.args[2].span));
  return b.call(lname, std::move(args), e.span, e.safe);
}

}  // namespace visiondb::sql::detail
