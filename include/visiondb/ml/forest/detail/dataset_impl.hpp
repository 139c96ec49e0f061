// FeatureTable and Labels: column checks, categorical encoding, class extraction.
#pragma once

#include <algorithm>
#include <cmath>
#include <string>
#include <unordered_map>

#include "visiondb/common/error.hpp"
#include "visiondb/ml/forest/dataset.hpp"

namespace visiondb::ml {

VISIONDB_INLINE void FeatureTable::check_rows(const std::string& name, size_t rows) {
  if (name.empty()) visiondb::detail::throw_invalid_argument("feature column name is empty");
  if (has_rows_ && rows != rows_)
    visiondb::detail::throw_invalid_argument("feature column \"" + name + "\" has " + std::to_string(rows) +
                                             " rows, expected " + std::to_string(rows_) + " like the columns before it");
  if (index_.count(name)) visiondb::detail::throw_invalid_argument("feature column \"" + name + "\" is given twice");
  index_.emplace(name, index_.size());
  rows_ = rows;
  has_rows_ = true;
}

VISIONDB_INLINE void FeatureTable::check_valid(const std::string& name, std::span<const uint8_t> valid, size_t rows) {
  if (!valid.empty() && valid.size() != rows)
    visiondb::detail::throw_invalid_argument("feature column \"" + name + "\": validity has " +
                                             std::to_string(valid.size()) + " entries for " + std::to_string(rows) + " rows");
}

VISIONDB_INLINE int64_t FeatureTable::find(std::string_view name) const noexcept {
  auto it = index_.find(std::string(name));
  return it == index_.end() ? -1 : static_cast<int64_t>(it->second);
}

VISIONDB_INLINE void FeatureTable::add_numeric(std::string name, std::span<const double> values, std::span<const uint8_t> valid) {
  check_valid(name, valid, values.size());
  check_rows(name, values.size());
  FeatureColumn c;
  c.name = std::move(name);
  c.f64 = values.data();
  c.valid = valid.empty() ? nullptr : valid.data();
  columns_.push_back(std::move(c));
}

VISIONDB_INLINE void FeatureTable::add_numeric(std::string name, std::span<const float> values, std::span<const uint8_t> valid) {
  check_valid(name, valid, values.size());
  check_rows(name, values.size());
  FeatureColumn c;
  c.name = std::move(name);
  c.f32 = values.data();
  c.valid = valid.empty() ? nullptr : valid.data();
  columns_.push_back(std::move(c));
}

VISIONDB_INLINE void FeatureTable::add_int64(std::string name, std::span<const int64_t> values, std::span<const uint8_t> valid) {
  auto owned = std::make_shared<std::vector<double>>(values.begin(), values.end());
  owned_.push_back(owned);
  add_numeric(std::move(name), std::span<const double>(*owned), valid);
}

VISIONDB_INLINE void FeatureTable::add_bool(std::string name, std::span<const uint8_t> values, std::span<const uint8_t> valid) {
  auto owned = std::make_shared<std::vector<double>>(values.size());
  for (size_t i = 0; i < values.size(); ++i) (*owned)[i] = values[i] ? 1.0 : 0.0;
  owned_.push_back(owned);
  add_numeric(std::move(name), std::span<const double>(*owned), valid);
}

VISIONDB_INLINE void FeatureTable::add_categorical(std::string name, std::span<const std::string_view> values,
                                                   std::span<const uint8_t> valid) {
  check_valid(name, valid, values.size());
  check_rows(name, values.size());
  auto codes = std::make_shared<std::vector<uint32_t>>(values.size());
  auto dict = std::make_shared<std::vector<std::string>>();
  std::unordered_map<std::string_view, uint32_t> index;
  for (size_t i = 0; i < values.size(); ++i) {
    if (!valid.empty() && !valid[i]) {
      (*codes)[i] = FeatureColumn::kNullCode;
      continue;
    }
    auto [it, inserted] = index.emplace(values[i], static_cast<uint32_t>(dict->size()));
    if (inserted) dict->emplace_back(values[i]);
    (*codes)[i] = it->second;
  }
  FeatureColumn c;
  c.name = std::move(name);
  c.kind = FeatureKind::Categorical;
  c.codes = std::move(codes);
  c.dictionary = std::move(dict);
  columns_.push_back(std::move(c));
}

namespace detail {
inline size_t array_rows(const std::string& name, size_t values, size_t width) {
  if (width == 0) visiondb::detail::throw_invalid_argument("array column \"" + name + "\" has width 0");
  if (values % width != 0)
    visiondb::detail::throw_invalid_argument("array column \"" + name + "\" has " + std::to_string(values) +
                                             " values, not a multiple of its width " + std::to_string(width));
  return values / width;
}
}  // namespace detail

VISIONDB_INLINE void FeatureTable::add_array(std::string name, std::span<const double> values, size_t width,
                                             std::span<const uint8_t> valid) {
  size_t rows = detail::array_rows(name, values.size(), width);
  check_valid(name, valid, rows);
  for (size_t e = 0; e < width; ++e) {
    FeatureColumn c;
    c.name = name + "[" + std::to_string(e) + "]";
    check_rows(c.name, rows);
    c.f64 = values.data() + e;
    c.stride = width;
    c.valid = valid.empty() ? nullptr : valid.data();
    columns_.push_back(std::move(c));
  }
}

VISIONDB_INLINE void FeatureTable::add_array(std::string name, std::span<const float> values, size_t width,
                                             std::span<const uint8_t> valid) {
  size_t rows = detail::array_rows(name, values.size(), width);
  check_valid(name, valid, rows);
  for (size_t e = 0; e < width; ++e) {
    FeatureColumn c;
    c.name = name + "[" + std::to_string(e) + "]";
    check_rows(c.name, rows);
    c.f32 = values.data() + e;
    c.stride = width;
    c.valid = valid.empty() ? nullptr : valid.data();
    columns_.push_back(std::move(c));
  }
}

VISIONDB_INLINE void FeatureTable::add_array(std::string name, std::span<const double> values, std::span<const size_t> offsets,
                                             std::span<const uint8_t> valid) {
  if (offsets.empty()) visiondb::detail::throw_invalid_argument("array column \"" + name + "\": offsets are empty");
  size_t rows = offsets.size() - 1;
  check_valid(name, valid, rows);
  size_t width = 0;
  bool have_width = false;
  for (size_t i = 0; i < rows; ++i) {
    if (offsets[i + 1] < offsets[i] || offsets[i + 1] > values.size())
      visiondb::detail::throw_invalid_argument("array column \"" + name + "\": bad offsets at row " + std::to_string(i));
    if (!valid.empty() && !valid[i]) continue;
    size_t len = offsets[i + 1] - offsets[i];
    if (!have_width) {
      width = len;
      have_width = true;
    } else if (len != width) {
      visiondb::detail::throw_invalid_argument("array column \"" + name + "\" row " + std::to_string(i) + " has " +
                                               std::to_string(len) + " elements, expected " + std::to_string(width) +
                                               " like the rows before it");
    }
  }
  if (!have_width || width == 0)
    visiondb::detail::throw_invalid_argument("array column \"" + name + "\" has no non-empty, non-NULL row");
  auto dense = std::make_shared<std::vector<double>>(rows * width, std::numeric_limits<double>::quiet_NaN());
  for (size_t i = 0; i < rows; ++i) {
    if (!valid.empty() && !valid[i]) continue;
    std::copy(values.begin() + static_cast<ptrdiff_t>(offsets[i]), values.begin() + static_cast<ptrdiff_t>(offsets[i + 1]),
              dense->begin() + static_cast<ptrdiff_t>(i * width));
  }
  owned_.push_back(dense);
  add_array(std::move(name), std::span<const double>(*dense), width, {});
}

VISIONDB_INLINE Labels Labels::classes(std::string column, std::span<const std::string_view> values, std::span<const uint8_t> valid) {
  Labels l;
  l.column_ = std::move(column);
  l.classification_ = true;
  std::vector<std::string_view> distinct;
  for (size_t i = 0; i < values.size(); ++i) {
    if (!valid.empty() && !valid[i])
      visiondb::detail::throw_invalid_argument("label column \"" + l.column_ + "\" is NULL at row " + std::to_string(i));
    distinct.push_back(values[i]);
  }
  std::sort(distinct.begin(), distinct.end());
  distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
  std::unordered_map<std::string_view, int32_t> index;
  for (size_t k = 0; k < distinct.size(); ++k) {
    l.class_names_.emplace_back(distinct[k]);
    index.emplace(distinct[k], static_cast<int32_t>(k));
  }
  l.class_index_.resize(values.size());
  for (size_t i = 0; i < values.size(); ++i) l.class_index_[i] = index.at(values[i]);
  return l;
}

VISIONDB_INLINE Labels Labels::classes(std::string column, std::span<const int64_t> values, std::span<const uint8_t> valid) {
  Labels l;
  l.column_ = std::move(column);
  l.classification_ = true;
  std::vector<int64_t> distinct;
  for (size_t i = 0; i < values.size(); ++i) {
    if (!valid.empty() && !valid[i])
      visiondb::detail::throw_invalid_argument("label column \"" + l.column_ + "\" is NULL at row " + std::to_string(i));
    distinct.push_back(values[i]);
  }
  std::sort(distinct.begin(), distinct.end());
  distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
  for (int64_t v : distinct) l.class_names_.push_back(std::to_string(v));
  l.class_index_.resize(values.size());
  for (size_t i = 0; i < values.size(); ++i)
    l.class_index_[i] = static_cast<int32_t>(std::lower_bound(distinct.begin(), distinct.end(), values[i]) - distinct.begin());
  return l;
}

VISIONDB_INLINE Labels Labels::numeric(std::string column, std::span<const double> values, std::span<const uint8_t> valid) {
  Labels l;
  l.column_ = std::move(column);
  l.values_.assign(values.begin(), values.end());
  for (size_t i = 0; i < values.size(); ++i)
    if ((!valid.empty() && !valid[i]) || !std::isfinite(values[i]))
      visiondb::detail::throw_invalid_argument("label column \"" + l.column_ + "\" is " +
                                               ((!valid.empty() && !valid[i]) || std::isnan(values[i]) ? "NULL" : "infinite") +
                                               " at row " + std::to_string(i));
  return l;
}

}  // namespace visiondb::ml
