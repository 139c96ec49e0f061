// EXPORT MODEL and CREATE MODEL ... OPTIONS(model_path = ...) for random forests: a file holding
// what the SQL side knows of the model (label, feature columns, split, losses) followed by the
// forest itself (ml::serialize_forest). Layout: magic "VDBFMDL" + version byte, then the fields
// in the order written below, little-endian, strings and lists prefixed by a u64 count.
#pragma once

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <system_error>
#include <vector>

#include "visiondb/functions/ml/forest_model.hpp"
#include "visiondb/io/mount_table.hpp"
#include "visiondb/ml/forest/detail/byte_io.hpp"
#include "visiondb/ml/forest/serialize.hpp"

namespace visiondb::fn {

namespace forest_detail {

constexpr char kForestModelMagic[8] = {'V', 'D', 'B', 'F', 'M', 'D', 'L', 1};

// BigQuery exports a model into a folder (uri = 'gs://bucket/folder/'): a uri ending in '/' or
// "/*", or naming an existing folder, stands for the file model.vdbforest in it (created if
// missing on export). On import such a model_path stands for the one .vdbforest file there.
inline bool names_folder(std::string& path) {
  std::error_code ec;
  if (path.size() >= 2 && path.compare(path.size() - 2, 2, "/*") == 0) {
    path.resize(path.size() - 2);
    return true;
  }
  if (!path.empty() && path.back() == '/') {
    path.pop_back();
    return true;
  }
  return std::filesystem::is_directory(path, ec);
}

inline std::string export_file_path(std::string path) {
  if (!names_folder(path)) return path;
  std::error_code ec;
  if (!path.empty()) std::filesystem::create_directories(path, ec);
  if (ec) visiondb::detail::throw_io_error(path, "cannot create the folder: " + ec.message());
  return (path.empty() ? std::string() : path + "/") + "model.vdbforest";
}

inline std::string import_file_path(std::string path) {
  if (!names_folder(path)) return path;
  const std::string dir = path.empty() ? "." : path;
  std::vector<std::string> found;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec))
    if (e.path().extension() == ".vdbforest" && e.is_regular_file(ec)) found.push_back(e.path().string());
  if (ec) visiondb::detail::throw_io_error(dir, "cannot list the folder: " + ec.message());
  if (found.size() != 1)
    visiondb::detail::throw_io_error(dir, "holds " + std::to_string(found.size()) +
                                              " .vdbforest files; model_path needs a folder with one, or the file itself");
  return found[0];
}

inline uint8_t label_type_code(TypeId t) {
  switch (t) {
    case TypeId::String: return 0;
    case TypeId::Int64: return 1;
    case TypeId::Bool: return 2;
    default: return 3;  // Float64 (regressor targets)
  }
}

inline std::string serialize_forest_model(const ForestModel& m) {
  ml::detail::ForestWriter w;
  w.out.append(kForestModelMagic, sizeof kForestModelMagic);
  w.put<uint8_t>(m.is_classifier() ? 0 : 1);
  w.put_string(m.label);
  w.put<uint8_t>(label_type_code(m.label_type.id()));
  w.put<uint64_t>(m.inputs.size());
  for (const ForestInput& in : m.inputs) {
    w.put_string(in.name);
    w.put<uint8_t>(static_cast<uint8_t>(in.kind));
    w.put<uint64_t>(in.width);
  }
  w.put<uint8_t>(static_cast<uint8_t>(m.split));
  w.put<uint64_t>(m.train_rows);
  w.put<uint64_t>(m.eval_rows);
  w.put<double>(m.loss);
  w.put<double>(m.eval_loss);
  w.put<double>(m.duration_ms);
  const std::string forest = ml::serialize_forest(m.forest);
  w.put<uint64_t>(forest.size());
  w.out.append(forest);
  return std::move(w.out);
}

// The model of `bytes` (read from `source`) into `m`, whose name and model type are set. Throws
// IoError(source, ...) for bytes that are not a forest model, or a forest of the other task.
inline void deserialize_forest_model(std::string_view bytes, const std::string& source, ForestModel& m) {
  ml::detail::ForestReader r(bytes, source);
  if (bytes.size() < sizeof kForestModelMagic || bytes.compare(0, 7, std::string_view(kForestModelMagic, 7)) != 0)
    r.fail("the magic \"VDBFMDL\" of a model written by EXPORT MODEL is missing");
  if (bytes[7] != kForestModelMagic[7]) r.fail("format version " + std::to_string(static_cast<int>(bytes[7])) + ", expected 1");
  for (size_t i = 0; i < sizeof kForestModelMagic; ++i) r.get<char>("magic");
  const auto task = r.get<uint8_t>("task");
  if (task > 1) r.fail("task " + std::to_string(task));
  const bool classifier = task == 0;
  if (classifier != (m.model_type() == "RANDOM_FOREST_CLASSIFIER"))
    r.fail(std::string("the file holds a ") + (classifier ? "RANDOM_FOREST_CLASSIFIER" : "RANDOM_FOREST_REGRESSOR") +
           ", not a " + m.model_type());
  m.label = r.get_string("label");
  const auto label_type = r.get<uint8_t>("label type");
  if (label_type > 3 || (classifier == (label_type == 3))) r.fail("label type " + std::to_string(label_type));
  const LogicalType label_types[] = {LogicalType::string(), LogicalType::int64(), LogicalType::boolean(), LogicalType::float64()};
  m.label_type = label_types[label_type];
  const uint64_t n_inputs = r.get_count("feature columns", 8 + 1 + 8);
  size_t features = 0;
  for (uint64_t i = 0; i < n_inputs; ++i) {
    ForestInput in;
    in.name = r.get_string("feature column name");
    const auto kind = r.get<uint8_t>("feature column kind");
    if (kind > 2) r.fail("feature column \"" + in.name + "\" has kind " + std::to_string(kind));
    in.kind = static_cast<ForestInput::Kind>(kind);
    in.width = r.get<uint64_t>("feature column width");
    if (in.width == 0 || in.width > (uint64_t{1} << 24) || (in.kind != ForestInput::Kind::Array && in.width != 1))
      r.fail("feature column \"" + in.name + "\" has width " + std::to_string(in.width));
    features += in.width;
    m.inputs.push_back(std::move(in));
  }
  const auto split = r.get<uint8_t>("data split method");
  if (split > static_cast<uint8_t>(DataSplitMethod::NoSplit)) r.fail("data split method " + std::to_string(split));
  m.split = static_cast<DataSplitMethod>(split);
  m.train_rows = r.get<uint64_t>("training rows");
  m.eval_rows = r.get<uint64_t>("evaluation rows");
  m.loss = r.get<double>("loss");
  m.eval_loss = r.get<double>("evaluation loss");
  m.duration_ms = r.get<double>("duration");
  const uint64_t n_forest = r.get_count("forest", 1);
  if (n_forest != r.remaining()) r.fail("the forest is " + std::to_string(n_forest) + " bytes but " + std::to_string(r.remaining()) + " remain");
  m.forest = ml::deserialize_forest(bytes.substr(bytes.size() - n_forest), source);
  if (m.forest.binner.features() != features)
    r.fail("the feature columns hold " + std::to_string(features) + " features but the forest has " +
           std::to_string(m.forest.binner.features()));
  if (m.forest.label_column != m.label) r.fail("the forest's label \"" + m.forest.label_column + "\" is not \"" + m.label + "\"");
}

inline std::string read_model_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) visiondb::detail::throw_io_error(path, "cannot open the model file");
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) visiondb::detail::throw_io_error(path, "cannot read the model file");
  return bytes;
}

// The file is written next to its destination and renamed over it: a failed export leaves no
// partial model behind.
inline void write_model_file(const std::string& path, const std::string& bytes) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) visiondb::detail::throw_io_error(path, "cannot create the model file");
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.close();
    if (!out) {
      std::remove(tmp.c_str());
      visiondb::detail::throw_io_error(path, "cannot write the model file");
    }
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    visiondb::detail::throw_io_error(path, "cannot replace the model file");
  }
}

}  // namespace forest_detail

VISIONDB_INLINE void ForestModel::export_to(const std::string& uri, const io::MountTable* mounts, SourceSpan span) const {
  try {
    forest_detail::write_model_file(forest_detail::export_file_path(io::local_path(uri, mounts)),
                                    forest_detail::serialize_forest_model(*this));
  } catch (const IoError& e) {
    throw SqlError(ErrorKind::Io, e.message(), span);
  }
}

VISIONDB_INLINE std::shared_ptr<ModelEntry> import_forest_model(const ModelBuildInput& in) {
  const sql::BoundOption* path_option = in.option("model_path");
  if (in.has_query)
    throw SqlError(ErrorKind::InvalidArgument,
                   "a " + in.model_type + " model is either trained (AS SELECT ...) or imported (model_path), not both", path_option->span);
  for (const auto& o : in.options)
    if (o.name != "model_type" && o.name != "model_path")
      throw SqlError(ErrorKind::InvalidArgument, "option " + o.name + " does not apply to a model imported from model_path", o.span);
  if (path_option->value.is_null() || path_option->value.type().id() != TypeId::String)
    throw SqlError(ErrorKind::InvalidArgument, "model_path must be a STRING", path_option->span);
  auto model = std::make_shared<ForestModel>(in.name, in.model_type);
  try {
    const std::string path = forest_detail::import_file_path(io::local_path(path_option->value.as_string(), in.mounts.get()));
    forest_detail::deserialize_forest_model(forest_detail::read_model_file(path), path, *model);
  } catch (const IoError& e) {
    throw SqlError(ErrorKind::Io, e.message(), path_option->span);
  }
  model->imported_from = path_option->value.as_string();
  model->evaluated_on_training = model->eval_rows == 0;
  return model;
}

}  // namespace visiondb::fn
