// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "formats/parquet/leaf.h"
#include "formats/parquet/thrift_io.h"
#include "types/data_type.h"

// The schema of a Parquet file: the validated tree of schema elements, the leaf
// descriptors the column reader needs, and the mapping of every top-level column to a
// sluice type the way Spark reads Parquet.
//
// Type mapping (the logical type wins over the legacy converted type; an unknown
// logical type falls back to the converted type, then to the physical type):
//   BOOLEAN                 boolean
//   INT32                   int; INT(8/16/32, signed) byte/short/int; INT(8/16/32,
//                           unsigned) short/int/long; DATE date; DECIMAL decimal(p,s);
//                           TIME(MILLIS) int
//   INT64                   long; INT(64, unsigned) decimal(20,0); DECIMAL decimal(p,s);
//                           TIMESTAMP(any unit, UTC) and TIMESTAMP_MILLIS/MICROS
//                           timestamp; TIMESTAMP(any unit, not UTC) timestamp_ntz;
//                           TIME(MICROS/NANOS) long
//   INT96                   timestamp
//   FLOAT, DOUBLE           float, double
//   BYTE_ARRAY              binary; STRING/UTF8, ENUM, JSON string; DECIMAL decimal(p,s);
//                           BSON, GEOMETRY, GEOGRAPHY binary
//   FIXED_LEN_BYTE_ARRAY    binary; DECIMAL decimal(p,s); FLOAT16 float; UUID binary
//   UNKNOWN on any type     void (NullType)
// A decimal wider than 38 digits and INTERVAL are kNotImplemented; an annotation that
// the physical type cannot carry (INT_64 on INT32, DATE on INT64, ...) is kCorruption.
//
// Nesting:
//   - a group annotated LIST is an array. The element follows the backward-compatibility
//     rules of the Parquet specification (LogicalTypes.md): when the repeated child is
//     a primitive, a group with several fields, a group whose one field is repeated, or
//     a group named "array" or "<list name>_tuple", the repeated child itself is the
//     element (and elements are required); otherwise the repeated child's one field is
//     the element, nullable when it is optional.
//   - a group annotated MAP (or MAP_KEY_VALUE outside a MAP) holding a repeated group of
//     a key and a value (matched by position) is a map; value_contains_null follows the
//     value's repetition. Keys may be declared optional (Presto/Trino wrote such files);
//     a null key in the data is an error when reading. A key-value group without a value
//     field (allowed by the specification) reads as an array of the keys.
//   - a repeated field outside a LIST or MAP annotation (a primitive or a group) is a
//     non-nullable array of required elements.
//   - a group annotated VARIANT holding binary `metadata` and `value` is a variant; a
//     shredded variant (with `typed_value`) is kNotImplemented.
//   - any other group is a struct.
// A field is nullable when its repetition is OPTIONAL. A field whose element has a
// field_id carries it as field metadata kFieldIdMetadataKey (at every nesting level:
// top-level columns and struct members), the value its decimal text.

namespace sluice::parquet {

/// The field metadata key that holds a Parquet field id (SchemaElement.field_id): the
/// reader sets it on the fields of files that have ids, the writer writes it as the id.
inline constexpr std::string_view kFieldIdMetadataKey = "parquet.field.id";

/// One element of the Parquet schema tree, with the levels computed from the root.
struct SchemaNode {
  /// The element as stored in the footer.
  format::SchemaElement element;
  /// The index of the parent node; -1 for the root.
  int parent = -1;
  /// The indices of the children (empty for a leaf).
  std::vector<int> children;
  /// The dotted path from the root (without the root's name); empty for the root.
  std::string path;
  /// Definition and repetition levels of the node: the number of optional or repeated
  /// (definition) and of repeated (repetition) nodes from the root down to and
  /// including this one.
  int16_t max_definition_level = 0;
  int16_t max_repetition_level = 0;
  /// The leaf's index among the leaves (its column index); -1 for groups.
  int leaf_index = -1;

  bool is_leaf() const { return leaf_index >= 0; }
  format::FieldRepetitionType::type repetition() const {
    return element.__isset.repetition_type ? element.repetition_type
                                           : format::FieldRepetitionType::REQUIRED;
  }
};

/// What a FieldNode builds.
enum class FieldKind : uint8_t {
  kPrimitive,  // the values of one leaf column
  kStruct,     // a group: children are the fields, in order
  kList,       // children[0] is the element
  kMap,        // children[0] is the key, children[1] the value
  kVariant,    // children[0] is the binary metadata leaf, children[1] the binary value leaf
};

/// How one sluice value (a top-level column, a struct field, an array element, a map key
/// or value) is assembled from the levels of the leaves below it.
///
/// The level slots of a leaf column are cut into entries of this value: slot i starts
/// an entry when rep[i] <= repetition_level and def[i] >=
/// repeated_ancestor_definition_level (a smaller definition level means an enclosing
/// list is null or empty there, so there is no entry). The entry is valid (not null)
/// when def[i] >= definition_level. For a list or map the elements are the entries of
/// children[0], whose levels are those of the repeated node: a valid entry with
/// def[i] < children[0].repeated_ancestor_definition_level is an empty list.
struct FieldNode {
  FieldKind kind = FieldKind::kPrimitive;
  /// The field's name (the element's or key's name for list elements and map parts).
  std::string name;
  /// The sluice type this node builds.
  TypePtr type;
  /// Whether a value may be null (the Parquet node is OPTIONAL).
  bool nullable = false;
  int16_t definition_level = 0;
  int16_t repetition_level = 0;
  int16_t repeated_ancestor_definition_level = 0;
  /// The Parquet node it comes from (FileSchema::nodes()); for an array made from an
  /// unannotated repeated field, that repeated field.
  int schema_node = 0;
  /// The leaves below this node are [first_leaf, first_leaf + num_leaves) (never empty).
  int first_leaf = 0;
  int num_leaves = 0;
  std::vector<FieldNode> children;
};

/// A validated Parquet schema and its sluice mapping. Immutable once made.
class FileSchema {
 public:
  /// The deepest nesting accepted (the root is depth 0).
  static constexpr int kMaxDepth = 64;

  /// Validates the flattened, depth-first schema of a footer and maps it. kCorruption
  /// for a broken tree (no root, a negative or overrunning num_children, elements left
  /// over, a leaf without a physical type, FIXED_LEN_BYTE_ARRAY without a positive
  /// type_length, nesting deeper than kMaxDepth, an illegal annotation); kNotImplemented
  /// for what sluice cannot represent (decimal precision over 38, INTERVAL, a shredded
  /// variant, a group without leaves), naming the column.
  static Result<FileSchema> Make(const std::vector<format::SchemaElement>& elements);

  /// All nodes in the footer's order; nodes()[0] is the root.
  const std::vector<SchemaNode>& nodes() const { return nodes_; }
  const SchemaNode& root() const { return nodes_[0]; }
  /// One descriptor per leaf, in leaf order (column_index == position).
  const std::vector<LeafDescriptor>& leaves() const { return leaves_; }
  int num_leaves() const { return static_cast<int>(leaves_.size()); }
  /// The file as sluice fields, one per child of the root.
  const SchemaPtr& schema() const { return schema_; }
  /// How each top-level field is assembled, parallel to schema()->fields().
  const std::vector<FieldNode>& columns() const { return columns_; }

 private:
  std::vector<SchemaNode> nodes_;
  std::vector<LeafDescriptor> leaves_;
  SchemaPtr schema_;
  std::vector<FieldNode> columns_;

  friend class SchemaBuilder;
};

/// Returns the sluice type of a primitive schema element (the table above), naming
/// `path` in errors.
Result<TypePtr> PrimitiveSluiceType(const format::SchemaElement& element, const std::string& path);

/// Renders the schema as parquet-java's MessageType.toString does:
///   message spark_schema {
///     optional int32 a (DATE);
///     required group b (LIST) {
///       repeated group list {
///         optional binary element (STRING);
///       }
///     }
///   }
/// Annotations print as parquet-java's logical types (STRING, DECIMAL(10,2),
/// TIMESTAMP(MICROS,true), INTEGER(8,false), ...; converted types are shown as their
/// logical equivalents) and a field id as " = 7" after them.
std::string FormatParquetSchema(const FileSchema& schema);
/// As above, from the footer's flattened elements, without validating them first (for
/// showing a schema that FileSchema::Make refuses); a broken tree prints as far as it
/// goes.
std::string FormatParquetSchema(const std::vector<format::SchemaElement>& elements);

}  // namespace sluice::parquet
