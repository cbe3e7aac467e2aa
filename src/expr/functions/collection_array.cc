// SPDX-License-Identifier: Apache-2.0
// Array functions: array_contains, array_position, array_distinct, array_sort, sort_array,
// array_join, array_max, array_min, slice, flatten, sequence.
#include <fmt/format.h>

#include <algorithm>
#include <numeric>
#include <utility>

#include "columnar/builder.h"
#include "columnar/concat.h"
#include "columnar/printer.h"
#include "columnar/row_hash.h"
#include "expr/functions/collection_internal.h"
#include "expr/functions/more_util.h"
#include "expr/type_coercion.h"

namespace sluice::expr::collection {

namespace {

using more::ArgRow;

Status ExpectArray(const BindContext& ctx, const std::vector<ExprPtr>& args, int index) {
  if (args[index]->type()->id() != TypeId::kArray) {
    return more::UnexpectedType(ctx, index, "\"ARRAY\"", args[index]);
  }
  return Status::Ok();
}

Status Arity(std::string_view name, const std::vector<ExprPtr>& args, size_t min, size_t max) {
  if (args.size() >= min && args.size() <= max) {
    return Status::Ok();
  }
  return more::WrongNumArgs(
      name, min == max ? std::to_string(min) : fmt::format("[{}, {}]", min, max), args.size());
}

// array_contains (boolean) and array_position (1-based long, 0 when absent).
ScalarBinder Search(std::string name, bool position) {
  return [name, position](const std::vector<ExprPtr>& args,
                          const BindContext& ctx) -> Result<BoundScalarFunction> {
    SLUICE_RETURN_IF_ERROR(Arity(name, args, 2, 2));
    SLUICE_RETURN_IF_ERROR(ExpectArray(ctx, args, 0));
    const TypePtr element = args[0]->type()->element_type();
    TypePtr common = WiderCommonType(element, args[1]->type(), ctx.ansi);
    if (common == nullptr) {
      return more::UnexpectedType(ctx, 1, fmt::format("\"{}\"", element->ToDdl()), args[1]);
    }
    const TypePtr result = position ? LongType() : BooleanType();
    return more::MakeScalar(
        name, result, {ArrayType(common), common},
        [result, position](const std::vector<VectorPtr>& in, int64_t num_rows,
                           const EvalContext&) -> Result<VectorPtr> {
          const Vector& array = *in[0];
          const Vector& value = *in[1];
          return more::BuildRows(result, num_rows, [&](int64_t r, VectorBuilder* out) {
            const int64_t ar = ArgRow(array, r);
            const int64_t vr = ArgRow(value, r);
            if (array.IsNull(ar) || value.IsNull(vr)) {
              out->AppendNull();
              return Status::Ok();
            }
            const Vector& elements = *array.child(0);
            bool saw_null = false;
            for (int32_t i = array.ListStart(ar); i < array.ListEnd(ar); ++i) {
              if (elements.IsNull(i)) {
                saw_null = true;
              } else if (ValuesEqual(elements, i, value, vr)) {
                if (position) {
                  static_cast<Int64Builder*>(out)->Append(i - array.ListStart(ar) + 1);
                } else {
                  static_cast<BooleanBuilder*>(out)->Append(true);
                }
                return Status::Ok();
              }
            }
            if (position) {
              static_cast<Int64Builder*>(out)->Append(0);
            } else if (saw_null) {
              out->AppendNull();
            } else {
              static_cast<BooleanBuilder*>(out)->Append(false);
            }
            return Status::Ok();
          });
        });
  };
}

// A kernel that maps each array to a reordering/selection of its element indices.
using Select = std::function<Status(const Vector& elements, int32_t start, int32_t end,
                                    std::vector<int32_t>* picked,
                                    const std::vector<const Vector*>& extra, int64_t r)>;

ScalarKernel ReorderKernel(TypePtr type, Select select) {
  return [type, select](const std::vector<VectorPtr>& in, int64_t num_rows,
                        const EvalContext&) -> Result<VectorPtr> {
    const Vector& array = *in[0];
    std::vector<const Vector*> extra;
    for (size_t i = 1; i < in.size(); ++i) {
      extra.push_back(in[i].get());
    }
    ArrayBuilder builder(type);
    std::vector<int32_t> picked;
    for (int64_t r = 0; r < num_rows; ++r) {
      const int64_t row = ArgRow(array, r);
      bool any_null = array.IsNull(row);
      for (const Vector* e : extra) {
        any_null = any_null || e->IsNull(ArgRow(*e, r));
      }
      if (any_null) {
        builder.AppendNull();
        continue;
      }
      picked.clear();
      SLUICE_RETURN_IF_ERROR(
          select(*array.child(0), array.ListStart(row), array.ListEnd(row), &picked, extra, r));
      for (int32_t i : picked) {
        AppendValue(*array.child(0), i, builder.element());
      }
      builder.Append();
    }
    return builder.Finish();
  };
}

Status Distinct(const Vector& elements, int32_t start, int32_t end, std::vector<int32_t>* picked,
                const std::vector<const Vector*>&, int64_t) {
  for (int32_t i = start; i < end; ++i) {
    bool seen = false;
    for (int32_t j : *picked) {
      if (ValuesEqual(elements, i, elements, j)) {
        seen = true;
        break;
      }
    }
    if (!seen) {
      picked->push_back(i);
    }
  }
  return Status::Ok();
}

void SortIndices(const Vector& elements, int32_t start, int32_t end, bool ascending,
                 bool nulls_first, std::vector<int32_t>* picked) {
  picked->resize(end - start);
  std::iota(picked->begin(), picked->end(), start);
  std::stable_sort(picked->begin(), picked->end(), [&](int32_t a, int32_t b) {
    const bool a_null = elements.IsNull(a);
    const bool b_null = elements.IsNull(b);
    if (a_null || b_null) {
      return a_null != b_null && (a_null == nulls_first);
    }
    const int c = more::CompareValues(elements, a, elements, b);
    return ascending ? c < 0 : c > 0;
  });
}

Result<BoundScalarFunction> BindArrayDistinct(const std::vector<ExprPtr>& args,
                                              const BindContext& ctx) {
  SLUICE_RETURN_IF_ERROR(Arity("array_distinct", args, 1, 1));
  SLUICE_RETURN_IF_ERROR(ExpectArray(ctx, args, 0));
  const TypePtr type = args[0]->type();
  return more::MakeScalar("array_distinct", type, {type}, ReorderKernel(type, Distinct));
}

// array_sort(a): ascending, nulls last; sort_array(a[, asc]): nulls first when ascending.
ScalarBinder Sort(std::string name, bool spark_sort_array) {
  return [name, spark_sort_array](const std::vector<ExprPtr>& args,
                                  const BindContext& ctx) -> Result<BoundScalarFunction> {
    SLUICE_RETURN_IF_ERROR(Arity(name, args, 1, spark_sort_array ? 2 : 1));
    SLUICE_RETURN_IF_ERROR(ExpectArray(ctx, args, 0));
    const TypePtr type = args[0]->type();
    if (!more::IsOrderable(type->element_type())) {
      return more::UnexpectedType(ctx, 0, "\"ARRAY\" of orderable", args[0]);
    }
    std::vector<TypePtr> types = {type};
    if (args.size() == 2) {
      if (args[1]->type()->id() != TypeId::kBoolean || more::ConstantArg(args[1]) == nullptr) {
        return more::UnexpectedType(ctx, 1, "\"BOOLEAN\"", args[1]);
      }
      types.push_back(BooleanType());
    }
    return more::MakeScalar(
        name, type, types,
        ReorderKernel(type, [spark_sort_array](const Vector& elements, int32_t start, int32_t end,
                                               std::vector<int32_t>* picked,
                                               const std::vector<const Vector*>& extra, int64_t r) {
          bool ascending = true;
          if (spark_sort_array && !extra.empty()) {
            ascending = extra[0]->BoolValue(ArgRow(*extra[0], r));
          }
          const bool nulls_first = spark_sort_array ? ascending : false;
          SortIndices(elements, start, end, ascending, nulls_first, picked);
          return Status::Ok();
        }));
  };
}

Status SliceError(std::string_view parameter, int64_t value) {
  return Status::InvalidArgument(
      parameter == "start"
          ? fmt::format("[INVALID_PARAMETER_VALUE.START] The value of parameter(s) `start` in "
                        "`slice` is invalid: Expects a positive or a negative value for `start`, "
                        "but got 0.")
          : fmt::format("[INVALID_PARAMETER_VALUE.LENGTH] The value of parameter(s) `length` in "
                        "`slice` is invalid: Expects `length` greater than or equal to 0, but got "
                        "{}.",
                        value));
}

Result<BoundScalarFunction> BindSlice(const std::vector<ExprPtr>& args, const BindContext& ctx) {
  SLUICE_RETURN_IF_ERROR(Arity("slice", args, 3, 3));
  SLUICE_RETURN_IF_ERROR(ExpectArray(ctx, args, 0));
  const TypePtr type = args[0]->type();
  return more::MakeScalar(
      "slice", type, {type, IntType(), IntType()},
      ReorderKernel(type,
                    [](const Vector&, int32_t start, int32_t end, std::vector<int32_t>* picked,
                       const std::vector<const Vector*>& extra, int64_t r) -> Status {
                      const int64_t from = extra[0]->Value<int32_t>(ArgRow(*extra[0], r));
                      const int64_t length = extra[1]->Value<int32_t>(ArgRow(*extra[1], r));
                      if (from == 0) {
                        return SliceError("start", 0);
                      }
                      if (length < 0) {
                        return SliceError("length", length);
                      }
                      const int64_t size = end - start;
                      const int64_t first = from > 0 ? from - 1 : size + from;
                      if (first < 0 || first >= size) {
                        return Status::Ok();
                      }
                      for (int64_t i = first; i < std::min(size, first + length); ++i) {
                        picked->push_back(static_cast<int32_t>(start + i));
                      }
                      return Status::Ok();
                    }));
}

// array_max / array_min: the largest / smallest non-null element.
ScalarBinder Extreme(std::string name, bool max) {
  return [name, max](const std::vector<ExprPtr>& args,
                     const BindContext& ctx) -> Result<BoundScalarFunction> {
    SLUICE_RETURN_IF_ERROR(Arity(name, args, 1, 1));
    SLUICE_RETURN_IF_ERROR(ExpectArray(ctx, args, 0));
    const TypePtr element = args[0]->type()->element_type();
    return more::MakeScalar(
        name, element, {args[0]->type()},
        [element, max](const std::vector<VectorPtr>& in, int64_t num_rows,
                       const EvalContext&) -> Result<VectorPtr> {
          const Vector& array = *in[0];
          return more::BuildRows(element, num_rows, [&](int64_t r, VectorBuilder* out) {
            const int64_t row = ArgRow(array, r);
            int32_t best = -1;
            if (!array.IsNull(row)) {
              const Vector& elements = *array.child(0);
              for (int32_t i = array.ListStart(row); i < array.ListEnd(row); ++i) {
                if (elements.IsNull(i)) {
                  continue;
                }
                const int c = best < 0 ? 0 : more::CompareValues(elements, i, elements, best);
                if (best < 0 || (max ? c > 0 : c < 0)) {
                  best = i;
                }
              }
            }
            if (best < 0) {
              out->AppendNull();
            } else {
              AppendValue(*array.child(0), best, out);
            }
            return Status::Ok();
          });
        });
  };
}

Result<BoundScalarFunction> BindArrayJoin(const std::vector<ExprPtr>& args,
                                          const BindContext& ctx) {
  SLUICE_RETURN_IF_ERROR(Arity("array_join", args, 2, 3));
  SLUICE_RETURN_IF_ERROR(ExpectArray(ctx, args, 0));
  std::vector<TypePtr> types = {ArrayType(StringType()), StringType()};
  if (args.size() == 3) {
    types.push_back(StringType());
  }
  return more::MakeScalar(
      "array_join", StringType(), types,
      [](const std::vector<VectorPtr>& in, int64_t num_rows,
         const EvalContext&) -> Result<VectorPtr> {
        const Vector& array = *in[0];
        const Vector& delimiter = *in[1];
        const Vector* replacement = in.size() == 3 ? in[2].get() : nullptr;
        return more::MapRows<std::string>(
            StringType(), in, num_rows, [&](int64_t r, Status*) -> std::optional<std::string> {
              const int64_t row = ArgRow(array, r);
              const Vector& elements = *array.child(0);
              std::string out;
              bool first = true;
              for (int32_t i = array.ListStart(row); i < array.ListEnd(row); ++i) {
                std::string_view text;
                if (elements.IsNull(i)) {
                  if (replacement == nullptr) {
                    continue;
                  }
                  text = replacement->StringValue(ArgRow(*replacement, r));
                } else {
                  text = elements.StringValue(i);
                }
                if (!first) {
                  out += delimiter.StringValue(ArgRow(delimiter, r));
                }
                out += text;
                first = false;
              }
              return out;
            });
      });
}

Result<BoundScalarFunction> BindFlatten(const std::vector<ExprPtr>& args, const BindContext& ctx) {
  SLUICE_RETURN_IF_ERROR(Arity("flatten", args, 1, 1));
  const TypePtr type = args[0]->type();
  if (type->id() != TypeId::kArray || type->element_type()->id() != TypeId::kArray) {
    return more::UnexpectedType(ctx, 0, "\"ARRAY\" of \"ARRAY\"", args[0]);
  }
  const TypePtr result = type->element_type();
  return more::MakeScalar("flatten", result, {type},
                          [result](const std::vector<VectorPtr>& in, int64_t num_rows,
                                   const EvalContext&) -> Result<VectorPtr> {
                            const Vector& outer = *in[0];
                            const Vector& inner = *outer.child(0);
                            ArrayBuilder builder(result);
                            for (int64_t r = 0; r < num_rows; ++r) {
                              const int64_t row = ArgRow(outer, r);
                              bool has_null = outer.IsNull(row);
                              for (int32_t i = has_null ? 0 : outer.ListStart(row);
                                   !has_null && i < outer.ListEnd(row); ++i) {
                                has_null = inner.IsNull(i);
                              }
                              if (has_null) {
                                builder.AppendNull();
                                continue;
                              }
                              for (int32_t i = outer.ListStart(row); i < outer.ListEnd(row); ++i) {
                                for (int32_t j = inner.ListStart(i); j < inner.ListEnd(i); ++j) {
                                  AppendValue(*inner.child(0), j, builder.element());
                                }
                              }
                              builder.Append();
                            }
                            return builder.Finish();
                          });
}

Result<BoundScalarFunction> BindSequence(const std::vector<ExprPtr>& args, const BindContext& ctx) {
  SLUICE_RETURN_IF_ERROR(Arity("sequence", args, 2, 3));
  std::vector<TypePtr> types;
  for (const ExprPtr& arg : args) {
    if (!arg->type()->is_integral()) {
      return more::UnexpectedType(ctx, static_cast<int>(types.size()), "\"INTEGRAL\"", arg);
    }
    types.push_back(arg->type());
  }
  TypePtr element = WiderCommonType(types, ctx.ansi);
  const TypePtr result = ArrayType(element, false);
  return more::MakeScalar(
      "sequence", result, std::vector<TypePtr>(args.size(), element),
      [result, element](const std::vector<VectorPtr>& in, int64_t num_rows,
                        const EvalContext&) -> Result<VectorPtr> {
        return more::BuildRows(result, num_rows, [&](int64_t r, VectorBuilder* out) -> Status {
          if (more::AnyNull(in, r)) {
            out->AppendNull();
            return Status::Ok();
          }
          const int64_t start = more::IntegralAsLong(*in[0], ArgRow(*in[0], r));
          const int64_t stop = more::IntegralAsLong(*in[1], ArgRow(*in[1], r));
          const int64_t step = in.size() == 3 ? more::IntegralAsLong(*in[2], ArgRow(*in[2], r))
                                              : (start <= stop ? 1 : -1);
          if (step == 0 || (start < stop && step < 0) || (start > stop && step > 0)) {
            return Status::InvalidArgument(fmt::format(
                "[INVALID_SEQUENCE_BOUNDARIES] Illegal sequence boundaries: {} to {} by {}", start,
                stop, step));
          }
          const auto count =
              static_cast<uint64_t>((static_cast<__int128>(stop) - start) / step) + 1;
          if (count > 2147483632ULL) {
            return Status::InvalidArgument(fmt::format(
                "[COLLECTION_SIZE_LIMIT_EXCEEDED.PARAMETER] Can't create array with {} elements "
                "which exceeding the array size limit 2147483632.",
                count));
          }
          auto* array = static_cast<ArrayBuilder*>(out);
          VectorBuilder* elements = array->element();
          for (uint64_t i = 0; i < count; ++i) {
            const int64_t value = start + static_cast<int64_t>(i) * step;
            switch (element->id()) {
              case TypeId::kByte:
                static_cast<Int8Builder*>(elements)->Append(static_cast<int8_t>(value));
                break;
              case TypeId::kShort:
                static_cast<Int16Builder*>(elements)->Append(static_cast<int16_t>(value));
                break;
              case TypeId::kInt:
                static_cast<Int32Builder*>(elements)->Append(static_cast<int32_t>(value));
                break;
              default:
                static_cast<Int64Builder*>(elements)->Append(value);
                break;
            }
          }
          array->Append();
          return Status::Ok();
        });
      });
}

}  // namespace

void RegisterArrayFunctions(FunctionRegistry& registry) {
  registry.AddScalar("array_contains", Search("array_contains", false));
  registry.AddScalar("array_position", Search("array_position", true));
  registry.AddScalar("array_distinct", BindArrayDistinct);
  registry.AddScalar("array_sort", Sort("array_sort", false));
  registry.AddScalar("sort_array", Sort("sort_array", true));
  registry.AddScalar("array_join", BindArrayJoin);
  registry.AddScalar("array_max", Extreme("array_max", true));
  registry.AddScalar("array_min", Extreme("array_min", false));
  registry.AddScalar("slice", BindSlice);
  registry.AddScalar("flatten", BindFlatten);
  registry.AddScalar("sequence", BindSequence);
}

}  // namespace sluice::expr::collection
