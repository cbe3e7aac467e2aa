// SPDX-License-Identifier: Apache-2.0
// CREATE TABLE [AS SELECT], INSERT, DROP TABLE, ALTER TABLE, databases.
#include "types/ddl.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "common/ascii.h"
#include "common/json.h"
#include "delta/partition_values.h"
#include "delta/transaction.h"
#include "delta/writer.h"
#include "engine/session_internal.h"
#include "expr/cast.h"
#include "expr/evaluator.h"
#include "types/schema_json.h"

namespace sluice::engine {

namespace {

using sql::Statement;

std::string JsonQuote(std::string_view value) {
  std::string out;
  AppendJsonString(value, &out);
  return out;
}

Result<SchemaPtr> ColumnsSchema(const std::vector<sql::ColumnDefinition>& columns) {
  std::vector<Field> fields;
  for (const sql::ColumnDefinition& column : columns) {
    Result<TypePtr> type = ParseDdlType(column.type_text);
    if (!type.ok()) {
      return Status::ParseError(
          fmt::format("[UNSUPPORTED_DATATYPE] Unsupported data type \"{}\" of column `{}`.",
                      column.type_text, column.name));
    }
    Field field = MakeField(column.name, *type, !column.not_null);
    if (!column.comment.empty()) {
      field.metadata.emplace_back("comment", JsonQuote(column.comment));
    }
    fields.push_back(std::move(field));
  }
  return MakeSchema(std::move(fields));
}

Status CheckFormat(const Statement& statement) {
  if (!statement.using_format.empty() && !EqualsIgnoreCase(statement.using_format, "delta")) {
    return Status::NotImplemented(fmt::format(
        "[UNSUPPORTED_DATA_SOURCE_FOR_TABLE] sluice tables are Delta tables: USING {} is not "
        "supported; use USING DELTA.",
        statement.using_format));
  }
  return Status::Ok();
}

/// Spark's ANSI store assignment (spark.sql.storeAssignmentPolicy=ANSI, the default):
/// which values INSERT may write into a column of type `to`.
bool CanStoreAssign(const DataType& from, const DataType& to) {
  if (from.Equals(to) || from.id() == TypeId::kNull) {
    return true;
  }
  const bool from_datetime = from.id() == TypeId::kDate || from.id() == TypeId::kTimestamp ||
                             from.id() == TypeId::kTimestampNtz;
  const bool to_datetime =
      to.id() == TypeId::kDate || to.id() == TypeId::kTimestamp || to.id() == TypeId::kTimestampNtz;
  if ((from.is_numeric() && to.is_numeric()) || (from_datetime && to_datetime)) {
    return true;
  }
  if (to.id() == TypeId::kString) {
    return !from.is_nested() && from.id() != TypeId::kVariant;
  }
  switch (to.id()) {
    case TypeId::kArray:
      return from.id() == TypeId::kArray &&
             CanStoreAssign(*from.element_type(), *to.element_type());
    case TypeId::kMap:
      return from.id() == TypeId::kMap && CanStoreAssign(*from.key_type(), *to.key_type()) &&
             CanStoreAssign(*from.value_type(), *to.value_type());
    case TypeId::kStruct: {
      if (from.id() != TypeId::kStruct || from.num_fields() != to.num_fields()) {
        return false;
      }
      for (int i = 0; i < from.num_fields(); ++i) {
        if (!CanStoreAssign(*from.field(i).type, *to.field(i).type)) {
          return false;
        }
      }
      return true;
    }
    default:
      return false;
  }
}

/// Casts a query plan's columns to the table's types, by position.
Result<sql::PlanPtr> ConformPlan(const sql::PlanPtr& plan, const Schema& target,
                                 const std::string& table_name) {
  const Schema& source = *plan->schema();
  if (source.num_fields() != target.num_fields()) {
    return Status::BindError(fmt::format(
        "[INSERT_COLUMN_ARITY_MISMATCH.{}] Cannot write to {}, the reason is {} data columns: "
        "Table columns: {}. Data columns: {}.",
        source.num_fields() < target.num_fields() ? "NOT_ENOUGH_DATA_COLUMNS"
                                                  : "TOO_MANY_DATA_COLUMNS",
        table_name, source.num_fields() < target.num_fields() ? "not enough" : "too many",
        target.num_fields(), source.num_fields()));
  }
  std::vector<expr::ExprPtr> exprs;
  for (int i = 0; i < source.num_fields(); ++i) {
    const Field& field = source.field(i);
    expr::ExprPtr column = expr::Expression::Column(i, field.type, field.nullable);
    const TypePtr& type = target.field(i).type;
    if (!CanStoreAssign(*field.type, *type)) {
      return Status::BindError(fmt::format(
          "[INCOMPATIBLE_DATA_FOR_TABLE.CANNOT_SAFELY_CAST] Cannot write incompatible data for the "
          "table {}: Cannot safely cast `{}` \"{}\" to \"{}\".",
          table_name, target.field(i).name, field.type->ToDdl(), type->ToDdl()));
    }
    exprs.push_back(field.type->Equals(*type) ? column
                                              : expr::Expression::Cast(column, type, false));
  }
  std::vector<Field> fields = target.fields();
  for (Field& field : fields) {
    field.nullable = true;
  }
  return sql::PlanPtr(
      std::make_shared<sql::ProjectNode>(MakeSchema(std::move(fields)), plan, std::move(exprs)));
}

/// The static part of INSERT ... PARTITION (k = v, ...).
struct StaticPartitions {
  /// Per table column: its static value (cast to the column's type), else null. Empty
  /// when the statement has no static value.
  std::vector<VectorPtr> values;
  /// The static columns' values as the Delta log writes partition values.
  delta::PartitionValues spec;
  /// "k = 'v' AND ...", for the commit's predicate.
  std::string predicate;
};

Result<StaticPartitions> BindStaticPartitions(const Statement& statement,
                                              const delta::Snapshot& snapshot, sql::Binder& binder,
                                              const std::string& display) {
  StaticPartitions result;
  const Schema& schema = *snapshot.schema();
  for (const auto& [name, value] : statement.insert_partition) {
    const std::vector<std::string>& partition_columns = snapshot.partition_columns();
    auto column = std::find_if(partition_columns.begin(), partition_columns.end(),
                               [&](const std::string& c) { return EqualsIgnoreCase(c, name); });
    if (column == partition_columns.end()) {
      return Status::BindError(fmt::format(
          "[NON_PARTITION_COLUMN] PARTITION clause cannot contain the non-partition column: "
          "`{}` (table {}).",
          name, display));
    }
    if (value == nullptr) {
      continue;  // a dynamic partition column: the query supplies it
    }
    const int index = schema.FieldIndex(*column);
    const TypePtr& type = schema.field(index).type;
    SLUICE_ASSIGN_OR_RETURN(expr::ExprPtr bound, binder.BindExpression(*value, MakeSchema({})));
    SLUICE_ASSIGN_OR_RETURN(VectorPtr constant,
                            expr::EvaluateConstant(*bound, binder.eval_context()));
    SLUICE_ASSIGN_OR_RETURN(constant, expr::CastVector(constant, type, binder.eval_context()));
    if (result.values.empty()) {
      result.values.resize(schema.num_fields());
    }
    result.values[index] = constant;
    SLUICE_ASSIGN_OR_RETURN(std::optional<std::string> text,
                            delta::FormatPartitionValue(*constant, 0));
    result.spec.emplace_back(*column, text);
    result.predicate += fmt::format("{}{} = {}", result.predicate.empty() ? "" : " AND ", *column,
                                    text.has_value() ? "'" + *text + "'" : "NULL");
  }
  return result;
}

delta::StringMap Properties(const Statement& statement) {
  delta::StringMap properties;
  for (const auto& [key, value] : statement.properties) {
    properties.emplace_back(key, value);
  }
  return properties;
}

}  // namespace

Result<QueryResult> Session::Impl::RunCreateTable(const Statement& statement) {
  SLUICE_RETURN_IF_ERROR(CheckFormat(statement));
  CatalogResolver resolver(*catalog, current_database, &temp_relations);
  sql::Binder binder(resolver, MakeBinderOptions());
  // CTAS: plan the query first; its schema is the table's.
  std::vector<BatchPtr> data;
  SchemaPtr schema;
  if (statement.query != nullptr) {
    SLUICE_ASSIGN_OR_RETURN(sql::BoundQuery bound, PlanQuery(*statement.query, binder));
    SLUICE_ASSIGN_OR_RETURN(
        data, exec::ExecuteToBatches(bound.plan, MakeExecOptions(binder.eval_context())));
    schema = AsNullable(bound.plan->schema());
  } else if (!statement.columns.empty()) {
    SLUICE_ASSIGN_OR_RETURN(schema, ColumnsSchema(statement.columns));
  } else if (statement.location.empty() ||
             !delta::IsDeltaTable(statement.location, LocalFileSystem::Default()).ValueOr(false)) {
    // Without columns the schema comes from an existing Delta table at LOCATION.
    return Status::InvalidArgument(
        "[DELTA_SCHEMA_NOT_PROVIDED] Table schema is not provided. Please provide the schema "
        "(column definition) of the table when using REPLACE table and an AS SELECT query is not "
        "provided.");
  }
  const sql::TableRef& table = *statement.table;
  std::string table_root;
  std::string display;
  bool exists = false;
  if (table.kind == sql::TableRefKind::kPath) {
    SLUICE_ASSIGN_OR_RETURN(sql::ResolvedTable resolved, binder.ResolveTableRoot(table));
    table_root = resolved.table_root;
    display = resolved.display_name;
    SLUICE_ASSIGN_OR_RETURN(exists, delta::IsDeltaTable(table_root, LocalFileSystem::Default()));
  } else {
    std::string database = current_database;
    std::string name = table.name.back();
    if (table.name.size() >= 2) {
      database = table.name[table.name.size() - 2];
    }
    Result<catalog::TableEntry> entry = catalog->LookupTable(database, name);
    exists = entry.ok();
    if (exists) {
      table_root = entry->location;
      display = entry->QualifiedName();
    } else {
      catalog::TableDefinition definition;
      definition.database = database;
      definition.name = name;
      definition.location = statement.location;
      definition.comment = statement.comment;
      definition.partition_columns = statement.partition_by;
      definition.properties = statement.properties;
      // CTAS registers the table, then writes it with its data below.
      definition.schema = statement.query != nullptr ? nullptr : schema;
      SLUICE_ASSIGN_OR_RETURN(catalog::TableEntry created,
                              catalog->CreateTable(definition, statement.if_not_exists));
      if (statement.query == nullptr) {
        return NoRows("create table");
      }
      table_root = created.location;
      display = created.QualifiedName();
    }
  }
  if (exists && !statement.or_replace) {
    if (statement.if_not_exists) {
      return NoRows("create table");
    }
    return Status::AlreadyExists(fmt::format(
        "[TABLE_OR_VIEW_ALREADY_EXISTS] Cannot create table or view {} because it already "
        "exists. Choose a different name, drop or rename the existing object, or add the IF NOT "
        "EXISTS clause to tolerate pre-existing objects.",
        display));
  }
  delta::WriteOptions write_options;
  write_options.files.pool = pool.get();  // files are encoded in parallel
  write_options.partition_columns = statement.partition_by;
  write_options.configuration = Properties(statement);
  write_options.schema = schema;
  if (exists) {
    // CREATE OR REPLACE: a new schema, partitioning and data in one commit.
    write_options.overwrite_schema = true;
    SLUICE_RETURN_IF_ERROR(
        delta::Overwrite(table_root, data, write_options, LocalFileSystem::Default()).status());
    return NoRows("create table");
  }
  if (statement.query == nullptr) {
    SLUICE_RETURN_IF_ERROR(delta::CreateTable(table_root, schema, statement.partition_by,
                                              Properties(statement), LocalFileSystem::Default())
                               .status());
    return NoRows("create table");
  }
  // CTAS: the table was just registered; write it, and unregister it if the write fails
  // so a failed CTAS leaves nothing behind.
  Status written = LocalFileSystem::Default().CreateDirectories(table_root);
  if (written.ok()) {
    written = delta::Append(table_root, data, write_options, LocalFileSystem::Default()).status();
  }
  if (!written.ok() && table.kind == sql::TableRefKind::kNamed) {
    std::string database = current_database;
    if (table.name.size() >= 2) {
      database = table.name[table.name.size() - 2];
    }
    catalog->DropTable(database, table.name.back(), /*if_exists=*/true)
        .IgnoreError();  // the write's error is the one to report
  }
  SLUICE_RETURN_IF_ERROR(written);
  return NoRows("create table");
}

Result<QueryResult> Session::Impl::RunInsert(const Statement& statement) {
  CatalogResolver resolver(*catalog, current_database, &temp_relations);
  sql::Binder binder(resolver, MakeBinderOptions());
  std::string display;
  SLUICE_ASSIGN_OR_RETURN(delta::SnapshotPtr snapshot,
                          binder.LoadTable(*statement.table, &display));
  SLUICE_ASSIGN_OR_RETURN(sql::BoundQuery bound, PlanQuery(*statement.query, binder));
  SchemaPtr target = snapshot->schema();
  sql::PlanPtr plan = bound.plan;
  SLUICE_ASSIGN_OR_RETURN(StaticPartitions partitions,
                          BindStaticPartitions(statement, *snapshot, binder, display));
  // The columns the query supplies: the listed ones, else every column but the static
  // partition columns, in the table's order.
  std::vector<std::string> columns = statement.insert_columns;
  if (columns.empty() && !partitions.values.empty()) {
    for (int f = 0; f < target->num_fields(); ++f) {
      if (partitions.values[f] == nullptr) {
        columns.push_back(target->field(f).name);
      }
    }
  }
  if (!columns.empty()) {
    // INSERT INTO t (b, a): reorder to the table's columns; the rest become null (or
    // their static partition value).
    std::vector<int> source_of(target->num_fields(), -1);
    for (size_t i = 0; i < columns.size(); ++i) {
      int index = -1;
      for (int f = 0; f < target->num_fields(); ++f) {
        if (EqualsIgnoreCase(target->field(f).name, columns[i])) {
          index = f;
        }
      }
      if (index < 0) {
        return Status::BindError(fmt::format(
            "[UNRESOLVED_COLUMN.WITH_SUGGESTION] A column, variable, or function parameter with "
            "name `{}` cannot be resolved. Did you mean one of the following? [{}].",
            columns[i], target->ToDdl()));
      }
      source_of[index] = static_cast<int>(i);
    }
    if (static_cast<int>(columns.size()) != plan->schema()->num_fields()) {
      return Status::BindError(fmt::format(
          "[INSERT_COLUMN_ARITY_MISMATCH] Cannot write to {}: {} columns expected but the query "
          "produces {}.",
          display, columns.size(), plan->schema()->num_fields()));
    }
    std::vector<expr::ExprPtr> exprs;
    for (int f = 0; f < target->num_fields(); ++f) {
      const TypePtr& type = target->field(f).type;
      if (partitions.values.size() > static_cast<size_t>(f) && partitions.values[f] != nullptr) {
        exprs.push_back(expr::Expression::Literal(partitions.values[f]));
      } else if (source_of[f] < 0) {
        exprs.push_back(expr::Expression::Literal(expr::MakeNullScalar(type)));
      } else {
        const Field& source = plan->schema()->field(source_of[f]);
        exprs.push_back(expr::Expression::Cast(
            expr::Expression::Column(source_of[f], source.type, source.nullable), type, false));
      }
    }
    plan = std::make_shared<sql::ProjectNode>(AsNullable(target), plan, std::move(exprs));
  }
  SLUICE_ASSIGN_OR_RETURN(plan, ConformPlan(plan, *target, display));
  SLUICE_ASSIGN_OR_RETURN(std::vector<BatchPtr> data,
                          exec::ExecuteToBatches(plan, MakeExecOptions(binder.eval_context())));
  delta::WriteOptions write_options;
  write_options.files.pool = pool.get();  // files are encoded in parallel
  write_options.schema = plan->schema();
  if (statement.overwrite && !snapshot->partition_columns().empty()) {
    if (EqualsIgnoreCase(Setting(kPartitionOverwriteModeKey), "dynamic")) {
      write_options.dynamic_partition_overwrite = true;
    } else if (!partitions.spec.empty()) {
      write_options.replace_partitions = delta::PartitionEquals(partitions.spec);
      write_options.replace_partitions->description = partitions.predicate;
    }
  }
  if (statement.overwrite) {
    SLUICE_RETURN_IF_ERROR(
        delta::Overwrite(snapshot->table_root(), data, write_options, LocalFileSystem::Default())
            .status());
  } else {
    SLUICE_RETURN_IF_ERROR(
        delta::Append(snapshot->table_root(), data, write_options, LocalFileSystem::Default())
            .status());
  }
  return NoRows("insert");
}

Result<QueryResult> Session::Impl::RunDropTable(const Statement& statement) {
  const sql::TableRef& table = *statement.table;
  if (table.kind != sql::TableRefKind::kNamed) {
    return Status::NotImplemented(
        "[UNSUPPORTED_FEATURE] DROP TABLE of a path table; delete the directory instead.");
  }
  std::string database = current_database;
  if (table.name.size() >= 2) {
    database = table.name[table.name.size() - 2];
  }
  SLUICE_RETURN_IF_ERROR(catalog->DropTable(database, table.name.back(), statement.if_exists));
  return NoRows("drop table");
}

Result<QueryResult> Session::Impl::RunAlterTable(const Statement& statement) {
  CatalogResolver resolver(*catalog, current_database, &temp_relations);
  sql::Binder binder(resolver, MakeBinderOptions());
  SLUICE_ASSIGN_OR_RETURN(sql::ResolvedTable resolved, binder.ResolveTableRoot(*statement.table));
  SLUICE_ASSIGN_OR_RETURN(
      std::unique_ptr<delta::Transaction> transaction,
      delta::Transaction::Start(resolved.table_root, LocalFileSystem::Default()));
  delta::Metadata metadata = *transaction->metadata();
  delta::Operation operation;
  if (statement.kind == sql::StatementKind::kAlterTableSetProperties) {
    operation.name = "SET TBLPROPERTIES";
    // The commit raises the protocol the new properties need (delta.enableChangeDataFeed:
    // writer version 4, or the changeDataFeed feature), as Delta does.
    std::string properties_json = "{";
    for (const auto& [key, value] : statement.properties) {
      auto it = std::find_if(metadata.configuration.begin(), metadata.configuration.end(),
                             [&](const auto& entry) { return entry.first == key; });
      if (it != metadata.configuration.end()) {
        it->second = value;
      } else {
        metadata.configuration.emplace_back(key, value);
      }
      properties_json += fmt::format("{}{}:{}", properties_json.size() > 1 ? "," : "",
                                     JsonQuote(key), JsonQuote(value));
    }
    operation.parameters.emplace_back("properties", properties_json + "}");
  } else if (statement.kind == sql::StatementKind::kAlterTableUnsetProperties) {
    operation.name = "UNSET TBLPROPERTIES";
    std::string keys_json = "[";
    for (const std::string& key : statement.property_keys) {
      auto it = std::find_if(metadata.configuration.begin(), metadata.configuration.end(),
                             [&](const auto& entry) { return entry.first == key; });
      if (it == metadata.configuration.end()) {
        if (!statement.if_exists) {
          return Status::InvalidArgument(fmt::format(
              "[UNSET_NONEXISTENT_PROPERTIES] Attempted to unset non-existent properties [`{}`] "
              "in table {}.",
              key, resolved.display_name));
        }
        continue;
      }
      metadata.configuration.erase(it);
      keys_json += fmt::format("{}{}", keys_json.size() > 1 ? "," : "", JsonQuote(key));
    }
    operation.parameters.emplace_back("propKeys", keys_json + "]");
    operation.parameters.emplace_back("ifExists", statement.if_exists ? "true" : "false");
  } else {
    operation.name = "ADD COLUMNS";
    const SchemaPtr& current = transaction->snapshot()->schema();
    SLUICE_ASSIGN_OR_RETURN(SchemaPtr added, ColumnsSchema(statement.columns));
    std::vector<Field> fields = current->fields();
    for (Field field : added->fields()) {
      for (const Field& existing : fields) {
        if (EqualsIgnoreCase(existing.name, field.name)) {
          return Status::AlreadyExists(fmt::format(
              "[FIELD_ALREADY_EXISTS] Cannot add column, because `{}` already exists in {}.",
              field.name, resolved.display_name));
        }
      }
      field.nullable = true;  // Delta adds columns as nullable
      fields.push_back(std::move(field));
    }
    metadata.schema_string = SchemaToJson(*MakeSchema(std::move(fields)));
    operation.parameters.emplace_back("columns", JsonQuote(added->ToDdl()));
  }
  transaction->UpdateMetadata(std::move(metadata));
  SLUICE_RETURN_IF_ERROR(transaction->Commit(operation).status());
  return NoRows("alter table");
}

Result<QueryResult> Session::Impl::RunDatabaseStatement(const Statement& statement) {
  switch (statement.kind) {
    case sql::StatementKind::kCreateDatabase:
      SLUICE_RETURN_IF_ERROR(catalog->CreateDatabase(statement.database, statement.if_not_exists,
                                                     statement.location, statement.comment));
      return NoRows("create database");
    case sql::StatementKind::kDropDatabase:
      if (EqualsIgnoreCase(statement.database, current_database)) {
        current_database = std::string(catalog::kDefaultDatabase);
      }
      SLUICE_RETURN_IF_ERROR(
          catalog->DropDatabase(statement.database, statement.if_exists, statement.cascade));
      return NoRows("drop database");
    default: {
      SLUICE_ASSIGN_OR_RETURN(catalog::DatabaseEntry entry,
                              catalog->GetDatabase(statement.database));
      current_database = entry.name;
      return NoRows("use");
    }
  }
}

}  // namespace sluice::engine
