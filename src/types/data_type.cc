// SPDX-License-Identifier: Apache-2.0
#include "types/data_type.h"

#include <fmt/format.h>

#include "common/check.h"
#include "common/json.h"
#include "common/result.h"

namespace sluice {
namespace {

struct PrimitiveNames {
  std::string_view simple;     // simpleString: "bigint"
  std::string_view type_name;  // printSchema: "long"
  std::string_view sql;        // DDL: "BIGINT"
};

PrimitiveNames NamesOf(TypeId id) {
  switch (id) {
    case TypeId::kBoolean:
      return {"boolean", "boolean", "BOOLEAN"};
    case TypeId::kByte:
      return {"tinyint", "byte", "TINYINT"};
    case TypeId::kShort:
      return {"smallint", "short", "SMALLINT"};
    case TypeId::kInt:
      return {"int", "integer", "INT"};
    case TypeId::kLong:
      return {"bigint", "long", "BIGINT"};
    case TypeId::kFloat:
      return {"float", "float", "FLOAT"};
    case TypeId::kDouble:
      return {"double", "double", "DOUBLE"};
    case TypeId::kString:
      return {"string", "string", "STRING"};
    case TypeId::kBinary:
      return {"binary", "binary", "BINARY"};
    case TypeId::kDate:
      return {"date", "date", "DATE"};
    case TypeId::kTimestamp:
      return {"timestamp", "timestamp", "TIMESTAMP"};
    case TypeId::kTimestampNtz:
      return {"timestamp_ntz", "timestamp_ntz", "TIMESTAMP_NTZ"};
    case TypeId::kDecimal:
      return {"decimal", "decimal", "DECIMAL"};
    case TypeId::kStruct:
      return {"struct", "struct", "STRUCT"};
    case TypeId::kArray:
      return {"array", "array", "ARRAY"};
    case TypeId::kMap:
      return {"map", "map", "MAP"};
    case TypeId::kNull:
      return {"void", "void", "VOID"};
    case TypeId::kVariant:
      return {"variant", "variant", "VARIANT"};
  }
  return {"?", "?", "?"};
}

/// Spark's quoteIfNeeded: plain identifiers stay, anything else goes in backticks.
std::string QuoteIfNeeded(std::string_view name) {
  bool plain = !name.empty();
  bool all_digits = true;
  for (char c : name) {
    const bool word =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    plain = plain && word;
    all_digits = all_digits && (c >= '0' && c <= '9');
  }
  if (plain && !all_digits) {
    return std::string(name);
  }
  std::string out = "`";
  for (char c : name) {
    out += c;
    if (c == '`') {
      out += '`';
    }
  }
  out += '`';
  return out;
}

/// Returns the DDL clause "'text'" for the comment of a field, when its metadata has a
/// string "comment"; empty otherwise. The metadata value is JSON text: it is decoded, then
/// quoted as Spark's escapeSingleQuotedString does (' and \ get a backslash), so the DDL
/// parser reads back the same text.
std::string CommentOf(const Field& field) {
  for (const auto& [key, value] : field.metadata) {
    if (key != "comment") {
      continue;
    }
    Result<JsonValue> parsed = JsonValue::Parse(value);
    if (!parsed.ok() || !parsed->is_string()) {
      return {};
    }
    std::string out = "'";
    for (char c : parsed->text()) {
      if (c == '\'' || c == '\\') {
        out += '\\';
      }
      out += c;
    }
    out += '\'';
    return out;
  }
  return {};
}

std::string FieldDdl(const Field& field, std::string_view separator) {
  std::string out = QuoteIfNeeded(field.name);
  out += separator;
  out += field.type->ToDdl();
  if (!field.nullable) {
    out += " NOT NULL";
  }
  const std::string comment = CommentOf(field);
  if (!comment.empty()) {
    out += " COMMENT ";
    out += comment;
  }
  return out;
}

void AppendTree(const DataType& type, const std::string& prefix, std::string* out);

/// Spark's escapeMetaCharacters: printSchema shows control characters in names escaped.
std::string EscapeMetaCharacters(std::string_view name) {
  std::string out;
  for (char c : name) {
    switch (c) {
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\v':
        out += "\\v";
        break;
      case '\a':
        out += "\\a";
        break;
      default:
        out += c;
    }
  }
  return out;
}

void AppendTreeLine(std::string_view name, const DataType& type, std::string_view suffix,
                    const std::string& prefix, std::string* out) {
  std::string type_name(NamesOf(type.id()).type_name);
  if (type.id() == TypeId::kDecimal) {
    type_name = fmt::format("decimal({},{})", type.precision(), type.scale());
  }
  *out += fmt::format("{} |-- {}: {}{}\n", prefix, EscapeMetaCharacters(name), type_name, suffix);
  AppendTree(type, prefix + " |   ", out);
}

void AppendTree(const DataType& type, const std::string& prefix, std::string* out) {
  switch (type.id()) {
    case TypeId::kStruct:
      for (const Field& field : type.fields()) {
        AppendTreeLine(field.name, *field.type, fmt::format(" (nullable = {})", field.nullable),
                       prefix, out);
      }
      break;
    case TypeId::kArray:
      AppendTreeLine("element", *type.element_type(),
                     fmt::format(" (containsNull = {})", type.contains_null()), prefix, out);
      break;
    case TypeId::kMap:
      AppendTreeLine("key", *type.key_type(), "", prefix, out);
      AppendTreeLine("value", *type.value_type(),
                     fmt::format(" (valueContainsNull = {})", type.value_contains_null()), prefix,
                     out);
      break;
    default:
      break;
  }
}

}  // namespace

bool Field::operator==(const Field& other) const {
  return name == other.name && nullable == other.nullable && metadata == other.metadata &&
         type->Equals(*other.type);
}

int DataType::FieldIndex(std::string_view name) const {
  for (size_t i = 0; i < fields_.size(); ++i) {
    if (fields_[i].name == name) {
      return static_cast<int>(i);
    }
  }
  return -1;
}

std::string DataType::ToString() const {
  switch (id_) {
    case TypeId::kDecimal:
      return fmt::format("decimal({},{})", precision_, scale_);
    case TypeId::kArray:
      return fmt::format("array<{}>", first_->ToString());
    case TypeId::kMap:
      return fmt::format("map<{},{}>", first_->ToString(), second_->ToString());
    case TypeId::kStruct: {
      std::string out = "struct<";
      for (size_t i = 0; i < fields_.size(); ++i) {
        if (i > 0) {
          out += ',';
        }
        out += fields_[i].name;
        out += ':';
        out += fields_[i].type->ToString();
      }
      out += '>';
      return out;
    }
    default:
      return std::string(NamesOf(id_).simple);
  }
}

std::string DataType::ToDdl() const {
  switch (id_) {
    case TypeId::kDecimal:
      return fmt::format("DECIMAL({},{})", precision_, scale_);
    case TypeId::kArray:
      return fmt::format("ARRAY<{}>", first_->ToDdl());
    case TypeId::kMap:
      return fmt::format("MAP<{}, {}>", first_->ToDdl(), second_->ToDdl());
    case TypeId::kStruct: {
      std::string out = "STRUCT<";
      for (size_t i = 0; i < fields_.size(); ++i) {
        if (i > 0) {
          out += ", ";
        }
        out += FieldDdl(fields_[i], ": ");
      }
      out += '>';
      return out;
    }
    default:
      return std::string(NamesOf(id_).sql);
  }
}

bool DataType::Equals(const DataType& other) const {
  if (this == &other) {
    return true;
  }
  if (id_ != other.id_ || precision_ != other.precision_ || scale_ != other.scale_ ||
      contains_null_ != other.contains_null_ || fields_ != other.fields_) {
    return false;
  }
  if ((first_ == nullptr) != (other.first_ == nullptr) ||
      (second_ == nullptr) != (other.second_ == nullptr)) {
    return false;
  }
  return (first_ == nullptr || first_->Equals(*other.first_)) &&
         (second_ == nullptr || second_->Equals(*other.second_));
}

TypePtr DataType::MakePrimitive(TypeId id) {
  SLUICE_CHECK(id != TypeId::kDecimal && !DataType(id).is_nested(), "not a primitive type");
  return std::shared_ptr<const DataType>(new DataType(id));
}

TypePtr DataType::MakeDecimal(int precision, int scale) {
  SLUICE_CHECK(
      precision >= 1 && precision <= kMaxDecimalPrecision && scale >= 0 && scale <= precision,
      "bad decimal({}, {})", precision, scale);
  auto* type = new DataType(TypeId::kDecimal);
  type->precision_ = precision;
  type->scale_ = scale;
  return std::shared_ptr<const DataType>(type);
}

TypePtr DataType::MakeStruct(std::vector<Field> fields) {
  auto* type = new DataType(TypeId::kStruct);
  for (const Field& field : fields) {
    SLUICE_CHECK(field.type != nullptr, "struct field '{}' has no type", field.name);
  }
  type->fields_ = std::move(fields);
  return std::shared_ptr<const DataType>(type);
}

TypePtr DataType::MakeArray(TypePtr element, bool contains_null) {
  SLUICE_CHECK(element != nullptr, "array without element type");
  auto* type = new DataType(TypeId::kArray);
  type->first_ = std::move(element);
  type->contains_null_ = contains_null;
  return std::shared_ptr<const DataType>(type);
}

TypePtr DataType::MakeMap(TypePtr key, TypePtr value, bool value_contains_null) {
  SLUICE_CHECK(key != nullptr && value != nullptr, "map without key or value type");
  auto* type = new DataType(TypeId::kMap);
  type->first_ = std::move(key);
  type->second_ = std::move(value);
  type->contains_null_ = value_contains_null;
  return std::shared_ptr<const DataType>(type);
}

#define SLUICE_PRIMITIVE_FACTORY(function, id)               \
  TypePtr function() {                                       \
    static const TypePtr type = DataType::MakePrimitive(id); \
    return type;                                             \
  }
SLUICE_PRIMITIVE_FACTORY(BooleanType, TypeId::kBoolean)
SLUICE_PRIMITIVE_FACTORY(ByteType, TypeId::kByte)
SLUICE_PRIMITIVE_FACTORY(ShortType, TypeId::kShort)
SLUICE_PRIMITIVE_FACTORY(IntType, TypeId::kInt)
SLUICE_PRIMITIVE_FACTORY(LongType, TypeId::kLong)
SLUICE_PRIMITIVE_FACTORY(FloatType, TypeId::kFloat)
SLUICE_PRIMITIVE_FACTORY(DoubleType, TypeId::kDouble)
SLUICE_PRIMITIVE_FACTORY(StringType, TypeId::kString)
SLUICE_PRIMITIVE_FACTORY(BinaryType, TypeId::kBinary)
SLUICE_PRIMITIVE_FACTORY(DateType, TypeId::kDate)
SLUICE_PRIMITIVE_FACTORY(TimestampType, TypeId::kTimestamp)
SLUICE_PRIMITIVE_FACTORY(TimestampNtzType, TypeId::kTimestampNtz)
SLUICE_PRIMITIVE_FACTORY(NullType, TypeId::kNull)
SLUICE_PRIMITIVE_FACTORY(VariantType, TypeId::kVariant)
#undef SLUICE_PRIMITIVE_FACTORY

TypePtr DecimalType(int precision, int scale) {
  return DataType::MakeDecimal(precision, scale);
}
TypePtr StructType(std::vector<Field> fields) {
  return DataType::MakeStruct(std::move(fields));
}
TypePtr ArrayType(TypePtr element, bool contains_null) {
  return DataType::MakeArray(std::move(element), contains_null);
}
TypePtr MapType(TypePtr key, TypePtr value, bool value_contains_null) {
  return DataType::MakeMap(std::move(key), std::move(value), value_contains_null);
}

Field MakeField(std::string name, TypePtr type, bool nullable) {
  return Field{std::move(name), std::move(type), nullable, {}};
}

TypePtr AsNullable(const TypePtr& type) {
  switch (type->id()) {
    case TypeId::kStruct: {
      std::vector<Field> fields = type->fields();
      for (Field& field : fields) {
        field.type = AsNullable(field.type);
        field.nullable = true;
      }
      return StructType(std::move(fields));
    }
    case TypeId::kArray:
      return ArrayType(AsNullable(type->element_type()), true);
    case TypeId::kMap:
      return MapType(AsNullable(type->key_type()), AsNullable(type->value_type()), true);
    default:
      return type;
  }
}

Schema::Schema(std::vector<Field> fields) : struct_type_(StructType(std::move(fields))) {}

std::string Schema::ToDdl() const {
  std::string out;
  for (int i = 0; i < num_fields(); ++i) {
    if (i > 0) {
      out += ", ";
    }
    out += FieldDdl(field(i), " ");
  }
  return out;
}

std::string Schema::ToTreeString() const {
  std::string out = "root\n";
  AppendTree(*struct_type_, "", &out);
  return out;
}

SchemaPtr MakeSchema(std::vector<Field> fields) {
  return std::make_shared<const Schema>(std::move(fields));
}

SchemaPtr AsNullable(const SchemaPtr& schema) {
  return MakeSchema(AsNullable(schema->struct_type())->fields());
}

}  // namespace sluice
