// SPDX-License-Identifier: Apache-2.0
// The aggregate binders: argument checks, Spark's result types, and the registry.
#include <fmt/format.h>

#include <cmath>
#include <cstdlib>
#include <utility>

#include "expr/builtins.h"
#include "expr/functions/aggregate_states.h"
#include "expr/functions/more_util.h"

namespace sluice::expr {

namespace {

using agg::StatePtr;

using StateFactory = std::function<StatePtr()>;

BoundAggregateFunction Make(std::string name, TypePtr return_type, std::vector<TypePtr> arg_types,
                            const AggregateCallOptions& options, StateFactory factory) {
  BoundAggregateFunction function;
  function.name = std::move(name);
  function.return_type = std::move(return_type);
  function.arg_types = arg_types;
  if (options.distinct && !arg_types.empty()) {
    function.make_state = [types = std::move(arg_types), factory = std::move(factory)] {
      return agg::MakeDistinctState(types, factory());
    };
  } else {
    function.make_state = std::move(factory);
  }
  return function;
}

Status CheckArgs(std::string_view name, const std::vector<ExprPtr>& args, size_t min, size_t max) {
  if (args.size() >= min && args.size() <= max) {
    return Status::Ok();
  }
  std::string expected = min == max ? std::to_string(min) : fmt::format("[{}, {}]", min, max);
  if (max - min == 1) {
    expected = fmt::format("[{}, {}]", min, max);
  }
  return more::WrongNumArgs(name, expected, args.size());
}

bool IsNullType(const TypePtr& type) {
  return type->id() == TypeId::kNull;
}

// Numeric (or a string / void implicitly cast to double) input as Spark's sum/avg see it.
Status NumericInput(const BindContext& ctx, const ExprPtr& arg) {
  const TypePtr& type = arg->type();
  if (type->is_numeric() || IsNullType(type) || (type->id() == TypeId::kString && !ctx.ansi)) {
    return Status::Ok();
  }
  return more::UnexpectedType(ctx, 0, "(\"NUMERIC\" or \"ANSI INTERVAL\")", arg);
}

TypePtr BoundedDecimal(int precision, int scale) {
  return DecimalType(std::min(precision, kMaxDecimalPrecision),
                     std::min(scale, kMaxDecimalPrecision));
}

Result<BoundAggregateFunction> BindCount(const std::vector<ExprPtr>& args,
                                         const AggregateCallOptions& options,
                                         const BindContext& /*ctx*/) {
  std::vector<TypePtr> types;
  for (const ExprPtr& arg : args) {
    types.push_back(arg->type());
  }
  const int num_args = static_cast<int>(args.size());
  return Make("count", LongType(), std::move(types), options,
              [num_args] { return agg::MakeCountState(num_args); });
}

Result<BoundAggregateFunction> BindCountIf(const std::vector<ExprPtr>& args,
                                           const AggregateCallOptions& options,
                                           const BindContext& ctx) {
  SLUICE_RETURN_IF_ERROR(CheckArgs("count_if", args, 1, 1));
  if (args[0]->type()->id() != TypeId::kBoolean && !IsNullType(args[0]->type())) {
    return more::UnexpectedType(ctx, 0, "\"BOOLEAN\"", args[0]);
  }
  return Make("count_if", LongType(), {BooleanType()}, options,
              [] { return agg::MakeCountIfState(); });
}

/// sum, or try_sum (`try_mode`: overflow is null, also in ANSI mode).
AggregateBinder BindSum(std::string name, bool try_mode) {
  return [name, try_mode](const std::vector<ExprPtr>& args, const AggregateCallOptions& options,
                          const BindContext& ctx) -> Result<BoundAggregateFunction> {
    SLUICE_RETURN_IF_ERROR(CheckArgs(name, args, 1, 1));
    SLUICE_RETURN_IF_ERROR(NumericInput(ctx, args[0]));
    const TypePtr& type = args[0]->type();
    TypePtr input = DoubleType();
    TypePtr result = DoubleType();
    if (type->is_integral()) {
      input = result = LongType();
    } else if (type->id() == TypeId::kDecimal) {
      input = type;
      result = BoundedDecimal(type->precision() + 10, type->scale());
    }
    const bool ansi = ctx.ansi;
    return Make(name, result, {input}, options, [input, result, ansi, try_mode] {
      return agg::MakeSumState(input, result, ansi, try_mode);
    });
  };
}

/// avg, or try_avg (`try_mode`: a decimal overflow is null, also in ANSI mode).
AggregateBinder BindAvg(std::string name, bool try_mode) {
  return [name, try_mode](const std::vector<ExprPtr>& args, const AggregateCallOptions& options,
                          const BindContext& ctx) -> Result<BoundAggregateFunction> {
    SLUICE_RETURN_IF_ERROR(CheckArgs(name, args, 1, 1));
    SLUICE_RETURN_IF_ERROR(NumericInput(ctx, args[0]));
    const TypePtr& type = args[0]->type();
    TypePtr input = DoubleType();
    TypePtr result = DoubleType();
    if (type->id() == TypeId::kDecimal) {
      input = type;
      result = BoundedDecimal(type->precision() + 4, type->scale() + 4);
    }
    const bool ansi = ctx.ansi;
    return Make(name, result, {input}, options, [input, result, ansi, try_mode] {
      return agg::MakeAvgState(input, result, ansi, try_mode);
    });
  };
}

AggregateBinder BindSelect(std::string name, agg::SelectKind kind) {
  return [name, kind](const std::vector<ExprPtr>& args, const AggregateCallOptions& options,
                      const BindContext& ctx) -> Result<BoundAggregateFunction> {
    const bool by = kind == agg::SelectKind::kMinBy || kind == agg::SelectKind::kMaxBy;
    const bool positional = kind == agg::SelectKind::kFirst || kind == agg::SelectKind::kLast;
    SLUICE_RETURN_IF_ERROR(CheckArgs(name, args, by ? 2 : 1, by || positional ? 2 : 1));
    bool ignore_nulls = options.ignore_nulls;
    std::vector<TypePtr> types = {args[0]->type()};
    if (positional && args.size() == 2) {
      std::string text;
      bool is_null = false;
      if (args[1]->type()->id() != TypeId::kBoolean ||
          !more::LiteralString(args[1], &text, &is_null) || is_null) {
        return more::UnexpectedType(ctx, 1, "\"BOOLEAN\"", args[1]);
      }
      ignore_nulls = ignore_nulls || more::ConstantArg(args[1])->BoolValue(0);
      types.push_back(BooleanType());
    }
    const TypePtr key = by ? args[1]->type() : args[0]->type();
    if (!positional && !more::IsOrderable(key)) {
      return Status::BindError(fmt::format(
          "[DATATYPE_MISMATCH.INVALID_ORDERING_TYPE] Cannot resolve \"{}\" due to data type "
          "mismatch: The `{}` does not support ordering on type \"{}\".",
          ctx.call_sql, name, key->ToDdl()));
    }
    if (by) {
      types.push_back(key);
    }
    const TypePtr value = args[0]->type();
    return Make(name, value, types, options, [kind, value, key, ignore_nulls] {
      return agg::MakeSelectState(kind, value, key, ignore_nulls);
    });
  };
}

AggregateBinder BindBool(std::string name, bool is_and) {
  return [name, is_and](const std::vector<ExprPtr>& args, const AggregateCallOptions& options,
                        const BindContext& ctx) -> Result<BoundAggregateFunction> {
    SLUICE_RETURN_IF_ERROR(CheckArgs(name, args, 1, 1));
    if (args[0]->type()->id() != TypeId::kBoolean && !IsNullType(args[0]->type())) {
      return more::UnexpectedType(ctx, 0, "\"BOOLEAN\"", args[0]);
    }
    return Make(name, BooleanType(), {BooleanType()}, options,
                [is_and] { return agg::MakeBoolState(is_and); });
  };
}

AggregateBinder BindMoment(std::string name, agg::MomentKind kind) {
  return [name, kind](const std::vector<ExprPtr>& args, const AggregateCallOptions& options,
                      const BindContext& ctx) -> Result<BoundAggregateFunction> {
    SLUICE_RETURN_IF_ERROR(CheckArgs(name, args, 1, 1));
    SLUICE_RETURN_IF_ERROR(NumericInput(ctx, args[0]));
    return Make(name, DoubleType(), {DoubleType()}, options,
                [kind] { return agg::MakeMomentState(kind); });
  };
}

AggregateBinder BindCollect(std::string name, bool set) {
  return [name, set](const std::vector<ExprPtr>& args, const AggregateCallOptions& options,
                     const BindContext& ctx) -> Result<BoundAggregateFunction> {
    SLUICE_RETURN_IF_ERROR(CheckArgs(name, args, 1, 1));
    const TypePtr element = args[0]->type();
    if (set && element->id() == TypeId::kMap) {
      return more::UnexpectedType(ctx, 0, "non-map", args[0]);
    }
    return Make(name, ArrayType(element, false), {element}, options,
                [element, set] { return agg::MakeCollectState(element, set); });
  };
}

Result<BoundAggregateFunction> BindApproxCountDistinct(const std::vector<ExprPtr>& args,
                                                       const AggregateCallOptions& options,
                                                       const BindContext& ctx) {
  SLUICE_RETURN_IF_ERROR(CheckArgs("approx_count_distinct", args, 1, 2));
  double relative_sd = 0.05;
  if (args.size() == 2) {
    bool is_null = false;
    if (!more::LiteralDouble(args[1], &relative_sd, &is_null) || is_null) {
      return more::NonFoldable(ctx, "`relativeSD`", "DOUBLE", args[1]);
    }
  }
  const int precision =
      static_cast<int>(std::ceil(2.0 * std::log(1.106 / relative_sd) / std::log(2.0)));
  if (precision < 4 || precision > 18) {
    return Status::BindError(
        fmt::format("[DATATYPE_MISMATCH.VALUE_OUT_OF_RANGE] Cannot resolve \"{}\" due to data type "
                    "mismatch: The `relativeSD` must be within the range [0.0, 0.39], but got {}.",
                    ctx.call_sql, relative_sd));
  }
  std::vector<TypePtr> types = {args[0]->type()};
  if (args.size() == 2) {
    types.push_back(args[1]->type());
  }
  return Make("approx_count_distinct", LongType(), types, options,
              [precision] { return agg::MakeHllState(precision); });
}

Status PercentageError(const BindContext& ctx, const ExprPtr& arg) {
  return Status::BindError(fmt::format(
      "[DATATYPE_MISMATCH.VALUE_OUT_OF_RANGE] Cannot resolve \"{}\" due to data type mismatch: "
      "The `percentage` must be within the range [0.0, 1.0], but got {}.",
      ctx.call_sql, more::ArgSql(arg)));
}

// The constant percentage argument: one number or an array of them, each in [0, 1].
Result<std::vector<double>> ReadPercentages(const BindContext& ctx, const ExprPtr& percentage,
                                            bool* as_array) {
  VectorPtr constant = more::ConstantArg(percentage);
  if (constant == nullptr || constant->IsNull(0)) {
    return more::NonFoldable(ctx, "`percentage`", "DOUBLE", percentage);
  }
  std::vector<double> percentages;
  const Vector& literal = *constant;
  *as_array = literal.type_id() == TypeId::kArray;
  if (*as_array) {
    const Vector& elements = *literal.child(0);
    if (!elements.type()->is_numeric()) {
      return more::UnexpectedType(ctx, 1, "(\"DOUBLE\" or \"ARRAY<DOUBLE>\")", percentage);
    }
    for (int32_t i = literal.ListStart(0); i < literal.ListEnd(0); ++i) {
      if (elements.IsNull(i)) {
        return PercentageError(ctx, percentage);
      }
      percentages.push_back(more::NumericAsDouble(elements, i));
    }
  } else if (literal.type()->is_numeric()) {
    percentages.push_back(more::NumericAsDouble(literal, 0));
  } else {
    return more::UnexpectedType(ctx, 1, "(\"DOUBLE\" or \"ARRAY<DOUBLE>\")", percentage);
  }
  for (double p : percentages) {
    if (!(p >= 0 && p <= 1)) {
      return PercentageError(ctx, percentage);
    }
  }
  return percentages;
}

Result<BoundAggregateFunction> BindPercentileApprox(const std::vector<ExprPtr>& args,
                                                    const AggregateCallOptions& options,
                                                    const BindContext& ctx) {
  SLUICE_RETURN_IF_ERROR(CheckArgs("percentile_approx", args, 2, 3));
  const TypePtr input = args[0]->type();
  const TypeId id = input->id();
  if (!input->is_numeric() && id != TypeId::kDate && id != TypeId::kTimestamp &&
      id != TypeId::kTimestampNtz) {
    return more::UnexpectedType(ctx, 0, "(\"NUMERIC\" or \"DATE\" or \"TIMESTAMP\")", args[0]);
  }
  const ExprPtr& percentage = args[1];
  bool as_array = false;
  SLUICE_ASSIGN_OR_RETURN(std::vector<double> percentages,
                          ReadPercentages(ctx, percentage, &as_array));
  if (args.size() == 3) {
    int64_t accuracy = 0;
    bool is_null = false;
    if (!more::LiteralInt(args[2], &accuracy, &is_null) || is_null) {
      return more::NonFoldable(ctx, "`accuracy`", "INT", args[2]);
    }
    if (accuracy <= 0) {
      return Status::BindError(fmt::format(
          "[DATATYPE_MISMATCH.VALUE_OUT_OF_RANGE] Cannot resolve \"{}\" due to data type "
          "mismatch: The `accuracy` must be within the range [1, 2147483647], but got {}.",
          ctx.call_sql, accuracy));
    }
  }
  std::vector<TypePtr> types = {input, percentage->type()};
  if (args.size() == 3) {
    types.push_back(args[2]->type());
  }
  return Make("percentile_approx", as_array ? ArrayType(input, false) : input, types, options,
              [input, percentages, as_array] {
                return agg::MakePercentileState(input, percentages, as_array);
              });
}

AggregateBinder BindExactPercentile(std::string name, bool median) {
  return [name, median](const std::vector<ExprPtr>& args, const AggregateCallOptions& options,
                        const BindContext& ctx) -> Result<BoundAggregateFunction> {
    SLUICE_RETURN_IF_ERROR(CheckArgs(name, args, median ? 1 : 2, median ? 1 : 2));
    if (!args[0]->type()->is_numeric() && !IsNullType(args[0]->type())) {
      return more::UnexpectedType(ctx, 0, "\"NUMERIC\"", args[0]);
    }
    std::vector<double> percentages = {0.5};
    bool as_array = false;
    std::vector<TypePtr> types = {DoubleType()};
    if (!median) {
      SLUICE_ASSIGN_OR_RETURN(percentages, ReadPercentages(ctx, args[1], &as_array));
      types.push_back(args[1]->type());
    }
    return Make(
        name, as_array ? ArrayType(DoubleType(), false) : DoubleType(), types, options,
        [percentages, as_array] { return agg::MakeExactPercentileState(percentages, as_array); });
  };
}

AggregateBinder BindBit(std::string name, char op) {
  return [name, op](const std::vector<ExprPtr>& args, const AggregateCallOptions& options,
                    const BindContext& ctx) -> Result<BoundAggregateFunction> {
    SLUICE_RETURN_IF_ERROR(CheckArgs(name, args, 1, 1));
    const TypePtr type = args[0]->type();
    if (!type->is_integral()) {
      return more::UnexpectedType(ctx, 0, "\"INTEGRAL\"", args[0]);
    }
    return Make(name, type, {type}, options, [type, op] { return agg::MakeBitState(type, op); });
  };
}

/// nth_value(x, n [, ignoreNulls]) over a window frame (n a positive integer literal).
Result<BoundAggregateFunction> BindNthValue(const std::vector<ExprPtr>& args,
                                            const AggregateCallOptions& options,
                                            const BindContext& ctx) {
  SLUICE_RETURN_IF_ERROR(CheckArgs("nth_value", args, 2, 3));
  std::string text;
  bool is_null = false;
  int64_t n = 0;
  if (!args[1]->type()->is_integral() || !more::LiteralString(args[1], &text, &is_null) ||
      is_null) {
    return more::UnexpectedType(ctx, 1, "\"INT\"", args[1]);
  }
  n = std::strtoll(text.c_str(), nullptr, 10);
  if (n <= 0) {
    return Status::BindError(fmt::format(
        "[DATATYPE_MISMATCH.VALUE_OUT_OF_RANGE] Cannot resolve \"{}\" due to data type mismatch: "
        "The `offset` must be between [1, 2147483647], but got {}.",
        ctx.call_sql, n));
  }
  bool ignore_nulls = options.ignore_nulls;
  std::vector<TypePtr> types = {args[0]->type(), args[1]->type()};
  if (args.size() == 3) {
    if (args[2]->type()->id() != TypeId::kBoolean ||
        !more::LiteralString(args[2], &text, &is_null) || is_null) {
      return more::UnexpectedType(ctx, 2, "\"BOOLEAN\"", args[2]);
    }
    ignore_nulls = ignore_nulls || text == "true";
    types.push_back(BooleanType());
  }
  const TypePtr type = args[0]->type();
  AggregateCallOptions plain = options;
  plain.distinct = false;
  return Make("nth_value", type, std::move(types), plain,
              [type, n, ignore_nulls] { return agg::MakeNthValueState(type, n, ignore_nulls); });
}

AggregateBinder BindCovariance(std::string name, agg::CovarianceKind kind) {
  return [name, kind](const std::vector<ExprPtr>& args, const AggregateCallOptions& options,
                      const BindContext& ctx) -> Result<BoundAggregateFunction> {
    SLUICE_RETURN_IF_ERROR(CheckArgs(name, args, 2, 2));
    for (int i = 0; i < 2; ++i) {
      const TypePtr& type = args[i]->type();
      if (!type->is_numeric() && !IsNullType(type) &&
          !(type->id() == TypeId::kString && !ctx.ansi)) {
        return more::UnexpectedType(ctx, i, "\"DOUBLE\"", args[i]);
      }
    }
    return Make(name, DoubleType(), {DoubleType(), DoubleType()}, options,
                [kind] { return agg::MakeCovarianceState(kind); });
  };
}

AggregateBinder BindHigherMoment(std::string name, bool kurtosis) {
  return [name, kurtosis](const std::vector<ExprPtr>& args, const AggregateCallOptions& options,
                          const BindContext& ctx) -> Result<BoundAggregateFunction> {
    SLUICE_RETURN_IF_ERROR(CheckArgs(name, args, 1, 1));
    SLUICE_RETURN_IF_ERROR(NumericInput(ctx, args[0]));
    return Make(name, DoubleType(), {DoubleType()}, options,
                [kurtosis] { return agg::MakeHigherMomentState(kurtosis); });
  };
}

Result<BoundAggregateFunction> BindMode(const std::vector<ExprPtr>& args,
                                        const AggregateCallOptions& options,
                                        const BindContext& /*ctx*/) {
  SLUICE_RETURN_IF_ERROR(CheckArgs("mode", args, 1, 1));
  const TypePtr type = args[0]->type();
  return Make("mode", type, {type}, options, [type] { return agg::MakeModeState(type); });
}

}  // namespace

void RegisterAggregateFunctions(FunctionRegistry& registry) {
  registry.AddAggregate("count", BindCount);
  registry.AddAggregate("count_if", BindCountIf);
  registry.AddAggregate("sum", BindSum("sum", false));
  registry.AddAggregate("try_sum", BindSum("try_sum", true));
  registry.AddAggregate("avg", BindAvg("avg", false));
  registry.AddAggregate("try_avg", BindAvg("try_avg", true));
  registry.AddAlias("mean", "avg");
  registry.AddAggregate("min", BindSelect("min", agg::SelectKind::kMin));
  registry.AddAggregate("max", BindSelect("max", agg::SelectKind::kMax));
  registry.AddAggregate("first", BindSelect("first", agg::SelectKind::kFirst));
  registry.AddAlias("first_value", "first");
  registry.AddAggregate("any_value", BindSelect("any_value", agg::SelectKind::kFirst));
  registry.AddAggregate("last", BindSelect("last", agg::SelectKind::kLast));
  registry.AddAlias("last_value", "last");
  registry.AddAggregate("min_by", BindSelect("min_by", agg::SelectKind::kMinBy));
  registry.AddAggregate("max_by", BindSelect("max_by", agg::SelectKind::kMaxBy));
  registry.AddAggregate("bool_and", BindBool("bool_and", true));
  registry.AddAlias("every", "bool_and");
  registry.AddAggregate("bool_or", BindBool("bool_or", false));
  registry.AddAlias("some", "bool_or");
  registry.AddAlias("any", "bool_or");
  registry.AddAggregate("stddev_samp", BindMoment("stddev_samp", agg::MomentKind::kStddevSamp));
  registry.AddAlias("stddev", "stddev_samp");
  registry.AddAlias("std", "stddev_samp");
  registry.AddAggregate("stddev_pop", BindMoment("stddev_pop", agg::MomentKind::kStddevPop));
  registry.AddAggregate("var_samp", BindMoment("var_samp", agg::MomentKind::kVarSamp));
  registry.AddAlias("variance", "var_samp");
  registry.AddAggregate("var_pop", BindMoment("var_pop", agg::MomentKind::kVarPop));
  registry.AddAggregate("collect_list", BindCollect("collect_list", false));
  registry.AddAlias("array_agg", "collect_list");
  registry.AddAggregate("collect_set", BindCollect("collect_set", true));
  registry.AddAggregate("approx_count_distinct", BindApproxCountDistinct);
  registry.AddAggregate("percentile_approx", BindPercentileApprox);
  registry.AddAlias("approx_percentile", "percentile_approx");
  registry.AddAggregate("percentile", BindExactPercentile("percentile", false));
  registry.AddAggregate("median", BindExactPercentile("median", true));
  registry.AddAggregate("mode", BindMode);
  registry.AddAggregate("nth_value", BindNthValue);
  registry.AddAggregate("bit_and", BindBit("bit_and", '&'));
  registry.AddAggregate("bit_or", BindBit("bit_or", '|'));
  registry.AddAggregate("bit_xor", BindBit("bit_xor", '^'));
  registry.AddAggregate("covar_pop", BindCovariance("covar_pop", agg::CovarianceKind::kCovarPop));
  registry.AddAggregate("covar_samp",
                        BindCovariance("covar_samp", agg::CovarianceKind::kCovarSamp));
  registry.AddAggregate("corr", BindCovariance("corr", agg::CovarianceKind::kCorr));
  registry.AddAggregate("skewness", BindHigherMoment("skewness", false));
  registry.AddAggregate("kurtosis", BindHigherMoment("kurtosis", true));
}

}  // namespace sluice::expr
