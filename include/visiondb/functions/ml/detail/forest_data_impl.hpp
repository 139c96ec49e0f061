// SQL chunks to forest features.
#pragma once

#include <cmath>
#include <limits>
#include <string_view>

#include "visiondb/functions/ml/forest_data.hpp"
#include "visiondb/storage/detail/text.hpp"

namespace visiondb::fn {

VISIONDB_INLINE ForestInput::Kind forest_feature_kind(const std::string& name, const LogicalType& type, SourceSpan span) {
  switch (type.id()) {
    case TypeId::Int64:
    case TypeId::Float64:
    case TypeId::Bool: return ForestInput::Kind::Number;
    case TypeId::String: return ForestInput::Kind::Category;
    case TypeId::Array:
      if (type.element().id() == TypeId::Float64 || type.element().id() == TypeId::Int64) return ForestInput::Kind::Array;
      break;
    default: break;
  }
  throw SqlError(ErrorKind::Type,
                 "column \"" + name + "\" of type " + type.to_string() +
                     " cannot be a random forest feature: features are INT64, FLOAT64, BOOL, STRING or ARRAY<FLOAT64>"
                     " (leave it out with SELECT * EXCEPT(" + name + "))",
                 span);
}

VISIONDB_INLINE std::vector<size_t> match_forest_inputs(const std::vector<ForestInput>& inputs,
                                                        const std::vector<std::string>& names,
                                                        const std::vector<LogicalType>& types, const std::string& function,
                                                        SourceSpan span) {
  std::vector<size_t> out;
  for (const auto& in : inputs) {
    size_t found = names.size();
    for (size_t c = 0; c < names.size() && found == names.size(); ++c)
      if (visiondb::detail::iequals(names[c], in.name)) found = c;
    if (found == names.size())
      throw SqlError(ErrorKind::Bind, function + ": the input has no column \"" + in.name + "\", a feature of the model", span);
    const TypeId t = types[found].id();
    bool fits = false;
    switch (in.kind) {
      case ForestInput::Kind::Number: fits = t == TypeId::Int64 || t == TypeId::Float64 || t == TypeId::Bool; break;
      case ForestInput::Kind::Category: fits = t == TypeId::String; break;
      case ForestInput::Kind::Array:
        fits = t == TypeId::Array &&
               (types[found].element().id() == TypeId::Float64 || types[found].element().id() == TypeId::Int64);
        break;
    }
    if (!fits) {
      const char* expected = in.kind == ForestInput::Kind::Number ? "INT64, FLOAT64 or BOOL"
                             : in.kind == ForestInput::Kind::Category ? "STRING"
                                                                      : "ARRAY<FLOAT64>";
      throw SqlError(ErrorKind::Type,
                     function + ": column \"" + in.name + "\" is " + types[found].to_string() + " but the model was trained on " +
                         expected,
                     span);
    }
    out.push_back(found);
  }
  return out;
}

namespace forest_detail {
inline float element_at(const Column& child, int64_t i) {
  return child.type().id() == TypeId::Float64 ? static_cast<float>(child.data<double>()[i])
                                              : static_cast<float>(child.data<int64_t>()[i]);
}
}  // namespace forest_detail

VISIONDB_INLINE std::unique_ptr<ForestFeatures> read_forest_features(std::vector<ForestInput>& inputs,
                                                                     const std::vector<size_t>& columns,
                                                                     const std::vector<Chunk>& chunks) {
  auto f = std::make_unique<ForestFeatures>();
  size_t rows = 0;
  for (const auto& c : chunks) rows += c.size();
  f->numbers.reserve(inputs.size());
  f->valid.reserve(inputs.size());
  std::vector<std::string_view> texts;
  for (size_t k = 0; k < inputs.size(); ++k) {
    ForestInput& in = inputs[k];
    const size_t col = columns[k];
    auto& valid = f->valid.emplace_back(rows, uint8_t{1});
    auto& numbers = f->numbers.emplace_back();
    bool any_null = false;
    if (in.kind == ForestInput::Kind::Number) {
      numbers.resize(rows);
      size_t r = 0;
      for (const auto& c : chunks) {
        const Column& x = c.column(col);
        const TypeId t = x.type().id();
        for (size_t i = 0; i < c.size(); ++i, ++r) {
          if (x.is_null(i)) {
            valid[r] = 0;
            any_null = true;
            numbers[r] = std::numeric_limits<float>::quiet_NaN();
          } else {
            numbers[r] = t == TypeId::Float64 ? static_cast<float>(x.data<double>()[i])
                         : t == TypeId::Int64 ? static_cast<float>(x.data<int64_t>()[i])
                                              : static_cast<float>(x.data<uint8_t>()[i] != 0);
          }
        }
      }
      f->table.add_numeric(in.name, std::span<const float>(numbers),
                           any_null ? std::span<const uint8_t>(valid) : std::span<const uint8_t>());
    } else if (in.kind == ForestInput::Kind::Category) {
      texts.assign(rows, std::string_view());
      size_t r = 0;
      for (const auto& c : chunks) {
        const Column& x = c.column(col);
        for (size_t i = 0; i < c.size(); ++i, ++r) {
          if (x.is_null(i)) {
            valid[r] = 0;
            any_null = true;
          } else {
            texts[r] = x.string_at(i);
          }
        }
      }
      f->table.add_categorical(in.name, std::span<const std::string_view>(texts),
                               any_null ? std::span<const uint8_t>(valid) : std::span<const uint8_t>());
    } else {
      if (in.width == 0) {
        for (const auto& c : chunks) {
          const Column& x = c.column(col);
          for (size_t i = 0; i < c.size() && in.width == 0; ++i)
            if (!x.is_null(i)) in.width = x.array_length(i);
          if (in.width) break;
        }
        if (in.width == 0)
          throw SqlError(ErrorKind::InvalidArgument,
                         "array column \"" + in.name + "\" has no non-empty row: its width (features per row) is unknown");
      }
      const size_t w = in.width;
      if (chunks.size() == 1) {
        // One chunk (ML.PREDICT's) of rows of the right width without NULLs: the FeatureTable
        // views the column's doubles in place, no copy.
        const Column& x = chunks[0].column(col);
        const Column& child = x.child();
        const int64_t* off = x.offsets();
        bool dense = x.validity().all_valid() && child.validity().all_valid() && child.type().id() == TypeId::Float64;
        for (size_t i = 0; dense && i < rows; ++i) dense = static_cast<size_t>(off[i + 1] - off[i]) == w;
        if (dense) {
          f->table.add_array(in.name, std::span<const double>(child.data<double>() + off[0], rows * w), w);
          continue;
        }
      }
      numbers.assign(rows * w, std::numeric_limits<float>::quiet_NaN());
      size_t r = 0;
      for (const auto& c : chunks) {
        const Column& x = c.column(col);
        const Column& child = x.child();
        for (size_t i = 0; i < c.size(); ++i, ++r) {
          if (x.is_null(i)) {
            valid[r] = 0;
            any_null = true;
            continue;
          }
          auto [b, e] = x.array_range(i);
          if (static_cast<size_t>(e - b) != w)
            throw SqlError(ErrorKind::InvalidArgument, "array column \"" + in.name + "\" has " + std::to_string(e - b) +
                                                           " elements at row " + std::to_string(r) + ", expected " +
                                                           std::to_string(w) + " as in the model's training data");
          float* out = numbers.data() + r * w;
          if (child.validity().all_valid())
            for (int64_t j = b; j < e; ++j) out[j - b] = forest_detail::element_at(child, j);
          else
            for (int64_t j = b; j < e; ++j)
              out[j - b] = child.is_null(static_cast<size_t>(j)) ? std::numeric_limits<float>::quiet_NaN()
                                                                 : forest_detail::element_at(child, j);
        }
      }
      f->table.add_array(in.name, std::span<const float>(numbers), w,
                         any_null ? std::span<const uint8_t>(valid) : std::span<const uint8_t>());
    }
  }
  return f;
}

VISIONDB_INLINE std::string forest_class_name(const Column& column, size_t row) {
  switch (column.type().id()) {
    case TypeId::String: return std::string(column.string_at(row));
    case TypeId::Int64: return std::to_string(column.data<int64_t>()[row]);
    case TypeId::Bool: return column.data<uint8_t>()[row] ? "1" : "0";
    default: return column.get(row).to_string();
  }
}

}  // namespace visiondb::fn
