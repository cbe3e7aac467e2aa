// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "columnar/builder.h"
#include "columnar/printer.h"
#include "expr/expression.h"
#include "expr/function.h"
#include "expr/tests/test_util.h"
#include "types/decimal.h"

/// Vector literals and printing for the expr function tests.
namespace sluice::expr::test_util {

using testing::Bools;
using testing::Doubles;
using testing::Ints;
using testing::Longs;
using testing::MakeVector;

inline VectorPtr Strings(const std::vector<std::optional<std::string_view>>& values) {
  return MakeVector<StringBuilder>(StringType(), values);
}
inline VectorPtr Dates(const std::vector<std::optional<int32_t>>& values) {
  return MakeVector<Int32Builder>(DateType(), values);
}
inline VectorPtr Timestamps(const std::vector<std::optional<int64_t>>& values) {
  return MakeVector<Int64Builder>(TimestampType(), values);
}
/// Decimals from their text ("1.50"), at (precision, scale).
inline VectorPtr Decimals(int precision, int scale,
                          const std::vector<std::optional<std::string_view>>& values) {
  DecimalBuilder builder(DecimalType(precision, scale));
  for (const auto& value : values) {
    Int128 unscaled = 0;
    if (!value.has_value()) {
      builder.AppendNull();
    } else if (ParseDecimal(*value, precision, scale, &unscaled)) {
      builder.Append(unscaled);
    } else {
      // A typo in test data must not turn into an expected NULL.
      ADD_FAILURE() << "not a decimal(" << precision << "," << scale << "): " << *value;
      builder.AppendNull();
    }
  }
  return builder.Finish();
}

/// The cells of `vector` as Spark's show() prints them, joined by " | ".
inline std::string Cells(const VectorPtr& vector) {
  std::string text;
  for (int64_t i = 0; i < vector->length(); ++i) {
    if (i > 0) {
      text += " | ";
    }
    text += FormatCell(*vector, i);
  }
  return text;
}

/// Column references #0, #1, ... typed as `columns`.
inline std::vector<ExprPtr> ColumnArgs(const std::vector<VectorPtr>& columns) {
  std::vector<ExprPtr> args;
  for (size_t i = 0; i < columns.size(); ++i) {
    args.push_back(Expression::Column(static_cast<int>(i), columns[i]->type()));
  }
  return args;
}

}  // namespace sluice::expr::test_util

namespace sluice::expr::test_util {

/// Binds scalar `name` over bound argument expressions.
inline Result<BoundScalarFunction> BindScalar(std::string_view name,
                                              const std::vector<ExprPtr>& args) {
  const FunctionEntry* entry = FunctionRegistry::Default().Find(name);
  if (entry == nullptr || entry->kind != FunctionKind::kScalar) {
    return Status::NotFound(std::string(name));
  }
  BindContext bind;
  bind.call_sql = std::string(name);
  return entry->scalar(args, bind);
}

/// Binds scalar `name` over `args` (length-1 vectors bind as literals, others as
/// columns) and runs it over `num_rows` rows; the error text on failure.
inline Result<VectorPtr> CallScalar(std::string_view name, const std::vector<VectorPtr>& args,
                                    const EvalContext& ctx = {}, int64_t num_rows = -1) {
  const FunctionEntry* entry = FunctionRegistry::Default().Find(name);
  if (entry == nullptr || entry->kind != FunctionKind::kScalar) {
    return Status::NotFound(std::string(name));
  }
  std::vector<ExprPtr> exprs;
  for (size_t i = 0; i < args.size(); ++i) {
    exprs.push_back(args[i]->length() == 1
                        ? Expression::Literal(args[i])
                        : Expression::Column(static_cast<int>(i), args[i]->type()));
  }
  BindContext bind;
  bind.ansi = ctx.ansi;
  bind.time_zone = ctx.time_zone;
  bind.call_sql = std::string(name);
  SLUICE_ASSIGN_OR_RETURN(BoundScalarFunction function, entry->scalar(exprs, bind));
  for (size_t i = 0; i < args.size(); ++i) {
    if (!function.arg_types[i]->Equals(*args[i]->type())) {
      return Status::InvalidArgument("test passes " + args[i]->type()->ToDdl() + " where " +
                                     function.arg_types[i]->ToDdl() + " is bound");
    }
  }
  if (num_rows < 0) {
    num_rows = 1;
    for (const VectorPtr& arg : args) {
      num_rows = std::max(num_rows, arg->length());
    }
  }
  SLUICE_ASSIGN_OR_RETURN(VectorPtr result, function.kernel(args, num_rows, ctx));
  if (!result->type()->Equals(*function.return_type)) {
    return Status::Internal("result type " + result->type()->ToDdl() + " differs from bound " +
                            function.return_type->ToDdl());
  }
  return result;
}

/// CallScalar's cells, or its error text.
inline std::string Eval(std::string_view name, const std::vector<VectorPtr>& args,
                        const EvalContext& ctx = {}) {
  Result<VectorPtr> result = CallScalar(name, args, ctx);
  return result.ok() ? Cells(*result) : result.status().ToString();
}

}  // namespace sluice::expr::test_util
