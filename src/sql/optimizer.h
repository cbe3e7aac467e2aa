// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "common/result.h"
#include "expr/function.h"
#include "sql/logical_plan.h"

namespace sluice::sql {

/// Rewrites a bound plan with the rules every query gets, in order:
/// - constant folding: deterministic subexpressions without column references are
///   evaluated once (errors are left for run time, as Spark's ConstantFolding does);
/// - filter pushdown: filters move below projections and into the matching side of
///   inner (and, on their preserved side, outer) joins; filters directly above a Delta or
///   file scan become the scan's pushed_filters (partition pruning, stats skipping,
///   row-group and page skipping), with the filter kept above for exactness;
/// - projection pruning: every node keeps only the columns something above reads, down
///   to the scans' column lists;
/// - join sides: inner joins hash the smaller input (estimated from the scans' file
///   sizes and row counts).
Result<PlanPtr> Optimize(const PlanPtr& plan, const expr::EvalContext& eval);

}  // namespace sluice::sql
