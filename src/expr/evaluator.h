// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "columnar/batch.h"
#include "common/result.h"
#include "expr/expression.h"
#include "expr/function.h"

namespace sluice::expr {

/// Evaluates `expr` over every row of `input`; the result has input.num_rows() rows.
/// Thread-safe: expressions are immutable.
Result<VectorPtr> Evaluate(const Expression& expr, const Batch& input, const EvalContext& ctx);

/// Evaluates an expression that references no column (constant folding, LIMIT n,
/// TIMESTAMP AS OF expr); the result has one row.
Result<VectorPtr> EvaluateConstant(const Expression& expr, const EvalContext& ctx);

/// Returns the rows of `input` where `predicate` (a boolean vector, input.num_rows()
/// long) is true; null counts as false.
Result<BatchPtr> FilterBatch(const Batch& input, const Vector& predicate);

}  // namespace sluice::expr
