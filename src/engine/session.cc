// SPDX-License-Identifier: Apache-2.0
#include "engine/session.h"

#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <thread>

#include "columnar/builder.h"
#include "common/ascii.h"
#include "engine/session_internal.h"
#include "engine/variable_substitution.h"
#include "expr/cast.h"
#include "sql/optimizer.h"
#include "sql/parser.h"

namespace sluice::engine {

namespace {

int64_t NowMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

/// Spark's default session time zone is the JVM's: TZ when set, else UTC here.
std::string DefaultTimeZone() {
  const char* tz = std::getenv("TZ");
  if (tz != nullptr && *tz != '\0') {
    return tz[0] == ':' ? std::string(tz + 1) : std::string(tz);
  }
  return "UTC";
}

}  // namespace

int64_t QueryResult::num_rows() const {
  int64_t rows = 0;
  for (const BatchPtr& batch : batches) {
    rows += batch->num_rows();
  }
  return rows;
}

QueryResult StringRows(const std::vector<std::string>& columns,
                       const std::vector<StringRow>& rows) {
  std::vector<Field> fields;
  for (const std::string& column : columns) {
    fields.push_back(MakeField(column, StringType(), true));
  }
  QueryResult result;
  result.schema = MakeSchema(std::move(fields));
  BatchBuilder builder(result.schema);
  for (const StringRow& row : rows) {
    for (size_t c = 0; c < columns.size(); ++c) {
      auto* column = static_cast<StringBuilder*>(builder.column(static_cast<int>(c)));
      if (row[c].has_value()) {
        column->Append(*row[c]);
      } else {
        column->AppendNull();
      }
    }
  }
  result.batches.push_back(builder.Finish());
  result.has_rows = true;
  return result;
}

QueryResult NoRows(std::string statement) {
  QueryResult result;
  result.schema = MakeSchema({});
  result.statement = std::move(statement);
  return result;
}

Result<sql::ResolvedTable> CatalogResolver::ResolveTable(const sql::QualifiedName& name) {
  if (temps_ != nullptr && name.size() == 1) {
    auto temp = temps_->find(ToLowerAscii(name[0]));
    if (temp != temps_->end()) {
      return sql::ResolvedTable{fmt::format("`{}`", name[0]), "", temp->second()};
    }
  }
  std::string database = current_database_;
  std::string table;
  if (name.size() == 1) {
    table = name[0];
  } else if (name.size() == 2) {
    database = name[0];
    table = name[1];
  } else if (name.size() == 3 && EqualsIgnoreCase(name[0], "spark_catalog")) {
    database = name[1];
    table = name[2];
  } else {
    std::string joined;
    for (const std::string& part : name) {
      joined += (joined.empty() ? "" : ".") + fmt::format("`{}`", part);
    }
    return Status::NotFound(fmt::format(
        "[TABLE_OR_VIEW_NOT_FOUND] The table or view {} cannot be found. Verify the spelling and "
        "correctness of the schema and catalog.",
        joined));
  }
  Result<catalog::TableEntry> found = catalog_.LookupTable(database, table);
  if (!found.ok() && found.status().code() == StatusCode::kNotFound) {
    // Spark names the table as the query wrote it.
    std::string written;
    for (const std::string& part : name) {
      written += (written.empty() ? "" : ".") + fmt::format("`{}`", part);
    }
    return Status::NotFound(fmt::format(
        "[TABLE_OR_VIEW_NOT_FOUND] The table or view {} cannot be found. Verify the spelling and "
        "correctness of the schema and catalog.\nIf you did not qualify the name with a schema, "
        "verify the current_schema() output, or qualify the name with the correct schema and "
        "catalog.",
        written));
  }
  SLUICE_ASSIGN_OR_RETURN(catalog::TableEntry entry, std::move(found));
  return sql::ResolvedTable{fmt::format("`{}`.`{}`", entry.database, entry.name), entry.location,
                            nullptr};
}

Session::Session() : impl_(std::make_unique<Impl>()) {}
Session::~Session() {
  // Queries hold references to themselves while running: stop them with their session.
  for (const std::shared_ptr<stream::StreamingQuery>& query : impl_->queries) {
    query->Stop();
  }
}

Result<std::unique_ptr<Session>> Session::Open(SessionOptions options) {
  std::unique_ptr<Session> session(new Session());
  Impl& impl = *session->impl_;
  impl.options = std::move(options);
  SLUICE_ASSIGN_OR_RETURN(impl.catalog, catalog::Catalog::Open(impl.options.warehouse_dir));
  int threads = impl.options.num_threads;
  if (threads <= 0) {
    threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  }
  // The thread running a query works on it too: the pool adds threads - 1 workers.
  if (threads > 1) {
    impl.pool = std::make_unique<ThreadPool>(threads - 1);
  }
  impl.settings[std::string(kTimeZoneKey)] = DefaultTimeZone();
  impl.settings[std::string(kAnsiKey)] = "false";
  impl.settings[std::string(kShufflePartitionsKey)] = "200";
  impl.settings[std::string(kPartitionOverwriteModeKey)] = "static";
  impl.settings[std::string(kMemoryLimitKey)] = std::to_string(int64_t{4} << 30);
  for (const auto& [key, value] : impl.options.settings) {
    impl.settings[key] = value;
  }
  return session;
}

Result<QueryResult> Session::Execute(std::string_view sql) {
  SLUICE_ASSIGN_OR_RETURN(sql::StatementPtr statement, sql::ParseStatement(impl_->Substitute(sql)));
  return impl_->Run(*statement);
}

Result<std::vector<QueryResult>> Session::ExecuteScript(std::string_view sql) {
  SLUICE_ASSIGN_OR_RETURN(std::vector<sql::StatementPtr> statements,
                          sql::ParseStatements(impl_->Substitute(sql)));
  std::vector<QueryResult> results;
  for (const sql::StatementPtr& statement : statements) {
    SLUICE_ASSIGN_OR_RETURN(QueryResult result, impl_->Run(*statement));
    results.push_back(std::move(result));
  }
  return results;
}

namespace {

/// `type` with timestamp replaced by timestamp_ntz at any depth; nullptr when it holds
/// no timestamp.
TypePtr LocalTimeType(const TypePtr& type) {
  switch (type->id()) {
    case TypeId::kTimestamp:
      return TimestampNtzType();
    case TypeId::kArray: {
      TypePtr element = LocalTimeType(type->element_type());
      return element == nullptr ? nullptr : ArrayType(element, type->contains_null());
    }
    case TypeId::kMap: {
      TypePtr key = LocalTimeType(type->key_type());
      TypePtr value = LocalTimeType(type->value_type());
      if (key == nullptr && value == nullptr) {
        return nullptr;
      }
      return MapType(key != nullptr ? key : type->key_type(),
                     value != nullptr ? value : type->value_type(), type->value_contains_null());
    }
    case TypeId::kStruct: {
      std::vector<Field> fields = type->fields();
      bool changed = false;
      for (Field& field : fields) {
        if (TypePtr local = LocalTimeType(field.type)) {
          field.type = std::move(local);
          changed = true;
        }
      }
      return changed ? StructType(std::move(fields)) : nullptr;
    }
    default:
      return nullptr;
  }
}

}  // namespace

Result<QueryResult> Session::InSessionTimeZone(QueryResult result) const {
  if (result.schema == nullptr) {
    return result;
  }
  std::vector<Field> fields = result.schema->fields();
  std::vector<int> changed;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (TypePtr local = LocalTimeType(fields[i].type)) {
      fields[i].type = std::move(local);
      changed.push_back(static_cast<int>(i));
    }
  }
  if (changed.empty()) {
    return result;
  }
  expr::EvalContext eval;
  eval.time_zone = impl_->Setting(kTimeZoneKey);
  SchemaPtr schema = MakeSchema(std::move(fields));
  for (BatchPtr& batch : result.batches) {
    std::vector<VectorPtr> columns = batch->columns();
    for (int i : changed) {
      SLUICE_ASSIGN_OR_RETURN(columns[i],
                              expr::CastVector(columns[i], schema->field(i).type, eval));
    }
    batch = std::make_shared<const Batch>(schema, std::move(columns), batch->num_rows());
  }
  result.schema = std::move(schema);
  return result;
}

std::string Session::GetSetting(std::string_view key) const {
  return impl_->Setting(key);
}
const std::string& Session::current_database() const {
  return impl_->current_database;
}
const std::string& Session::warehouse_dir() const {
  return impl_->catalog->warehouse_dir();
}

std::string Session::Impl::Substitute(std::string_view sql) const {
  if (EqualsIgnoreCase(Setting("spark.sql.variable.substitute"), "false"))
    return std::string(sql);
  return SubstituteVariables(sql, [&](std::string_view name) -> std::optional<std::string> {
    auto it = settings.find(std::string(name));
    if (it == settings.end())
      return std::nullopt;
    return it->second;
  });
}

std::string Session::Impl::Setting(std::string_view key) const {
  auto it = settings.find(std::string(key));
  return it == settings.end() ? std::string() : it->second;
}

sql::BinderOptions Session::Impl::MakeBinderOptions() const {
  sql::BinderOptions binder_options;
  binder_options.ansi = EqualsIgnoreCase(Setting(kAnsiKey), "true");
  binder_options.time_zone = Setting(kTimeZoneKey);
  binder_options.now_micros = fixed_now_micros.value_or(NowMicros());
  return binder_options;
}

exec::ExecOptions Session::Impl::MakeExecOptions(const expr::EvalContext& eval) const {
  exec::ExecOptions exec_options;
  exec_options.eval = eval;
  exec_options.pool = pool.get();
  const std::string limit = Setting(kMemoryLimitKey);
  if (!limit.empty()) {
    exec_options.memory_limit_bytes = std::strtoll(limit.c_str(), nullptr, 10);
  }
  const std::string spill = Setting(kSpillDirKey);
  if (!spill.empty()) {
    exec_options.spill_dir = spill;
  }
  return exec_options;
}

Result<QueryResult> Session::Impl::Run(const sql::Statement& statement) {
  using sql::StatementKind;
  switch (statement.kind) {
    case StatementKind::kQuery:
      return RunQuery(*statement.query);
    case StatementKind::kInsert:
      return RunInsert(statement);
    case StatementKind::kCreateTable:
      return RunCreateTable(statement);
    case StatementKind::kDropTable:
      return RunDropTable(statement);
    case StatementKind::kAlterTableSetProperties:
    case StatementKind::kAlterTableUnsetProperties:
    case StatementKind::kAlterTableAddColumns:
      return RunAlterTable(statement);
    case StatementKind::kCreateDatabase:
    case StatementKind::kDropDatabase:
    case StatementKind::kUseDatabase:
      return RunDatabaseStatement(statement);
    case StatementKind::kShowDatabases:
    case StatementKind::kShowTables:
    case StatementKind::kShowTblProperties:
    case StatementKind::kShowColumns:
      return RunShow(statement);
    case StatementKind::kDescribeTable:
    case StatementKind::kDescribeHistory:
    case StatementKind::kDescribeDetail:
    case StatementKind::kDescribeQuery:
      return RunDescribe(statement);
    case StatementKind::kExplain:
      return RunExplain(statement);
    case StatementKind::kSet:
    case StatementKind::kReset:
      return RunSet(statement);
    case StatementKind::kCreateStreamingTable:
      return RunCreateStreamingTable(statement);
  }
  return Status::Internal("unknown statement kind");
}

Result<QueryResult> Session::Impl::RunSet(const sql::Statement& statement) {
  if (statement.kind == sql::StatementKind::kReset) {
    if (statement.set_key.empty()) {
      settings.clear();
      settings[std::string(kTimeZoneKey)] = DefaultTimeZone();
      settings[std::string(kAnsiKey)] = "false";
      settings[std::string(kShufflePartitionsKey)] = "200";
      settings[std::string(kMemoryLimitKey)] = std::to_string(int64_t{4} << 30);
      for (const auto& [key, value] : options.settings) {
        settings[key] = value;
      }
    } else {
      settings.erase(statement.set_key);
    }
    return NoRows("reset");
  }
  if (statement.set_key.empty()) {
    std::vector<StringRow> rows;
    for (const auto& [key, value] : settings) {
      rows.push_back({key, value});
    }
    return StringRows({"key", "value"}, rows);
  }
  if (statement.set_has_value) {
    const std::string& key = statement.set_key;
    std::string value = statement.set_value;
    if (key == kAnsiKey && !EqualsIgnoreCase(value, "true") && !EqualsIgnoreCase(value, "false")) {
      return Status::InvalidArgument(fmt::format(
          "[INVALID_CONF_VALUE.TYPE_MISMATCH] The value '{}' in the config \"{}\" is invalid. "
          "It requires a boolean value.",
          value, key));
    }
    if (key == kAnsiKey) {
      value = ToLowerAscii(value);
    }
    settings[key] = value;
    return StringRows({"key", "value"}, {{key, value}});
  }
  auto it = settings.find(statement.set_key);
  return StringRows({"key", "value"},
                    {{statement.set_key, it == settings.end() ? "<undefined>" : it->second}});
}

Result<sql::BoundQuery> Session::Impl::PlanQuery(const sql::QueryNode& query, sql::Binder& binder) {
  SLUICE_ASSIGN_OR_RETURN(sql::BoundQuery bound, binder.BindQuery(query));
  SLUICE_ASSIGN_OR_RETURN(bound.plan, sql::Optimize(bound.plan, binder.eval_context()));
  return bound;
}

Result<QueryResult> Session::Impl::RunQuery(const sql::QueryNode& query) {
  CatalogResolver resolver(*catalog, current_database, &temp_relations);
  sql::Binder binder(resolver, MakeBinderOptions());
  SLUICE_ASSIGN_OR_RETURN(sql::BoundQuery bound, PlanQuery(query, binder));
  QueryResult result;
  result.schema = bound.plan->schema();
  result.statement = "query";
  result.has_rows = true;
  result.ordered = bound.ordered;
  SLUICE_ASSIGN_OR_RETURN(
      result.batches, exec::ExecuteToBatches(bound.plan, MakeExecOptions(binder.eval_context())));
  return result;
}

}  // namespace sluice::engine
