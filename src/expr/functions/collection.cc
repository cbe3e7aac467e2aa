// SPDX-License-Identifier: Apache-2.0
// Constructors and accessors of structs, arrays and maps: struct, named_struct, array,
// map, map_from_arrays, element_at, subscript, get_field, size, map_keys, map_values.
#include <fmt/format.h>

#include <utility>

#include "columnar/builder.h"
#include "columnar/concat.h"
#include "columnar/printer.h"
#include "columnar/row_hash.h"
#include "common/ascii.h"
#include "expr/builtins.h"
#include "expr/functions/collection_internal.h"
#include "expr/functions/more_util.h"
#include "expr/type_coercion.h"

namespace sluice::expr {

namespace {

using more::ArgRow;

BoundScalarFunction Tolerant(BoundScalarFunction function) {
  function.null_intolerant = false;
  return function;
}

Result<BoundScalarFunction> BindArray(const std::vector<ExprPtr>& args, const BindContext& ctx) {
  std::vector<TypePtr> types;
  for (const ExprPtr& arg : args) {
    types.push_back(arg->type());
  }
  TypePtr element = types.empty() ? NullType() : WiderCommonType(types, ctx.ansi);
  if (element == nullptr) {
    return Status::BindError(fmt::format(
        "[DATATYPE_MISMATCH.DATA_DIFF_TYPES] Cannot resolve \"{}\" due to data type mismatch: "
        "Input to `array` should all be the same type.",
        ctx.call_sql));
  }
  const TypePtr type = ArrayType(element);
  return Tolerant(more::MakeScalar("array", type, std::vector<TypePtr>(args.size(), element),
                                   [type](const std::vector<VectorPtr>& in, int64_t num_rows,
                                          const EvalContext&) -> Result<VectorPtr> {
                                     ArrayBuilder builder(type);
                                     for (int64_t r = 0; r < num_rows; ++r) {
                                       for (const VectorPtr& arg : in) {
                                         AppendValue(*arg, ArgRow(*arg, r), builder.element());
                                       }
                                       builder.Append();
                                     }
                                     return builder.Finish();
                                   }));
}

ScalarKernel StructKernel(TypePtr type) {
  return [type](const std::vector<VectorPtr>& in, int64_t num_rows,
                const EvalContext&) -> Result<VectorPtr> {
    StructBuilder builder(type);
    const size_t step = in.size() / type->fields().size();  // 2 for named_struct
    for (int64_t r = 0; r < num_rows; ++r) {
      for (int f = 0; f < builder.num_children(); ++f) {
        const Vector& value = *in[f * step + step - 1];
        AppendValue(value, ArgRow(value, r), builder.child(f));
      }
      builder.Append();
    }
    return builder.Finish();
  };
}

Result<BoundScalarFunction> BindStruct(const std::vector<ExprPtr>& args, const BindContext&) {
  std::vector<Field> fields;
  std::vector<TypePtr> types;
  for (size_t i = 0; i < args.size(); ++i) {
    fields.push_back(MakeField(fmt::format("col{}", i + 1), args[i]->type()));
    types.push_back(args[i]->type());
  }
  TypePtr type = StructType(std::move(fields));
  return Tolerant(more::MakeScalar("struct", type, types, StructKernel(type)));
}

Result<BoundScalarFunction> BindNamedStruct(const std::vector<ExprPtr>& args,
                                            const BindContext& ctx) {
  if (args.empty() || args.size() % 2 != 0) {
    return more::WrongNumArgs("named_struct", "2n (n > 0)", args.size());
  }
  std::vector<Field> fields;
  std::vector<TypePtr> types;
  for (size_t i = 0; i < args.size(); i += 2) {
    std::string name;
    bool is_null = false;
    if (args[i]->type()->id() != TypeId::kString ||
        !more::LiteralString(args[i], &name, &is_null) || is_null) {
      return Status::BindError(fmt::format(
          "[DATATYPE_MISMATCH.CREATE_NAMED_STRUCT_WITHOUT_FOLDABLE_STRING] Cannot resolve \"{}\" "
          "due to data type mismatch: Only foldable `STRING` expressions are allowed to appear "
          "at odd position, but they are [{}].",
          ctx.call_sql, more::ArgSql(args[i])));
    }
    fields.push_back(MakeField(name, args[i + 1]->type()));
    types.push_back(StringType());
    types.push_back(args[i + 1]->type());
  }
  TypePtr type = StructType(std::move(fields));
  return Tolerant(more::MakeScalar("named_struct", type, types, StructKernel(type)));
}

Status NullMapKey() {
  return Status::InvalidArgument("[NULL_MAP_KEY] Cannot use null as map key.");
}

Status DuplicateMapKey(const Vector& keys, int64_t row) {
  return Status::InvalidArgument(fmt::format(
      "[DUPLICATED_MAP_KEY] Duplicate map key {} was found, please check the input data. If "
      "you want to remove the duplicated keys, you can set \"spark.sql.mapKeyDedupPolicy\" to "
      "\"LAST_WIN\" so that the key inserted at last takes precedence.",
      FormatCell(keys, row)));
}

// Appends one map entry list: keys[k] / values[k] for the given rows; checks null and
// duplicate keys.
Status AppendEntries(const std::vector<std::pair<const Vector*, int64_t>>& keys,
                     const std::vector<std::pair<const Vector*, int64_t>>& values,
                     MapBuilder* builder) {
  for (size_t i = 0; i < keys.size(); ++i) {
    if (keys[i].first->IsNull(keys[i].second)) {
      return NullMapKey();
    }
    for (size_t j = 0; j < i; ++j) {
      if (ValuesEqual(*keys[i].first, keys[i].second, *keys[j].first, keys[j].second)) {
        return DuplicateMapKey(*keys[i].first, keys[i].second);
      }
    }
  }
  for (size_t i = 0; i < keys.size(); ++i) {
    AppendValue(*keys[i].first, keys[i].second, builder->keys());
    AppendValue(*values[i].first, values[i].second, builder->values());
  }
  builder->Append();
  return Status::Ok();
}

Result<BoundScalarFunction> BindMap(const std::vector<ExprPtr>& args, const BindContext& ctx) {
  if (args.size() % 2 != 0) {
    return more::WrongNumArgs("map", "2n (n >= 0)", args.size());
  }
  std::vector<TypePtr> key_types;
  std::vector<TypePtr> value_types;
  for (size_t i = 0; i < args.size(); i += 2) {
    key_types.push_back(args[i]->type());
    value_types.push_back(args[i + 1]->type());
  }
  TypePtr key = key_types.empty() ? NullType() : WiderCommonType(key_types, ctx.ansi);
  TypePtr value = value_types.empty() ? NullType() : WiderCommonType(value_types, ctx.ansi);
  if (key == nullptr || value == nullptr) {
    return Status::BindError(fmt::format(
        "[DATATYPE_MISMATCH.MAP_CONTAINS_KEY_DIFF_TYPES] Cannot resolve \"{}\" due to data type "
        "mismatch: The {} of function map should all be the same type.",
        ctx.call_sql, key == nullptr ? "keys" : "values"));
  }
  const TypePtr type = MapType(key, value);
  std::vector<TypePtr> types;
  for (size_t i = 0; i < args.size(); i += 2) {
    types.push_back(key);
    types.push_back(value);
  }
  return Tolerant(
      more::MakeScalar("map", type, types,
                       [type](const std::vector<VectorPtr>& in, int64_t num_rows,
                              const EvalContext&) -> Result<VectorPtr> {
                         MapBuilder builder(type);
                         std::vector<std::pair<const Vector*, int64_t>> keys;
                         std::vector<std::pair<const Vector*, int64_t>> values;
                         for (int64_t r = 0; r < num_rows; ++r) {
                           keys.clear();
                           values.clear();
                           for (size_t i = 0; i < in.size(); i += 2) {
                             keys.emplace_back(in[i].get(), ArgRow(*in[i], r));
                             values.emplace_back(in[i + 1].get(), ArgRow(*in[i + 1], r));
                           }
                           SLUICE_RETURN_IF_ERROR(AppendEntries(keys, values, &builder));
                         }
                         return builder.Finish();
                       }));
}

Result<BoundScalarFunction> BindMapFromArrays(const std::vector<ExprPtr>& args,
                                              const BindContext& ctx) {
  if (args.size() != 2) {
    return more::WrongNumArgs("map_from_arrays", "2", args.size());
  }
  for (int i = 0; i < 2; ++i) {
    if (args[i]->type()->id() != TypeId::kArray) {
      return more::UnexpectedType(ctx, i, "\"ARRAY\"", args[i]);
    }
  }
  const TypePtr type = MapType(args[0]->type()->element_type(), args[1]->type()->element_type());
  return more::MakeScalar(
      "map_from_arrays", type, {args[0]->type(), args[1]->type()},
      [type](const std::vector<VectorPtr>& in, int64_t num_rows,
             const EvalContext&) -> Result<VectorPtr> {
        MapBuilder builder(type);
        std::vector<std::pair<const Vector*, int64_t>> keys;
        std::vector<std::pair<const Vector*, int64_t>> values;
        for (int64_t r = 0; r < num_rows; ++r) {
          const Vector& k = *in[0];
          const Vector& v = *in[1];
          const int64_t kr = ArgRow(k, r);
          const int64_t vr = ArgRow(v, r);
          if (k.IsNull(kr) || v.IsNull(vr)) {
            builder.AppendNull();
            continue;
          }
          const int32_t n = k.ListEnd(kr) - k.ListStart(kr);
          if (n != v.ListEnd(vr) - v.ListStart(vr)) {
            return Status::InvalidArgument(
                "[DATATYPE_MISMATCH.MAP_FROM_ARRAYS_LENGTH_MISMATCH] The key array and value "
                "array of map_from_arrays should have the same length.");
          }
          keys.clear();
          values.clear();
          for (int32_t i = 0; i < n; ++i) {
            keys.emplace_back(k.child(0).get(), k.ListStart(kr) + i);
            values.emplace_back(v.child(0).get(), v.ListStart(vr) + i);
          }
          SLUICE_RETURN_IF_ERROR(AppendEntries(keys, values, &builder));
        }
        return builder.Finish();
      });
}

// element_at (1-based, negative from the end) and subscript (0-based) of arrays; both
// look maps up by key. `try_mode` (try_element_at): an index out of bounds is null even
// in ANSI mode.
ScalarBinder Element(std::string name, bool one_based, bool try_mode = false) {
  return [name, one_based, try_mode](const std::vector<ExprPtr>& args,
                                     const BindContext& ctx) -> Result<BoundScalarFunction> {
    if (args.size() != 2) {
      return more::WrongNumArgs(name, "2", args.size());
    }
    const TypePtr type = args[0]->type();
    if (type->id() == TypeId::kMap) {
      const TypePtr value_type = type->value_type();
      return more::MakeScalar(
          name, value_type, {type, type->key_type()},
          [value_type](const std::vector<VectorPtr>& in, int64_t num_rows,
                       const EvalContext&) -> Result<VectorPtr> {
            const Vector& map = *in[0];
            const Vector& key = *in[1];
            return more::BuildRows(value_type, num_rows, [&](int64_t r, VectorBuilder* out) {
              const int64_t mr = ArgRow(map, r);
              const int64_t kr = ArgRow(key, r);
              if (!map.IsNull(mr) && !key.IsNull(kr)) {
                for (int32_t i = map.ListStart(mr); i < map.ListEnd(mr); ++i) {
                  if (ValuesEqual(*map.child(0), i, key, kr)) {
                    AppendValue(*map.child(1), i, out);
                    return Status::Ok();
                  }
                }
              }
              out->AppendNull();
              return Status::Ok();
            });
          });
    }
    if (type->id() != TypeId::kArray) {
      return more::UnexpectedType(ctx, 0, "(\"ARRAY\" or \"MAP\")", args[0]);
    }
    if (!args[1]->type()->is_integral() && args[1]->type()->id() != TypeId::kNull) {
      return more::UnexpectedType(ctx, 1, "\"INT\"", args[1]);
    }
    const TypePtr element = type->element_type();
    return more::MakeScalar(
        name, element, {type, IntType()},
        [element, one_based, try_mode](const std::vector<VectorPtr>& in, int64_t num_rows,
                                       const EvalContext& ectx) -> Result<VectorPtr> {
          const Vector& array = *in[0];
          const Vector& index = *in[1];
          return more::BuildRows(element, num_rows, [&](int64_t r, VectorBuilder* out) {
            const int64_t ar = ArgRow(array, r);
            const int64_t ir = ArgRow(index, r);
            if (array.IsNull(ar) || index.IsNull(ir)) {
              out->AppendNull();
              return Status::Ok();
            }
            const int64_t size = array.ListEnd(ar) - array.ListStart(ar);
            int64_t i = index.Value<int32_t>(ir);
            if (one_based) {
              if (i == 0) {
                return Status::InvalidArgument(
                    "[INVALID_INDEX_OF_ZERO] The index 0 is invalid. An index shall be either < "
                    "0 or > 0 (the first element has index 1).");
              }
              i = i > 0 ? i - 1 : size + i;
            }
            if (i < 0 || i >= size) {
              if (ectx.ansi && !try_mode) {
                return Status::InvalidArgument(fmt::format(
                    "[INVALID_ARRAY_INDEX{}] The index {} is out of bounds. The array has {} "
                    "elements. If necessary set \"spark.sql.ansi.enabled\" to \"false\" to "
                    "bypass this error.",
                    one_based ? "_IN_ELEMENT_AT" : "", index.Value<int32_t>(ir), size));
              }
              out->AppendNull();
              return Status::Ok();
            }
            AppendValue(*array.child(0), array.ListStart(ar) + i, out);
            return Status::Ok();
          });
        });
  };
}

Result<BoundScalarFunction> BindGetField(const std::vector<ExprPtr>& args, const BindContext& ctx) {
  if (args.size() != 2) {
    return more::WrongNumArgs("get_field", "2", args.size());
  }
  const TypePtr type = args[0]->type();
  std::string name;
  bool is_null = false;
  if (type->id() != TypeId::kStruct) {
    return more::UnexpectedType(ctx, 0, "\"STRUCT\"", args[0]);
  }
  if (!more::LiteralString(args[1], &name, &is_null) || is_null) {
    return more::NonFoldable(ctx, "`field`", "STRING", args[1]);
  }
  int index = type->FieldIndex(name);
  for (int i = 0; index < 0 && i < type->num_fields(); ++i) {
    if (EqualsIgnoreCase(type->field(i).name, name)) {
      index = i;
    }
  }
  if (index < 0) {
    std::string fields;
    for (const Field& field : type->fields()) {
      fields += (fields.empty() ? "`" : ", `") + field.name + "`";
    }
    return Status::BindError(
        fmt::format("[FIELD_NOT_FOUND] No such struct field `{}` in {}.", name, fields));
  }
  const TypePtr field_type = type->field(index).type;
  return more::MakeScalar("get_field", field_type, {type, StringType()},
                          [field_type, index](const std::vector<VectorPtr>& in, int64_t num_rows,
                                              const EvalContext&) -> Result<VectorPtr> {
                            const Vector& input = *in[0];
                            if (input.null_count() == 0 && input.length() == num_rows) {
                              return input.child(index)->Slice(input.offset(), num_rows);
                            }
                            return more::BuildRows(
                                field_type, num_rows, [&](int64_t r, VectorBuilder* out) {
                                  const int64_t row = ArgRow(input, r);
                                  if (input.IsNull(row)) {
                                    out->AppendNull();
                                  } else {
                                    AppendValue(*input.child(index), input.offset() + row, out);
                                  }
                                  return Status::Ok();
                                });
                          });
}

Result<BoundScalarFunction> BindSize(const std::vector<ExprPtr>& args, const BindContext& ctx) {
  if (args.size() != 1) {
    return more::WrongNumArgs("size", "1", args.size());
  }
  const TypeId id = args[0]->type()->id();
  if (id != TypeId::kArray && id != TypeId::kMap) {
    return more::UnexpectedType(ctx, 0, "(\"ARRAY\" or \"MAP\")", args[0]);
  }
  return Tolerant(more::MakeScalar("size", IntType(), {args[0]->type()},
                                   [](const std::vector<VectorPtr>& in, int64_t num_rows,
                                      const EvalContext& ectx) -> Result<VectorPtr> {
                                     const Vector& input = *in[0];
                                     Int32Builder builder(IntType());
                                     for (int64_t r = 0; r < num_rows; ++r) {
                                       const int64_t row = ArgRow(input, r);
                                       if (input.IsNull(row)) {
                                         if (ectx.ansi) {
                                           builder.AppendNull();
                                         } else {
                                           builder.Append(-1);  // spark.sql.legacy.sizeOfNull
                                         }
                                       } else {
                                         builder.Append(input.ListEnd(row) - input.ListStart(row));
                                       }
                                     }
                                     return builder.Finish();
                                   }));
}

ScalarBinder MapPart(std::string name, int child) {
  return [name, child](const std::vector<ExprPtr>& args,
                       const BindContext& ctx) -> Result<BoundScalarFunction> {
    if (args.size() != 1) {
      return more::WrongNumArgs(name, "1", args.size());
    }
    const TypePtr type = args[0]->type();
    if (type->id() != TypeId::kMap) {
      return more::UnexpectedType(ctx, 0, "\"MAP\"", args[0]);
    }
    const TypePtr result = child == 0 ? ArrayType(type->key_type(), false)
                                      : ArrayType(type->value_type(), type->value_contains_null());
    return more::MakeScalar(name, result, {type},
                            [result, child](const std::vector<VectorPtr>& in, int64_t num_rows,
                                            const EvalContext&) -> Result<VectorPtr> {
                              const Vector& map = *in[0];
                              ArrayBuilder builder(result);
                              for (int64_t r = 0; r < num_rows; ++r) {
                                const int64_t row = ArgRow(map, r);
                                if (map.IsNull(row)) {
                                  builder.AppendNull();
                                  continue;
                                }
                                for (int32_t i = map.ListStart(row); i < map.ListEnd(row); ++i) {
                                  AppendValue(*map.child(child), i, builder.element());
                                }
                                builder.Append();
                              }
                              return builder.Finish();
                            });
  };
}

}  // namespace

void RegisterCollectionFunctions(FunctionRegistry& registry) {
  registry.AddScalar("array", BindArray);
  registry.AddScalar("struct", BindStruct);
  registry.AddScalar("named_struct", BindNamedStruct);
  registry.AddScalar("map", BindMap);
  registry.AddScalar("map_from_arrays", BindMapFromArrays);
  registry.AddScalar("element_at", Element("element_at", true));
  registry.AddScalar("try_element_at", Element("try_element_at", true, /*try_mode=*/true));
  registry.AddScalar("subscript", Element("subscript", false));
  registry.AddScalar("get_field", BindGetField);
  registry.AddScalar("size", BindSize);
  registry.AddAlias("cardinality", "size");
  registry.AddScalar("map_keys", MapPart("map_keys", 0));
  registry.AddScalar("map_values", MapPart("map_values", 1));
  collection::RegisterArrayFunctions(registry);
}

}  // namespace sluice::expr
