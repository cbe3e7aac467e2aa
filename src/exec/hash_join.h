// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <memory>
#include <vector>

#include "exec/pipeline.h"
#include "sql/logical_plan.h"

namespace sluice::exec {

struct JoinHashTable;

/// The two halves of a join: a sink that collects the build side and hashes it on its
/// keys, and an operator that probes it with the other side's batches. Without keys it
/// is a nested loop. The build side must fit the memory limit (no spilling).
struct JoinOperators {
  std::shared_ptr<const Sink> build;
  std::shared_ptr<const Operator> probe;
};

/// Plans `node`: the build side is the right input unless node.build_left (semi and
/// anti joins always build the right input).
JoinOperators MakeHashJoin(const sql::JoinNode& node, bool build_left);

}  // namespace sluice::exec
