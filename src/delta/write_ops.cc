// SPDX-License-Identifier: Apache-2.0
// Table-level writes: schema enforcement and evolution, CreateTable, Append, Overwrite,
// CommitActions, AlreadyCommitted.
#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <utility>

#include "common/ascii.h"
#include "common/json.h"
#include "delta/column_mapping.h"
#include "delta/conform.h"
#include "delta/log_files.h"
#include "delta/table_properties.h"
#include "delta/writer.h"
#include "types/schema_json.h"

namespace sluice::delta {

namespace {

// Spark's Scala name of a type, as its schema-merge errors print it.
std::string SparkTypeName(const DataType& type) {
  switch (type.id()) {
    case TypeId::kBoolean:
      return "BooleanType";
    case TypeId::kByte:
      return "ByteType";
    case TypeId::kShort:
      return "ShortType";
    case TypeId::kInt:
      return "IntegerType";
    case TypeId::kLong:
      return "LongType";
    case TypeId::kFloat:
      return "FloatType";
    case TypeId::kDouble:
      return "DoubleType";
    case TypeId::kDecimal:
      return fmt::format("DecimalType({},{})", type.precision(), type.scale());
    case TypeId::kString:
      return "StringType";
    case TypeId::kBinary:
      return "BinaryType";
    case TypeId::kDate:
      return "DateType";
    case TypeId::kTimestamp:
      return "TimestampType";
    case TypeId::kTimestampNtz:
      return "TimestampNTZType";
    case TypeId::kNull:
      return "NullType";
    case TypeId::kVariant:
      return "VariantType";
    case TypeId::kArray:
      return fmt::format("ArrayType({},{})", SparkTypeName(*type.element_type()),
                         type.contains_null());
    case TypeId::kMap:
      return fmt::format("MapType({},{},{})", SparkTypeName(*type.key_type()),
                         SparkTypeName(*type.value_type()), type.value_contains_null());
    case TypeId::kStruct: {
      std::vector<std::string> fields;
      for (const Field& field : type.fields()) {
        fields.push_back(fmt::format("StructField({},{},{})", field.name,
                                     SparkTypeName(*field.type), field.nullable));
      }
      return fmt::format("StructType({})", fmt::join(fields, ","));
    }
  }
  return type.ToString();
}

// The index of the field named `name` (exact, else the one equal ignoring case), or -1.
int FindField(const std::vector<Field>& fields, std::string_view name) {
  int found = -1;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].name == name)
      return static_cast<int>(i);
    if (found < 0 && EqualsIgnoreCase(fields[i].name, name))
      found = static_cast<int>(i);
  }
  return found;
}

struct MergeState {
  bool merge = false;
  std::vector<std::string> extra;  // data columns the table lacks (dotted paths)
};

Result<TypePtr> MergeType(const TypePtr& table, const TypePtr& data, const std::string& path,
                          MergeState* state);

Result<std::vector<Field>> MergeFields(const std::vector<Field>& table,
                                       const std::vector<Field>& data, const std::string& prefix,
                                       MergeState* state) {
  std::vector<Field> merged = table;
  for (const Field& field : data) {
    const std::string path = prefix.empty() ? field.name : prefix + "." + field.name;
    const int index = FindField(merged, field.name);
    if (index < 0) {
      state->extra.push_back(path);
      if (state->merge) {
        Field added = field;
        added.type = AsNullable(field.type);
        added.nullable = true;
        merged.push_back(std::move(added));
      }
      continue;
    }
    SLUICE_ASSIGN_OR_RETURN(merged[index].type,
                            MergeType(merged[index].type, field.type, path, state));
  }
  return merged;
}

Result<TypePtr> MergeType(const TypePtr& table, const TypePtr& data, const std::string& path,
                          MergeState* state) {
  if (data->id() == TypeId::kNull)
    return table;
  if (table->id() == TypeId::kStruct && data->id() == TypeId::kStruct) {
    SLUICE_ASSIGN_OR_RETURN(std::vector<Field> fields,
                            MergeFields(table->fields(), data->fields(), path, state));
    return StructType(std::move(fields));
  }
  if (table->id() == TypeId::kArray && data->id() == TypeId::kArray) {
    SLUICE_ASSIGN_OR_RETURN(TypePtr element, MergeType(table->element_type(), data->element_type(),
                                                       path + ".element", state));
    return ArrayType(std::move(element), table->contains_null());
  }
  if (table->id() == TypeId::kMap && data->id() == TypeId::kMap) {
    SLUICE_ASSIGN_OR_RETURN(TypePtr key,
                            MergeType(table->key_type(), data->key_type(), path + ".key", state));
    SLUICE_ASSIGN_OR_RETURN(
        TypePtr value, MergeType(table->value_type(), data->value_type(), path + ".value", state));
    return MapType(std::move(key), std::move(value), table->value_contains_null());
  }
  if (table->id() == data->id() && !table->is_nested()) {
    if (table->id() != TypeId::kDecimal ||
        (table->precision() == data->precision() && table->scale() == data->scale())) {
      return table;
    }
    return Status::InvalidArgument(fmt::format(
        "Failed to merge fields '{}' and '{}'. Failed to merge decimal types with incompatible "
        "precision {} and {} & scale {} and {}",
        path, path, table->precision(), data->precision(), table->scale(), data->scale()));
  }
  const std::string name = path.substr(path.rfind('.') + 1);
  return Status::InvalidArgument(fmt::format(
      "Failed to merge fields '{}' and '{}'. Failed to merge incompatible data types {} and {} "
      "(column `{}`: the table has {}, the data {})",
      name, name, SparkTypeName(*table), SparkTypeName(*data), path, table->ToString(),
      data->ToString()));
}

Status CheckNoDuplicateColumns(const Schema& schema) {
  std::set<std::string> seen;
  std::vector<std::string> duplicates;
  for (const Field& field : schema.fields()) {
    if (!seen.insert(ToLowerAscii(field.name)).second)
      duplicates.push_back("`" + field.name + "`");
  }
  if (!duplicates.empty()) {
    return Status::InvalidArgument(fmt::format("Found duplicate column(s) in the data to save: {}",
                                               fmt::join(duplicates, ", ")));
  }
  return Status::Ok();
}

// Resolves `columns` against `schema` (ignoring case) to the schema's spelling and checks
// they can partition a table.
Result<std::vector<std::string>> ResolvePartitionColumns(const Schema& schema,
                                                         const std::vector<std::string>& columns) {
  std::vector<std::string> resolved;
  for (const std::string& column : columns) {
    const int index = FindField(schema.fields(), column);
    if (index < 0) {
      return Status::InvalidArgument(
          fmt::format("Partition column `{}` not found in schema {}", column, schema.ToString()));
    }
    const Field& field = schema.field(index);
    if (field.type->is_nested() || field.type->id() == TypeId::kVariant ||
        field.type->id() == TypeId::kNull) {
      return Status::InvalidArgument(
          fmt::format("Using column {} of type {} as a partition column is not supported.",
                      field.name, field.type->ToString()));
    }
    if (std::find(resolved.begin(), resolved.end(), field.name) != resolved.end()) {
      return Status::InvalidArgument(
          fmt::format("Found duplicate column(s) in the partition schema: `{}`", field.name));
    }
    resolved.push_back(field.name);
  }
  return resolved;
}

bool SameColumns(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  if (a.size() != b.size())
    return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (!EqualsIgnoreCase(a[i], b[i]))
      return false;
  }
  return true;
}

std::string JsonList(const std::vector<std::string>& items) {
  std::vector<JsonValue> values;
  for (const std::string& item : items)
    values.push_back(JsonValue::String(item));
  return JsonValue::Array(std::move(values)).Serialize();
}

std::string JsonObject(const StringMap& map) {
  std::vector<JsonValue::Member> members;
  for (const auto& [key, value] : map)
    members.emplace_back(key, JsonValue::String(value));
  return JsonValue::Object(std::move(members)).Serialize();
}

// Column mapping for a table being created or evolved: every field (nested too) without
// an id gets the next id and a physical name "col-<uuid>"; `*max_id` is the largest id.
TypePtr AssignColumnMapping(const TypePtr& type, int64_t* max_id);

std::vector<Field> AssignFields(const std::vector<Field>& fields, int64_t* max_id) {
  std::vector<Field> out = fields;
  for (Field& field : out) {
    if (FindFieldMetadata(field, kColumnIdKey) == nullptr) {
      field.metadata.emplace_back(std::string(kColumnIdKey), std::to_string(++*max_id));
      JsonValue name = JsonValue::String("col-" + RandomUuid());
      field.metadata.emplace_back(std::string(kPhysicalNameKey), name.Serialize());
    }
    field.type = AssignColumnMapping(field.type, max_id);
  }
  return out;
}

TypePtr AssignColumnMapping(const TypePtr& type, int64_t* max_id) {
  switch (type->id()) {
    case TypeId::kStruct:
      return StructType(AssignFields(type->fields(), max_id));
    case TypeId::kArray:
      return ArrayType(AssignColumnMapping(type->element_type(), max_id), type->contains_null());
    case TypeId::kMap:
      return MapType(AssignColumnMapping(type->key_type(), max_id),
                     AssignColumnMapping(type->value_type(), max_id), type->value_contains_null());
    default:
      return type;
  }
}

// Gives `metadata` (whose schema is `schema`) column mapping ids and physical names when
// its mode asks for them.
Status ApplyColumnMapping(Metadata* metadata, const SchemaPtr& schema) {
  SLUICE_ASSIGN_OR_RETURN(ColumnMappingMode mode, GetColumnMappingMode(metadata->configuration));
  if (mode == ColumnMappingMode::kNone)
    return Status::Ok();
  int64_t max_id = 0;
  auto it = std::find_if(metadata->configuration.begin(), metadata->configuration.end(),
                         [](const auto& entry) { return entry.first == kColumnMappingMaxIdKey; });
  if (it != metadata->configuration.end())
    max_id = std::stoll(it->second);
  Schema mapped(AssignFields(schema->fields(), &max_id));
  metadata->schema_string = SchemaToJson(mapped);
  if (it != metadata->configuration.end()) {
    it->second = std::to_string(max_id);
  } else {
    metadata->configuration.emplace_back(std::string(kColumnMappingMaxIdKey),
                                         std::to_string(max_id));
  }
  return Status::Ok();
}

// Whether the status may leave a commit that refers to the files (then keep them).
bool CommitOutcomeUnknown(const Status& status) {
  return status.code() == StatusCode::kIoError || status.code() == StatusCode::kInternal;
}

void DeleteFiles(const std::string& root, const std::vector<AddFile>& files, FileSystem& fs) {
  for (const AddFile& file : files)
    fs.DeleteFile(JoinPath(root, file.path)).IgnoreError();  // cleanup of unreferenced files
}

Status CheckTxnOptions(const WriteOptions& options) {
  if (options.txn_app_id.has_value() != options.txn_version.has_value()) {
    return Status::InvalidArgument(
        "Invalid options for idempotent Dataframe writes: both txnAppId and txnVersion must "
        "be set, or neither");
  }
  if (options.txn_version.has_value() && *options.txn_version < 0) {
    return Status::InvalidArgument(
        fmt::format("txnVersion must be >= 0, but it was {}", *options.txn_version));
  }
  return Status::Ok();
}

Result<WriteResult> Write(const std::string& table_root, const std::vector<BatchPtr>& batches,
                          const WriteOptions& options, FileSystem& fs, bool overwrite) {
  SLUICE_RETURN_IF_ERROR(CheckTxnOptions(options));
  SchemaPtr data_schema = batches.empty() ? options.schema : batches.front()->schema();
  if (data_schema == nullptr) {
    return Status::InvalidArgument(
        fmt::format("Writing to Delta table '{}' needs batches or a schema", table_root));
  }
  for (const BatchPtr& batch : batches) {
    if (!batch->schema()->Equals(*data_schema)) {
      return Status::InvalidArgument(
          fmt::format("Writing to Delta table '{}': the batches have different schemas: {} and {}",
                      table_root, data_schema->ToString(), batch->schema()->ToString()));
    }
  }
  SLUICE_RETURN_IF_ERROR(CheckNoDuplicateColumns(*data_schema));
  SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<Transaction> txn,
                          Transaction::Start(table_root, fs, options.transaction));
  WriteResult result;
  if (options.txn_app_id.has_value()) {
    std::optional<int64_t> recorded = txn->ReadTransactionVersion(*options.txn_app_id);
    if (recorded.has_value() && *recorded >= *options.txn_version) {
      result.commit.version = txn->read_version();
      result.commit.skipped = true;
      return result;
    }
  }
  const SnapshotPtr& snapshot = txn->snapshot();
  WriteTarget target;
  target.table_root = table_root;
  if (snapshot == nullptr || (overwrite && options.overwrite_schema)) {
    Metadata metadata = snapshot ? snapshot->metadata() : Metadata();
    SchemaPtr schema = AsNullable(data_schema);
    SLUICE_ASSIGN_OR_RETURN(metadata.partition_columns,
                            ResolvePartitionColumns(*schema, options.partition_columns));
    if (snapshot == nullptr) {
      SLUICE_ASSIGN_OR_RETURN(metadata.configuration,
                              NormalizeConfiguration(options.configuration));
      metadata.id = RandomUuid();
    }
    metadata.schema_string = SchemaToJson(*schema);
    SLUICE_RETURN_IF_ERROR(ApplyColumnMapping(&metadata, schema));
    if (snapshot == nullptr) {
      StringMap stripped;
      SLUICE_ASSIGN_OR_RETURN(Protocol protocol,
                              ProtocolForNewTable(*schema, metadata.configuration, &stripped));
      metadata.configuration = std::move(stripped);
      txn->UpdateProtocol(protocol);
      target.protocol = protocol;
    } else {
      target.protocol = snapshot->protocol();
    }
    SLUICE_ASSIGN_OR_RETURN(target.schema, SchemaFromJson(metadata.schema_string));
    target.metadata = metadata;
    txn->UpdateMetadata(std::move(metadata));
  } else {
    target.protocol = snapshot->protocol();
    target.metadata = snapshot->metadata();
    if (!options.partition_columns.empty() &&
        !SameColumns(options.partition_columns, snapshot->partition_columns())) {
      return Status::InvalidArgument(fmt::format(
          "Partition columns do not match the partition columns of the table.\nGiven: [{}]\n"
          "Table: [{}]{}",
          fmt::join(options.partition_columns, ", "),
          fmt::join(snapshot->partition_columns(), ", "),
          overwrite ? "\nTo overwrite your schema or change partitioning, please set: "
                      "'.option(\"overwriteSchema\", \"true\")'."
                    : ""));
    }
    SLUICE_ASSIGN_OR_RETURN(
        SchemaPtr merged, MergeWriteSchema(*snapshot->schema(), *data_schema, options.merge_schema,
                                           snapshot->metadata().id));
    if (!merged->Equals(*snapshot->schema())) {
      target.metadata.schema_string = SchemaToJson(*merged);
      SLUICE_RETURN_IF_ERROR(ApplyColumnMapping(&target.metadata, merged));
      txn->UpdateMetadata(target.metadata);
      // A new column may need a protocol upgrade (timestamp_ntz): the commit decides.
      target.protocol = MergeProtocols(snapshot->protocol(),
                                       RequiredProtocol(*merged, target.metadata.configuration));
    }
    SLUICE_ASSIGN_OR_RETURN(target.schema, SchemaFromJson(target.metadata.schema_string));
  }

  std::vector<BatchPtr> conformed;
  conformed.reserve(batches.size());
  for (const BatchPtr& batch : batches) {
    SLUICE_ASSIGN_OR_RETURN(BatchPtr rows, ConformToTable(*batch, target.schema));
    result.num_output_rows += rows->num_rows();
    conformed.push_back(std::move(rows));
  }
  SLUICE_ASSIGN_OR_RETURN(result.added, WriteDataFiles(target, conformed, options.files, fs));
  for (const AddFile& add : result.added)
    txn->Add(add);
  if (overwrite && snapshot != nullptr) {
    txn->ReadWholeTable();
    PartitionFilter replaced{[](const PartitionValues&) { return true; }, "true"};
    if (options.dynamic_partition_overwrite) {
      // The partitions written to, as sorted value lists (file order may differ).
      auto key = [](PartitionValues values) {
        std::sort(values.begin(), values.end());
        return values;
      };
      auto written = std::make_shared<std::set<PartitionValues>>();
      for (const AddFile& add : result.added)
        written->insert(key(add.partition_values));
      replaced = {
          [written, key](const PartitionValues& values) { return written->count(key(values)) > 0; },
          "the partitions written"};
    } else if (options.replace_partitions.has_value()) {
      replaced = *options.replace_partitions;
    }
    const Clock& clock =
        options.transaction.clock != nullptr ? *options.transaction.clock : Clock::System();
    const int64_t now = clock.NowMicros() / 1000;
    for (const AddFile& file : txn->FilterFiles(replaced)) {
      txn->Remove(MakeRemove(file, now));
      ++result.num_removed_files;
    }
  }
  if (options.txn_app_id.has_value())
    txn->SetAppTransaction(*options.txn_app_id, *options.txn_version);
  Operation op;
  op.name = "WRITE";
  op.parameters = {{"mode", overwrite ? "Overwrite" : "Append"},
                   {"partitionBy", JsonList(target.metadata.partition_columns)}};
  if (overwrite && options.dynamic_partition_overwrite) {
    op.parameters.emplace_back("dynamicPartitionOverwrite", "true");
  } else if (overwrite && options.replace_partitions.has_value()) {
    op.parameters.emplace_back("predicate", JsonList({options.replace_partitions->description}));
  }
  if (options.operation.has_value())
    op = *options.operation;
  if (options.user_metadata.has_value())
    op.user_metadata = options.user_metadata;
  Result<CommitResult> commit = txn->Commit(op);
  if (!commit.ok()) {
    if (!CommitOutcomeUnknown(commit.status()))
      DeleteFiles(table_root, result.added, fs);
    return commit.status();
  }
  result.commit = std::move(*commit);
  return result;
}

}  // namespace

Result<SchemaPtr> MergeWriteSchema(const Schema& table, const Schema& data, bool merge_schema,
                                   std::string_view table_id) {
  MergeState state;
  state.merge = merge_schema;
  SLUICE_ASSIGN_OR_RETURN(std::vector<Field> fields,
                          MergeFields(table.fields(), data.fields(), "", &state));
  if (!state.extra.empty() && !merge_schema) {
    std::vector<std::string> quoted;
    for (const std::string& column : state.extra)
      quoted.push_back("`" + column + "`");
    return Status::InvalidArgument(fmt::format(
        "A schema mismatch detected when writing to the Delta table (Table ID: {}).\n"
        "To enable schema migration using DataFrameWriter or DataStreamWriter, please set:\n"
        "'.option(\"mergeSchema\", \"true\")'.\n"
        "Data columns not in the table: {}\n\nTable schema:\n{}\n\nData schema:\n{}\n",
        table_id, fmt::join(quoted, ", "), table.ToTreeString(), data.ToTreeString()));
  }
  return MakeSchema(std::move(fields));
}

Result<BatchPtr> ConformToTable(const Batch& batch, const SchemaPtr& table_schema) {
  Result<BatchPtr> conformed = ConformBatch(batch, table_schema, ColumnMappingMode::kNone);
  if (!conformed.ok())
    return Status::InvalidArgument(conformed.status().message());
  for (int i = 0; i < table_schema->num_fields(); ++i) {
    const Field& field = table_schema->field(i);
    if (!field.nullable && (*conformed)->column(i)->null_count() > 0) {
      return Status::InvalidArgument(fmt::format(
          "[DELTA_NOT_NULL_CONSTRAINT_VIOLATED] NOT NULL constraint violated for column: {}.",
          field.name));
    }
  }
  return conformed;
}

Result<CommitResult> CreateTable(const std::string& table_root, const SchemaPtr& schema,
                                 const std::vector<std::string>& partition_columns,
                                 const StringMap& configuration, FileSystem& fs,
                                 TransactionOptions options) {
  Result<LogListing> listing = ListLog(LogDirectory(table_root), fs);
  if (listing.ok() && listing->latest_commit_version() >= 0) {
    return Status::AlreadyExists(fmt::format("Delta table '{}' already exists", table_root));
  }
  if (!listing.ok() && listing.status().code() != StatusCode::kNotFound)
    return listing.status();
  SLUICE_RETURN_IF_ERROR(CheckNoDuplicateColumns(*schema));
  Metadata metadata;
  metadata.id = RandomUuid();
  SLUICE_ASSIGN_OR_RETURN(metadata.partition_columns,
                          ResolvePartitionColumns(*schema, partition_columns));
  SLUICE_ASSIGN_OR_RETURN(metadata.configuration, NormalizeConfiguration(configuration));
  metadata.schema_string = SchemaToJson(*schema);
  SLUICE_RETURN_IF_ERROR(ApplyColumnMapping(&metadata, schema));
  StringMap properties;
  for (const auto& [key, value] : metadata.configuration) {
    if (key != kColumnMappingMaxIdKey)
      properties.emplace_back(key, value);
  }
  auto txn = Transaction::ForNewTable(table_root, fs, std::move(options));
  Operation op;
  op.name = "CREATE TABLE";
  op.parameters = {{"isManaged", "false"},
                   {"partitionBy", JsonList(metadata.partition_columns)},
                   {"properties", JsonObject(properties)}};
  txn->UpdateMetadata(std::move(metadata));
  return txn->Commit(op);
}

Result<WriteResult> Append(const std::string& table_root, const std::vector<BatchPtr>& batches,
                           const WriteOptions& options, FileSystem& fs) {
  return Write(table_root, batches, options, fs, /*overwrite=*/false);
}

Result<WriteResult> Overwrite(const std::string& table_root, const std::vector<BatchPtr>& batches,
                              const WriteOptions& options, FileSystem& fs) {
  return Write(table_root, batches, options, fs, /*overwrite=*/true);
}

Result<CommitResult> CommitActions(const std::string& table_root, std::vector<AddFile> adds,
                                   std::vector<RemoveFile> removes, const Operation& operation,
                                   FileSystem& fs, const CommitActionsOptions& options) {
  SLUICE_ASSIGN_OR_RETURN(SnapshotPtr snapshot,
                          Snapshot::Load(table_root, fs, options.read_version));
  auto txn = Transaction::FromSnapshot(snapshot, fs, options.transaction);
  if (options.read_whole_table)
    txn->ReadWholeTable();
  std::set<std::string> removed;
  for (const RemoveFile& remove : removes)
    removed.insert(remove.path);
  std::vector<AddFile> read;
  for (const AddFile& file : snapshot->files()) {
    if (removed.count(file.path) != 0)
      read.push_back(file);
  }
  txn->ReadFiles(read);
  for (AddFile& add : adds)
    txn->Add(std::move(add));
  for (RemoveFile& remove : removes)
    txn->Remove(std::move(remove));
  return txn->Commit(operation);
}

Result<bool> AlreadyCommitted(const std::string& table_root, std::string_view app_id,
                              int64_t version, FileSystem& fs) {
  Result<SnapshotPtr> snapshot = Snapshot::Load(table_root, fs);
  if (!snapshot.ok()) {
    if (snapshot.status().code() == StatusCode::kNotFound)
      return false;
    return snapshot.status();
  }
  std::optional<int64_t> recorded = (*snapshot)->TransactionVersion(app_id);
  return recorded.has_value() && *recorded >= version;
}

}  // namespace sluice::delta
