// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "columnar/batch.h"
#include "columnar/vector.h"
#include "common/result.h"
#include "delta/column_mapping.h"
#include "types/data_type.h"

// Read-side schema conformance: a Delta reader reads a data file (whose columns carry
// physical names, Parquet field ids and the types of the time it was written) and must
// return values of the table's current logical schema.
//
// A table field finds its file field by the column mapping mode (FindFileColumn; the
// same rule for struct members at every level):
//   none  by name: the first exact match, else the one field equal ignoring ASCII case
//         (Spark reads Parquet case-insensitively); several such fields and no exact
//         one is kCorruption;
//   name  by physical name (delta.columnMapping.physicalName), matched the same way;
//   id    by id: the file field whose Parquet field id (field metadata
//         "parquet.field.id", set by the Parquet reader) equals the column id
//         (delta.columnMapping.id). Where the file's fields carry no field id at all
//         (files of writers that do not write ids), by physical name instead. A table
//         field without a column id also matches by physical name.
// A table field with no file field reads as nulls (the column was added after the file
// was written); file fields the table does not name are dropped (dropped columns).
//
// ConformVector then makes the file's values the table field's type, recursing into
// struct members, array elements and map keys and values:
//   - same type: the values as they are (zero-copy; nested vectors with other field
//     names or metadata share every buffer and get the table's type);
//   - the table type is void (NullType): all nulls, whatever the file holds; a void
//     file column reads as nulls of the table's type;
//   - the widenings of the Type Widening feature (IsSupportedTypeWidening): byte ->
//     short -> int -> long, float -> double, byte/short/int -> double, date ->
//     timestamp_ntz, decimal(p,s) -> decimal(p+k1,s+k2) with k1 >= k2 >= 0,
//     integers -> decimal(p,s) whose p - s integer digits hold every value (byte 3,
//     short 5, int 10, long 20; wider than the protocol's table, which lists only
//     decimal(10+k1,k2) for byte/short/int, because Delta Spark widens byte to
//     decimal(4,1)): converted values (a new values buffer; the validity is shared);
//   - timestamp_ntz in the file (TIMESTAMP with isAdjustedToUTC=false), timestamp in
//     the table: the same microseconds, read as UTC as Spark and delta-rs do;
//   - binary in the file, string in the table (and the other way round), as Spark's
//     Parquet reader allows for unannotated BYTE_ARRAY columns: the same bytes, checked
//     to be UTF-8 when read as string;
//   - anything else is kCorruption naming the column path (logical names, "element",
//     "key", "value" for collection members), the file's type and the table's type.
// Nullability is not checked: a nullable file field may fill a non-nullable table field.

namespace sluice::delta {

/// Returns whether a data file value of type `from` may be read as `to` under the Type
/// Widening feature (the list above; not the identity).
bool IsSupportedTypeWidening(const DataType& from, const DataType& to);

/// The field metadata key under which Type Widening records a column's type changes.
inline constexpr std::string_view kTypeChangesKey = "delta.typeChanges";

/// Checks the type changes a table schema records (field metadata delta.typeChanges at
/// every level: a JSON array of {"fromType", "toType", optional "fieldPath"}): a reader
/// must refuse a table with a change it cannot apply to old files. OK when every change
/// is IsSupportedTypeWidening; kNotImplemented naming the column and both types for
/// another one; kCorruption naming the column for a malformed record.
Status CheckTypeChanges(const Schema& schema);

/// Returns the index in `file_schema` of the column holding `table_field` (matched as
/// above), or nullopt when the file has no such column (it reads as nulls).
/// kCorruption when the name is ambiguous, or in modes name and id when the table field
/// lacks a physical name it needs.
Result<std::optional<int>> FindFileColumn(const Schema& file_schema, const Field& table_field,
                                          ColumnMappingMode mode);

/// Returns `file_vector`, the values of `file_field` read from a data file, as values of
/// `table_field`'s type (the rules above), as long as `file_vector`. The result's type
/// equals table_field.type (Equals). Errors name the column by table_field's name.
Result<VectorPtr> ConformVector(const VectorPtr& file_vector, const Field& file_field,
                                const Field& table_field, ColumnMappingMode mode);

/// Returns a batch of `table_schema` from a batch read from a data file: each table
/// column found in `file_batch` (FindFileColumn) conformed to it, each column not found
/// all nulls. Pass the table's data columns: partition columns, normally absent from
/// files, would come back null.
Result<BatchPtr> ConformBatch(const Batch& file_batch, const SchemaPtr& table_schema,
                              ColumnMappingMode mode);

/// Returns a vector of `type` with `length` rows, all null (at the top level; children
/// of nested types are empty or all null).
VectorPtr MakeNullVector(const TypePtr& type, int64_t length);

}  // namespace sluice::delta
