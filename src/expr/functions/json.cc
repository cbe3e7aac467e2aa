// SPDX-License-Identifier: Apache-2.0
// JSON functions: from_json, to_json, get_json_object, schema_of_json,
// json_array_length, json_object_keys (json_tuple is a generator, in generator.cc).
#include "common/json.h"

#include <fmt/format.h>

#include <utility>

#include "columnar/batch.h"
#include "columnar/builder.h"
#include "columnar/concat.h"
#include "common/ascii.h"
#include "expr/builtins.h"
#include "expr/functions/more_util.h"
#include "formats/json/json_decoder.h"
#include "formats/json/json_infer.h"
#include "formats/json/json_writer.h"
#include "types/ddl.h"
#include "types/schema_json.h"

namespace sluice::expr {

namespace {

using more::ArgRow;

// A schema argument: a DDL column list ("a INT, b STRING"), a type ("struct<a:int>",
// "array<int>") or Spark's JSON schema.
Result<TypePtr> ParseSchemaText(std::string_view text) {
  size_t start = text.find_first_not_of(" \t\r\n");
  if (start != std::string_view::npos && text[start] == '{') {
    Result<TypePtr> type = TypeFromJson(text);
    if (type.ok()) {
      return type;
    }
  }
  Result<SchemaPtr> schema = ParseDdlSchema(text);
  if (schema.ok()) {
    return (*schema)->struct_type();
  }
  Result<TypePtr> type = ParseDdlType(text);
  if (type.ok()) {
    return type;
  }
  return Status::BindError(fmt::format(
      "[INVALID_SCHEMA.PARSE_ERROR] The input schema \"{}\" is not a valid schema string. "
      "Cannot parse the schema: {}",
      text, schema.status().message()));
}

// Reads a literal map<string, string> of options.
Result<OptionList> LiteralOptions(const ExprPtr& arg, const BindContext& ctx) {
  VectorPtr constant = more::ConstantArg(arg);
  if (constant == nullptr || arg->type()->id() != TypeId::kMap) {
    return Status::BindError(fmt::format(
        "[INVALID_OPTIONS.NON_MAP_FUNCTION] Invalid options: Must use the `map()` function for "
        "options. In \"{}\".",
        ctx.call_sql));
  }
  OptionList options;
  const Vector& map = *constant;
  if (map.IsNull(0)) {
    return options;
  }
  for (int32_t i = map.ListStart(0); i < map.ListEnd(0); ++i) {
    if (map.child(0)->type_id() != TypeId::kString || map.child(1)->type_id() != TypeId::kString) {
      return Status::BindError(
          "[INVALID_OPTIONS.NON_STRING_TYPE] Invalid options: A type of keys and values in "
          "`map()` must be string.");
    }
    options.emplace_back(std::string(map.child(0)->StringValue(i)),
                         map.child(1)->IsNull(i) ? "" : std::string(map.child(1)->StringValue(i)));
  }
  return options;
}

// Spark's error for a record from_json cannot parse in FAILFAST mode: it names the record
// (its first 1000 characters) and, after Spark's text, what was wrong with it.
Status MalformedRecord(std::string_view record, std::string_view sub_class,
                       std::string_view detail) {
  constexpr size_t kMaxShown = 1000;
  std::string shown(record.substr(0, kMaxShown));
  if (record.size() > kMaxShown) {
    shown += fmt::format("... ({} bytes)", record.size());
  }
  return Status::ParseError(fmt::format(
      "[MALFORMED_RECORD_IN_PARSING.{}] Malformed records are detected in record parsing: {}. "
      "Parse Mode: FAILFAST. To process malformed records as null result, try setting the "
      "option 'mode' as 'PERMISSIVE'. ({})",
      sub_class, shown, detail));
}

// The decoder's FAILFAST message without its position in a one-record input.
std::string_view FailFastDetail(std::string_view message) {
  constexpr std::string_view kMark = "(mode FAILFAST): ";
  const size_t at = message.find(kMark);
  return at == std::string_view::npos ? message : message.substr(at + kMark.size());
}

// A row of a struct schema from_json could not decode: null fields, and the record's text
// in the corrupt-record column (`corrupt_index`, -1 for none).
void AppendMalformedRow(std::string_view text, int corrupt_index, StructBuilder* record) {
  for (int f = 0; f < record->num_children(); ++f) {
    if (f == corrupt_index) {
      static_cast<StringBuilder*>(record->child(f))->Append(text);
    } else {
      record->child(f)->AppendNull();
    }
  }
  record->Append();
}

Result<BoundScalarFunction> BindFromJson(const std::vector<ExprPtr>& args, const BindContext& ctx) {
  if (args.size() < 2 || args.size() > 3) {
    return more::WrongNumArgs("from_json", "[2, 3]", args.size());
  }
  if (args[0]->type()->id() != TypeId::kString && args[0]->type()->id() != TypeId::kNull) {
    return more::UnexpectedType(ctx, 0, "\"STRING\"", args[0]);
  }
  std::string schema_text;
  bool is_null = false;
  if (!more::LiteralString(args[1], &schema_text, &is_null) || is_null) {
    return Status::BindError(fmt::format(
        "[INVALID_SCHEMA.NON_STRING_LITERAL] The input schema \"{}\" is not a valid schema "
        "string. The input expression must be string literal and not null.",
        more::ArgSql(args[1])));
  }
  SLUICE_ASSIGN_OR_RETURN(TypePtr type, ParseSchemaText(schema_text));
  json::JsonReadOptions options;
  if (args.size() == 3) {
    SLUICE_ASSIGN_OR_RETURN(OptionList list, LiteralOptions(args[2], ctx));
    SLUICE_ASSIGN_OR_RETURN(options, json::JsonReadOptions::FromOptions(list));
  }
  if (options.mode == ParseMode::kDropMalformed) {
    return Status::BindError(
        "[PARSE_MODE_UNSUPPORTED] The function `from_json` doesn't support the DROPMALFORMED "
        "mode. Acceptable modes are PERMISSIVE and FAILFAST.");
  }
  options.batch_bytes = int64_t{1} << 30;
  options.batch_rows = int64_t{1} << 40;
  const bool is_struct = type->id() == TypeId::kStruct;
  // Arrays and maps are decoded as the field "v" of a wrapping object.
  SchemaPtr schema = is_struct ? MakeSchema(type->fields()) : MakeSchema({MakeField("v", type)});
  SLUICE_RETURN_IF_ERROR(json::JsonDecoder::Make(schema, options).status());
  const TypePtr result = AsNullable(type);
  std::vector<TypePtr> types = {StringType(), StringType()};
  if (args.size() == 3) {
    types.push_back(args[2]->type());
  }
  // The corrupt-record column (columnNameOfCorruptRecord) when the struct schema has one.
  const int corrupt_index =
      is_struct ? schema->FieldIndex(options.column_name_of_corrupt_record) : -1;
  ScalarKernel kernel = [schema, options, result, is_struct, corrupt_index](
                            const std::vector<VectorPtr>& in, int64_t num_rows,
                            const EvalContext&) -> Result<VectorPtr> {
    SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<json::JsonDecoder> decoder,
                            json::JsonDecoder::Make(schema, options));
    const bool fail_fast = options.mode == ParseMode::kFailFast;
    const Vector& input = *in[0];
    // Row of the decoded batch; kNull for a null result, kArray for an array given to a
    // struct schema (malformed, as Spark's from_json never reads arrays as structs).
    constexpr int64_t kNull = -1;
    constexpr int64_t kArray = -2;
    std::vector<int64_t> decoded(num_rows, kNull);
    int64_t count = 0;
    std::string wrapped;
    std::vector<BatchPtr> batches;
    for (int64_t r = 0; r < num_rows; ++r) {
      const int64_t row = ArgRow(input, r);
      if (input.IsNull(row)) {
        continue;
      }
      std::string_view text = input.StringValue(row);
      const size_t first = text.find_first_not_of(" \t\r\n");
      if (first == std::string_view::npos) {
        continue;  // blank
      }
      if (is_struct && text[first] == '[') {
        if (fail_fast) {
          return MalformedRecord(text, "CANNOT_PARSE_JSON_ARRAYS_AS_STRUCTS",
                                 "Parsing JSON arrays as structs is forbidden.");
        }
        decoded[r] = kArray;
        continue;
      }
      if (!is_struct) {
        wrapped = "{\"v\":" + std::string(text) + "}";
        text = wrapped;
      }
      Status status = decoder->DecodeRecord(text);
      if (status.code() == StatusCode::kResourceExhausted) {
        batches.push_back(decoder->Flush());
        status = decoder->DecodeRecord(text);
      }
      if (fail_fast && status.code() == StatusCode::kParseError) {
        return MalformedRecord(input.StringValue(row), "WITHOUT_SUGGESTION",
                               FailFastDetail(status.message()));
      }
      SLUICE_RETURN_IF_ERROR(status);
      decoded[r] = count++;
    }
    if (BatchPtr last = decoder->Flush(); last != nullptr) {
      batches.push_back(std::move(last));
    }
    BatchPtr batch;
    if (!batches.empty()) {
      SLUICE_ASSIGN_OR_RETURN(batch, ConcatenateBatches(batches));
    }
    std::unique_ptr<VectorBuilder> builder = VectorBuilder::Make(result);
    for (int64_t r = 0; r < num_rows; ++r) {
      if (decoded[r] == kArray) {
        AppendMalformedRow(input.StringValue(ArgRow(input, r)), corrupt_index,
                           static_cast<StructBuilder*>(builder.get()));
      } else if (decoded[r] < 0 || batch == nullptr) {
        builder->AppendNull();
      } else if (!is_struct) {
        AppendValue(*batch->column(0), decoded[r], builder.get());
      } else {
        auto* record = static_cast<StructBuilder*>(builder.get());
        for (int f = 0; f < record->num_children(); ++f) {
          AppendValue(*batch->column(f), decoded[r], record->child(f));
        }
        record->Append();
      }
    }
    return builder->Finish();
  };
  return more::MakeScalar("from_json", result, types, kernel);
}

Result<BoundScalarFunction> BindToJson(const std::vector<ExprPtr>& args, const BindContext& ctx) {
  if (args.empty() || args.size() > 2) {
    return more::WrongNumArgs("to_json", "[1, 2]", args.size());
  }
  const TypePtr type = args[0]->type();
  if (!type->is_nested()) {
    return more::UnexpectedType(ctx, 0, "(\"STRUCT\" or \"ARRAY\" or \"MAP\")", args[0]);
  }
  json::JsonWriteOptions options;
  std::vector<TypePtr> types = {type};
  if (args.size() == 2) {
    SLUICE_ASSIGN_OR_RETURN(OptionList list, LiteralOptions(args[1], ctx));
    for (const auto& [key, value] : list) {
      if (EqualsIgnoreCase(key, "timestampFormat")) {
        options.timestamp_format = value;
      } else if (EqualsIgnoreCase(key, "dateFormat")) {
        options.date_format = value;
      } else if (EqualsIgnoreCase(key, "ignoreNullFields")) {
        options.ignore_null_fields = !EqualsIgnoreCase(value, "false");
      }
    }
    types.push_back(args[1]->type());
  }
  const bool is_struct = type->id() == TypeId::kStruct;
  SchemaPtr schema = is_struct ? MakeSchema(type->fields()) : MakeSchema({MakeField("v", type)});
  ScalarKernel kernel = [schema, options, is_struct](const std::vector<VectorPtr>& in,
                                                     int64_t num_rows,
                                                     const EvalContext&) -> Result<VectorPtr> {
    const Vector& input = *in[0];
    std::vector<int64_t> rows;
    for (int64_t r = 0; r < num_rows; ++r) {
      rows.push_back(ArgRow(input, r));
    }
    SLUICE_ASSIGN_OR_RETURN(VectorPtr values, Take(input, rows));
    std::vector<VectorPtr> columns;
    if (is_struct) {
      for (int f = 0; f < values->num_children(); ++f) {
        columns.push_back(values->child(f)->Slice(values->offset(), num_rows));
      }
    } else {
      columns.push_back(values);
    }
    SLUICE_ASSIGN_OR_RETURN(BatchPtr batch, Batch::Make(schema, columns, num_rows));
    const std::string text = json::WriteJson(*batch, options);
    StringBuilder builder(StringType());
    size_t pos = 0;
    for (int64_t r = 0; r < num_rows; ++r) {
      const size_t end = text.find('\n', pos);
      std::string_view line(text.data() + pos, end - pos);
      pos = end + 1;
      if (values->IsNull(r)) {
        builder.AppendNull();
      } else if (is_struct) {
        builder.Append(line);
      } else {
        builder.Append(line.substr(5, line.size() - 6));  // {"v":...}
      }
    }
    return builder.Finish();
  };
  return more::MakeScalar("to_json", StringType(), types, kernel);
}

// One step of a JSONPath of Spark's get_json_object: .name, ['name'], [index], [*].
struct PathStep {
  enum class Kind : uint8_t { kKey, kIndex, kWildcard };
  Kind kind = Kind::kKey;
  std::string name;
  int64_t index = 0;
};

bool ParsePath(std::string_view path, std::vector<PathStep>* steps) {
  if (path.empty() || path[0] != '$') {
    return false;
  }
  size_t pos = 1;
  while (pos < path.size()) {
    PathStep step;
    if (path[pos] == '.') {
      size_t end = pos + 1;
      while (end < path.size() && path[end] != '.' && path[end] != '[') {
        ++end;
      }
      step.name = std::string(path.substr(pos + 1, end - pos - 1));
      if (step.name.empty()) {
        return false;
      }
      if (step.name == "*") {
        step.kind = PathStep::Kind::kWildcard;
      }
      pos = end;
    } else if (path[pos] == '[') {
      const size_t end = path.find(']', pos);
      if (end == std::string_view::npos) {
        return false;
      }
      std::string_view inside = path.substr(pos + 1, end - pos - 1);
      if (inside == "*") {
        step.kind = PathStep::Kind::kWildcard;
      } else if (inside.size() >= 2 && inside.front() == '\'' && inside.back() == '\'') {
        step.name = std::string(inside.substr(1, inside.size() - 2));
      } else {
        if (inside.empty() || inside.size() > 9 ||
            inside.find_first_not_of("0123456789") != std::string_view::npos) {
          return false;
        }
        step.kind = PathStep::Kind::kIndex;
        for (char c : inside) {
          step.index = step.index * 10 + (c - '0');
        }
      }
      pos = end + 1;
    } else {
      return false;
    }
    steps->push_back(std::move(step));
  }
  return true;
}

// Collects the values `steps[i..]` reach from `node`.
void Follow(const JsonValue& node, const std::vector<PathStep>& steps, size_t i,
            std::vector<const JsonValue*>* matches) {
  if (i == steps.size()) {
    matches->push_back(&node);
    return;
  }
  const PathStep& step = steps[i];
  switch (step.kind) {
    case PathStep::Kind::kKey:
      if (node.is_object()) {
        if (const JsonValue* child = node.Find(step.name); child != nullptr) {
          Follow(*child, steps, i + 1, matches);
        }
      }
      return;
    case PathStep::Kind::kIndex:
      if (node.is_array() && step.index < static_cast<int64_t>(node.items().size())) {
        Follow(node.items()[step.index], steps, i + 1, matches);
      }
      return;
    case PathStep::Kind::kWildcard:
      if (node.is_array() && i + 1 == steps.size()) {
        matches->push_back(&node);  // a trailing [*] copies the array
      } else if (node.is_array()) {
        for (const JsonValue& item : node.items()) {
          Follow(item, steps, i + 1, matches);
        }
      }
      return;
  }
}

Result<VectorPtr> GetJsonObject(const std::vector<VectorPtr>& in, int64_t num_rows,
                                const EvalContext&) {
  return more::MapRows<std::string>(
      StringType(), in, num_rows, [&](int64_t r, Status*) -> std::optional<std::string> {
        std::vector<PathStep> steps;
        if (!ParsePath(in[1]->StringValue(ArgRow(*in[1], r)), &steps)) {
          return std::nullopt;
        }
        Result<JsonValue> parsed = JsonValue::Parse(in[0]->StringValue(ArgRow(*in[0], r)));
        if (!parsed.ok()) {
          return std::nullopt;
        }
        std::vector<const JsonValue*> matches;
        Follow(*parsed, steps, 0, &matches);
        if (matches.size() > 1) {  // several wildcard matches: a JSON array of them
          std::string out = "[";
          for (size_t m = 0; m < matches.size(); ++m) {
            out += (m > 0 ? "," : "") + matches[m]->Serialize();
          }
          return out + "]";
        }
        if (matches.empty() || matches[0]->is_null()) {
          return std::nullopt;
        }
        return matches[0]->is_string() ? matches[0]->text() : matches[0]->Serialize();
      });
}

Result<BoundScalarFunction> BindSchemaOfJson(const std::vector<ExprPtr>& args,
                                             const BindContext& ctx) {
  if (args.empty() || args.size() > 2) {
    return more::WrongNumArgs("schema_of_json", "[1, 2]", args.size());
  }
  std::string text;
  bool is_null = false;
  if (!more::LiteralString(args[0], &text, &is_null) || is_null ||
      args[0]->type()->id() != TypeId::kString) {
    return more::NonFoldable(ctx, "`json`", "STRING", args[0]);
  }
  json::JsonReadOptions options;
  if (args.size() == 2) {
    SLUICE_ASSIGN_OR_RETURN(OptionList list, LiteralOptions(args[1], ctx));
    SLUICE_ASSIGN_OR_RETURN(options, json::JsonReadOptions::FromOptions(list));
  }
  std::string line = "{\"v\":" + text + "}";
  for (char& c : line) {
    c = c == '\n' || c == '\r' ? ' ' : c;
  }
  Result<SchemaPtr> schema = json::InferJsonSchema(line, options);
  if (!schema.ok() || (*schema)->FieldIndex("v") < 0) {
    return Status::BindError(fmt::format(
        "[INVALID_JSON_SCHEMA_MAP_TYPE] Cannot infer the schema of \"{}\": it is not valid "
        "JSON.",
        text));
  }
  const std::string ddl = (*schema)->field((*schema)->FieldIndex("v")).type->ToDdl();
  std::vector<TypePtr> types = {StringType()};
  if (args.size() == 2) {
    types.push_back(args[1]->type());
  }
  BoundScalarFunction function =
      more::MakeScalar("schema_of_json", StringType(), types,
                       [ddl](const std::vector<VectorPtr>&, int64_t num_rows,
                             const EvalContext&) -> Result<VectorPtr> {
                         StringBuilder builder(StringType());
                         for (int64_t r = 0; r < num_rows; ++r) {
                           builder.Append(ddl);
                         }
                         return builder.Finish();
                       });
  return function;
}

Result<VectorPtr> JsonArrayLength(const std::vector<VectorPtr>& in, int64_t num_rows,
                                  const EvalContext&) {
  return more::MapRows<int32_t>(
      IntType(), in, num_rows, [&](int64_t r, Status*) -> std::optional<int32_t> {
        Result<JsonValue> parsed = JsonValue::Parse(in[0]->StringValue(ArgRow(*in[0], r)));
        if (!parsed.ok() || !parsed->is_array()) {
          return std::nullopt;
        }
        return static_cast<int32_t>(parsed->items().size());
      });
}

Result<VectorPtr> JsonObjectKeys(const std::vector<VectorPtr>& in, int64_t num_rows,
                                 const EvalContext&) {
  const Vector& input = *in[0];
  return more::BuildRows(ArrayType(StringType()), num_rows, [&](int64_t r, VectorBuilder* out) {
    const int64_t row = ArgRow(input, r);
    Result<JsonValue> parsed = input.IsNull(row) ? Result<JsonValue>(Status::InvalidArgument(""))
                                                 : JsonValue::Parse(input.StringValue(row));
    if (!parsed.ok() || !parsed->is_object()) {
      out->AppendNull();
      return Status::Ok();
    }
    auto* array = static_cast<ArrayBuilder*>(out);
    for (const JsonValue::Member& member : parsed->members()) {
      static_cast<StringBuilder*>(array->element())->Append(member.first);
    }
    array->Append();
    return Status::Ok();
  });
}

ScalarBinder StringFunction(std::string name, size_t arity, TypePtr result, ScalarKernel kernel) {
  return [name, arity, result, kernel](const std::vector<ExprPtr>& args,
                                       const BindContext& ctx) -> Result<BoundScalarFunction> {
    if (args.size() != arity) {
      return more::WrongNumArgs(name, std::to_string(arity), args.size());
    }
    for (size_t i = 0; i < args.size(); ++i) {
      const TypeId id = args[i]->type()->id();
      if (id != TypeId::kString && id != TypeId::kNull) {
        return more::UnexpectedType(ctx, static_cast<int>(i), "\"STRING\"", args[i]);
      }
    }
    return more::MakeScalar(name, result, std::vector<TypePtr>(arity, StringType()), kernel);
  };
}

}  // namespace

void RegisterJsonFunctions(FunctionRegistry& registry) {
  registry.AddScalar("from_json", BindFromJson);
  registry.AddScalar("to_json", BindToJson);
  registry.AddScalar("get_json_object",
                     StringFunction("get_json_object", 2, StringType(), GetJsonObject));
  registry.AddScalar("schema_of_json", BindSchemaOfJson);
  registry.AddScalar("json_array_length",
                     StringFunction("json_array_length", 1, IntType(), JsonArrayLength));
  registry.AddScalar("json_object_keys", StringFunction("json_object_keys", 1,
                                                        ArrayType(StringType()), JsonObjectKeys));
}

}  // namespace sluice::expr
