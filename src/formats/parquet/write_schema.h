// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/result.h"
#include "formats/parquet/thrift_io.h"
#include "types/data_type.h"

// The writer's view of a sluice schema: the Parquet schema elements Spark's writer
// produces for it, the leaf columns with their levels, and a tree the shredder walks.

namespace sluice::parquet {

/// One leaf (primitive) column the writer produces.
struct WriteLeaf {
  /// path_in_schema: the names from the top-level field down to the leaf, with the
  /// `list`/`element` and `key_value`/`key`/`value` levels of lists and maps.
  std::vector<std::string> path;
  format::Type::type physical_type = format::Type::INT32;
  /// Bytes per value of a FIXED_LEN_BYTE_ARRAY leaf (decimals), else 0.
  int32_t type_length = 0;
  int16_t max_definition_level = 0;
  int16_t max_repetition_level = 0;
  /// The sluice type of the values (binary for the two parts of a variant, void for a
  /// void column).
  TypePtr type;
};

/// A node of the schema tree the shredder walks: a field with its vector layout.
struct WriteNode {
  enum class Kind : uint8_t { kPrimitive, kStruct, kList, kMap, kVariant };

  Kind kind = Kind::kPrimitive;
  /// The field's name, for error messages.
  std::string name;
  /// Whether the field is OPTIONAL (adds a definition level); void is always optional.
  bool optional = true;
  /// For lists and maps: the repetition level of their repeated group.
  int16_t repetition_level = 0;
  /// The leaves under this node are [first_leaf, end_leaf) of WriteSchema::leaves.
  int first_leaf = 0;
  int end_leaf = 0;
  /// Struct fields; a list's element; a map's key and value; a variant's metadata and
  /// value (both required binary).
  std::vector<WriteNode> children;
};

/// The Parquet form of a sluice schema.
struct WriteSchema {
  /// The flattened schema, root ("spark_schema") first, depth-first.
  std::vector<format::SchemaElement> elements;
  /// The leaves in schema order (a row group's column chunks follow this order).
  std::vector<WriteLeaf> leaves;
  /// One node per top-level field.
  std::vector<WriteNode> columns;
};

/// Converts `schema` as Spark's non-legacy writer does (see writer.h for the mapping).
/// Field metadata "parquet.field.id" becomes the element's field_id. kInvalidArgument
/// when a field id is not an integer.
Result<WriteSchema> MakeWriteSchema(const Schema& schema);

/// Returns the bytes of the smallest FIXED_LEN_BYTE_ARRAY that holds every unscaled
/// decimal of `precision` digits in two's complement (Spark's minBytesForPrecision).
int32_t DecimalByteLength(int precision);

}  // namespace sluice::parquet
