// Out-of-line parts of catalog.hpp.
#pragma once

#include "visiondb/common/error.hpp"
#include "visiondb/config.hpp"
#include "visiondb/storage/catalog.hpp"
#include "visiondb/storage/detail/text.hpp"

namespace visiondb {

VISIONDB_INLINE Catalog::Catalog() { datasets_[kDefaultDataset]; }

VISIONDB_INLINE std::map<std::string, std::shared_ptr<CatalogEntry>>& Catalog::Dataset::of(CatalogEntryKind k) {
  switch (group(k)) {
    case CatalogEntryKind::Model: return models;
    case CatalogEntryKind::Function: return functions;
    default: return relations;
  }
}
VISIONDB_INLINE const std::map<std::string, std::shared_ptr<CatalogEntry>>& Catalog::Dataset::of(
    CatalogEntryKind k) const {
  return const_cast<Dataset*>(this)->of(k);
}

VISIONDB_INLINE const Catalog::Dataset* Catalog::dataset(const std::string& name) const {
  const std::string& n = name.empty() ? std::string(kDefaultDataset) : name;
  if (auto it = datasets_.find(n); it != datasets_.end()) return &it->second;
  for (const auto& [k, v] : datasets_)
    if (detail::iequals(k, n)) return &v;
  return nullptr;
}
VISIONDB_INLINE Catalog::Dataset* Catalog::dataset(const std::string& name) {
  return const_cast<Dataset*>(static_cast<const Catalog*>(this)->dataset(name));
}

VISIONDB_INLINE void Catalog::create_dataset(const std::string& name, bool if_not_exists) {
  std::lock_guard lock(mutex_);
  if (dataset(name)) {
    if (if_not_exists) return;
    detail::throw_sql_error(ErrorKind::Constraint, "dataset \"" + name + "\" already exists");
  }
  datasets_[name];
}

VISIONDB_INLINE void Catalog::drop_dataset(const std::string& name, bool if_exists, bool cascade) {
  std::lock_guard lock(mutex_);
  Dataset* ds = dataset(name);
  if (!ds) {
    if (if_exists) return;
    detail::throw_sql_error(ErrorKind::Bind, "dataset \"" + name + "\" does not exist");
  }
  if (!ds->empty() && !cascade)
    detail::throw_sql_error(ErrorKind::Constraint,
                            "dataset \"" + name + "\" is not empty; use DROP SCHEMA ... CASCADE");
  for (auto it = datasets_.begin(); it != datasets_.end(); ++it)
    if (&it->second == ds) {
      datasets_.erase(it);
      break;
    }
  if (!dataset(kDefaultDataset)) datasets_[kDefaultDataset];
}

VISIONDB_INLINE bool Catalog::has_dataset(const std::string& name) const {
  std::lock_guard lock(mutex_);
  return dataset(name) != nullptr;
}

VISIONDB_INLINE std::vector<std::string> Catalog::datasets() const {
  std::lock_guard lock(mutex_);
  std::vector<std::string> out;
  for (const auto& [k, v] : datasets_) out.push_back(k);
  return out;
}

VISIONDB_INLINE void Catalog::create(std::shared_ptr<CatalogEntry> entry, bool replace, bool if_not_exists) {
  std::lock_guard lock(mutex_);
  const QualifiedName& qn = entry->name();
  Dataset* ds = dataset(qn.dataset);
  if (!ds) detail::throw_sql_error(ErrorKind::Bind, "dataset \"" + qn.dataset + "\" does not exist");
  auto& map = ds->of(entry->kind());
  auto it = map.find(qn.name);
  if (it != map.end()) {
    if (if_not_exists) return;
    if (!replace)
      detail::throw_sql_error(ErrorKind::Constraint, std::string(catalog_entry_kind_name(it->second->kind())) +
                                                         " \"" + qn.to_string() + "\" already exists");
    it->second = std::move(entry);
    return;
  }
  map.emplace(qn.name, std::move(entry));
}

VISIONDB_INLINE bool Catalog::drop(CatalogEntryKind kind, const QualifiedName& name, bool if_exists) {
  std::lock_guard lock(mutex_);
  Dataset* ds = dataset(name.dataset);
  auto missing = [&]() -> bool {
    if (if_exists) return false;
    detail::throw_sql_error(ErrorKind::Bind, std::string(catalog_entry_kind_name(kind)) + " \"" +
                                                 name.to_string() + "\" does not exist");
  };
  if (!ds) return missing();
  auto& map = ds->of(kind);
  auto it = map.find(name.name);
  if (it == map.end()) return missing();
  map.erase(it);
  return true;
}

VISIONDB_INLINE std::shared_ptr<CatalogEntry> Catalog::find(CatalogEntryKind kind, const QualifiedName& name) const {
  std::lock_guard lock(mutex_);
  const Dataset* ds = dataset(name.dataset);
  if (!ds) return nullptr;
  const auto& map = ds->of(kind);
  auto it = map.find(name.name);
  return it == map.end() ? nullptr : it->second;
}

VISIONDB_INLINE std::vector<std::shared_ptr<CatalogEntry>> Catalog::list(CatalogEntryKind kind) const {
  std::lock_guard lock(mutex_);
  std::vector<std::shared_ptr<CatalogEntry>> out;
  for (const auto& [dn, ds] : datasets_)
    for (const auto& [n, e] : ds.of(kind)) out.push_back(e);
  return out;
}

}  // namespace visiondb
