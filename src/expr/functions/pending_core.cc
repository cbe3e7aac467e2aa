// SPDX-License-Identifier: Apache-2.0
// Scaffolding while the core families are written: each definition moves to its own
// file (functions/arithmetic.cc, ...) and this file is deleted.
#include "expr/builtins.h"

namespace sluice::expr {

void RegisterLogicalFunctions(FunctionRegistry& /*registry*/) {}
void RegisterConditionalFunctions(FunctionRegistry& /*registry*/) {}
void RegisterStringFunctions(FunctionRegistry& /*registry*/) {}
void RegisterHashFunctions(FunctionRegistry& /*registry*/) {}

}  // namespace sluice::expr
