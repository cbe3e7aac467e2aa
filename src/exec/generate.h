// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <memory>

#include "exec/pipeline.h"
#include "sql/logical_plan.h"

namespace sluice::exec {

/// explode & co.: runs the node's generator on each batch and repeats the child's
/// columns for the rows generated from each input row; with `outer`, an input row that
/// generates nothing gives one row of nulls in the generated columns.
std::shared_ptr<const Operator> MakeGenerate(const sql::GenerateNode& node);

}  // namespace sluice::exec
