// SPDX-License-Identifier: Apache-2.0
// Scaffolding while these families are written: each definition moves to its own file
// (functions/datetime.cc, ...) and this file is deleted.
#include "expr/builtins.h"

namespace sluice::expr {

void RegisterJsonFunctions(FunctionRegistry& /*registry*/) {}

}  // namespace sluice::expr
