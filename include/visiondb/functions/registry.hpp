// THE list of built-in functions, and the Registry that resolves calls against it (the
// FunctionCatalog the binder asks). Adding a function: write its descriptor in scalar/ or
// aggregate/, add one line below (and its header to detail/registry_impl.hpp, the one place that
// instantiates the kernels), document it in docs/sql.md, test it in tests/sql/functions/.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "visiondb/functions/function.hpp"
#include "visiondb/functions/scalar/random.hpp"  // RandomSource, owned by each Registry
#include "visiondb/sql/function_interface.hpp"

// Scalar functions and operators: descriptor types with name, doc and overloads().
#define VISIONDB_SCALAR_FUNCTIONS(X) \
  X(AddFunction)                     \
  X(SubtractFunction)                \
  X(MultiplyFunction)                \
  X(DivideFunction)                  \
  X(EqualFunction)                   \
  X(NotEqualFunction)                \
  X(LessFunction)                    \
  X(LessEqualFunction)               \
  X(GreaterFunction)                 \
  X(GreaterEqualFunction)            \
  X(LikeFunction)                    \
  X(NotLikeFunction)                 \
  X(RegexpContainsFunction)          \
  X(RegexpExtractFunction)           \
  X(RegexpSubstrFunction)            \
  X(RegexpExtractAllFunction)        \
  X(RegexpReplaceFunction)           \
  X(RegexpInstrFunction)             \
  X(ConcatFunction)                  \
  X(LengthFunction)                  \
  X(CharLengthFunction)              \
  X(ByteLengthFunction)              \
  X(SubstrFunction)                  \
  X(SubstringFunction)               \
  X(LeftFunction)                    \
  X(RightFunction)                   \
  X(StrposFunction)                  \
  X(InstrFunction)                   \
  X(StartsWithFunction)              \
  X(EndsWithFunction)                \
  X(ContainsSubstrFunction)          \
  X(ReverseFunction)                 \
  X(LowerFunction)                   \
  X(UpperFunction)                   \
  X(InitcapFunction)                 \
  X(ReplaceFunction)                 \
  X(TrimFunction)                    \
  X(LtrimFunction)                   \
  X(RtrimFunction)                   \
  X(LpadFunction)                    \
  X(RpadFunction)                    \
  X(RepeatFunction)                  \
  X(ToHexFunction)                   \
  X(FromHexFunction)                 \
  X(ToBase64Function)                \
  X(FromBase64Function)              \
  X(SplitFunction)                   \
  X(FormatFunction)                  \
  X(AbsFunction)                     \
  X(SignFunction)                    \
  X(RoundFunction)                   \
  X(TruncFunction)                   \
  X(CeilFunction)                    \
  X(CeilingFunction)                 \
  X(FloorFunction)                   \
  X(SqrtFunction)                    \
  X(CbrtFunction)                    \
  X(PowFunction)                     \
  X(PowerFunction)                   \
  X(ExpFunction)                     \
  X(LnFunction)                      \
  X(LogFunction)                     \
  X(Log10Function)                   \
  X(ModFunction)                     \
  X(DivFunction)                     \
  X(IeeeDivideFunction)              \
  X(IsNanFunction)                   \
  X(IsInfFunction)                   \
  X(CosFunction)                     \
  X(SinFunction)                     \
  X(TanFunction)                     \
  X(AcosFunction)                    \
  X(AsinFunction)                    \
  X(AtanFunction)                    \
  X(Atan2Function)                   \
  X(CoshFunction)                    \
  X(SinhFunction)                    \
  X(TanhFunction)                    \
  X(AcoshFunction)                   \
  X(AsinhFunction)                   \
  X(AtanhFunction)                   \
  X(SafeAddFunction)                 \
  X(SafeSubtractFunction)            \
  X(SafeMultiplyFunction)            \
  X(SafeNegateFunction)              \
  X(GreatestFunction)                \
  X(LeastFunction)                   \
  X(ExtractFunction)                 \
  X(CurrentTimestampFunction)        \
  X(CurrentDateFunction)             \
  X(TimestampAddFunction)            \
  X(TimestampSubFunction)            \
  X(TimestampDiffFunction)           \
  X(TimestampTruncFunction)          \
  X(DateAddFunction)                 \
  X(DateSubFunction)                 \
  X(DateDiffFunction)                \
  X(DateTruncFunction)               \
  X(DateFunction)                    \
  X(TimestampFunction)               \
  X(UnixSecondsFunction)             \
  X(UnixMillisFunction)              \
  X(UnixMicrosFunction)              \
  X(TimestampSecondsFunction)        \
  X(TimestampMillisFunction)         \
  X(TimestampMicrosFunction)         \
  X(UnixDateFunction)                \
  X(DateFromUnixDateFunction)        \
  X(LastDayFunction)                 \
  X(FormatTimestampFunction)         \
  X(FormatDateFunction)              \
  X(ParseTimestampFunction)          \
  X(ParseDateFunction)                  \
  X(DecodeImageFunction)             \
  X(ResizeImageFunction)             \
  X(ConvertColorSpaceFunction)       \
  X(ConvertImageTypeFunction)       \
  X(MlDistanceFunction)

// Scalar functions over any ARRAY<T>: descriptors with name, doc and bind(types).
#define VISIONDB_GENERIC_FUNCTIONS(X) \
  X(ArrayLengthFunction)              \
  X(ArrayConcatFunction)              \
  X(ArrayReverseFunction)             \
  X(OffsetFunction)                   \
  X(OrdinalFunction)                  \
  X(InUnnestFunction)

// Scalar functions of the BigQuery dialect issue with fixed overloads.
#define VISIONDB_DIALECT_SCALAR_FUNCTIONS(X) \
  X(ArrayToStringFunction)                   \
  X(GenerateArrayFunction)

// Aggregate functions (COUNT is resolved by the registry itself: it takes any type).
#define VISIONDB_AGGREGATE_FUNCTIONS(X) \
  X(SumFunction)                        \
  X(AvgFunction)                        \
  X(MinFunction)                        \
  X(MaxFunction)                        \
  X(AnyValueFunction)                   \
  X(StringAggFunction)                  \
  X(CountIfFunction)                    \
  X(LogicalAndFunction)                 \
  X(LogicalOrFunction)                  \
  X(VarSampFunction)                    \
  X(VarianceFunction)                   \
  X(VarPopFunction)                     \
  X(StddevSampFunction)                 \
  X(StddevFunction)                     \
  X(StddevPopFunction)                  \
  X(CovarSampFunction)                  \
  X(CovarPopFunction)                   \
  X(CorrFunction)                       \
  X(ApproxCountDistinctFunction)        \
  X(ApproxQuantilesFunction)

namespace visiondb::fn {

/// A function's name and one-line documentation, for docs checks and the REPL.
struct FunctionDoc {
  std::string name;
  std::string doc;
  bool aggregate = false;
};

/// Picks (or builds) the overload of a function whose signatures depend on the argument count or
/// types (GREATEST, LEAST, FORMAT); throws SqlError like Registry::resolve_scalar.
using ScalarResolver = std::function<sql::ResolvedScalar(const std::vector<LogicalType>& args, SourceSpan span)>;

class Registry final : public sql::FunctionCatalog {
 public:
  /// A registry holding every built-in function.
  Registry();
  /// The shared built-in registry.
  static std::shared_ptr<Registry> builtins();

  void add_scalar(std::string name, FunctionSet overloads, std::string doc = {});
  /// A scalar function resolved by code rather than by a fixed overload list.
  void add_scalar_resolver(std::string name, ScalarResolver resolver, std::string doc = {});
  void add_aggregate(std::string name, AggregateSet overloads, std::string doc = {});
  /// Registers a function whose overload is built for the argument types of each call.
  void add_generic_scalar(std::string name, GenericBind bind, std::string doc = {});
  /// Registers a table-valued function (ML.PREDICT and friends come in through here).
  void add_table_function(std::shared_ptr<sql::TableFunction> fn, std::string doc = {});

  bool has_scalar(std::string_view name) const override;
  bool has_aggregate(std::string_view name) const override;
  sql::ResolvedScalar resolve_scalar(std::string_view name, const std::vector<LogicalType>& args,
                                     SourceSpan span) const override;
  sql::ResolvedAggregate resolve_aggregate(std::string_view name, const std::vector<LogicalType>& args, bool distinct,
                                           SourceSpan span) const override;
  std::shared_ptr<const sql::ScalarFunction> resolve_cast(const LogicalType& from, const LogicalType& to,
                                                          SourceSpan span) const override;
  sql::ResolvedAggregate resolve_ordered_aggregate(std::string_view name, const std::vector<LogicalType>& args,
                                                   bool distinct, const sql::AggregateModifiers& modifiers,
                                                   SourceSpan span) const override;
  bool can_cast(const LogicalType& from, const LogicalType& to) const override;
  std::shared_ptr<const sql::TableFunction> find_table_function(std::string_view name) const override;
  std::vector<std::string> names() const override;
  /// Every function with its documentation line.
  std::vector<FunctionDoc> docs() const;
  /// The source of RAND() values (`SET rand_seed = n` seeds it).
  RandomSource& random() const noexcept { return *random_; }

 private:
  sql::ResolvedAggregate resolve_aggregate_plain(std::string_view name, const std::vector<LogicalType>& args,
                                                 SourceSpan span) const;
  mutable std::mutex mutex_;
  std::map<std::string, FunctionSet> scalars_;
  std::map<std::string, GenericBind> generics_;
  std::map<std::string, ScalarResolver> resolvers_;
  std::map<std::string, AggregateSet> aggregates_;
  std::map<std::string, std::shared_ptr<sql::TableFunction>> table_functions_;
  std::vector<FunctionDoc> docs_;
  std::shared_ptr<RandomSource> random_;  // made by the constructor
};

/// The closest name to `name` among `candidates` within a small edit distance, or "".
std::string closest_name(std::string_view name, const std::vector<std::string>& candidates);

}  // namespace visiondb::fn

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/functions/detail/registry_impl.hpp"
#endif
