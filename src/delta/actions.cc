// SPDX-License-Identifier: Apache-2.0
#include "delta/actions.h"

#include <fmt/format.h>

#include <algorithm>

namespace sluice::delta {

const std::string* FindValue(const StringMap& map, std::string_view key) {
  for (const auto& [name, value] : map) {
    if (name == key)
      return &value;
  }
  return nullptr;
}

const std::optional<std::string>* FindValue(const PartitionValues& values, std::string_view key) {
  for (const auto& [name, value] : values) {
    if (name == key)
      return &value;
  }
  return nullptr;
}

std::string DeletionVectorDescriptor::UniqueId() const {
  std::string id = storage_type + path_or_inline_dv;
  if (offset.has_value())
    id += fmt::format("@{}", *offset);
  return id;
}

bool Protocol::HasReaderFeature(std::string_view feature) const {
  return reader_features.has_value() && std::find(reader_features->begin(), reader_features->end(),
                                                  feature) != reader_features->end();
}

bool Protocol::HasWriterFeature(std::string_view feature) const {
  return writer_features.has_value() && std::find(writer_features->begin(), writer_features->end(),
                                                  feature) != writer_features->end();
}

std::optional<int64_t> CommitInfo::timestamp() const {
  const JsonValue* field = value.Find("timestamp");
  if (field == nullptr || !field->is_number())
    return std::nullopt;
  Result<int64_t> millis = field->AsInt64();
  return millis.ok() ? std::optional<int64_t>(*millis) : std::nullopt;
}

std::optional<int64_t> CommitInfo::in_commit_timestamp() const {
  const JsonValue* field = value.Find("inCommitTimestamp");
  if (field == nullptr || !field->is_number())
    return std::nullopt;
  Result<int64_t> millis = field->AsInt64();
  return millis.ok() ? std::optional<int64_t>(*millis) : std::nullopt;
}

std::string CommitInfo::operation() const {
  const JsonValue* field = value.Find("operation");
  return field != nullptr && field->is_string() ? field->text() : std::string();
}

namespace {

// Reads the fields of one action object, naming the action and field in its errors.
// A JSON null counts as absent (writers emit "stats":null, "partitionValues":null).
class FieldReader {
 public:
  FieldReader(std::string_view action, const JsonValue& object)
      : action_(action), object_(object) {}

  const JsonValue* Find(std::string_view name) const {
    const JsonValue* value = object_.Find(name);
    return value == nullptr || value->is_null() ? nullptr : value;
  }

  Status Missing(std::string_view name) const {
    return Status::Corruption(
        fmt::format("Delta log action '{}' has no required field '{}'", action_, name));
  }

  Status WrongType(std::string_view name, std::string_view expected) const {
    return Status::Corruption(
        fmt::format("Delta log action '{}' field '{}' is not {}", action_, name, expected));
  }

  Result<std::optional<std::string>> OptionalString(std::string_view name) const {
    const JsonValue* value = Find(name);
    if (value == nullptr)
      return std::optional<std::string>();
    if (!value->is_string())
      return WrongType(name, "a string");
    return std::optional<std::string>(value->text());
  }

  Result<std::string> RequiredString(std::string_view name) const {
    SLUICE_ASSIGN_OR_RETURN(std::optional<std::string> value, OptionalString(name));
    if (!value.has_value())
      return Missing(name);
    return std::move(*value);
  }

  Result<std::optional<int64_t>> OptionalInt(std::string_view name) const {
    const JsonValue* value = Find(name);
    if (value == nullptr)
      return std::optional<int64_t>();
    if (!value->is_number())
      return WrongType(name, "a number");
    Result<int64_t> number = value->AsInt64();
    if (!number.ok())
      return WrongType(name, "a 64-bit integer");
    return std::optional<int64_t>(*number);
  }

  Result<int64_t> RequiredInt(std::string_view name) const {
    SLUICE_ASSIGN_OR_RETURN(std::optional<int64_t> value, OptionalInt(name));
    if (!value.has_value())
      return Missing(name);
    return *value;
  }

  Result<std::optional<bool>> OptionalBool(std::string_view name) const {
    const JsonValue* value = Find(name);
    if (value == nullptr)
      return std::optional<bool>();
    if (!value->is_bool())
      return WrongType(name, "a boolean");
    return std::optional<bool>(value->bool_value());
  }

  Result<std::optional<StringMap>> OptionalStringMap(std::string_view name) const {
    const JsonValue* value = Find(name);
    if (value == nullptr)
      return std::optional<StringMap>();
    if (!value->is_object())
      return WrongType(name, "an object");
    StringMap map;
    map.reserve(value->members().size());
    for (const auto& [key, item] : value->members()) {
      if (item.is_string()) {
        map.emplace_back(key, item.text());
      } else if (item.is_null()) {
        continue;  // a tag or option without value: nothing to keep
      } else {
        map.emplace_back(key, item.Serialize());  // lenient: numbers or booleans as text
      }
    }
    return std::optional<StringMap>(std::move(map));
  }

  Result<std::optional<PartitionValues>> OptionalPartitionValues(std::string_view name) const {
    const JsonValue* value = Find(name);
    if (value == nullptr)
      return std::optional<PartitionValues>();
    if (!value->is_object())
      return WrongType(name, "an object");
    PartitionValues values;
    values.reserve(value->members().size());
    for (const auto& [key, item] : value->members()) {
      if (item.is_null()) {
        values.emplace_back(key, std::nullopt);
      } else if (item.is_string()) {
        values.emplace_back(key, item.text());
      } else {
        return WrongType(fmt::format("{}.{}", name, key), "a string or null");
      }
    }
    return std::optional<PartitionValues>(std::move(values));
  }

  Result<std::optional<std::vector<std::string>>> OptionalStringList(std::string_view name) const {
    const JsonValue* value = Find(name);
    if (value == nullptr)
      return std::optional<std::vector<std::string>>();
    if (!value->is_array())
      return WrongType(name, "an array");
    std::vector<std::string> list;
    for (const JsonValue& item : value->items()) {
      if (!item.is_string())
        return WrongType(name, "an array of strings");
      list.push_back(item.text());
    }
    return std::optional<std::vector<std::string>>(std::move(list));
  }

  Result<std::optional<DeletionVectorDescriptor>> OptionalDeletionVector(
      std::string_view name) const {
    const JsonValue* value = Find(name);
    if (value == nullptr)
      return std::optional<DeletionVectorDescriptor>();
    if (!value->is_object())
      return WrongType(name, "an object");
    FieldReader dv(action_, *value);
    DeletionVectorDescriptor descriptor;
    SLUICE_ASSIGN_OR_RETURN(descriptor.storage_type, dv.RequiredString("storageType"));
    SLUICE_ASSIGN_OR_RETURN(descriptor.path_or_inline_dv, dv.RequiredString("pathOrInlineDv"));
    SLUICE_ASSIGN_OR_RETURN(std::optional<int64_t> offset, dv.OptionalInt("offset"));
    SLUICE_ASSIGN_OR_RETURN(int64_t size, dv.RequiredInt("sizeInBytes"));
    SLUICE_ASSIGN_OR_RETURN(descriptor.cardinality, dv.RequiredInt("cardinality"));
    SLUICE_ASSIGN_OR_RETURN(descriptor.max_row_index, dv.OptionalInt("maxRowIndex"));
    if (size < 0 || size > INT32_MAX ||
        (offset.has_value() && (*offset < 0 || *offset > INT32_MAX))) {
      return WrongType("deletionVector", "a descriptor with a valid offset and sizeInBytes");
    }
    descriptor.size_in_bytes = static_cast<int32_t>(size);
    if (offset.has_value())
      descriptor.offset = static_cast<int32_t>(*offset);
    return std::optional<DeletionVectorDescriptor>(std::move(descriptor));
  }

 private:
  std::string_view action_;
  const JsonValue& object_;
};

Result<Protocol> ParseProtocol(const FieldReader& in) {
  Protocol protocol;
  SLUICE_ASSIGN_OR_RETURN(int64_t reader, in.RequiredInt("minReaderVersion"));
  SLUICE_ASSIGN_OR_RETURN(int64_t writer, in.RequiredInt("minWriterVersion"));
  if (reader < 0 || reader > INT32_MAX || writer < 0 || writer > INT32_MAX) {
    return in.WrongType("minReaderVersion", "a version number");
  }
  protocol.min_reader_version = static_cast<int32_t>(reader);
  protocol.min_writer_version = static_cast<int32_t>(writer);
  SLUICE_ASSIGN_OR_RETURN(protocol.reader_features, in.OptionalStringList("readerFeatures"));
  SLUICE_ASSIGN_OR_RETURN(protocol.writer_features, in.OptionalStringList("writerFeatures"));
  return protocol;
}

Result<Metadata> ParseMetadata(const FieldReader& in) {
  Metadata metadata;
  SLUICE_ASSIGN_OR_RETURN(metadata.id, in.RequiredString("id"));
  SLUICE_ASSIGN_OR_RETURN(metadata.name, in.OptionalString("name"));
  SLUICE_ASSIGN_OR_RETURN(metadata.description, in.OptionalString("description"));
  if (const JsonValue* format = in.Find("format"); format != nullptr) {
    if (!format->is_object())
      return in.WrongType("format", "an object");
    FieldReader format_in("metaData.format", *format);
    SLUICE_ASSIGN_OR_RETURN(std::optional<std::string> provider,
                            format_in.OptionalString("provider"));
    if (provider.has_value())
      metadata.format_provider = std::move(*provider);
    SLUICE_ASSIGN_OR_RETURN(std::optional<StringMap> options,
                            format_in.OptionalStringMap("options"));
    if (options.has_value())
      metadata.format_options = std::move(*options);
  }
  SLUICE_ASSIGN_OR_RETURN(std::optional<std::string> schema, in.OptionalString("schemaString"));
  metadata.schema_string = schema.value_or("");
  SLUICE_ASSIGN_OR_RETURN(std::optional<std::vector<std::string>> partition_columns,
                          in.OptionalStringList("partitionColumns"));
  if (partition_columns.has_value())
    metadata.partition_columns = std::move(*partition_columns);
  SLUICE_ASSIGN_OR_RETURN(metadata.created_time, in.OptionalInt("createdTime"));
  SLUICE_ASSIGN_OR_RETURN(std::optional<StringMap> configuration,
                          in.OptionalStringMap("configuration"));
  if (configuration.has_value())
    metadata.configuration = std::move(*configuration);
  return metadata;
}

Result<AddFile> ParseAdd(const FieldReader& in) {
  AddFile add;
  SLUICE_ASSIGN_OR_RETURN(add.path, in.RequiredString("path"));
  SLUICE_ASSIGN_OR_RETURN(std::optional<PartitionValues> values,
                          in.OptionalPartitionValues("partitionValues"));
  if (values.has_value())
    add.partition_values = std::move(*values);
  SLUICE_ASSIGN_OR_RETURN(add.size, in.RequiredInt("size"));
  SLUICE_ASSIGN_OR_RETURN(std::optional<int64_t> mtime, in.OptionalInt("modificationTime"));
  add.modification_time = mtime.value_or(0);
  SLUICE_ASSIGN_OR_RETURN(std::optional<bool> data_change, in.OptionalBool("dataChange"));
  add.data_change = data_change.value_or(true);
  SLUICE_ASSIGN_OR_RETURN(add.stats, in.OptionalString("stats"));
  SLUICE_ASSIGN_OR_RETURN(add.tags, in.OptionalStringMap("tags"));
  SLUICE_ASSIGN_OR_RETURN(add.deletion_vector, in.OptionalDeletionVector("deletionVector"));
  SLUICE_ASSIGN_OR_RETURN(add.base_row_id, in.OptionalInt("baseRowId"));
  SLUICE_ASSIGN_OR_RETURN(add.default_row_commit_version,
                          in.OptionalInt("defaultRowCommitVersion"));
  SLUICE_ASSIGN_OR_RETURN(add.clustering_provider, in.OptionalString("clusteringProvider"));
  return add;
}

Result<RemoveFile> ParseRemove(const FieldReader& in) {
  RemoveFile remove;
  SLUICE_ASSIGN_OR_RETURN(remove.path, in.RequiredString("path"));
  SLUICE_ASSIGN_OR_RETURN(remove.deletion_timestamp, in.OptionalInt("deletionTimestamp"));
  SLUICE_ASSIGN_OR_RETURN(std::optional<bool> data_change, in.OptionalBool("dataChange"));
  remove.data_change = data_change.value_or(true);
  SLUICE_ASSIGN_OR_RETURN(remove.extended_file_metadata, in.OptionalBool("extendedFileMetadata"));
  SLUICE_ASSIGN_OR_RETURN(remove.partition_values, in.OptionalPartitionValues("partitionValues"));
  SLUICE_ASSIGN_OR_RETURN(remove.size, in.OptionalInt("size"));
  SLUICE_ASSIGN_OR_RETURN(remove.stats, in.OptionalString("stats"));
  SLUICE_ASSIGN_OR_RETURN(remove.tags, in.OptionalStringMap("tags"));
  SLUICE_ASSIGN_OR_RETURN(remove.deletion_vector, in.OptionalDeletionVector("deletionVector"));
  SLUICE_ASSIGN_OR_RETURN(remove.base_row_id, in.OptionalInt("baseRowId"));
  SLUICE_ASSIGN_OR_RETURN(remove.default_row_commit_version,
                          in.OptionalInt("defaultRowCommitVersion"));
  return remove;
}

Result<AddCdcFile> ParseCdc(const FieldReader& in) {
  AddCdcFile cdc;
  SLUICE_ASSIGN_OR_RETURN(cdc.path, in.RequiredString("path"));
  SLUICE_ASSIGN_OR_RETURN(std::optional<PartitionValues> values,
                          in.OptionalPartitionValues("partitionValues"));
  if (values.has_value())
    cdc.partition_values = std::move(*values);
  SLUICE_ASSIGN_OR_RETURN(cdc.size, in.RequiredInt("size"));
  SLUICE_ASSIGN_OR_RETURN(std::optional<bool> data_change, in.OptionalBool("dataChange"));
  cdc.data_change = data_change.value_or(false);
  SLUICE_ASSIGN_OR_RETURN(cdc.tags, in.OptionalStringMap("tags"));
  return cdc;
}

Result<SetTransaction> ParseTxn(const FieldReader& in) {
  SetTransaction txn;
  SLUICE_ASSIGN_OR_RETURN(txn.app_id, in.RequiredString("appId"));
  SLUICE_ASSIGN_OR_RETURN(txn.version, in.RequiredInt("version"));
  SLUICE_ASSIGN_OR_RETURN(txn.last_updated, in.OptionalInt("lastUpdated"));
  return txn;
}

Result<DomainMetadata> ParseDomainMetadata(const FieldReader& in) {
  DomainMetadata domain;
  SLUICE_ASSIGN_OR_RETURN(domain.domain, in.RequiredString("domain"));
  SLUICE_ASSIGN_OR_RETURN(std::optional<std::string> configuration,
                          in.OptionalString("configuration"));
  domain.configuration = configuration.value_or("");
  SLUICE_ASSIGN_OR_RETURN(std::optional<bool> removed, in.OptionalBool("removed"));
  domain.removed = removed.value_or(false);
  return domain;
}

Result<CheckpointMetadata> ParseCheckpointMetadata(const FieldReader& in) {
  CheckpointMetadata metadata;
  SLUICE_ASSIGN_OR_RETURN(metadata.version, in.RequiredInt("version"));
  SLUICE_ASSIGN_OR_RETURN(metadata.tags, in.OptionalStringMap("tags"));
  return metadata;
}

Result<Sidecar> ParseSidecar(const FieldReader& in) {
  Sidecar sidecar;
  SLUICE_ASSIGN_OR_RETURN(sidecar.path, in.RequiredString("path"));
  SLUICE_ASSIGN_OR_RETURN(sidecar.size_in_bytes, in.RequiredInt("sizeInBytes"));
  SLUICE_ASSIGN_OR_RETURN(std::optional<int64_t> mtime, in.OptionalInt("modificationTime"));
  sidecar.modification_time = mtime.value_or(0);
  SLUICE_ASSIGN_OR_RETURN(sidecar.tags, in.OptionalStringMap("tags"));
  return sidecar;
}

template <typename T>
Result<std::optional<Action>> Wrap(Result<T> action) {
  if (!action.ok())
    return action.status();
  return std::optional<Action>(Action(std::move(*action)));
}

// ---- serialization ----

JsonValue StringMapToJson(const StringMap& map) {
  std::vector<JsonValue::Member> members;
  members.reserve(map.size());
  for (const auto& [key, value] : map)
    members.emplace_back(key, JsonValue::String(value));
  return JsonValue::Object(std::move(members));
}

JsonValue PartitionValuesToJson(const PartitionValues& values) {
  std::vector<JsonValue::Member> members;
  members.reserve(values.size());
  for (const auto& [key, value] : values) {
    members.emplace_back(key, value.has_value() ? JsonValue::String(*value) : JsonValue::Null());
  }
  return JsonValue::Object(std::move(members));
}

JsonValue StringListToJson(const std::vector<std::string>& list) {
  std::vector<JsonValue> items;
  items.reserve(list.size());
  for (const std::string& item : list)
    items.push_back(JsonValue::String(item));
  return JsonValue::Array(std::move(items));
}

JsonValue DeletionVectorToJson(const DeletionVectorDescriptor& dv) {
  std::vector<JsonValue::Member> members;
  members.emplace_back("storageType", JsonValue::String(dv.storage_type));
  members.emplace_back("pathOrInlineDv", JsonValue::String(dv.path_or_inline_dv));
  if (dv.offset.has_value())
    members.emplace_back("offset", JsonValue::Int(*dv.offset));
  members.emplace_back("sizeInBytes", JsonValue::Int(dv.size_in_bytes));
  members.emplace_back("cardinality", JsonValue::Int(dv.cardinality));
  if (dv.max_row_index.has_value()) {
    members.emplace_back("maxRowIndex", JsonValue::Int(*dv.max_row_index));
  }
  return JsonValue::Object(std::move(members));
}

// Builds one action's members; Put* skip unset optionals.
class MemberWriter {
 public:
  void Put(std::string_view name, JsonValue value) {
    members_.emplace_back(std::string(name), std::move(value));
  }
  void PutString(std::string_view name, const std::string& value) {
    Put(name, JsonValue::String(value));
  }
  void PutString(std::string_view name, const std::optional<std::string>& value) {
    if (value.has_value())
      PutString(name, *value);
  }
  void PutInt(std::string_view name, int64_t value) { Put(name, JsonValue::Int(value)); }
  void PutInt(std::string_view name, const std::optional<int64_t>& value) {
    if (value.has_value())
      PutInt(name, *value);
  }
  void PutBool(std::string_view name, bool value) { Put(name, JsonValue::Bool(value)); }
  void PutMap(std::string_view name, const std::optional<StringMap>& value) {
    if (value.has_value())
      Put(name, StringMapToJson(*value));
  }
  void PutDeletionVector(const std::optional<DeletionVectorDescriptor>& dv) {
    if (dv.has_value())
      Put("deletionVector", DeletionVectorToJson(*dv));
  }
  JsonValue Finish(std::string_view action) {
    std::vector<JsonValue::Member> outer;
    outer.emplace_back(std::string(action), JsonValue::Object(std::move(members_)));
    return JsonValue::Object(std::move(outer));
  }

 private:
  std::vector<JsonValue::Member> members_;
};

struct ActionSerializer {
  JsonValue operator()(const Protocol& protocol) const {
    MemberWriter out;
    out.PutInt("minReaderVersion", protocol.min_reader_version);
    out.PutInt("minWriterVersion", protocol.min_writer_version);
    if (protocol.reader_features.has_value()) {
      out.Put("readerFeatures", StringListToJson(*protocol.reader_features));
    }
    if (protocol.writer_features.has_value()) {
      out.Put("writerFeatures", StringListToJson(*protocol.writer_features));
    }
    return out.Finish("protocol");
  }
  JsonValue operator()(const Metadata& metadata) const {
    MemberWriter out;
    out.PutString("id", metadata.id);
    out.PutString("name", metadata.name);
    out.PutString("description", metadata.description);
    std::vector<JsonValue::Member> format;
    format.emplace_back("provider", JsonValue::String(metadata.format_provider));
    format.emplace_back("options", StringMapToJson(metadata.format_options));
    out.Put("format", JsonValue::Object(std::move(format)));
    out.PutString("schemaString", metadata.schema_string);
    out.Put("partitionColumns", StringListToJson(metadata.partition_columns));
    out.Put("configuration", StringMapToJson(metadata.configuration));
    out.PutInt("createdTime", metadata.created_time);
    return out.Finish("metaData");
  }
  JsonValue operator()(const AddFile& add) const {
    MemberWriter out;
    out.PutString("path", add.path);
    out.Put("partitionValues", PartitionValuesToJson(add.partition_values));
    out.PutInt("size", add.size);
    out.PutInt("modificationTime", add.modification_time);
    out.PutBool("dataChange", add.data_change);
    out.PutString("stats", add.stats);
    out.PutMap("tags", add.tags);
    out.PutDeletionVector(add.deletion_vector);
    out.PutInt("baseRowId", add.base_row_id);
    out.PutInt("defaultRowCommitVersion", add.default_row_commit_version);
    out.PutString("clusteringProvider", add.clustering_provider);
    return out.Finish("add");
  }
  JsonValue operator()(const RemoveFile& remove) const {
    MemberWriter out;
    out.PutString("path", remove.path);
    out.PutInt("deletionTimestamp", remove.deletion_timestamp);
    out.PutBool("dataChange", remove.data_change);
    if (remove.extended_file_metadata.has_value()) {
      out.PutBool("extendedFileMetadata", *remove.extended_file_metadata);
    }
    if (remove.partition_values.has_value()) {
      out.Put("partitionValues", PartitionValuesToJson(*remove.partition_values));
    }
    out.PutInt("size", remove.size);
    out.PutString("stats", remove.stats);
    out.PutMap("tags", remove.tags);
    out.PutDeletionVector(remove.deletion_vector);
    out.PutInt("baseRowId", remove.base_row_id);
    out.PutInt("defaultRowCommitVersion", remove.default_row_commit_version);
    return out.Finish("remove");
  }
  JsonValue operator()(const AddCdcFile& cdc) const {
    MemberWriter out;
    out.PutString("path", cdc.path);
    out.Put("partitionValues", PartitionValuesToJson(cdc.partition_values));
    out.PutInt("size", cdc.size);
    out.PutBool("dataChange", cdc.data_change);
    out.PutMap("tags", cdc.tags);
    return out.Finish("cdc");
  }
  JsonValue operator()(const SetTransaction& txn) const {
    MemberWriter out;
    out.PutString("appId", txn.app_id);
    out.PutInt("version", txn.version);
    out.PutInt("lastUpdated", txn.last_updated);
    return out.Finish("txn");
  }
  JsonValue operator()(const CommitInfo& info) const {
    std::vector<JsonValue::Member> outer;
    outer.emplace_back("commitInfo", info.value);
    return JsonValue::Object(std::move(outer));
  }
  JsonValue operator()(const DomainMetadata& domain) const {
    MemberWriter out;
    out.PutString("domain", domain.domain);
    out.PutString("configuration", domain.configuration);
    out.PutBool("removed", domain.removed);
    return out.Finish("domainMetadata");
  }
  JsonValue operator()(const CheckpointMetadata& metadata) const {
    MemberWriter out;
    out.PutInt("version", metadata.version);
    out.PutMap("tags", metadata.tags);
    return out.Finish("checkpointMetadata");
  }
  JsonValue operator()(const Sidecar& sidecar) const {
    MemberWriter out;
    out.PutString("path", sidecar.path);
    out.PutInt("sizeInBytes", sidecar.size_in_bytes);
    out.PutInt("modificationTime", sidecar.modification_time);
    out.PutMap("tags", sidecar.tags);
    return out.Finish("sidecar");
  }
};

}  // namespace

Result<std::optional<Action>> ParseAction(const JsonValue& object) {
  if (!object.is_object()) {
    return Status::Corruption("Delta log line is not a JSON object");
  }
  // An action line has exactly one key; take the first known one.
  for (const auto& [key, body] : object.members()) {
    if (key == "commitInfo") {
      if (!body.is_object())
        return Status::Corruption("Delta log action 'commitInfo' is not an object");
      return std::optional<Action>(CommitInfo{body});
    }
    if (body.is_null())
      continue;
    if (!body.is_object()) {
      if (key == "protocol" || key == "metaData" || key == "add" || key == "remove" ||
          key == "cdc" || key == "txn" || key == "domainMetadata" || key == "checkpointMetadata" ||
          key == "sidecar") {
        return Status::Corruption(fmt::format("Delta log action '{}' is not an object", key));
      }
      continue;
    }
    FieldReader in(key, body);
    if (key == "protocol")
      return Wrap(ParseProtocol(in));
    if (key == "metaData")
      return Wrap(ParseMetadata(in));
    if (key == "add")
      return Wrap(ParseAdd(in));
    if (key == "remove")
      return Wrap(ParseRemove(in));
    if (key == "cdc")
      return Wrap(ParseCdc(in));
    if (key == "txn")
      return Wrap(ParseTxn(in));
    if (key == "domainMetadata")
      return Wrap(ParseDomainMetadata(in));
    if (key == "checkpointMetadata")
      return Wrap(ParseCheckpointMetadata(in));
    if (key == "sidecar")
      return Wrap(ParseSidecar(in));
  }
  return std::optional<Action>();
}

Result<std::vector<Action>> ParseActions(std::string_view text, std::string_view file_name) {
  std::vector<Action> actions;
  size_t line_start = 0;
  int64_t line_number = 0;
  while (line_start < text.size()) {
    size_t line_end = text.find('\n', line_start);
    if (line_end == std::string_view::npos)
      line_end = text.size();
    std::string_view line = text.substr(line_start, line_end - line_start);
    line_start = line_end + 1;
    ++line_number;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos)
      continue;
    Result<JsonValue> object = JsonValue::Parse(line);
    if (!object.ok()) {
      return Status::Corruption(
          fmt::format("{} line {}: {}", file_name, line_number, object.status().message()));
    }
    Result<std::optional<Action>> action = ParseAction(*object);
    if (!action.ok()) {
      return Status::Corruption(
          fmt::format("{} line {}: {}", file_name, line_number, action.status().message()));
    }
    if (action->has_value())
      actions.push_back(std::move(**action));
  }
  return actions;
}

JsonValue ActionToJson(const Action& action) {
  return std::visit(ActionSerializer{}, action);
}

std::string SerializeActions(const std::vector<Action>& actions) {
  std::string out;
  for (const Action& action : actions) {
    ActionToJson(action).SerializeTo(&out);
    out.push_back('\n');
  }
  return out;
}

}  // namespace sluice::delta
