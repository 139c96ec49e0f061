// CatalogEntry: the base of everything a dataset holds (tables, external tables, views, models,
// functions), and QualifiedName, the dataset.name pair that addresses it.
#pragma once

#include <string>
#include <string_view>

namespace visiondb {

/// dataset.name; a project part in SQL (`proj.ds.t`) is dropped by the binder.
struct QualifiedName {
  std::string dataset;
  std::string name;
  std::string to_string() const { return dataset.empty() ? name : dataset + "." + name; }
  friend bool operator==(const QualifiedName&, const QualifiedName&) = default;
};

enum class CatalogEntryKind { Table, ExternalTable, View, Model, Function };

/// "table", "external table", "view", "model", "function".
constexpr std::string_view catalog_entry_kind_name(CatalogEntryKind k) noexcept {
  switch (k) {
    case CatalogEntryKind::Table: return "table";
    case CatalogEntryKind::ExternalTable: return "external table";
    case CatalogEntryKind::View: return "view";
    case CatalogEntryKind::Model: return "model";
    case CatalogEntryKind::Function: return "function";
  }
  return "entry";
}

class CatalogEntry {
 public:
  CatalogEntry(CatalogEntryKind kind, QualifiedName name) : kind_(kind), name_(std::move(name)) {}
  virtual ~CatalogEntry() = default;
  CatalogEntryKind kind() const noexcept { return kind_; }
  const QualifiedName& name() const noexcept { return name_; }
  /// One line for listings (.tables, .models): its kind and shape.
  virtual std::string describe() const = 0;

 private:
  CatalogEntryKind kind_;
  QualifiedName name_;
};

}  // namespace visiondb
