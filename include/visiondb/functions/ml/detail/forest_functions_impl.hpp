// The ML.* functions over a ForestModel: ML.PREDICT streams chunk by chunk; ML.EVALUATE,
// ML.CONFUSION_MATRIX and ML.ROC_CURVE need every row (whole_input) or use the model's
// evaluation split; ML.FEATURE_IMPORTANCE and ML.TRAINING_INFO read the model.
#pragma once

#include <algorithm>
#include <cmath>

#include "visiondb/functions/ml/forest_model.hpp"
#include "visiondb/ml/metrics.hpp"
#include "visiondb/storage/detail/text.hpp"

namespace visiondb::fn {

namespace forest_detail {

inline ColumnPtr column_ptr(Column&& c) { return std::make_shared<const Column>(std::move(c)); }

inline void append_metric(Column& c, double v) {
  if (std::isnan(v)) c.append_null();
  else c.append_float64(v);
}

// A class name as a column name, as BigQuery writes it: characters other than letters, digits
// and '_' become '_', and a leading digit gets a '_' in front.
inline std::string class_column_name(const std::string& c) {
  std::string s;
  for (char ch : c) s += (std::isalnum(static_cast<unsigned char>(ch)) || ch == '_') ? ch : '_';
  if (s.empty() || std::isdigit(static_cast<unsigned char>(s[0]))) s = "_" + s;
  return s;
}

// The predicted class of one row of probabilities over `k` classes: the most probable (ties: the
// first); for a binary model, the positive (second) class when its probability is above
// `threshold` (0.5 by default, the same thing).
inline size_t predicted_class(const float* p, size_t k, size_t model_classes, double threshold) {
  if (model_classes == 2) return static_cast<double>(p[1]) > threshold ? 1 : 0;
  return static_cast<size_t>(std::max_element(p, p + k) - p);
}

class ForestPredictFunction final : public sql::BoundTableFunction {
 public:
  std::shared_ptr<const ForestModel> model;
  std::vector<size_t> feature_columns;
  double threshold = 0.5;      // binary classifiers
  size_t outputs = 1;          // predicted columns before the input's
  bool predictions_used = true;
  void set_used_columns(const std::vector<size_t>& used) override {
    predictions_used = std::any_of(used.begin(), used.end(), [&](size_t c) { return c < outputs; });
  }
  void execute(const Chunk* input, sql::TableFunctionState*, std::vector<Chunk>& out) const override {
    if (!input || input->size() == 0) return;
    const ForestModel& m = *model;
    std::vector<Chunk> rows{input->has_selection() ? input->flattened() : *input};
    const Chunk& c = rows[0];
    const size_t n = c.size();
    std::vector<ColumnPtr> cols;
    if (!predictions_used) {
      // Only input columns are read (SELECT COUNT(*), SELECT id): no forest walk.
      for (size_t k = 0; k < outputs; ++k) cols.push_back(column_ptr(Column::constant(Value::null(types[k]), n)));
      for (const auto& col : c.columns()) cols.push_back(col);
      out.emplace_back(std::move(cols), n);
      return;
    }
    std::vector<ForestInput> inputs = m.inputs;
    auto features = read_forest_features(inputs, feature_columns, rows);
    std::vector<float> raw = m.forest.predict_raw(features->table);
    if (m.is_classifier()) {
      const size_t k = m.forest.num_classes();
      std::vector<Value> values(k);
      for (size_t j = 0; j < k; ++j) values[j] = m.class_value(j);
      Column predicted(m.label_type), probs(types[1]);
      Column& st = probs.child();
      const TypeId lt = m.label_type.id();
      auto append_label = [&](Column& col, size_t j) {
        if (lt == TypeId::String) col.append_string(m.forest.class_names[j]);
        else if (lt == TypeId::Int64) col.append_int64(values[j].as_int64());
        else col.append_bool(values[j].as_bool());
      };
      for (size_t i = 0; i < n; ++i) {
        const float* p = raw.data() + i * k;
        append_label(predicted, predicted_class(p, k, k, threshold));
        for (size_t j = 0; j < k; ++j) {
          append_label(st.field(0), j);
          st.field(1).append_float64(static_cast<double>(p[j]));
          st.close_struct_row();
        }
        probs.close_array_row();
      }
      cols.push_back(column_ptr(std::move(predicted)));
      cols.push_back(column_ptr(std::move(probs)));
    } else {
      Column predicted(LogicalType::float64());
      predicted.resize(n);
      double* v = predicted.data<double>();
      for (size_t i = 0; i < n; ++i) v[i] = static_cast<double>(raw[i]);
      cols.push_back(column_ptr(std::move(predicted)));
    }
    for (const auto& col : c.columns()) cols.push_back(col);
    out.emplace_back(std::move(cols), n);
  }
};

// ML.EVALUATE, ML.CONFUSION_MATRIX, ML.ROC_CURVE: rows scored against the model, then a table.
class ForestScoringFunction : public sql::BoundTableFunction {
 public:
  std::shared_ptr<const ForestModel> model;
  bool has_table = false;
  std::vector<size_t> feature_columns;  // of the table (or of the model's evaluation data)
  size_t label_column = 0;
  std::vector<std::string> input_names;
  double threshold = 0.5;  // binary classifiers

  bool whole_input() const override { return has_table; }
  void execute(const Chunk* input, sql::TableFunctionState*, std::vector<Chunk>& out) const override {
    (void)input;  // without a table: the model's evaluation data
    run(model->eval_data, out);
  }
  void execute_whole(const std::vector<Chunk>& input, std::vector<Chunk>& out) const override {
    std::vector<Chunk> rows;
    for (const auto& c : input)
      if (c.size()) rows.push_back(c.has_selection() ? c.flattened() : c);
    run(rows, out);
  }

 protected:
  virtual void emit(const Scored& s, std::vector<Chunk>& out) const = 0;

 private:
  void run(const std::vector<Chunk>& rows, std::vector<Chunk>& out) const {
    Scored s = score_rows(*model, rows, input_names, feature_columns, label_column);
    if (s.rows == 0)
      throw SqlError(ErrorKind::Execution, "no rows with a non-NULL label \"" + model->label + "\" to evaluate model \"" +
                                               model->name().to_string() + "\" on");
    emit(s, out);
  }
};

class ForestEvaluateFunction final : public ForestScoringFunction {
 protected:
  void emit(const Scored& s, std::vector<Chunk>& out) const override {
    std::vector<Column> cols;
    for (const auto& t : types) cols.emplace_back(t);
    if (model->is_classifier()) {
      const size_t k = s.classes.size();
      std::vector<int32_t> predicted(s.rows);
      for (size_t i = 0; i < s.rows; ++i) {
        const float* p = s.prob.data() + i * k;
        predicted[i] = static_cast<int32_t>(predicted_class(p, k, model->forest.num_classes(), threshold));
      }
      ml::ClassificationMetrics cm = ml::classification_metrics(s.truth, predicted, k);
      double precision = cm.macro_precision, recall = cm.macro_recall, f1 = cm.macro_f1, auc;
      if (k == 2) {
        // Binary: the positive class is the second (in the classes' sorted order), threshold 0.5.
        precision = cm.precision[1];
        recall = cm.recall[1];
        f1 = cm.f1[1];
        std::vector<float> p1(s.rows);
        for (size_t i = 0; i < s.rows; ++i) p1[i] = s.prob[i * 2 + 1];
        auc = ml::roc_auc<float>(s.truth, p1);
      } else {
        auc = ml::roc_auc_ovr<float>(s.truth, s.prob, k);
      }
      append_metric(cols[0], precision);
      append_metric(cols[1], recall);
      append_metric(cols[2], cm.accuracy);
      append_metric(cols[3], f1);
      append_metric(cols[4], ml::log_loss<float>(s.truth, s.prob, k));
      append_metric(cols[5], auc);
    } else {
      ml::RegressionMetrics r = ml::regression_metrics(s.target, s.predicted);
      append_metric(cols[0], r.mean_absolute_error);
      append_metric(cols[1], r.mean_squared_error);
      append_metric(cols[2], r.mean_squared_log_error);
      append_metric(cols[3], r.median_absolute_error);
      append_metric(cols[4], r.r2_score);
      append_metric(cols[5], r.explained_variance);
    }
    std::vector<ColumnPtr> ptrs;
    for (auto& c : cols) ptrs.push_back(column_ptr(std::move(c)));
    out.emplace_back(std::move(ptrs), 1);
  }
};

class ForestConfusionFunction final : public ForestScoringFunction {
 protected:
  void emit(const Scored& s, std::vector<Chunk>& out) const override {
    const size_t k = s.classes.size(), km = model->forest.num_classes();
    std::vector<int64_t> counts(k * km, 0);
    for (size_t i = 0; i < s.rows; ++i) {
      const float* p = s.prob.data() + i * k;
      const size_t predicted = predicted_class(p, km, km, threshold);
      ++counts[static_cast<size_t>(s.truth[i]) * km + predicted];
    }
    std::vector<Column> cols;
    for (const auto& t : types) cols.emplace_back(t);
    for (size_t e = 0; e < k; ++e) {
      cols[0].append_string(s.classes[e]);
      for (size_t p = 0; p < km; ++p) cols[1 + p].append_int64(counts[e * km + p]);
    }
    std::vector<ColumnPtr> ptrs;
    for (auto& c : cols) ptrs.push_back(column_ptr(std::move(c)));
    out.emplace_back(std::move(ptrs), k);
  }
};

class ForestRocFunction final : public ForestScoringFunction {
 public:
  std::vector<double> thresholds;  // empty: every distinct score
 protected:
  void emit(const Scored& s, std::vector<Chunk>& out) const override {
    const size_t k = s.classes.size();
    std::vector<int32_t> positive(s.rows);
    std::vector<double> score(s.rows);
    for (size_t i = 0; i < s.rows; ++i) {
      positive[i] = s.truth[i] == 1;
      score[i] = static_cast<double>(s.prob[i * k + 1]);
    }
    std::vector<ml::RocPoint> points;
    if (thresholds.empty()) {
      points = ml::roc_curve<double>(positive, score);
      points.erase(points.begin());  // the +infinity point: nothing predicted positive
    } else {
      int64_t pos = 0;
      for (int32_t p : positive) pos += p;
      const int64_t neg = static_cast<int64_t>(s.rows) - pos;
      for (double t : thresholds) {
        ml::RocPoint r;
        r.threshold = t;
        for (size_t i = 0; i < s.rows; ++i)
          if (score[i] >= t) (positive[i] ? r.true_positives : r.false_positives) += 1;
        r.false_negatives = pos - r.true_positives;
        r.true_negatives = neg - r.false_positives;
        r.recall = pos ? static_cast<double>(r.true_positives) / static_cast<double>(pos) : std::nan("");
        r.false_positive_rate = neg ? static_cast<double>(r.false_positives) / static_cast<double>(neg) : std::nan("");
        points.push_back(r);
      }
    }
    std::vector<Column> cols;
    for (const auto& t : types) cols.emplace_back(t);
    for (const auto& p : points) {
      cols[0].append_float64(p.threshold);
      append_metric(cols[1], p.recall);
      append_metric(cols[2], p.false_positive_rate);
      cols[3].append_int64(p.true_positives);
      cols[4].append_int64(p.false_positives);
      cols[5].append_int64(p.true_negatives);
      cols[6].append_int64(p.false_negatives);
    }
    std::vector<ColumnPtr> ptrs;
    for (auto& c : cols) ptrs.push_back(column_ptr(std::move(c)));
    out.emplace_back(std::move(ptrs), points.size());
  }
};

// ML.FEATURE_IMPORTANCE and ML.TRAINING_INFO: rows computed at bind time.
class ForestRowsFunction final : public sql::BoundTableFunction {
 public:
  std::vector<ColumnPtr> columns;
  size_t rows = 0;
  void execute(const Chunk*, sql::TableFunctionState*, std::vector<Chunk>& out) const override {
    out.emplace_back(columns, rows);
  }
};

[[noreturn]] inline void bad_call(std::string_view function, const std::string& usage, SourceSpan span) {
  throw SqlError(ErrorKind::Bind, std::string(function) + " over a random forest takes " + usage, span);
}

// STRUCT(0.6 AS threshold): BigQuery's settings argument of ML.PREDICT, ML.EVALUATE and
// ML.CONFUSION_MATRIX; the threshold applies to binary classifiers.
inline double read_threshold(const sql::TableFunctionArgument& a, std::string_view function, const ForestModel& m) {
  const Value& v = a.value;
  if (v.is_null() || v.type().id() != TypeId::Struct)
    throw SqlError(ErrorKind::Type, std::string(function) + ": expected STRUCT(<number> AS threshold), got " +
                                        (v.is_null() ? std::string("NULL") : v.to_sql()),
                   a.span);
  double threshold = 0.5;
  const auto& fields = v.type().fields();
  for (size_t i = 0; i < fields.size(); ++i) {
    if (!visiondb::detail::iequals(fields[i].name, "threshold"))
      throw SqlError(ErrorKind::Bind, std::string(function) + ": unknown setting \"" + fields[i].name +
                                          "\" for a random forest; known: threshold", a.span);
    const Value& t = v.children()[i];
    if (t.is_null() || !t.type().is_numeric() || !(t.to_double() >= 0 && t.to_double() <= 1))
      throw SqlError(ErrorKind::InvalidArgument, std::string(function) + ": threshold must be a number in [0, 1]", a.span);
    if (!m.is_classifier() || m.forest.num_classes() != 2)
      throw SqlError(ErrorKind::Bind, std::string(function) + ": threshold applies to binary classifiers; \"" +
                                          m.name().to_string() + "\" is not one", a.span);
    threshold = t.to_double();
  }
  return threshold;
}

}  // namespace forest_detail

VISIONDB_INLINE std::shared_ptr<sql::BoundTableFunction> ForestModel::bind_function(
    std::string_view function, std::vector<sql::TableFunctionArgument>& args, SourceSpan span) const {
  using namespace forest_detail;
  using Kind = sql::TableFunctionArgument::Kind;
  auto self = std::static_pointer_cast<const ForestModel>(std::static_pointer_cast<const CatalogEntry>(args[0].entry));
  const LogicalType f64 = LogicalType::float64(), i64 = LogicalType::int64(), str = LogicalType::string();

  if (function == "ML.PREDICT") {
    if (args.size() < 2 || args.size() > 3 || args[1].kind != Kind::Table ||
        (args.size() == 3 && args[2].kind != Kind::Scalar))
      bad_call(function, "(MODEL m, TABLE t | (query) [, STRUCT(<number> AS threshold)])", args.size() > 3 ? args[3].span : span);
    auto fn = std::make_shared<ForestPredictFunction>();
    fn->model = self;
    if (args.size() == 3) fn->threshold = read_threshold(args[2], function, *this);
    fn->feature_columns = match_forest_inputs(inputs, args[1].input_names, args[1].input_types, "ML.PREDICT", args[1].span);
    fn->names.push_back("predicted_" + label);
    if (is_classifier()) {
      fn->types.push_back(label_type);
      fn->names.push_back("predicted_" + label + "_probs");
      fn->types.push_back(LogicalType::array(LogicalType::structure({{"label", label_type}, {"prob", f64}})));
    } else {
      fn->types.push_back(f64);
    }
    fn->outputs = fn->names.size();
    for (size_t c = 0; c < args[1].input_names.size(); ++c) {
      fn->names.push_back(args[1].input_names[c]);
      fn->types.push_back(args[1].input_types[c]);
    }
    return fn;
  }

  if (function == "ML.EVALUATE" || function == "ML.CONFUSION_MATRIX" || function == "ML.ROC_CURVE") {
    const bool roc = function == "ML.ROC_CURVE";
    if ((function != "ML.EVALUATE") && !is_classifier())
      throw SqlError(ErrorKind::Bind, std::string(function) + " needs a classifier; \"" + name().to_string() + "\" is a " +
                                          model_type(),
                     span);
    if (roc && forest.num_classes() != 2)
      throw SqlError(ErrorKind::Bind, "ML.ROC_CURVE needs a binary classifier; \"" + name().to_string() + "\" has " +
                                          std::to_string(forest.num_classes()) + " classes",
                     span);
    std::vector<double> thresholds;
    size_t used = 1;
    const bool table = args.size() > 1 && args[1].kind == Kind::Table;
    if (table) used = 2;
    double threshold = 0.5;
    if (!roc && args.size() > used && args[used].kind == Kind::Scalar) {
      threshold = read_threshold(args[used], function, *this);
      ++used;
    }
    if (roc && args.size() > used && args[used].kind == Kind::Scalar) {
      const Value& v = args[used].value;
      if (v.is_null() || v.type().id() != TypeId::Array || !v.type().element().is_numeric())
        bad_call(function, "(MODEL m [, TABLE t | (query)] [, ARRAY<FLOAT64> thresholds])", args[used].span);
      for (const Value& t : v.children())
        if (!t.is_null()) thresholds.push_back(t.to_double());
      ++used;
    }
    if (args.size() != used)
      bad_call(function,
               roc ? "(MODEL m [, TABLE t | (query)] [, ARRAY<FLOAT64> thresholds])"
                   : "(MODEL m [, TABLE t | (query)] [, STRUCT(<number> AS threshold)])",
               args[used].span);
    if (!table && !imported_from.empty())
      throw SqlError(ErrorKind::Bind,
                     std::string(function) + ": model \"" + name().to_string() + "\" was imported from '" + imported_from +
                         "' without its evaluation rows; pass them: " + std::string(function) + "(MODEL " + name().to_string() +
                         ", TABLE t)",
                     span);
    std::shared_ptr<ForestScoringFunction> fn;
    if (function == "ML.EVALUATE") {
      fn = std::make_shared<ForestEvaluateFunction>();
      if (is_classifier())
        fn->names = {"precision", "recall", "accuracy", "f1_score", "log_loss", "roc_auc"};
      else
        fn->names = {"mean_absolute_error", "mean_squared_error", "mean_squared_log_error", "median_absolute_error", "r2_score",
                     "explained_variance"};
      fn->types.assign(6, f64);
    } else if (function == "ML.CONFUSION_MATRIX") {
      fn = std::make_shared<ForestConfusionFunction>();
      fn->names = {"expected_label"};
      fn->types = {str};
      for (const auto& c : forest.class_names) {
        fn->names.push_back(class_column_name(c));
        fn->types.push_back(i64);
      }
    } else {
      auto r = std::make_shared<ForestRocFunction>();
      r->thresholds = std::move(thresholds);
      fn = r;
      fn->names = {"threshold", "recall", "false_positive_rate", "true_positives", "false_positives", "true_negatives",
                   "false_negatives"};
      fn->types = {f64, f64, f64, i64, i64, i64, i64};
    }
    fn->model = self;
    fn->has_table = table;
    fn->threshold = threshold;
    const auto& names = table ? args[1].input_names : query_names;
    const auto& types = table ? args[1].input_types : query_types;
    const SourceSpan where = table ? args[1].span : span;
    fn->input_names = names;
    fn->feature_columns = match_forest_inputs(inputs, names, types, std::string(function), where);
    fn->label_column = find_column(names, label);
    if (fn->label_column == names.size())
      throw SqlError(ErrorKind::Bind, std::string(function) + ": the input has no label column \"" + label + "\" to compare with",
                     where);
    const TypeId lt = types[fn->label_column].id();
    const bool fits = is_classifier() ? lt == label_type.id() : (lt == TypeId::Int64 || lt == TypeId::Float64);
    if (!fits)
      throw SqlError(ErrorKind::Type,
                     std::string(function) + ": label column \"" + label + "\" is " + types[fn->label_column].to_string() +
                         " but the model was trained on " + label_type.to_string(),
                     where);
    return fn;
  }

  if (function == "ML.FEATURE_IMPORTANCE" || function == "ML.TRAINING_INFO") {
    if (args.size() != 1) bad_call(function, "(MODEL m)", args[1].span);
    auto fn = std::make_shared<ForestRowsFunction>();
    if (function == "ML.FEATURE_IMPORTANCE") {
      fn->names = {"feature", "importance_weight", "importance_gain", "importance_cover"};
      fn->types = {str, i64, f64, f64};
      std::vector<ml::FeatureImportance> imp = forest.feature_importance();
      Column feature(str), weight(i64), gain(f64), cover(f64);
      size_t f = 0;
      // An array column's elements are summed into the column; gain and cover are averages per
      // split (XGBoost's and BigQuery's 'gain' and 'cover').
      for (const auto& in : inputs) {
        double w = 0, g = 0, c = 0;
        for (size_t e = 0; e < in.width; ++e, ++f) {
          w += imp[f].weight;
          g += imp[f].gain;
          c += imp[f].cover;
        }
        feature.append_string(in.name);
        weight.append_int64(static_cast<int64_t>(std::llround(w)));
        gain.append_float64(w > 0 ? g / w : 0.0);
        cover.append_float64(w > 0 ? c / w : 0.0);
      }
      fn->rows = inputs.size();
      fn->columns = {column_ptr(std::move(feature)), column_ptr(std::move(weight)), column_ptr(std::move(gain)),
                     column_ptr(std::move(cover))};
    } else {
      fn->names = {"training_run", "iteration", "loss", "eval_loss", "learning_rate", "duration_ms"};
      fn->types = {i64, i64, f64, f64, f64, i64};
      Column run(i64), iteration(i64), l(f64), el(f64), lr(f64), ms(i64);
      run.append_int64(0);
      iteration.append_int64(0);
      append_metric(l, loss);
      append_metric(el, eval_loss);
      lr.append_null();
      ms.append_int64(static_cast<int64_t>(std::llround(duration_ms)));
      fn->rows = 1;
      fn->columns = {column_ptr(std::move(run)), column_ptr(std::move(iteration)), column_ptr(std::move(l)),
                     column_ptr(std::move(el)), column_ptr(std::move(lr)), column_ptr(std::move(ms))};
    }
    return fn;
  }
  return ModelEntry::bind_function(function, args, span);
}

}  // namespace visiondb::fn
