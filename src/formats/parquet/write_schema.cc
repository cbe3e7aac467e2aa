// SPDX-License-Identifier: Apache-2.0
#include "formats/parquet/write_schema.h"

#include <fmt/format.h>

#include <charconv>
#include <utility>

#include "common/check.h"
#include "formats/parquet/schema.h"
#include "types/decimal.h"

namespace sluice::parquet {
namespace {

format::LogicalType IntegerLogicalType(int bits) {
  format::IntType integer;
  integer.__set_bitWidth(static_cast<int8_t>(bits));
  integer.__set_isSigned(true);
  format::LogicalType logical;
  logical.__set_INTEGER(integer);
  return logical;
}

format::LogicalType TimestampLogicalType(bool adjusted_to_utc) {
  format::TimeUnit unit;
  unit.__set_MICROS(format::MicroSeconds());
  format::TimestampType timestamp;
  timestamp.__set_isAdjustedToUTC(adjusted_to_utc);
  timestamp.__set_unit(unit);
  format::LogicalType logical;
  logical.__set_TIMESTAMP(timestamp);
  return logical;
}

// Sets the physical type and annotations of a primitive element and its leaf.
void AnnotatePrimitive(const DataType& type, format::SchemaElement* element, WriteLeaf* leaf) {
  format::LogicalType logical;
  auto set_type = [&](format::Type::type physical) {
    element->__set_type(physical);
    leaf->physical_type = physical;
  };
  switch (type.id()) {
    case TypeId::kBoolean:
      set_type(format::Type::BOOLEAN);
      break;
    case TypeId::kByte:
    case TypeId::kShort:
      set_type(format::Type::INT32);
      element->__set_logicalType(IntegerLogicalType(type.id() == TypeId::kByte ? 8 : 16));
      element->__set_converted_type(type.id() == TypeId::kByte ? format::ConvertedType::INT_8
                                                               : format::ConvertedType::INT_16);
      break;
    case TypeId::kInt:
      set_type(format::Type::INT32);
      break;
    case TypeId::kLong:
      set_type(format::Type::INT64);
      break;
    case TypeId::kFloat:
      set_type(format::Type::FLOAT);
      break;
    case TypeId::kDouble:
      set_type(format::Type::DOUBLE);
      break;
    case TypeId::kDecimal: {
      if (type.precision() <= 9) {
        set_type(format::Type::INT32);
      } else if (type.precision() <= 18) {
        set_type(format::Type::INT64);
      } else {
        set_type(format::Type::FIXED_LEN_BYTE_ARRAY);
        leaf->type_length = DecimalByteLength(type.precision());
        element->__set_type_length(leaf->type_length);
      }
      format::DecimalType decimal;
      decimal.__set_precision(type.precision());
      decimal.__set_scale(type.scale());
      logical.__set_DECIMAL(decimal);
      element->__set_logicalType(logical);
      element->__set_converted_type(format::ConvertedType::DECIMAL);
      element->__set_precision(type.precision());
      element->__set_scale(type.scale());
      break;
    }
    case TypeId::kString:
      set_type(format::Type::BYTE_ARRAY);
      logical.__set_STRING(format::StringType());
      element->__set_logicalType(logical);
      element->__set_converted_type(format::ConvertedType::UTF8);
      break;
    case TypeId::kBinary:
      set_type(format::Type::BYTE_ARRAY);
      break;
    case TypeId::kDate:
      set_type(format::Type::INT32);
      logical.__set_DATE(format::DateType());
      element->__set_logicalType(logical);
      element->__set_converted_type(format::ConvertedType::DATE);
      break;
    case TypeId::kTimestamp:
      set_type(format::Type::INT64);
      element->__set_logicalType(TimestampLogicalType(true));
      element->__set_converted_type(format::ConvertedType::TIMESTAMP_MICROS);
      break;
    case TypeId::kTimestampNtz:
      set_type(format::Type::INT64);
      element->__set_logicalType(TimestampLogicalType(false));
      break;
    case TypeId::kNull:
      set_type(format::Type::INT32);
      logical.__set_UNKNOWN(format::NullType());
      element->__set_logicalType(logical);
      break;
    case TypeId::kStruct:
    case TypeId::kArray:
    case TypeId::kMap:
    case TypeId::kVariant:
      SLUICE_CHECK(false, "AnnotatePrimitive on nested type {}", type.ToString());
  }
}

class SchemaBuilder {
 public:
  explicit SchemaBuilder(WriteSchema* out) : out_(out) {}

  // Adds the elements of a field named `name`; `nullable` decides OPTIONAL or REQUIRED
  // (overridden by `repeated`); `def`/`rep` are the levels of the parent.
  Result<WriteNode> AddField(const std::string& name, const TypePtr& type, bool nullable,
                             const FieldMetadata* metadata, int16_t def, int16_t rep) {
    WriteNode node;
    node.name = name;
    // Void holds only nulls, so it is optional whatever the field says (as Arrow).
    node.optional = nullable || type->id() == TypeId::kNull;
    node.first_leaf = static_cast<int>(out_->leaves.size());
    const int16_t own_def = static_cast<int16_t>(def + (node.optional ? 1 : 0));

    format::SchemaElement element;
    element.__set_name(name);
    element.__set_repetition_type(node.optional ? format::FieldRepetitionType::OPTIONAL
                                                : format::FieldRepetitionType::REQUIRED);
    if (metadata != nullptr) {
      SLUICE_RETURN_IF_ERROR(SetFieldId(name, *metadata, &element));
    }
    const size_t element_index = out_->elements.size();
    out_->elements.push_back(element);
    path_.push_back(name);

    switch (type->id()) {
      case TypeId::kStruct: {
        node.kind = WriteNode::Kind::kStruct;
        if (type->num_fields() == 0) {
          return Status::InvalidArgument(
              fmt::format("Parquet cannot hold a struct without fields: {}", Path()));
        }
        out_->elements[element_index].__set_num_children(type->num_fields());
        for (const Field& field : type->fields()) {
          SLUICE_ASSIGN_OR_RETURN(WriteNode child, AddField(field.name, field.type, field.nullable,
                                                            &field.metadata, own_def, rep));
          node.children.push_back(std::move(child));
        }
        break;
      }
      case TypeId::kArray:
      case TypeId::kMap: {
        const bool is_map = type->id() == TypeId::kMap;
        node.kind = is_map ? WriteNode::Kind::kMap : WriteNode::Kind::kList;
        node.repetition_level = static_cast<int16_t>(rep + 1);
        format::LogicalType logical;
        if (is_map) {
          logical.__set_MAP(format::MapType());
        } else {
          logical.__set_LIST(format::ListType());
        }
        out_->elements[element_index].__set_logicalType(logical);
        out_->elements[element_index].__set_converted_type(is_map ? format::ConvertedType::MAP
                                                                  : format::ConvertedType::LIST);
        out_->elements[element_index].__set_num_children(1);
        format::SchemaElement repeated;
        repeated.__set_name(is_map ? "key_value" : "list");
        repeated.__set_repetition_type(format::FieldRepetitionType::REPEATED);
        repeated.__set_num_children(is_map ? 2 : 1);
        out_->elements.push_back(repeated);
        path_.push_back(repeated.name);
        const int16_t inner_def = static_cast<int16_t>(own_def + 1);
        if (is_map) {
          SLUICE_ASSIGN_OR_RETURN(WriteNode key,
                                  AddField("key", type->key_type(), false, nullptr, inner_def,
                                           static_cast<int16_t>(rep + 1)));
          SLUICE_ASSIGN_OR_RETURN(WriteNode value,
                                  AddField("value", type->value_type(), type->value_contains_null(),
                                           nullptr, inner_def, static_cast<int16_t>(rep + 1)));
          node.children.push_back(std::move(key));
          node.children.push_back(std::move(value));
        } else {
          SLUICE_ASSIGN_OR_RETURN(WriteNode element_node,
                                  AddField("element", type->element_type(), type->contains_null(),
                                           nullptr, inner_def, static_cast<int16_t>(rep + 1)));
          node.children.push_back(std::move(element_node));
        }
        path_.pop_back();
        break;
      }
      case TypeId::kVariant: {
        node.kind = WriteNode::Kind::kVariant;
        format::VariantType variant;
        variant.__set_specification_version(1);
        format::LogicalType logical;
        logical.__set_VARIANT(variant);
        out_->elements[element_index].__set_logicalType(logical);
        out_->elements[element_index].__set_num_children(2);
        for (const char* part : {"metadata", "value"}) {
          SLUICE_ASSIGN_OR_RETURN(WriteNode child,
                                  AddField(part, BinaryType(), false, nullptr, own_def, rep));
          node.children.push_back(std::move(child));
        }
        break;
      }
      default: {
        node.kind = WriteNode::Kind::kPrimitive;
        WriteLeaf leaf;
        leaf.path = path_;
        leaf.max_definition_level = own_def;
        leaf.max_repetition_level = rep;
        leaf.type = type;
        AnnotatePrimitive(*type, &out_->elements[element_index], &leaf);
        out_->leaves.push_back(std::move(leaf));
        break;
      }
    }
    path_.pop_back();
    node.end_leaf = static_cast<int>(out_->leaves.size());
    return node;
  }

 private:
  std::string Path() const { return fmt::format("{}", fmt::join(path_, ".")); }

  Status SetFieldId(const std::string& name, const FieldMetadata& metadata,
                    format::SchemaElement* element) {
    for (const auto& [key, value] : metadata) {
      if (key != kFieldIdMetadataKey) {
        continue;
      }
      int32_t id = 0;
      const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), id);
      if (error != std::errc() || end != value.data() + value.size()) {
        return Status::InvalidArgument(fmt::format(
            "Field metadata parquet.field.id is not a 32-bit integer: {} = {}", name, value));
      }
      element->__set_field_id(id);
    }
    return Status::Ok();
  }

  WriteSchema* out_;
  std::vector<std::string> path_;
};

}  // namespace

int32_t DecimalByteLength(int precision) {
  // The largest unscaled value, 10^precision - 1, needs a sign bit on top of its bits.
  const Int128 max_unscaled = PowerOfTen(precision) - 1;
  int32_t bytes = 1;
  while (bytes < 16 && (max_unscaled >> (8 * bytes - 1)) != 0) {
    ++bytes;
  }
  return bytes;
}

Result<WriteSchema> MakeWriteSchema(const Schema& schema) {
  WriteSchema out;
  format::SchemaElement root;
  root.__set_name("spark_schema");
  root.__set_num_children(schema.num_fields());
  out.elements.push_back(root);
  SchemaBuilder builder(&out);
  for (const Field& field : schema.fields()) {
    SLUICE_ASSIGN_OR_RETURN(WriteNode node, builder.AddField(field.name, field.type, field.nullable,
                                                             &field.metadata, 0, 0));
    out.columns.push_back(std::move(node));
  }
  return out;
}

}  // namespace sluice::parquet
