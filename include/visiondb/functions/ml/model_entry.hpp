// ModelEntry: a model in the catalog, whatever its type (a CNN over converted weights, a trained
// random forest). CREATE MODEL builds one through its model type (functions/ml/model_types.hpp);
// the ML.* table functions (functions/ml/model_functions.hpp) find it in their MODEL argument and
// let it bind the call, so each model type decides which ML.* functions it supports and what they
// return.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "visiondb/common/error.hpp"
#include "visiondb/common/progress.hpp"
#include "visiondb/execution/operator.hpp"
#include "visiondb/sql/bound_statement.hpp"
#include "visiondb/sql/function_interface.hpp"
#include "visiondb/storage/catalog_entry.hpp"

namespace visiondb::io {
class MountTable;
}

namespace visiondb::fn {

/// What CREATE MODEL hands a model type.
struct ModelBuildInput {
  QualifiedName name;
  std::string model_type;                 ///< upper-cased, as found in the model types list
  std::vector<sql::BoundOption> options;  ///< every OPTIONS entry (model_type too), names lower-case
  SourceSpan span;                        ///< the statement, for errors without a better place
  /// The AS query's result (training data); has_query is false for imported models.
  bool has_query = false;
  std::vector<std::string> names;
  std::vector<LogicalType> types;
  std::vector<exec::ChunkPtr> chunks;
  /// The session's progress callback (may be empty) and bucket mounts (model_path may be gs://).
  ProgressCallback progress;
  std::shared_ptr<const io::MountTable> mounts;
  /// The session's worker count.
  int threads = 1;

  /// The option of that (lower-case) name, or null.
  const sql::BoundOption* option(std::string_view name) const { return sql::find_option(options, name); }
};

class ModelEntry : public CatalogEntry {
 public:
  ModelEntry(QualifiedName name, std::string model_type)
      : CatalogEntry(CatalogEntryKind::Model, std::move(name)), model_type_(std::move(model_type)) {}

  /// "RESNET50", "RANDOM_FOREST_CLASSIFIER", ...
  const std::string& model_type() const noexcept { return model_type_; }

  /// Binds `function` ("ML.PREDICT", "ML.EVALUATE", ... upper-case) called with this model as
  /// args[0]. The default says the model type does not support the function.
  virtual std::shared_ptr<sql::BoundTableFunction> bind_function(std::string_view function,
                                                                 std::vector<sql::TableFunctionArgument>& args,
                                                                 SourceSpan span) const {
    (void)args;
    throw SqlError(ErrorKind::Bind,
                   std::string(function) + " does not support model \"" + name().to_string() + "\" of type " + model_type_,
                   span);
  }

  /// EXPORT MODEL: writes the model to `uri` (a path, file:// or a mounted gs:// URI); errors
  /// point at `span` (the uri option). The default says the model type cannot be exported.
  virtual void export_to(const std::string& uri, const io::MountTable* mounts, SourceSpan span) const {
    (void)uri;
    (void)mounts;
    throw SqlError(ErrorKind::InvalidArgument, "EXPORT MODEL does not support model \"" + name().to_string() + "\" of type " + model_type_,
                   span);
  }

  std::string describe() const override { return "model " + model_type_; }

 private:
  std::string model_type_;
};

}  // namespace visiondb::fn
