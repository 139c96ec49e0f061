// FeatureTable and Labels: how training and scoring data reach the forest, column by column, as
// the SQL engine holds it. Numeric columns are views (no copy) of the caller's memory, which must
// outlive the call that uses the table; categorical (STRING) columns are encoded on arrival.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "visiondb/config.hpp"

namespace visiondb::ml {

/// The kind of one input feature.
enum class FeatureKind : uint8_t {
  Numeric,      ///< FLOAT64, INT64, BOOL, or one element of an ARRAY<FLOAT64>
  Categorical,  ///< STRING
};

/// One feature: a strided numeric view or a dictionary-encoded string column.
struct FeatureColumn {
  std::string name;
  FeatureKind kind = FeatureKind::Numeric;
  // Numeric: element i is f64[i * stride] or f32[i * stride]; NaN or valid[i] == 0 is NULL.
  const double* f64 = nullptr;
  const float* f32 = nullptr;
  size_t stride = 1;
  const uint8_t* valid = nullptr;
  // Categorical: codes[i] indexes dictionary; kNullCode is NULL.
  std::shared_ptr<const std::vector<uint32_t>> codes;
  std::shared_ptr<const std::vector<std::string>> dictionary;
  static constexpr uint32_t kNullCode = 0xFFFFFFFFu;

  /// Value of row i (NaN for NULL); numeric columns only.
  double numeric(size_t i) const noexcept {
    if (valid && !valid[i]) return std::numeric_limits<double>::quiet_NaN();
    return f64 ? f64[i * stride] : static_cast<double>(f32[i * stride]);
  }
};

/// The input columns of a training or scoring call. Every column has the same number of rows.
class FeatureTable {
 public:
  /// A FLOAT64 column (NaN, or valid[i] == 0, is NULL).
  void add_numeric(std::string name, std::span<const double> values, std::span<const uint8_t> valid = {});
  /// A FLOAT32 column (used by benchmarks and dense matrices).
  void add_numeric(std::string name, std::span<const float> values, std::span<const uint8_t> valid = {});
  /// An INT64 column (copied to doubles).
  void add_int64(std::string name, std::span<const int64_t> values, std::span<const uint8_t> valid = {});
  /// A BOOL column as 0/1 (copied to doubles).
  void add_bool(std::string name, std::span<const uint8_t> values, std::span<const uint8_t> valid = {});
  /// A STRING column, a categorical feature (valid[i] == 0 is NULL).
  void add_categorical(std::string name, std::span<const std::string_view> values, std::span<const uint8_t> valid = {});
  /// An ARRAY<FLOAT64> column of fixed width, row-major (rows * width values): one feature per
  /// element, named "name[0]", "name[1]", ...; a NULL row (valid[i] == 0) makes every element NULL.
  void add_array(std::string name, std::span<const double> values, size_t width, std::span<const uint8_t> valid = {});
  /// The same from float32 (a dense row-major matrix is an array column).
  void add_array(std::string name, std::span<const float> values, size_t width, std::span<const uint8_t> valid = {});
  /// An ARRAY<FLOAT64> column of ragged rows given by offsets (rows + 1 entries): every non-NULL
  /// row must have the same length, else InvalidArgument names the column and the row.
  void add_array(std::string name, std::span<const double> values, std::span<const size_t> offsets,
                 std::span<const uint8_t> valid = {});

  size_t rows() const noexcept { return rows_; }
  size_t features() const noexcept { return columns_.size(); }
  const FeatureColumn& column(size_t f) const noexcept { return columns_[f]; }
  const std::vector<FeatureColumn>& columns() const noexcept { return columns_; }
  /// Index of the feature with this name, or -1.
  int64_t find(std::string_view name) const noexcept;

 private:
  void check_rows(const std::string& name, size_t rows);
  void check_valid(const std::string& name, std::span<const uint8_t> valid, size_t rows);
  std::vector<FeatureColumn> columns_;
  std::vector<std::shared_ptr<std::vector<double>>> owned_;  // converted INT64/BOOL/ragged columns
  std::unordered_map<std::string, size_t> index_;  // name -> feature
  size_t rows_ = 0;
  bool has_rows_ = false;
};

/// The label column: string classes (a classifier) or numbers (a regressor).
class Labels {
 public:
  /// Class labels as strings; a NULL label (valid[i] == 0) is an error naming the row.
  static Labels classes(std::string column, std::span<const std::string_view> values, std::span<const uint8_t> valid = {});
  /// Integer class labels (INT64/BOOL columns); class names are the decimal numbers, in numeric order.
  static Labels classes(std::string column, std::span<const int64_t> values, std::span<const uint8_t> valid = {});
  /// Numeric targets; NULL or NaN is an error naming the row.
  static Labels numeric(std::string column, std::span<const double> values, std::span<const uint8_t> valid = {});

  bool is_classification() const noexcept { return !class_names_.empty() || classification_; }
  const std::string& column() const noexcept { return column_; }
  size_t rows() const noexcept { return is_classification() ? class_index_.size() : values_.size(); }
  /// Class names, sorted (lexicographically for strings, numerically for integers).
  const std::vector<std::string>& class_names() const noexcept { return class_names_; }
  /// Class of each row, an index into class_names().
  const std::vector<int32_t>& class_index() const noexcept { return class_index_; }
  /// Regression targets.
  const std::vector<double>& values() const noexcept { return values_; }

 private:
  std::string column_;
  bool classification_ = false;
  std::vector<std::string> class_names_;
  std::vector<int32_t> class_index_;
  std::vector<double> values_;
};

}  // namespace visiondb::ml

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/ml/forest/detail/dataset_impl.hpp"
#endif
