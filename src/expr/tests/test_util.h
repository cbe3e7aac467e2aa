// SPDX-License-Identifier: Apache-2.0
// Helpers for the expr tests: vectors from values, binding calls as the binder does
// (casting arguments to the types the function asks for), and results as text.
#pragma once

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "columnar/batch.h"
#include "columnar/builder.h"
#include "columnar/printer.h"
#include "expr/evaluator.h"
#include "expr/expression.h"
#include "expr/function.h"

namespace sluice::expr::testing {

template <typename Builder, typename T>
VectorPtr MakeVector(TypePtr type, const std::vector<std::optional<T>>& values) {
  Builder builder(std::move(type));
  for (const auto& value : values) {
    if (value.has_value()) {
      builder.Append(*value);
    } else {
      builder.AppendNull();
    }
  }
  return builder.Finish();
}

inline VectorPtr Ints(const std::vector<std::optional<int32_t>>& values) {
  return MakeVector<Int32Builder>(IntType(), values);
}
inline VectorPtr Longs(const std::vector<std::optional<int64_t>>& values) {
  return MakeVector<Int64Builder>(LongType(), values);
}
inline VectorPtr Doubles(const std::vector<std::optional<double>>& values) {
  return MakeVector<DoubleBuilder>(DoubleType(), values);
}
inline VectorPtr Bools(const std::vector<std::optional<bool>>& values) {
  return MakeVector<BooleanBuilder>(BooleanType(), values);
}
inline VectorPtr Strings(const std::vector<std::optional<std::string>>& values) {
  StringBuilder builder(StringType());
  for (const auto& value : values) {
    if (value.has_value()) {
      builder.Append(*value);
    } else {
      builder.AppendNull();
    }
  }
  return builder.Finish();
}

inline ExprPtr Lit(VectorPtr value) {
  return Expression::Literal(std::move(value));
}
inline ExprPtr IntLit(int32_t value) {
  return Lit(MakeIntScalar(value));
}
inline ExprPtr LongLit(int64_t value) {
  return Lit(MakeLongScalar(value));
}
inline ExprPtr DoubleLit(double value) {
  return Lit(MakeDoubleScalar(value));
}
inline ExprPtr StrLit(std::string_view value) {
  return Lit(MakeStringScalar(value));
}
inline ExprPtr NullLit(TypePtr type = NullType()) {
  return Lit(MakeNullScalar(type));
}
inline ExprPtr DecLit(std::string_view text, int precision, int scale) {
  Int128 unscaled = 0;
  EXPECT_TRUE(ParseDecimal(text, precision, scale, &unscaled)) << text;
  return Lit(MakeDecimalScalar(unscaled, precision, scale));
}

/// Binds `name` from the default registry and inserts the casts its arg_types ask for.
inline Result<ExprPtr> Bind(std::string_view name, std::vector<ExprPtr> args, bool ansi = false) {
  const FunctionEntry* entry = FunctionRegistry::Default().Find(name);
  if (entry == nullptr || entry->kind != FunctionKind::kScalar) {
    return Status::NotFound(std::string(name));
  }
  BindContext ctx;
  ctx.ansi = ansi;
  ctx.call_sql = std::string(name) + "(...)";
  SLUICE_ASSIGN_OR_RETURN(BoundScalarFunction function, entry->scalar(args, ctx));
  for (size_t i = 0; i < args.size() && i < function.arg_types.size(); ++i) {
    if (function.arg_types[i] != nullptr && !args[i]->type()->Equals(*function.arg_types[i])) {
      args[i] = Expression::Cast(args[i], function.arg_types[i], false);
    }
  }
  return Expression::Call(std::move(function), std::move(args));
}

inline ExprPtr MustBind(std::string_view name, std::vector<ExprPtr> args, bool ansi = false) {
  Result<ExprPtr> bound = Bind(name, std::move(args), ansi);
  EXPECT_TRUE(bound.ok()) << bound.status().ToString();
  return bound.ok() ? *bound : nullptr;
}

/// A batch of the given columns, named c0, c1, ...
inline BatchPtr MakeBatch(const std::vector<VectorPtr>& columns, int64_t num_rows = -1) {
  std::vector<Field> fields;
  for (size_t i = 0; i < columns.size(); ++i) {
    fields.push_back(MakeField("c" + std::to_string(i), columns[i]->type()));
  }
  if (num_rows < 0) {
    num_rows = columns.empty() ? 1 : columns[0]->length();
  }
  return std::make_shared<const Batch>(MakeSchema(std::move(fields)), columns, num_rows);
}

inline ExprPtr Col(const BatchPtr& batch, int index) {
  return Expression::Column(index, batch->column(index)->type());
}

/// The cells of a vector as Spark's show() prints them ("NULL" for null).
inline std::vector<std::string> Cells(const Vector& vector) {
  std::vector<std::string> cells;
  for (int64_t i = 0; i < vector.length(); ++i) {
    cells.push_back(FormatCell(vector, i));
  }
  return cells;
}

/// Evaluates over `batch` (or one empty row) and returns the cells, or "ERROR: ...".
inline std::vector<std::string> Eval(const ExprPtr& expr, const BatchPtr& batch = nullptr,
                                     const EvalContext& ctx = {}) {
  if (expr == nullptr) {
    return {"UNBOUND"};
  }
  Result<VectorPtr> result =
      batch == nullptr ? EvaluateConstant(*expr, ctx) : Evaluate(*expr, *batch, ctx);
  if (!result.ok()) {
    return {"ERROR: " + result.status().message()};
  }
  return Cells(**result);
}

/// One constant call's single cell: "NULL", "3", "ERROR: ...".
inline std::string EvalOne(std::string_view name, std::vector<ExprPtr> args, bool ansi = false) {
  Result<ExprPtr> bound = Bind(name, std::move(args), ansi);
  if (!bound.ok()) {
    return "BIND ERROR: " + bound.status().message();
  }
  EvalContext ctx;
  ctx.ansi = ansi;
  std::vector<std::string> cells = Eval(*bound, nullptr, ctx);
  return cells.size() == 1 ? cells[0] : "?";
}

}  // namespace sluice::expr::testing
