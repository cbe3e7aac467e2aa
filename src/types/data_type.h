// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sluice {

/// Spark's logical types. The enumerator order is part of no format: never serialize it.
enum class TypeId : uint8_t {
  kBoolean,
  kByte,
  kShort,
  kInt,
  kLong,
  kFloat,
  kDouble,
  kDecimal,
  kString,
  kBinary,
  kDate,          // days since 1970-01-01, int32
  kTimestamp,     // microseconds since the epoch, UTC, int64
  kTimestampNtz,  // microseconds of a local date-time without zone, int64
  kStruct,
  kArray,
  kMap,
  kNull,     // Spark's NullType ("void"): every value is null
  kVariant,  // Spark's VariantType: semi-structured values in the Variant binary encoding
};

class DataType;
/// Types are immutable and shared.
using TypePtr = std::shared_ptr<const DataType>;

/// Field metadata as Spark keeps it: an ordered JSON object. Each value is held as its
/// compact JSON text (`"a comment"`, `1`, `{"x":true}`), so any value round-trips.
using FieldMetadata = std::vector<std::pair<std::string, std::string>>;

/// A named member of a struct (or a column of a schema).
struct Field {
  std::string name;
  TypePtr type;
  bool nullable = true;
  FieldMetadata metadata;

  bool operator==(const Field& other) const;
};

/// The largest decimal precision (Spark's DecimalType.MAX_PRECISION).
inline constexpr int kMaxDecimalPrecision = 38;

/// A Spark logical type: a primitive, a decimal(p,s), a nested struct/array/map, void
/// (NullType) or variant.
/// Immutable; build with the factory functions below.
class DataType {
 public:
  TypeId id() const { return id_; }

  /// Decimal precision and scale; 0 for other types.
  int precision() const { return precision_; }
  int scale() const { return scale_; }

  /// Struct members; empty for other types.
  const std::vector<Field>& fields() const { return fields_; }
  int num_fields() const { return static_cast<int>(fields_.size()); }
  const Field& field(int index) const { return fields_[index]; }
  /// Returns the index of the first field named `name` (exact, case-sensitive), or -1.
  int FieldIndex(std::string_view name) const;

  /// Array element type (nullptr for other types) and whether elements may be null.
  const TypePtr& element_type() const { return first_; }
  bool contains_null() const { return contains_null_; }

  /// Map key and value types (nullptr for other types); keys are never null.
  const TypePtr& key_type() const { return first_; }
  const TypePtr& value_type() const { return second_; }
  bool value_contains_null() const { return contains_null_; }

  bool is_nested() const {
    return id_ == TypeId::kStruct || id_ == TypeId::kArray || id_ == TypeId::kMap;
  }
  bool is_integral() const {
    return id_ == TypeId::kByte || id_ == TypeId::kShort || id_ == TypeId::kInt ||
           id_ == TypeId::kLong;
  }
  bool is_numeric() const {
    return is_integral() || id_ == TypeId::kFloat || id_ == TypeId::kDouble ||
           id_ == TypeId::kDecimal;
  }

  /// Returns Spark's simple string: "bigint", "decimal(10,2)", "array<int>",
  /// "struct<a:int,b:string>", "map<string,int>" (Spark's DataType.simpleString).
  std::string ToString() const;
  /// Returns Spark's DDL form: "BIGINT", "ARRAY<STRUCT<sku: STRING, qty: INT>>".
  std::string ToDdl() const;

  /// Compares structure, names, nullability and field metadata.
  bool Equals(const DataType& other) const;
  bool operator==(const DataType& other) const { return Equals(other); }

  // Factories: use the free functions below.
  static TypePtr MakePrimitive(TypeId id);
  static TypePtr MakeDecimal(int precision, int scale);
  static TypePtr MakeStruct(std::vector<Field> fields);
  static TypePtr MakeArray(TypePtr element, bool contains_null);
  static TypePtr MakeMap(TypePtr key, TypePtr value, bool value_contains_null);

 private:
  explicit DataType(TypeId id) : id_(id) {}

  TypeId id_;
  int precision_ = 0;
  int scale_ = 0;
  std::vector<Field> fields_;
  TypePtr first_;   // array element or map key
  TypePtr second_;  // map value
  bool contains_null_ = true;
};

TypePtr BooleanType();
TypePtr ByteType();
TypePtr ShortType();
TypePtr IntType();
TypePtr LongType();
TypePtr FloatType();
TypePtr DoubleType();
/// Decimal(precision, scale); the caller keeps 1 <= precision <= 38 and 0 <= scale <=
/// precision (the DDL and JSON parsers check user input before calling).
TypePtr DecimalType(int precision, int scale);
TypePtr StringType();
TypePtr BinaryType();
TypePtr DateType();
TypePtr TimestampType();
TypePtr TimestampNtzType();
/// Spark's NullType: "void" in simple strings, DDL and schema JSON; holds only nulls.
TypePtr NullType();
/// Spark's VariantType ("variant"): a semi-structured value (see types/variant.h).
TypePtr VariantType();
TypePtr StructType(std::vector<Field> fields);
TypePtr ArrayType(TypePtr element, bool contains_null = true);
TypePtr MapType(TypePtr key, TypePtr value, bool value_contains_null = true);

/// Returns a nullable field without metadata.
Field MakeField(std::string name, TypePtr type, bool nullable = true);

/// Returns `type` with every struct field nullable, every array containing nulls and
/// every map value nullable (Spark's asNullable: read schemas, new Delta table schemas).
TypePtr AsNullable(const TypePtr& type);

/// The schema of a batch or table: an ordered list of top-level fields.
/// Immutable and shared.
class Schema {
 public:
  explicit Schema(std::vector<Field> fields);

  const std::vector<Field>& fields() const { return struct_type_->fields(); }
  int num_fields() const { return struct_type_->num_fields(); }
  const Field& field(int index) const { return struct_type_->field(index); }
  /// Returns the index of the first field named `name`, or -1.
  int FieldIndex(std::string_view name) const { return struct_type_->FieldIndex(name); }
  /// The schema as a struct type, e.g. to nest it.
  const TypePtr& struct_type() const { return struct_type_; }

  /// Returns "order_id BIGINT, items ARRAY<STRUCT<sku: STRING, qty: INT>>" (nullability
  /// shows as NOT NULL, field comments as COMMENT '...').
  std::string ToDdl() const;
  /// Returns Spark's simple string, "struct<a:int,b:string>".
  std::string ToString() const { return struct_type_->ToString(); }
  /// Returns Spark's printSchema() tree ("root\n |-- a: integer (nullable = true)\n...").
  std::string ToTreeString() const;

  bool Equals(const Schema& other) const { return struct_type_->Equals(*other.struct_type_); }
  bool operator==(const Schema& other) const { return Equals(other); }

 private:
  TypePtr struct_type_;
};

using SchemaPtr = std::shared_ptr<const Schema>;

/// Returns a shared schema of `fields`.
SchemaPtr MakeSchema(std::vector<Field> fields);

/// Returns `schema` with every field nullable, at every level (AsNullable).
SchemaPtr AsNullable(const SchemaPtr& schema);

}  // namespace sluice
