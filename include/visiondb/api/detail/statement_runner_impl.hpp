// Out-of-line parts of statement_runner.hpp.
#pragma once

#include "visiondb/api/detail/csv_external_table.hpp"
#include "visiondb/api/detail/statement_runner.hpp"
#include "visiondb/io/csv_options.hpp"
#include "visiondb/io/csv_reader.hpp"
#include "visiondb/io/csv_writer.hpp"
#include "visiondb/io/object_table.hpp"
#include "visiondb/functions/ml/decode_image.hpp"
#include "visiondb/functions/ml/model_types.hpp"
#include "visiondb/config.hpp"
#include "visiondb/execution/executor.hpp"
#include "visiondb/functions/scalar/random.hpp"
#include "visiondb/storage/detail/text.hpp"

namespace visiondb::detail {

inline QualifiedName normalized(QualifiedName n) {
  if (n.dataset.empty()) n.dataset = Catalog::kDefaultDataset;
  return n;
}

VISIONDB_INLINE std::shared_ptr<TableData> StatementRunner::to_table_data(const std::vector<LogicalType>& types,
                                                                          const std::vector<exec::ChunkPtr>& chunks,
                                                                          std::shared_ptr<const TableData> base) {
  auto data = std::make_shared<TableData>();
  if (base) {
    data->chunks = base->chunks;
    data->rows = base->rows;
  }
  ChunkBuilder builder(types);
  auto flush = [&] {
    for (auto& c : builder.finish()) {
      data->rows += c->size();
      data->chunks.push_back(std::move(c));
    }
  };
  for (const auto& c : chunks) {
    if (c->size() == 0) continue;
    if (!c->has_selection() && c->size() >= kVectorSize / 2 && c->column_count() == types.size()) {
      flush();
      data->rows += c->size();
      data->chunks.push_back(c);
      continue;
    }
    builder.append_chunk_rows(*c, 0, c->size());
  }
  flush();
  return data;
}

VISIONDB_INLINE std::vector<exec::ChunkPtr> StatementRunner::run_query(sql::BoundQuery& q) {
  q.plan = sql::optimize(std::move(q.plan), evaluator_);
  return arena_.execute([&] {
    exec::ExecContext ctx;
    ctx.threads = arena_.threads();
    ctx.progress = progress_;
    return exec::execute_plan(*q.plan, ctx);
  });
}

VISIONDB_INLINE QueryResult StatementRunner::run(const sql::Statement& statement, const sql::Parameters& params) {
  sql::Binder binder(catalog_, functions_, evaluator_, params);
  sql::BoundStatement b = binder.bind(statement);
  using K = sql::BoundStatementKind;
  switch (b.kind) {
    case K::Query: {
      auto chunks = run_query(*b.query);
      return QueryResult(b.query->names, b.query->types, std::move(chunks));
    }
    case K::Explain: return explain(b);
    case K::CreateTable: return create_table(b);
    case K::CreateFunction:
      catalog_.create(b.entry, b.or_replace, b.if_not_exists);
      return QueryResult::status("CREATE FUNCTION");
    case K::CreateModel: return create_model(b);
    case K::CreateSchema:
      catalog_.create_dataset(b.name.name, b.if_not_exists);
      return QueryResult::status("CREATE SCHEMA");
    case K::Insert:
    case K::Delete:
    case K::Update:
    case K::Truncate: return replace_rows(b);
    case K::Drop: return drop(b);
    case K::Set: return set(b);
    case K::CreateExternalTable: return create_external_table(b);
    case K::LoadData: return load_data(b);
    case K::ExportData: return export_data(b);
    case K::ExportModel: return export_model(b);
  }
  throw_internal("unknown statement kind");
}

VISIONDB_INLINE QueryResult StatementRunner::explain(sql::BoundStatement& b) {
  sql::BoundQuery& q = *b.explained->query;
  q.plan = sql::optimize(std::move(q.plan), evaluator_);
  std::string text;
  size_t rows = 0;
  double ms = 0;
  const uint64_t decoded_before = fn::images_decoded_total();
  arena_.execute([&] {
    exec::ExecContext ctx;
    ctx.threads = arena_.threads();
    ctx.progress = progress_;
    exec::PhysicalPlanner planner(ctx);
    auto root = planner.plan(*q.plan);
    if (b.analyze) {
      auto start = std::chrono::steady_clock::now();
      exec::Executor ex(ctx);
      for (const auto& c : ex.run(*root)) rows += c->size();
      ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    }
    // After the run: the scans' lines then show what they read (files, bytes).
    text = exec::explain_plan(*root);
  });
  Column col(LogicalType::string());
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    col.append_string(std::string_view(text).substr(start, end - start));
    start = end + 1;
  }
  if (b.analyze) {
    char buf[128];
    std::snprintf(buf, sizeof buf, "rows: %zu, time: %.3f ms, threads: %d", rows, ms, arena_.threads());
    std::string last = buf;
    // Counted process-wide: exact while no other Database decodes at the same time.
    if (const uint64_t decoded = fn::images_decoded_total() - decoded_before; decoded > 0)
      last += ", images decoded: " + std::to_string(decoded);
    col.append_string(last);
  }
  size_t n = col.size();
  std::vector<ColumnPtr> cols{std::make_shared<const Column>(std::move(col))};
  return QueryResult({"plan"}, {LogicalType::string()}, {std::make_shared<const Chunk>(std::move(cols), n)});
}

VISIONDB_INLINE QueryResult StatementRunner::create_table(sql::BoundStatement& b) {
  QualifiedName name = normalized(b.name);
  if (b.if_not_exists && catalog_.find(CatalogEntryKind::Table, name)) return QueryResult::status("CREATE TABLE");
  auto table = std::make_shared<Table>(name, b.schema);
  size_t rows = 0;
  if (b.query) {
    auto chunks = run_query(*b.query);
    auto data = to_table_data(b.schema.types(), chunks);
    rows = data->rows;
    table->commit(std::move(data));
  }
  catalog_.create(table, b.or_replace, b.if_not_exists);
  return QueryResult::status("CREATE TABLE", rows);
}

VISIONDB_INLINE QueryResult StatementRunner::replace_rows(sql::BoundStatement& b) {
  using K = sql::BoundStatementKind;
  auto before = b.table->snapshot();
  const auto types = b.table->schema().types();
  if (b.kind == K::Truncate) {
    b.table->commit(std::make_shared<TableData>());
    return QueryResult::status("TRUNCATE TABLE", before->rows);
  }
  auto chunks = run_query(*b.query);
  if (b.kind == K::Insert) {
    auto data = to_table_data(types, chunks, before);
    size_t added = data->rows - before->rows;
    b.table->commit(std::move(data));
    return QueryResult::status("INSERT", added);
  }
  auto data = to_table_data(types, chunks);
  size_t affected = 0;
  if (b.kind == K::Delete) {
    affected = before->rows - data->rows;
  } else {
    for (const auto& c : run_query(*b.explained->query)) affected += c->size();
  }
  b.table->commit(std::move(data));
  return QueryResult::status(b.kind == K::Delete ? "DELETE" : "UPDATE", affected);
}

VISIONDB_INLINE QueryResult StatementRunner::drop(sql::BoundStatement& b) {
  if (b.drop_schema) {
    catalog_.drop_dataset(b.name.name, b.if_exists, b.cascade);
    return QueryResult::status("DROP SCHEMA");
  }
  catalog_.drop(b.drop_kind, normalized(b.name), b.if_exists);
  return QueryResult::status("DROP " + to_upper(catalog_entry_kind_name(b.drop_kind)));
}

VISIONDB_INLINE QueryResult StatementRunner::set(sql::BoundStatement& b) {
  if (b.setting == "threads") {
    if (b.value.is_null() || b.value.type().id() != TypeId::Int64 || b.value.as_int64() < 0 || b.value.as_int64() > 1024)
      throw SqlError(ErrorKind::InvalidArgument, "SET threads expects an integer from 0 (one per core) to 1024", b.span);
    arena_.reset(static_cast<int>(b.value.as_int64()));
    return QueryResult::status("SET");
  }
  if (b.setting == "rand_seed") {
    if (!b.value.is_null() && b.value.type().id() != TypeId::Int64)
      throw SqlError(ErrorKind::InvalidArgument, "SET rand_seed expects an integer (or NULL for a random seed)", b.span);
    functions_.random().seed(b.value.is_null() ? std::nullopt : std::optional<uint64_t>(b.value.as_int64()));
    return QueryResult::status("SET");
  }
  if (b.setting == "mount") {
    // SET mount = 'gs://bucket=/local/folder' maps a bucket; 'gs://bucket=' removes the mapping.
    if (b.value.is_null() || b.value.type().id() != TypeId::String)
      throw SqlError(ErrorKind::InvalidArgument, "SET mount expects a string 'gs://bucket=/local/folder'", b.span);
    try {
      auto [bucket, dir] = io::parse_mount_spec(b.value.as_string());
      if (dir.empty()) {
        if (!mounts_->unmount(bucket)) throw SqlError(ErrorKind::InvalidArgument, "the bucket " + bucket + " is not mounted", b.span);
      } else {
        mounts_->mount(bucket, dir);
      }
    } catch (const InvalidArgument& e) {
      throw SqlError(ErrorKind::InvalidArgument, e.message(), b.span);
    }
    return QueryResult::status("SET");
  }
  throw SqlError(ErrorKind::Bind, "unknown setting \"" + b.setting + "\"; settings: threads, rand_seed, mount", b.span);
}

namespace csv_detail {
// format='CSV' (the only one for now) and the uris, then every CSV reading option.
inline std::vector<std::string> read_options(const sql::BoundStatement& b, io::CsvReadOptions& options, const char* what) {
  const sql::BoundOption* format = b.option("format");
  if (b.option("object_metadata"))
    throw SqlError(ErrorKind::Bind, "object tables (object_metadata) are not supported yet", b.option("object_metadata")->span);
  if (!format) throw SqlError(ErrorKind::Bind, std::string(what) + " needs OPTIONS(format = 'CSV', uris = [...])", b.span);
  if (format->value.is_null() || format->value.type().id() != TypeId::String || to_upper(format->value.as_string()) != "CSV")
    throw SqlError(ErrorKind::InvalidArgument, "format " + format->value.to_sql() + " is not supported; use format = 'CSV'",
                   format->span);
  const sql::BoundOption* uris = b.option("uris");
  if (!uris) throw SqlError(ErrorKind::Bind, std::string(what) + " needs OPTIONS(uris = [...])", b.span);
  std::vector<std::string> list;
  try {
    list = io::string_list_option("uris", uris->value);
  } catch (const InvalidArgument& e) {
    throw SqlError(ErrorKind::InvalidArgument, e.message(), uris->span);
  }
  for (const auto& o : b.options) {
    if (o.name == "format" || o.name == "uris" || o.name == "description") continue;
    bool known = false;
    try {
      known = io::apply_csv_read_option(options, o.name, o.value);
    } catch (const InvalidArgument& e) {
      throw SqlError(ErrorKind::InvalidArgument, e.message(), o.span);
    }
    if (!known) throw SqlError(ErrorKind::InvalidArgument, "unknown CSV option \"" + o.name + "\"", o.span);
  }
  if (!b.schema.columns().empty()) options.schema = b.schema;
  return list;
}
}  // namespace csv_detail

VISIONDB_INLINE QueryResult StatementRunner::create_external_table(sql::BoundStatement& b) {
  QualifiedName name = normalized(b.name);
  if (b.if_not_exists && catalog_.find(CatalogEntryKind::Table, name)) return QueryResult::status("CREATE EXTERNAL TABLE");
  if (b.option("object_metadata")) return create_object_table(b);
  io::CsvReadOptions options;
  auto uris = csv_detail::read_options(b, options, "CREATE EXTERNAL TABLE");
  auto table = arena_.execute([&] { return std::make_shared<CsvExternalTable>(name, uris, options); });
  catalog_.create(table, b.or_replace, b.if_not_exists);
  return QueryResult::status("CREATE EXTERNAL TABLE");
}

VISIONDB_INLINE QueryResult StatementRunner::create_object_table(sql::BoundStatement& b) {
  const sql::BoundOption* meta = b.option("object_metadata");
  if (meta->value.is_null() || meta->value.type().id() != TypeId::String || to_upper(meta->value.as_string()) != "SIMPLE")
    throw SqlError(ErrorKind::InvalidArgument, "object_metadata " + meta->value.to_sql() + " is not supported; use object_metadata = 'SIMPLE'",
                   meta->span);
  if (!b.schema.columns().empty())
    throw SqlError(ErrorKind::Bind, "an object table has a fixed schema: leave out the column list", b.span);
  const sql::BoundOption* uris = b.option("uris");
  if (!uris) throw SqlError(ErrorKind::Bind, "an object table needs OPTIONS(object_metadata = 'SIMPLE', uris = [...])", b.span);
  std::vector<std::string> list;
  try {
    list = io::string_list_option("uris", uris->value);
  } catch (const InvalidArgument& e) {
    throw SqlError(ErrorKind::InvalidArgument, e.message(), uris->span);
  }
  for (const auto& o : b.options) {
    // BigQuery's metadata-cache options change nothing here: every statement lists afresh.
    if (o.name == "object_metadata" || o.name == "uris" || o.name == "description" || o.name == "max_staleness" ||
        o.name == "metadata_cache_mode")
      continue;
    throw SqlError(ErrorKind::InvalidArgument, "unknown object table option \"" + o.name + "\"", o.span);
  }
  try {
    io::check_object_uris(list, *mounts_);
  } catch (const Error& e) {
    throw SqlError(ErrorKind::InvalidArgument, e.message(), uris->span);
  }
  QualifiedName name = normalized(b.name);
  auto table = std::make_shared<io::ObjectTable>(name, std::move(list), mounts_);
  catalog_.create(table, b.or_replace, b.if_not_exists);
  return QueryResult::status("CREATE EXTERNAL TABLE");
}

VISIONDB_INLINE QueryResult StatementRunner::create_model(sql::BoundStatement& b) {
  QualifiedName name = normalized(b.name);
  if (b.if_not_exists && catalog_.find(CatalogEntryKind::Model, name)) return QueryResult::status("CREATE MODEL");
  const sql::BoundOption* type_option = b.option("model_type");
  if (!type_option) throw SqlError(ErrorKind::InvalidArgument, "CREATE MODEL needs OPTIONS(model_type = '...')", b.span);
  if (type_option->value.is_null() || type_option->value.type().id() != TypeId::String)
    throw SqlError(ErrorKind::InvalidArgument, "model_type must be a STRING", type_option->span);
  const fn::ModelType* type = fn::find_model_type(type_option->value.as_string());
  if (!type) {
    std::string known;
    for (const auto& t : fn::model_types()) known += (known.empty() ? "" : ", ") + std::string(t.name);
    throw SqlError(ErrorKind::InvalidArgument,
                   "unknown model_type '" + type_option->value.as_string() + "'" + (known.empty() ? "" : "; known: " + known),
                   type_option->span);
  }
  // A trained type may also be imported: a file written by EXPORT MODEL, named by model_path.
  if (type->trained && !b.query && !b.option("model_path"))
    throw SqlError(ErrorKind::InvalidArgument,
                   "a " + std::string(type->name) +
                       " model is trained: add AS SELECT ... with its training data (or import one with OPTIONS(model_path = '...'))",
                   b.span);
  if (!type->trained && b.query)
    throw SqlError(ErrorKind::InvalidArgument, "a " + std::string(type->name) + " model is imported from model_path and takes no AS query", b.span);
  fn::ModelBuildInput in;
  in.name = name;
  in.model_type = std::string(type->name);
  in.options = b.options;
  in.span = b.span;
  in.progress = progress_;
  in.mounts = mounts_;
  in.threads = arena_.threads();
  if (b.query) {
    in.has_query = true;
    in.names = b.query->names;
    in.types = b.query->types;
    in.chunks = run_query(*b.query);
  }
  std::shared_ptr<fn::ModelEntry> entry = arena_.execute([&] { return type->build(in); });
  catalog_.create(entry, b.or_replace, b.if_not_exists);
  return QueryResult::status("CREATE MODEL");
}

VISIONDB_INLINE QueryResult StatementRunner::load_data(sql::BoundStatement& b) {
  io::CsvReadOptions options;
  auto uris = csv_detail::read_options(b, options, "LOAD DATA");
  QualifiedName name = normalized(b.name);
  if (b.table) {
    // Into an existing table: the files' columns are its columns, in order.
    if (!b.schema.columns().empty() && b.schema.types() != b.table->schema().types())
      throw SqlError(ErrorKind::Bind, "the column list of LOAD DATA does not match table \"" + name.to_string() + "\"", b.span);
    options.schema = b.table->schema();
  }
  io::CsvData data = arena_.execute([&] { return io::read_csv(uris, options); });
  size_t rows = data.data->rows;
  if (b.table) {
    std::shared_ptr<const TableData> base = b.overwrite ? nullptr : b.table->snapshot();
    std::vector<exec::ChunkPtr> chunks(data.data->chunks.begin(), data.data->chunks.end());
    b.table->commit(to_table_data(b.table->schema().types(), chunks, base));
  } else {
    auto table = std::make_shared<Table>(name, data.schema);
    table->commit(data.data);
    catalog_.create(table);
  }
  return QueryResult::status("LOAD DATA", rows);
}

VISIONDB_INLINE QueryResult StatementRunner::export_data(sql::BoundStatement& b) {
  const sql::BoundOption* uri = b.option("uri");
  const sql::BoundOption* format = b.option("format");
  if (!uri || uri->value.is_null() || uri->value.type().id() != TypeId::String)
    throw SqlError(ErrorKind::Bind, "EXPORT DATA needs OPTIONS(uri = '...', format = 'CSV')", b.span);
  if (!format || format->value.is_null() || format->value.type().id() != TypeId::String ||
      to_upper(format->value.as_string()) != "CSV")
    throw SqlError(ErrorKind::InvalidArgument, "EXPORT DATA supports format = 'CSV' only", format ? format->span : b.span);
  io::CsvWriteOptions options;
  for (const auto& o : b.options) {
    if (o.name == "uri" || o.name == "format") continue;
    bool known = false;
    try {
      known = io::apply_csv_write_option(options, o.name, o.value);
    } catch (const InvalidArgument& e) {
      throw SqlError(ErrorKind::InvalidArgument, e.message(), o.span);
    }
    if (!known) throw SqlError(ErrorKind::InvalidArgument, "unknown EXPORT DATA option \"" + o.name + "\"", o.span);
  }
  try {
    io::check_csv_types(b.query->names, b.query->types);
  } catch (const InvalidArgument& e) {
    throw SqlError(ErrorKind::Type, e.message(), b.span);
  }
  auto chunks = run_query(*b.query);
  std::vector<std::shared_ptr<const Chunk>> out(chunks.begin(), chunks.end());
  size_t rows = io::write_csv(io::export_path_of(uri->value.as_string()), b.query->names, b.query->types, out, options);
  return QueryResult::status("EXPORT DATA", rows);
}

VISIONDB_INLINE QueryResult StatementRunner::export_model(sql::BoundStatement& b) {
  const sql::BoundOption* uri = b.option("uri");
  if (!uri || uri->value.is_null() || uri->value.type().id() != TypeId::String)
    throw SqlError(ErrorKind::Bind, "EXPORT MODEL needs OPTIONS(uri = '...')", b.span);
  for (const auto& o : b.options)
    if (o.name != "uri") throw SqlError(ErrorKind::InvalidArgument, "unknown EXPORT MODEL option \"" + o.name + "\"", o.span);
  auto model = std::static_pointer_cast<const fn::ModelEntry>(b.entry);
  arena_.execute([&] { model->export_to(uri->value.as_string(), mounts_.get(), uri->span); });
  return QueryResult::status("EXPORT MODEL");
}

}  // namespace visiondb::detail
