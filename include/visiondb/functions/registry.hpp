// THE list of built-in functions, and the Registry that resolves calls against it (the
// FunctionCatalog the binder asks). Adding a function: write its descriptor in scalar/ or
// aggregate/, add one line below, document it in docs/sql.md, test it in tests/sql/functions/.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "visiondb/functions/aggregate/count.hpp"
#include "visiondb/functions/aggregate/min_max.hpp"
#include "visiondb/functions/aggregate/string_agg.hpp"
#include "visiondb/functions/aggregate/sum_avg.hpp"
#include "visiondb/functions/function.hpp"
#include "visiondb/functions/ml/decode_image.hpp"
#include "visiondb/functions/ml/image_transforms.hpp"
#include "visiondb/functions/scalar/arithmetic.hpp"
#include "visiondb/functions/scalar/cast.hpp"
#include "visiondb/functions/scalar/comparison.hpp"
#include "visiondb/functions/scalar/like.hpp"
#include "visiondb/functions/scalar/math.hpp"
#include "visiondb/functions/scalar/regexp.hpp"
#include "visiondb/functions/scalar/string.hpp"
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
  X(ConcatFunction)                  \
  X(LengthFunction)                  \
  X(CharLengthFunction)              \
  X(ByteLengthFunction)              \
  X(AbsFunction)                     \
  X(SignFunction)                    \
  X(RoundFunction)                   \
  X(TruncFunction)                   \
  X(CeilFunction)                    \
  X(CeilingFunction)                 \
  X(FloorFunction)                   \
  X(SqrtFunction)                    \
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
  X(DecodeImageFunction)             \
  X(ResizeImageFunction)             \
  X(ConvertColorSpaceFunction)       \
  X(ConvertImageTypeFunction)

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
  X(LogicalOrFunction)

namespace visiondb::fn {

/// A function's name and one-line documentation, for docs checks and the REPL.
struct FunctionDoc {
  std::string name;
  std::string doc;
  bool aggregate = false;
};

class Registry final : public sql::FunctionCatalog {
 public:
  /// A registry holding every built-in function.
  Registry();
  /// The shared built-in registry.
  static std::shared_ptr<Registry> builtins();

  void add_scalar(std::string name, FunctionSet overloads, std::string doc = {});
  void add_aggregate(std::string name, AggregateSet overloads, std::string doc = {});
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
  bool can_cast(const LogicalType& from, const LogicalType& to) const override;
  std::shared_ptr<const sql::TableFunction> find_table_function(std::string_view name) const override;
  std::vector<std::string> names() const override;
  /// Every function with its documentation line.
  std::vector<FunctionDoc> docs() const;

 private:
  sql::ResolvedAggregate resolve_aggregate_plain(std::string_view name, const std::vector<LogicalType>& args,
                                                 SourceSpan span) const;
  mutable std::mutex mutex_;
  std::map<std::string, FunctionSet> scalars_;
  std::map<std::string, AggregateSet> aggregates_;
  std::map<std::string, std::shared_ptr<sql::TableFunction>> table_functions_;
  std::vector<FunctionDoc> docs_;
};

/// The closest name to `name` among `candidates` within a small edit distance, or "".
std::string closest_name(std::string_view name, const std::vector<std::string>& candidates);

}  // namespace visiondb::fn

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/functions/detail/registry_impl.hpp"
#endif
