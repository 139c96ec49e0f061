// parse_forest_options: one check per option, each error at the option's span.
#pragma once

#include <cmath>
#include <string>
#include <string_view>

#include "visiondb/functions/ml/forest_options.hpp"
#include "visiondb/storage/detail/text.hpp"

namespace visiondb::fn {

VISIONDB_INLINE const char* data_split_method_name(DataSplitMethod m) noexcept {
  switch (m) {
    case DataSplitMethod::AutoSplit: return "AUTO_SPLIT";
    case DataSplitMethod::Random: return "RANDOM";
    case DataSplitMethod::Custom: return "CUSTOM";
    case DataSplitMethod::Seq: return "SEQ";
    case DataSplitMethod::NoSplit: return "NO_SPLIT";
  }
  return "?";
}

namespace forest_detail {

[[noreturn]] inline void bad(const sql::BoundOption& o, const std::string& why) {
  throw SqlError(ErrorKind::InvalidArgument, "option " + o.name + ": " + why, o.span);
}

inline std::string shown(const Value& v) { return v.is_null() ? "NULL" : v.to_sql(); }

inline int64_t int_option(const sql::BoundOption& o, int64_t lo, int64_t hi, const char* range) {
  if (o.value.is_null() || o.value.type().id() != TypeId::Int64)
    bad(o, "expected an INT64 " + std::string(range) + ", got " + shown(o.value));
  const int64_t v = o.value.as_int64();
  if (v < lo || v > hi) bad(o, shown(o.value) + " is out of range: expected an INT64 " + range);
  return v;
}

inline double number_option(const sql::BoundOption& o) {
  if (o.value.is_null() || !o.value.type().is_numeric())
    bad(o, "expected a number, got " + shown(o.value));
  const double v = o.value.to_double();
  if (!std::isfinite(v)) bad(o, "expected a finite number, got " + shown(o.value));
  return v;
}

inline std::string string_option(const sql::BoundOption& o) {
  if (o.value.is_null() || o.value.type().id() != TypeId::String) bad(o, "expected a STRING, got " + shown(o.value));
  return o.value.as_string();
}

inline bool bool_option(const sql::BoundOption& o) {
  if (o.value.is_null() || o.value.type().id() != TypeId::Bool) bad(o, "expected TRUE or FALSE, got " + shown(o.value));
  return o.value.as_bool();
}

// BigQuery options of random forest models that have no counterpart in CART trees grown here.
inline bool bigquery_only_option(std::string_view name) {
  static constexpr std::string_view kNames[] = {
      "l1_reg", "l2_reg", "tree_method", "colsample_bytree", "colsample_bylevel", "min_split_loss",
      "xgboost_version", "enable_global_explain", "approx_global_feature_contrib", "instance_weight_col",
      "num_trials", "max_parallel_trials", "hparam_tuning_algorithm", "hparam_tuning_objectives",
      "kms_key_name", "model_registry", "vertex_ai_model_id", "vertex_ai_model_version_aliases",
      "category_encoding_method", "early_stop", "min_rel_progress", "booster_type", "dart_normalize_type",
      "learn_rate", "max_iterations", "num_parallel_tree_per_round"};
  for (auto n : kNames)
    if (n == name) return true;
  return false;
}

}  // namespace forest_detail

VISIONDB_INLINE ForestOptions parse_forest_options(const ModelBuildInput& in, ml::ForestTask task) {
  using namespace forest_detail;
  ForestOptions r;
  r.params = ml::ForestParams::bigquery_defaults(task);
  r.params.num_threads = in.threads > 0 ? in.threads : 0;
  r.label_span = in.span;
  r.split_span = in.span;
  const sql::BoundOption* fraction = nullptr;
  const sql::BoundOption* split_col = nullptr;
  const sql::BoundOption* auto_weights = nullptr;
  const sql::BoundOption* weights = nullptr;
  for (const auto& o : in.options) {
    const std::string& n = o.name;
    if (n == "model_type") continue;
    if (n == "input_label_cols") {
      if (o.value.is_null() || o.value.type().id() != TypeId::Array ||
          o.value.type().element().id() != TypeId::String)
        bad(o, "expected an ARRAY<STRING> such as ['label'], got " + shown(o.value));
      const auto& cols = o.value.children();
      if (cols.size() != 1 || cols[0].is_null())
        bad(o, "a random forest predicts one label column: give exactly one name, got " + shown(o.value));
      r.label = cols[0].as_string();
      r.label_span = o.span;
    } else if (n == "num_parallel_tree") {
      r.params.num_trees = static_cast<int32_t>(int_option(o, 1, 100000, "in [1, 100000]"));
    } else if (n == "max_tree_depth") {
      r.params.max_depth = static_cast<int32_t>(int_option(o, 0, 10000, "in [0, 10000] (0: unlimited)"));
    } else if (n == "subsample") {
      double v = number_option(o);
      if (!(v > 0 && v <= 1)) bad(o, shown(o.value) + " is out of range: expected a number in (0, 1]");
      r.params.subsample = v;
    } else if (n == "colsample_bynode") {
      double v = number_option(o);
      if (!(v > 0 && v <= 1)) bad(o, shown(o.value) + " is out of range: expected a number in (0, 1]");
      r.params.colsample_bynode = v;
    } else if (n == "min_tree_child_weight") {
      double v = number_option(o);
      if (v < 0) bad(o, shown(o.value) + " is out of range: expected a number >= 0");
      r.params.min_child_weight = v;
    } else if (n == "auto_class_weights") {
      if (bool_option(o)) r.params.class_weighting = ml::ClassWeighting::Balanced;
      auto_weights = &o;
    } else if (n == "class_weights") {
      weights = &o;
      const LogicalType& t = o.value.type();
      if (o.value.is_null() || t.id() != TypeId::Array || t.element().id() != TypeId::Struct ||
          t.element().fields().size() != 2 || !t.element().fields()[1].type->is_numeric())
        bad(o, "expected an ARRAY of STRUCT(label, weight) such as [STRUCT('a', 0.3), STRUCT('b', 0.7)], got " +
                   shown(o.value));
      r.params.class_weighting = ml::ClassWeighting::Custom;
      for (const Value& e : o.value.children()) {
        if (e.is_null() || e.children()[0].is_null() || e.children()[1].is_null())
          bad(o, "a class weight is NULL in " + shown(o.value));
        const Value& key = e.children()[0];
        std::string name = key.type().id() == TypeId::String ? key.as_string()
                           : key.type().id() == TypeId::Bool ? (key.as_bool() ? "1" : "0")
                                                               : key.to_string();
        double w = e.children()[1].to_double();
        if (!(w >= 0) || !std::isfinite(w)) bad(o, "the weight of class '" + name + "' must be a finite number >= 0");
        if (!r.params.class_weights.emplace(name, w).second) bad(o, "class '" + name + "' is given twice");
      }
      if (r.params.class_weights.empty()) bad(o, "expected at least one STRUCT(label, weight)");
      r.class_weights_span = o.span;
    } else if (n == "data_split_method") {
      std::string m = visiondb::detail::to_upper(string_option(o));
      if (m == "AUTO_SPLIT") r.split = DataSplitMethod::AutoSplit;
      else if (m == "RANDOM") r.split = DataSplitMethod::Random;
      else if (m == "CUSTOM") r.split = DataSplitMethod::Custom;
      else if (m == "SEQ") r.split = DataSplitMethod::Seq;
      else if (m == "NO_SPLIT") r.split = DataSplitMethod::NoSplit;
      else bad(o, "unknown method " + shown(o.value) + ": expected 'AUTO_SPLIT', 'RANDOM', 'CUSTOM', 'SEQ' or 'NO_SPLIT'");
      r.split_span = o.span;
    } else if (n == "data_split_eval_fraction") {
      double v = number_option(o);
      if (!(v > 0 && v < 1)) bad(o, shown(o.value) + " is out of range: expected a number in (0, 1)");
      r.eval_fraction = v;
      fraction = &o;
    } else if (n == "data_split_col") {
      r.split_column = string_option(o);
      r.split_column_span = o.span;
      split_col = &o;
    } else if (n == "seed") {
      if (o.value.is_null() || o.value.type().id() != TypeId::Int64) bad(o, "expected an INT64, got " + shown(o.value));
      r.params.seed = static_cast<uint64_t>(o.value.as_int64());
    } else if (bigquery_only_option(n)) {
      bad(o, "this BigQuery option has no counterpart in visiondb's random forests (CART trees; see docs/ml.md)");
    } else {
      throw SqlError(ErrorKind::InvalidArgument,
                     "unknown option \"" + n + "\" for model_type " + in.model_type +
                         "; known: input_label_cols, num_parallel_tree, max_tree_depth, subsample, colsample_bynode, "
                         "min_tree_child_weight, auto_class_weights, class_weights, data_split_method, "
                         "data_split_eval_fraction, data_split_col, seed",
                     o.span);
    }
  }
  if (auto_weights && weights && r.params.class_weighting == ml::ClassWeighting::Custom && auto_weights->value.as_bool())
    bad(*weights, "auto_class_weights = TRUE and class_weights exclude each other");
  if (auto_weights && weights && !auto_weights->value.as_bool()) r.params.class_weighting = ml::ClassWeighting::Custom;
  if (task == ml::ForestTask::Regression && (weights || (auto_weights && auto_weights->value.as_bool())))
    bad(weights ? *weights : *auto_weights, "class weights apply to RANDOM_FOREST_CLASSIFIER only");
  const char* method = data_split_method_name(r.split);
  if (fraction && r.split != DataSplitMethod::Random && r.split != DataSplitMethod::Seq)
    bad(*fraction, std::string("applies to data_split_method 'RANDOM' or 'SEQ', not '") + method + "'");
  if (split_col && r.split != DataSplitMethod::Custom && r.split != DataSplitMethod::Seq)
    bad(*split_col, std::string("applies to data_split_method 'CUSTOM' or 'SEQ', not '") + method + "'");
  if (!split_col && (r.split == DataSplitMethod::Custom || r.split == DataSplitMethod::Seq))
    throw SqlError(ErrorKind::InvalidArgument,
                   std::string("data_split_method '") + method + "' needs data_split_col, the column that splits the rows",
                   r.split_span);
  if (split_col && visiondb::detail::iequals(r.split_column, r.label))
    bad(*split_col, "the label column \"" + r.label + "\" cannot split the data");
  return r;
}

}  // namespace visiondb::fn
