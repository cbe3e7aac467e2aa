// SPDX-License-Identifier: Apache-2.0
// Generators: explode, explode_outer, posexplode, posexplode_outer, inline, inline_outer,
// stack, json_tuple and sliding_window. The *_outer variants generate the same rows; the
// Generate operator adds the row of nulls for inputs that generate none (its `outer`
// flag, set by the binder from the name).
#include <fmt/format.h>

#include <utility>

#include "columnar/builder.h"
#include "columnar/concat.h"
#include "common/json.h"
#include "expr/builtins.h"
#include "expr/functions/datetime_internal.h"
#include "expr/functions/more_util.h"
#include "expr/type_coercion.h"

namespace sluice::expr {

namespace {

using more::ArgRow;

// explode / posexplode (with `with_pos`) of an array or a map.
GeneratorBinder Explode(std::string name, bool with_pos) {
  return [name, with_pos](const std::vector<ExprPtr>& args,
                          const BindContext& ctx) -> Result<BoundGenerator> {
    if (args.size() != 1) {
      return more::WrongNumArgs(name, "1", args.size());
    }
    const TypePtr type = args[0]->type();
    const bool is_map = type->id() == TypeId::kMap;
    if (!is_map && type->id() != TypeId::kArray) {
      return more::UnexpectedType(ctx, 0, "(\"ARRAY\" or \"MAP\")", args[0]);
    }
    BoundGenerator generator;
    generator.name = name;
    generator.arg_types = {type};
    if (with_pos) {
      generator.output_fields.push_back(MakeField("pos", IntType(), false));
    }
    if (is_map) {
      generator.output_fields.push_back(MakeField("key", type->key_type(), false));
      generator.output_fields.push_back(MakeField("value", type->value_type()));
    } else {
      generator.output_fields.push_back(MakeField("col", type->element_type()));
    }
    generator.generate = [with_pos, is_map](const std::vector<VectorPtr>& in, int64_t num_rows,
                                            const EvalContext&) -> Result<GeneratorOutput> {
      const Vector& input = *in[0];
      GeneratorOutput output;
      std::vector<int64_t> element_rows;
      Int32Builder positions(IntType());
      for (int64_t r = 0; r < num_rows; ++r) {
        const int64_t row = ArgRow(input, r);
        if (input.IsNull(row)) {
          continue;
        }
        for (int32_t i = input.ListStart(row); i < input.ListEnd(row); ++i) {
          output.source_rows.push_back(r);
          element_rows.push_back(i);
          if (with_pos) {
            positions.Append(i - input.ListStart(row));
          }
        }
      }
      if (with_pos) {
        output.columns.push_back(positions.Finish());
      }
      for (int c = 0; c < (is_map ? 2 : 1); ++c) {
        SLUICE_ASSIGN_OR_RETURN(VectorPtr column, Take(*input.child(c), element_rows));
        output.columns.push_back(std::move(column));
      }
      return output;
    };
    return generator;
  };
}

GeneratorBinder Inline(std::string name) {
  return
      [name](const std::vector<ExprPtr>& args, const BindContext& ctx) -> Result<BoundGenerator> {
        if (args.size() != 1) {
          return more::WrongNumArgs(name, "1", args.size());
        }
        const TypePtr type = args[0]->type();
        if (type->id() != TypeId::kArray || type->element_type()->id() != TypeId::kStruct) {
          return more::UnexpectedType(ctx, 0, "\"ARRAY<STRUCT>\"", args[0]);
        }
        BoundGenerator generator;
        generator.name = name;
        generator.arg_types = {type};
        generator.output_fields = type->element_type()->fields();
        generator.generate = [type](const std::vector<VectorPtr>& in, int64_t num_rows,
                                    const EvalContext&) -> Result<GeneratorOutput> {
          const Vector& input = *in[0];
          const Vector& elements = *input.child(0);
          GeneratorOutput output;
          std::vector<std::unique_ptr<VectorBuilder>> builders;
          for (const Field& field : type->element_type()->fields()) {
            builders.push_back(VectorBuilder::Make(field.type));
          }
          for (int64_t r = 0; r < num_rows; ++r) {
            const int64_t row = ArgRow(input, r);
            if (input.IsNull(row)) {
              continue;
            }
            for (int32_t i = input.ListStart(row); i < input.ListEnd(row); ++i) {
              output.source_rows.push_back(r);
              for (size_t f = 0; f < builders.size(); ++f) {
                if (elements.IsNull(i)) {
                  builders[f]->AppendNull();  // a null struct gives a row of nulls
                } else {
                  AppendValue(*elements.child(static_cast<int>(f)), elements.offset() + i,
                              builders[f].get());
                }
              }
            }
          }
          for (auto& builder : builders) {
            output.columns.push_back(builder->Finish());
          }
          return output;
        };
        return generator;
      };
}

Result<BoundGenerator> BindStack(const std::vector<ExprPtr>& args, const BindContext& ctx) {
  if (args.size() < 2) {
    return more::WrongNumArgs("stack", "> 1", args.size());
  }
  int64_t rows = 0;
  bool is_null = false;
  if (!more::LiteralInt(args[0], &rows, &is_null) || is_null || rows <= 0) {
    return more::NonFoldable(ctx, "`n`", "INT", args[0]);
  }
  const int64_t values = static_cast<int64_t>(args.size()) - 1;
  const int64_t columns = (values + rows - 1) / rows;
  BoundGenerator generator;
  generator.name = "stack";
  generator.arg_types = {IntType()};
  std::vector<TypePtr> column_types(columns);
  for (int64_t j = 0; j < columns; ++j) {
    std::vector<TypePtr> types;
    for (int64_t i = j; i < values; i += columns) {
      types.push_back(args[1 + i]->type());
    }
    TypePtr common = WiderCommonType(types, ctx.ansi);
    if (common == nullptr) {
      return Status::BindError(fmt::format(
          "[DATATYPE_MISMATCH.STACK_COLUMN_DIFF_TYPES] Cannot resolve \"{}\" due to data type "
          "mismatch: The data type of the column ({}) do not have the same type.",
          ctx.call_sql, j));
    }
    column_types[j] = common;
    generator.output_fields.push_back(MakeField(fmt::format("col{}", j), common));
  }
  for (int64_t i = 0; i < values; ++i) {
    generator.arg_types.push_back(column_types[i % columns]);
  }
  generator.generate = [rows, columns, column_types, values](
                           const std::vector<VectorPtr>& in, int64_t num_rows,
                           const EvalContext&) -> Result<GeneratorOutput> {
    GeneratorOutput output;
    std::vector<std::unique_ptr<VectorBuilder>> builders;
    for (const TypePtr& type : column_types) {
      builders.push_back(VectorBuilder::Make(type));
    }
    for (int64_t r = 0; r < num_rows; ++r) {
      for (int64_t k = 0; k < rows; ++k) {
        output.source_rows.push_back(r);
        for (int64_t j = 0; j < columns; ++j) {
          const int64_t index = k * columns + j;
          if (index < values) {
            const Vector& value = *in[1 + index];
            AppendValue(value, ArgRow(value, r), builders[j].get());
          } else {
            builders[j]->AppendNull();
          }
        }
      }
    }
    for (auto& builder : builders) {
      output.columns.push_back(builder->Finish());
    }
    return output;
  };
  return generator;
}

// The text json_tuple and get_json_object return for a JSON value: strings unquoted,
// everything else as compact JSON; null for a JSON null.
void AppendJsonField(const JsonValue* value, StringBuilder* builder) {
  if (value == nullptr || value->is_null()) {
    builder->AppendNull();
  } else if (value->is_string()) {
    builder->Append(value->text());
  } else {
    builder->Append(value->Serialize());
  }
}

Result<BoundGenerator> BindJsonTuple(const std::vector<ExprPtr>& args, const BindContext& ctx) {
  if (args.size() < 2) {
    return more::WrongNumArgs("json_tuple", "> 1", args.size());
  }
  BoundGenerator generator;
  generator.name = "json_tuple";
  for (size_t i = 0; i < args.size(); ++i) {
    const TypeId id = args[i]->type()->id();
    if (id != TypeId::kString && id != TypeId::kNull) {
      return more::UnexpectedType(ctx, static_cast<int>(i), "\"STRING\"", args[i]);
    }
    generator.arg_types.push_back(StringType());
    if (i > 0) {
      generator.output_fields.push_back(MakeField(fmt::format("c{}", i - 1), StringType()));
    }
  }
  generator.generate = [](const std::vector<VectorPtr>& in, int64_t num_rows,
                          const EvalContext&) -> Result<GeneratorOutput> {
    GeneratorOutput output;
    std::vector<std::unique_ptr<StringBuilder>> builders;
    for (size_t i = 1; i < in.size(); ++i) {
      builders.push_back(std::make_unique<StringBuilder>(StringType()));
    }
    for (int64_t r = 0; r < num_rows; ++r) {
      output.source_rows.push_back(r);
      const Vector& json = *in[0];
      Result<JsonValue> parsed = json.IsNull(ArgRow(json, r))
                                     ? Result<JsonValue>(Status::InvalidArgument("null"))
                                     : JsonValue::Parse(json.StringValue(ArgRow(json, r)));
      for (size_t i = 1; i < in.size(); ++i) {
        const Vector& key = *in[i];
        const JsonValue* value = nullptr;
        if (parsed.ok() && parsed->is_object() && !key.IsNull(ArgRow(key, r))) {
          value = parsed->Find(key.StringValue(ArgRow(key, r)));
        }
        AppendJsonField(value, builders[i - 1].get());
      }
    }
    for (auto& builder : builders) {
      output.columns.push_back(builder->Finish());
    }
    return output;
  };
  return generator;
}

}  // namespace

void RegisterGeneratorFunctions(FunctionRegistry& registry) {
  registry.AddGenerator("explode", Explode("explode", false));
  registry.AddGenerator("explode_outer", Explode("explode_outer", false));
  registry.AddGenerator("posexplode", Explode("posexplode", true));
  registry.AddGenerator("posexplode_outer", Explode("posexplode_outer", true));
  registry.AddGenerator("inline", Inline("inline"));
  registry.AddGenerator("inline_outer", Inline("inline_outer"));
  registry.AddGenerator("stack", BindStack);
  registry.AddGenerator("json_tuple", BindJsonTuple);
  registry.AddGenerator("sliding_window", datetime::BindSlidingWindow);
}

}  // namespace sluice::expr
