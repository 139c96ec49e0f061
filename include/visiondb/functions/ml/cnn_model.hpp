// CnnModel: an image network in the catalog (CREATE MODEL m OPTIONS(model_type = 'RESNET50' |
// 'INCEPTION_V3', model_path = '...vdbw', ...)). The weights file is opened (mmap) and the network
// built once, at CREATE MODEL; ML.PREDICT (functions/ml/cnn_predict.hpp) then runs it over images.
// The OPTIONS name the input column and each output column, so that a query written for another
// system's names (BigQuery's `input_1` / `activation_49`, MLDB's `pool_3`) runs as is.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "visiondb/config.hpp"
#include "visiondb/functions/ml/model_entry.hpp"
#include "visiondb/image/preprocess.hpp"
#include "visiondb/models/network.hpp"
#include "visiondb/nn/weights_file.hpp"

namespace visiondb::fn {

/// The columns and settings a CNN model's OPTIONS choose. An empty output name drops that output.
struct CnnModelOptions {
  std::string input_column = "image";
  std::string logits_column = "logits";
  std::string probabilities_column = "probabilities";
  std::string embedding_column = "embedding";
  std::string label_column = "predicted_label";  ///< only when the weights carry labels
  std::string label_index_column = "predicted_label_index";
  int batch_size = 16;  ///< images per network call
  models::Precision precision = models::Precision::Fp32;
  bool winograd = false;  ///< Winograd for the 3 x 3 stride-1 convolutions (faster, rounds differently)
};

class CnnModel final : public ModelEntry {
 public:
  CnnModel(QualifiedName name, std::string model_type, std::string path, std::unique_ptr<nn::WeightsFile> weights,
           std::unique_ptr<models::Network> network, CnnModelOptions options);

  /// The resolved local path of the weights file.
  const std::string& path() const noexcept { return path_; }
  const nn::WeightsMetadata& metadata() const noexcept { return weights_->metadata(); }
  const models::Network& network() const noexcept { return *network_; }
  const CnnModelOptions& options() const noexcept { return options_; }
  /// The network's own preprocessing (resize, center crop, normalisation), torchvision's numerics.
  const img::PreprocessParams& preprocessing() const noexcept { return preprocess_; }
  bool has_labels() const noexcept { return !metadata().labels.empty(); }

  std::shared_ptr<sql::BoundTableFunction> bind_function(std::string_view function,
                                                         std::vector<sql::TableFunctionArgument>& args,
                                                         SourceSpan span) const override;
  /// "RESNET50: resnet50, input 224x224 (resize 256), 1000 classes, embedding 2048, labels yes, 'path'".
  std::string describe() const override;

  /// Images that went through the trunk / through the classifier since the model was created
  /// (what ML.PREDICT computed: an embedding-only query leaves the second unchanged).
  uint64_t images_embedded() const noexcept { return images_embedded_.load(); }
  uint64_t images_classified() const noexcept { return images_classified_.load(); }
  void count_run(uint64_t images, bool classified) const noexcept {
    images_embedded_.fetch_add(images, std::memory_order_relaxed);
    if (classified) images_classified_.fetch_add(images, std::memory_order_relaxed);
  }

 private:
  std::string path_;
  std::unique_ptr<nn::WeightsFile> weights_;  // the network keeps repacked copies; the map stays for the labels
  std::unique_ptr<models::Network> network_;
  CnnModelOptions options_;
  img::PreprocessParams preprocess_;
  mutable std::atomic<uint64_t> images_embedded_{0}, images_classified_{0};
};

/// The model types' builder for RESNET50 and INCEPTION_V3 (model_types.hpp lists it).
std::shared_ptr<ModelEntry> build_cnn_model(const ModelBuildInput& in);

/// The option names a CNN model accepts, for errors and docs.
inline constexpr const char* kCnnModelOptionNames[] = {
    "model_type",       "model_path",         "input_column",       "logits_column", "probabilities_column",
    "embedding_column", "label_column",       "label_index_column", "batch_size",    "precision",
    "winograd"};

}  // namespace visiondb::fn

#ifndef VISIONDB_SEPARATE_COMPILATION
// The implementation needs CnnPredict: cnn_predict.hpp includes both implementations.
#include "visiondb/functions/ml/cnn_predict.hpp"
#endif
