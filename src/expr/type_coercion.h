// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <vector>

#include "types/data_type.h"

/// Spark's implicit type coercion rules (TypeCoercion, non-ANSI; AnsiTypeCoercion when
/// `ansi`), shared by the binder and the functions' Bind.
namespace sluice::expr {

/// findTightestCommonType then findWiderTypeForTwo: the type two values are both cast
/// to for comparison, UNION, CASE, IN, coalesce (int + long -> long, int + decimal(5,2)
/// -> decimal(12,2), int + double -> double, date + timestamp -> timestamp, string +
/// number -> string for UNION/CASE; structs/arrays/maps field by field; void + T -> T).
/// nullptr when there is none.
TypePtr WiderCommonType(const TypePtr& left, const TypePtr& right, bool ansi);

/// The common type of several (nullptr when there is none).
TypePtr WiderCommonType(const std::vector<TypePtr>& types, bool ansi);

/// The type both sides of a binary comparison are cast to (string vs number compares as
/// the number type (double for non-integral), string vs date as date, string vs
/// timestamp as timestamp, ...). nullptr when they cannot be compared.
TypePtr ComparisonType(const TypePtr& left, const TypePtr& right, bool ansi);

/// The result type of +, -, * , / and % on numeric types (decimal precision/scale as
/// Spark's DecimalPrecision rules, with allowPrecisionLoss = true). nullptr when not
/// numeric. `op` is one of "+", "-", "*", "/", "%".
TypePtr ArithmeticResultType(char op, const TypePtr& left, const TypePtr& right);

bool IsNumeric(const TypePtr& type);
bool IsIntegral(const TypePtr& type);

}  // namespace sluice::expr
