// SPDX-License-Identifier: Apache-2.0
// Writing classic V1 checkpoints in Delta Spark's layout.

#include <fmt/format.h>

#include <memory>
#include <variant>

#include "delta/checkpoint.h"
#include "delta/checkpoint_stats_internal.h"
#include "delta/column_mapping.h"
#include "delta/partition_values.h"
#include "types/schema_json.h"

namespace sluice::delta {

namespace {

using checkpoint_internal::AppendJsonStatistic;
using checkpoint_internal::FieldLookup;
using checkpoint_internal::StatsShape;

// The top-level columns of a classic checkpoint, in Delta Spark's order.
enum CheckpointColumn : int { kTxn, kAdd, kRemove, kMetadata, kProtocol, kDomain, kNumColumns };

// ---------------------------------------------------------------------------------------
// Schema

Field Nullable(std::string name, TypePtr type) {
  return MakeField(std::move(name), std::move(type), true);
}

TypePtr StringMapType() {
  return MapType(StringType(), StringType(), true);
}

TypePtr StringListType() {
  return ArrayType(StringType(), true);
}

TypePtr DeletionVectorType() {
  return StructType({Nullable("storageType", StringType()),
                     Nullable("pathOrInlineDv", StringType()), Nullable("offset", IntType()),
                     Nullable("sizeInBytes", IntType()), Nullable("cardinality", LongType()),
                     Nullable("maxRowIndex", LongType())});
}

// The schema Delta Spark writes; `partition_values_parsed` and `stats_parsed` are
// left out when null.
SchemaPtr CheckpointSchema(bool stats_json, const TypePtr& partition_values_parsed,
                           const TypePtr& stats_parsed) {
  std::vector<Field> add = {Nullable("path", StringType()),
                            Nullable("partitionValues", StringMapType()),
                            Nullable("size", LongType()),
                            Nullable("modificationTime", LongType()),
                            Nullable("dataChange", BooleanType()),
                            Nullable("tags", StringMapType()),
                            Nullable("deletionVector", DeletionVectorType()),
                            Nullable("baseRowId", LongType()),
                            Nullable("defaultRowCommitVersion", LongType()),
                            Nullable("clusteringProvider", StringType())};
  if (stats_json) {
    add.push_back(Nullable("stats", StringType()));
  }
  if (partition_values_parsed != nullptr) {
    add.push_back(Nullable("partitionValues_parsed", partition_values_parsed));
  }
  if (stats_parsed != nullptr) {
    add.push_back(Nullable("stats_parsed", stats_parsed));
  }
  std::vector<Field> columns(kNumColumns);
  columns[kTxn] =
      Nullable("txn", StructType({Nullable("appId", StringType()), Nullable("version", LongType()),
                                  Nullable("lastUpdated", LongType())}));
  columns[kAdd] = Nullable("add", StructType(std::move(add)));
  columns[kRemove] = Nullable(
      "remove",
      StructType(
          {Nullable("path", StringType()), Nullable("deletionTimestamp", LongType()),
           Nullable("dataChange", BooleanType()), Nullable("extendedFileMetadata", BooleanType()),
           Nullable("partitionValues", StringMapType()), Nullable("size", LongType()),
           Nullable("deletionVector", DeletionVectorType()), Nullable("baseRowId", LongType()),
           Nullable("defaultRowCommitVersion", LongType())}));
  columns[kMetadata] = Nullable(
      "metaData",
      StructType(
          {Nullable("id", StringType()), Nullable("name", StringType()),
           Nullable("description", StringType()),
           Nullable("format", StructType({Nullable("provider", StringType()),
                                          Nullable("options", StringMapType())})),
           Nullable("schemaString", StringType()), Nullable("partitionColumns", StringListType()),
           Nullable("configuration", StringMapType()), Nullable("createdTime", LongType())}));
  columns[kProtocol] = Nullable(
      "protocol",
      StructType({Nullable("minReaderVersion", IntType()), Nullable("minWriterVersion", IntType()),
                  Nullable("readerFeatures", StringListType()),
                  Nullable("writerFeatures", StringListType())}));
  columns[kDomain] = Nullable("domainMetadata", StructType({Nullable("domain", StringType()),
                                                            Nullable("configuration", StringType()),
                                                            Nullable("removed", BooleanType())}));
  return MakeSchema(std::move(columns));
}

// Appends `value`, or a null when it is unset, to a builder of type `Builder`.
template <typename Builder, typename T>
void PutOptional(VectorBuilder* builder, const std::optional<T>& value) {
  auto* typed = static_cast<Builder*>(builder);
  if (value.has_value()) {
    typed->Append(*value);
  } else {
    typed->AppendNull();
  }
}

void PutString(VectorBuilder* builder, const std::optional<std::string>& value) {
  PutOptional<StringBuilder>(builder, value);
}
void PutLong(VectorBuilder* builder, std::optional<int64_t> value) {
  PutOptional<Int64Builder>(builder, value);
}
void PutInt(VectorBuilder* builder, std::optional<int32_t> value) {
  PutOptional<Int32Builder>(builder, value);
}
void PutBool(VectorBuilder* builder, std::optional<bool> value) {
  PutOptional<BooleanBuilder>(builder, value);
}

void PutStringMap(VectorBuilder* builder, const std::optional<StringMap>& map) {
  auto* entries = static_cast<MapBuilder*>(builder);
  if (!map.has_value()) {
    entries->AppendNull();
    return;
  }
  for (const auto& [key, value] : *map) {
    static_cast<StringBuilder*>(entries->keys())->Append(key);
    static_cast<StringBuilder*>(entries->values())->Append(value);
  }
  entries->Append();
}

void PutPartitionValues(VectorBuilder* builder, const std::optional<PartitionValues>& map) {
  auto* entries = static_cast<MapBuilder*>(builder);
  if (!map.has_value()) {
    entries->AppendNull();
    return;
  }
  for (const auto& [key, value] : *map) {
    static_cast<StringBuilder*>(entries->keys())->Append(key);
    PutString(entries->values(), value);
  }
  entries->Append();
}

void PutStringList(VectorBuilder* builder, const std::optional<std::vector<std::string>>& list) {
  auto* items = static_cast<ArrayBuilder*>(builder);
  if (!list.has_value()) {
    items->AppendNull();
    return;
  }
  for (const std::string& item : *list) {
    static_cast<StringBuilder*>(items->element())->Append(item);
  }
  items->Append();
}

void PutDeletionVector(VectorBuilder* builder, const std::optional<DeletionVectorDescriptor>& dv) {
  auto* row = static_cast<StructBuilder*>(builder);
  if (!dv.has_value()) {
    row->AppendNull();
    return;
  }
  PutString(row->child(0), dv->storage_type);
  PutString(row->child(1), dv->path_or_inline_dv);
  PutInt(row->child(2), dv->offset);
  PutInt(row->child(3), dv->size_in_bytes);
  PutLong(row->child(4), dv->cardinality);
  PutLong(row->child(5), dv->max_row_index);
  row->Append();
}

// ---------------------------------------------------------------------------------------
// Rows

// Appends a parsed partition value to the builder of its column's type.
void AppendLiteral(VectorBuilder* builder, const parquet::Literal& literal) {
  if (literal.is_null()) {
    builder->AppendNull();
    return;
  }
  switch (builder->type()->id()) {
    case TypeId::kBoolean:
      static_cast<BooleanBuilder*>(builder)->Append(std::get<bool>(literal.value));
      break;
    case TypeId::kByte:
      static_cast<Int8Builder*>(builder)->Append(
          static_cast<int8_t>(std::get<int64_t>(literal.value)));
      break;
    case TypeId::kShort:
      static_cast<Int16Builder*>(builder)->Append(
          static_cast<int16_t>(std::get<int64_t>(literal.value)));
      break;
    case TypeId::kInt:
    case TypeId::kDate:
      static_cast<Int32Builder*>(builder)->Append(
          static_cast<int32_t>(std::get<int64_t>(literal.value)));
      break;
    case TypeId::kLong:
    case TypeId::kTimestamp:
    case TypeId::kTimestampNtz:
      static_cast<Int64Builder*>(builder)->Append(std::get<int64_t>(literal.value));
      break;
    case TypeId::kFloat:
      static_cast<FloatBuilder*>(builder)->Append(
          static_cast<float>(std::get<double>(literal.value)));
      break;
    case TypeId::kDouble:
      static_cast<DoubleBuilder*>(builder)->Append(std::get<double>(literal.value));
      break;
    case TypeId::kDecimal:
      static_cast<DecimalBuilder*>(builder)->Append(std::get<Int128>(literal.value));
      break;
    case TypeId::kString:
    case TypeId::kBinary:
      static_cast<StringBuilder*>(builder)->Append(std::get<std::string>(literal.value));
      break;
    default:
      builder->AppendNull();  // ParsePartitionValue gives only nulls for other types
      break;
  }
}

// A partition column of the table: the key of partitionValues and its type.
struct PartitionColumn {
  std::string key;
  TypePtr type;
};

// Appends actions as checkpoint rows, flushing full batches to a Parquet writer.
class RowWriter {
 public:
  RowWriter(SchemaPtr schema, parquet::ParquetWriter* writer, bool stats_json,
            std::vector<PartitionColumn> partitions, TypePtr stats_parsed)
      : builder_(std::move(schema)),
        writer_(writer),
        stats_json_(stats_json),
        partitions_(std::move(partitions)),
        stats_parsed_(std::move(stats_parsed)) {
    if (stats_parsed_ != nullptr) {
      stats_lookup_ = std::make_unique<FieldLookup>(*stats_parsed_);
    }
  }

  Status Append(const Action& action) {
    int column = -1;
    if (const auto* txn = std::get_if<SetTransaction>(&action)) {
      column = kTxn;
      PutTxn(*txn);
    } else if (const auto* add = std::get_if<AddFile>(&action)) {
      column = kAdd;
      SLUICE_RETURN_IF_ERROR(PutAdd(*add));
    } else if (const auto* remove = std::get_if<RemoveFile>(&action)) {
      column = kRemove;
      PutRemove(*remove);
    } else if (const auto* metadata = std::get_if<Metadata>(&action)) {
      column = kMetadata;
      PutMetadata(*metadata);
    } else if (const auto* protocol = std::get_if<Protocol>(&action)) {
      column = kProtocol;
      PutProtocol(*protocol);
    } else if (const auto* domain = std::get_if<DomainMetadata>(&action)) {
      column = kDomain;
      PutDomain(*domain);
    } else {
      return Status::Internal("checkpoint rows hold only checkpoint actions");
    }
    for (int c = 0; c < kNumColumns; ++c) {
      if (c != column) {
        builder_.column(c)->AppendNull();
      }
    }
    if (builder_.num_rows() >= kDefaultBatchRows) {
      return Flush();
    }
    return Status::Ok();
  }

  Status Flush() {
    if (builder_.num_rows() == 0) {
      return Status::Ok();
    }
    return writer_->Write(*builder_.Finish());
  }

 private:
  StructBuilder* Column(int column) { return static_cast<StructBuilder*>(builder_.column(column)); }

  void PutTxn(const SetTransaction& txn) {
    StructBuilder* row = Column(kTxn);
    PutString(row->child(0), txn.app_id);
    PutLong(row->child(1), txn.version);
    PutLong(row->child(2), txn.last_updated);
    row->Append();
  }

  Status PutAdd(const AddFile& add) {
    StructBuilder* row = Column(kAdd);
    int k = 0;
    PutString(row->child(k++), add.path);
    PutPartitionValues(row->child(k++), add.partition_values);
    PutLong(row->child(k++), add.size);
    PutLong(row->child(k++), add.modification_time);
    PutBool(row->child(k++), add.data_change);
    PutStringMap(row->child(k++), add.tags);
    PutDeletionVector(row->child(k++), add.deletion_vector);
    PutLong(row->child(k++), add.base_row_id);
    PutLong(row->child(k++), add.default_row_commit_version);
    PutString(row->child(k++), add.clustering_provider);
    if (stats_json_) {
      PutString(row->child(k++), add.stats);
    }
    if (!partitions_.empty()) {
      auto* parsed = static_cast<StructBuilder*>(row->child(k++));
      for (size_t p = 0; p < partitions_.size(); ++p) {
        const std::optional<std::string>* value =
            FindValue(add.partition_values, partitions_[p].key);
        Result<parquet::Literal> literal =
            ParsePartitionValue(partitions_[p].type, value != nullptr ? *value : std::nullopt);
        if (!literal.ok()) {
          return std::move(literal).status().WithContext(fmt::format("add {}", add.path));
        }
        AppendLiteral(parsed->child(static_cast<int>(p)), *literal);
      }
      parsed->Append();
    }
    if (stats_parsed_ != nullptr) {
      std::optional<JsonValue> stats;
      if (add.stats.has_value()) {
        Result<JsonValue> parsed = JsonValue::Parse(*add.stats);
        if (parsed.ok() && parsed->is_object()) {
          stats = std::move(*parsed);
        }
      }
      AppendJsonStatistic(row->child(k++), *stats_parsed_, stats_lookup_.get(),
                          stats.has_value() ? &*stats : nullptr);
    }
    row->Append();
    return Status::Ok();
  }

  void PutRemove(const RemoveFile& remove) {
    StructBuilder* row = Column(kRemove);
    PutString(row->child(0), remove.path);
    PutLong(row->child(1), remove.deletion_timestamp);
    PutBool(row->child(2), remove.data_change);
    PutBool(row->child(3), remove.extended_file_metadata);
    PutPartitionValues(row->child(4), remove.partition_values);
    PutLong(row->child(5), remove.size);
    PutDeletionVector(row->child(6), remove.deletion_vector);
    PutLong(row->child(7), remove.base_row_id);
    PutLong(row->child(8), remove.default_row_commit_version);
    row->Append();
  }

  void PutMetadata(const Metadata& metadata) {
    StructBuilder* row = Column(kMetadata);
    PutString(row->child(0), metadata.id);
    PutString(row->child(1), metadata.name);
    PutString(row->child(2), metadata.description);
    auto* format = static_cast<StructBuilder*>(row->child(3));
    PutString(format->child(0), metadata.format_provider);
    PutStringMap(format->child(1), metadata.format_options);
    format->Append();
    PutString(row->child(4), metadata.schema_string);
    PutStringList(row->child(5), metadata.partition_columns);
    PutStringMap(row->child(6), metadata.configuration);
    PutLong(row->child(7), metadata.created_time);
    row->Append();
  }

  void PutProtocol(const Protocol& protocol) {
    StructBuilder* row = Column(kProtocol);
    PutInt(row->child(0), protocol.min_reader_version);
    PutInt(row->child(1), protocol.min_writer_version);
    PutStringList(row->child(2), protocol.reader_features);
    PutStringList(row->child(3), protocol.writer_features);
    row->Append();
  }

  void PutDomain(const DomainMetadata& domain) {
    StructBuilder* row = Column(kDomain);
    PutString(row->child(0), domain.domain);
    PutString(row->child(1), domain.configuration);
    PutBool(row->child(2), domain.removed);
    row->Append();
  }

  BatchBuilder builder_;
  parquet::ParquetWriter* writer_;
  bool stats_json_;
  std::vector<PartitionColumn> partitions_;
  TypePtr stats_parsed_;
  std::unique_ptr<FieldLookup> stats_lookup_;
};

// Checks what a checkpoint may hold and returns the actions to write (removes without
// stats and tags, removed domains left out).
Result<std::vector<const Action*>> CheckpointActions(const std::vector<Action>& actions,
                                                     const Protocol** protocol,
                                                     const Metadata** metadata) {
  std::vector<const Action*> rows;
  rows.reserve(actions.size());
  int protocols = 0;
  int metadatas = 0;
  for (const Action& action : actions) {
    if (std::holds_alternative<CommitInfo>(action) || std::holds_alternative<AddCdcFile>(action) ||
        std::holds_alternative<CheckpointMetadata>(action) ||
        std::holds_alternative<Sidecar>(action)) {
      return Status::InvalidArgument(
          "a classic checkpoint holds only protocol, metaData, txn, domainMetadata, add and "
          "remove actions");
    }
    if (const auto* domain = std::get_if<DomainMetadata>(&action); domain && domain->removed) {
      continue;
    }
    if (const auto* p = std::get_if<Protocol>(&action)) {
      ++protocols;
      *protocol = p;
    }
    if (const auto* m = std::get_if<Metadata>(&action)) {
      ++metadatas;
      *metadata = m;
    }
    rows.push_back(&action);
  }
  if (protocols != 1 || metadatas != 1) {
    return Status::InvalidArgument(
        fmt::format("a checkpoint needs exactly one protocol and one metaData action, got {} "
                    "and {}",
                    protocols, metadatas));
  }
  return rows;
}

}  // namespace

Result<CheckpointWriteResult> WriteClassicCheckpoint(
    const std::string& log_dir, int64_t version, const std::vector<Action>& actions,
    const Schema& table_schema, const std::vector<std::string>& partition_columns, FileSystem& fs,
    const CheckpointWriteOptions& options) {
  if (version < 0) {
    return Status::InvalidArgument(fmt::format("checkpoint version {} is negative", version));
  }
  const Protocol* protocol = nullptr;
  const Metadata* metadata = nullptr;
  SLUICE_ASSIGN_OR_RETURN(std::vector<const Action*> rows,
                          CheckpointActions(actions, &protocol, &metadata));
  // Partition values and statistics are keyed by physical names under column mapping.
  SLUICE_ASSIGN_OR_RETURN(ColumnMappingMode mode, GetColumnMappingMode(*protocol, *metadata));
  SLUICE_ASSIGN_OR_RETURN(SchemaPtr physical, PhysicalSchema(table_schema, mode));
  std::vector<PartitionColumn> partitions;
  for (const std::string& name : partition_columns) {
    SLUICE_ASSIGN_OR_RETURN(std::optional<int> index, FindFieldByName(table_schema.fields(), name));
    if (!index.has_value()) {
      return Status::InvalidArgument(
          fmt::format("partition column {} is not in the table schema", name));
    }
    partitions.push_back({physical->field(*index).name, table_schema.field(*index).type});
  }

  TypePtr partition_values_parsed;
  TypePtr stats_parsed;
  if (!options.write_stats_as_struct) {
    partitions.clear();
  } else {
    std::vector<Field> parsed_fields;
    for (const PartitionColumn& column : partitions) {
      parsed_fields.push_back(Nullable(column.key, column.type));
    }
    if (!parsed_fields.empty()) {
      partition_values_parsed = StructType(std::move(parsed_fields));
    }
    StatsShape shape(*physical->struct_type());
    for (const Action* action : rows) {
      const auto* add = std::get_if<AddFile>(action);
      if (add == nullptr || !add->stats.has_value()) {
        continue;
      }
      Result<JsonValue> stats = JsonValue::Parse(*add->stats);
      if (stats.ok()) {
        shape.Add(*stats);
      }
    }
    stats_parsed = shape.Type();
  }
  SchemaPtr schema =
      CheckpointSchema(options.write_stats_as_json, partition_values_parsed, stats_parsed);

  auto stream = std::make_unique<parquet::MemoryOutputStream>();
  parquet::MemoryOutputStream* memory = stream.get();
  SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<parquet::ParquetWriter> writer,
                          parquet::ParquetWriter::Open(std::move(stream), schema, options.parquet));
  RowWriter row_writer(schema, writer.get(), options.write_stats_as_json, std::move(partitions),
                       stats_parsed);
  int64_t num_add_files = 0;
  for (const Action* action : rows) {
    if (const auto* remove = std::get_if<RemoveFile>(action);
        remove != nullptr && (remove->stats.has_value() || remove->tags.has_value())) {
      RemoveFile tombstone = *remove;
      tombstone.stats.reset();
      tombstone.tags.reset();
      SLUICE_RETURN_IF_ERROR(row_writer.Append(Action(std::move(tombstone))));
      continue;
    }
    num_add_files += std::holds_alternative<AddFile>(*action) ? 1 : 0;
    SLUICE_RETURN_IF_ERROR(row_writer.Append(*action));
  }
  SLUICE_RETURN_IF_ERROR(row_writer.Flush());
  SLUICE_RETURN_IF_ERROR(writer->Close().status());
  // The writer owns the stream until it is destroyed; take the bytes first.
  const std::string bytes = memory->Release();
  writer.reset();

  CheckpointWriteResult result;
  result.path = JoinPath(log_dir, ClassicCheckpointFileName(version));
  SLUICE_RETURN_IF_ERROR(fs.WriteFileAtomic(result.path, bytes));

  LastCheckpoint& last = result.last_checkpoint;
  last.version = version;
  last.size = static_cast<int64_t>(rows.size());
  last.size_in_bytes = static_cast<int64_t>(bytes.size());
  last.num_of_add_files = num_add_files;
  Result<JsonValue> schema_json = JsonValue::Parse(SchemaToJson(*schema));
  if (schema_json.ok()) {
    last.checkpoint_schema = std::move(*schema_json);
  }
  Result<std::optional<LastCheckpoint>> existing = ReadLastCheckpoint(log_dir, fs);
  if (existing.ok() && existing->has_value() && (*existing)->version > version) {
    return result;  // never move the pointer back to an older checkpoint
  }
  if (!existing.ok() && existing.status().code() != StatusCode::kCorruption) {
    return existing.status();
  }
  SLUICE_RETURN_IF_ERROR(fs.WriteFileAtomic(JoinPath(log_dir, kLastCheckpointFileName),
                                            SerializeLastCheckpoint(last)));
  result.last_checkpoint_written = true;
  return result;
}

}  // namespace sluice::delta
