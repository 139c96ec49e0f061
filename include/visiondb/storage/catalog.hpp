// Catalog: datasets (BigQuery's name for schemas) and the entries in them. Thread-safe; entries
// are shared pointers, so a running query keeps what it uses alive across DROP/REPLACE.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "visiondb/storage/catalog_entry.hpp"

namespace visiondb {

class Catalog {
 public:
  /// The dataset of unqualified names.
  static constexpr const char* kDefaultDataset = "main";

  Catalog();

  /// CREATE SCHEMA. Throws Constraint when it exists, unless if_not_exists.
  void create_dataset(const std::string& name, bool if_not_exists = false);
  /// DROP SCHEMA. Throws when missing (unless if_exists) or not empty (unless cascade).
  void drop_dataset(const std::string& name, bool if_exists = false, bool cascade = false);
  bool has_dataset(const std::string& name) const;
  std::vector<std::string> datasets() const;

  /// Adds an entry. An existing one of the same name is replaced when `replace`, kept silently when
  /// `if_not_exists`, and otherwise an error. Models, tables and functions share a namespace per kind
  /// class: tables/views/external tables share one, models one, functions one.
  void create(std::shared_ptr<CatalogEntry> entry, bool replace = false, bool if_not_exists = false);
  /// Removes an entry of that kind group; throws when missing unless if_exists. Returns whether removed.
  bool drop(CatalogEntryKind kind, const QualifiedName& name, bool if_exists = false);
  /// The entry of that kind group and name, or null. Names are case-sensitive (BigQuery's rule),
  /// except that a dataset is found case-insensitively when the exact spelling does not exist.
  std::shared_ptr<CatalogEntry> find(CatalogEntryKind kind, const QualifiedName& name) const;
  /// Every entry of a kind group, sorted by dataset then name.
  std::vector<std::shared_ptr<CatalogEntry>> list(CatalogEntryKind kind) const;

  /// The namespace group of a kind: Table, View and ExternalTable share one (returns Table).
  static CatalogEntryKind group(CatalogEntryKind k) noexcept {
    return (k == CatalogEntryKind::View || k == CatalogEntryKind::ExternalTable) ? CatalogEntryKind::Table : k;
  }

 private:
  struct Dataset {
    std::map<std::string, std::shared_ptr<CatalogEntry>> relations, models, functions;
    std::map<std::string, std::shared_ptr<CatalogEntry>>& of(CatalogEntryKind k);
    const std::map<std::string, std::shared_ptr<CatalogEntry>>& of(CatalogEntryKind k) const;
    bool empty() const { return relations.empty() && models.empty() && functions.empty(); }
  };
  const Dataset* dataset(const std::string& name) const;  // requires mutex_
  Dataset* dataset(const std::string& name);

  mutable std::mutex mutex_;
  std::map<std::string, Dataset> datasets_;
};

}  // namespace visiondb

#ifndef VISIONDB_SEPARATE_COMPILATION
#include "visiondb/storage/detail/catalog_impl.hpp"
#endif
