// Out-of-line parts of cnn_predict.hpp.
#pragma once

#include <algorithm>
#include <cmath>
#include <string>

#include "visiondb/common/aligned_buffer.hpp"
#include "visiondb/common/parallel.hpp"
#include "visiondb/functions/ml/cnn_predict.hpp"
#include "visiondb/functions/ml/image_value.hpp"
#include "visiondb/image/decode.hpp"
#include "visiondb/storage/detail/text.hpp"

namespace visiondb::fn {

struct CnnPredict::Run {
  explicit Run(ProgressCallback callback, std::string task, std::weak_ptr<exec::SourceProgress> source)
      : meter(std::move(callback), std::move(task), "rows", 0), source(std::move(source)) {}
  std::mutex mutex;
  ProgressMeter meter;
  std::weak_ptr<exec::SourceProgress> source;
  uint64_t rows_seen = 0;  // rows that reached ML.PREDICT
  uint64_t rows_done = 0;

  void arrived(uint64_t rows) {
    std::lock_guard lock(mutex);
    rows_seen += rows;
  }
  void done(uint64_t rows) {
    std::lock_guard lock(mutex);
    rows_done += rows;
    // The total is unknown while the source still has morsels to hand out: extrapolate the rows
    // seen per morsel claimed so far.
    const auto s = source.lock();
    const size_t morsels = s ? s->morsels.load() : 0, claimed = s ? s->claimed.load() : 0;
    uint64_t total = rows_seen;
    if (claimed > 0 && claimed < morsels)
      total = static_cast<uint64_t>(std::llround(static_cast<double>(rows_seen) * static_cast<double>(morsels) /
                                                 static_cast<double>(claimed)));
    meter.set_total(std::max(total, rows_done));
    meter.update(rows_done);
  }
};

struct CnnPredict::State final : sql::TableFunctionState {
  nn::Workspace workspace;
  AlignedBuffer<float> buffers[2];
  std::shared_ptr<Run> run;
};

namespace detail {

[[noreturn]] inline void predict_error(ErrorKind kind, const std::string& message, SourceSpan span) {
  throw SqlError(kind, message, span);
}

// An image whose samples are floats (after ML.RESIZE_IMAGE or ML.CONVERT_COLOR_SPACE) goes to the
// network's preprocessing as the 8-bit image PIL would hold: round(v * 255), clamped.
inline img::Image to_u8(const img::Image& f) {
  img::Image out(f.height(), f.width(), f.channels(), img::PixelType::U8);
  const float* src = f.f32();
  uint8_t* dst = out.u8();
  for (size_t i = 0; i < f.size(); ++i) {
    const float v = std::nearbyint(std::clamp(src[i], 0.0f, 1.0f) * 255.0f);
    dst[i] = static_cast<uint8_t>(v);
  }
  return out;
}

}  // namespace detail

VISIONDB_INLINE CnnPredict::CnnPredict(std::shared_ptr<const CnnModel> model, std::vector<sql::TableFunctionArgument>& args,
                                       SourceSpan span)
    : model_(std::move(model)) {
  using Kind = sql::TableFunctionArgument::Kind;
  const std::string model_name = args[0].entry_name;
  if (args.size() < 2 || args[1].kind != Kind::Table || args.size() > 3)
    detail::predict_error(ErrorKind::Bind, "ML.PREDICT takes (MODEL m, TABLE t | (query) [, STRUCT(...)])", span);
  const sql::TableFunctionArgument& table = args[1];
  const CnnModelOptions& o = model_->options();

  // The settings STRUCT.
  batch_size_ = o.batch_size;
  if (args.size() == 3) {
    const sql::TableFunctionArgument& s = args[2];
    if (s.kind != Kind::Scalar || s.value.is_null() || s.value.type().id() != TypeId::Struct)
      detail::predict_error(ErrorKind::Type, "the third argument of ML.PREDICT must be a STRUCT of settings, e.g. STRUCT(8 AS batch_size)", s.span);
    const auto& fields = s.value.type().fields();
    for (size_t i = 0; i < fields.size(); ++i) {
      const Value& v = s.value.children()[i];
      const std::string name = visiondb::detail::to_lower(fields[i].name);
      if (name == "batch_size") {
        if (v.is_null() || v.type().id() != TypeId::Int64 || v.as_int64() < 1 || v.as_int64() > 1024)
          detail::predict_error(ErrorKind::InvalidArgument, "batch_size must be an INT64 between 1 and 1024", s.span);
        batch_size_ = static_cast<int>(v.as_int64());
      } else {
        detail::predict_error(ErrorKind::InvalidArgument,
                              "unknown ML.PREDICT setting \"" + fields[i].name + "\" for model \"" + model_name +
                                  "\"; known: batch_size",
                              s.span);
      }
    }
  }

  // The input column.
  pass_columns_ = table.input_names.size();
  int found = -1;
  for (size_t i = 0; i < table.input_names.size(); ++i) {
    if (visiondb::detail::to_lower(table.input_names[i]) == visiondb::detail::to_lower(o.input_column)) {
      found = static_cast<int>(i);
      break;
    }
  }
  if (found < 0) {
    std::string cols;
    for (const auto& n : table.input_names) cols += (cols.empty() ? "" : ", ") + n;
    detail::predict_error(ErrorKind::Bind,
                          "model \"" + model_name + "\" reads its images from column \"" + o.input_column +
                              "\" (OPTIONS input_column), which the input of ML.PREDICT does not have; its columns: " + cols,
                          table.span);
  }
  input_column_ = static_cast<size_t>(found);
  const LogicalType& input_type = table.input_types[input_column_];
  if (input_type == image_type()) {
    input_is_image_ = true;
  } else if (input_type.id() == TypeId::Bytes) {
    input_is_image_ = false;
  } else {
    detail::predict_error(ErrorKind::Type,
                          "column \"" + table.input_names[input_column_] + "\" is " + input_type.to_string() +
                              "; model \"" + model_name + "\" takes IMAGE (ML.DECODE_IMAGE(data)) or BYTES (the encoded file)",
                          table.span);
  }
  for (size_t i = 0; i < table.input_names.size(); ++i)
    if (visiondb::detail::to_lower(table.input_names[i]) == "uri" && table.input_types[i].id() == TypeId::String)
      uri_column_ = static_cast<int>(i);

  // The columns: the input's, then the model's outputs.
  names = table.input_names;
  types = table.input_types;
  const LogicalType vector = LogicalType::array(LogicalType::float64());
  auto add = [&](Output which, const std::string& name, LogicalType type) {
    output_index_[which] = -1;
    if (name.empty()) return;
    for (const auto& n : table.input_names)
      if (visiondb::detail::to_lower(n) == visiondb::detail::to_lower(name))
        detail::predict_error(ErrorKind::Bind,
                              "the input of ML.PREDICT has a column \"" + n + "\", which is also the name of an output of model \"" +
                                  model_name + "\"; rename the input column or the output (CREATE MODEL OPTIONS)",
                              table.span);
    output_index_[which] = static_cast<int>(names.size());
    names.push_back(name);
    types.push_back(std::move(type));
  };
  add(kLogits, o.logits_column, vector);
  add(kProbabilities, o.probabilities_column, vector);
  add(kEmbedding, o.embedding_column, vector);
  add(kLabel, model_->has_labels() ? o.label_column : std::string(), LogicalType::string());
  add(kLabelIndex, o.label_index_column, LogicalType::int64());
  // Until the planner says otherwise, every output is used.
  for (bool& u : used_) u = true;
  request_ = {true, true, true};
  task_ = "ML.PREDICT " + model_name;
}

VISIONDB_INLINE void CnnPredict::set_used_columns(const std::vector<size_t>& used) {
  // A plan may hold this call more than once (a CTE read twice): the union of the uses is computed.
  std::lock_guard lock(run_mutex_);
  if (!used_columns_set_) {
    for (bool& u : used_) u = false;
    used_columns_set_ = true;
  }
  for (size_t c : used)
    for (int k = 0; k < kOutputCount; ++k)
      if (output_index_[k] == static_cast<int>(c)) used_[k] = true;
  request_.logits = used_[kLogits] || used_[kLabel] || used_[kLabelIndex];
  request_.probabilities = used_[kProbabilities];
  request_.embedding = used_[kEmbedding];
}

VISIONDB_INLINE std::unique_ptr<sql::TableFunctionState> CnnPredict::make_state(exec::ExecContext& ctx) const {
  auto s = std::make_unique<State>();
  if (ctx.progress) {
    std::lock_guard lock(run_mutex_);
    if (!run_ || run_key_.lock() != ctx.source) {
      run_ = std::make_shared<Run>(ctx.progress, task_, ctx.source);
      run_key_ = ctx.source;
    }
    s->run = run_;
  }
  return s;
}

VISIONDB_INLINE void CnnPredict::finish(exec::ExecContext& ctx) const {
  std::shared_ptr<Run> run;
  {
    std::lock_guard lock(run_mutex_);
    if (!run_ || run_key_.lock() != ctx.source) return;
    run = std::move(run_);
    run_key_.reset();
  }
  if (!run) return;
  std::lock_guard lock(run->mutex);
  run->meter.set_total(run->rows_done);
  run->meter.update(run->rows_done, /*finished=*/true);
}

VISIONDB_INLINE std::string CnnPredict::explain() const {
  const nn::WeightsMetadata& m = model_->metadata();
  std::string what;
  if (request_.logits) what += "logits";
  if (request_.probabilities) what += std::string(what.empty() ? "" : ", ") + "probabilities";
  if (request_.embedding) what += std::string(what.empty() ? "" : ", ") + "embedding";
  return "(" + model_->model_type() + " " + std::to_string(m.input_height) + "x" + std::to_string(m.input_width) +
         ", computes " + (what.empty() ? std::string("nothing") : what) + ", batch " + std::to_string(batch_size_) + ", " +
         std::to_string(images_run_.load()) + " images run)";
}

VISIONDB_INLINE void CnnPredict::execute(const Chunk* input, sql::TableFunctionState* state,
                                         std::vector<Chunk>& out) const {
  auto& st = *static_cast<State*>(state);
  const Chunk& in = *input;
  const size_t rows = in.size(), physical = in.physical_size();
  if (st.run) st.run->arrived(rows);
  const Column& source = in.column(input_column_);

  // The rows to run: those with an input image, in chunk order.
  std::vector<uint32_t> todo;
  const bool any_output = request_.logits || request_.probabilities || request_.embedding;
  if (any_output) {
    todo.reserve(rows);
    for (size_t i = 0; i < rows; ++i) {
      const uint32_t r = in.physical_row(i);
      if (source.is_valid(r)) todo.push_back(r);
    }
  }
  const models::Network& net = model_->network();
  const img::PreprocessParams& params = model_->preprocessing();
  const size_t per_image = params.output_size();
  const size_t classes = static_cast<size_t>(net.num_classes()), width = static_cast<size_t>(net.embedding_size());
  const size_t batch = static_cast<size_t>(batch_size_);
  const size_t batches = (todo.size() + batch - 1) / batch;
  std::vector<float> logits(request_.logits ? todo.size() * classes : 0);
  std::vector<float> probabilities(request_.probabilities ? todo.size() * classes : 0);
  std::vector<float> embedding(request_.embedding ? todo.size() * width : 0);

  if (batches > 0) {
    for (auto& b : st.buffers)
      if (b.size() < batch * per_image) AlignedBuffer<float>(batch * per_image).swap(b);
  }
  std::vector<std::string> errors(batch);
  std::vector<std::string> next_errors(batch);
  // Decodes (BYTES) or takes (IMAGE) and preprocesses the images of batch k into buffer k % 2.
  auto prepare = [&](size_t k, std::vector<std::string>& errs) {
    const size_t first = k * batch, count = std::min(batch, todo.size() - first);
    float* dst = st.buffers[k % 2].data();
    parallel_for_each_index(0, count, [&](size_t j) {
      const uint32_t r = todo[first + j];
      std::span<float> slot(dst + j * per_image, per_image);
      errs[j].clear();
      try {
        if (input_is_image_) {
          const auto* image = static_cast<const ImageValue*>(source.object_at(r).get());
          if (image->image().type() == img::PixelType::U8) {
            img::preprocess_image(image->image(), params, slot);
          } else {
            img::preprocess_image(detail::to_u8(image->image()), params, slot);
          }
        } else {
          const std::string_view bytes = source.string_at(r);
          std::string name = uri_column_ >= 0 && in.column(static_cast<size_t>(uri_column_)).is_valid(r)
                                 ? std::string(in.column(static_cast<size_t>(uri_column_)).string_at(r))
                                 : "row " + std::to_string(r + 1) + " of column \"" + names[input_column_] + "\"";
          img::decode_and_preprocess(
              std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()), name, params, slot);
        }
      } catch (const Error& e) {
        errs[j] = e.what();
      }
    });
  };
  auto check = [&](const std::vector<std::string>& errs) {
    for (const auto& e : errs)
      if (!e.empty()) throw SqlError(ErrorKind::Execution, "ML.PREDICT: " + e);
  };
  if (batches > 0) {
    prepare(0, errors);
    check(errors);
  }
  for (size_t k = 0; k < batches; ++k) {
    const size_t first = k * batch, count = std::min(batch, todo.size() - first);
    // The next batch's decoding and preprocessing overlap this batch's network.
    TaskGroup next;
    if (k + 1 < batches) next.run([&] { prepare(k + 1, next_errors); });
    models::Outputs o;
    try {
      o = net.run(std::span<const float>(st.buffers[k % 2].data(), count * per_image), count, request_, st.workspace);
    } catch (...) {
      next.wait();
      throw;
    }
    next.wait();
    model_->count_run(count, request_.logits || request_.probabilities);
    images_run_.fetch_add(count, std::memory_order_relaxed);
    if (request_.logits) std::copy(o.logits.begin(), o.logits.end(), logits.begin() + first * classes);
    if (request_.probabilities)
      std::copy(o.probabilities.begin(), o.probabilities.end(), probabilities.begin() + first * classes);
    if (request_.embedding) std::copy(o.embedding.begin(), o.embedding.end(), embedding.begin() + first * width);
    if (st.run) st.run->done(count);
    if (k + 1 < batches) {
      check(next_errors);
      std::swap(errors, next_errors);
    }
  }
  if (st.run && rows > todo.size()) st.run->done(rows - todo.size());

  // The output: the input's columns (shared, with its selection), then one column per output.
  std::vector<int32_t> slot(physical, -1);
  for (size_t i = 0; i < todo.size(); ++i) slot[todo[i]] = static_cast<int32_t>(i);
  std::vector<ColumnPtr> columns(in.columns().begin(), in.columns().begin() + static_cast<std::ptrdiff_t>(pass_columns_));
  auto vectors = [&](const std::vector<float>& values, size_t n, bool wanted) {
    Column c(LogicalType::array(LogicalType::float64()));
    for (size_t p = 0; p < physical; ++p) {
      if (!wanted || slot[p] < 0) {
        c.append_null();
        continue;
      }
      const float* v = values.data() + static_cast<size_t>(slot[p]) * n;
      Column& child = c.child();
      for (size_t j = 0; j < n; ++j) child.append_float64(v[j]);
      c.close_array_row();
    }
    return std::make_shared<const Column>(std::move(c));
  };
  // The top class of each row (the first of equal maxima, as torch.argmax).
  std::vector<int64_t> top;
  if (request_.logits && (output_index_[kLabel] >= 0 || output_index_[kLabelIndex] >= 0)) {
    top.resize(todo.size());
    for (size_t i = 0; i < todo.size(); ++i) {
      const float* l = logits.data() + i * classes;
      top[i] = std::max_element(l, l + classes) - l;
    }
  }
  const auto& labels = model_->metadata().labels;
  for (int k = 0; k < kOutputCount; ++k) {
    if (output_index_[k] < 0) continue;
    switch (k) {
      case kLogits: columns.push_back(vectors(logits, classes, used_[kLogits])); break;
      case kProbabilities: columns.push_back(vectors(probabilities, classes, used_[kProbabilities])); break;
      case kEmbedding: columns.push_back(vectors(embedding, width, used_[kEmbedding])); break;
      case kLabel: {
        Column c(LogicalType::string());
        for (size_t p = 0; p < physical; ++p) {
          if (!used_[kLabel] || slot[p] < 0) {
            c.append_null();
          } else {
            c.append_string(labels[static_cast<size_t>(top[static_cast<size_t>(slot[p])])]);
          }
        }
        columns.push_back(std::make_shared<const Column>(std::move(c)));
        break;
      }
      case kLabelIndex: {
        Column c(LogicalType::int64());
        for (size_t p = 0; p < physical; ++p) {
          if (!used_[kLabelIndex] || slot[p] < 0) {
            c.append_null();
          } else {
            c.append_int64(top[static_cast<size_t>(slot[p])]);
          }
        }
        columns.push_back(std::make_shared<const Column>(std::move(c)));
        break;
      }
      default: break;
    }
  }
  Chunk result(std::move(columns), physical);
  if (in.has_selection()) result.set_selection(in.selection_ptr());
  out.push_back(std::move(result));
}

}  // namespace visiondb::fn
