// SPDX-License-Identifier: Apache-2.0
#include "delta/column_mapping.h"

#include <fmt/format.h>

#include <charconv>
#include <utility>

#include "common/ascii.h"
#include "common/json.h"
#include "formats/parquet/schema.h"

namespace sluice::delta {
namespace {

std::string ChildPath(const std::string& parent, std::string_view child) {
  return parent.empty() ? std::string(child) : fmt::format("{}.{}", parent, child);
}

/// The 32-bit integer held as JSON text by metadata `key` of `field`.
std::optional<int32_t> IntMetadata(const Field& field, std::string_view key) {
  const std::string* text = FindFieldMetadata(field, key);
  if (text == nullptr) {
    return std::nullopt;
  }
  int32_t value = 0;
  const char* end = text->data() + text->size();
  const auto [stop, error] = std::from_chars(text->data(), end, value);
  if (error != std::errc() || stop != end) {
    return std::nullopt;
  }
  return value;
}

}  // namespace

Result<std::string> PhysicalName(const Field& field, ColumnMappingMode mode,
                                 std::string_view path) {
  if (path.empty()) {
    path = field.name;
  }
  if (mode == ColumnMappingMode::kNone) {
    return field.name;
  }
  const std::string* text = FindFieldMetadata(field, kPhysicalNameKey);
  if (text == nullptr) {
    return Status::Corruption(fmt::format(
        "Column mapping mode {} needs a physical name (field metadata {}) on every column; "
        "this column has none: {}",
        ColumnMappingModeName(mode), kPhysicalNameKey, path));
  }
  Result<JsonValue> json = JsonValue::Parse(*text);
  if (!json.ok() || !json->is_string() || json->text().empty()) {
    return Status::Corruption(fmt::format(
        "Column physical name (field metadata {}) is not a non-empty JSON string: {} = {}",
        kPhysicalNameKey, path, *text));
  }
  return json->text();
}

std::optional<int32_t> FieldId(const Field& field) {
  return IntMetadata(field, kColumnIdKey);
}

std::optional<int32_t> ParquetFieldId(const Field& field) {
  return IntMetadata(field, parquet::kFieldIdMetadataKey);
}

namespace {

/// The metadata of a physical field: the logical metadata, with parquet.field.id set to
/// the column id (required in mode id; in mode name when there is one).
Result<FieldMetadata> PhysicalMetadata(const Field& field, ColumnMappingMode mode,
                                       const std::string& path) {
  FieldMetadata metadata;
  metadata.reserve(field.metadata.size() + 1);
  for (const auto& entry : field.metadata) {
    if (entry.first != parquet::kFieldIdMetadataKey) {
      metadata.push_back(entry);
    }
  }
  const std::optional<int32_t> id = FieldId(field);
  if (!id.has_value() && mode == ColumnMappingMode::kId) {
    return Status::Corruption(
        fmt::format("Column mapping mode id needs a 32-bit column id (field metadata {}) on every "
                    "column; this column has none: {}",
                    kColumnIdKey, path));
  }
  if (id.has_value()) {
    metadata.emplace_back(parquet::kFieldIdMetadataKey, std::to_string(*id));
  }
  return metadata;
}

Result<Field> PhysicalField(const Field& field, ColumnMappingMode mode, const std::string& path) {
  Field physical;
  SLUICE_ASSIGN_OR_RETURN(physical.name, PhysicalName(field, mode, path));
  SLUICE_ASSIGN_OR_RETURN(physical.type, PhysicalType(field.type, mode, path));
  physical.nullable = field.nullable;
  SLUICE_ASSIGN_OR_RETURN(physical.metadata, PhysicalMetadata(field, mode, path));
  return physical;
}

Result<std::vector<Field>> PhysicalFields(const std::vector<Field>& fields, ColumnMappingMode mode,
                                          const std::string& path) {
  std::vector<Field> physical;
  physical.reserve(fields.size());
  for (const Field& field : fields) {
    SLUICE_ASSIGN_OR_RETURN(Field out, PhysicalField(field, mode, ChildPath(path, field.name)));
    physical.push_back(std::move(out));
  }
  return physical;
}

}  // namespace

std::string_view ColumnMappingModeName(ColumnMappingMode mode) {
  switch (mode) {
    case ColumnMappingMode::kNone:
      return "none";
    case ColumnMappingMode::kName:
      return "name";
    case ColumnMappingMode::kId:
      return "id";
  }
  return "none";
}

Result<ColumnMappingMode> GetColumnMappingMode(const StringMap& configuration) {
  const std::string* value = FindValue(configuration, kColumnMappingModeKey);
  if (value == nullptr) {
    return ColumnMappingMode::kNone;
  }
  for (ColumnMappingMode mode :
       {ColumnMappingMode::kNone, ColumnMappingMode::kName, ColumnMappingMode::kId}) {
    if (EqualsIgnoreCase(*value, ColumnMappingModeName(mode))) {
      return mode;
    }
  }
  return Status::NotImplemented(fmt::format(
      "Unsupported column mapping mode (table property {}): '{}'", kColumnMappingModeKey, *value));
}

bool ProtocolSupportsColumnMapping(const Protocol& protocol) {
  if (protocol.min_reader_version == 2) {
    return true;
  }
  return protocol.min_reader_version >= 3 && protocol.HasReaderFeature("columnMapping");
}

Result<ColumnMappingMode> GetColumnMappingMode(const Protocol& protocol, const Metadata& metadata) {
  if (!ProtocolSupportsColumnMapping(protocol)) {
    return ColumnMappingMode::kNone;
  }
  return GetColumnMappingMode(metadata.configuration);
}

const std::string* FindFieldMetadata(const Field& field, std::string_view key) {
  for (const auto& [name, value] : field.metadata) {
    if (name == key) {
      return &value;
    }
  }
  return nullptr;
}

Result<TypePtr> PhysicalType(const TypePtr& logical, ColumnMappingMode mode,
                             const std::string& path) {
  if (mode == ColumnMappingMode::kNone) {
    return logical;
  }
  switch (logical->id()) {
    case TypeId::kStruct: {
      SLUICE_ASSIGN_OR_RETURN(std::vector<Field> fields,
                              PhysicalFields(logical->fields(), mode, path));
      return StructType(std::move(fields));
    }
    case TypeId::kArray: {
      SLUICE_ASSIGN_OR_RETURN(
          TypePtr element, PhysicalType(logical->element_type(), mode, ChildPath(path, "element")));
      return ArrayType(std::move(element), logical->contains_null());
    }
    case TypeId::kMap: {
      SLUICE_ASSIGN_OR_RETURN(TypePtr key,
                              PhysicalType(logical->key_type(), mode, ChildPath(path, "key")));
      SLUICE_ASSIGN_OR_RETURN(TypePtr value,
                              PhysicalType(logical->value_type(), mode, ChildPath(path, "value")));
      return MapType(std::move(key), std::move(value), logical->value_contains_null());
    }
    default:
      return logical;
  }
}

Result<SchemaPtr> PhysicalSchema(const Schema& logical, ColumnMappingMode mode) {
  if (mode == ColumnMappingMode::kNone) {
    return MakeSchema(logical.fields());
  }
  SLUICE_ASSIGN_OR_RETURN(std::vector<Field> fields, PhysicalFields(logical.fields(), mode, ""));
  return MakeSchema(std::move(fields));
}

Result<std::optional<int>> FindFieldByName(const std::vector<Field>& fields,
                                           std::string_view name) {
  std::optional<int> folded;
  int folded_matches = 0;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].name == name) {
      return std::optional<int>(static_cast<int>(i));
    }
    if (EqualsIgnoreCase(fields[i].name, name)) {
      ++folded_matches;
      if (!folded.has_value()) {
        folded = static_cast<int>(i);
      }
    }
  }
  if (folded_matches > 1) {
    std::vector<std::string_view> candidates;
    for (const Field& field : fields) {
      if (EqualsIgnoreCase(field.name, name)) {
        candidates.push_back(field.name);
      }
    }
    return Status::Corruption(
        fmt::format("Ambiguous column name, several columns equal it ignoring case: {} ({})", name,
                    fmt::join(candidates, ", ")));
  }
  return folded;
}

Result<std::string> PhysicalPartitionColumn(const Schema& logical, std::string_view column,
                                            ColumnMappingMode mode) {
  SLUICE_ASSIGN_OR_RETURN(std::optional<int> index, FindFieldByName(logical.fields(), column));
  if (!index.has_value()) {
    return Status::Corruption(
        fmt::format("Partition column is not in the table schema: {}", column));
  }
  const Field& field = logical.field(*index);
  return PhysicalName(field, mode, field.name);
}

Result<std::vector<std::string>> PhysicalColumnPath(const Schema& logical,
                                                    const std::vector<std::string>& logical_path,
                                                    ColumnMappingMode mode) {
  std::vector<std::string> physical;
  physical.reserve(logical_path.size());
  const std::vector<Field>* fields = &logical.fields();
  std::string path;
  for (size_t i = 0; i < logical_path.size(); ++i) {
    path = ChildPath(path, logical_path[i]);
    if (fields == nullptr) {
      return Status::NotFound(fmt::format("Column is not in the table schema: {}", path));
    }
    SLUICE_ASSIGN_OR_RETURN(std::optional<int> index, FindFieldByName(*fields, logical_path[i]));
    if (!index.has_value()) {
      return Status::NotFound(fmt::format("Column is not in the table schema: {}", path));
    }
    const Field& field = (*fields)[*index];
    SLUICE_ASSIGN_OR_RETURN(std::string name, PhysicalName(field, mode, path));
    physical.push_back(std::move(name));
    fields = field.type->id() == TypeId::kStruct ? &field.type->fields() : nullptr;
  }
  return physical;
}

}  // namespace sluice::delta
