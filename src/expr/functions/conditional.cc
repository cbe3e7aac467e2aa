// SPDX-License-Identifier: Apache-2.0
// coalesce, if, nullif, nvl, ifnull, nvl2, assert_true. The evaluator runs if and
// coalesce lazily (an argument only on the rows that need it); these kernels serve
// callers that hand them evaluated arguments.
#include <fmt/format.h>

#include "columnar/concat.h"
#include "expr/builtins.h"
#include "expr/cast.h"
#include "expr/functions/kernel.h"
#include "expr/type_coercion.h"

namespace sluice::expr {

namespace {

using Args = std::vector<ExprPtr>;
using Values = std::vector<VectorPtr>;

Status DifferentTypes(const BindContext& ctx, std::string_view name, const Args& args,
                      size_t first) {
  std::string list;
  for (size_t i = first; i < args.size(); ++i) {
    list += (i > first ? ", " : "") + ("\"" + kernel::TypeSql(args[i]->type()) + "\"");
  }
  return Status::BindError(fmt::format(
      "[DATATYPE_MISMATCH.DATA_DIFF_TYPES] Cannot resolve \"{}\" due to data type mismatch: "
      "Input to `{}` should all be the same type, but it's [{}].",
      ctx.call_sql, name, list));
}

// Result row `row` from the vector `pick(row)` chose (nullptr appends null).
template <typename Pick>
Result<VectorPtr> Select(const TypePtr& type, const Values& values, int64_t num_rows, Pick pick) {
  const int64_t length = kernel::OutputLength(values, num_rows);
  std::unique_ptr<VectorBuilder> builder = VectorBuilder::Make(type);
  builder->Reserve(length);
  for (int64_t row = 0; row < length; ++row) {
    const Vector* source = pick(row);
    if (source == nullptr) {
      builder->AppendNull();
    } else {
      AppendValue(*source, kernel::RowOf(*source, row), builder.get());
    }
  }
  return builder->Finish();
}

ScalarBinder CoalesceBinder(std::string name, size_t min_args, size_t max_args) {
  return [name, min_args, max_args](const Args& args,
                                    const BindContext& ctx) -> Result<BoundScalarFunction> {
    if (args.size() < min_args || args.size() > max_args) {
      return kernel::WrongNumArgs(name, min_args == max_args ? std::to_string(min_args) : "> 0",
                                  args.size());
    }
    std::vector<TypePtr> types;
    for (const ExprPtr& arg : args) {
      types.push_back(arg->type());
    }
    TypePtr type = WiderCommonType(types, ctx.ansi);
    if (type == nullptr) {
      return DifferentTypes(ctx, name, args, 0);
    }
    ScalarKernel fn = [type](const Values& values, int64_t num_rows, const EvalContext&) {
      return Select(type, values, num_rows, [&](int64_t row) -> const Vector* {
        for (const VectorPtr& v : values) {
          if (!kernel::IsNullAt(*v, row)) {
            return v.get();
          }
        }
        return nullptr;
      });
    };
    return kernel::MakeFunction(name, type, std::vector<TypePtr>(args.size(), type), std::move(fn),
                                /*null_intolerant=*/false);
  };
}

bool IsTrueAt(const Vector& v, int64_t row) {
  return !kernel::IsNullAt(v, row) && kernel::ReadAt<bool>(v, row);
}

Result<BoundScalarFunction> BindIf(const Args& args, const BindContext& ctx) {
  if (args.size() != 3) {
    return kernel::WrongNumArgs("if", "3", args.size());
  }
  const TypeId cond = args[0]->type()->id();
  if (cond != TypeId::kBoolean && cond != TypeId::kNull) {
    return Status::BindError(fmt::format(
        "[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] Cannot resolve \"{}\" due to data type "
        "mismatch: Parameter 1 requires the \"BOOLEAN\" type, however \"{}\" has the type "
        "\"{}\".",
        ctx.call_sql, args[0]->ToString(), kernel::TypeSql(args[0]->type())));
  }
  TypePtr type = WiderCommonType(args[1]->type(), args[2]->type(), ctx.ansi);
  if (type == nullptr) {
    return DifferentTypes(ctx, "if", args, 1);
  }
  ScalarKernel fn = [type](const Values& values, int64_t num_rows, const EvalContext&) {
    return Select(type, values, num_rows, [&](int64_t row) -> const Vector* {
      const Vector* chosen = IsTrueAt(*values[0], row) ? values[1].get() : values[2].get();
      return kernel::IsNullAt(*chosen, row) ? nullptr : chosen;
    });
  };
  return kernel::MakeFunction("if", type, {BooleanType(), type, type}, std::move(fn),
                              /*null_intolerant=*/false);
}

Result<BoundScalarFunction> BindNvl2(const Args& args, const BindContext& ctx) {
  if (args.size() != 3) {
    return kernel::WrongNumArgs("nvl2", "3", args.size());
  }
  TypePtr type = WiderCommonType(args[1]->type(), args[2]->type(), ctx.ansi);
  if (type == nullptr) {
    return DifferentTypes(ctx, "nvl2", args, 1);
  }
  ScalarKernel fn = [type](const Values& values, int64_t num_rows, const EvalContext&) {
    return Select(type, values, num_rows, [&](int64_t row) -> const Vector* {
      const Vector* chosen = kernel::IsNullAt(*values[0], row) ? values[2].get() : values[1].get();
      return kernel::IsNullAt(*chosen, row) ? nullptr : chosen;
    });
  };
  return kernel::MakeFunction("nvl2", type, {args[0]->type(), type, type}, std::move(fn),
                              /*null_intolerant=*/false);
}

// nullif(a, b): null when a = b (compared as ComparisonType), else a.
Result<BoundScalarFunction> BindNullIf(const Args& args, const BindContext& ctx) {
  if (args.size() != 2) {
    return kernel::WrongNumArgs("nullif", "2", args.size());
  }
  TypePtr compare = ComparisonType(args[0]->type(), args[1]->type(), ctx.ansi);
  if (compare == nullptr) {
    return DifferentTypes(ctx, "nullif", args, 0);
  }
  TypePtr type = args[0]->type();
  ScalarKernel fn = [type, compare](const Values& values, int64_t num_rows,
                                    const EvalContext& ectx) -> Result<VectorPtr> {
    SLUICE_ASSIGN_OR_RETURN(VectorPtr left, CastVector(values[0], compare, ectx));
    SLUICE_ASSIGN_OR_RETURN(VectorPtr right, CastVector(values[1], compare, ectx));
    return Select(type, values, num_rows, [&](int64_t row) -> const Vector* {
      if (kernel::IsNullAt(*values[0], row)) {
        return nullptr;
      }
      if (!kernel::IsNullAt(*left, row) && !kernel::IsNullAt(*right, row) &&
          kernel::CompareValues(*left, kernel::RowOf(*left, row), *right,
                                kernel::RowOf(*right, row)) == 0) {
        return nullptr;
      }
      return values[0].get();
    });
  };
  return kernel::MakeFunction("nullif", type, {type, args[1]->type()}, std::move(fn),
                              /*null_intolerant=*/false);
}

Result<BoundScalarFunction> BindAssertTrue(const Args& args, const BindContext& ctx) {
  if (args.empty() || args.size() > 2) {
    return kernel::WrongNumArgs("assert_true", "[1, 2]", args.size());
  }
  const TypeId cond = args[0]->type()->id();
  if (cond != TypeId::kBoolean && cond != TypeId::kNull) {
    return kernel::UnexpectedInputType(ctx, 0, "\"BOOLEAN\"", args[0]);
  }
  const std::string default_message = fmt::format("'{}' is not true!", args[0]->ToString());
  std::vector<TypePtr> types = {BooleanType()};
  if (args.size() == 2) {
    types.push_back(StringType());
  }
  ScalarKernel fn = [default_message](const Values& values, int64_t num_rows,
                                      const EvalContext&) -> Result<VectorPtr> {
    const int64_t length = kernel::OutputLength(values, num_rows);
    for (int64_t row = 0; row < length; ++row) {
      if (!IsTrueAt(*values[0], row)) {
        std::string message = default_message;
        if (values.size() == 2) {
          message = kernel::IsNullAt(*values[1], row)
                        ? "null"
                        : std::string(kernel::ReadAt<std::string_view>(*values[1], row));
        }
        return Status::InvalidArgument("[USER_RAISED_EXCEPTION] " + message);
      }
    }
    return kernel::MakeNulls(NullType(), length);
  };
  return kernel::MakeFunction("assert_true", NullType(), std::move(types), std::move(fn),
                              /*null_intolerant=*/false, /*deterministic=*/false);
}

// typeof(x): Spark's simple string of the argument's type, a constant.
Result<BoundScalarFunction> BindTypeof(const Args& args, const BindContext&) {
  if (args.size() != 1) {
    return kernel::WrongNumArgs("typeof", "1", args.size());
  }
  const std::string name = args[0]->type()->ToString();
  ScalarKernel fn = [name](const Values&, int64_t, const EvalContext&) {
    return Result<VectorPtr>(MakeStringScalar(name));
  };
  return kernel::MakeFunction("typeof", StringType(), {args[0]->type()}, std::move(fn),
                              /*null_intolerant=*/false);
}

// grouping(x) and grouping_id(...): the binder replaces them by bits of the grouping id
// of GROUP BY ROLLUP / CUBE / GROUPING SETS; anywhere else they fail as in Spark.
ScalarBinder GroupingBinder(std::string name, TypePtr type, size_t min_args, size_t max_args) {
  return [name, type, min_args, max_args](const Args& args,
                                          const BindContext&) -> Result<BoundScalarFunction> {
    if (args.size() < min_args || args.size() > max_args) {
      return kernel::WrongNumArgs(name, max_args == 1 ? "1" : "> 0", args.size());
    }
    std::vector<TypePtr> types;
    for (const ExprPtr& arg : args) {
      types.push_back(arg->type());
    }
    ScalarKernel fn = [](const Values&, int64_t, const EvalContext&) -> Result<VectorPtr> {
      return Status::InvalidArgument(
          "[UNSUPPORTED_GROUPING_EXPRESSION] grouping()/grouping_id() can only be used with "
          "GroupingSets/Cube/Rollup.");
    };
    return kernel::MakeFunction(name, type, std::move(types), std::move(fn),
                                /*null_intolerant=*/false, /*deterministic=*/false);
  };
}

}  // namespace

void RegisterConditionalFunctions(FunctionRegistry& registry) {
  registry.AddScalar("coalesce", CoalesceBinder("coalesce", 1, SIZE_MAX));
  registry.AddScalar("nvl", CoalesceBinder("nvl", 2, 2));
  registry.AddScalar("ifnull", CoalesceBinder("ifnull", 2, 2));
  registry.AddScalar("if", BindIf);
  registry.AddAlias("iff", "if");
  registry.AddScalar("nvl2", BindNvl2);
  registry.AddScalar("nullif", BindNullIf);
  registry.AddScalar("assert_true", BindAssertTrue);
  registry.AddScalar("typeof", BindTypeof);
  registry.AddScalar("grouping", GroupingBinder("grouping", ByteType(), 1, 1));
  registry.AddScalar("grouping_id", GroupingBinder("grouping_id", LongType(), 0, SIZE_MAX));
}

}  // namespace sluice::expr
