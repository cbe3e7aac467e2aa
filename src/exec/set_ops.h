// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <memory>

#include "exec/basic_ops.h"
#include "sql/logical_plan.h"

namespace sluice::exec {

/// UNION (distinct), INTERSECT [ALL] and EXCEPT [ALL]: a sink with one input per child
/// that counts each distinct row per input (null equals null), then writes the rows the
/// operation keeps to `output`: once each, or by multiplicity for ALL. Cannot spill.
std::shared_ptr<const Sink> MakeSetOpSink(ExecContext& ctx, const sql::SetOpNode& node,
                                          std::shared_ptr<MaterializedRows> output);

}  // namespace sluice::exec
