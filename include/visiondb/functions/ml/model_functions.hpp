// The ML.* table functions over a MODEL argument: ML.PREDICT, ML.EVALUATE, ML.CONFUSION_MATRIX,
// ML.ROC_CURVE, ML.FEATURE_IMPORTANCE, ML.TRAINING_INFO. Each checks that its first argument is a
// model and lets the model's entry bind the call (ModelEntry::bind_function).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "visiondb/functions/ml/model_entry.hpp"
#include "visiondb/sql/function_interface.hpp"

namespace visiondb::fn {

class ModelTableFunction final : public sql::TableFunction {
 public:
  /// `name` as SQL writes it: "ML.PREDICT".
  explicit ModelTableFunction(std::string name) : TableFunction(std::move(name)) {}
  std::shared_ptr<sql::BoundTableFunction> bind(std::vector<sql::TableFunctionArgument>& args,
                                                SourceSpan span) const override {
    if (args.empty() || args[0].kind != sql::TableFunctionArgument::Kind::Model)
      throw SqlError(ErrorKind::Bind, name() + " takes a model first: " + name() + "(MODEL m, ...)",
                     args.empty() ? span : args[0].span);
    auto entry = std::static_pointer_cast<const CatalogEntry>(args[0].entry);
    const auto* model = dynamic_cast<const ModelEntry*>(entry.get());
    if (!model) throw SqlError(ErrorKind::Bind, "\"" + args[0].entry_name + "\" is not a model", args[0].span);
    return model->bind_function(name(), args, span);
  }
};

/// The names of the ML.* functions that take a model, with their documentation line.
struct ModelFunctionName {
  const char* name;
  const char* doc;
};
inline constexpr ModelFunctionName kModelFunctions[] = {
    {"ML.PREDICT", "ML.PREDICT(MODEL m, TABLE t | (query) [, STRUCT(...)]): the input rows with the model's outputs"},
    {"ML.EVALUATE", "ML.EVALUATE(MODEL m [, TABLE t | (query)] [, STRUCT(...)]): the model's metrics"},
    {"ML.CONFUSION_MATRIX", "ML.CONFUSION_MATRIX(MODEL m [, TABLE t | (query)]): counts per expected and predicted label"},
    {"ML.ROC_CURVE", "ML.ROC_CURVE(MODEL m [, TABLE t | (query)] [, GENERATE_ARRAY(...)]): a binary classifier's ROC curve"},
    {"ML.FEATURE_IMPORTANCE", "ML.FEATURE_IMPORTANCE(MODEL m): the importance of each feature"},
    {"ML.TRAINING_INFO", "ML.TRAINING_INFO(MODEL m): one row per training iteration with its loss and time"},
};

}  // namespace visiondb::fn
