// Out-of-line parts of distance.hpp: the ML.DISTANCE kernel over a chunk.
#pragma once

#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "visiondb/config.hpp"
#include "visiondb/functions/ml/detail/vector_rows.hpp"
#include "visiondb/functions/ml/distance.hpp"
#include "visiondb/functions/ml/vector_distance.hpp"

namespace visiondb::fn {

namespace detail {

inline bool parse_ml_distance_type(std::string_view text, DistanceType& out) {
  return parse_distance_type(text, out) && out != DistanceType::DotProduct;
}

inline std::string bad_distance_type(std::string_view text) {
  return "ML.DISTANCE: invalid distance type '" + std::string(text) + "'; expected 'EUCLIDEAN', 'MANHATTAN' or 'COSINE'";
}

class MlDistanceKernel final : public ScalarFunction {
 public:
  MlDistanceKernel(LogicalType vector, bool with_type)
      : ScalarFunction("", with_type ? std::vector<LogicalType>{vector, vector, LogicalType::string()}
                                     : std::vector<LogicalType>{vector, vector},
                       LogicalType::float64()) {}

  std::shared_ptr<const void> prepare(std::span<const Value* const> constants) const override {
    if (constants.size() < 3 || !constants[2] || constants[2]->is_null()) return nullptr;
    auto type = std::make_shared<DistanceType>();
    if (!parse_ml_distance_type(constants[2]->as_string(), *type))
      throw SqlError(ErrorKind::Bind, bad_distance_type(constants[2]->as_string()));
    return type;
  }

  void execute(std::span<const ColumnView> args, size_t n, Column& out, const FunctionContext& ctx) const override {
    ResultWriter<double> w(out, n);
    const auto* constant_type = static_cast<const DistanceType*>(ctx.prepared);
    std::vector<double> scratch_a, scratch_b;
    for (size_t i = 0; i < n; ++i) {
      bool null = args[0].is_null(i) || args[1].is_null(i) || (args.size() > 2 && args[2].is_null(i));
      if (null) {
        w.set_null(i);
        continue;
      }
      DistanceType type = DistanceType::Euclidean;
      if (constant_type) {
        type = *constant_type;
      } else if (args.size() > 2) {
        std::string_view text = args[2].column->string_at(args[2].row(i));
        if (!parse_ml_distance_type(text, type)) {
          fail(w, i, ctx, bad_distance_type(text));
          continue;
        }
      }
      VectorRow a = vector_row(*args[0].column, args[0].row(i), scratch_a);
      VectorRow b = vector_row(*args[1].column, args[1].row(i), scratch_b);
      if (a.size != b.size) {
        fail(w, i, ctx,
             "ML.DISTANCE: the vectors must have the same length; vector1 has " + std::to_string(a.size) +
                 " elements and vector2 has " + std::to_string(b.size));
        continue;
      }
      if (a.has_null_element || b.has_null_element) {
        fail(w, i, ctx, std::string("ML.DISTANCE: ") + (a.has_null_element ? "vector1" : "vector2") + " has a NULL element");
        continue;
      }
      double d = vector_distance(type, a.data, b.data, a.size);
      if (type == DistanceType::Cosine && std::isnan(d) && (squared_norm(a.data, a.size) == 0 || squared_norm(b.data, b.size) == 0)) {
        fail(w, i, ctx, "ML.DISTANCE: the COSINE distance of a zero vector is undefined");
        continue;
      }
      w.set(i, d);
    }
  }

 private:
  static void fail(ResultWriter<double>& w, size_t i, const FunctionContext& ctx, std::string message) {
    if (!ctx.safe) throw_execution_error(std::move(message));
    w.set_null(i);
  }
};

}  // namespace detail

VISIONDB_INLINE FunctionSet ml_distance_overloads() {
  FunctionSet set;
  for (LogicalType element : {LogicalType::float64(), LogicalType::int64()})
    for (bool with_type : {false, true})
      set.push_back(std::make_shared<detail::MlDistanceKernel>(LogicalType::array(element), with_type));
  return set;
}

}  // namespace visiondb::fn
