// SPDX-License-Identifier: Apache-2.0
#include "types/schema_json.h"

#include <fmt/format.h>

#include <charconv>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "common/json.h"

namespace sluice {
namespace {

/// Deeper type nesting is rejected (the JSON parser already stops at 1000 levels; each
/// type level takes at least two).
constexpr int kMaxTypeDepth = 500;

/// Where in the document a value sits, for error messages: "fields[2].type".
class JsonPath {
 public:
  JsonPath(std::string_view root, std::string path) : root_(root), path_(std::move(path)) {}

  JsonPath Key(std::string_view key) const {
    return JsonPath(root_, path_.empty() ? std::string(key) : fmt::format("{}.{}", path_, key));
  }
  JsonPath Index(size_t index) const {
    return JsonPath(root_, fmt::format("{}[{}]", path_, index));
  }

  Status Error(std::string_view message) const { return Status::ParseError(Message(message)); }
  Status Unsupported(std::string_view message) const {
    return Status::NotImplemented(Message(message));
  }

 private:
  std::string Message(std::string_view message) const {
    if (path_.empty()) {
      return fmt::format("{}: {}", root_, message);
    }
    return fmt::format("{}: {}: {}", root_, path_, message);
  }

  std::string_view root_;
  std::string path_;
};

std::string_view KindName(const JsonValue& value) {
  switch (value.kind()) {
    case JsonValue::Kind::kNull:
      return "null";
    case JsonValue::Kind::kBool:
      return "a boolean";
    case JsonValue::Kind::kNumber:
      return "a number";
    case JsonValue::Kind::kString:
      return "a string";
    case JsonValue::Kind::kArray:
      return "an array";
    case JsonValue::Kind::kObject:
      return "an object";
  }
  return "?";
}

/// Returns the member `key` of `object`, or an error naming what is missing.
Result<const JsonValue*> Member(const JsonValue& object, std::string_view key,
                                const JsonPath& path) {
  const JsonValue* value = object.Find(key);
  if (value == nullptr) {
    return path.Error(fmt::format("missing \"{}\"", key));
  }
  return value;
}

Result<bool> BoolMember(const JsonValue& object, std::string_view key, const JsonPath& path) {
  SLUICE_ASSIGN_OR_RETURN(const JsonValue* value, Member(object, key, path));
  if (!value->is_bool()) {
    return path.Key(key).Error(fmt::format("expected a boolean, found {}", KindName(*value)));
  }
  return value->bool_value();
}

/// Skips spaces in a primitive type name ("decimal(10, 2)").
void SkipSpaces(std::string_view text, size_t* pos) {
  while (*pos < text.size() && (text[*pos] == ' ' || text[*pos] == '\t')) {
    ++*pos;
  }
}

/// Reads "(<int>)" or "(<int>,<int>)" (spaces allowed) after a type name. Returns false
/// when `text` is anything else.
bool ParseParameters(std::string_view text, std::vector<int>* values) {
  size_t pos = 0;
  SkipSpaces(text, &pos);
  if (pos >= text.size() || text[pos] != '(') {
    return false;
  }
  ++pos;
  while (true) {
    SkipSpaces(text, &pos);
    int value = 0;
    const char* begin = text.data() + pos;
    const char* end = text.data() + text.size();
    if (pos >= text.size() || text[pos] < '0' || text[pos] > '9') {
      return false;
    }
    const auto [ptr, error] = std::from_chars(begin, end, value);
    if (error != std::errc()) {
      return false;
    }
    values->push_back(value);
    pos += static_cast<size_t>(ptr - begin);
    SkipSpaces(text, &pos);
    if (pos < text.size() && text[pos] == ',') {
      ++pos;
      continue;
    }
    if (pos < text.size() && text[pos] == ')') {
      ++pos;
      SkipSpaces(text, &pos);
      return pos == text.size();
    }
    return false;
  }
}

Result<TypePtr> PrimitiveFromName(const std::string& name, const JsonPath& path) {
  struct Named {
    std::string_view name;
    TypePtr (*factory)();
  };
  static constexpr Named kPrimitives[] = {
      {"boolean", BooleanType}, {"byte", ByteType},           {"short", ShortType},
      {"integer", IntType},     {"long", LongType},           {"float", FloatType},
      {"double", DoubleType},   {"string", StringType},       {"binary", BinaryType},
      {"date", DateType},       {"timestamp", TimestampType}, {"timestamp_ntz", TimestampNtzType},
      {"void", NullType},       {"variant", VariantType},
  };
  for (const Named& named : kPrimitives) {
    if (name == named.name) {
      return named.factory();
    }
  }
  const std::string_view view(name);
  if (view == "decimal") {
    return DecimalType(10, 0);
  }
  std::vector<int> parameters;
  if (view.starts_with("decimal") && ParseParameters(view.substr(7), &parameters)) {
    if (parameters.size() != 2) {
      return path.Error(fmt::format("expected decimal(precision,scale), found '{}'", name));
    }
    const int precision = parameters[0];
    const int scale = parameters[1];
    if (precision < 1 || precision > kMaxDecimalPrecision) {
      return path.Error(fmt::format("decimal precision must be between 1 and {}, found '{}'",
                                    kMaxDecimalPrecision, name));
    }
    if (scale > precision) {
      return path.Error(
          fmt::format("decimal scale must be between 0 and the precision, found '{}'", name));
    }
    return DecimalType(precision, scale);
  }
  for (std::string_view string_like : {"char", "varchar"}) {
    parameters.clear();
    if (view.starts_with(string_like) &&
        ParseParameters(view.substr(string_like.size()), &parameters) && parameters.size() == 1) {
      return StringType();  // Spark reads char/varchar columns as string
    }
  }
  if (view.starts_with("interval") || view.starts_with("geometry") ||
      view.starts_with("geography")) {
    return path.Unsupported(fmt::format("type '{}' is not supported", name));
  }
  return path.Error(fmt::format("unknown type '{}'", name));
}

Result<TypePtr> ParseType(const JsonValue& value, const JsonPath& path, int depth);

Result<Field> ParseField(const JsonValue& value, const JsonPath& path, int depth) {
  if (!value.is_object()) {
    return path.Error(fmt::format("expected a field object, found {}", KindName(value)));
  }
  Field field;
  SLUICE_ASSIGN_OR_RETURN(const JsonValue* name, Member(value, "name", path));
  if (!name->is_string()) {
    return path.Key("name").Error(fmt::format("expected a string, found {}", KindName(*name)));
  }
  field.name = name->text();
  SLUICE_ASSIGN_OR_RETURN(const JsonValue* type, Member(value, "type", path));
  SLUICE_ASSIGN_OR_RETURN(field.type, ParseType(*type, path.Key("type"), depth));
  SLUICE_ASSIGN_OR_RETURN(field.nullable, BoolMember(value, "nullable", path));
  // Spark writes "metadata" always but reads a field without it as having none.
  if (const JsonValue* metadata = value.Find("metadata"); metadata != nullptr) {
    if (!metadata->is_object()) {
      return path.Key("metadata")
          .Error(fmt::format("expected an object, found {}", KindName(*metadata)));
    }
    for (const JsonValue::Member& member : metadata->members()) {
      field.metadata.emplace_back(member.first, member.second.Serialize());
    }
  }
  return field;
}

Result<TypePtr> ParseType(const JsonValue& value, const JsonPath& path, int depth) {
  if (value.is_string()) {
    return PrimitiveFromName(value.text(), path);
  }
  if (!value.is_object()) {
    return path.Error(fmt::format("expected a type name or object, found {}", KindName(value)));
  }
  if (depth >= kMaxTypeDepth) {
    return path.Error(fmt::format("types nested deeper than {} levels", kMaxTypeDepth));
  }
  SLUICE_ASSIGN_OR_RETURN(const JsonValue* kind, Member(value, "type", path));
  if (!kind->is_string()) {
    return path.Key("type").Error(fmt::format("expected a string, found {}", KindName(*kind)));
  }
  const std::string& name = kind->text();
  if (name == "struct") {
    SLUICE_ASSIGN_OR_RETURN(const JsonValue* fields, Member(value, "fields", path));
    const JsonPath fields_path = path.Key("fields");
    if (!fields->is_array()) {
      return fields_path.Error(fmt::format("expected an array, found {}", KindName(*fields)));
    }
    std::vector<Field> parsed;
    parsed.reserve(fields->items().size());
    for (size_t i = 0; i < fields->items().size(); ++i) {
      SLUICE_ASSIGN_OR_RETURN(Field field,
                              ParseField(fields->items()[i], fields_path.Index(i), depth + 1));
      parsed.push_back(std::move(field));
    }
    return StructType(std::move(parsed));
  }
  if (name == "array") {
    SLUICE_ASSIGN_OR_RETURN(const JsonValue* element, Member(value, "elementType", path));
    SLUICE_ASSIGN_OR_RETURN(TypePtr element_type,
                            ParseType(*element, path.Key("elementType"), depth + 1));
    SLUICE_ASSIGN_OR_RETURN(bool contains_null, BoolMember(value, "containsNull", path));
    return ArrayType(std::move(element_type), contains_null);
  }
  if (name == "map") {
    SLUICE_ASSIGN_OR_RETURN(const JsonValue* key, Member(value, "keyType", path));
    SLUICE_ASSIGN_OR_RETURN(TypePtr key_type, ParseType(*key, path.Key("keyType"), depth + 1));
    SLUICE_ASSIGN_OR_RETURN(const JsonValue* val, Member(value, "valueType", path));
    SLUICE_ASSIGN_OR_RETURN(TypePtr value_type, ParseType(*val, path.Key("valueType"), depth + 1));
    SLUICE_ASSIGN_OR_RETURN(bool value_contains_null, BoolMember(value, "valueContainsNull", path));
    return MapType(std::move(key_type), std::move(value_type), value_contains_null);
  }
  if (name == "udt") {
    return path.Unsupported("user-defined types ('udt') are not supported");
  }
  return path.Key("type").Error(fmt::format("unknown type '{}'", name));
}

Result<TypePtr> ParseTypeDocument(std::string_view json, std::string_view root) {
  Result<JsonValue> document = JsonValue::Parse(json);
  if (!document.ok()) {
    return std::move(document).status().WithContext(root);
  }
  return ParseType(*document, JsonPath(root, ""), 0);
}

void AppendType(const DataType& type, std::string* out);

void AppendField(const Field& field, std::string* out) {
  *out += "{\"name\":";
  AppendJsonString(field.name, out);
  *out += ",\"type\":";
  AppendType(*field.type, out);
  *out += field.nullable ? ",\"nullable\":true" : ",\"nullable\":false";
  *out += ",\"metadata\":{";
  for (size_t i = 0; i < field.metadata.size(); ++i) {
    if (i > 0) {
      out->push_back(',');
    }
    AppendJsonString(field.metadata[i].first, out);
    out->push_back(':');
    *out += field.metadata[i].second;  // already compact JSON text
  }
  *out += "}}";
}

void AppendType(const DataType& type, std::string* out) {
  switch (type.id()) {
    case TypeId::kBoolean:
      *out += "\"boolean\"";
      return;
    case TypeId::kByte:
      *out += "\"byte\"";
      return;
    case TypeId::kShort:
      *out += "\"short\"";
      return;
    case TypeId::kInt:
      *out += "\"integer\"";
      return;
    case TypeId::kLong:
      *out += "\"long\"";
      return;
    case TypeId::kFloat:
      *out += "\"float\"";
      return;
    case TypeId::kDouble:
      *out += "\"double\"";
      return;
    case TypeId::kDecimal:
      *out += fmt::format("\"decimal({},{})\"", type.precision(), type.scale());
      return;
    case TypeId::kString:
      *out += "\"string\"";
      return;
    case TypeId::kBinary:
      *out += "\"binary\"";
      return;
    case TypeId::kDate:
      *out += "\"date\"";
      return;
    case TypeId::kTimestamp:
      *out += "\"timestamp\"";
      return;
    case TypeId::kTimestampNtz:
      *out += "\"timestamp_ntz\"";
      return;
    case TypeId::kNull:
      *out += "\"void\"";
      return;
    case TypeId::kVariant:
      *out += "\"variant\"";
      return;
    case TypeId::kStruct:
      *out += "{\"type\":\"struct\",\"fields\":[";
      for (int i = 0; i < type.num_fields(); ++i) {
        if (i > 0) {
          out->push_back(',');
        }
        AppendField(type.field(i), out);
      }
      *out += "]}";
      return;
    case TypeId::kArray:
      *out += "{\"type\":\"array\",\"elementType\":";
      AppendType(*type.element_type(), out);
      *out += type.contains_null() ? ",\"containsNull\":true}" : ",\"containsNull\":false}";
      return;
    case TypeId::kMap:
      *out += "{\"type\":\"map\",\"keyType\":";
      AppendType(*type.key_type(), out);
      *out += ",\"valueType\":";
      AppendType(*type.value_type(), out);
      *out += type.value_contains_null() ? ",\"valueContainsNull\":true}"
                                         : ",\"valueContainsNull\":false}";
      return;
  }
}

}  // namespace

Result<SchemaPtr> SchemaFromJson(std::string_view json) {
  SLUICE_ASSIGN_OR_RETURN(TypePtr type, ParseTypeDocument(json, "schema"));
  if (type->id() != TypeId::kStruct) {
    return Status::ParseError(
        fmt::format("schema: expected a struct type, found '{}'", type->ToString()));
  }
  return MakeSchema(type->fields());
}

Result<TypePtr> TypeFromJson(std::string_view json) {
  return ParseTypeDocument(json, "type");
}

std::string SchemaToJson(const Schema& schema) {
  return TypeToJson(*schema.struct_type());
}

std::string TypeToJson(const DataType& type) {
  std::string out;
  AppendType(type, &out);
  return out;
}

}  // namespace sluice
