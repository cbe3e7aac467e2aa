// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "columnar/vector.h"
#include "common/result.h"
#include "expr/function.h"
#include "types/data_type.h"

/// Spark's CAST between every pair of types it allows, in ANSI and non-ANSI modes.
namespace sluice::expr {

/// True when Spark allows CAST(from AS to) (Cast.canCast; canAnsiCast when `ansi`).
bool CanCast(const TypePtr& from, const TypePtr& to, bool ansi);

/// Casts every value. Invalid values become null when !ctx.ansi or `try_cast`, and are
/// kInvalidArgument with Spark's error class ([CAST_INVALID_INPUT], [CAST_OVERFLOW])
/// otherwise. Strings to dates/timestamps use ctx.time_zone; numbers print as Spark
/// prints them (1.0E10, decimals with their scale), dates/timestamps in ctx.time_zone.
/// The rank of a numeric type along which casts widen (byte < short < int < long < float
/// < double); 0 for the others. A cast to a higher rank can neither fail nor overflow.
int NumericWideningRank(TypeId id);

Result<VectorPtr> CastVector(const VectorPtr& input, const TypePtr& to, const EvalContext& ctx,
                             bool try_cast = false);

}  // namespace sluice::expr
