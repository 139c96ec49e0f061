// Out-of-line parts of operators/table_scan.hpp.
#pragma once

#include <algorithm>
#include <functional>

#include "visiondb/config.hpp"
#include "visiondb/execution/expression_executor.hpp"
#include "visiondb/execution/operators/table_scan.hpp"

namespace visiondb::exec {

VISIONDB_INLINE TableScanOp::TableScanOp(std::string name, std::shared_ptr<const SourceSnapshot> snapshot,
                                         std::vector<size_t> scan_columns, std::vector<std::string> column_names,
                                         std::vector<LogicalType> scan_types, std::vector<ExprUPtr> filters,
                                         std::vector<size_t> outputs)
    : Operator(OperatorKind::TableScan, [&] {
        std::vector<LogicalType> t;
        for (size_t o : outputs) t.push_back(scan_types[o]);
        return t;
      }()),
      name_(std::move(name)),
      snapshot_(std::move(snapshot)),
      scan_columns_(std::move(scan_columns)),
      column_names_(std::move(column_names)),
      scan_types_(std::move(scan_types)),
      filters_(std::move(filters)),
      outputs_(std::move(outputs)) {
  lazy_.assign(scan_columns_.size(), 0);
  for (size_t i = 0; i < scan_columns_.size(); ++i) lazy_[i] = snapshot_->is_lazy(scan_columns_[i]) ? 1 : 0;
  filter_columns_.resize(filters_.size());
  std::vector<uint8_t> touches_lazy(filters_.size(), 0);
  for (size_t k = 0; k < filters_.size(); ++k) {
    std::vector<uint8_t> seen(scan_columns_.size(), 0);
    std::function<void(const Expr&)> mark = [&](const Expr& e) {
      if (e.kind == BoundExprKind::ColumnRef && !seen[e.column]) {
        seen[e.column] = 1;
        filter_columns_[k].push_back(e.column);
        touches_lazy[k] |= lazy_[e.column];
      }
      for (const auto& c : e.children) mark(*c);
    };
    mark(*filters_[k]);
  }
  // Filters over cheap columns first, so that expensive (lazy) ones are read for fewer rows.
  for (size_t k = 0; k < filters_.size(); ++k) filter_order_.push_back(k);
  std::stable_sort(filter_order_.begin(), filter_order_.end(),
                   [&](size_t a, size_t b) { return touches_lazy[a] < touches_lazy[b]; });
}

VISIONDB_INLINE std::string TableScanOp::describe() const {
  std::string out = "TABLE_SCAN " + name_ + " [";
  for (size_t i = 0; i < outputs_.size(); ++i) out += (i ? ", " : "") + column_names_[outputs_[i]];
  out += "]";
  if (!filters_.empty()) {
    out += " filters: ";
    for (size_t i = 0; i < filters_.size(); ++i) out += (i ? " AND " : "") + filters_[i]->text;
  }
  if (row_limit_ != SIZE_MAX) out += " limit: " + std::to_string(row_limit_);
  if (std::string s = snapshot_->stats(); !s.empty()) out += " (" + s + ")";
  return out;
}

VISIONDB_INLINE void TableScanOp::read_morsel(ExecContext&, GlobalState*, size_t m, Chunk& out) const {
  const size_t rows = snapshot_->morsel_rows(m);
  std::vector<ColumnPtr> cols(scan_columns_.size());
  std::shared_ptr<const SelectionVector> sel;
  if (!filters_.empty()) {
    std::vector<uint32_t> hit;
    for (size_t f : filter_order_) {
      // A lazy column is read only for the rows the filters before have kept.
      for (size_t c : filter_columns_[f])
        if (!cols[c]) cols[c] = snapshot_->read_column(m, scan_columns_[c], lazy_[c] ? sel.get() : nullptr);
      Chunk probe(cols, rows);
      if (sel) probe.set_selection(sel);
      ExpressionExecutor::select(*filters_[f], probe, nullptr, probe.size(), hit);
      if (hit.size() == probe.size()) continue;
      auto next = std::make_shared<SelectionVector>(hit.size());
      for (size_t k = 0; k < hit.size(); ++k) (*next)[k] = probe.physical_row(hit[k]);
      sel = std::move(next);
      if (hit.empty()) break;
    }
    if (sel && sel->empty()) {
      out = Chunk();
      return;
    }
  }
  if (row_limit_ < (sel ? sel->size() : rows)) {
    auto first = std::make_shared<SelectionVector>(row_limit_);
    for (size_t k = 0; k < row_limit_; ++k) (*first)[k] = sel ? (*sel)[k] : static_cast<uint32_t>(k);
    sel = std::move(first);
  }
  std::vector<ColumnPtr> out_cols;
  out_cols.reserve(outputs_.size());
  for (size_t o : outputs_) {
    if (!cols[o]) cols[o] = snapshot_->read_column(m, scan_columns_[o], sel.get());
    out_cols.push_back(cols[o]);
  }
  out = Chunk(std::move(out_cols), rows);
  if (sel) out.set_selection(std::move(sel));
}

}  // namespace visiondb::exec
