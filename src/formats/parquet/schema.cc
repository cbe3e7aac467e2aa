// SPDX-License-Identifier: Apache-2.0
#include "formats/parquet/schema.h"

#include <fmt/format.h>

#include <string_view>
#include <utility>

namespace sluice::parquet {
namespace {

using format::ConvertedType;
using format::FieldRepetitionType;
using PhysicalType = format::Type;

/// Old parquet-cpp versions wrote this value, its "NA" converted type, for
/// columns of nulls; Arrow reads them as its null type.
constexpr int kConvertedTypeNa = 24;

std::string_view PhysicalName(PhysicalType::type type) {
  switch (type) {
    case PhysicalType::BOOLEAN:
      return "BOOLEAN";
    case PhysicalType::INT32:
      return "INT32";
    case PhysicalType::INT64:
      return "INT64";
    case PhysicalType::INT96:
      return "INT96";
    case PhysicalType::FLOAT:
      return "FLOAT";
    case PhysicalType::DOUBLE:
      return "DOUBLE";
    case PhysicalType::BYTE_ARRAY:
      return "BYTE_ARRAY";
    case PhysicalType::FIXED_LEN_BYTE_ARRAY:
      return "FIXED_LEN_BYTE_ARRAY";
  }
  return "UNKNOWN_PHYSICAL_TYPE";
}

bool IsKnownPhysicalType(PhysicalType::type type) {
  return type >= PhysicalType::BOOLEAN && type <= PhysicalType::FIXED_LEN_BYTE_ARRAY;
}

std::string_view ConvertedName(ConvertedType::type type) {
  switch (type) {
    case ConvertedType::UTF8:
      return "UTF8";
    case ConvertedType::MAP:
      return "MAP";
    case ConvertedType::MAP_KEY_VALUE:
      return "MAP_KEY_VALUE";
    case ConvertedType::LIST:
      return "LIST";
    case ConvertedType::ENUM:
      return "ENUM";
    case ConvertedType::DECIMAL:
      return "DECIMAL";
    case ConvertedType::DATE:
      return "DATE";
    case ConvertedType::TIME_MILLIS:
      return "TIME_MILLIS";
    case ConvertedType::TIME_MICROS:
      return "TIME_MICROS";
    case ConvertedType::TIMESTAMP_MILLIS:
      return "TIMESTAMP_MILLIS";
    case ConvertedType::TIMESTAMP_MICROS:
      return "TIMESTAMP_MICROS";
    case ConvertedType::UINT_8:
      return "UINT_8";
    case ConvertedType::UINT_16:
      return "UINT_16";
    case ConvertedType::UINT_32:
      return "UINT_32";
    case ConvertedType::UINT_64:
      return "UINT_64";
    case ConvertedType::INT_8:
      return "INT_8";
    case ConvertedType::INT_16:
      return "INT_16";
    case ConvertedType::INT_32:
      return "INT_32";
    case ConvertedType::INT_64:
      return "INT_64";
    case ConvertedType::JSON:
      return "JSON";
    case ConvertedType::BSON:
      return "BSON";
    case ConvertedType::INTERVAL:
      return "INTERVAL";
  }
  return "UNKNOWN_CONVERTED_TYPE";
}

std::string_view TimeUnitName(const format::TimeUnit& unit) {
  if (unit.__isset.MILLIS) {
    return "MILLIS";
  }
  if (unit.__isset.MICROS) {
    return "MICROS";
  }
  if (unit.__isset.NANOS) {
    return "NANOS";
  }
  return "UNKNOWN_UNIT";
}

/// True when the logical type union holds a member this reader knows (a member added to
/// the format later is skipped by the Thrift reader and leaves the union empty).
bool HasKnownLogicalType(const format::SchemaElement& element) {
  if (!element.__isset.logicalType) {
    return false;
  }
  const auto& set = element.logicalType.__isset;
  return set.STRING || set.MAP || set.LIST || set.ENUM || set.DECIMAL || set.DATE || set.TIME ||
         set.TIMESTAMP || set.INTEGER || set.UNKNOWN || set.JSON || set.BSON || set.UUID ||
         set.FLOAT16 || set.VARIANT || set.GEOMETRY || set.GEOGRAPHY;
}

/// The annotation as parquet-java prints it ("" for none).
std::string AnnotationText(const format::SchemaElement& element) {
  if (HasKnownLogicalType(element)) {
    const auto& type = element.logicalType;
    const auto& set = type.__isset;
    if (set.STRING) {
      return "STRING";
    }
    if (set.MAP) {
      return "MAP";
    }
    if (set.LIST) {
      return "LIST";
    }
    if (set.ENUM) {
      return "ENUM";
    }
    if (set.DECIMAL) {
      return fmt::format("DECIMAL({},{})", type.DECIMAL.precision, type.DECIMAL.scale);
    }
    if (set.DATE) {
      return "DATE";
    }
    if (set.TIME) {
      return fmt::format("TIME({},{})", TimeUnitName(type.TIME.unit), type.TIME.isAdjustedToUTC);
    }
    if (set.TIMESTAMP) {
      return fmt::format("TIMESTAMP({},{})", TimeUnitName(type.TIMESTAMP.unit),
                         type.TIMESTAMP.isAdjustedToUTC);
    }
    if (set.INTEGER) {
      return fmt::format("INTEGER({},{})", static_cast<int>(type.INTEGER.bitWidth),
                         type.INTEGER.isSigned);
    }
    if (set.UNKNOWN) {
      return "UNKNOWN";
    }
    if (set.JSON) {
      return "JSON";
    }
    if (set.BSON) {
      return "BSON";
    }
    if (set.UUID) {
      return "UUID";
    }
    if (set.FLOAT16) {
      return "FLOAT16";
    }
    if (set.VARIANT) {
      return type.VARIANT.__isset.specification_version
                 ? fmt::format("VARIANT({})", static_cast<int>(type.VARIANT.specification_version))
                 : std::string("VARIANT");
    }
    if (set.GEOMETRY) {
      return type.GEOMETRY.__isset.crs ? fmt::format("GEOMETRY({})", type.GEOMETRY.crs)
                                       : std::string("GEOMETRY");
    }
    return type.GEOGRAPHY.__isset.crs ? fmt::format("GEOGRAPHY({})", type.GEOGRAPHY.crs)
                                      : std::string("GEOGRAPHY");
  }
  if (!element.__isset.converted_type) {
    return "";
  }
  if (static_cast<int>(element.converted_type) == kConvertedTypeNa) {
    return "NA";
  }
  if (element.converted_type < ConvertedType::UTF8 ||
      element.converted_type > ConvertedType::INTERVAL) {
    return fmt::format("converted type {}", static_cast<int>(element.converted_type));
  }
  switch (element.converted_type) {
    case ConvertedType::UTF8:
      return "STRING";
    case ConvertedType::DECIMAL:
      return fmt::format("DECIMAL({},{})", element.precision, element.scale);
    case ConvertedType::TIME_MILLIS:
      return "TIME(MILLIS,true)";
    case ConvertedType::TIME_MICROS:
      return "TIME(MICROS,true)";
    case ConvertedType::TIMESTAMP_MILLIS:
      return "TIMESTAMP(MILLIS,true)";
    case ConvertedType::TIMESTAMP_MICROS:
      return "TIMESTAMP(MICROS,true)";
    case ConvertedType::UINT_8:
      return "INTEGER(8,false)";
    case ConvertedType::UINT_16:
      return "INTEGER(16,false)";
    case ConvertedType::UINT_32:
      return "INTEGER(32,false)";
    case ConvertedType::UINT_64:
      return "INTEGER(64,false)";
    case ConvertedType::INT_8:
      return "INTEGER(8,true)";
    case ConvertedType::INT_16:
      return "INTEGER(16,true)";
    case ConvertedType::INT_32:
      return "INTEGER(32,true)";
    case ConvertedType::INT_64:
      return "INTEGER(64,true)";
    default:
      return std::string(ConvertedName(element.converted_type));
  }
}

Result<TypePtr> MakeDecimal(int precision, int scale, const std::string& path) {
  if (precision > kMaxDecimalPrecision) {
    return Status::NotImplemented(
        fmt::format("column '{}': decimal({},{}) exceeds the maximum precision {}", path, precision,
                    scale, kMaxDecimalPrecision));
  }
  if (precision < 1 || scale < 0 || scale > precision) {
    return Status::Corruption(fmt::format("column '{}': invalid decimal precision {} and scale {}",
                                          path, precision, scale));
  }
  return DecimalType(precision, scale);
}

/// The type of a primitive annotated with a logical type this reader knows.
Result<TypePtr> LogicalPrimitiveType(const format::SchemaElement& element,
                                     const std::string& path) {
  const PhysicalType::type physical = element.type;
  const auto& type = element.logicalType;
  const auto& set = type.__isset;
  auto illegal = [&]() {
    return Status::Corruption(fmt::format("illegal Parquet type {} ({}) in column '{}'",
                                          PhysicalName(physical), AnnotationText(element), path));
  };
  if (set.UNKNOWN) {
    return NullType();
  }
  if (set.STRING || set.ENUM || set.JSON) {
    if (physical != PhysicalType::BYTE_ARRAY) {
      return illegal();
    }
    return StringType();
  }
  if (set.BSON || set.GEOMETRY || set.GEOGRAPHY) {
    if (physical != PhysicalType::BYTE_ARRAY) {
      return illegal();
    }
    return BinaryType();
  }
  if (set.UUID) {
    if (physical != PhysicalType::FIXED_LEN_BYTE_ARRAY) {
      return illegal();
    }
    return BinaryType();
  }
  if (set.FLOAT16) {
    if (physical != PhysicalType::FIXED_LEN_BYTE_ARRAY || element.type_length != 2) {
      return illegal();
    }
    return FloatType();
  }
  if (set.DECIMAL) {
    if (physical != PhysicalType::INT32 && physical != PhysicalType::INT64 &&
        physical != PhysicalType::BYTE_ARRAY && physical != PhysicalType::FIXED_LEN_BYTE_ARRAY) {
      return illegal();
    }
    return MakeDecimal(type.DECIMAL.precision, type.DECIMAL.scale, path);
  }
  if (set.DATE) {
    if (physical != PhysicalType::INT32) {
      return illegal();
    }
    return DateType();
  }
  if (set.TIME) {
    if (type.TIME.unit.__isset.MILLIS && physical == PhysicalType::INT32) {
      return IntType();
    }
    if ((type.TIME.unit.__isset.MICROS || type.TIME.unit.__isset.NANOS) &&
        physical == PhysicalType::INT64) {
      return LongType();
    }
    return illegal();
  }
  if (set.TIMESTAMP) {
    const auto& unit = type.TIMESTAMP.unit.__isset;
    if (physical != PhysicalType::INT64 || !(unit.MILLIS || unit.MICROS || unit.NANOS)) {
      return illegal();
    }
    return type.TIMESTAMP.isAdjustedToUTC ? TimestampType() : TimestampNtzType();
  }
  if (set.INTEGER) {
    const int width = type.INTEGER.bitWidth;
    const bool is_signed = type.INTEGER.isSigned;
    if (width == 64) {
      if (physical != PhysicalType::INT64) {
        return illegal();
      }
      return is_signed ? LongType() : DecimalType(20, 0);
    }
    if (physical != PhysicalType::INT32) {
      return illegal();
    }
    switch (width) {
      case 8:
        return is_signed ? ByteType() : ShortType();
      case 16:
        return is_signed ? ShortType() : IntType();
      case 32:
        return is_signed ? IntType() : LongType();
      default:
        return illegal();
    }
  }
  // LIST, MAP and VARIANT annotate groups only.
  return illegal();
}

/// The type of a primitive with only a converted type.
Result<TypePtr> ConvertedPrimitiveType(const format::SchemaElement& element,
                                       const std::string& path) {
  const PhysicalType::type physical = element.type;
  const ConvertedType::type converted = element.converted_type;
  auto illegal = [&]() {
    return Status::Corruption(fmt::format("illegal Parquet type {} ({}) in column '{}'",
                                          PhysicalName(physical), ConvertedName(converted), path));
  };
  auto require = [&](PhysicalType::type expected, TypePtr type) -> Result<TypePtr> {
    if (physical != expected) {
      return illegal();
    }
    return type;
  };
  if (static_cast<int>(converted) == kConvertedTypeNa) {
    return NullType();
  }
  switch (converted) {
    case ConvertedType::UTF8:
    case ConvertedType::ENUM:
    case ConvertedType::JSON:
      return require(PhysicalType::BYTE_ARRAY, StringType());
    case ConvertedType::BSON:
      return require(PhysicalType::BYTE_ARRAY, BinaryType());
    case ConvertedType::DECIMAL:
      if (physical != PhysicalType::INT32 && physical != PhysicalType::INT64 &&
          physical != PhysicalType::BYTE_ARRAY && physical != PhysicalType::FIXED_LEN_BYTE_ARRAY) {
        return illegal();
      }
      if (!element.__isset.precision) {
        return Status::Corruption(fmt::format("column '{}': DECIMAL without a precision", path));
      }
      return MakeDecimal(element.precision, element.__isset.scale ? element.scale : 0, path);
    case ConvertedType::DATE:
      return require(PhysicalType::INT32, DateType());
    case ConvertedType::TIME_MILLIS:
      return require(PhysicalType::INT32, IntType());
    case ConvertedType::TIME_MICROS:
      return require(PhysicalType::INT64, LongType());
    case ConvertedType::TIMESTAMP_MILLIS:
    case ConvertedType::TIMESTAMP_MICROS:
      return require(PhysicalType::INT64, TimestampType());
    case ConvertedType::UINT_8:
      return require(PhysicalType::INT32, ShortType());
    case ConvertedType::UINT_16:
      return require(PhysicalType::INT32, IntType());
    case ConvertedType::UINT_32:
      return require(PhysicalType::INT32, LongType());
    case ConvertedType::UINT_64:
      return require(PhysicalType::INT64, DecimalType(20, 0));
    case ConvertedType::INT_8:
      return require(PhysicalType::INT32, ByteType());
    case ConvertedType::INT_16:
      return require(PhysicalType::INT32, ShortType());
    case ConvertedType::INT_32:
      return require(PhysicalType::INT32, IntType());
    case ConvertedType::INT_64:
      return require(PhysicalType::INT64, LongType());
    case ConvertedType::INTERVAL:
      return Status::NotImplemented(
          fmt::format("column '{}': the INTERVAL type is not supported", path));
    case ConvertedType::MAP:
    case ConvertedType::MAP_KEY_VALUE:
    case ConvertedType::LIST:
      return illegal();
  }
  return illegal();
}

/// Converted types other than the ones in parquet.thrift (and NA) are ignored, as an
/// unknown logical type is.
bool IsKnownConvertedType(ConvertedType::type type) {
  return (type >= ConvertedType::UTF8 && type <= ConvertedType::INTERVAL) ||
         static_cast<int>(type) == kConvertedTypeNa;
}

bool IsListAnnotated(const format::SchemaElement& element) {
  if (HasKnownLogicalType(element)) {
    return element.logicalType.__isset.LIST;
  }
  return element.__isset.converted_type && element.converted_type == ConvertedType::LIST;
}

bool IsMapAnnotated(const format::SchemaElement& element) {
  if (HasKnownLogicalType(element)) {
    return element.logicalType.__isset.MAP;
  }
  return element.__isset.converted_type && (element.converted_type == ConvertedType::MAP ||
                                            element.converted_type == ConvertedType::MAP_KEY_VALUE);
}

bool IsVariantAnnotated(const format::SchemaElement& element) {
  return HasKnownLogicalType(element) && element.logicalType.__isset.VARIANT;
}

std::string_view RepetitionName(FieldRepetitionType::type repetition) {
  switch (repetition) {
    case FieldRepetitionType::REQUIRED:
      return "required";
    case FieldRepetitionType::OPTIONAL:
      return "optional";
    case FieldRepetitionType::REPEATED:
      return "repeated";
  }
  return "unknown";
}

std::string LowerPhysicalName(const format::SchemaElement& element) {
  switch (element.type) {
    case PhysicalType::BOOLEAN:
      return "boolean";
    case PhysicalType::INT32:
      return "int32";
    case PhysicalType::INT64:
      return "int64";
    case PhysicalType::INT96:
      return "int96";
    case PhysicalType::FLOAT:
      return "float";
    case PhysicalType::DOUBLE:
      return "double";
    case PhysicalType::BYTE_ARRAY:
      return "binary";
    case PhysicalType::FIXED_LEN_BYTE_ARRAY:
      return fmt::format("fixed_len_byte_array({})", element.type_length);
  }
  return "unknown";
}

void FormatElementLine(const format::SchemaElement& element, bool is_group, int indent,
                       std::string* out) {
  out->append(static_cast<size_t>(indent), ' ');
  out->append(RepetitionName(element.__isset.repetition_type ? element.repetition_type
                                                             : FieldRepetitionType::REQUIRED));
  out->append(is_group ? " group" : " " + LowerPhysicalName(element));
  out->append(" ");
  out->append(element.name);
  const std::string annotation = AnnotationText(element);
  if (!annotation.empty()) {
    out->append(" (");
    out->append(annotation);
    out->append(")");
  }
  if (element.__isset.field_id) {
    out->append(fmt::format(" = {}", element.field_id));
  }
  out->append(is_group ? " {\n" : ";\n");
}

}  // namespace

Result<TypePtr> PrimitiveSluiceType(const format::SchemaElement& element, const std::string& path) {
  if (!element.__isset.type || !IsKnownPhysicalType(element.type)) {
    return Status::Corruption(fmt::format("column '{}' has no valid physical type", path));
  }
  if (HasKnownLogicalType(element)) {
    return LogicalPrimitiveType(element, path);
  }
  if (element.__isset.converted_type && IsKnownConvertedType(element.converted_type)) {
    return ConvertedPrimitiveType(element, path);
  }
  switch (element.type) {
    case PhysicalType::BOOLEAN:
      return BooleanType();
    case PhysicalType::INT32:
      return IntType();
    case PhysicalType::INT64:
      return LongType();
    case PhysicalType::INT96:
      return TimestampType();
    case PhysicalType::FLOAT:
      return FloatType();
    case PhysicalType::DOUBLE:
      return DoubleType();
    case PhysicalType::BYTE_ARRAY:
    case PhysicalType::FIXED_LEN_BYTE_ARRAY:
      return BinaryType();
  }
  return Status::Corruption(fmt::format("column '{}' has no valid physical type", path));
}

/// Builds a FileSchema: parses the flattened tree, then maps each top-level field.
class SchemaBuilder {
 public:
  explicit SchemaBuilder(const std::vector<format::SchemaElement>& elements)
      : elements_(elements) {}

  Result<FileSchema> Build() {
    if (elements_.empty()) {
      return Status::Corruption("the Parquet schema has no root element");
    }
    const format::SchemaElement& root = elements_[0];
    if (root.__isset.type && !(root.__isset.num_children && root.num_children > 0)) {
      return Status::Corruption(
          fmt::format("the Parquet schema root '{}' is not a group", root.name));
    }
    SLUICE_RETURN_IF_ERROR(ParseNode(-1, 0));
    if (next_ != elements_.size()) {
      return Status::Corruption(
          fmt::format("the Parquet schema has {} elements after the end of the tree",
                      elements_.size() - next_));
    }
    ComputeLeafRanges();
    for (const SchemaNode& node : schema_.nodes_) {
      if (!node.is_leaf()) {
        continue;
      }
      LeafDescriptor leaf;
      leaf.column_index = node.leaf_index;
      leaf.path = node.path;
      leaf.element = node.element;
      leaf.max_definition_level = node.max_definition_level;
      leaf.max_repetition_level = node.max_repetition_level;
      SLUICE_ASSIGN_OR_RETURN(leaf.type, PrimitiveSluiceType(node.element, node.path));
      schema_.leaves_.push_back(std::move(leaf));
    }
    std::vector<Field> fields;
    for (int child : schema_.nodes_[0].children) {
      SLUICE_ASSIGN_OR_RETURN(FieldNode column, ConvertField(child, 0));
      fields.push_back(FieldOf(column));
      schema_.columns_.push_back(std::move(column));
    }
    schema_.schema_ = MakeSchema(std::move(fields));
    return std::move(schema_);
  }

 private:
  /// Parses the element at next_ (and its subtree) as a child of `parent`.
  Status ParseNode(int parent, int depth) {
    if (next_ >= elements_.size()) {
      const SchemaNode& group = schema_.nodes_[parent];
      return Status::Corruption(fmt::format(
          "the Parquet schema ends inside group '{}', which declares {} children",
          group.path.empty() ? group.element.name : group.path, group.element.num_children));
    }
    const format::SchemaElement& element = elements_[next_++];
    const int index = static_cast<int>(schema_.nodes_.size());
    schema_.nodes_.emplace_back();
    SchemaNode& node = schema_.nodes_.back();
    node.element = element;
    node.parent = parent;
    if (parent >= 0) {
      const SchemaNode& up = schema_.nodes_[parent];
      node.path = up.path.empty() ? element.name : up.path + "." + element.name;
      const FieldRepetitionType::type repetition = node.repetition();
      if (element.__isset.repetition_type && repetition != FieldRepetitionType::REQUIRED &&
          repetition != FieldRepetitionType::OPTIONAL &&
          repetition != FieldRepetitionType::REPEATED) {
        return Status::Corruption(
            fmt::format("column '{}' has an invalid repetition type", node.path));
      }
      node.max_definition_level = static_cast<int16_t>(
          up.max_definition_level + (repetition != FieldRepetitionType::REQUIRED ? 1 : 0));
      node.max_repetition_level = static_cast<int16_t>(
          up.max_repetition_level + (repetition == FieldRepetitionType::REPEATED ? 1 : 0));
    }
    const std::string name = parent < 0 ? element.name : node.path;
    if (depth > FileSchema::kMaxDepth) {
      return Status::Corruption(fmt::format(
          "the Parquet schema nests deeper than {} levels at '{}'", FileSchema::kMaxDepth, name));
    }
    if (element.__isset.num_children && element.num_children < 0) {
      return Status::Corruption(
          fmt::format("schema element '{}' has a negative number ({}) of "
                      "children",
                      name, element.num_children));
    }
    const bool is_group = parent < 0 || (element.__isset.num_children &&
                                         (element.num_children > 0 || !element.__isset.type));
    if (!is_group) {
      if (!element.__isset.type) {
        return Status::Corruption(
            fmt::format("schema element '{}' has neither a type nor children", name));
      }
      if (!IsKnownPhysicalType(element.type)) {
        return Status::Corruption(fmt::format("column '{}' has an unknown physical type {}", name,
                                              static_cast<int>(element.type)));
      }
      if (element.type == PhysicalType::FIXED_LEN_BYTE_ARRAY &&
          (!element.__isset.type_length || element.type_length <= 0)) {
        return Status::Corruption(
            fmt::format("FIXED_LEN_BYTE_ARRAY column '{}' has no positive type_length", name));
      }
      node.leaf_index = num_leaves_++;
      return Status::Ok();
    }
    const int32_t num_children = element.__isset.num_children ? element.num_children : 0;
    for (int32_t i = 0; i < num_children; ++i) {
      const int child = static_cast<int>(schema_.nodes_.size());
      SLUICE_RETURN_IF_ERROR(ParseNode(index, depth + 1));
      schema_.nodes_[index].children.push_back(child);
    }
    return Status::Ok();
  }

  /// Fills first_leaf_ and num_leaves_below_ for every node (children follow parents).
  void ComputeLeafRanges() {
    const size_t count = schema_.nodes_.size();
    first_leaf_.assign(count, -1);
    leaves_below_.assign(count, 0);
    for (size_t i = count; i-- > 0;) {
      const SchemaNode& node = schema_.nodes_[i];
      if (node.is_leaf()) {
        first_leaf_[i] = node.leaf_index;
        leaves_below_[i] = 1;
        continue;
      }
      for (int child : node.children) {
        if (first_leaf_[i] < 0) {
          first_leaf_[i] = first_leaf_[child];
        }
        leaves_below_[i] += leaves_below_[child];
      }
    }
  }

  const SchemaNode& node(int index) const { return schema_.nodes_[index]; }

  FieldNode Start(int index, FieldKind kind, int16_t repeated_ancestor_def, bool nullable) const {
    const SchemaNode& parquet = node(index);
    FieldNode out;
    out.kind = kind;
    out.name = parquet.element.name;
    out.nullable = nullable;
    out.definition_level = parquet.max_definition_level;
    out.repetition_level = parquet.max_repetition_level;
    out.repeated_ancestor_definition_level = repeated_ancestor_def;
    out.schema_node = index;
    out.first_leaf = first_leaf_[index];
    out.num_leaves = leaves_below_[index];
    return out;
  }

  /// The sluice field of a top-level column or struct member, with the Parquet field id
  /// of its element as metadata when it has one.
  Field FieldOf(const FieldNode& member) const {
    Field field = MakeField(member.name, member.type, member.nullable);
    const format::SchemaElement& element = node(member.schema_node).element;
    if (element.__isset.field_id) {
      field.metadata.emplace_back(kFieldIdMetadataKey, std::to_string(element.field_id));
    }
    return field;
  }

  /// A struct member or top-level column: its repetition decides nullability, and a
  /// repeated field becomes a non-nullable array of itself.
  Result<FieldNode> ConvertField(int index, int16_t repeated_ancestor_def) {
    const SchemaNode& parquet = node(index);
    if (parquet.repetition() != FieldRepetitionType::REPEATED) {
      return ConvertValue(index, repeated_ancestor_def,
                          parquet.repetition() == FieldRepetitionType::OPTIONAL);
    }
    FieldNode list = Start(index, FieldKind::kList, repeated_ancestor_def, false);
    // The list itself exists wherever its parent does.
    list.definition_level = static_cast<int16_t>(parquet.max_definition_level - 1);
    list.repetition_level = static_cast<int16_t>(parquet.max_repetition_level - 1);
    SLUICE_ASSIGN_OR_RETURN(FieldNode element,
                            ConvertValue(index, parquet.max_definition_level, false));
    list.type = ArrayType(element.type, false);
    list.children.push_back(std::move(element));
    return list;
  }

  /// The value of node `index` itself (a repeated node here is the element of a list).
  Result<FieldNode> ConvertValue(int index, int16_t repeated_ancestor_def, bool nullable) {
    const SchemaNode& parquet = node(index);
    if (parquet.is_leaf()) {
      FieldNode leaf = Start(index, FieldKind::kPrimitive, repeated_ancestor_def, nullable);
      leaf.type = schema_.leaves_[parquet.leaf_index].type;
      return leaf;
    }
    if (leaves_below_[index] == 0) {
      return Status::NotImplemented(
          fmt::format("group '{}' has no leaf columns (an empty struct)", parquet.path));
    }
    if (IsListAnnotated(parquet.element)) {
      return ConvertList(index, repeated_ancestor_def, nullable);
    }
    if (IsMapAnnotated(parquet.element)) {
      return ConvertMap(index, repeated_ancestor_def, nullable);
    }
    if (IsVariantAnnotated(parquet.element)) {
      return ConvertVariant(index, repeated_ancestor_def, nullable);
    }
    FieldNode group = Start(index, FieldKind::kStruct, repeated_ancestor_def, nullable);
    std::vector<Field> fields;
    for (int child : parquet.children) {
      SLUICE_ASSIGN_OR_RETURN(FieldNode member, ConvertField(child, repeated_ancestor_def));
      fields.push_back(FieldOf(member));
      group.children.push_back(std::move(member));
    }
    group.type = StructType(std::move(fields));
    return group;
  }

  Result<FieldNode> ConvertList(int index, int16_t repeated_ancestor_def, bool nullable) {
    const SchemaNode& parquet = node(index);
    if (parquet.children.size() != 1 ||
        node(parquet.children[0]).repetition() != FieldRepetitionType::REPEATED) {
      return Status::Corruption(fmt::format(
          "invalid LIST '{}': a LIST group must hold exactly one repeated field", parquet.path));
    }
    const int repeated = parquet.children[0];
    const SchemaNode& repeated_node = node(repeated);
    FieldNode list = Start(index, FieldKind::kList, repeated_ancestor_def, nullable);
    const int16_t element_ancestor_def = repeated_node.max_definition_level;
    bool repeated_is_element = repeated_node.is_leaf() || repeated_node.children.size() != 1 ||
                               repeated_node.element.name == "array" ||
                               repeated_node.element.name == parquet.element.name + "_tuple";
    if (!repeated_is_element &&
        node(repeated_node.children[0]).repetition() == FieldRepetitionType::REPEATED) {
      repeated_is_element = true;
    }
    FieldNode element;
    if (repeated_is_element) {
      SLUICE_ASSIGN_OR_RETURN(element, ConvertValue(repeated, element_ancestor_def, false));
    } else {
      SLUICE_ASSIGN_OR_RETURN(element,
                              ConvertField(repeated_node.children[0], element_ancestor_def));
    }
    list.type = ArrayType(element.type, element.nullable);
    list.children.push_back(std::move(element));
    return list;
  }

  Result<FieldNode> ConvertMap(int index, int16_t repeated_ancestor_def, bool nullable) {
    const SchemaNode& parquet = node(index);
    if (parquet.children.size() != 1) {
      return Status::Corruption(fmt::format(
          "invalid MAP '{}': a MAP group must hold exactly one repeated group", parquet.path));
    }
    const SchemaNode& key_value = node(parquet.children[0]);
    if (key_value.is_leaf() || key_value.repetition() != FieldRepetitionType::REPEATED ||
        key_value.children.empty() || key_value.children.size() > 2) {
      return Status::Corruption(
          fmt::format("invalid MAP '{}': the repeated key-value group must hold a key and at "
                      "most one value",
                      parquet.path));
    }
    const int16_t entry_def = key_value.max_definition_level;
    SLUICE_ASSIGN_OR_RETURN(FieldNode key, ConvertField(key_value.children[0], entry_def));
    if (key_value.children.size() == 1) {
      // A map without values (allowed by the specification) reads as the list of its keys.
      FieldNode list = Start(index, FieldKind::kList, repeated_ancestor_def, nullable);
      list.type = ArrayType(key.type, key.nullable);
      list.children.push_back(std::move(key));
      return list;
    }
    SLUICE_ASSIGN_OR_RETURN(FieldNode value, ConvertField(key_value.children[1], entry_def));
    FieldNode map = Start(index, FieldKind::kMap, repeated_ancestor_def, nullable);
    map.type = MapType(key.type, value.type, value.nullable);
    map.children.push_back(std::move(key));
    map.children.push_back(std::move(value));
    return map;
  }

  Result<FieldNode> ConvertVariant(int index, int16_t repeated_ancestor_def, bool nullable) {
    const SchemaNode& parquet = node(index);
    int metadata = -1;
    int value = -1;
    for (int child : parquet.children) {
      const std::string& name = node(child).element.name;
      if (name == "metadata") {
        metadata = child;
      } else if (name == "value") {
        value = child;
      } else if (name == "typed_value") {
        return Status::NotImplemented(
            fmt::format("column '{}': shredded variant is not supported", parquet.path));
      } else {
        return Status::Corruption(
            fmt::format("invalid VARIANT '{}': unexpected field '{}'", parquet.path, name));
      }
    }
    auto is_binary_leaf = [&](int child) {
      return child >= 0 && node(child).is_leaf() &&
             node(child).element.type == PhysicalType::BYTE_ARRAY &&
             node(child).repetition() != FieldRepetitionType::REPEATED;
    };
    if (!is_binary_leaf(metadata) || !is_binary_leaf(value)) {
      return Status::Corruption(fmt::format(
          "invalid VARIANT '{}': it must hold binary 'metadata' and 'value' fields", parquet.path));
    }
    FieldNode variant = Start(index, FieldKind::kVariant, repeated_ancestor_def, nullable);
    variant.type = VariantType();
    for (int child : {metadata, value}) {
      FieldNode part = Start(child, FieldKind::kPrimitive, repeated_ancestor_def,
                             node(child).repetition() == FieldRepetitionType::OPTIONAL);
      part.type = BinaryType();
      variant.children.push_back(std::move(part));
    }
    return variant;
  }

  const std::vector<format::SchemaElement>& elements_;
  size_t next_ = 0;
  int num_leaves_ = 0;
  std::vector<int> first_leaf_;    // per node: its first leaf, -1 when it has none
  std::vector<int> leaves_below_;  // per node: how many leaves it holds
  FileSchema schema_;
};

Result<FileSchema> FileSchema::Make(const std::vector<format::SchemaElement>& elements) {
  return SchemaBuilder(elements).Build();
}

std::string FormatParquetSchema(const std::vector<format::SchemaElement>& elements) {
  if (elements.empty()) {
    return "message  {\n}\n";
  }
  const format::SchemaElement& root = elements[0];
  std::string out = "message " + root.name;
  const std::string annotation = AnnotationText(root);
  if (!annotation.empty()) {
    out += " (" + annotation + ")";
  }
  out += " {\n";
  // Children still to print for each open group, innermost last.
  std::vector<int64_t> open = {root.__isset.num_children ? root.num_children : 0};
  for (size_t i = 1; i < elements.size(); ++i) {
    while (open.size() > 1 && open.back() <= 0) {
      open.pop_back();
      out.append(2 * open.size(), ' ');
      out += "}\n";
    }
    if (open.back() <= 0) {
      break;
    }
    --open.back();
    const format::SchemaElement& element = elements[i];
    const bool is_group =
        element.__isset.num_children && (element.num_children > 0 || !element.__isset.type);
    FormatElementLine(element, is_group, static_cast<int>(2 * open.size()), &out);
    if (is_group) {
      open.push_back(element.num_children);
    }
  }
  while (open.size() > 1) {
    open.pop_back();
    out.append(2 * open.size(), ' ');
    out += "}\n";
  }
  out += "}\n";
  return out;
}

std::string FormatParquetSchema(const FileSchema& schema) {
  std::vector<format::SchemaElement> elements;
  elements.reserve(schema.nodes().size());
  for (const SchemaNode& node : schema.nodes()) {
    elements.push_back(node.element);
  }
  return FormatParquetSchema(elements);
}

}  // namespace sluice::parquet
