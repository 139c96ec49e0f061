// CREATE MODEL for random forests: options, label, features, split, training; scoring rows
// against the model (shared by ML.EVALUATE, ML.CONFUSION_MATRIX, ML.ROC_CURVE and the losses).
#pragma once

#include <cmath>
#include <string_view>
#include <unordered_map>

#include "visiondb/common/progress.hpp"
#include "visiondb/functions/ml/data_split.hpp"
#include "visiondb/functions/ml/forest_model.hpp"
#include "visiondb/ml/forest/trainer.hpp"
#include "visiondb/ml/metrics.hpp"
#include "visiondb/storage/detail/text.hpp"

namespace visiondb::fn {

VISIONDB_INLINE Value ForestModel::class_value(size_t c) const {
  const std::string& n = forest.class_names[c];
  switch (label_type.id()) {
    case TypeId::Int64: return Value::int64(std::stoll(n));
    case TypeId::Bool: return Value::boolean(n == "1");
    default: return Value::string(n);
  }
}

VISIONDB_INLINE std::string ForestModel::describe() const {
  std::string d = "model " + model_type() + " (" + std::to_string(forest.trees.size()) + " trees, label \"" + label + "\"";
  if (is_classifier()) d += ", " + std::to_string(forest.num_classes()) + " classes";
  d += ", " + std::to_string(forest.binner.features()) + " features, " + std::to_string(train_rows) + " training rows, ";
  d += evaluated_on_training ? std::string("no evaluation split") : std::to_string(eval_rows) + " evaluation rows";
  if (!imported_from.empty()) d += ", imported from '" + imported_from + "'";
  d += ")";
  return d;
}

namespace forest_detail {

inline std::vector<Chunk> flatten(const std::vector<Chunk>& chunks) {
  std::vector<Chunk> out;
  for (const auto& c : chunks)
    if (c.size() > 0) out.push_back(c.has_selection() ? c.flattened() : c);
  return out;
}

// The rows of `chunks` whose is_eval equals `which`, chunk by chunk.
inline std::vector<Chunk> rows_where(const std::vector<Chunk>& chunks, const std::vector<uint8_t>& is_eval, uint8_t which) {
  std::vector<Chunk> out;
  size_t r = 0;
  std::vector<uint32_t> pick;
  for (const auto& c : chunks) {
    pick.clear();
    for (size_t i = 0; i < c.size(); ++i, ++r)
      if (is_eval[r] == which) pick.push_back(static_cast<uint32_t>(i));
    if (pick.empty()) continue;
    if (pick.size() == c.size()) {
      out.push_back(c);
      continue;
    }
    std::vector<ColumnPtr> cols;
    for (size_t k = 0; k < c.column_count(); ++k) cols.push_back(std::make_shared<const Column>(c.column(k).gather(pick)));
    out.emplace_back(std::move(cols), pick.size());
  }
  return out;
}

inline size_t find_column(const std::vector<std::string>& names, std::string_view name) {
  for (size_t c = 0; c < names.size(); ++c)
    if (visiondb::detail::iequals(names[c], name)) return c;
  return names.size();
}

inline std::string column_list(const std::vector<std::string>& names) {
  std::string s;
  for (const auto& n : names) s += (s.empty() ? "" : ", ") + n;
  return s;
}

// The label column of `chunks` as the trainer's Labels.
inline ml::Labels read_labels(const std::string& name, size_t col, const std::vector<Chunk>& chunks, bool classifier) {
  size_t rows = 0;
  for (const auto& c : chunks) rows += c.size();
  std::vector<uint8_t> valid(rows, 1);
  const TypeId t = chunks.empty() ? TypeId::Null : chunks[0].column(col).type().id();
  if (classifier && t == TypeId::String) {
    std::vector<std::string_view> v(rows);
    size_t r = 0;
    for (const auto& c : chunks)
      for (size_t i = 0; i < c.size(); ++i, ++r) {
        if (c.column(col).is_null(i)) valid[r] = 0;
        else v[r] = c.column(col).string_at(i);
      }
    return ml::Labels::classes(name, v, valid);
  }
  if (classifier) {
    std::vector<int64_t> v(rows);
    size_t r = 0;
    for (const auto& c : chunks)
      for (size_t i = 0; i < c.size(); ++i, ++r) {
        const Column& x = c.column(col);
        if (x.is_null(i)) valid[r] = 0;
        else v[r] = t == TypeId::Bool ? int64_t{x.data<uint8_t>()[i] != 0} : x.data<int64_t>()[i];
      }
    return ml::Labels::classes(name, v, valid);
  }
  std::vector<double> v(rows);
  size_t r = 0;
  for (const auto& c : chunks)
    for (size_t i = 0; i < c.size(); ++i, ++r) {
      const Column& x = c.column(col);
      if (x.is_null(i)) valid[r] = 0;
      else v[r] = t == TypeId::Float64 ? x.data<double>()[i] : static_cast<double>(x.data<int64_t>()[i]);
    }
  return ml::Labels::numeric(name, v, valid);
}

/// Rows scored by a model, NULL labels left out.
struct Scored {
  std::vector<std::string> classes;  // classifier: the model's classes, then labels it never saw
  std::vector<int32_t> truth;        // classifier: index into classes
  std::vector<float> prob;           // classifier: rows x classes.size()
  std::vector<double> target, predicted;  // regressor
  size_t rows = 0;
};

// Scores `chunks` (flattened) whose columns are `names`: the label and every feature by name.
inline Scored score_rows(const ForestModel& m, const std::vector<Chunk>& chunks, const std::vector<std::string>& names,
                         const std::vector<size_t>& feature_columns, size_t label_column) {
  Scored s;
  std::vector<ForestInput> inputs = m.inputs;
  auto features = read_forest_features(inputs, feature_columns, chunks);
  std::vector<float> raw = m.forest.predict_raw(features->table);
  const size_t k = m.forest.outputs();
  (void)names;
  if (m.is_classifier()) {
    s.classes = m.forest.class_names;
    std::unordered_map<std::string, int32_t> index;
    for (size_t c = 0; c < s.classes.size(); ++c) index.emplace(s.classes[c], static_cast<int32_t>(c));
    std::vector<size_t> kept;
    size_t r = 0;
    for (const auto& c : chunks) {
      const Column& y = c.column(label_column);
      for (size_t i = 0; i < c.size(); ++i, ++r) {
        if (y.is_null(i)) continue;
        auto [it, fresh] = index.emplace(forest_class_name(y, i), static_cast<int32_t>(s.classes.size()));
        if (fresh) s.classes.push_back(it->first);
        s.truth.push_back(it->second);
        kept.push_back(r);
      }
    }
    const size_t kk = s.classes.size();
    s.prob.assign(kept.size() * kk, 0.0f);
    for (size_t j = 0; j < kept.size(); ++j)
      for (size_t c = 0; c < k; ++c) s.prob[j * kk + c] = raw[kept[j] * k + c];
    s.rows = kept.size();
  } else {
    size_t r = 0;
    for (const auto& c : chunks) {
      const Column& y = c.column(label_column);
      const TypeId t = y.type().id();
      for (size_t i = 0; i < c.size(); ++i, ++r) {
        if (y.is_null(i)) continue;
        s.target.push_back(t == TypeId::Float64 ? y.data<double>()[i] : static_cast<double>(y.data<int64_t>()[i]));
        s.predicted.push_back(raw[r]);
      }
    }
    s.rows = s.target.size();
  }
  return s;
}

// Log loss (classifier) or mean squared error (regressor) of scored rows; NaN without rows.
inline double scored_loss(const Scored& s, bool classifier) {
  if (s.rows == 0) return std::numeric_limits<double>::quiet_NaN();
  if (classifier) return ml::log_loss<float>(s.truth, s.prob, s.classes.size());
  return ml::regression_metrics(s.target, s.predicted).mean_squared_error;
}

inline std::shared_ptr<ModelEntry> build_forest(const ModelBuildInput& in, ml::ForestTask task) {
  const bool classifier = task == ml::ForestTask::Classification;
  ForestOptions opt = parse_forest_options(in, task);
  const auto& names = in.names;
  const auto& types = in.types;
  const size_t label_col = find_column(names, opt.label);
  if (label_col == names.size())
    throw SqlError(ErrorKind::Bind,
                   "label column \"" + opt.label + "\" is not a column of the training query (" + column_list(names) +
                       "); name the label with OPTIONS(input_label_cols = ['...'])",
                   opt.label_span);
  const TypeId lt = types[label_col].id();
  if (classifier && lt != TypeId::String && lt != TypeId::Int64 && lt != TypeId::Bool)
    throw SqlError(ErrorKind::Type,
                   "label column \"" + names[label_col] + "\" is " + types[label_col].to_string() +
                       ": a RANDOM_FOREST_CLASSIFIER needs STRING, INT64 or BOOL classes (use RANDOM_FOREST_REGRESSOR for numbers)",
                   opt.label_span);
  if (!classifier && lt != TypeId::Int64 && lt != TypeId::Float64)
    throw SqlError(ErrorKind::Type,
                   "label column \"" + names[label_col] + "\" is " + types[label_col].to_string() +
                       ": a RANDOM_FOREST_REGRESSOR needs an INT64 or FLOAT64 target",
                   opt.label_span);
  size_t split_col = names.size();
  if (!opt.split_column.empty()) {
    split_col = find_column(names, opt.split_column);
    if (split_col == names.size())
      throw SqlError(ErrorKind::Bind,
                     "data_split_col \"" + opt.split_column + "\" is not a column of the training query (" +
                         column_list(names) + ")",
                     opt.split_column_span);
    const TypeId st = types[split_col].id();
    if (opt.split == DataSplitMethod::Custom && st != TypeId::Bool)
      throw SqlError(ErrorKind::Type,
                     "data_split_col \"" + names[split_col] + "\" is " + types[split_col].to_string() +
                         ": data_split_method 'CUSTOM' needs a BOOL column (TRUE or NULL: evaluation, FALSE: training)",
                     opt.split_column_span);
    if (opt.split == DataSplitMethod::Seq && st != TypeId::Int64 && st != TypeId::Float64 && st != TypeId::String &&
        st != TypeId::Timestamp && st != TypeId::Date && st != TypeId::Bool)
      throw SqlError(ErrorKind::Type,
                     "data_split_col \"" + names[split_col] + "\" is " + types[split_col].to_string() +
                         ": data_split_method 'SEQ' needs an orderable column (INT64, FLOAT64, STRING, DATE, TIMESTAMP)",
                     opt.split_column_span);
  }
  auto model = std::make_shared<ForestModel>(in.name, in.model_type);
  std::vector<size_t> feature_cols;
  for (size_t c = 0; c < names.size(); ++c) {
    if (c == label_col || c == split_col) continue;
    ForestInput fi;
    fi.name = names[c];
    fi.kind = forest_feature_kind(names[c], types[c], in.span);
    fi.width = fi.kind == ForestInput::Kind::Array ? 0 : 1;
    model->inputs.push_back(fi);
    feature_cols.push_back(c);
  }
  if (model->inputs.empty())
    throw SqlError(ErrorKind::InvalidArgument, "the training query has no feature columns besides the label \"" + opt.label + "\"",
                   in.span);
  std::vector<Chunk> chunks;
  for (const auto& c : in.chunks)
    if (c && c->size() > 0) chunks.push_back(c->has_selection() ? c->flattened() : *c);
  size_t rows = 0;
  for (const auto& c : chunks) rows += c.size();
  if (rows == 0) throw SqlError(ErrorKind::InvalidArgument, "the training query returned no rows: nothing to train on", in.span);

  DataSplit split = split_rows(opt, chunks, split_col);
  if (split.train_rows == 0)
    throw SqlError(ErrorKind::InvalidArgument,
                   std::string("data_split_method '") + data_split_method_name(opt.split) +
                       "' left no training rows (all " + std::to_string(rows) + " rows evaluate)",
                   opt.split == DataSplitMethod::Custom ? opt.split_column_span : opt.split_span);
  std::vector<Chunk> train = split.eval_rows ? rows_where(chunks, split.is_eval, 0) : chunks;
  std::vector<Chunk> eval = split.eval_rows ? rows_where(chunks, split.is_eval, 1) : std::vector<Chunk>{};

  auto features = read_forest_features(model->inputs, feature_cols, train);
  ProgressMeter meter(in.progress, "training " + in.model_type + " " + in.name.to_string(), "trees",
                      static_cast<uint64_t>(opt.params.num_trees));
  try {
    ml::Labels labels = read_labels(names[label_col], label_col, train, classifier);
    model->forest = ml::train_forest(features->table, labels, opt.params, {},
                                     [&](size_t done, size_t total) { meter.update(done, done == total); });
    std::vector<float> raw = model->forest.predict_raw(features->table);
    model->loss = classifier ? ml::log_loss<float>(labels.class_index(), raw, model->forest.num_classes())
                             : ml::regression_metrics(labels.values(), std::vector<double>(raw.begin(), raw.end())).mean_squared_error;
  } catch (const SqlError&) {
    throw;
  } catch (const Error& e) {
    // Trainer errors: a single class, a NULL label, class weights naming no class.
    const std::string msg = e.message();
    SourceSpan where = in.span;
    if (msg.find("class weight") != std::string::npos || msg.find("class_weights") != std::string::npos)
      where = opt.class_weights_span.valid() ? opt.class_weights_span : in.span;
    else if (msg.find("label") != std::string::npos)
      where = opt.label_span;
    throw SqlError(ErrorKind::InvalidArgument, msg, where);
  }
  model->label = names[label_col];
  model->label_type = types[label_col];
  model->query_names = names;
  model->query_types = types;
  model->split = opt.split;
  model->train_rows = split.train_rows;
  model->eval_rows = split.eval_rows;
  model->duration_ms = model->forest.info.seconds * 1000.0;
  if (split.eval_rows) {
    model->eval_data = std::move(eval);
    Scored s = score_rows(*model, model->eval_data, names, feature_cols, label_col);
    model->eval_loss = scored_loss(s, classifier);
  } else {
    model->eval_data = std::move(train);
    model->evaluated_on_training = true;
  }
  return model;
}

}  // namespace forest_detail

VISIONDB_INLINE std::shared_ptr<ModelEntry> build_random_forest_classifier(const ModelBuildInput& in) {
  if (in.option("model_path")) return import_forest_model(in);
  return forest_detail::build_forest(in, ml::ForestTask::Classification);
}

VISIONDB_INLINE std::shared_ptr<ModelEntry> build_random_forest_regressor(const ModelBuildInput& in) {
  if (in.option("model_path")) return import_forest_model(in);
  return forest_detail::build_forest(in, ml::ForestTask::Regression);
}

}  // namespace visiondb::fn
