// SPDX-License-Identifier: Apache-2.0
// Generators: explode, explode_outer, posexplode, posexplode_outer, inline, inline_outer,
// stack, json_tuple and sliding_window.
#include "expr/builtins.h"
#include "expr/functions/datetime_internal.h"

namespace sluice::expr {

void RegisterGeneratorFunctions(FunctionRegistry& registry) {
  registry.AddGenerator("sliding_window", datetime::BindSlidingWindow);
}

}  // namespace sluice::expr
