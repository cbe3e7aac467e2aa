// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <memory>

#include "exec/basic_ops.h"
#include "sql/logical_plan.h"

namespace sluice::exec {

/// Window functions: a sink holding the child's rows (counted against the memory limit;
/// it cannot spill) whose Finalize sorts them per call by PARTITION BY and ORDER BY,
/// runs ranking/offset functions per partition with its peer groups, and aggregates
/// over each row's frame: the whole partition; ROWS frames with any bounds; RANGE
/// frames bounded by UNBOUNDED or CURRENT ROW (peers included). Output rows keep the
/// input order, with one column added per call.
std::shared_ptr<const Sink> MakeWindowSink(ExecContext& ctx, const sql::WindowNode& node,
                                           std::shared_ptr<MaterializedRows> output);

}  // namespace sluice::exec
