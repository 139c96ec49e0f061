// Out-of-line parts of cnn_model.hpp: the OPTIONS of a CNN model, opening its weights, describe().
#pragma once

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "visiondb/functions/ml/cnn_model.hpp"
#include "visiondb/functions/ml/cnn_predict.hpp"
#include "visiondb/io/mount_table.hpp"
#include "visiondb/models/inception_v3.hpp"
#include "visiondb/models/resnet50.hpp"
#include "visiondb/storage/detail/text.hpp"

namespace visiondb::fn {

namespace detail {

[[noreturn]] inline void cnn_option_error(const std::string& message, SourceSpan span) {
  throw SqlError(ErrorKind::InvalidArgument, message, span);
}

inline std::string cnn_string_option(const sql::BoundOption& o) {
  if (o.value.is_null() || o.value.type().id() != TypeId::String)
    cnn_option_error("option " + o.name + " must be a STRING", o.span);
  return o.value.as_string();
}

// A folder (or "folder/*", as BigQuery's model_path = 'gs://bucket/*' names a SavedModel's folder)
// stands for the one .vdbw file in it.
inline std::string cnn_weights_in_folder(const std::string& path) {
  std::string dir = path;
  if (dir.size() >= 2 && dir.compare(dir.size() - 2, 2, "/*") == 0) {
    dir.resize(dir.size() - 2);
  } else {
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec)) return path;
  }
  std::vector<std::string> found;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec))
    if (e.path().extension() == ".vdbw" && e.is_regular_file(ec)) found.push_back(e.path().string());
  if (ec) visiondb::detail::throw_io_error(dir, "cannot list the folder: " + ec.message());
  std::sort(found.begin(), found.end());
  if (found.empty()) visiondb::detail::throw_io_error(dir, "holds no .vdbw weights file");
  if (found.size() > 1) {
    std::string names;
    for (const auto& f : found) names += (names.empty() ? "" : ", ") + std::filesystem::path(f).filename().string();
    visiondb::detail::throw_io_error(dir, "holds several .vdbw weights files (" + names + "): name one in model_path");
  }
  return found[0];
}

inline CnnModelOptions cnn_model_options(const ModelBuildInput& in) {
  CnnModelOptions out;
  for (const auto& o : in.options) {
    if (o.name == "model_type" || o.name == "model_path") continue;
    if (o.name == "input_column") {
      out.input_column = cnn_string_option(o);
      if (out.input_column.empty()) cnn_option_error("input_column must not be empty", o.span);
    } else if (o.name == "logits_column") {
      out.logits_column = cnn_string_option(o);
    } else if (o.name == "probabilities_column") {
      out.probabilities_column = cnn_string_option(o);
    } else if (o.name == "embedding_column") {
      out.embedding_column = cnn_string_option(o);
    } else if (o.name == "label_column") {
      out.label_column = cnn_string_option(o);
    } else if (o.name == "label_index_column") {
      out.label_index_column = cnn_string_option(o);
    } else if (o.name == "batch_size") {
      if (o.value.is_null() || o.value.type().id() != TypeId::Int64 || o.value.as_int64() < 1 || o.value.as_int64() > 1024)
        cnn_option_error("batch_size must be an INT64 between 1 and 1024", o.span);
      out.batch_size = static_cast<int>(o.value.as_int64());
    } else if (o.name == "winograd") {
      if (o.value.is_null() || o.value.type().id() != TypeId::Bool) cnn_option_error("winograd must be TRUE or FALSE", o.span);
      out.winograd = o.value.as_bool();
    } else if (o.name == "precision") {
      const std::string p = visiondb::detail::to_upper(cnn_string_option(o));
      if (p == "FP32") {
        out.precision = models::Precision::Fp32;
      } else if (p == "BF16") {
        out.precision = models::Precision::Bf16;
      } else {
        cnn_option_error("precision must be 'FP32' or 'BF16'", o.span);
      }
    } else {
      std::string known;
      for (const char* n : kCnnModelOptionNames) known += (known.empty() ? "" : ", ") + std::string(n);
      cnn_option_error("unknown option " + o.name + " for a " + in.model_type + " model; known: " + known, o.span);
    }
  }
  // Output names must differ from each other (case-insensitively, as SQL names do).
  const std::string* names[] = {&out.logits_column, &out.probabilities_column, &out.embedding_column,
                                &out.label_column, &out.label_index_column};
  for (size_t i = 0; i < 5; ++i)
    for (size_t j = i + 1; j < 5; ++j)
      if (!names[i]->empty() && visiondb::detail::to_lower(*names[i]) == visiondb::detail::to_lower(*names[j]))
        cnn_option_error("two outputs of the model are named \"" + *names[i] + "\"", in.span);
  return out;
}

}  // namespace detail

VISIONDB_INLINE CnnModel::CnnModel(QualifiedName name, std::string model_type, std::string path,
                                   std::unique_ptr<nn::WeightsFile> weights, std::unique_ptr<models::Network> network,
                                   CnnModelOptions options)
    : ModelEntry(std::move(name), std::move(model_type)),
      path_(std::move(path)),
      weights_(std::move(weights)),
      network_(std::move(network)),
      options_(std::move(options)) {
  const nn::WeightsMetadata& m = weights_->metadata();
  preprocess_.resize_shorter = m.resize_size;
  preprocess_.crop_height = m.input_height;
  preprocess_.crop_width = m.input_width;
  preprocess_.mean = m.mean;
  preprocess_.std = m.std;
}

VISIONDB_INLINE std::shared_ptr<sql::BoundTableFunction> CnnModel::bind_function(
    std::string_view function, std::vector<sql::TableFunctionArgument>& args, SourceSpan span) const {
  if (function != "ML.PREDICT") return ModelEntry::bind_function(function, args, span);
  // args[0].entry is this model: holding it keeps the network alive while the query runs, even if
  // the model is dropped meanwhile.
  auto self = std::static_pointer_cast<const CnnModel>(
      std::static_pointer_cast<const ModelEntry>(std::static_pointer_cast<const CatalogEntry>(args[0].entry)));
  return std::make_shared<CnnPredict>(std::move(self), args, span);
}

VISIONDB_INLINE std::string CnnModel::describe() const {
  const nn::WeightsMetadata& m = metadata();
  std::string out = model_type() + ": " + m.architecture + ", input " + std::to_string(m.input_height) + "x" +
                    std::to_string(m.input_width) + " (resize " + std::to_string(m.resize_size) + "), " +
                    std::to_string(network_->num_classes()) + " classes, embedding " +
                    std::to_string(network_->embedding_size()) + ", labels " + (has_labels() ? "yes" : "no") +
                    ", input column " + options_.input_column;
  if (options_.precision == models::Precision::Bf16) out += ", bf16";
  if (options_.winograd) out += ", winograd";
  return out + ", weights '" + path_ + "'";
}

VISIONDB_INLINE std::shared_ptr<ModelEntry> build_cnn_model(const ModelBuildInput& in) {
  const sql::BoundOption* path_option = in.option("model_path");
  if (!path_option)
    throw SqlError(ErrorKind::InvalidArgument,
                   "a " + in.model_type + " model needs OPTIONS(model_path = '...vdbw'): a converted weights file", in.span);
  const std::string uri = detail::cnn_string_option(*path_option);
  CnnModelOptions options = detail::cnn_model_options(in);
  const std::string architecture = in.model_type == "RESNET50" ? "resnet50" : "inception_v3";

  std::string path;
  std::unique_ptr<nn::WeightsFile> weights;
  std::unique_ptr<models::Network> network;
  try {
    path = detail::cnn_weights_in_folder(io::local_path(uri, in.mounts.get()));
    weights = std::make_unique<nn::WeightsFile>(path);
    const nn::WeightsMetadata& m = weights->metadata();
    if (m.architecture != architecture)
      visiondb::detail::throw_io_error(path, "holds " + (m.architecture.empty() ? std::string("an unknown") : "a " + m.architecture) +
                                                 " network, not the " + architecture + " of model_type '" + in.model_type + "'");
    if (architecture == "resnet50") {
      network = std::make_unique<models::ResNet50>(*weights);
    } else {
      network = std::make_unique<models::InceptionV3>(*weights, m.transform_input);
    }
    const int size = network->preprocessing().input_size;
    if (m.input_height != size || m.input_width != size)
      visiondb::detail::throw_io_error(path, "says its input is " + std::to_string(m.input_height) + "x" +
                                                 std::to_string(m.input_width) + "; " + architecture + " takes " +
                                                 std::to_string(size) + "x" + std::to_string(size));
    if (!m.labels.empty() && static_cast<int>(m.labels.size()) != network->num_classes())
      visiondb::detail::throw_io_error(path, "has " + std::to_string(m.labels.size()) + " labels for " +
                                                 std::to_string(network->num_classes()) + " classes");
  } catch (const SqlError&) {
    throw;
  } catch (const Error& e) {
    // IoError names the file; a ShapeError names the tensor. Either way the caret goes under model_path.
    std::string message = e.message();
    if (message.find(path.empty() ? uri : path) == std::string::npos) message = "weights file '" + (path.empty() ? uri : path) + "': " + message;
    throw SqlError(e.kind() == ErrorKind::Io ? ErrorKind::Io : ErrorKind::InvalidArgument, message, path_option->span);
  }
  if (options.winograd) network->set_winograd(true);
  if (options.precision != models::Precision::Fp32) {
    try {
      network->set_precision(options.precision);
    } catch (const Error& e) {
      throw SqlError(ErrorKind::InvalidArgument, e.message(), in.option("precision")->span);
    }
  }
  return std::make_shared<CnnModel>(in.name, in.model_type, path, std::move(weights), std::move(network), std::move(options));
}

}  // namespace visiondb::fn
