// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "expr/function.h"

/// Pieces shared by the collection function files (functions/collection*.cc).
namespace sluice::expr::collection {

/// Registers the array_* functions, slice, flatten, sequence, sort_array
/// (collection_array.cc).
void RegisterArrayFunctions(FunctionRegistry& registry);

}  // namespace sluice::expr::collection
