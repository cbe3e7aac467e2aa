// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "delta/actions.h"
#include "types/data_type.h"

// Delta column mapping (PROTOCOL.md "Column Mapping"): every column, nested or not, has
// a logical (display) name, a physical name (field metadata
// delta.columnMapping.physicalName) and an id (delta.columnMapping.id). The table
// property delta.columnMapping.mode says how data files name their columns:
//   none  files use the logical names;
//   name  files use the physical names;
//   id    files carry the ids as Parquet field ids (and use the physical names).
// In modes name and id, partition values and statistics in the log are keyed by
// physical names too. Reading a file into the table's logical schema is conform.h.

namespace sluice::delta {

/// The table property that selects the mode.
inline constexpr std::string_view kColumnMappingModeKey = "delta.columnMapping.mode";
/// The table property holding the largest id assigned so far.
inline constexpr std::string_view kColumnMappingMaxIdKey = "delta.columnMapping.maxColumnId";
/// Field metadata: the physical name (a JSON string) and the id (a JSON integer).
inline constexpr std::string_view kPhysicalNameKey = "delta.columnMapping.physicalName";
inline constexpr std::string_view kColumnIdKey = "delta.columnMapping.id";

/// How data files name the table's columns.
enum class ColumnMappingMode : uint8_t { kNone, kName, kId };

/// Returns the property value of `mode`: "none", "name" or "id".
std::string_view ColumnMappingModeName(ColumnMappingMode mode);

/// Returns the mode set by delta.columnMapping.mode in a table's `configuration`:
/// kNone when absent; "none", "name" or "id" ignoring ASCII case (as Delta Spark).
/// Another value is kNotImplemented naming it.
Result<ColumnMappingMode> GetColumnMappingMode(const StringMap& configuration);

/// Returns whether `protocol` lets readers honor the mode: reader version 2, or reader
/// version 3 or more with the `columnMapping` reader feature.
bool ProtocolSupportsColumnMapping(const Protocol& protocol);

/// Returns the mode a reader must apply: GetColumnMappingMode(metadata.configuration)
/// when ProtocolSupportsColumnMapping(protocol), else kNone (the property is then not
/// honored, as the protocol says).
Result<ColumnMappingMode> GetColumnMappingMode(const Protocol& protocol, const Metadata& metadata);

/// Returns the raw JSON text of metadata `key` of `field`, or null when absent.
const std::string* FindFieldMetadata(const Field& field, std::string_view key);

/// Returns the name data files use for `field`: its name in mode none; in modes name and
/// id its delta.columnMapping.physicalName, whose absence (or a value that is not a
/// non-empty JSON string) is kCorruption naming the column by `path` (by default the
/// field's name).
Result<std::string> PhysicalName(const Field& field, ColumnMappingMode mode,
                                 std::string_view path = {});

/// Returns the field's column id, delta.columnMapping.id; nullopt when absent or not a
/// 32-bit integer.
std::optional<int32_t> FieldId(const Field& field);

/// Returns the Parquet field id of a data file's field (metadata "parquet.field.id", as
/// the Parquet reader sets it); nullopt when absent or not a 32-bit integer.
std::optional<int32_t> ParquetFieldId(const Field& field);

/// Returns `logical` as data files hold it: the same shape and types, every field (at
/// every nesting level, in structs inside arrays and maps too) named by PhysicalName
/// and keeping its metadata, with "parquet.field.id" set to its column id (so the
/// Parquet writer writes it as the field_id; Delta Spark does so in both modes) or, for
/// a field without an id in mode name, removed. Mode none returns the schema unchanged.
/// Use it to write data files and to find columns in statistics. kCorruption naming the
/// column path when a field lacks its physical name, or in mode id its id.
Result<SchemaPtr> PhysicalSchema(const Schema& logical, ColumnMappingMode mode);
/// As PhysicalSchema, for one type (a struct's fields, an array's element, ...).
/// `path` names the value in errors.
Result<TypePtr> PhysicalType(const TypePtr& logical, ColumnMappingMode mode,
                             const std::string& path = "");

/// Returns the key of logical partition column `column` in add.partitionValues (and the
/// name of the column in statistics): the physical name of the top-level field of
/// `logical` named `column` (matched exactly, else as the one field equal ignoring
/// ASCII case). kCorruption when the schema has no such column.
Result<std::string> PhysicalPartitionColumn(const Schema& logical, std::string_view column,
                                            ColumnMappingMode mode);

/// Returns the physical names along `logical_path` (top-level column, then struct
/// fields), e.g. to find a nested column in statistics; names match as in
/// PhysicalPartitionColumn. kNotFound naming the path when a name is missing or a
/// non-final step is not a struct.
Result<std::vector<std::string>> PhysicalColumnPath(const Schema& logical,
                                                    const std::vector<std::string>& logical_path,
                                                    ColumnMappingMode mode);

/// Returns the index in `fields` of the field named `name`: the first exact match, else
/// the one field equal ignoring ASCII case (Spark's case-insensitive resolution);
/// nullopt when none. kCorruption naming them when several fields equal `name` ignoring
/// case and none exactly.
Result<std::optional<int>> FindFieldByName(const std::vector<Field>& fields, std::string_view name);

}  // namespace sluice::delta
