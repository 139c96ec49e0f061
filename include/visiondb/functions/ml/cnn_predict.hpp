// ML.PREDICT over a CNN model: ML.PREDICT(MODEL m, TABLE t | (query) [, STRUCT(n AS batch_size)]).
// The input columns pass through; the model's outputs are added (logits, probabilities, the pooled
// embedding, the top label and its index), and only those the query uses are computed. Each input
// chunk is cut into batches: decoding and preprocessing of batch k+1 run while the network runs on
// batch k. A NULL input gives NULL outputs. Progress (rows, rate, ETA) goes to the session's callback.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "visiondb/config.hpp"
#include "visiondb/execution/operator.hpp"
#include "visiondb/functions/ml/cnn_model.hpp"
#include "visiondb/sql/function_interface.hpp"

namespace visiondb::fn {

class CnnPredict final : public sql::BoundTableFunction {
 public:
  /// Checks the arguments (a table holding the model's input column, of type IMAGE or BYTES; an
  /// optional STRUCT of settings); throws SqlError (Bind, Type) naming the argument.
  CnnPredict(std::shared_ptr<const CnnModel> model, std::vector<sql::TableFunctionArgument>& args, SourceSpan span);

  void set_used_columns(const std::vector<size_t>& used) override;
  std::unique_ptr<sql::TableFunctionState> make_state(exec::ExecContext& ctx) const override;
  void execute(const Chunk* input, sql::TableFunctionState* state, std::vector<Chunk>& out) const override;
  void finish(exec::ExecContext& ctx) const override;
  /// "RESNET50 224x224, computes embedding, batch 16, 7 images run".
  std::string explain() const override;

  /// What the network must compute for the used columns.
  models::OutputRequest request() const noexcept { return request_; }
  int batch_size() const noexcept { return batch_size_; }

 private:
  struct Run;  // one execution's progress, shared by its workers
  struct State;
  enum Output { kLogits, kProbabilities, kEmbedding, kLabel, kLabelIndex, kOutputCount };

  std::shared_ptr<const CnnModel> model_;
  size_t pass_columns_ = 0;  // input columns, passed through first
  size_t input_column_ = 0;
  bool input_is_image_ = true;
  int uri_column_ = -1;                    // names undecodable BYTES in errors when present
  int output_index_[kOutputCount] = {};    // column index of each output, -1 when absent
  bool used_[kOutputCount] = {};
  bool used_columns_set_ = false;
  models::OutputRequest request_;
  int batch_size_ = 16;
  std::string task_;

  mutable std::atomic<uint64_t> images_run_{0};
  mutable std::mutex run_mutex_;
  mutable std::shared_ptr<Run> run_;
  // The execution run_ belongs to, by its source-progress object: a weak pointer cannot be
  // mistaken for a later execution's (a run that failed never reached finish()).
  mutable std::weak_ptr<exec::SourceProgress> run_key_;
};

}  // namespace visiondb::fn

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/functions/ml/detail/cnn_model_impl.hpp"
#include "visiondb/functions/ml/detail/cnn_predict_impl.hpp"
#endif
