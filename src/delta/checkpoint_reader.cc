// SPDX-License-Identifier: Apache-2.0
// Reading checkpoints: Parquet rows (classic, multi-part, V2 and sidecars) and V2 JSON
// files into actions.

#include <fmt/format.h>

#include <array>
#include <memory>
#include <span>
#include <type_traits>
#include <variant>

#include "common/ascii.h"
#include "delta/checkpoint.h"
#include "delta/checkpoint_stats_internal.h"
#include "delta/partition_values.h"
#include "formats/parquet/reader.h"

namespace sluice::delta {

namespace {

using checkpoint_internal::ResolveField;

// ---------------------------------------------------------------------------------------
// Column layouts

// What a checkpoint field must hold to be read.
enum class FieldKind : uint8_t { kString, kInt, kBool, kStringMap, kStringList, kStruct };

struct FieldSpec {
  std::string_view name;
  FieldKind kind;
};

bool KindMatches(const DataType& type, FieldKind kind) {
  switch (kind) {
    case FieldKind::kString:
      return type.id() == TypeId::kString || type.id() == TypeId::kBinary;
    case FieldKind::kInt:
      return type.is_integral();
    case FieldKind::kBool:
      return type.id() == TypeId::kBoolean;
    case FieldKind::kStringMap:
      return type.id() == TypeId::kMap && KindMatches(*type.key_type(), FieldKind::kString) &&
             KindMatches(*type.value_type(), FieldKind::kString);
    case FieldKind::kStringList:
      return type.id() == TypeId::kArray && KindMatches(*type.element_type(), FieldKind::kString);
    case FieldKind::kStruct:
      return type.id() == TypeId::kStruct;
  }
  return false;
}

// The child index of each wanted field of one struct type (-1 for absent fields),
// resolved once per file.
class StructLayout {
 public:
  Status Resolve(const DataType& type, std::span<const FieldSpec> specs, std::string_view where) {
    index_.assign(specs.size(), -1);
    for (size_t k = 0; k < specs.size(); ++k) {
      int i = ResolveField(type, specs[k].name);
      if (i < 0) {
        continue;
      }
      if (!KindMatches(*type.field(i).type, specs[k].kind)) {
        return Status::Corruption(fmt::format("checkpoint column {}.{} has unexpected type {}",
                                              where, specs[k].name,
                                              type.field(i).type->ToString()));
      }
      index_[k] = i;
    }
    return Status::Ok();
  }
  int index(size_t field) const { return index_[field]; }

 private:
  std::vector<int> index_;
};

// One value of a (possibly nested) column: row `row` of `vector`; no vector for a field
// the file does not have.
struct Slot {
  const Vector* vector = nullptr;
  int64_t row = 0;

  bool null() const { return vector == nullptr || vector->IsNull(row); }
  // Field `field` of this struct value, laid out by `layout`.
  Slot Field(const StructLayout& layout, size_t field) const {
    int i = layout.index(field);
    if (i < 0 || vector == nullptr) {
      return {};
    }
    return {vector->child(i).get(), vector->offset() + row};
  }
};

std::optional<std::string> GetString(Slot slot) {
  if (slot.null()) {
    return std::nullopt;
  }
  return std::string(slot.vector->StringValue(slot.row));
}

std::optional<int64_t> GetInt(Slot slot) {
  if (slot.null()) {
    return std::nullopt;
  }
  switch (slot.vector->type_id()) {
    case TypeId::kByte:
      return slot.vector->Value<int8_t>(slot.row);
    case TypeId::kShort:
      return slot.vector->Value<int16_t>(slot.row);
    case TypeId::kInt:
      return slot.vector->Value<int32_t>(slot.row);
    default:
      return slot.vector->Value<int64_t>(slot.row);
  }
}

std::optional<bool> GetBool(Slot slot) {
  if (slot.null()) {
    return std::nullopt;
  }
  return slot.vector->BoolValue(slot.row);
}

// A map<string,string>; entries with a null value are left out (as in JSON).
std::optional<StringMap> GetStringMap(Slot slot) {
  if (slot.null()) {
    return std::nullopt;
  }
  const Vector& keys = *slot.vector->child(0);
  const Vector& values = *slot.vector->child(1);
  StringMap map;
  for (int32_t j = slot.vector->ListStart(slot.row); j < slot.vector->ListEnd(slot.row); ++j) {
    if (!values.IsNull(j)) {
      map.emplace_back(std::string(keys.StringValue(j)), std::string(values.StringValue(j)));
    }
  }
  return map;
}

std::optional<PartitionValues> GetPartitionValues(Slot slot) {
  if (slot.null()) {
    return std::nullopt;
  }
  const Vector& keys = *slot.vector->child(0);
  const Vector& values = *slot.vector->child(1);
  PartitionValues map;
  for (int32_t j = slot.vector->ListStart(slot.row); j < slot.vector->ListEnd(slot.row); ++j) {
    std::optional<std::string> value;
    if (!values.IsNull(j)) {
      value = std::string(values.StringValue(j));
    }
    map.emplace_back(std::string(keys.StringValue(j)), std::move(value));
  }
  return map;
}

// A list of strings; null elements are left out.
std::optional<std::vector<std::string>> GetStringList(Slot slot) {
  if (slot.null()) {
    return std::nullopt;
  }
  const Vector& elements = *slot.vector->child(0);
  std::vector<std::string> list;
  for (int32_t j = slot.vector->ListStart(slot.row); j < slot.vector->ListEnd(slot.row); ++j) {
    if (!elements.IsNull(j)) {
      list.emplace_back(elements.StringValue(j));
    }
  }
  return list;
}

// ---------------------------------------------------------------------------------------
// Rows -> actions

constexpr std::array<FieldSpec, 4> kProtocolFields = {{{"minReaderVersion", FieldKind::kInt},
                                                       {"minWriterVersion", FieldKind::kInt},
                                                       {"readerFeatures", FieldKind::kStringList},
                                                       {"writerFeatures", FieldKind::kStringList}}};
enum ProtocolField : size_t { kMinReader, kMinWriter, kReaderFeatures, kWriterFeatures };

constexpr std::array<FieldSpec, 8> kMetadataFields = {{{"id", FieldKind::kString},
                                                       {"name", FieldKind::kString},
                                                       {"description", FieldKind::kString},
                                                       {"format", FieldKind::kStruct},
                                                       {"schemaString", FieldKind::kString},
                                                       {"partitionColumns", FieldKind::kStringList},
                                                       {"createdTime", FieldKind::kInt},
                                                       {"configuration", FieldKind::kStringMap}}};
enum MetadataField : size_t {
  kMetaId,
  kMetaName,
  kMetaDescription,
  kMetaFormat,
  kMetaSchemaString,
  kMetaPartitionColumns,
  kMetaCreatedTime,
  kMetaConfiguration
};

constexpr std::array<FieldSpec, 2> kFormatFields = {
    {{"provider", FieldKind::kString}, {"options", FieldKind::kStringMap}}};
enum FormatField : size_t { kFormatProvider, kFormatOptions };

constexpr std::array<FieldSpec, 6> kDvFields = {{{"storageType", FieldKind::kString},
                                                 {"pathOrInlineDv", FieldKind::kString},
                                                 {"offset", FieldKind::kInt},
                                                 {"sizeInBytes", FieldKind::kInt},
                                                 {"cardinality", FieldKind::kInt},
                                                 {"maxRowIndex", FieldKind::kInt}}};
enum DvField : size_t { kDvStorageType, kDvPath, kDvOffset, kDvSize, kDvCardinality, kDvMaxRow };

// The fields add and remove share come first, in the same order.
constexpr std::array<FieldSpec, 14> kFileFields = {
    {{"path", FieldKind::kString},
     {"partitionValues", FieldKind::kStringMap},
     {"size", FieldKind::kInt},
     {"dataChange", FieldKind::kBool},
     {"stats", FieldKind::kString},
     {"tags", FieldKind::kStringMap},
     {"deletionVector", FieldKind::kStruct},
     {"baseRowId", FieldKind::kInt},
     {"defaultRowCommitVersion", FieldKind::kInt},
     {"modificationTime", FieldKind::kInt},         // add only
     {"clusteringProvider", FieldKind::kString},    // add only
     {"stats_parsed", FieldKind::kStruct},          // add only
     {"deletionTimestamp", FieldKind::kInt},        // remove only
     {"extendedFileMetadata", FieldKind::kBool}}};  // remove only
enum FileField : size_t {
  kFilePath,
  kFilePartitionValues,
  kFileSize,
  kFileDataChange,
  kFileStats,
  kFileTags,
  kFileDv,
  kFileBaseRowId,
  kFileDefaultRowCommitVersion,
  kAddModificationTime,
  kAddClusteringProvider,
  kAddStatsParsed,
  kRemoveDeletionTimestamp,
  kRemoveExtendedFileMetadata
};

constexpr std::array<FieldSpec, 3> kTxnFields = {{{"appId", FieldKind::kString},
                                                  {"version", FieldKind::kInt},
                                                  {"lastUpdated", FieldKind::kInt}}};
enum TxnField : size_t { kTxnAppId, kTxnVersion, kTxnLastUpdated };

constexpr std::array<FieldSpec, 3> kDomainFields = {{{"domain", FieldKind::kString},
                                                     {"configuration", FieldKind::kString},
                                                     {"removed", FieldKind::kBool}}};
enum DomainField : size_t { kDomainName, kDomainConfiguration, kDomainRemoved };

constexpr std::array<FieldSpec, 2> kCheckpointMetadataFields = {
    {{"version", FieldKind::kInt}, {"tags", FieldKind::kStringMap}}};
enum CheckpointMetadataField : size_t { kCheckpointVersion, kCheckpointTags };

constexpr std::array<FieldSpec, 4> kSidecarFields = {{{"path", FieldKind::kString},
                                                      {"sizeInBytes", FieldKind::kInt},
                                                      {"modificationTime", FieldKind::kInt},
                                                      {"tags", FieldKind::kStringMap}}};
enum SidecarField : size_t { kSidecarPath, kSidecarSize, kSidecarModificationTime, kSidecarTags };

// The top-level action columns, in the order Delta Spark writes them.
enum class ActionColumn : uint8_t {
  kTxn,
  kAdd,
  kRemove,
  kMetadata,
  kProtocol,
  kDomainMetadata,
  kCheckpointMetadata,
  kSidecar,
};
constexpr std::array<std::string_view, 8> kActionColumnNames = {
    "txn",    "add", "remove", "metaData", "protocol", "domainMetadata", "checkpointMetadata",
    "sidecar"};

bool Wants(ActionColumn column, const CheckpointReadOptions& options) {
  switch (column) {
    case ActionColumn::kTxn:
      return options.transactions;
    case ActionColumn::kAdd:
      return options.add;
    case ActionColumn::kRemove:
      return options.remove;
    case ActionColumn::kMetadata:
      return options.metadata;
    case ActionColumn::kProtocol:
      return options.protocol;
    case ActionColumn::kDomainMetadata:
      return options.domain_metadata;
    case ActionColumn::kCheckpointMetadata:
    case ActionColumn::kSidecar:
      return true;
  }
  return false;
}

bool Wants(const Action& action, const CheckpointReadOptions& options) {
  return std::visit(
      [&options](const auto& a) {
        using T = std::decay_t<decltype(a)>;
        if constexpr (std::is_same_v<T, Protocol>) {
          return options.protocol;
        } else if constexpr (std::is_same_v<T, Metadata>) {
          return options.metadata;
        } else if constexpr (std::is_same_v<T, AddFile>) {
          return options.add;
        } else if constexpr (std::is_same_v<T, RemoveFile>) {
          return options.remove;
        } else if constexpr (std::is_same_v<T, SetTransaction>) {
          return options.transactions;
        } else if constexpr (std::is_same_v<T, DomainMetadata>) {
          return options.domain_metadata;
        } else if constexpr (std::is_same_v<T, CheckpointMetadata> || std::is_same_v<T, Sidecar>) {
          return true;
        } else {
          return false;  // commitInfo and cdc never belong in a checkpoint
        }
      },
      action);
}

// Turns the rows of one Parquet checkpoint file into actions. Init() resolves the
// file's columns once; Decode() then reads batch after batch.
class RowDecoder {
 public:
  explicit RowDecoder(std::string file) : file_(std::move(file)) {}

  // `schema` is the reader's output schema (the projected action columns).
  Status Init(const Schema& schema) {
    for (int i = 0; i < schema.num_fields(); ++i) {
      const Field& field = schema.field(i);
      for (size_t c = 0; c < kActionColumnNames.size(); ++c) {
        if (!EqualsIgnoreCase(field.name, kActionColumnNames[c])) {
          continue;
        }
        if (field.type->id() != TypeId::kStruct) {
          return Status::Corruption(fmt::format("checkpoint {}: column {} is not a struct but {}",
                                                file_, field.name, field.type->ToString()));
        }
        columns_.push_back({static_cast<ActionColumn>(c), i});
        SLUICE_RETURN_IF_ERROR(ResolveLayout(static_cast<ActionColumn>(c), *field.type));
      }
    }
    return Status::Ok();
  }

  // Appends the actions of the rows of `batch`, whose first row is row `first_row` of
  // the file (for messages).
  Status Decode(const Batch& batch, int64_t first_row, std::vector<Action>* out) {
    for (int64_t row = 0; row < batch.num_rows(); ++row) {
      for (const auto& [column, index] : columns_) {
        Slot slot{batch.column(index).get(), row};
        if (slot.null()) {
          continue;
        }
        Result<Action> action = DecodeAction(column, slot);
        if (!action.ok()) {
          return Status::Corruption(fmt::format("checkpoint {} row {}: {}", file_, first_row + row,
                                                action.status().message()));
        }
        out->push_back(std::move(*action));
      }
    }
    return Status::Ok();
  }

 private:
  Status ResolveLayout(ActionColumn column, const DataType& type) {
    const std::string_view name = kActionColumnNames[static_cast<size_t>(column)];
    switch (column) {
      case ActionColumn::kTxn:
        return txn_.Resolve(type, kTxnFields, name);
      case ActionColumn::kAdd:
        SLUICE_RETURN_IF_ERROR(add_.Resolve(type, kFileFields, name));
        return ResolveDv(type, add_, &add_dv_, "add.deletionVector");
      case ActionColumn::kRemove:
        SLUICE_RETURN_IF_ERROR(remove_.Resolve(type, kFileFields, name));
        return ResolveDv(type, remove_, &remove_dv_, "remove.deletionVector");
      case ActionColumn::kMetadata:
        SLUICE_RETURN_IF_ERROR(metadata_.Resolve(type, kMetadataFields, name));
        if (metadata_.index(kMetaFormat) >= 0) {
          return format_.Resolve(*type.field(metadata_.index(kMetaFormat)).type, kFormatFields,
                                 "metaData.format");
        }
        return Status::Ok();
      case ActionColumn::kProtocol:
        return protocol_.Resolve(type, kProtocolFields, name);
      case ActionColumn::kDomainMetadata:
        return domain_.Resolve(type, kDomainFields, name);
      case ActionColumn::kCheckpointMetadata:
        return checkpoint_metadata_.Resolve(type, kCheckpointMetadataFields, name);
      case ActionColumn::kSidecar:
        return sidecar_.Resolve(type, kSidecarFields, name);
    }
    return Status::Ok();
  }

  static Status ResolveDv(const DataType& type, const StructLayout& file, StructLayout* dv,
                          std::string_view where) {
    if (file.index(kFileDv) < 0) {
      return Status::Ok();
    }
    return dv->Resolve(*type.field(file.index(kFileDv)).type, kDvFields, where);
  }

  Result<Action> DecodeAction(ActionColumn column, Slot slot) const {
    switch (column) {
      case ActionColumn::kTxn:
        return Wrap(DecodeTxn(slot));
      case ActionColumn::kAdd:
        return Wrap(DecodeAdd(slot));
      case ActionColumn::kRemove:
        return Wrap(DecodeRemove(slot));
      case ActionColumn::kMetadata:
        return Wrap(DecodeMetadata(slot));
      case ActionColumn::kProtocol:
        return Wrap(DecodeProtocol(slot));
      case ActionColumn::kDomainMetadata:
        return Wrap(DecodeDomain(slot));
      case ActionColumn::kCheckpointMetadata:
        return Wrap(DecodeCheckpointMetadata(slot));
      case ActionColumn::kSidecar:
        return Wrap(DecodeSidecar(slot));
    }
    return Status::Internal("unknown checkpoint action column");
  }

  template <typename T>
  static Result<Action> Wrap(Result<T> action) {
    if (!action.ok()) {
      return action.status();
    }
    return Action(std::move(*action));
  }

  static Status Missing(std::string_view action, std::string_view field) {
    return Status::Corruption(fmt::format("{} has no required field {}", action, field));
  }

  Result<Protocol> DecodeProtocol(Slot slot) const {
    Protocol protocol;
    std::optional<int64_t> reader = GetInt(slot.Field(protocol_, kMinReader));
    std::optional<int64_t> writer = GetInt(slot.Field(protocol_, kMinWriter));
    if (!reader.has_value() || !writer.has_value()) {
      return Missing("protocol", reader.has_value() ? "minWriterVersion" : "minReaderVersion");
    }
    if (*reader < 0 || *reader > INT32_MAX || *writer < 0 || *writer > INT32_MAX) {
      return Status::Corruption("protocol has an invalid version number");
    }
    protocol.min_reader_version = static_cast<int32_t>(*reader);
    protocol.min_writer_version = static_cast<int32_t>(*writer);
    protocol.reader_features = GetStringList(slot.Field(protocol_, kReaderFeatures));
    protocol.writer_features = GetStringList(slot.Field(protocol_, kWriterFeatures));
    return protocol;
  }

  Result<Metadata> DecodeMetadata(Slot slot) const {
    Metadata metadata;
    std::optional<std::string> id = GetString(slot.Field(metadata_, kMetaId));
    if (!id.has_value()) {
      return Missing("metaData", "id");
    }
    metadata.id = std::move(*id);
    metadata.name = GetString(slot.Field(metadata_, kMetaName));
    metadata.description = GetString(slot.Field(metadata_, kMetaDescription));
    Slot format = slot.Field(metadata_, kMetaFormat);
    if (!format.null()) {
      if (std::optional<std::string> provider = GetString(format.Field(format_, kFormatProvider))) {
        metadata.format_provider = std::move(*provider);
      }
      metadata.format_options =
          GetStringMap(format.Field(format_, kFormatOptions)).value_or(StringMap());
    }
    // A null schemaString is an empty schema, as Delta Spark reads it (see actions.h).
    metadata.schema_string =
        GetString(slot.Field(metadata_, kMetaSchemaString)).value_or(std::string());
    metadata.partition_columns = GetStringList(slot.Field(metadata_, kMetaPartitionColumns))
                                     .value_or(std::vector<std::string>());
    metadata.created_time = GetInt(slot.Field(metadata_, kMetaCreatedTime));
    metadata.configuration =
        GetStringMap(slot.Field(metadata_, kMetaConfiguration)).value_or(StringMap());
    return metadata;
  }

  static Result<std::optional<DeletionVectorDescriptor>> DecodeDv(Slot slot,
                                                                  const StructLayout& layout) {
    if (slot.null()) {
      return std::optional<DeletionVectorDescriptor>();
    }
    DeletionVectorDescriptor dv;
    std::optional<std::string> storage = GetString(slot.Field(layout, kDvStorageType));
    std::optional<std::string> path = GetString(slot.Field(layout, kDvPath));
    std::optional<int64_t> size = GetInt(slot.Field(layout, kDvSize));
    std::optional<int64_t> cardinality = GetInt(slot.Field(layout, kDvCardinality));
    std::optional<int64_t> offset = GetInt(slot.Field(layout, kDvOffset));
    if (!storage.has_value() || !path.has_value() || !size.has_value() ||
        !cardinality.has_value()) {
      return Status::Corruption(
          "deletionVector lacks storageType, pathOrInlineDv, "
          "sizeInBytes or cardinality");
    }
    if (*size < 0 || *size > INT32_MAX ||
        (offset.has_value() && (*offset < 0 || *offset > INT32_MAX))) {
      return Status::Corruption("deletionVector has an invalid offset or sizeInBytes");
    }
    dv.storage_type = std::move(*storage);
    dv.path_or_inline_dv = std::move(*path);
    if (offset.has_value()) {
      dv.offset = static_cast<int32_t>(*offset);
    }
    dv.size_in_bytes = static_cast<int32_t>(*size);
    dv.cardinality = *cardinality;
    dv.max_row_index = GetInt(slot.Field(layout, kDvMaxRow));
    return std::optional<DeletionVectorDescriptor>(std::move(dv));
  }

  Result<AddFile> DecodeAdd(Slot slot) const {
    AddFile add;
    std::optional<std::string> path = GetString(slot.Field(add_, kFilePath));
    std::optional<int64_t> size = GetInt(slot.Field(add_, kFileSize));
    if (!path.has_value() || !size.has_value()) {
      return Missing("add", path.has_value() ? "size" : "path");
    }
    add.path = std::move(*path);
    add.size = *size;
    add.partition_values =
        GetPartitionValues(slot.Field(add_, kFilePartitionValues)).value_or(PartitionValues());
    add.modification_time = GetInt(slot.Field(add_, kAddModificationTime)).value_or(0);
    add.data_change = GetBool(slot.Field(add_, kFileDataChange)).value_or(true);
    add.stats = GetString(slot.Field(add_, kFileStats));
    if (!add.stats.has_value()) {
      Slot parsed = slot.Field(add_, kAddStatsParsed);
      if (!parsed.null()) {
        add.stats = checkpoint_internal::StatsStructToJson(*parsed.vector, parsed.row);
      }
    }
    add.tags = GetStringMap(slot.Field(add_, kFileTags));
    SLUICE_ASSIGN_OR_RETURN(add.deletion_vector, DecodeDv(slot.Field(add_, kFileDv), add_dv_));
    add.base_row_id = GetInt(slot.Field(add_, kFileBaseRowId));
    add.default_row_commit_version = GetInt(slot.Field(add_, kFileDefaultRowCommitVersion));
    add.clustering_provider = GetString(slot.Field(add_, kAddClusteringProvider));
    return add;
  }

  Result<RemoveFile> DecodeRemove(Slot slot) const {
    RemoveFile remove;
    std::optional<std::string> path = GetString(slot.Field(remove_, kFilePath));
    if (!path.has_value()) {
      return Missing("remove", "path");
    }
    remove.path = std::move(*path);
    remove.deletion_timestamp = GetInt(slot.Field(remove_, kRemoveDeletionTimestamp));
    remove.data_change = GetBool(slot.Field(remove_, kFileDataChange)).value_or(true);
    remove.extended_file_metadata = GetBool(slot.Field(remove_, kRemoveExtendedFileMetadata));
    remove.partition_values = GetPartitionValues(slot.Field(remove_, kFilePartitionValues));
    remove.size = GetInt(slot.Field(remove_, kFileSize));
    remove.stats = GetString(slot.Field(remove_, kFileStats));
    remove.tags = GetStringMap(slot.Field(remove_, kFileTags));
    SLUICE_ASSIGN_OR_RETURN(remove.deletion_vector,
                            DecodeDv(slot.Field(remove_, kFileDv), remove_dv_));
    remove.base_row_id = GetInt(slot.Field(remove_, kFileBaseRowId));
    remove.default_row_commit_version = GetInt(slot.Field(remove_, kFileDefaultRowCommitVersion));
    return remove;
  }

  Result<SetTransaction> DecodeTxn(Slot slot) const {
    SetTransaction txn;
    std::optional<std::string> app_id = GetString(slot.Field(txn_, kTxnAppId));
    std::optional<int64_t> version = GetInt(slot.Field(txn_, kTxnVersion));
    if (!app_id.has_value() || !version.has_value()) {
      return Missing("txn", app_id.has_value() ? "version" : "appId");
    }
    txn.app_id = std::move(*app_id);
    txn.version = *version;
    txn.last_updated = GetInt(slot.Field(txn_, kTxnLastUpdated));
    return txn;
  }

  Result<DomainMetadata> DecodeDomain(Slot slot) const {
    DomainMetadata domain;
    std::optional<std::string> name = GetString(slot.Field(domain_, kDomainName));
    if (!name.has_value()) {
      return Missing("domainMetadata", "domain");
    }
    domain.domain = std::move(*name);
    domain.configuration = GetString(slot.Field(domain_, kDomainConfiguration)).value_or("");
    domain.removed = GetBool(slot.Field(domain_, kDomainRemoved)).value_or(false);
    return domain;
  }

  Result<CheckpointMetadata> DecodeCheckpointMetadata(Slot slot) const {
    CheckpointMetadata metadata;
    std::optional<int64_t> version = GetInt(slot.Field(checkpoint_metadata_, kCheckpointVersion));
    if (!version.has_value()) {
      return Missing("checkpointMetadata", "version");
    }
    metadata.version = *version;
    metadata.tags = GetStringMap(slot.Field(checkpoint_metadata_, kCheckpointTags));
    return metadata;
  }

  Result<Sidecar> DecodeSidecar(Slot slot) const {
    Sidecar sidecar;
    std::optional<std::string> path = GetString(slot.Field(sidecar_, kSidecarPath));
    std::optional<int64_t> size = GetInt(slot.Field(sidecar_, kSidecarSize));
    if (!path.has_value() || !size.has_value()) {
      return Missing("sidecar", path.has_value() ? "sizeInBytes" : "path");
    }
    sidecar.path = std::move(*path);
    sidecar.size_in_bytes = *size;
    sidecar.modification_time = GetInt(slot.Field(sidecar_, kSidecarModificationTime)).value_or(0);
    sidecar.tags = GetStringMap(slot.Field(sidecar_, kSidecarTags));
    return sidecar;
  }

  std::string file_;
  // The action columns of the batches: which action, and its index in the batch.
  std::vector<std::pair<ActionColumn, int>> columns_;
  StructLayout txn_, add_, add_dv_, remove_, remove_dv_, metadata_, format_, protocol_, domain_,
      checkpoint_metadata_, sidecar_;
};

// ---------------------------------------------------------------------------------------
// Files

// Opens `path` for the Parquet reader: positional reads on the local file system,
// otherwise the whole file read once through `fs` and shared by every open.
class ParquetSource {
 public:
  ParquetSource(std::string path, FileSystem& fs) : path_(std::move(path)), fs_(fs) {}

  Result<std::unique_ptr<parquet::ParquetReader>> Open(parquet::ParquetReadOptions options) {
    if (dynamic_cast<LocalFileSystem*>(&fs_) != nullptr) {
      SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<parquet::RandomAccessFile> file,
                              parquet::OpenLocalFile(path_));
      return parquet::ParquetReader::Open(std::move(file), std::move(options));
    }
    if (bytes_ == nullptr) {
      SLUICE_ASSIGN_OR_RETURN(std::string bytes, fs_.ReadFile(path_));
      bytes_ = std::make_shared<const std::string>(std::move(bytes));
    }
    return parquet::ParquetReader::Open(parquet::MakeBufferFile(path_, bytes_), std::move(options));
  }

 private:
  std::string path_;
  FileSystem& fs_;
  std::shared_ptr<const std::string> bytes_;
};

// Appends the actions of the Parquet checkpoint (or sidecar) at `path` that `options`
// wants, reading only their columns.
Status ReadParquetActions(const std::string& path, FileSystem& fs,
                          const CheckpointReadOptions& options, std::vector<Action>* out) {
  ParquetSource source(path, fs);
  SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<parquet::ParquetReader> footer, source.Open({}));
  parquet::ParquetReadOptions read_options;
  read_options.pool = options.pool;
  const Schema& schema = *footer->schema();
  for (size_t c = 0; c < kActionColumnNames.size(); ++c) {
    if (!Wants(static_cast<ActionColumn>(c), options)) {
      continue;
    }
    int index = ResolveField(*schema.struct_type(), kActionColumnNames[c]);
    if (index >= 0) {
      read_options.columns.push_back(schema.field(index).name);
    }
  }
  if (read_options.columns.empty()) {
    return Status::Ok();  // an empty projection would read every column
  }
  footer.reset();
  SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<parquet::ParquetReader> reader,
                          source.Open(std::move(read_options)));
  RowDecoder decoder(path);
  SLUICE_RETURN_IF_ERROR(decoder.Init(*reader->output_schema()));
  int64_t first_row = 0;
  for (int group = 0; group < reader->num_row_groups(); ++group) {
    SLUICE_ASSIGN_OR_RETURN(BatchPtr batch, reader->ReadRowGroup(group));
    SLUICE_RETURN_IF_ERROR(decoder.Decode(*batch, first_row, out));
    first_row += batch->num_rows();
  }
  return Status::Ok();
}

}  // namespace

Result<std::vector<Action>> ReadCheckpointFile(const std::string& path, const std::string& log_dir,
                                               FileSystem& fs,
                                               const CheckpointReadOptions& options) {
  std::vector<Action> actions;
  if (path.ends_with(".json")) {
    SLUICE_ASSIGN_OR_RETURN(std::string text, fs.ReadFile(path));
    SLUICE_ASSIGN_OR_RETURN(std::vector<Action> all, ParseActions(text, path));
    for (Action& action : all) {
      if (Wants(action, options)) {
        actions.push_back(std::move(action));
      }
    }
  } else {
    SLUICE_RETURN_IF_ERROR(ReadParquetActions(path, fs, options, &actions));
  }
  if (!options.add && !options.remove) {
    return actions;
  }
  CheckpointReadOptions file_actions = options;
  file_actions.protocol = file_actions.metadata = false;
  file_actions.transactions = file_actions.domain_metadata = false;
  const size_t own = actions.size();
  for (size_t i = 0; i < own; ++i) {
    const Sidecar* sidecar = std::get_if<Sidecar>(&actions[i]);
    if (sidecar == nullptr) {
      continue;
    }
    // A file name under _delta_log/_sidecars/ (percent-encoded), an absolute path or a
    // file: URI, resolved as data file paths are against the table root.
    SLUICE_ASSIGN_OR_RETURN(std::string sidecar_path,
                            ResolveDataPath(JoinPath(log_dir, "_sidecars"), sidecar->path));
    std::vector<Action> sidecar_actions;
    Status status = ReadParquetActions(sidecar_path, fs, file_actions, &sidecar_actions);
    if (!status.ok()) {
      return std::move(status).WithContext(fmt::format("checkpoint {}", path));
    }
    for (Action& action : sidecar_actions) {
      // A sidecar holds only file actions; anything else there is not the protocol's.
      if (std::holds_alternative<AddFile>(action) || std::holds_alternative<RemoveFile>(action)) {
        actions.push_back(std::move(action));
      }
    }
  }
  return actions;
}

Result<std::vector<Action>> ReadCheckpoint(const CheckpointInstance& checkpoint,
                                           const std::string& log_dir, FileSystem& fs,
                                           const CheckpointReadOptions& options) {
  std::vector<Action> actions;
  for (const LogFile& file : checkpoint.files) {
    SLUICE_ASSIGN_OR_RETURN(std::vector<Action> part,
                            ReadCheckpointFile(file.path, log_dir, fs, options));
    if (actions.empty()) {
      actions = std::move(part);
    } else {
      actions.insert(actions.end(), std::make_move_iterator(part.begin()),
                     std::make_move_iterator(part.end()));
    }
  }
  return actions;
}

}  // namespace sluice::delta
